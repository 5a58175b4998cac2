/* results.h - a run's result folder: made, its files created with their
 * headers, meta.csv's facts, each trial's rows appended as it ends, and
 * the folder removed again when it could not be set up. */
#ifndef PTB_RESULTS_H
#define PTB_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "cgroup.h"
#include "plan.h"
#include "trial.h"

/* The open files of a result folder. */
struct results {
	struct csvw *meta, *trials, *workers, *metrics, *bursts, *cells;
	size_t made;                    /* the prefix of its path this run created */
	const struct pin *pin;          /* where a worker's CPU is (results_begin) */
	char membind[32];               /* --membind, for every trial's row */
};

/* Where a trial's rows come from, besides its result. */
struct trial_id {
	int id;
	const struct experiment *e;
	int workers;
	enum mode mode;
	int rep;                        /* 1.. counted; 0 warm-up */
	int traced, warmup;
	enum burst_src src;
};

/* Makes the result folder: o->out, which must not exist, or
 * results/<UTC time>-<host> with a -2, -3 ... suffix rather than
 * overwrite anything; dir gets its path and rs->made what it created.
 * Returns 0, or -errno with err set and nothing left behind. */
int results_mkdir(struct results *rs, const struct options *o, char *dir, size_t len,
		  char *err, size_t errlen);

/* Creates the folder's files, each with its header row. Returns 0 or
 * -errno (then results_remove). */
int results_open(struct results *rs, const char *dir);

/* Removes a folder that could not be set up: its files, the folder and
 * the parents results_mkdir made. dir becomes "" (no folder to show). */
void results_remove(struct results *rs, char *dir);

/* meta.csv before the first trial: the command line, the label, the
 * start, the machine, and how trials are traced, timed and killed (cg
 * NULL: by process group, because cg_open failed with cg_err).
 * Returns 0 or -errno. */
int results_begin(struct results *rs, const struct run_env *env, enum burst_src src,
		  int user_only, int planned, const struct cg *cg, int cg_err);

/* meta.csv after the last trial. Returns 0 or -errno. */
int results_end(struct results *rs, int run, int stop_signal, uint64_t lost);

/* Appends one trial's rows to trials.csv, workers.csv, metrics.csv and
 * (traced with perf) bursts.csv. Returns 0 or -errno. */
int results_trial(struct results *rs, const struct trial_id *ti, const struct trial_result *r);

/* How a cell's counted repetitions went: its row of cells.csv. */
struct cell_end {
	const struct experiment *e;
	int workers;
	const char *metric;             /* the one -r auto watches */
	int pairs, unusable;            /* usable pairs, and pairs left out */
	double estimate, half_width;    /* thread/process ratio (one mode: its median) */
	const char *stopped;            /* why -r auto stopped; "" for a count */
	double elapsed_s;               /* the counted pairs' time */
};

/* Appends a cell's row to cells.csv. Returns 0 or -errno. */
int results_cell(struct results *rs, const struct cell_end *ce);

/* Closes every file. Returns 0 or the first -errno. */
int results_close(struct results *rs);

#endif
