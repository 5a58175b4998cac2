/* probes.h - what is measured about a worker or a process: rusage,
 * memory (smaps_rollup, VmPTE), and CPU bursts (perf context-switch
 * records, or /proc schedstat as the fallback). */
#ifndef PTB_PROBES_H
#define PTB_PROBES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

struct usage {
	double user_s, sys_s;
	uint64_t minflt, majflt, nvcsw, nivcsw;
	uint64_t maxrss_kib;
};

void probes_usage_from(struct usage *u, const struct rusage *ru);
/* The calling thread's own usage (RUSAGE_THREAD). Returns 0 or -errno. */
int probes_usage_thread(struct usage *u);

struct memsample {
	uint64_t rss_kib;       /* resident, shared pages counted in full */
	uint64_t pss_kib;       /* resident, shared pages divided among sharers */
	uint64_t uss_kib;       /* Private_Clean + Private_Dirty */
	uint64_t pte_kib;       /* page tables (VmPTE) */
};

/* Parses the text of /proc/PID/smaps_rollup. Returns 0 or -EBADMSG when a
 * field is missing. */
int probes_smaps_parse(const char *text, struct memsample *m);
/* Parses VmPTE from the text of /proc/PID/status. 0 or -EBADMSG. */
int probes_status_pte(const char *text, uint64_t *pte_kib);
/* Reads both files of one process (0 = self). Returns 0 or -errno. */
int probes_mem_sample(pid_t pid, struct memsample *m);

enum burst_src { BURSTS_AUTO, BURSTS_PERF, BURSTS_SCHEDSTAT, BURSTS_OFF, BURSTS_N };

/* One CPU burst: time on the CPU from switch-in to switch-out. */
struct burst {
	float us;
	uint32_t preempted;     /* 1: ended by preemption; 0: by blocking */
};

struct burst_stats {
	uint64_t n, preempted, lost;
	double mean_us, p50_us, p90_us, p99_us, max_us;  /* NaN: not known */
	double p50_lo_us, p50_hi_us;    /* 95% CI of the median (order statistics) */
};

/* Which source `want` gives on this machine and user: BURSTS_AUTO tries
 * perf (kernel-inclusive, then user-only) and falls back to schedstat.
 * *user_only is set when perf works only with exclude_kernel. Returns the
 * source, or -errno when the one asked for is not available. */
int bprobe_check(enum burst_src want, int *user_only);

struct bprobe {
	enum burst_src src;     /* PERF, SCHEDSTAT or OFF */
	int fd;                 /* perf event */
	void *map;              /* perf ring: a meta page, then data */
	size_t map_len, data_len;
	uint64_t go_ns, done_ns;
	uint64_t tin;           /* switch-in time of the burst in progress */
	int in;                 /* a burst is in progress */
	int stopped;            /* a switch-in after done_ns was seen */
	struct burst *b;        /* bursts of this worker */
	size_t n, cap;
	uint64_t lost;
	int ssfd;               /* /proc/self/task/TID/schedstat */
	uint64_t run0, slices0, run1, slices1;
	uint64_t vcsw0, ivcsw0, vcsw1, ivcsw1;
};

/* Opens the calling thread's probe (before its start barrier). pages =
 * perf ring size in pages (a power of two). Returns 0 or -errno. */
int bprobe_open(struct bprobe *b, enum burst_src src, int user_only, int pages);
/* The worker starts (go) or stops (done) its work now. */
void bprobe_start(struct bprobe *b);
void bprobe_stop(struct bprobe *b);
/* Drains the ring when it is half full; cheap when it is not. */
void bprobe_tick(struct bprobe *b);
/* Drains everything, computes this worker's stats. Call after the worker
 * has blocked at its end barrier (that switch-out ends its last burst). */
void bprobe_finish(struct bprobe *b, struct burst_stats *st);
void bprobe_close(struct bprobe *b);

/* Stats of a set of bursts (reorders nothing; allocates a scratch copy). */
void probes_burst_stats(const struct burst *b, size_t n, struct burst_stats *st);

#endif
