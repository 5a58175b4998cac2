/* plancheck.h - a plan checked against this machine's limits before
 * anything runs. */
#ifndef PTB_PLANCHECK_H
#define PTB_PLANCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* Checks limits (memory, processes, threads, files) for every trial of
 * the plan, and that --membind names a NUMA node the machine has. Returns
 * 0, or -E2BIG / -ENOMEM / -ENOENT with err naming the limit (a refusal:
 * bad input, not a failure of this process). */
int plancheck_plan(const struct plan *p, const struct run_env *env, char *err,
	       size_t errlen);

/* Checks that every workload of the plan can run in each of its modes
 * (workload.refuse). Returns 0, or -EINVAL with err "workload W cannot
 * run in mode M: why". */
int plancheck_modes(const struct plan *p, char *err, size_t errlen);

/* The memory a trial of experiment e with n workers in mode m needs at
 * most: the workload's footprint, page tables, each worker's overhead. */
uint64_t plancheck_need(const struct experiment *e, int n, enum mode m);

#endif
