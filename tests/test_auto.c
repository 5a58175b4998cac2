/* test_auto.c - -r auto: the stopping rule (table-driven), what a trial
 * gives it, the estimate against the one versus.csv computes, every
 * workload's deciding metric; then ptbench itself stopping a cell for
 * precision and for budget, a suite mixing auto and fixed rows, a
 * one-mode cell, and cells.csv against trials.csv and versus.csv. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "adapt.h"
#include "e2e.h"

static void rule_table(void)
{
	static const struct {
		int reps, pairs;
		double elapsed, hw;
		enum adapt_stop want;
		const char *why;
	} cases[] = {
		{ 0, 0, 0, NAN, ADAPT_GO, "nothing yet" },
		{ 2, 2, 0.1, 0.01, ADAPT_GO, "precise but under 3 pairs" },
		{ 3, 3, 0.1, 0.02, ADAPT_PRECISION, "3 pairs, under the precision" },
		{ 3, 3, 0.1, 0.03, ADAPT_PRECISION, "at the precision exactly" },
		{ 3, 3, 0.1, 0.031, ADAPT_GO, "just over the precision" },
		{ 3, 3, 0.1, NAN, ADAPT_GO, "no interval" },
		{ 9, 9, 20, 0.05, ADAPT_BUDGET, "the budget spent" },
		{ 9, 9, 19.9, 0.05, ADAPT_GO, "the budget nearly spent" },
		{ 2, 2, 25, 0.05, ADAPT_GO, "the budget spent under 3 pairs" },
		{ 9, 9, 25, 0.01, ADAPT_PRECISION, "precise and over budget: precision" },
		{ 1000, 900, 1, 0.05, ADAPT_MAX_REPS, "max_reps pairs run" },
		{ 1000, 2, 1, 0.01, ADAPT_MAX_REPS, "max_reps with 2 usable pairs" },
		{ 999, 900, 1, 0.05, ADAPT_GO, "one under max_reps" },
		{ 5, 0, 1, NAN, ADAPT_UNUSABLE, "5 unusable, none usable" },
		{ 4, 0, 1, NAN, ADAPT_GO, "4 unusable, none usable" },
		{ 13, 4, 1, 0.05, ADAPT_UNUSABLE, "9 unusable beside 4 usable" },
		{ 12, 4, 1, 0.05, ADAPT_GO, "8 unusable beside 4 usable" },
	};
	const struct adapt_rule rule = { 0.03, 20, 1000 };

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct adapt_state s = { cases[i].reps, cases[i].pairs, cases[i].elapsed, cases[i].hw };
		enum adapt_stop got = adapt_decide(&s, &rule);

		ok(got == cases[i].want, "rule: %s -> %s (got %s)", cases[i].why,
		   *adapt_stop_names[cases[i].want] ? adapt_stop_names[cases[i].want] : "go on",
		   *adapt_stop_names[got] ? adapt_stop_names[got] : "go on");
	}
}

/* A finished trial: wall_s 1, spawn_s 0.5, join_s 0.25, PSS 100 KiB and
 * 4 KiB of page tables, roundtrip_us 5 for worker 0 and 7 for the trial. */
static struct metric_value mv[2] = {
	{ 0, "roundtrip_us", "us", 5 }, { -1, "roundtrip_us", "us", 7 },
};

static struct trial_result a_trial(void)
{
	struct trial_result r = { 0 };

	r.status = TS_OK;
	r.expected = 1;
	r.wall_s = 1;
	r.spawn_s = 0.5;
	r.join_s = 0.25;
	r.has_mem = 1;
	r.mem.pss_kib = 100;
	r.mem.pte_kib = 4;
	r.nmetrics = 2;
	r.metrics = mv;
	r.quiet = -1;
	return r;
}

