/* plotfx.h - a big synthetic summary.csv for `ptbench plot` (the test
 * and the benchmark draw the same one). */
#ifndef PTB_PLOTFX_H
#define PTB_PLOTFX_H

#include <limits.h>

#include "csvio.h"
#include "schema.h"
#include "util.h"

/* Metrics of every cell: the ones the charts read, then filler up to the
 * count of a real run's. */
static const char *const big_metrics[] = {
	"speedup", "pss_kib", "rss_sum_kib", "spawn_s", "faults_per_worker", "pages_written",
	"wall_s", "ops_per_s", "efficiency", "join_s", "user_s", "sys_s", "minflt", "majflt",
	"nvcsw", "nivcsw", "maxrss_kib", "uss_kib", "pte_kib", "burst_n", "burst_mean_us",
	"burst_p50_us", "burst_p90_us", "burst_p99_us", "burst_max_us",
};

/* Writes DIR/summary.csv shaped like a real run's, 4 workloads x `sets`
 * parameter sets x 2 modes x `workers` worker counts x 25 metrics rows
 * (40,000 for 50 and 4, or 5 and 40); returns 0 or -errno. The charts:
 * 4 x sets speedups, memory, spawn and cow. */
static inline int big_summary(const char *dir, int sets, int workers)
{
	static const char *const wls[] = { "cpu", "spawn", "cow", "sharedread" };
	static const char *const modes[] = { "process", "thread" };
	char path[PATH_MAX];
	struct csvw *w;
	int rc;

	util_strfmt(path, sizeof(path), "%s/summary.csv", dir);
	if ((rc = csvw_open(&w, path, summary_cols, SU_N, 0)) < 0)
		return rc;
	for (int k = 0; k < 4; k++)
		for (int s = 1; s <= sets; s++)
			for (int m = 0; m < 2; m++)
				for (int n = 1; n <= workers; n++)
					for (size_t i = 0; i < ARRAY_SIZE(big_metrics) && !rc; i++) {
						double v = n * (m ? 0.9 : 0.8) * s + (double)i;
						char params[64];
						struct row r;

						util_strfmt(params, sizeof(params), k == 2 ? "heap=%dM;write=0.5" : "heap=%dM", s);
						row_init(&r, SU_N);
						row_str(&r, SU_WORKLOAD, wls[k]);
						row_str(&r, SU_MODE, modes[m]);
						row_u64(&r, SU_WORKERS, (uint64_t)n);
						row_str(&r, SU_PIN, "core");
						row_str(&r, SU_METRIC, big_metrics[i]);
						row_str(&r, SU_UNIT, "");
						row_u64(&r, SU_N_, 5);
						for (int c = SU_MEDIAN; c <= SU_CI95_HI; c++)
							row_num(&r, c, c == SU_CI95_LO ? v * 0.95 : c == SU_CI95_HI ? v * 1.05 : v);
						row_str(&r, SU_PARAMS, params);
						rc = csvw_row(w, &r);
					}
	return rc ? (csvw_close(w), rc) : csvw_close(w);
}

#endif
