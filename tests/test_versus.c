/* test_versus.c - the paired thread/process estimate of versus.csv on
 * fixture folders: drift that cancels inside pairs, values without a
 * twin, a cell run twice, disturbed trials left out and counted, and a
 * folder from before ptbench measured noise. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dataset.h"
#include "e2e.h"
#include "fixture.h"
#include "report.h"

/* Analyses dir, then reads `file` into t. */
static int analysed(const char *dir, const char *file, struct table *t)
{
	char err[256], path[PATH_MAX];

	if (report_dir(dir, -1, err, sizeof(err)) < 0) {
		diag("report_dir: %s", err);
		return -1;
	}
	util_strfmt(path, sizeof(path), "%s/%s", dir, file);
	return table_read(path, t);
}

/* The row of a workload's metric at n workers (mode: summary.csv's
 * column, NULL for versus.csv), or -1. */
static int find(const struct table *t, const char *wl, int n, const char *mode,
		const char *metric)
{
	for (int r = 0; r < t->nrows; r++)
		if (!strcmp(cell(t, r, "workload"), wl) && num(t, r, "workers") == n &&
		    !strcmp(cell(t, r, "metric"), metric) &&
		    (!mode || !strcmp(cell(t, r, "mode"), mode)))
			return r;
	return -1;
}

/* One repetition of a cell: the process trial, then the thread trial
 * (the order a run alternates does not matter to the pairing). */
static void rep2(struct fx *f, const char *wl, const char *params, int n, int rep,
		 const char *pcols, const char *tcols, double scale)
{
	fx_trial(f, wl, params, "process", n, rep, 0, pcols, NULL, scale);
	fx_trial(f, wl, params, "thread", n, rep, 0, tcols, NULL, scale);
}

/* The machine slows down 40% over a run, alike in both modes: each pair's
 * ratio stays 1 (+-0.3%), while the medians of each mode, resampled apart,
 * wander with the drift. */
static void drift(void)
{
	struct table t;
	struct fx f;
	int r;

	fx_open(&f);
	for (int k = 0; k < 10; k++) {
		double g = 1 + 0.4 * k / 9, wob = k % 2 ? 1.003 : 0.997;
		char p[128], th[128];

		for (int n = 1; n <= 2; n++) {
			util_strfmt(p, sizeof(p), "wall_s=%g;ops_per_s=%g", 0.1 * g / n, 1e9 * n / g);
			util_strfmt(th, sizeof(th), "wall_s=%g;ops_per_s=%g", 0.1 * g * wob / n,
			       1e9 * n / (g * wob));
			rep2(&f, "cpu", "total=1", n, k + 1, p, th, 1);
		}
	}
	fx_close(&f);
	if (analysed(f.dir, "versus.csv", &t) < 0 || (r = find(&t, "cpu", 2, NULL, "wall_s")) < 0) {
		ok(0, "drift: versus.csv has cpu's wall_s");
		rmtree(f.dir);
		return;
	}
	ok(num(&t, r, "pairs") == 10 && fabs(num(&t, r, "thread_over_process") - 1) < 0.004,
	   "drift: 10 pairs, paired ratio %g", num(&t, r, "thread_over_process"));
	ok(num(&t, r, "ci95_lo") > 0.99 && num(&t, r, "ci95_hi") < 1.01 &&
	   num(&t, r, "half_width") < 0.01 && !strcmp(cell(&t, r, "winner"), "same"),
	   "drift: the paired interval is tight around 1 [%g, %g], half-width %g: same",
	   num(&t, r, "ci95_lo"), num(&t, r, "ci95_hi"), num(&t, r, "half_width"));
	ok(num(&t, r, "unpaired_ci95_lo") < 0.9 && num(&t, r, "unpaired_ci95_hi") > 1.1,
	   "drift: the unpaired interval is wide [%g, %g]", num(&t, r, "unpaired_ci95_lo"),
	   num(&t, r, "unpaired_ci95_hi"));
	ok(!*cell(&t, r, "dropped_noisy") && !*cell(&t, r, "stopped"),
	   "drift: no quiet column, no dropped count; stopped empty");
	r = find(&t, "cpu", 2, NULL, "speedup");
	ok(r >= 0 && num(&t, r, "pairs") == 10 && num(&t, r, "ci95_lo") > 0.99 &&
	   num(&t, r, "ci95_hi") < 1.01 && num(&t, r, "unpaired_ci95_hi") - num(&t, r, "unpaired_ci95_lo") > 0.1,
	   "drift: speedup pairs per repetition too: [%g, %g] against unpaired [%g, %g]",
	   num(&t, r, "ci95_lo"), num(&t, r, "ci95_hi"), num(&t, r, "unpaired_ci95_lo"),
	   num(&t, r, "unpaired_ci95_hi"));
	table_free(&t);
	rmtree(f.dir);
}

