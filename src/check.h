/* check.h - the machine's fitness for benchmarking: frequency governor,
 * turbo, SMT, isolated CPUs, cgroup limits, virtualization, load, steal,
 * THP, ASLR, perf permission, clock source. Each fact is read from files
 * under a root folder ("/" for this machine; a test points it at a fake
 * tree), then judged by a pure function into ok, info or warn with what
 * to do. Advice only: nothing here refuses a run. */
#ifndef PTB_CHECK_H
#define PTB_CHECK_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CHECK_TEXT 512

/* A file's text, and whether it was there. */
struct check_text {
	int known;              /* the file could be read */
	char s[CHECK_TEXT];     /* its text, trailing newline and spaces cut */
};

/* What the files say, before any judgement. */
struct check_facts {
	struct check_text governor;     /* every CPU's governor, distinct ones joined by ',' */
	struct check_text no_turbo;     /* intel_pstate/no_turbo */
	struct check_text boost;        /* cpufreq/boost */
	struct check_text smt;          /* smt/control */
	struct check_text isolated;     /* cpu/isolated */
	struct check_text nohz_full;    /* cpu/nohz_full */
	struct check_text cmdline;      /* the isolcpus= and nohz_full= words of /proc/cmdline */
	struct check_text online;       /* cpu/online */
	int cpuinfo_known;              /* /proc/cpuinfo could be read */
	int hypervisor_flag;            /* its flags (Features on arm) say hypervisor */
	int cpuinfo_cpus;               /* its processor lines */
	struct check_text dmi;          /* DMI sys_vendor and product_name, joined by ' ' */
	struct check_text meminfo;      /* MemTotal line of /proc/meminfo */
	int quota_known;                /* a cgroup hierarchy with CPU quota files was found */
	double quota_cpus;              /* the lowest CPU quota on the path, in CPUs; 0 none */
	char quota_file[PATH_MAX];      /* the file that sets it */
	int mem_known;                  /* a cgroup hierarchy with memory limits was found */
	uint64_t mem_limit;             /* the lowest memory limit on the path; 0 none */
	char mem_file[PATH_MAX];        /* the file that sets it */
	struct check_text cpuset;       /* the cgroup's effective CPUs */
	struct check_text loadavg;      /* /proc/loadavg */
	struct check_text stat_cpu;     /* the "cpu " line of /proc/stat */
	struct check_text thp;          /* transparent_hugepage/enabled */
	struct check_text aslr;         /* kernel/randomize_va_space */
	struct check_text paranoid;     /* kernel/perf_event_paranoid */
	struct check_text clocksource;  /* current_clocksource */
	struct check_text clocksources; /* available_clocksource */
	int euid;                       /* who asks: root may use perf regardless */
};

enum check_status { CHECK_OK, CHECK_INFO, CHECK_WARN };

/* One judged fact: a line of `ptbench check`. */
struct check_line {
	const char *name;               /* "governor"; meta.csv key check_<name> */
	char value[160];                /* "performance", "unknown", ... */
	enum check_status status;
	char advice[400];               /* why it matters and what to do */
};

#define CHECK_N 16                      /* facts, lines */

/* Reads every fact from the files under root, as the calling user
 * (euid). A file that is missing leaves its fact unknown. */
void check_read(const char *root, struct check_facts *f);

/* The lowest limit that control file v1 (in the cgroup v1 hierarchy of
 * ctl) or v2 (in cgroup2) sets on this process or any parent, read from
 * the files under root: CPUs for a CPU quota, bytes for memory, a count
 * for pids; INFINITY for none (NaN never). where gets the file that set
 * it; *known is 0 when neither hierarchy was found. */
double check_cg_limit(const char *root, const char *ctl, const char *v1, const char *v2,
		      char *where, size_t wlen, int *known);

/* Judges the facts into CHECK_N lines, in a fixed order. Pure. */
void check_eval(const struct check_facts *f, struct check_line lines[CHECK_N]);

/* check_read then check_eval, for this machine ("/", geteuid()). */
void check_machine(struct check_line lines[CHECK_N]);

/* "ok", "info" or "warn". */
const char *check_status_name(enum check_status s);

/* Prints the lines as aligned text, one a fact. */
void check_print(FILE *fp, const struct check_line lines[CHECK_N]);

/* Writes the lines as CSV (check_cols) to stdout. Returns 0 or -errno. */
int check_csv(const struct check_line lines[CHECK_N]);

/* Prints one line "ptbench: warning: NAME is VALUE: ADVICE" for each
 * fact under root ("/": this machine) that warns; returns how many. A run
 * calls it once its input is known to be good (an input error must stay
 * its one line), before the first trial, unless -q. */
int check_warn(FILE *fp, const char *root);

/* Calls fn with "check_<name>" and the value of each fact of this
 * machine, for meta.csv. */
void check_describe(void (*fn)(void *arg, const char *key, const char *value), void *arg);

/* The word in brackets of a sysfs choice ("always [madvise] never" ->
 * "madvise"), else the whole text, into buf. Returns buf. */
char *check_bracketed(const char *text, char *buf, size_t len);

#endif
