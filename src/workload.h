/* workload.h - the only header a workload sees: the trial, its workers,
 * parameters and metrics. A workload is data plus a few functions; adding
 * one means adding a file and a line in the registry, nothing else. */
#ifndef PTB_WORKLOAD_H
#define PTB_WORKLOAD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

enum mode { MODE_PROCESS, MODE_THREAD, MODE_SHARED, MODE_EXEC, MODE_N };

/* Whether a mode's workers are processes of their own (process, shared,
 * exec): a worker's crash is its own, and the trial reaps it. */
static inline int mode_forks(enum mode m)
{
	return m != MODE_THREAD;
}

enum ptype {
	PT_COUNT,               /* unsigned integer */
	PT_SIZE,                /* bytes; accepts K/M/G suffixes */
	PT_FRAC,                /* real number */
	PT_CHOICE,              /* one of the '|'-separated words in choices */
};

struct param {
	const char *name;       /* "heap": the K of -P K=V */
	enum ptype type;
	const char *def;        /* default, as text the parser accepts */
	double min, max;        /* allowed range (count, size, frac) */
	const char *choices;    /* PT_CHOICE: "segv|abort|kill|hang" */
	const char *help;       /* one line for `ptbench list` */
};

struct pval {
	uint64_t u;             /* PT_COUNT, PT_SIZE */
	double d;               /* every numeric type, as a double too */
	int c;                  /* PT_CHOICE: index into choices */
};

#define PTB_MAX_PARAMS 12

/* A number a workload reports through trial_metric (metrics.csv). */
struct metric {
	const char *name;       /* "lost_updates"; NULL ends a table */
	const char *unit;       /* "updates", as passed to trial_metric */
	int better;             /* +1 higher is better, -1 lower, 0 neither */
};

/* The lecture note's claims, in claims.csv order. */
enum claim_id {
	CLAIM_FASTER_RUNTIME, CLAIM_PARALLEL, CLAIM_LESS_MEMORY, CLAIM_LONGER_BURSTS,
	CLAIM_SYNC_NEED, CLAIM_COMPLEXITY, CLAIM_CRASH_ALL, CLAIM_COW, CLAIM_COW_OPS,
	CLAIM_N
};
#define CLAIM_BIT(id) (1u << (id))

struct trial;

/* One worker's share, as the workload sees it. It lives in memory shared
 * with the harness, so what a worker writes here survives its crash. */
struct worker {
	int id;                 /* 0 .. nworkers-1 */
	struct trial *t;        /* the trial it belongs to */
	_Atomic uint64_t ops;   /* units of work done so far (progress) */
	uint64_t ops_planned;   /* units this worker was given */
	uint64_t checksum;      /* its result; verify() combines them */
	double t_fault;         /* fault injection: when it faulted (s) */
	int fd[2];              /* free for the workload (pipes) */
};

/* The trial as the workload sees it (one mode, one worker count). */
struct trial {
	const struct workload *wl;
	enum mode mode;         /* process, thread, shared or exec */
	int nworkers;
	struct pval pv[PTB_MAX_PARAMS];  /* parameter values, in table order */
	struct worker **workers;         /* nworkers pointers into shared slots */
	void *priv;             /* the workload's state, made by setup() */
	struct trial_shared *sh;         /* harness-owned; workloads ignore it */
};

