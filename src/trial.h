/* trial.h - one trial: one workload, one mode, one worker count, run in a
 * fresh child of the harness so that nothing it does can touch the next. */
#ifndef PTB_TRIAL_H
#define PTB_TRIAL_H

#include <signal.h>
#include <sys/types.h>

#include "cgroup.h"
#include "pin.h"
#include "probes.h"
#include "stats.h"
#include "workload.h"

enum trial_status { TS_OK, TS_CRASHED, TS_TIMEOUT, TS_WRONG, TS_ERROR,
		    TS_INTERRUPTED, TS_OOM, TS_N };
extern const char *const trial_status_names[TS_N];

enum worker_status {
	WS_NOT_STARTED,         /* never reached its start barrier */
	WS_OK,                  /* did its work and exited normally */
	WS_ERROR,               /* its work returned an error */
	WS_CRASHED,             /* killed by a signal of its own */
	WS_LOST,                /* died with its process or its trial process */
	WS_KILLED,              /* killed by the harness (timeout, interrupt) */
	WS_N
};
extern const char *const worker_status_names[WS_N];

/* What the harness asks for. */
struct trial_spec {
	const struct workload *wl;
	struct pval pv[PTB_MAX_PARAMS];
	enum mode mode;
	int nworkers;
	const int *cpus;                /* cpu_requested per worker, -1 = none */
	const struct pin *pin;
	enum burst_src bursts;          /* PERF, SCHEDSTAT, or OFF (untraced) */
	int user_only;                  /* perf: exclude_kernel */
	double timeout_s;
	volatile sig_atomic_t *stop;    /* the signal that stops the run, 0 while none */
	struct cg *cg;                  /* the run's cgroup, NULL: process groups only */
	struct pin_mem membind;         /* where wl_membind puts the workload's data */
	const char *exe;                /* exec mode: the program of the workers (NULL: this one) */
};

struct worker_result {
	pid_t pid, tid;
	int cpu_requested, cpu_observed;
	enum worker_status status;
	int signal;
	int finished;                   /* it completed its work */
	double wall_s;                  /* its own start to its own done */
	int has_usage;
	struct usage u;
	uint64_t ops;
	struct burst_stats bs;          /* n == 0 and NaNs when untraced */
	int has_mem;                    /* process mode: the worker's memory */
	struct memsample mem;
	double wait_s;                  /* runnable but not running, at work; NaN unknown */
};

struct metric_value {
	int worker;                     /* -1: the whole trial */
	char name[40];
	char unit[16];
	double value;
};

struct trial_result {
	enum trial_status status;
	int expected;                   /* the status the workload expects */
	int signal;                     /* what killed the trial or a worker */
	char message[256];              /* why, for anything but ok */
	double spawn_s, wall_s, join_s; /* NaN where not reached */
	int has_usage;
	struct usage sum;               /* summed over workers */
	uint64_t maxrss_kib;            /* largest process of the trial */
	uint64_t ops;
	int checksum_ok;                /* 1, 0, or -1 not checked */
	int has_mem;
	struct memsample mem;           /* summed over the trial's processes */
	struct burst_stats bs;          /* over all workers' bursts */
	uint32_t hist[2][HIST_BINS];    /* burst histogram: [0] blocked, [1] preempted */
	int nworkers;
	struct worker_result *w;
	int nmetrics;
	struct metric_value *metrics;
	/* Interference during the timed work (NaN: not measured) and the
	 * verdict of the quiet rule on it (1, 0; -1 not judged). */
	double wait_s, steal_s, foreign_cpu_s, speed;
	int quiet;
};

/* Runs one trial and fills res (which the caller frees with
 * trial_result_free). Returns 0 when res says what happened - whatever the
 * status - or -errno when the harness itself could not run it. */
int trial_run(const struct trial_spec *spec, struct trial_result *res);
void trial_result_free(struct trial_result *res);

/* The first argument that makes ptbench an exec'd worker: main() checks
 * it before anything else (it is no option: users never give it). */
#define TRIAL_WORKER_ARG "--exec-worker--"

/* An exec'd worker: `ptbench --exec-worker-- FD SLOT` maps its trial's
 * region from descriptor FD and runs worker SLOT of it. Returns its exit
 * status (0: it did its work). */
int trial_exec_worker(int argc, char **argv);

/* Call once in the harness: orphaned workers are reparented to it, so a
 * timed-out trial's whole tree can be reaped. */
int trial_harness_init(void);

/* Whether signal sig stops a run: the asynchronous signals whose default
 * action ends a process (SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGPIPE, ...,
 * the real-time ones). The harness catches them; a trial process gets
 * their default action back. */
int trial_stop_signal(int sig);

/* The status of a trial that ended as `st` with signal `sig`, given the
 * OOM kills counted across it: one killed by SIGKILL while the OOM killer
 * was at work is TS_OOM. */
enum trial_status trial_oom_status(enum trial_status st, int sig, int64_t oom_kills);

#endif