/* A value without a twin counts in its mode's median, not in the pairs;
 * a cell run twice (two rows of a suite) pairs run with run. */
static void unpaired(void)
{
	struct table t, s;
	struct fx f;
	int r;

	fx_open(&f);
	/* spawn: rep 3's thread trial is missing; its process trial is an
	 * outlier that must not reach the paired ratio. */
	for (int k = 1; k <= 5; k++) {
		fx_trial(&f, "spawn", "heap=0", "process", 2, k, 0, "spawn_s=0.001", NULL,
			 k == 3 ? 10 : 1 + 0.01 * k);
		if (k != 3)
			fx_trial(&f, "spawn", "heap=0", "thread", 2, k, 0, "spawn_s=0.0005", NULL,
				 1 + 0.01 * k);
	}
	/* pingpong twice, the second time twice as slow: repetitions 1..3
	 * each time. Pairs across the runs would give 0.25 and 1. */
	for (int run = 1; run <= 2; run++)
		for (int k = 1; k <= 3; k++)
			fx_trial(&f, "pingpong", "rounds=1", "process", 2, k, 0, "wall_s=1", NULL, run);
	for (int run = 1; run <= 2; run++)
		for (int k = 1; k <= 3; k++)
			fx_trial(&f, "pingpong", "rounds=1", "thread", 2, k, 0, "wall_s=0.5", NULL, run);
	fx_close(&f);
	if (analysed(f.dir, "versus.csv", &t) < 0) {
		ok(0, "leftovers: versus.csv");
		rmtree(f.dir);
		return;
	}
	r = find(&t, "spawn", 2, NULL, "spawn_s");
	ok(r >= 0 && num(&t, r, "pairs") == 4 && num(&t, r, "n_process") == 5 &&
	   num(&t, r, "n_thread") == 4, "leftovers: 4 pairs of 5 process and 4 thread values");
	ok(r >= 0 && fabs(num(&t, r, "thread_over_process") - 0.5) < 1e-6 &&
	   num(&t, r, "ci95_hi") - num(&t, r, "ci95_lo") < 1e-6,
	   "leftovers: the unpaired outlier stays out of the paired ratio (%g)",
	   num(&t, r, "thread_over_process"));
	r = find(&t, "pingpong", 2, NULL, "wall_s");
	ok(r >= 0 && num(&t, r, "pairs") == 6 && fabs(num(&t, r, "thread_over_process") - 0.5) < 1e-6 &&
	   num(&t, r, "ci95_lo") == num(&t, r, "ci95_hi"),
	   "a cell run twice pairs each run's repetitions with its own (%g, %g pairs)",
	   num(&t, r, "thread_over_process"), num(&t, r, "pairs"));
	table_free(&t);
	if (analysed(f.dir, "summary.csv", &s) == 0) {
		r = find(&s, "spawn", 2, "process", "spawn_s");
		ok(r >= 0 && num(&s, r, "n") == 5 && num(&s, r, "max") > 0.005,
		   "leftovers: the process summary keeps every value (n %g)", num(&s, r, "n"));
		table_free(&s);
	}
	rmtree(f.dir);
}