static void values(void)
{
	struct trial_result r = a_trial();
	struct adapt_cell c;

	ok(adapt_value("wall_s", &r) == 1 && adapt_value("spawn_s", &r) == 0.5 &&
	   adapt_value("join_s", &r) == 0.25, "value: wall_s, spawn_s, join_s of the trial");
	ok(adapt_value("pss_pte_kib", &r) == 104, "value: pss_pte_kib = PSS + page tables");
	ok(adapt_value("roundtrip_us", &r) == 7, "value: a workload metric's trial row, not a worker's");
	ok(isnan(adapt_value("gbps", &r)), "value: NaN for a metric the trial lacks");
	r.has_mem = 0;
	ok(isnan(adapt_value("pss_pte_kib", &r)), "value: NaN for memory not measured");

	adapt_begin(&c, workload_find("cpu"), "total=1", 1, "core", 3, 0);
	r = a_trial();
	ok(adapt_observe(&c, &r).usable && adapt_observe(&c, &r).value == 1,
	   "observe: cpu watches wall_s; a trial not judged (quiet -1) is usable");
	r.quiet = 1;
	ok(adapt_observe(&c, &r).usable, "observe: a quiet trial is usable");
	r.quiet = 0;
	ok(!adapt_observe(&c, &r).usable, "observe: a disturbed trial is not");
	c.keep_noisy = 1;
	ok(adapt_observe(&c, &r).usable, "observe: it is with --keep-noisy");
	c.keep_noisy = 0;
	r = a_trial();
	r.expected = 0;
	ok(!adapt_observe(&c, &r).usable, "observe: a trial not as expected is not");
	r = a_trial();
	r.wall_s = NAN;
	ok(!adapt_observe(&c, &r).usable, "observe: a trial without the value is not");
	adapt_free(&c);
}

/* Pairs: thread 1.0 + i/100, process 1; every third pair unusable. */
static void estimate(void)
{
	double num[80], den[80], ratio, lo, hi;
	struct adapt_cell c;
	size_t n = 0;

	adapt_begin(&c, workload_find("pingpong"), "rounds=10", 2, "same", 3, 0);
	ok(!strcmp(c.metric, "roundtrip_us") && c.paired, "pingpong watches roundtrip_us, paired");
	for (int i = 0; i < 120; i++) {
		struct adapt_obs obs[MODE_N] = {
			[MODE_PROCESS] = { 1, 1 }, [MODE_THREAD] = { i % 3 != 2, 1 + (i % 11) / 100.0 },
		};

		if (adapt_add(&c, obs) < 0 || adapt_update(&c, 0) < 0)
			break;
		if (obs[MODE_THREAD].usable && n < ARRAY_SIZE(num)) {
			num[n] = obs[MODE_THREAD].value;
			den[n++] = 1;
		}
	}
	ok(c.st.reps == 120 && c.st.pairs == 80, "120 pairs run, 80 usable (%d, %d)", c.st.reps,
	   c.st.pairs);
	/* After every pair up to 50, then at 55, 61, 68, 75 (a tenth more). */
	ok(c.at == 75, "the interval was last recomputed at 75 pairs (%d)", c.at);
	adapt_update(&c, 1);
	stats_paired_ratio(num, den, n, dataset_cell_seed("pingpong", "rounds=10", 2, "same", "roundtrip_us") ^
			   PAIRED_SEED, &ratio, &lo, &hi);
	ok(c.at == 80 && c.estimate == ratio && c.st.half_width == stats_half_width(ratio, lo, hi),
	   "forced: the paired ratio and half-width versus.csv computes (%g, %g)", c.estimate,
	   c.st.half_width);
	adapt_free(&c);

	adapt_begin(&c, workload_find("cpu"), "total=1", 1, "core", 1u << MODE_THREAD, 0);
	for (int i = 0; i < 5; i++) {
		struct adapt_obs obs[MODE_N] = { [MODE_THREAD] = { 1, 10 + i } };

		adapt_add(&c, obs);
	}
	adapt_update(&c, 1);
	ok(!c.paired && c.only == MODE_THREAD && c.st.pairs == 5 && c.estimate == 12 &&
	   c.st.half_width > 0, "one mode: the median of its values (%g), with a half-width",
	   c.estimate);
	adapt_free(&c);
}

/* Four modes: a pair is usable when every mode's trial is; the estimate
 * is thread's ratio, the half-width the widest of the three ratios'. */
