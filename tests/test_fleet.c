/* test_fleet.c - two tiny real runs of this machine (two labels: one
 * host, two runs) merged, analysed, plotted, exported and compared, end
 * to end; and `compare A B` prints the same with -o as without. */
#include <dirent.h>
#include <sys/stat.h>

#include "e2e.h"

static const char *ptb;

static int cmd(const char *tmp, char *a0, char *a1, char *a2, char *a3, char *a4)
{
	char *argv[] = { (char *)ptb, a0, a1, a2, a3, a4, NULL };

	return run_cmd(argv, tmp);
}

int main(int argc, char **argv)
{
	static const char *const files[] = { "trials.csv", "workers.csv", "metrics.csv", "cells.csv",
					     "summary.csv", "versus.csv", "modes.csv", "claims.csv" };
	char tmp[] = "/tmp/ptb-fleet-XXXXXX", a[PATH_MAX], b[PATH_MAX], m[PATH_MAX], o[PATH_MAX];
	char host[256], text[1 << 16], alone[1 << 16], path[PATH_MAX + 32];
	const char *const ea[] = { "cpu", "-n", "1", "-r", "3", "-P", "total=2000000", "--label", "x",
				   "-m", "all", "--no-export", NULL };
	const char *const eb[] = { "cpu", "-n", "1", "-r", "3", "-P", "total=2000000", "--label", "y",
				   "-m", "all", "--no-export", NULL };
	int rc;

	if (argc < 2)
		skip_all("usage: test_fleet PTBENCH");
	ptb = argv[1];
	if (!mkdtemp(tmp))
		return 1;
	rc = run_ptbench(ptb, tmp, "x", a, sizeof(a), -1, ea);
	rc = rc ? rc : run_ptbench(ptb, tmp, "y", b, sizeof(b), -1, eb);
	if (!ok(rc == 0, "two tiny runs in the four modes, labels x and y (exit %d)", rc))
		return done_testing();
	meta(a, "host", host, sizeof(host));

	util_strfmt(m, sizeof(m), "%s/fleet", tmp);
	rc = cmd(tmp, "merge", a, b, "-o", m);
	ok(rc == 0, "merge (exit %d)", rc);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		int na = file_rows(a, files[i]), nb = file_rows(b, files[i]), nm = file_rows(m, files[i]);

		/* cpu has no metrics.csv rows of its own */
		ok((na > 0 || i == 2) && na >= 0 && nm == na + nb, "%s: %d rows = %d + %d", files[i], nm, na, nb);
	}
	rc = cmd(tmp, "analyze", m, NULL, NULL, NULL);
	slurp(tmp, "stdout.txt", text, sizeof(text));
	util_strfmt(path, sizeof(path), "host %s, run x\n", host);
	ok(rc == 0 && strstr(text, path) && strstr(text, "parallel"), "analyze of the merged folder prints run x's verdicts (exit %d)", rc);
	util_strfmt(path, sizeof(path), "host %s, run y\n", host);
	ok(strstr(text, path) != NULL, "and run y's");

	rc = cmd(tmp, "plot", m, NULL, NULL, NULL);
	slurp(tmp, "stderr.txt", text, sizeof(text));
	if (rc == 1 && strstr(text, "gnuplot")) {
		ok(1, "# SKIP plot: no gnuplot here");
	} else {
		char d[PATH_MAX];
		int made = -1, svgs = 0, dirs = 0;

		slurp(tmp, "stdout.txt", text, sizeof(text));
		sscanf(text, "%d chart", &made);
		for (int k = 0; k < 2; k++) {
			DIR *dp;
			struct dirent *e;

			util_strfmt(d, sizeof(d), "%s/plots/%s_%s", m, host, k ? "y" : "x");
			if (!(dp = opendir(d)))
				continue;
			dirs++;
			while ((e = readdir(dp)))
				svgs += strstr(e->d_name, ".svg") != NULL;
			closedir(dp);
		}
		ok(rc == 0 && dirs == 2 && made > 0 && svgs == made,
		   "plot draws each run's charts in plots/HOST_RUN/ (exit %d, %d charts, %d in the folders)", rc,
		   made, svgs);
	}

	rc = cmd(tmp, "export", m, NULL, NULL, NULL);
	util_strfmt(path, sizeof(path), "%s/results.xlsx", m);
	ok(rc == 0 && util_read_file(path, text, 3) == 2 && !strncmp(text, "PK", 2),
	   "export writes the merged folder's workbook (exit %d)", rc);

	rc = cmd(tmp, "compare", m, NULL, NULL, NULL);
	{
		struct table t;
		char x[300], y[300];
		int cx = -1, cy = -1;

		util_strfmt(x, sizeof(x), "%s/x", host);
		util_strfmt(y, sizeof(y), "%s/y", host);
		util_strfmt(path, sizeof(path), "%s/hosts.csv", m);
		if (table_read(path, &t) == 0) {
			for (int c = 0; c < t.ncols; c++) {
				cx = strcmp(csv_unguard(t.head[c]), x) ? cx : c;
				cy = strcmp(csv_unguard(t.head[c]), y) ? cy : c;
			}
			ok(rc == 0 && cx == HO_N && cy == HO_N + HH_N && t.nrows > 0 &&
			   table_num(&t, 0, cx + HH_RATIO) == 1,
			   "compare: hosts.csv has a column per run of the one host (%s, %s), %d rows", x, y, t.nrows);
			table_free(&t);
		} else {
			ok(0, "compare writes hosts.csv (exit %d)", rc);
		}
		ok(file_rows(m, "claims_by_host.csv") == 9, "and claims_by_host.csv, the nine claims");
	}

	/* Two folders: stdout as it always was, with or without -o. */
	rc = cmd(tmp, "compare", a, b, NULL, NULL);
	slurp(tmp, "stdout.txt", alone, sizeof(alone));
	util_strfmt(o, sizeof(o), "%s/side", tmp);
	rc = rc ? rc : cmd(tmp, "compare", a, b, "-o", o);
	slurp(tmp, "stdout.txt", text, sizeof(text));
	ok(rc == 0 && !strncmp(alone, "workload,mode,workers,pin,metric,a_median,b_median", 50) &&
	   !strcmp(alone, text), "compare A B prints the same CSV with -o as without");
	ok(file_rows(o, "hosts.csv") > 0 && file_rows(o, "claims_by_host.csv") == 9,
	   "and -o gets hosts.csv and claims_by_host.csv");

	util_strfmt(path, sizeof(path), "rm -rf %s", tmp);
	if (system(path))
		diag("cannot remove %s", tmp);
	return done_testing();
}
