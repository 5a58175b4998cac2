/* test_results.c - the rows a trial leaves in a result folder, from
 * made-up results: every column table fills each cell from its field, and
 * leaves it empty exactly when its condition says (no rusage, no memory,
 * untraced, not ok, no signal, ...). Read back with libcsv. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvio.h"
#include "results.h"
#include "schema.h"
#include "tap.h"
#include "util.h"

static struct table trials, workers, metrics, bursts;

static const char *cell_of(const struct table *t, int row, const char *col)
{
	int c = table_col(t, col);

	if (c < 0)
		diag("no column %s", col);
	return table_get(t, row, c);
}

/* Each "col=value" of want (value "" = empty) against row of t. */
static void expect(const struct table *t, int row, const char *what, const char *const *want)
{
	char bad[512] = "";

	for (; *want; want++) {
		size_t k = strcspn(*want, "=");
		char col[64];
		const char *got;

		util_strfmt(col, sizeof(col), "%.*s", (int)k, *want);
		got = cell_of(t, row, col);
		if (strcmp(got, *want + k + 1))
			util_strfmt(bad + strlen(bad), sizeof(bad) - strlen(bad), " %s='%s' (want '%s')",
			       col, got, *want + k + 1);
	}
	ok(!*bad, "%s%s%s", what, *bad ? ":" : "", bad);
}

