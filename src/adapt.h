/* adapt.h - adaptive repetitions (-r auto): a cell's pairs so far, the
 * precision of their estimate, and the rule that says when to stop.
 *
 * A pair is one repetition of a cell: a trial of each mode it runs
 * (process and thread, and shared or exec when asked; one trial when the
 * cell runs one mode). It is usable when every one of its trials ended as
 * the workload expects, none was judged disturbed (quiet=0, unless
 * --keep-noisy), and each has a value of the cell's deciding metric -
 * with two modes exactly the pairs that versus.csv pairs later, so the
 * half-width the rule sees is the one versus.csv shows for that metric
 * (with more, modes.csv's, over the repetitions where every mode was
 * usable). */
#ifndef PTB_ADAPT_H
#define PTB_ADAPT_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "trial.h"

/* Why a cell stopped repeating: cells.csv's and versus.csv's `stopped`. */
enum adapt_stop {
	ADAPT_GO,               /* not stopped: run another pair */
	ADAPT_PRECISION,        /* the half-width reached --precision */
	ADAPT_BUDGET,           /* the cell's --budget is spent */
	ADAPT_MAX_REPS,         /* REPS_MAX pairs ran */
	ADAPT_UNUSABLE,         /* too many pairs were not usable */
	ADAPT_INTERRUPTED,      /* a signal stopped the run */
	ADAPT_N
};
extern const char *const adapt_stop_names[ADAPT_N];     /* ADAPT_GO: "" */

#define ADAPT_MIN_PAIRS VERSUS_MIN_REPS /* fewer: no interval worth the name */
/* Unusable pairs a cell may have beyond its usable ones: a machine that
 * disturbs more than that cannot sharpen the estimate, so the cell gives
 * up rather than spend its budget on trials that are left out anyway. */
#define ADAPT_SLACK 5
/* The interval is recomputed after every pair up to this many, then each
 * time the pairs have grown by a tenth (a bootstrap costs O(pairs)). */
#define ADAPT_EVERY 50

/* When to stop. */
struct adapt_rule {
	double precision;       /* half-width to reach */
	double budget_s;        /* seconds the counted pairs may take */
	int max_reps;           /* pairs run, usable or not */
};

/* Where a cell stands. */
struct adapt_state {
	int reps;               /* pairs run */
	int pairs;              /* usable ones */
	double elapsed_s;       /* since its first counted pair began */
	double half_width;      /* of the estimate; NaN without an interval */
};

/* The rule, first match wins: with at least ADAPT_MIN_PAIRS usable pairs,
 * stop for `precision` when the half-width is at most rule->precision, for
 * `budget` when elapsed_s >= rule->budget_s; at any count, for `max_reps`
 * when reps >= rule->max_reps, for `unusable` when the unusable pairs
 * reach ADAPT_SLACK + the usable ones. Else ADAPT_GO. */
enum adapt_stop adapt_decide(const struct adapt_state *s, const struct adapt_rule *rule);

/* What one trial gives the rule. */
struct adapt_obs {
	int usable;             /* as expected, not disturbed, has the value */
	double value;           /* of the deciding metric */
};

/* One cell's counted pairs. */
struct adapt_cell {
	const char *metric;     /* the deciding metric (workload.decides) */
	int paired;             /* process and another mode: ratios to process; else one mode's median */
	int only;               /* the mode of a one-mode cell */
	unsigned modes;         /* the modes the cell runs (1u << enum mode) */
	uint64_t seed;          /* the one versus.csv (summary.csv) uses */
	int keep_noisy;         /* disturbed trials count too (--keep-noisy) */
	double *v[MODE_N];      /* the usable pairs' values, by mode */
	size_t cap[MODE_N];
	double estimate;        /* the thread/process ratio (else the first other
				 * mode's; or the median); NaN until there is one */
	struct adapt_state st;
	int at;                 /* usable pairs when the estimate was made */
};

/* Starts a cell of workload wl (its canonical params, worker count, pin
 * policy name, modes bitmask); keep_noisy: disturbed trials are usable, as
 * the analysis counts them under --keep-noisy. */
void adapt_begin(struct adapt_cell *c, const struct workload *wl, const char *params,
		 int workers, const char *pin, unsigned modes, int keep_noisy);

/* The deciding metric's value in a trial: the wall_s, spawn_s or join_s
 * of the trial, pss_pte_kib (PSS plus page tables), or the trial's row
 * (worker -1) of a workload metric. NaN when the trial has none. */
double adapt_value(const char *metric, const struct trial_result *r);

/* What trial r gives cell c. A trial not judged (quiet -1) counts as
 * quiet; a disturbed one (quiet 0) is unusable unless c->keep_noisy. */
struct adapt_obs adapt_observe(const struct adapt_cell *c, const struct trial_result *r);

/* Adds one pair: obs[mode] of each mode the cell runs. Returns 0 or
 * -ENOMEM. */
int adapt_add(struct adapt_cell *c, const struct adapt_obs obs[MODE_N]);

/* Recomputes the estimate and its half-width when new usable pairs came
 * and it is due (ADAPT_EVERY), or whenever force. With several modes
 * beside process the half-width is the largest of their ratios' (NaN if
 * any has none): the cell is precise when every mode's ratio is. Returns
 * 0 or -ENOMEM. */
int adapt_update(struct adapt_cell *c, int force);

void adapt_free(struct adapt_cell *c);

#endif
