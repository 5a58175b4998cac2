/* opts.h - the command-line options (one table with ranges) and the
 * workload parameters; pure parsing, no side effects, unit-tested. */
#ifndef PTB_OPTS_H
#define PTB_OPTS_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "pin.h"
#include "probes.h"
#include "workload.h"

extern const char *const burst_names[BURSTS_N];
extern const char *const *const mode_names;   /* MODE_N names, in enum mode order */

enum opt_id {
	O_MODES, O_WORKERS, O_REPS, O_PRECISION, O_BUDGET, O_WARMUP, O_TRACED, O_PIN,
	O_PARAM, O_OUT, O_TIMEOUT,
	O_BURSTS, O_SYNTHETIC, O_LABEL, O_NOISE, O_CSV, O_QUIET, O_HELP,
	O_VERSION, O_KEEP_NOISY,
	O_NO_EXPORT, O_DRY_RUN, O_MAX_TIME, O_TOPOLOGY,
	O_CPUKIND,
	O_MEMBIND,
	O_N
};

#define MAX_WORKERS 4096        /* per trial; resource checks may say less */
#define MAX_LIST 64             /* items in a -n list, and -P options */
#define REPS_MAX 1000           /* counted repetitions of a cell, also with -r auto */
#define REPS_AUTO 0             /* -r auto: repeat until precise (run.c) */

/* One item of a -n list: lo..hi workers, or lo..hi per PU ("4x", "max");
 * a geometric range ("1-max:x2") steps by factor and always ends at hi. */
struct witem {
	int lo, hi;             /* hi -1: the PU count */
	int per_pu;
	int factor;             /* 0: every count; >= 2: lo, lo*f, ..., hi */
	int cores;              /* "pow2": the core count joins the sweep */
};

struct wspec {
	int n;
	struct witem item[MAX_LIST];
};

struct options {
	unsigned modes;                 /* bit (1 << enum mode) */
	struct wspec workers;
	uint64_t reps, warmup, traced;  /* reps: REPS_AUTO or 1..REPS_MAX */
	double precision, budget;       /* -r auto's goal and time limit a cell */
	enum pin_policy pin;
	enum pin_kind cpukind;          /* which kind of core placement uses */
	int nparams;
	const char *params[MAX_LIST];   /* "K=V", checked per workload later */
	const char *out;
	double timeout;
	enum burst_src bursts;
	const char *synthetic;
	const char *topology;           /* --topology FILE.xml */
	const char *label;
	double noise;
	int csv, quiet, help, version;
	int keep_noisy;                 /* count disturbed trials too */
	struct pin_mem membind;         /* where a trial's prebuilt data lives */
	int dry_run;                    /* print the plan and its estimate only */
	double max_time;                /* refuse a plan estimated longer (s) */
	int given[O_N];                 /* which options the user set */
	int npos;
	const char *pos[MAX_LIST];      /* positional arguments */
};

/* Fills o with every default. */
void opts_defaults(struct options *o);

/* Parses argv[0..argc) (options and positional arguments in any order,
 * "--" ends options). On a bad option or value, returns -EINVAL and
 * writes one line naming it into err. */
int opts_parse(struct options *o, int argc, char **argv, char *err, size_t errlen);

/* Parses a -n list ("1,2,4", "1-8", "max", "4x", "1-max:x2", "pow2").
 * Returns 0 or -EINVAL. */
int opts_wspec_parse(struct wspec *s, const char *text, char *err, size_t errlen);

/* Expands a -n list for a machine of pc->pus PUs and pc->cores cores into
 * sorted distinct worker counts. Returns how many (at most max), or
 * -EINVAL / -E2BIG (over MAX_WORKERS) with err set. */
int opts_wspec_resolve(const struct wspec *s, const struct pin_counts *pc, int *out,
		       int max, char *err, size_t errlen);


/* Parses a real number for option id within the table's range, for
 * `what` (the option or suite column named in the message). Returns 0 or
 * -EINVAL with err set. */
int opt_real(enum opt_id id, const char *text, const char *what, double *out, char *err,
	     size_t errlen);

/* Parses a count of repetitions, "auto" (REPS_AUTO) or 1..REPS_MAX, for
 * `what` (the option or suite column named in the message). Returns 0 or
 * -EINVAL with err set. */
int reps_parse(const char *text, const char *what, uint64_t *reps, char *err, size_t errlen);

/* Parses "process,thread" into a mode bitmask. Returns 0 or -EINVAL. */
int opts_modes_parse(const char *text, unsigned *modes, char *err, size_t errlen);

/* Index of word in a '|'-separated list, or -1. */
int opts_choice_index(const char *choices, const char *word, size_t len);

/* Sets pv[] to a workload's defaults, then applies each "K=V" (later ones
 * win). An unknown key or a bad value returns -EINVAL with err set. */
int opts_params_parse(const struct workload *wl, const char *const *kv, int n,
		 struct pval *pv, char *err, size_t errlen);
/* Nonzero when the K of "K=V" is one of the workload's parameters. */
int opts_param_known(const struct workload *wl, const char *kv);
/* Splits "k=v;k=v" into kv[] pointers into buf. Returns count or -E2BIG. */
int opts_params_split(char *buf, const char **kv, int max);
/* Canonical text of a parameter set: "heap=256M;thp=off". */
char *opts_params_format(const struct workload *wl, const struct pval *pv,
		    char *buf, size_t len);

/* The usage text. */
void opts_usage(FILE *fp);

#endif