/* quiet=0: out of every estimate, counted as dropped; metrics too. */
static void noisy(void)
{
	char line[256];
	struct table t, s;
	struct noise nz;
	struct fx f;
	int r;

	fx_open(&f);
	for (int k = 1; k <= 5; k++) {
		int pq = k != 2, tq = k != 4;     /* process rep 2 and thread rep 4 disturbed */
		char p[160], th[160];

		util_strfmt(p, sizeof(p), "roundtrip_us=%g", pq ? 10.0 : 1000.0);
		util_strfmt(th, sizeof(th), "roundtrip_us=%g", tq ? 5.0 : 500.0);
		fx_trial(&f, "pingpong", "rounds=1", "process", 2, k, 0,
			 util_strfmt(line, sizeof(line), "wall_s=%g;quiet=%d;steal_s=0.1;foreign_cpu_s=0.25",
				pq ? 1.0 : 100.0, pq), p, 1);
		fx_trial(&f, "pingpong", "rounds=1", "thread", 2, k, 0,
			 util_strfmt(line, sizeof(line), "wall_s=%g;quiet=%d;steal_s=0.1;foreign_cpu_s=0.25",
				tq ? 0.5 : 50.0, tq), th, 1);
	}
	fx_close(&f);
	if (analysed(f.dir, "versus.csv", &t) < 0) {
		ok(0, "noisy: versus.csv");
		rmtree(f.dir);
		return;
	}
	for (int m = 0; m < 2; m++) {
		const char *metric = m ? "roundtrip_us" : "wall_s";

		r = find(&t, "pingpong", 2, NULL, metric);
		ok(r >= 0 && num(&t, r, "n_process") == 4 && num(&t, r, "n_thread") == 4 &&
		   num(&t, r, "pairs") == 3 && num(&t, r, "dropped_noisy") == 2 &&
		   num(&t, r, "thread_over_process") == 0.5 && num(&t, r, "process") < 2 * (m ? 10 : 1),
		   "noisy %s: 4+4 values, 3 pairs, 2 dropped, ratio 0.5 untouched by the outliers", metric);
	}
	table_free(&t);
	if (analysed(f.dir, "claims.csv", &s) == 0) {
		r = -1;
		for (int i = 0; i < s.nrows; i++)
			if (!strcmp(cell(&s, i, "claim"), "faster_runtime"))
				r = i;
		ok(r >= 0 && strstr(cell(&s, r, "evidence"), "Noise: 2 of 10 trials of pingpong dropped as disturbed"),
		   "noisy: the claim's evidence counts the dropped trials");
		table_free(&s);
	}
	ok(dataset_noise_read(f.dir, &nz) == 0 && nz.trials == 10 && nz.measured == 10 && nz.disturbed == 2 &&
	   fabs(nz.steal_s - 1) < 1e-9 && fabs(nz.foreign_cpu_s - 2.5) < 1e-9,
	   "noise tally: 2 of 10 disturbed, steal 1 s, foreign CPU 2.5 s");
	dataset_noise_line(&nz, line, sizeof(line));
	ok(!strcmp(line, "noise: 2 of 10 trials disturbed (left out of the estimates): steal 1 s, foreign CPU 2.5 s, workers waiting to run 0 s; see ptbench check"),
	   "noise line: %s", line);
	{
		char *text = NULL, *last;
		size_t len = 0;
		FILE *mf = open_memstream(&text, &len);

		report_print(f.dir, mf);
		fclose(mf);
		while (len && text[len - 1] == '\n')
			text[--len] = '\0';
		last = strrchr(text, '\n');
		ok(last && !strcmp(last + 1, line), "the terminal table ends with the noise line");
		free(text);
	}
	rmtree(f.dir);
}

