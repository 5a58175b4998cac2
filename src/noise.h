/* noise.h - how much of the machine a trial really had: other tasks' CPU
 * time and steal on its CPUs (/proc/stat), the time its workers waited to
 * run (schedstat), the machine's speed just before it (a reference loop),
 * and the rule that calls a trial quiet. */
#ifndef PTB_NOISE_H
#define PTB_NOISE_H

#include <stddef.h>
#include <stdint.h>

/* Time summed over a set of CPUs, in nanoseconds (from clock ticks). */
struct cpu_times {
	uint64_t busy_ns;       /* user, nice, system, irq, softirq */
	uint64_t steal_ns;      /* the hypervisor ran someone else */
};

/* Sums the lines "cpuN ..." of /proc/stat text over the CPUs in cpus[0..n)
 * (OS numbers; a negative entry, or n == 0, means every CPU). tick_ns is
 * the length of a clock tick. Returns 0, or -EBADMSG when a CPU asked for
 * has no line. */
int noise_stat_parse(const char *text, const int *cpus, int n, uint64_t tick_ns,
		     struct cpu_times *out);
/* The same from /proc/stat now. Returns 0 or -errno. */
int noise_stat_read(const int *cpus, int n, struct cpu_times *out);
/* The resolution of those numbers: one clock tick, in seconds. */
double noise_tick_s(void);

/* Parses schedstat text "run_ns wait_ns timeslices". 0 or -EBADMSG. */
int noise_schedstat_parse(const char *text, uint64_t *run_ns, uint64_t *wait_ns);
/* The calling thread's time spent runnable but not running, in ns. */
int noise_wait_ns(uint64_t *wait_ns);

/* The reference loop: a fixed chain of dependent multiplications, the
 * same on every run of ptbench. noise_ref_calibrate() picks the count of
 * iterations that take about target_s here (once a run); noise_ref_s()
 * times one pass of it on the calling thread. */
uint64_t noise_ref_calibrate(double target_s);
double noise_ref_s(uint64_t iters);

/* What one trial saw, for the rule below. */
struct interference {
	double wall_s;          /* the timed work */
	int ncpus;              /* distinct CPUs the workers ran on */
	double steal_s, foreign_cpu_s;  /* on those CPUs, during the work */
	double wait_s;          /* the largest wait of one worker */
	double worker_wall_s;   /* that worker's own time at work */
	double speed;           /* reference speed / the run's median; NaN unknown */
	int own_waits;          /* the trial makes its own workers wait: it
				 * blocks by design (wake-ups) or puts more
				 * workers than CPUs */
};

/* Thresholds of the rule, and why (one place). */
#define NOISE_STEAL_FRAC   0.01  /* steal above 1% of the CPU time */
#define NOISE_FOREIGN_FRAC 0.02  /* other tasks above 2% of it */
#define NOISE_WAIT_FRAC    0.02  /* a worker waiting 2% of its time */
#define NOISE_WAIT_MIN_S   0.0005 /* ... and at least 0.5 ms (scheduler jitter) */
#define NOISE_SPEED_LOW    0.90  /* the reference loop 10% slower than usual */
#define NOISE_REF_S        0.002 /* the reference loop before a trial: 2 ms */
#define NOISE_REF_CPUS     8     /* ... on up to 8 of the trial's CPUs */
#define NOISE_TICKS        2     /* /proc/stat counts whole ticks: allow 2 a CPU */

/* 1 when the trial is free of interference, else 0; why names the first
 * rule broken ("steal", "foreign CPU", "wait", "slow") or "". */
int noise_quiet(const struct interference *x, double tick_s, const char **why);

#endif