static void estimate_modes(void)
{
	double v[MODE_N][40], one[40], r, lo, hi, hw[MODE_N] = { 0 };
	struct adapt_cell c;
	size_t n = 0;

	adapt_begin(&c, workload_find("pingpong"), "rounds=10", 2, "same", (1u << MODE_N) - 1, 0);
	ok(c.paired, "four modes: paired");
	for (int i = 0; i < 30; i++) {
		struct adapt_obs obs[MODE_N] = {
			[MODE_PROCESS] = { 1, 1 }, [MODE_THREAD] = { 1, 0.5 + (i % 3) / 1000.0 },
			/* shared spreads widely: it decides the half-width */
			[MODE_SHARED] = { 1, 1 + (i % 7) / 10.0 }, [MODE_EXEC] = { i % 5 != 4, 2 },
		};

		adapt_add(&c, obs);
		for (int m = 0; m < MODE_N && obs[MODE_EXEC].usable; m++)
			v[m][n] = obs[m].value;
		n += obs[MODE_EXEC].usable;
	}
	adapt_update(&c, 1);
	for (size_t i = 0; i < n; i++)
		one[i] = 1;
	for (int m = MODE_THREAD; m < MODE_N; m++) {
		stats_paired_ratio(v[m], one, n, c.seed, &r, &lo, &hi);
		hw[m] = stats_half_width(r, lo, hi);
		if (m == MODE_THREAD)
			ok(c.estimate == r, "four modes: the estimate is thread's ratio (%g, %g)", c.estimate, r);
	}
	ok(c.st.reps == 30 && c.st.pairs == 24, "an exec trial unusable: its pair is (%d of %d)",
	   c.st.pairs, c.st.reps);
	ok(c.st.half_width == hw[MODE_SHARED] && hw[MODE_SHARED] > hw[MODE_THREAD] &&
	   hw[MODE_SHARED] > hw[MODE_EXEC],
	   "four modes: the half-width is the widest, shared's (%g; thread %g, exec %g)",
	   c.st.half_width, hw[MODE_THREAD], hw[MODE_EXEC]);
	adapt_free(&c);

	adapt_begin(&c, workload_find("pingpong"), "rounds=10", 2, "same",
		    (1u << MODE_PROCESS) | (1u << MODE_EXEC), 0);
	for (int i = 0; i < 5; i++) {
		struct adapt_obs obs[MODE_N] = { [MODE_PROCESS] = { 1, 1 }, [MODE_EXEC] = { 1, 2 } };

		adapt_add(&c, obs);
	}
	adapt_update(&c, 1);
	ok(c.paired && c.estimate == 2 && c.st.half_width == 0,
	   "process and exec: the exec/process ratio (%g, half-width %g)", c.estimate, c.st.half_width);
	adapt_free(&c);

	adapt_begin(&c, workload_find("cpu"), "total=1", 1, "core", 1u << MODE_SHARED, 0);
	ok(!c.paired && c.only == MODE_SHARED, "shared alone: one mode, shared's median");
	adapt_free(&c);
}

/* Every workload watches a metric it reports, which adapt_value reads. */
static void deciders(void)
{
	for (const struct workload *const *w = workloads; *w; w++) {
		const char *m = (*w)->decides ? (*w)->decides : "wall_s";
		struct trial_result r = a_trial();
		struct metric_value own = { -1, "", "", 3 };
		int mine = 0;

		for (const struct metric *x = (*w)->metrics; x && x->name; x++)
			mine |= !strcmp(x->name, m);
		if (mine) {
			util_strfmt(own.name, sizeof(own.name), "%s", m);
			r.metrics = &own;
			r.nmetrics = 1;
		}
		ok(dataset_metric_find((*w)->name, m) && !isnan(adapt_value(m, &r)),
		   "%s decides on %s, a metric it has", (*w)->name, m);
	}
}

/* The single cells.csv row of dir, checked against the schema. */
static int cells_row(const char *dir, struct table *t)
{
	if (read_checked(dir, "cells.csv", cells_cols, CE_N, t) < 0)
		return -1;
	if (!ok(t->nrows >= 1, "cells.csv has a row per cell (%d)", t->nrows))
		return -1;
	return 0;
}

/* Counted untraced trials of dir in mode. */
static int counted(const char *dir, const char *mode)
{
	char path[PATH_MAX];
	struct table t;
	int n = 0;

	if (table_read(util_strfmt(path, sizeof(path), "%s/trials.csv", dir), &t) < 0)
		return -1;
	for (int r = 0; r < t.nrows; r++)
		n += !strcmp(cell(&t, r, "mode"), mode) && num(&t, r, "warmup") == 0 &&
		     num(&t, r, "traced") == 0;
	table_free(&t);
	return n;
}

/* The machine may disturb so many trials that a cell gives up: then
 * cells.csv must say so with numbers that show it. Returns 1 when the
 * cell stopped as `want`, 0 when it gave up for noise (said), -1 else. */
static int stopped_as(const struct table *t, int r, const char *want)
{
	const char *got = cell(t, r, "stopped");

	if (!strcmp(got, want))
		return 1;
	if (!strcmp(got, "unusable") &&
	    num(t, r, "unusable") >= ADAPT_SLACK + num(t, r, "pairs")) {
		diag("the machine disturbed %g pairs: stopped for unusable", num(t, r, "unusable"));
		return 0;
	}
	diag("stopped '%s', pairs %s, half_width %s", got, cell(t, r, "pairs"),
	     cell(t, r, "half_width"));
	return -1;
}

