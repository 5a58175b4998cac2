/* estimate.h - what a plan will cost before it runs: each cell's trials,
 * peak memory and duration, from a short calibration of this machine's
 * unit costs and each workload's work model. `--dry-run` prints it,
 * `--max-time` refuses a plan over it, the progress line's ETA uses it. */
#ifndef PTB_ESTIMATE_H
#define PTB_ESTIMATE_H

#include <stdint.h>
#include <stdio.h>

#include "pin.h"
#include "plan.h"

/* This machine's unit costs, measured once. */
struct est_calib {
	double unit_s;          /* one cpu unit (a wl_mix hash), one core */
	double byte_s;          /* one byte written to fresh memory (faults included) */
	double stream_s;        /* one byte written to resident memory */
	double round_s;         /* a token to another thread and back (pipes) */
	double took_s;          /* the calibration itself */
};

/* Measures the unit costs (about 0.1 s here; the best of a few tries, so a
 * busy machine errs towards fast). */
void estimate_calibrate(struct est_calib *c);

/* Seconds one trial of experiment e takes with n workers in mode m on a
 * machine of pc's counts, at this machine's per-core speed: a fixed cost,
 * spawning the workers, the reference loop and the workload's work. */
double estimate_trial_s(const struct est_calib *c, const struct pin_counts *pc,
			const struct experiment *e, int n, enum mode m);

/* Counted repetitions a cell of e is estimated with, its trials taking
 * pair_s a pair: reps, or for -r auto the worst case, as many pairs as
 * its budget holds (at least ADAPT_MIN_PAIRS, at most REPS_MAX). */
int estimate_reps(const struct experiment *e, double pair_s);

/* The whole plan: rows of cells to out (NULL: none) and the totals.
 * max_s > 0: a plan estimated over max_s seconds returns -E2BIG with err
 * naming the cell that passes it. mem_max > 0: a cell needing more bytes
 * returns -ENOMEM naming it. Returns 0 otherwise; *total_s the estimate. */
int estimate_plan(FILE *out, const struct plan *p, const struct est_calib *c,
		  const struct pin_counts *pc, double max_s, uint64_t mem_max,
		  double *total_s, char *err, size_t errlen);

#endif
