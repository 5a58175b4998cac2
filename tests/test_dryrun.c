/* test_dryrun.c - `--dry-run` prints every cell of a plan, for this
 * machine or a synthetic one, and runs nothing; `--max-time` refuses a
 * plan estimated longer, naming the cell. Argument: the ptbench binary. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"
#include "tap.h"
#include "util.h"

/* Runs argv in dir (stdout and stderr into buf); returns the exit code. */
static int capture(char *const argv[], const char *dir, char *buf, size_t len)
{
	int argc = 0, st;
	char *cmd, *full;
	size_t n;
	FILE *p;

	while (argv[argc])
		argc++;
	cmd = util_shell_join(argc, argv);
	full = cmd ? malloc(strlen(cmd) + PATH_MAX + 32) : NULL;
	if (!full) {
		free(cmd);
		return -1;
	}
	sprintf(full, "cd '%s' && %s 2>&1", dir, cmd);
	free(cmd);
	p = popen(full, "r");
	free(full);
	if (!p)
		return -1;
	n = fread(buf, 1, len - 1, p);
	buf[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Rows of the plan's table whose first word is wl. */
static int rows_of(const char *out, const char *wl, char *workers, size_t len)
{
	int n = 0;

	workers[0] = '\0';
	for (const char *l = out; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		char name[32], mode[16];
		int w;

		if (sscanf(l, "%31s %15s %d", name, mode, &w) == 3 && !strcmp(name, wl)) {
			n++;
			if (!strcmp(mode, "process"))
				util_strfmt(workers + strlen(workers), len - strlen(workers), "%s%d",
					    *workers ? "," : "", w);
		}
	}
	return n;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* A dry run on a synthetic machine: exit 0, the sweep, the cells and the
 * trials exactly (5 reps + 1 warm-up + 1 traced a cell), nothing written. */
static void synthetic(const char *ptbench, const char *tmp, const char *desc,
		      const char *sweep, int counts)
{
	static char out[1 << 20];
	char *args[] = { (char *)ptbench, "run", "cpu", "--dry-run", "--synthetic", (char *)desc, NULL };
	char got[512], want[64], res[PATH_MAX];
	int rc = capture(args, tmp, out, sizeof(out));
	int rows = rows_of(out, "cpu", got, sizeof(got));

	ok(rc == 0, "dry run on \"%s\" exits 0 (%d)", desc, rc);
	ok(rows == 2 * counts && !strcmp(got, sweep), "its cells: %d (want %d), workers %s (want %s)",
	   rows, 2 * counts, got, sweep);
	util_strfmt(want, sizeof(want), "total: %d trials", 2 * counts * 7);
	ok(strstr(out, want) != NULL, "it says '%s'", want);
	ok(strstr(out, "at this machine's speed per core") != NULL,
	   "it says the estimate uses this machine's speed");
	util_strfmt(res, sizeof(res), "%s/results", tmp);
	ok(!exists(res), "nothing is written (no %s)", res);
}

/* The estimated total seconds of a dry run's output, or -1. */
static double estimated(const char *out)
{
	const char *t = strstr(out, "total: ");
	const char *p = t ? strstr(t, " s), ") : NULL;

	while (p && p > t && p[-1] != '(')
		p--;
	return p ? strtod(p, NULL) : -1;
}

int main(int argc, char **argv)
{
	static char out[1 << 20];
	char tmp[64], exe[PATH_MAX];

	/* the commands run in tmp: the binary by its absolute path */
	if (argc < 2 || !realpath(argv[1], exe) || !tmpdir(tmp, sizeof(tmp)))
		return 2;
	argv[1] = exe;
	synthetic(argv[1], tmp, "pack:2 numa:2 core:16 pu:2", "1,2,4,8,16,32,64,128", 8);
	synthetic(argv[1], tmp, "pack:4 core:64 pu:2", "1,2,4,8,16,32,64,128,256,512", 10);
	{
		/* 24 PUs, 12 cores: the sweep takes both counts */
		char *args[] = { argv[1], "run", "cpu", "--dry-run", "--synthetic", "pack:2 core:6 pu:2",
				 "-m", "thread", NULL };
		char got[256];

		capture(args, tmp, out, sizeof(out));
		rows_of(out, "cpu", got, sizeof(got));
		ok(rows_of(out, "cpu", got, sizeof(got)) == 7, "pow2 on 24 PUs of 12 cores: 1,2,4,8,12,16,24 (%d rows)",
		   rows_of(out, "cpu", got, sizeof(got)));
	}
	{
		char *args[] = { argv[1], "run", "cpu", "-P", "total=1000000000000", "--max-time", "60",
				 NULL };
		int rc = capture(args, tmp, out, sizeof(out));

		ok(rc == 2 && strstr(out, "--max-time 60") && strstr(out, "cpu total=1000000000000 with 1 workers"),
		   "a plan over --max-time is refused, exit 2, naming the cell (%d: %.*s)", rc,
		   (int)strcspn(out, "\n"), out);
	}
	{
		char *args[] = { argv[1], "suite", "/nonexistent/none.csv", "--dry-run", NULL };

		ok(capture(args, tmp, out, sizeof(out)) == 2, "a dry run of a missing suite is exit 2");
	}
	{
		static const struct { const char *args, *named; } bad[] = {
			{ "run|cpu|--topology|/nonexistent/machine.xml|--dry-run", "/nonexistent/machine.xml" },
			{ "run|cpu|--topology|/nonexistent/machine.xml", "--topology" },
			{ "topo|--dry-run", "--dry-run" },
			{ "topo|--max-time|5", "--max-time" },
			{ "run|cpu|--dry-run|--synthetic|pack:2 pu:2|--topology|x.xml", "give one" },
			/* a cell over the synthetic machine's memory */
			{ "run|cow|-P|heap=4G|-n|2|--dry-run|--synthetic|pack:1 numa:1(memory=2GB) core:2 pu:1",
			  "cow heap=4G;write=0.5;thp=off with 2 workers (process) needs about 8.0 GiB" },
		};

		for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
			char buf[512], *a[12];
			int n = 0, rc;

			util_strfmt(buf, sizeof(buf), "%s", bad[i].args);
			a[n++] = argv[1];
			for (char *s = strtok(buf, "|"); s && n < 11; s = strtok(NULL, "|"))
				a[n++] = s;
			a[n] = NULL;
			rc = capture(a, tmp, out, sizeof(out));
			ok(rc == 2 && strstr(out, bad[i].named), "%s: exit 2 naming %s (%.*s)",
			   bad[i].args, bad[i].named, (int)strcspn(out, "\n"), out);
		}
	}
	{
		/* The estimate against a real run: load only slows the run, so
		 * only an estimate far above the real time is a defect. */
		char *dry[] = { argv[1], "run", "cpu", "-n", "1,2", "-r", "2", "--warmup", "0",
				"-P", "total=50000000", "--dry-run", NULL };
		const char *extra[] = { "cpu", "-n", "1,2", "-r", "2", "-P", "total=50000000", NULL };
		char dir[PATH_MAX];
		double est, t0, real;

		capture(dry, tmp, out, sizeof(out));
		est = estimated(out);
		t0 = util_now_s();
		run_ptbench(argv[1], tmp, "real", dir, sizeof(dir), -1, extra);
		real = util_now_s() - t0;
		ok(est > 0 && est < 10 * real, "estimate %.2f s, real %.2f s: not over 10x", est, real);
		diag("estimate / real = %.2f", est / real);
	}
	rmtree(tmp);
	return done_testing();
}