/* A folder from before the noise columns: read as before. */
static void old_folder(void)
{
	char line[256];
	struct table t, s;
	struct noise nz;
	struct fx f;
	int r;

	fx_open_cols(&f, TR_WAIT_S);
	for (int k = 1; k <= 3; k++)
		rep2(&f, "spawn", "heap=0", 2, k, "spawn_s=0.001;join_s=0.0004",
		     "spawn_s=0.0002;join_s=0.0001", 1 + 0.01 * k);
	fx_close(&f);
	ok(analysed(f.dir, "versus.csv", &t) == 0, "old folder: analysed");
	r = find(&t, "spawn", 2, NULL, "spawn_s");
	ok(r >= 0 && num(&t, r, "pairs") == 3 && !strcmp(cell(&t, r, "winner"), "thread") &&
	   !*cell(&t, r, "dropped_noisy"),
	   "old folder: 3 pairs, thread wins, dropped_noisy empty");
	table_free(&t);
	if (analysed(f.dir, "claims.csv", &s) == 0) {
		ok(!strcmp(cell(&s, 0, "verdict"), "supported") &&
		   strstr(cell(&s, 0, "evidence"), "Noise: not measured"),
		   "old folder: faster_runtime supported, its noise not measured");
		table_free(&s);
	}
	ok(dataset_noise_read(f.dir, &nz) == 0 && nz.trials == 6 && nz.measured == 0,
	   "old folder: 6 trials, none with a quiet value");
	ok(!strcmp(dataset_noise_line(&nz, line, sizeof(line)),
		   "noise: not measured (a folder from before ptbench measured it)"),
	   "old folder: %s", line);
	rmtree(f.dir);
}

/* The row of modes.csv of a metric and mode (cpu n=2 of the fixture). */
static int mode_row(const struct table *t, const char *metric, const char *mode)
{
	for (int r = 0; r < t->nrows; r++)
		if (!strcmp(cell(t, r, "metric"), metric) && !strcmp(cell(t, r, "mode"), mode))
			return r;
	return -1;
}

/* modes.csv, cell by cell: each mode's paired ratio to process, its
 * interval's side and the verdict naming the mode; thread rows as
 * versus.csv has them; a folder of two modes has thread rows only, and
 * the same versus.csv with the other modes added. */
