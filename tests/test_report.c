/* test_report.c - end to end: `ptbench plot` draws SVGs that parse as XML
 * and name their axes; `ptbench compare` says same for a folder against
 * itself and worse against a copy made twice as slow. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "e2e.h"
#include "fixture.h"

/* Runs ptbench with the given arguments (NULL-terminated). */
static int ptb(const char *ptbench, const char *tmp, const char *a1, const char *a2,
	       const char *a3, char *outfile, size_t len)
{
	char *args[] = { (char *)ptbench, (char *)a1, (char *)a2, (char *)a3, NULL };

	util_strfmt(outfile, len, "%s/stdout.txt", tmp);
	return run_cmd(args, tmp);
}

/* The text between the first pair of quotes after key in file. */
static int gp_label(const char *gp, const char *key, char *out, size_t len)
{
	FILE *f = fopen(gp, "r");
	char line[512];

	out[0] = '\0';
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *a, *b;

		if (strncmp(line, key, strlen(key)) || !(a = strpbrk(line, "'\"")) || !(b = strchr(a + 1, *a)))
			continue;
		util_strfmt(out, len, "%.*s", (int)(b - a - 1), a + 1);
		break;
	}
	fclose(f);
	return out[0] ? 0 : -1;
}

static int file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	static char buf[1 << 20];
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strstr(buf, needle) != NULL;
}

/* A synthetic result folder: cpu at 1 and 2 workers in both modes, 5
 * repetitions, wall_s times `slow` (and ops_per_s divided by it). */
static int folder(char *dir, size_t len, double slow)
{
	struct fx f;

	if (fx_open(&f) < 0)
		return -1;
	for (int n = 1; n <= 2; n++)
		for (int m = 0; m < 2; m++) {
			char cols[256];

			util_strfmt(cols, sizeof(cols), "wall_s=%g;ops_per_s=%g;user_s=0.1;minflt=100",
			       0.1 * slow / n, 1e9 * n / slow);
			fx_cell(&f, "cpu", "total=100000000", m ? "thread" : "process", n, 5, 0, cols, NULL);
		}
	fx_close(&f);
	util_strfmt(dir, len, "%s", f.dir);
	return 0;
}

