/* trialshm.h - private to trial.c (the harness side) and trialproc.c (the
 * trial process and its workers): the one MAP_SHARED region through which
 * the two sides talk. The harness maps it before the fork and reads it
 * after the trial is gone: a header, one cache-line-aligned slot per
 * worker, the metrics and, in traced trials, a pool of raw bursts. A
 * worker's slot survives its crash, and the trial process's crash. */
#ifndef PTB_TRIALSHM_H
#define PTB_TRIALSHM_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "noise.h"
#include "trial.h"
#include "util.h"

/* A worker's progress, as the trial process counts it: written once per
 * step, after everything the step publishes. */
enum phase { PH_CREATED, PH_READY, PH_DONE, PH_DEAD };

struct ctx;

/* What the harness learns about one worker. */
struct wstat {
	pid_t pid, tid;
	int cpu_requested, cpu_observed;
	int status;             /* enum worker_status */
	int signal;
	int err;                /* -errno from work() or binding */
	_Atomic int phase;      /* enum phase */
	double t_ready;         /* when it reached the start barrier */
	double t_go, t_done;    /* its own start and end of work */
	double t_reaped;        /* process mode: when the trial reaped it */
	int has_usage;
	struct usage u;
	struct burst_stats bs;
	int has_mem;
	struct memsample mem;
	/* Its wait to run and its CPU time, before its start barrier (0)
	 * and after its work (1): the timed work and no more. */
	int has_wait;
	uint64_t wait0_ns, wait1_ns;
	int has_u0;
	struct usage u0;
	int noprobe;            /* traced, but its probe could not be opened */
	void *probe;            /* its own struct bprobe (its own memory) */
	struct ctx *ctx;        /* its trial (same address in every mode) */
};

struct slot {
	struct worker w;        /* the workload's view */
	struct wstat st;        /* the harness's */
} __attribute__((aligned(PTB_CACHELINE)));

struct trial_shared {
	/* Futex words, each on its own line: workers wait on go/release. */
	alignas(PTB_CACHELINE) uint32_t go;
	alignas(PTB_CACHELINE) uint32_t release;
	alignas(PTB_CACHELINE) uint32_t events;  /* bumped at ready, done, death */
	alignas(PTB_CACHELINE) int abort;        /* spawning failed: skip work */
	int cg_err;             /* -errno: the trial could not enter its cgroup */
	_Atomic int membind_err;        /* -errno: wl_membind failed (the first) */
	int status;             /* enum trial_status, as the trial saw it */
	int signal;
	char message[256];
	double t_create, t_ready, t_go, t_last_done, t_release, t_joined;
	int checksum_ok;
	int has_mem;
	struct memsample mem;
	/* The trial's CPUs just before go and after the last worker's work,
	 * and the trial process's own CPU time then (it may share them). */
	int has_ct;
	struct cpu_times ct0, ct1;
	struct usage tp0, tp1;
	enum burst_src bursts;
	int user_only, ring_pages;
	_Atomic uint32_t nmetrics, metrics_lost;
	uint32_t metrics_cap;
	struct metric_value *metrics;   /* after the slots */
	_Atomic uint32_t nbursts, pool_lost;
	uint32_t burst_cap;
	struct burst *pool;     /* after the metrics */
	struct slot slots[];
};

/* Everything the trial process needs, built by the harness before fork. */
struct ctx {
	const struct trial_spec *spec;
	struct trial_shared *sh;
	struct trial t;
};

/* The trial process, just forked by the harness: its own process group,
 * the cgroup cgdir (when not ""), no core dumps, default signal actions;
 * then setup, the workers, verify, teardown. Never returns. */
_Noreturn void trial_process(struct ctx *c, const char *cgdir);

#endif