static void modes_csv(void)
{
	static const struct {
		const char *metric, *mode;
		double ratio;           /* NaN: only the verdict is checked */
		int side;               /* -1 CI below 1, +1 above, 0 across */
		const char *verdict;
	} want[] = {
		{ "spawn_s", "thread", 0.5, -1, "thread" },
		{ "spawn_s", "shared", 0.2, -1, "shared" },
		{ "spawn_s", "exec", 3, 1, "process" },
		{ "wall_s", "thread", 1, 0, "same" },
		{ "wall_s", "shared", NAN, 0, "inconclusive" },
		{ "wall_s", "exec", 1, 0, "same" },
		{ "nvcsw", "thread", 2, 1, "thread_higher" },
		{ "nvcsw", "shared", 1, 0, "same" },
		{ "nvcsw", "exec", 0.5, -1, "exec_lower" },
	};
	struct table t, v, v2;
	struct fx f, two;
	static char a[1 << 16], b[1 << 16];
	char path[PATH_MAX];
	long na, nb;

	fx_open(&f);
	fx_open(&two);
	for (int k = 0; k < 6; k++) {
		char shared[128];
		const char *cols[4] = { "spawn_s=0.001;wall_s=0.01;nvcsw=50",
					"spawn_s=0.0005;wall_s=0.01;nvcsw=100", shared,
					"spawn_s=0.003;wall_s=0.01;nvcsw=25" };

		/* shared's wall_s swings 10% either way: an interval across the band */
		util_strfmt(shared, sizeof(shared), "spawn_s=0.0002;wall_s=%g;nvcsw=50", k % 2 ? 0.011 : 0.009);
		for (int m = 0; m < 4; m++)
			fx_trial(&f, "spawn", "heap=0", (const char *[]){ "process", "thread", "shared", "exec" }[m],
				 2, k + 1, 0, cols[m], NULL, 1);
		rep2(&two, "spawn", "heap=0", 2, k + 1, cols[0], cols[1], 1);
	}
	fx_close(&f);
	fx_close(&two);
	if (analysed(f.dir, "modes.csv", &t) < 0 || analysed(f.dir, "versus.csv", &v) < 0) {
		ok(0, "modes: modes.csv and versus.csv written");
		goto out;
	}
	ok(!strcmp(t.head[0], "workload") && t.ncols == 17, "modes: modes.csv has its 17 columns");
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		int r = mode_row(&t, want[i].metric, want[i].mode);
		double x = r < 0 ? NAN : num(&t, r, "mode_over_process"), lo = r < 0 ? NAN : num(&t, r, "ci95_lo"),
		       hi = r < 0 ? NAN : num(&t, r, "ci95_hi");
		int side = lo > 1 ? 1 : hi < 1 ? -1 : 0;

		ok(r >= 0 && (isnan(want[i].ratio) || fabs(x / want[i].ratio - 1) < 0.001) &&
		   side == want[i].side && !strcmp(cell(&t, r, "verdict"), want[i].verdict) &&
		   num(&t, r, "pairs") == 6 && num(&t, r, "n_process") == 6 && num(&t, r, "n_mode") == 6,
		   "modes: %s %s: ratio %g [%g, %g], verdict '%s' (want %g, %s)", want[i].metric,
		   want[i].mode, x, lo, hi, r < 0 ? "(no row)" : cell(&t, r, "verdict"), want[i].ratio,
		   want[i].verdict);
	}
	{
		int same = 1, rows = 0;

		for (int r = 0; r < t.nrows; r++) {
			int q = strcmp(cell(&t, r, "mode"), "thread") ? -1
				: find(&v, cell(&t, r, "workload"), (int)num(&t, r, "workers"), NULL,
				       cell(&t, r, "metric"));

			if (q < 0)
				continue;
			rows++;
			same &= !strcmp(cell(&t, r, "mode_over_process"), cell(&v, q, "thread_over_process")) &&
				!strcmp(cell(&t, r, "ci95_lo"), cell(&v, q, "ci95_lo")) &&
				!strcmp(cell(&t, r, "ci95_hi"), cell(&v, q, "ci95_hi")) &&
				!strcmp(cell(&t, r, "verdict"), cell(&v, q, "winner")) &&
				!strcmp(cell(&t, r, "median"), cell(&v, q, "thread"));
		}
		ok(same && rows == v.nrows, "modes: every thread row is its versus.csv row's (%d of %d)",
		   rows, v.nrows);
	}
	table_free(&t);
	table_free(&v);
	if (analysed(two.dir, "modes.csv", &t) == 0 && analysed(two.dir, "versus.csv", &v2) == 0) {
		int threads = 1;

		for (int r = 0; r < t.nrows; r++)
			threads &= !strcmp(cell(&t, r, "mode"), "thread");
		ok(threads && t.nrows == v2.nrows, "modes: two modes, thread rows only (%d)", t.nrows);
		table_free(&t);
		table_free(&v2);
	}
	util_strfmt(path, sizeof(path), "%s/versus.csv", f.dir);
	na = util_read_file(path, a, sizeof(a));
	util_strfmt(path, sizeof(path), "%s/versus.csv", two.dir);
	nb = util_read_file(path, b, sizeof(b));
	ok(na > 0 && na == nb && !memcmp(a, b, (size_t)na),
	   "modes: shared and exec trials leave versus.csv byte for byte as it was (%ld, %ld bytes)", na, nb);
out:
	rmtree(f.dir);
	rmtree(two.dir);
}

int main(void)
{
	drift();
	modes_csv();
	unpaired();
	noisy();
	old_folder();
	return done_testing();
}
