/* analyze.h - from a result folder's trials to summary.csv, versus.csv
 * and claims.csv. Reads only the CSV files, so the same code serves a run
 * that just finished, an old folder, and `compare`. */
#ifndef PTB_ANALYZE_H
#define PTB_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"
#include "workload.h"

/* One metric's values in one cell (workload, params, workers, pin) and mode. */
struct series {
	char workload[32];
	char params[256];
	char pin[16];
	char metric[40];
	char unit[16];
	int workers;
	int mode;               /* enum mode */
	double *v;
	size_t n, cap;
	struct summary s;       /* filled by dataset_load */
};

/* The bursts of one traced trial (a cell and mode). */
struct tburst {
	char workload[32];
	char params[256];
	char pin[16];
	int workers;
	int mode;
	double n, mean, p50, p50_lo, p50_hi, p90, p99, preempted_frac;
};

struct dataset {
	struct series *s;
	size_t n, cap;
	struct tburst *b;       /* traced, counted trials */
	size_t nb, capb;
	double noise;           /* from meta.csv, or the default */
};

/* Loads dir/trials.csv, metrics.csv and meta.csv; only
 * counted trials (not warm-up, status as expected) become values. Burst
 * metrics come from traced trials only, every other metric from untraced
 * ones. Returns 0 or -errno with err set. */
int dataset_load(const char *dir, struct dataset *d, char *err, size_t errlen);
void dataset_free(struct dataset *d);

/* Finds a series; params and pin NULL match any, workers < 0 matches the
 * largest count present. */
const struct series *dataset_find(const struct dataset *d, const char *workload,
				  const char *params, const char *pin, int workers, int mode,
				  const char *metric);

/* +1 when a higher value is better, -1 lower, 0 neither. */
int metric_better(const char *metric);

/* Bootstrap CI seed of a cell and metric (stable across runs). */
uint64_t series_seed(const struct series *s);

/* thread/process ratio of a cell's metric (medians) and its bootstrap
 * 95% CI; NaN where a side lacks values. Returns 0 or -errno. */
int versus_ratio(const struct dataset *d, const struct series *p,
		 const struct series *t, double *ratio, double *lo, double *hi);

/* Who wins when the ratio's CI is [lo, hi]: "thread", "process", "same"
 * (inside 1 +- noise), "" (no CI), or for metrics without a better
 * direction "thread_higher" / "thread_lower". */
const char *winner(double lo, double hi, double noise, int better);

/* Writes summary.csv, versus.csv and claims.csv into dir (each written
 * to a temporary name and renamed). noise < 0 takes meta.csv's.
 * Returns 0 or -errno with err set. */
int analyze_dir(const char *dir, double noise, char *err, size_t errlen);

#endif