/* versus.csv's wall_s row of dir agrees with cells.csv's row r. */
static void versus_agrees(const char *dir, const struct table *cells, int r)
{
	char path[PATH_MAX];
	struct table v;
	int found = 0;

	if (table_read(util_strfmt(path, sizeof(path), "%s/versus.csv", dir), &v) < 0) {
		ok(0, "versus.csv reads");
		return;
	}
	for (int i = 0; i < v.nrows; i++) {
		double a = num(&v, i, "half_width"), b = num(cells, r, "half_width");

		if (strcmp(cell(&v, i, "metric"), "wall_s"))
			continue;
		found = 1;
		ok(!strcmp(cell(&v, i, "stopped"), cell(cells, r, "stopped")) &&
		   num(&v, i, "pairs") == num(cells, r, "pairs") && fabs(a - b) <= 1e-5 * b,
		   "versus.csv wall_s: stopped %s, %s pairs, half_width %s as cells.csv",
		   cell(&v, i, "stopped"), cell(&v, i, "pairs"), cell(&v, i, "half_width"));
	}
	ok(found, "versus.csv has a wall_s row");
	table_free(&v);
}

static void run_precision(const char *exe, const char *tmp)
{
	const char *extra[] = { "cpu", "-n", "1", "-r", "auto", "--budget", "2", "--precision",
				"0.5", "-P", "total=1000000", NULL };
	char out[PATH_MAX], buf[64];
	struct table t;
	int rc = run_ptbench(exe, tmp, "precision", out, sizeof(out), -1, extra), s;

	ok(rc == 0, "run -r auto --precision 0.5 exits 0 (%d)", rc);
	ok(!strcmp(meta(out, "reps", buf, sizeof(buf)), "auto") &&
	   !strcmp(meta(out, "precision", buf, sizeof(buf)), "0.5") &&
	   !strcmp(meta(out, "budget_s", buf, sizeof(buf)), "2"),
	   "meta.csv: reps auto, precision 0.5, budget_s 2");
	if (cells_row(out, &t) < 0)
		return;
	s = stopped_as(&t, 0, "precision");
	ok(s >= 0, "stopped for precision (%s)", cell(&t, 0, "stopped"));
	if (s > 0)
		ok(num(&t, 0, "pairs") >= 3 && num(&t, 0, "half_width") <= 0.5 &&
		   !strcmp(cell(&t, 0, "reps"), "auto") && !strcmp(cell(&t, 0, "metric"), "wall_s"),
		   "after %s pairs (at least 3), half_width %s <= 0.5", cell(&t, 0, "pairs"),
		   cell(&t, 0, "half_width"));
	ok(counted(out, "process") == num(&t, 0, "pairs") + num(&t, 0, "unusable") &&
	   counted(out, "thread") == counted(out, "process"),
	   "trials.csv: a counted trial a mode for each pair run (%d)", counted(out, "process"));
	versus_agrees(out, &t, 0);
	/* Re-analysis reads the reason back from the folder alone. */
	{
		char *args[] = { (char *)exe, "analyze", out, NULL }, path[PATH_MAX];

		unlink(util_strfmt(path, sizeof(path), "%s/versus.csv", out));
		ok(run_cmd(args, tmp) == 0, "ptbench analyze rebuilds the folder");
		versus_agrees(out, &t, 0);
	}
	table_free(&t);
}

static void run_budget(const char *exe, const char *tmp)
{
	const char *extra[] = { "cpu", "-n", "1", "-r", "auto", "--budget", "1", "--precision",
				"0.0001", "-P", "total=1000000", "--bursts", "off", NULL };
	char out[PATH_MAX];
	struct table t;
	int rc = run_ptbench(exe, tmp, "budget", out, sizeof(out), -1, extra), s;

	ok(rc == 0, "run -r auto --budget 1 exits 0 (%d)", rc);
	if (cells_row(out, &t) < 0)
		return;
	s = stopped_as(&t, 0, "budget");
	ok(s >= 0, "stopped for budget (%s)", cell(&t, 0, "stopped"));
	if (s > 0)
		ok(num(&t, 0, "elapsed_s") >= 1 && num(&t, 0, "pairs") >= 3 &&
		   num(&t, 0, "half_width") > 0.0001,
		   "after %s s and %s pairs, half_width %s", cell(&t, 0, "elapsed_s"),
		   cell(&t, 0, "pairs"), cell(&t, 0, "half_width"));
	versus_agrees(out, &t, 0);
	table_free(&t);
}

/* A suite with an auto row, a fixed row and a one-mode auto row, each
 * auto row with its own precision and budget. */
