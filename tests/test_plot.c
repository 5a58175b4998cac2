/* test_plot.c - end to end: `ptbench plot` lets no text of a result
 * folder, nor its path, run a command through gnuplot; draws what a
 * one-mode run has; plots a 40,000-row summary; and on a folder the
 * analysis never reached, names `ptbench analyze`. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "e2e.h"
#include "fixture.h"
#include "plotfx.h"

/* What a successful attack leaves: a file named PWNED, made (relative
 * payloads) in gnuplot's folder, the result folder, or ours. */
#define PWN "touch PWNED"

/* Text a hostile result folder may hold: each would run PWN if it reached
 * gnuplot's parser raw, in a double- or single-quoted string, a comment
 * or a datablock. */
static const char *const payloads[] = {
	"x\" . system(\"" PWN "\") . \"",
	"x' . system('" PWN "') . '",
	"x'; !" PWN "; print '",
	"''x; !" PWN "; print ",
	"x\n!" PWN " #",
	"x\r!" PWN,
	"x`" PWN "`",
	"x$(" PWN ")",
	"x\nEOD\n!" PWN "\n$y << EOD",
	"EOD\n!" PWN,
	"x\\",
	"@GPVAL_TERM `" PWN "`",
};

/* The cells replaced: column col of file, in the rows where column where
 * is `is` (every row when where is NULL); chosen so that every chart is
 * still drawn. */
static const struct hostile {
	const char *file, *col, *where, *is;
} cells[] = {
	{ "summary.csv", "workload", "workload", "cpu" },
	{ "summary.csv", "params", "workload", "cow" },
	{ "summary.csv", "pin", "workload", "cpu" },
	{ "summary.csv", "mode", "metric", "wall_s" },
	{ "summary.csv", "metric", "metric", "wall_s" },
	{ "summary.csv", "unit", NULL, NULL },
	{ "summary.csv", "workers", "workload", "cpu" },
	{ "bursts.csv", "workload", "workload", "cpu" },
	{ "trials.csv", "params", "workload", "cpu" },
	{ "trials.csv", "pin", NULL, NULL },
};

/* Hostile names of the result folder itself. */
static const char *const names[] = {
	"r\n!" PWN " #", "r`" PWN "`", "r'x", "r\"x", "r$(" PWN ")", "r!" PWN, "r\\",
	"r #`" PWN "`", "r'; !" PWN "; '", "r\nEOD", "r\" . system(\"" PWN "\") . \"",
};

static const char *const files[] = {
	"summary.csv", "bursts.csv", "trials.csv", "metrics.csv", "workers.csv", "meta.csv",
};

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "r"), *out;
	char buf[65536];
	size_t n;
	int rc = 0;

	if (!in)
		return errno == ENOENT ? 0 : -1;        /* bursts.csv is optional */
	out = fopen(to, "w");
	if (!out) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		rc |= fwrite(buf, 1, n, out) != n;
	rc |= ferror(in);
	fclose(in);
	return fclose(out) || rc ? -1 : 0;
}

/* A copy of the CSV files of folder src in a new folder dst (no plots). */
static int copy_folder(const char *src, const char *dst)
{
	if (mkdir(dst, 0755) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char a[PATH_MAX], b[PATH_MAX];

		util_strfmt(a, sizeof(a), "%s/%s", src, files[i]);
		util_strfmt(b, sizeof(b), "%s/%s", dst, files[i]);
		if (copy_file(a, b) < 0)
			return -1;
	}
	return 0;
}

/* Rewrites dir/h->file with `text` in the chosen cells; returns how many. */
static int replace(const char *dir, const struct hostile *h, const char *text)
{
	char path[PATH_MAX];
	struct table t;
	struct csvw *w;
	int col, where, n = 0;

	util_strfmt(path, sizeof(path), "%s/%s", dir, h->file);
	if (table_read(path, &t) < 0)
		return -1;
	col = table_col(&t, h->col);
	where = h->where ? table_col(&t, h->where) : -1;
	unlink(path);
	if (col < 0 || csvw_open(&w, path, (const char *const *)t.head, t.ncols, 0) < 0) {
		table_free(&t);
		return -1;
	}
	for (int r = 0; r < t.nrows; r++) {
		const char *cells[CSV_MAX_COLS];

		for (int c = 0; c < t.ncols; c++)
			cells[c] = t.rows[r][c];
		if (!h->where || !strcmp(table_get(&t, r, where), h->is)) {
			cells[col] = text;
			n++;
		}
		csvw_cells(w, cells, t.ncols);
	}
	table_free(&t);
	return csvw_close(w) < 0 ? -1 : n;
}

