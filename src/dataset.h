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
	int traced;             /* from traced trials (bursts) */
	double *v;              /* NULL for a derived series (speedup) */
	int *rep;               /* each value's repetition (trials.csv rep) */
	size_t n, cap, rcap;
	struct summary s;       /* filled by dataset_load */
};

/* The bursts of one traced trial (a cell and mode). */
struct tburst {
	char workload[32];
	char params[256];
	char pin[16];
	int workers;
	int mode;
	int rep;                /* its repetition: pairs it with the other mode's */
	double n, mean, p50, p50_lo, p50_hi, p90, p99, preempted_frac;
};

/* The trials of one cell and mode that could count (not warm-up, status
 * as expected), and those of them left out as noisy (quiet=0); [0]
 * untraced, [1] traced. */
struct cellcount {
	char workload[32];
	char params[256];
	char pin[16];
	int workers;
	int mode;
	size_t trials[2], dropped[2];
};

/* The machine's noise over every trial of a folder, from trials.csv's
 * quiet, steal_s, foreign_cpu_s and wait_s (empty in older folders). */
struct noise {
	size_t trials;          /* rows of trials.csv */
	size_t measured;        /* rows with a quiet value */
	size_t disturbed;       /* rows with quiet=0 */
	int kept;               /* counted all the same (--keep-noisy) */
	double steal_s, foreign_cpu_s, wait_s;  /* summed over the rows */
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
	int keep_noisy;         /* meta.csv: disturbed trials count too */
	struct series_index ix; /* for dataset_find */
	struct cellcount *c;    /* every cell and mode with a trial that could count */
	size_t nc, capc;
	struct series_index cx; /* cell key -> index in c */
	struct noise nz;        /* over every trial */
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
const struct metric *dataset_metric_find(const char *workload, const char *metric);

/* A mode's name as the CSV files have it ("process", "shared"). */
const char *dataset_mode_name(int mode);

/* +1 when a higher value is better, -1 lower, 0 neither or undeclared. */
int dataset_metric_better(const char *workload, const char *metric);

/* Loads dir/trials.csv, metrics.csv and meta.csv; only
 * counted trials (not warm-up, status as expected) become values. Burst
 * metrics come from traced trials only, every other metric from untraced
 * ones. A trial marked disturbed (quiet=0) gives no value and is counted
 * in its cell's dropped; one without a quiet value (an older folder)
 * counts as before. Returns 0 or -errno with err set. */
int dataset_load(const char *dir, struct dataset *d, char *err, size_t errlen);
void dataset_free(struct dataset *d);

struct table;

/* Reads dir/file whole (a last row cut short left out). Returns 0; 1
 * when it is missing and not required; -errno with err saying what (the
 * folder is no result folder, path:line is malformed CSV, ...). */
int dataset_read_file(const char *dir, const char *file, struct table *t, int required,
		      char *err, size_t errlen);

/* 1 when dir is a merged folder (ptbench merge: its meta.csv begins with
 * host and run columns), 0 when not (or it has no meta.csv), -errno when
 * its meta.csv cannot be read. dataset_load refuses a merged folder with
 * -EINVAL: its trials are numbered per run, so it is read one run at a
 * time (merge.h). */
int dataset_is_merged(const char *dir);

/* Finds a series (a hash lookup); workers < 0 matches the largest count
 * present. */
const struct series *dataset_find(const struct dataset *d, const char *workload,
				  const char *params, const char *pin, int workers, int mode,
				  const char *metric);

/* The counts of a cell and mode, or NULL. */
const struct cellcount *dataset_cell(const struct dataset *d, const char *workload,
				     const char *params, const char *pin, int workers, int mode);

/* Trials of a workload (every cell, both modes, traced or not) that could
 * count, and how many of them were dropped as noisy. */
void dataset_dropped(const struct dataset *d, const char *workload, size_t *trials,
		     size_t *dropped);

/* Reads dir/trials.csv and tallies its noise. Returns 0 or -errno. */
int dataset_noise_read(const char *dir, struct noise *nz);

/* One line on the machine's noise ("noise: 12 of 276 trials disturbed:
 * ..."), or that a folder's trials carry none. */
char *dataset_noise_line(const struct noise *nz, char *buf, size_t len);

/* Bootstrap CI seed of a cell and metric (stable across runs). */
uint64_t dataset_series_seed(const struct series *s);
/* The same from the cell's names (what -r auto uses while it runs). */
uint64_t dataset_cell_seed(const char *workload, const char *params, int workers, const char *pin,
		   const char *metric);
/* A paired CI draws from another stream than the unpaired one of the
 * same cell (whose seed is the cell's own, as before pairing): seed ^ this. */
#define PAIRED_SEED 0x9a12edull

/* Pairs two samples by repetition (ra[i]: the repetition of a's value
 * i): the k-th value of repetition r in a with the k-th of repetition r
 * in b (a cell run twice, as two rows of a suite, repeats its numbers).
 * ia[i], ib[i]: the indexes of pair i (room for the smaller sample). A
 * value without a twin is left out. Returns how many pairs. */
size_t dataset_pair_reps(const int *ra, size_t na, const int *rb, size_t nb, size_t *ia, size_t *ib);

/* A comparison needs at least this many pairs: with fewer, a bootstrap
 * interval covers far less than 95%. */
#define VERSUS_MIN_REPS 3

/* One cell's metric, another mode against process (thread for
 * versus.csv, every mode for modes.csv). A pair is the process and the
 * other mode's value of the same repetition: the trials of a repetition
 * run back to back, so a slow drift of the machine hits both alike and
 * cancels in their ratio. A value whose twin is missing (the other
 * mode's trial failed or was noisy) stays in its mode's median but out of
 * the pairs. */
struct versus {
	const struct series *p, *t;     /* the process series and the other mode's (t: thread in versus.csv) */
	double ratio, lo, hi;           /* median of the pairs' mode/process ratios, bootstrap 95% CI over pairs */
	double u_ratio, u_lo, u_hi;     /* unpaired: ratio of the medians, the modes resampled apart */
	size_t pairs;                   /* pairs behind ratio */
	double half_width;              /* stats_half_width of the paired CI */
	size_t dropped;                 /* trials of the cell dropped as noisy, both modes */
	int zero;                       /* the process values are zero: no ratio */
};

/* Pairs a process-mode series with its twin in `mode`: the paired and
 * the unpaired ratio mode/process with their CIs (NaN where there are no
 * pairs or values; speedup and efficiency, which have no values of their
 * own, pair the ops_per_s of both modes at 1 and n workers by
 * repetition). Every mode uses the cell's seed, so -r auto's estimate is
 * the one this gives. Returns 0, -ENOENT (no twin) or -ENOMEM (v holds
 * NaNs). */
int dataset_mode_get(const struct dataset *d, const struct series *p, int mode, struct versus *v);

/* dataset_mode_get with the thread twin: versus.csv's comparison. */
int dataset_versus_get(const struct dataset *d, const struct series *p, struct versus *v);

/* The comparison's outcome against 1 +- noise in direction better;
 * OUT_NONE with fewer than VERSUS_MIN_REPS pairs. */
enum outcome dataset_versus_outcome(const struct versus *v, double noise, int better);

#endif
