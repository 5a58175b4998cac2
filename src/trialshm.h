/* trialshm.h - private to trial.c (the harness side) and trialproc.c (the
 * trial process and its workers): the one MAP_SHARED region through which
 * the two sides talk. The harness maps it before the fork and reads it
 * after the trial is gone: a header, one cache-line-aligned slot per
 * worker, the metrics and, in traced trials, a pool of raw bursts. A
 * worker's slot survives its crash, and the trial process's crash. It is
 * a memfd, so that an exec'd worker maps it from an inherited descriptor,
 * at any address: nothing in it points into it (offsets, not pointers). */
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
	double t_reaped;        /* forked modes: when the trial reaped it */
	int exit_code;          /* forked modes: its exit status, once reaped */
	double setup_s;         /* exec: its own setup() before t_ready (not spawn cost) */
	char what[16];          /* what failed when err is set ("" : work) */
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
	struct ctx *ctx;        /* its trial (same address in forked modes and threads) */
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
	size_t metrics_at;      /* offset of the metrics, after the slots */
	_Atomic uint32_t nbursts, pool_lost;
	uint32_t burst_cap;
	size_t pool_at;         /* offset of the burst pool, after the metrics */
	size_t size;            /* of the whole region */
	/* What an exec'd worker needs to know of its trial. */
	pid_t trial_pid;        /* its parent: it dies with it */
	int wl_index;           /* in workloads[] */
	enum mode mode;
	int nworkers;
	struct pval pv[PTB_MAX_PARAMS];
	int membind_on;         /* --membind asks for more than first touch */
	struct pin_mem membind;
	/* The trial's wl_map memory in exec mode: one memfd, a piece each. */
	int arena_fd;           /* -1: none yet */
	uint64_t arena_len;
	int narena;
	struct arena_piece {
		uintptr_t addr;         /* where the trial process mapped it */
		uint64_t len, off;      /* its bytes, at off in the memfd */
		unsigned how;           /* WL_SHARED or 0 */
	} arena[16];
	uintptr_t priv;         /* the trial's t->priv, for WX_MAP workers */
	struct slot slots[];
};

static inline struct metric_value *sh_metrics(const struct trial_shared *sh)
{
	return (struct metric_value *)((char *)sh + sh->metrics_at);
}

static inline struct burst *sh_pool(const struct trial_shared *sh)
{
	return (struct burst *)((char *)sh + sh->pool_at);
}

/* Everything the trial process needs, built by the harness before fork
 * (an exec'd worker builds its own). */
struct ctx {
	const struct trial_spec *spec;
	struct trial_shared *sh;
	int shfd;               /* the region's memfd */
	int in_worker;          /* an exec'd worker: wl_map maps its own memory */
	struct trial t;
};

/* The trial process, just forked by the harness: its own process group,
 * the cgroup cgdir (when not ""), no core dumps, default signal actions;
 * then setup, the workers, verify, teardown. Never returns. */
_Noreturn void trial_process(struct ctx *c, const char *cgdir);


#endif