int main(void)
{
	static const struct workload wl = { .name = "made_up" };
	struct experiment e = { .wl = &wl, .params = "k=1;j=2", .pin = PIN_SCATTER };
	struct worker_result w[2] = {
		{ .pid = 123, .tid = 0, .cpu_requested = -1, .cpu_observed = 0, .status = WS_OK,
		  .wall_s = 0.5, .has_usage = 1, .u = { .user_s = 0.25, .minflt = 7 }, .ops = 40,
		  .bs = { .n = 4, .preempted = 1, .mean_us = 10, .p99_us = NAN, .lost = 3 },
		  .has_mem = 1, .mem = { .rss_kib = 11, .pss_kib = 12, .uss_kib = 13, .pte_kib = 14 } },
		{ .pid = 124, .tid = 125, .cpu_requested = 3, .cpu_observed = -1,
		  .status = WS_CRASHED, .signal = 11, .wall_s = NAN, .ops = 2,
		  .bs = { .mean_us = NAN, .p99_us = NAN } },
	};
	struct metric_value mv[2] = {
		{ .worker = -1, .name = "survivors", .unit = "workers", .value = 1 },
		{ .worker = 1, .name = "ns_per_op", .unit = "ns", .value = 2.5 },
	};
	/* ok, untraced, no usage, memory, not checked */
	struct trial_result ok_r = {
		.status = TS_OK, .expected = 1, .wall_s = 2, .spawn_s = 0.125, .join_s = NAN,
		.ops = 100, .checksum_ok = -1, .has_mem = 1,
		.mem = { .rss_kib = 1, .pss_kib = 2, .uss_kib = 3, .pte_kib = 4 },
		.bs = { .n = 9, .mean_us = 5 },
	};
	/* crashed, traced with perf, usage, a signal, workers and metrics */
	struct trial_result bad_r = {
		.status = TS_CRASHED, .expected = 1, .signal = 11, .message = "worker 1 killed",
		.wall_s = 2, .spawn_s = NAN, .join_s = NAN, .has_usage = 1,
		.sum = { .user_s = 1.5, .sys_s = 0, .minflt = 8, .majflt = 0, .nvcsw = 2, .nivcsw = 1 },
		.maxrss_kib = 2048, .ops = 42, .checksum_ok = 0,
		.bs = { .n = 4, .preempted = 1, .lost = 7, .mean_us = 10, .p50_us = 9, .p90_us = NAN,
			.p99_us = 11, .max_us = 12, .p50_lo_us = 8, .p50_hi_us = 10 },
		.nworkers = 2, .w = w, .nmetrics = 2, .metrics = mv,
	};
	struct trial_id id1 = { .id = 1, .e = &e, .workers = 2, .mode = MODE_THREAD, .rep = 3,
				.traced = 0, .src = BURSTS_PERF };
	struct trial_id id2 = { .id = 2, .e = &e, .workers = 2, .mode = MODE_PROCESS, .rep = 0,
				.traced = 1, .warmup = 0, .src = BURSTS_PERF };
	struct results rs = { 0 };
	char dir[] = "/tmp/ptb-results-XXXXXX", path[PATH_MAX];

	bad_r.hist[0][0] = 3;
	bad_r.hist[1][2] = 1;
	if (!mkdtemp(dir))
		return 1;
	ok(results_open(&rs, dir) == 0, "the files of a result folder are created");
	ok(results_trial(&rs, &id1, &ok_r) == 0 && results_trial(&rs, &id2, &bad_r) == 0,
	   "two trials' rows are written");
	ok(results_close(&rs) == 0 && rs.trials == NULL, "and closed");

	ok(table_read(util_strfmt(path, sizeof(path), "%s/trials.csv", dir), &trials) == 0 &&
	   trials.nrows == 2 && trials.ncols == TR_N, "trials.csv: 2 rows of %d columns", TR_N);
	ok(table_read(util_strfmt(path, sizeof(path), "%s/workers.csv", dir), &workers) == 0 &&
	   workers.nrows == 2, "workers.csv: the second trial's 2 workers");
	ok(table_read(util_strfmt(path, sizeof(path), "%s/metrics.csv", dir), &metrics) == 0 &&
	   metrics.nrows == 2, "metrics.csv: 2 rows");
	ok(table_read(util_strfmt(path, sizeof(path), "%s/bursts.csv", dir), &bursts) == 0 &&
	   bursts.nrows == HIST_BINS, "bursts.csv: one row a bin of the traced trial (%d)",
	   bursts.nrows);

	expect(&trials, 0, "an ok untraced trial without rusage", (const char *const[]){
		"trial=1", "workload=made_up", "mode=thread", "workers=2", "pin=scatter", "rep=3",
		"traced=0", "status=ok", "wall_s=2", "spawn_s=0.125", "join_s=", "user_s=",
		"sys_s=", "minflt=", "nivcsw=", "ops=100", "ops_per_s=50", "checksum_ok=",
		"maxrss_kib=", "rss_sum_kib=1", "pss_kib=2", "uss_kib=3", "pte_kib=4",
		"burst_n=", "burst_mean_us=", "burst_source=", "burst_preempted_frac=",
		"burst_lost=", "params=k=1;j=2", "warmup=0", "expected=1", "signal=",
		"message=", NULL });
	expect(&trials, 1, "a crashed traced trial", (const char *const[]){
		"trial=2", "mode=process", "rep=0", "traced=1", "status=crashed", "spawn_s=",
		"user_s=1.5", "sys_s=0", "minflt=8", "majflt=0", "nvcsw=2", "nivcsw=1", "ops=42",
		"ops_per_s=", "checksum_ok=0", "maxrss_kib=2048", "rss_sum_kib=", "pte_kib=",
		"burst_n=4", "burst_mean_us=10", "burst_p50_us=9", "burst_p90_us=",
		"burst_p99_us=11", "burst_max_us=12", "burst_source=perf", "burst_p50_lo_us=8",
		"burst_p50_hi_us=10", "burst_preempted_frac=0.25", "burst_lost=7", "signal=11",
		"message=worker 1 killed", NULL });
	expect(&workers, 0, "a worker with rusage, memory, bursts", (const char *const[]){
		"trial=2", "worker=0", "pid=123", "tid=", "cpu_requested=", "cpu_observed=0",
		"status=ok", "signal=", "wall_s=0.5", "user_s=0.25", "sys_s=0", "minflt=7",
		"ops=40", "burst_n=4", "burst_mean_us=10", "burst_p99_us=",
		"preempted_frac=0.25", "burst_lost=3", "rss_kib=11", "pss_kib=12", "uss_kib=13",
		"pte_kib=14", NULL });
	expect(&workers, 1, "a crashed worker without them", (const char *const[]){
		"worker=1", "pid=124", "tid=125", "cpu_requested=3", "cpu_observed=",
		"status=crashed", "signal=11", "wall_s=", "user_s=", "minflt=", "ops=2",
		"burst_n=0", "burst_mean_us=", "preempted_frac=", "burst_lost=0", "rss_kib=",
		NULL });
	expect(&metrics, 0, "a trial metric", (const char *const[]){
		"trial=2", "worker=", "metric=survivors", "value=1", "unit=workers", NULL });
	expect(&metrics, 1, "a worker's metric", (const char *const[]){
		"trial=2", "worker=1", "metric=ns_per_op", "value=2.5", "unit=ns", NULL });
	{
		char lo[32], hi[32];
		const char *const bin0[] = { "trial=2", "workload=made_up", "mode=process",
					     "workers=2", "blocked=3", "preempted=0", NULL };
		const char *const bin2[] = { "blocked=0", "preempted=1", NULL };
		const char *const edges[] = {
			util_strfmt(lo, sizeof(lo), "bin_lo_us=%.7g", stats_hist_lo(2)),
			util_strfmt(hi, sizeof(hi), "bin_hi_us=%.7g", stats_hist_hi(2)), NULL };

		expect(&bursts, 0, "the first histogram bin", bin0);
		expect(&bursts, 2, "the third bin's counts", bin2);
		expect(&bursts, 2, "the third bin's edges", edges);
	}
	table_free(&trials);
	table_free(&workers);
	table_free(&metrics);
	table_free(&bursts);

	/* A folder whose files cannot all be made is removed whole. */
	{
		struct results rs2 = { 0 };
		struct options o;
		char made[PATH_MAX], err[512];

		opts_defaults(&o);
		o.out = util_strfmt(path, sizeof(path), "%s/new/run", dir);
		ok(results_mkdir(&rs2, &o, made, sizeof(made), err, sizeof(err)) == 0 &&
		   !strcmp(made, path), "results_mkdir makes the folder and its parent");
		ok(results_mkdir(&rs2, &o, made, sizeof(made), err, sizeof(err)) == -EEXIST &&
		   strstr(err, "never overwritten"), "and never over one that exists (%s)", err);
		util_strfmt(made, sizeof(made), "%s", path);
		results_remove(&rs2, made);
		ok(made[0] == '\0' && access(path, F_OK) != 0 &&
		   access(util_strfmt(err, sizeof(err), "%s/new", dir), F_OK) != 0,
		   "results_remove takes the folder and the parent it made");
	}
	util_strfmt(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
