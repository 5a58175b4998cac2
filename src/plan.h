/* plan.h - a run's plan: its experiments, from the command line or a
 * suite file. Checked in plancheck.c, run in run.c. */
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
 * machine. Returns 0, or -EINVAL / -E2BIG / -ENOMEM with one line in err. */
int plan_add(struct plan *p, const struct run_env *env, const char *workload,
	     const char *const *kv, int nkv, const struct how *how, char *err,
	     size_t errlen);

/* Adds one experiment per workload named on the command line (env->o's
 * positional arguments), each with the -P options it has. A -P that none
 * of them has is refused. Returns 0, -EINVAL (bad input) or -ENOMEM,
 * with one line in err. */
int plan_workloads(struct plan *p, const struct run_env *env, char *err, size_t errlen);

/* Adds every row of a suite CSV (workload,modes,workers,reps,pin,params
 * and, optionally, traced); options the user gave override the file's
 * cells. Returns 0, -EINVAL (a file that cannot be read or is not a
 * suite: bad input) or -ENOMEM, with err naming the file, line and value. */
int plan_suite(struct plan *p, const struct run_env *env, const char *path,
	       char *err, size_t errlen);

void plan_free(struct plan *p);

#endif