static void run_suite(const char *exe, const char *tmp)
{
	char suite[PATH_MAX], out[PATH_MAX];
	char *args[] = { (char *)exe, "suite", suite, "--warmup", "0", "--bursts", "off",
			 "-o", out, "-q", NULL };
	struct table t;
	FILE *f;
	int rc;

	util_strfmt(suite, sizeof(suite), "%s/auto.csv", tmp);
	util_strfmt(out, sizeof(out), "%s/suite", tmp);
	f = fopen(suite, "w");
	if (!f)
		return;
	fputs("workload,modes,workers,reps,pin,params,precision,budget\n"
	      "cpu,\"process,thread\",1,auto,core,total=1000000,0.5,2\n"
	      "cpu,\"process,thread\",1,2,core,total=2000000,,\n"
	      "cpu,thread,1,auto,core,total=3000000,0.4,1.5\n", f);
	fclose(f);
	rc = run_cmd(args, tmp);
	ok(rc == 0, "suite with reps auto exits 0 (%d)", rc);
	if (cells_row(out, &t) < 0)
		return;
	ok(t.nrows == 3, "cells.csv: 3 rows (%d)", t.nrows);
	if (t.nrows == 3) {
		ok(!strcmp(cell(&t, 0, "reps"), "auto") && stopped_as(&t, 0, "precision") >= 0 &&
		   num(&t, 0, "precision") == 0.5 && num(&t, 0, "budget_s") == 2,
		   "row 1: auto, precision 0.5, budget_s 2, stopped %s", cell(&t, 0, "stopped"));
		ok(!strcmp(cell(&t, 1, "reps"), "2") && !*cell(&t, 1, "stopped") &&
		   num(&t, 1, "pairs") + num(&t, 1, "unusable") == 2 &&
		   !strcmp(cell(&t, 1, "params"), "total=2000000") &&
		   !*cell(&t, 1, "precision") && !*cell(&t, 1, "budget_s"),
		   "row 2: 2 reps, 2 pairs run; stopped, precision, budget_s empty");
		ok(!strcmp(cell(&t, 2, "reps"), "auto") && stopped_as(&t, 2, "precision") >= 0 &&
		   num(&t, 2, "estimate") > 0 && num(&t, 2, "precision") == 0.4 &&
		   num(&t, 2, "budget_s") == 1.5,
		   "row 3: one mode, auto, precision 0.4, budget_s 1.5, stopped %s, its median %s s",
		   cell(&t, 2, "stopped"), cell(&t, 2, "estimate"));
	}
	table_free(&t);
}

/* SIGINT while a cell repeats: its row says interrupted. (Disturbed
 * trials count, so that nothing but the signal can end it soon.) */
static void run_interrupted(const char *exe, const char *tmp)
{
	char out[PATH_MAX], path[PATH_MAX];
	char *args[] = { (char *)exe, "run", "cpu", "-n", "1", "-r", "auto", "--budget", "600",
			 "--precision", "0.0001", "--warmup", "0", "-P", "total=20000000",
			 "--keep-noisy", "-o", out, "-q", NULL };
	struct table t;
	int st = -1, n = 0;
	pid_t pid;

	util_strfmt(out, sizeof(out), "%s/interrupted", tmp);
	util_strfmt(path, sizeof(path), "%s/trials.csv", out);
	pid = start_cmd_as(args, tmp, NULL, -1);
	/* Once it has run a few pairs (up to a minute on a loaded machine). */
	for (int i = 0; pid > 0 && i < 600 && n < 8; i++) {
		struct timespec ts = { 0, 100000000 };

		nanosleep(&ts, NULL);
		if (table_read(path, &t) == 0) {
			n = t.nrows;
			table_free(&t);
		}
	}
	if (pid > 0) {
		kill(pid, SIGINT);
		waitpid(pid, &st, 0);
	}
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 130, "SIGINT during -r auto: exit 130 (%d)",
	   WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	if (cells_row(out, &t) < 0)
		return;
	ok(!strcmp(cell(&t, 0, "stopped"), "interrupted") && num(&t, 0, "pairs") >= 1,
	   "cells.csv: stopped interrupted after %s pairs", cell(&t, 0, "pairs"));
	table_free(&t);
}

int main(int argc, char **argv)
{
	char tmp[64];

	rule_table();
	values();
	estimate();
	estimate_modes();
	deciders();
	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return done_testing();
	run_precision(argv[1], tmp);
	run_budget(argv[1], tmp);
	run_suite(argv[1], tmp);
	run_interrupted(argv[1], tmp);
	rmtree(tmp);
	return done_testing();
}