struct workload {
	const char *name;       /* "cpu": CLI and CSV name */
	const char *summary;    /* one line for `ptbench list` */
	unsigned claims;        /* CLAIM_BIT()s of the claims its data decide */
	const struct param *params;      /* NULL-name terminated */
	const struct metric *metrics;    /* its metrics.csv names; NULL-name terminated */
	unsigned flags;         /* WL_* below */
	int  (*setup)(struct trial *t);  /* trial process, before workers exist */
	int  (*work)(struct trial *t, struct worker *w);  /* one worker's share */
	int  (*verify)(struct trial *t); /* after join: 1 right, 0 wrong, -errno */
	void (*teardown)(struct trial *t);
	/* Bytes a trial of n workers touches at most, for the check made
	 * before anything runs; NULL when it is small. With n = 0: what the
	 * trial maps before its workers exist (each fork copies its page
	 * tables). */
	uint64_t (*footprint)(const struct pval *pv, int n, enum mode mode);
	/* Trial process, after join, before verify - also when a worker
	 * crashed or failed (not when the trial process itself died): the
	 * trial's own metrics (trial_metric with worker -1). NULL: none. */
	void (*record)(struct trial *t);
	/* The metric that -r auto repeats a cell until it is precise: the
	 * one its claims read. NULL: wall_s. */
	const char *decides;
	/* How an exec'd worker (a fresh program: nothing inherited but
	 * descriptors) gets the trial's data: WX_BUILD, it runs setup()
	 * itself, in its own process - its data are its own; WX_MAP, it maps
	 * what the trial process built with wl_map, at the same addresses,
	 * and t->priv must be wl_map memory too. */
	int exec;
	/* Why it cannot run in a mode, by mode; NULL: it can. */
	const char *refuse[MODE_N];
};

enum { WX_BUILD, WX_MAP };

#define WL_FAULTS   0x1     /* injects faults: a crash or timeout is expected */
#define WL_PAIRS    0x2     /* needs an even worker count */
#define WL_BLOCKS   0x4     /* blocks and wakes by design: its workers' waits
			     * to run are its own, not interference */

/* Records a number for metrics.csv; worker < 0 means the whole trial.
 * Called from work() (either mode) or record(), never from verify():
 * what is recorded survives a crash, and verify runs only for a trial
 * that is still ok. Returns 0 or -ENOSPC. */
int trial_metric(struct trial *t, int worker, const char *name, double value,
		 const char *unit);

/* Lets the harness's probes keep up (drains burst records). Call it now
 * and then in long loops that block or yield; it costs a branch when the
 * trial is not traced. */
void worker_tick(struct worker *w);

/* The workloads, NULL-terminated, in `ptbench list` order. */
extern const struct workload *const workloads[];
/* Finds a workload by name, or NULL. */
const struct workload *workload_find(const char *name);

/* A 64-bit hash (splitmix64's finalizer): cheap, deterministic work and
 * deterministic pseudo-random indexes, the same in every mode. */
static inline uint64_t wl_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The calling thread's minor faults so far (RUSAGE_THREAD: in a process
 * worker that is the process). */
uint64_t wl_minflt(void);

/* Maps len bytes, zeroed, for what a workload builds before its workers
 * exist; the mode decides how its workers see it: process and exec get
 * a private copy-on-write view, thread and shared the one memory (shared:
 * MAP_SHARED, nothing is copied on write). With how = WL_SHARED the memory
 * is the same for every worker and the trial in every mode (a counter the
 * trial reads back). Returns 0 and *out, or -errno. */
#define WL_SHARED 0x1
int wl_map(struct trial *t, size_t len, unsigned how, void **out);
/* Unmaps what wl_map gave (NULL: nothing). */
void wl_unmap(struct trial *t, void *addr, size_t len);

/* Places memory a workload has mapped but not yet touched where the
 * run's --membind says (first-touch: where its first writer runs). Call
 * it in setup() for what the workers share or inherit, or in work() for
 * a worker's own data (local: the worker's node). Returns 0, or -errno
 * when the kernel refuses: return that, and the trial's message names
 * the policy. */
int wl_membind(struct trial *t, void *addr, size_t len);

/* Seconds on CLOCK_MONOTONIC, the harness's clock. */
double wl_now(void);

/* Blocks the calling thread for about us microseconds (a futex wait with a
 * timeout: the thread leaves the CPU, no busy waiting). */
void wl_block_us(double us);

/* CPU time the calling thread has used, in seconds. */
double wl_thread_cpu(void);

/* Keeps the compiler from deleting work whose result is unused. */
#define KEEP(x) __asm__ volatile("" : : "r"(x) : "memory")

#endif
