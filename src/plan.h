/* plan.h - from options (or a suite file) to trials, run in order, with
 * every row written as its trial finishes. */
#ifndef PTB_PLAN_H
#define PTB_PLAN_H

#include <signal.h>

#include "opts.h"
#include "pin.h"

/* One experiment: a workload with one parameter set, its modes, worker
 * counts, repetitions and pin policy. Cells are (experiment, workers). */
struct experiment {
	const struct workload *wl;
	struct pval pv[PTB_MAX_PARAMS];
	char params[256];               /* canonical "k=v;k=v" */
	unsigned modes;
	int nw;
	int workers[MAX_LIST];
	int reps, warmup, traced;       /* traced: 0 when bursts are off */
	enum pin_policy pin;
};

/* How an experiment runs (the rest of a suite row). */
struct how {
	unsigned modes;
	const struct wspec *ws;
	int reps, warmup, traced;
	enum pin_policy pin;
};

struct plan {
	int n;
	size_t cap;
	struct experiment *exp;
};

/* Everything a run needs besides the plan. */
struct run_env {
	const struct options *o;
	struct pin *pin;
	int argc;
	char **argv;                    /* the command line, for meta.csv */
	volatile sig_atomic_t *stop;
};

/* Adds one experiment after checking it against the workload and the
 * machine. Returns 0, or -EINVAL / -E2BIG with one line in err. */
int plan_add(struct plan *p, const struct run_env *env, const char *workload,
	     const char *const *kv, int nkv, const struct how *how, char *err,
	     size_t errlen);

/* Adds one experiment per workload named on the command line (env->o's
 * positional arguments), each with the -P options it has. A -P that none
 * of them has is refused. Returns 0 or -EINVAL with one line in err. */
int plan_workloads(struct plan *p, const struct run_env *env, char *err, size_t errlen);

/* Adds every row of a suite CSV (workload,modes,workers,reps,pin,params
 * and, optionally, traced);
 * options the user gave override the file's cells. Returns 0 or -errno
 * with err naming the file, line and value. */
int plan_suite(struct plan *p, const struct run_env *env, const char *path,
	       char *err, size_t errlen);

/* Checks limits (memory, processes, threads) before anything runs.
 * Returns 0 or -E2BIG / -ENOMEM with err naming the limit. */
int plan_check(const struct plan *p, const struct run_env *env, char *err,
	       size_t errlen);

/* Runs the plan into a new result folder (its path is written to dir).
 * Returns the exit code: 0 every trial as expected, 1 a trial failed
 * unexpectedly or results could not be written, 2 the folder could not be
 * made (nothing written), 130 stopped by SIGINT or SIGTERM, 128 + the
 * signal when another signal stopped it (*env->stop holds it). err is set
 * (non-empty) when the harness itself failed. */
int plan_run(const struct plan *p, const struct run_env *env, char *dir,
	     size_t dirlen, char *err, size_t errlen);

void plan_free(struct plan *p);

#endif
