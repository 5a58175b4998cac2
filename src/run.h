/* run.h - a plan run trial by trial into a new result folder. */
#ifndef PTB_RUN_H
#define PTB_RUN_H

#include <stddef.h>

#include "plan.h"

/* How a run ended; main alone turns it into an exit code. */
enum run_status {
	RUN_OK,                 /* every trial ended as expected */
	RUN_UNEXPECTED,         /* a trial did not (said on stderr unless quiet) */
	RUN_FAILED,             /* the harness failed or results could not be written */
	RUN_REFUSED,            /* bad input: no folder made, nothing written */
	RUN_STOPPED,            /* a signal stopped it: *env->stop holds it */
};

/* Runs the plan into a new result folder (its path to dir; "" when
 * nothing was kept). err is set (non-empty) when the harness itself
 * failed or refused. A failure wins over a stop, a stop over an
 * unexpected trial. */
enum run_status run_plan(const struct plan *p, const struct run_env *env, char *dir,
			 size_t dirlen, char *err, size_t errlen);

#endif