static int exists(const char *dir, const char *name)
{
	char path[PATH_MAX];

	util_strfmt(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), k = strlen(end);

	return n >= k && !strcmp(s + n - k, end);
}

/* Whether a file holds `needle` in its last 4 KiB. */
static int tail_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char buf[4097];
	size_t n;

	if (!f)
		return 0;
	fseek(f, -4096, SEEK_END);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strstr(buf, needle) != NULL;
}

/* The SVGs in dir/plots, each complete (up to </svg>), as "a,b,c," in
 * directory order sorted; -1 when one is empty or cut, or when plots/
 * holds anything but *.gp, *.svg and gnuplot.log (what an attack made). */
static int charts(const char *dir, char *list, size_t len)
{
	char plots[PATH_MAX];
	struct dirent **ents;
	int n, svgs = 0, bad = 0;
	size_t used = 0;

	list[0] = '\0';
	util_strfmt(plots, sizeof(plots), "%s/plots", dir);
	n = scandir(plots, &ents, NULL, alphasort);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const char *e = ents[i]->d_name;
		char svg[PATH_MAX];

		if (!strcmp(e, ".") || !strcmp(e, "..") || !strcmp(e, "gnuplot.log") || ends_with(e, ".gp")) {
			free(ents[i]);
			continue;
		}
		util_strfmt(svg, sizeof(svg), "%s/%s", plots, e);
		if (!ends_with(e, ".svg") || !tail_has(svg, "</svg>")) {
			diag("plots/%s: not a complete chart", e);
			bad++;
		} else {
			svgs++;
			used += (size_t)snprintf(list + used, used < len ? len - used : 0, "%s,", e);
		}
		free(ents[i]);
	}
	free(ents);
	return bad ? -1 : svgs;
}

/* Whether a PWNED file exists where a payload would have made it. */
static int pwned(const char *tmp, const char *dir)
{
	char plots[PATH_MAX];

	util_strfmt(plots, sizeof(plots), "%s/plots", dir);
	return exists(plots, "PWNED") || exists(dir, "PWNED") || exists(tmp, "PWNED") ||
	       access("PWNED", F_OK) == 0;
}

static int plot(const char *ptbench, const char *tmp, const char *dir)
{
	char *args[] = { (char *)ptbench, "plot", (char *)dir, NULL };

	return run_cmd(args, tmp);
}

static int file_has(const char *tmp, const char *file, const char *needle)
{
	char path[PATH_MAX], buf[8192];

	util_strfmt(path, sizeof(path), "%s/%s", tmp, file);
	return util_read_file(path, buf, sizeof(buf)) >= 0 && strstr(buf, needle);
}

/* Shows what went wrong: ptbench's message and gnuplot's. */
static void explain(const char *tmp, const char *dir)
{
	char path[PATH_MAX], buf[2048];

	util_strfmt(path, sizeof(path), "%s/stderr.txt", tmp);
	if (util_read_file(path, buf, sizeof(buf)) > 0)
		diag("%s", buf);
	util_strfmt(path, sizeof(path), "%s/plots/gnuplot.log", dir);
	if (util_read_file(path, buf, sizeof(buf)) > 0)
		diag("gnuplot.log: %s", buf);
}

/* A run of cpu, spawn at two heaps and cow, in `modes`; 0 or exit code. */
static int small_run(const char *ptbench, const char *tmp, const char *name, const char *modes,
		     char *out, size_t len)
{
	char suite[PATH_MAX];
	FILE *f;

	util_strfmt(suite, sizeof(suite), "%s/suite.csv", tmp);
	f = fopen(suite, "w");
	if (!f)
		return -1;
	fprintf(f, "workload,modes,workers,reps,pin,params\n"
		   "cpu,\"process,thread\",\"1,2\",3,core,total=200000\n"
		   "spawn,\"process,thread\",\"1,2\",3,core,heap=1M\n"
		   "spawn,\"process,thread\",\"1,2\",3,core,heap=2M\n"
		   "cow,\"process,thread\",\"1,2\",3,core,heap=1M\n");
	fclose(f);
	util_strfmt(out, len, "%s/%s", tmp, name);
	{
		char *args[] = { (char *)ptbench, "suite", suite, "-m", (char *)modes, "--warmup", "0",
				 "-o", out, "--keep-noisy", "-q", NULL };

		return run_cmd(args, tmp);
	}
}

