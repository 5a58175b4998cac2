/* dataset.h - a result folder in memory: every counted value of every
 * metric, by cell and mode, and the traced trials' bursts. Reads only the
 * CSV files, so the same data serve a run that just finished, an old
 * folder, and `compare`. The metrics' declarations (unit, better
 * direction) live here for the common ones and in each workload for its
 * own. */
#ifndef PTB_DATASET_H
#define PTB_DATASET_H

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
	double *v;              /* NULL for a derived series (speedup) */
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

/* Open-addressing hash: a series' key text -> its index in s. */
struct series_index {
	char **keys;
	size_t *val;
	size_t cap, n;
};

struct dataset {
	struct series *s;
	size_t n, cap;
	struct tburst *b;       /* traced, counted trials */
	size_t nb, capb;
	double noise;           /* from meta.csv; NaN when it has none */
	struct series_index ix; /* for dataset_find */
};

/* Where a common metric's values come from. */
enum metric_src {
	SRC_UNTRACED,           /* a trials.csv column of untraced trials */
	SRC_TRACED,             /* a trials.csv column of traced trials (bursts) */
	SRC_DERIVED,            /* computed from other series */
};

/* A metric every workload has: trials.csv's columns and what is derived
 * from them. */
struct common_metric {
	struct metric m;
	enum metric_src src;
};

/* In series-creation order (trials.csv's column order first); NULL name
 * ends it. */
extern const struct common_metric common_metrics[];

/* The declaration of a workload's metric (common or its own), or NULL. */
const struct metric *metric_find(const char *workload, const char *metric);

/* +1 when a higher value is better, -1 lower, 0 neither or undeclared. */
int metric_better(const char *workload, const char *metric);

/* Loads dir/trials.csv, metrics.csv and meta.csv; only
 * counted trials (not warm-up, status as expected) become values. Burst
 * metrics come from traced trials only, every other metric from untraced
 * ones. Returns 0 or -errno with err set. */
int dataset_load(const char *dir, struct dataset *d, char *err, size_t errlen);
void dataset_free(struct dataset *d);

/* Finds a series (a hash lookup); workers < 0 matches the largest count
 * present. */
const struct series *dataset_find(const struct dataset *d, const char *workload,
				  const char *params, const char *pin, int workers, int mode,
				  const char *metric);

/* Bootstrap CI seed of a cell and metric (stable across runs). */
uint64_t series_seed(const struct series *s);

/* A comparison needs at least this many counted values a side: with
 * fewer, a bootstrap interval covers far less than 95%. */
#define VERSUS_MIN_REPS 3

/* One cell's metric, thread against process. */
struct versus {
	const struct series *p, *t;     /* the process and thread series */
	double ratio, lo, hi;           /* thread/process medians, bootstrap 95% CI */
	int zero;                       /* the process median is zero: no ratio */
};

/* Pairs a process-mode series with its thread twin: the ratio and its CI
 * (NaN where a side lacks values; speedup and efficiency, which have no
 * raw values, get theirs from four bootstraps). Returns 0, -ENOENT (no
 * twin) or -ENOMEM (v holds NaNs). */
int versus_get(const struct dataset *d, const struct series *p, struct versus *v);

/* The comparison's outcome against 1 +- noise in direction better;
 * OUT_NONE with fewer than VERSUS_MIN_REPS values a side. */
enum outcome versus_outcome(const struct versus *v, double noise, int better);

#endif