int main(int argc, char **argv)
{
	char tmp[64], out[PATH_MAX], path[PATH_MAX], so[PATH_MAX], b[PATH_MAX];
	int svgs = 0, good = 0, named = 0;
	struct table t;

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 2;
	{
		const char *extra[] = { "cpu", "spawn", "sharedread", "cow", "burst", "-n", "1,2", "-r", "2",
					"-P", "total=2000000", "-P", "heap=4M", "-P", "table=4M",
					"-P", "lookups=1000", "-P", "bursts=20", "-P", "compute_us=200",
					"-P", "block_us=100", NULL };

		ok(run_ptbench(argv[1], tmp, "res", out, sizeof(out), -1, extra) == 0, "a small run");
	}
	ok(ptb(argv[1], tmp, "plot", out, NULL, so, sizeof(so)) == 0, "ptbench plot exits 0");
	util_strfmt(path, sizeof(path), "%s/plots", out);
	{
		DIR *d = opendir(path);
		struct dirent *e;
		int speedup = 0, memory = 0, bursts = 0, cow = 0;

		while (d && (e = readdir(d))) {
			char svg[PATH_MAX], gp[PATH_MAX], cmd[2 * PATH_MAX], x[256], y[256];
			size_t n = strlen(e->d_name);

			if (n < 5 || strcmp(e->d_name + n - 4, ".svg"))
				continue;
			svgs++;
			speedup += !strncmp(e->d_name, "speedup_", 8);
			memory += !strcmp(e->d_name, "memory.svg");
			bursts += !strncmp(e->d_name, "bursts_", 7);
			cow += !strcmp(e->d_name, "cow.svg");
			util_strfmt(svg, sizeof(svg), "%s/%s", path, e->d_name);
			util_strfmt(gp, sizeof(gp), "%s/%.*s.gp", path, (int)(n - 4), e->d_name);
			util_strfmt(cmd, sizeof(cmd),
			       "python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' '%s'", svg);
			good += system(cmd) == 0;
			if (gp_label(gp, "set xlabel", x, sizeof(x)) == 0 &&
			    gp_label(gp, "set ylabel", y, sizeof(y)) == 0 && file_has(svg, x) && file_has(svg, y))
				named++;
			else
				diag("%s: axis labels '%s' / '%s' not found", e->d_name, x, y);
		}
		if (d)
			closedir(d);
		ok(speedup >= 2 && memory == 1 && bursts >= 1 && cow == 1,
		   "speedup, memory, burst and COW charts drawn (%d SVGs)", svgs);
		util_strfmt(b, sizeof(b), "%s/spawn.svg", path);
		ok(access(b, F_OK) != 0, "no spawn chart from a single heap size");
	}
	ok(svgs > 0 && good == svgs, "every SVG parses as XML (%d of %d)", good, svgs);
	ok(svgs > 0 && named == svgs, "every SVG names its axes (%d of %d)", named, svgs);

	/* Missing gnuplot: a message naming the package, exit 1. */
	{
		char *keep = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

		setenv("PATH", "/nonexistent", 1);
		ok(ptb(argv[1], tmp, "plot", out, NULL, so, sizeof(so)) == 1, "without gnuplot: exit 1");
		if (keep) {
			setenv("PATH", keep, 1);
			free(keep);
		}
		util_strfmt(b, sizeof(b), "%s/stderr.txt", tmp);
		ok(file_has(b, "gnuplot-nox"), "and the message names the package gnuplot-nox");
	}
	ok(ptb(argv[1], tmp, "plot", "/nonexistent", NULL, so, sizeof(so)) == 2, "plot of no folder: exit 2");

	/* compare: a folder against itself is the same everywhere. */
	ok(ptb(argv[1], tmp, "compare", out, out, so, sizeof(so)) == 0, "compare A A exits 0");
	if (table_read(so, &t) == 0) {
		int same = 0;

		for (int r = 0; r < t.nrows; r++)
			same += !strcmp(cell(&t, r, "change"), "same") && num(&t, r, "b_over_a") == 1;
		ok(t.nrows > 50 && same == t.nrows, "A against A: 'same' and ratio 1 in all %d rows (%d)",
		   t.nrows, same);
		ok(t.ncols == CP_N && !strcmp(t.head[CP_CHANGE], "change"), "compare's columns");
		table_free(&t);
	}
	/* ... and against one twice as slow, worse (synthetic folders, so
	 * the verdict does not hang on this machine's noise). */
	{
		char fa[PATH_MAX], fb[PATH_MAX];

		ok(folder(fa, sizeof(fa), 1) == 0 && folder(fb, sizeof(fb), 2) == 0,
		   "two folders, the second with every wall_s doubled");
		ok(ptb(argv[1], tmp, "compare", fa, fb, so, sizeof(so)) == 0, "compare A B exits 0");
		if (table_read(so, &t) == 0) {
			int walls = 0, worse = 0, rate = 0, other = 0;

			for (int r = 0; r < t.nrows; r++) {
				const char *m = cell(&t, r, "metric"), *ch = cell(&t, r, "change");

				if (!strcmp(m, "wall_s")) {
					walls++;
					worse += !strcmp(ch, "worse") && num(&t, r, "b_over_a") > 1.99 &&
						 num(&t, r, "b_over_a") < 2.01;
				} else if (!strcmp(m, "ops_per_s")) {
					rate += !strcmp(ch, "worse");
				} else {
					other += strcmp(ch, "same") != 0;
				}
			}
			ok(walls == 4 && worse == walls, "wall_s 2x: 'worse' in every cell and mode (%d of %d)",
			   worse, walls);
			ok(rate == walls, "ops_per_s halved: 'worse' (%d)", rate);
			ok(other == 0, "every other metric unchanged: 'same' (%d differ)", other);
			table_free(&t);
		}
		rmtree(fa);
		rmtree(fb);
	}
	ok(ptb(argv[1], tmp, "compare", out, "/nonexistent", so, sizeof(so)) == 2, "compare with no folder: exit 2");
	rmtree(tmp);
	return done_testing();
}