int main(int argc, char **argv)
{
	char tmp[64], base[PATH_MAX], want[4096], got[4096], dir[PATH_MAX];
	int nwant, k = 0;

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 2;
	if (!ok(small_run(argv[1], tmp, "base", "process,thread", base, sizeof(base)) == 0,
		"a small run of cpu, spawn (two heaps) and cow"))
		return done_testing();
	util_strfmt(dir, sizeof(dir), "%s/copy", tmp);
	ok(copy_folder(base, dir) == 0 && plot(argv[1], tmp, dir) == 0, "plot of its copy exits 0");
	nwant = charts(dir, want, sizeof(want));
	ok(nwant >= 7, "it draws the speedups, memory, spawn and cow (%s)", want);
	{
		/* workers 1,2 are a geometric sweep (powers of two) */
		char gp[PATH_MAX], text[8192];

		util_strfmt(gp, sizeof(gp), "%s/plots/speedup_cpu_1.gp", dir);
		ok(util_read_file(gp, text, sizeof(text)) > 0 && strstr(text, "set logscale x 2\n"),
		   "a speedup chart of workers 1,2 has a log2 x axis");
	}

	/* Four modes: every chart has a series of shared and of exec, with
	 * points in its datablock. */
	{
		static const char *const gps[] = { "spawn.gp", "cow.gp", "memory.gp", "speedup_cpu_1.gp" };
		char *an[] = { argv[1], "analyze", NULL, NULL };
		struct fx f;

		if (ok(fx_four_modes(&f) == 0 && (an[2] = f.dir, run_cmd(an, tmp) == 0) &&
		       plot(argv[1], tmp, f.dir) == 0, "four modes: analyze and plot exit 0"))
			for (size_t i = 0; i < ARRAY_SIZE(gps); i++) {
				char gp[PATH_MAX], text[16384], *cmd;
				int series = 0, blocks = 1;

				util_strfmt(gp, sizeof(gp), "%s/plots/%s", f.dir, gps[i]);
				cmd = util_read_file(gp, text, sizeof(text)) > 0 ? strstr(text, "\nplot ") : NULL;
				for (int m = 0; cmd && m < 2; m++) {
					char name[32];

					series += strstr(cmd, m ? "title 'exec'" : "title 'shared'") ||
						  strstr(cmd, m ? "(exec)'" : "(shared)'") ||
						  strstr(cmd, m ? "'PSS, exec'" : "'PSS, shared'");
					/* memory's one datablock $m holds every mode */
					util_strfmt(name, sizeof(name), "$%s << EOD\n", m ? "exec" : "shared");
					if (strcmp(gps[i], "memory.gp"))
						blocks &= strstr(text, name) && !strstr(text, strcat(name, "EOD"));
				}
				ok(series == 2 && blocks, "four modes: %s plots shared and exec, with points", gps[i]);
			}
		rmtree(f.dir);
	}

	/* Hostile cells, each payload in each text column plot reads. */
	for (size_t c = 0; c < ARRAY_SIZE(cells); c++) {
		int good = 0, all = 0;

		for (size_t i = 0; i < ARRAY_SIZE(payloads); i++, all++) {
			int rc, n;

			util_strfmt(dir, sizeof(dir), "%s/c%d", tmp, ++k);
			if (copy_folder(base, dir) < 0 || (n = replace(dir, &cells[c], payloads[i])) <= 0) {
				diag("cannot make %s", dir);
				continue;
			}
			rc = plot(argv[1], tmp, dir);
			got[0] = '\0';
			/* (a hostile workload renames its charts: count them) */
			if (rc == 0 && !pwned(tmp, dir) && charts(dir, got, sizeof(got)) == nwant) {
				good++;
				rmtree(dir);
			} else {
				diag("%s %s = payload %zu (%d cells): exit %d, %s, charts %s", cells[c].file,
				     cells[c].col, i, n, rc, pwned(tmp, dir) ? "PWNED" : "no command ran", got);
				explain(tmp, dir);
			}
		}
		ok(good == all, "%s: hostile %s cells run nothing and every chart is drawn (%d of %d)",
		   cells[c].file, cells[c].col, good, all);
	}

	/* Hostile names of the folder. */
	{
		int good = 0;

		for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
			int rc;

			util_strfmt(dir, sizeof(dir), "%s/%s", tmp, names[i]);
			if (copy_folder(base, dir) < 0) {
				diag("cannot make folder %zu", i);
				continue;
			}
			rc = plot(argv[1], tmp, dir);
			got[0] = '\0';
			if (rc == 0 && !pwned(tmp, dir) && charts(dir, got, sizeof(got)) == nwant &&
			    !strcmp(got, want) && file_has(tmp, "stdout.txt", " chart(s) in ")) {
				good++;
			} else {
				diag("folder name %zu: exit %d, %s, charts %s", i, rc,
				     pwned(tmp, dir) ? "PWNED" : "no command ran", got);
				explain(tmp, dir);
			}
		}
		ok(good == (int)ARRAY_SIZE(names),
		   "folders named with newlines, quotes, backquotes, $(), ! and \\: nothing runs, every chart drawn (%d of %zu)",
		   good, ARRAY_SIZE(names));
	}

	/* One mode only: the same charts, with what exists. */
	for (int m = 0; m < 2; m++) {
		const char *mode = m ? "thread" : "process";
		char one[PATH_MAX];
		int rc;

		if (!ok(small_run(argv[1], tmp, mode, mode, one, sizeof(one)) == 0, "a run with -m %s", mode))
			continue;
		rc = plot(argv[1], tmp, one);
		ok(rc == 0, "plot of the -m %s run exits 0 (%d)", mode, rc);
		ok(charts(one, got, sizeof(got)) == nwant && !strcmp(got, want),
		   "and draws the charts of a two-mode run (%s)", got);
	}

	/* A big folder: 40,000 rows (bench_plot times it). */
	{
		char big[PATH_MAX];
		int rc;

		util_strfmt(big, sizeof(big), "%s/big", tmp);
		ok(mkdir(big, 0755) == 0 && big_summary(big, 50, 4) == 0, "a 40,000-row summary.csv");
		rc = plot(argv[1], tmp, big);
		ok(rc == 0 && charts(big, got, sizeof(got)) == 203,
		   "plot of it exits 0 (%d) and draws 200 speedups, memory, spawn, cow (%d)", rc, charts(big, got, sizeof(got)));
	}

	/* The analysis never ran (the harness was killed): say what to do.
	 * A summary.csv.tmp of a killed atomic write is no summary. */
	for (int stale = 0; stale < 2; stale++) {
		char a[PATH_MAX], b[PATH_MAX], err[4096];
		long n;

		util_strfmt(dir, sizeof(dir), "%s/killed%d", tmp, stale);
		copy_folder(base, dir);
		util_strfmt(a, sizeof(a), "%s/summary.csv", dir);
		util_strfmt(b, sizeof(b), "%s/summary.csv.tmp", dir);
		if (stale)
			rename(a, b);
		else
			unlink(a);
		ok(plot(argv[1], tmp, dir) == 2, "no summary.csv%s: exit 2", stale ? ", a stale .tmp" : "");
		util_strfmt(a, sizeof(a), "%s/stderr.txt", tmp);
		n = util_read_file(a, err, sizeof(err));
		ok(n > 0 && !strncmp(err, "ptbench: ", 9) && strchr(err, '\n') == err + n - 1 &&
		   strstr(err, "ptbench analyze ") && strstr(err, dir),
		   "one line naming `ptbench analyze DIR`: %s", n > 0 ? err : "(none)");
		util_strfmt(a, sizeof(a), "%s/stdout.txt", tmp);
		ok(!exists(dir, "plots") && util_read_file(a, err, sizeof(err)) == 0, "and nothing made");
	}
	rmtree(tmp);
	return done_testing();
}
