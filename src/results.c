/* results.c - a run's result folder: made (never over anything that
 * exists), its files created with their headers, meta.csv's facts, and
 * each trial's rows, appended as soon as it ends. A row is a column
 * table: which field fills which column, and when the cell is filled. */
#include "results.h"
#include "csvio.h"
#include "meta.h"
#include "schema.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The files of a result folder that a run writes. */
static const struct {
	size_t off;             /* of its writer in struct results */
	const char *file;
	const char *const *cols;
	int n;
} files[] = {
	{ offsetof(struct results, meta), "meta.csv", meta_cols, ME_N },
	{ offsetof(struct results, trials), "trials.csv", trials_cols, TR_N },
	{ offsetof(struct results, workers), "workers.csv", workers_cols, WK_N },
	{ offsetof(struct results, metrics), "metrics.csv", metrics_cols, MT_N },
	{ offsetof(struct results, bursts), "bursts.csv", bursts_cols, BU_N },
	{ offsetof(struct results, cells), "cells.csv", cells_cols, CE_N },
};

static struct csvw **writer(struct results *rs, size_t i)
{
	return (struct csvw **)((char *)rs + files[i].off);
}

int results_open(struct results *rs, const char *dir)
{
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char path[PATH_MAX];
		int rc;

		util_strfmt(path, sizeof(path), "%s/%s", dir, files[i].file);
		rc = csvw_open(writer(rs, i), path, files[i].cols, files[i].n, 0);
		if (rc)
			return rc;
	}
	return 0;
}

int results_close(struct results *rs)
{
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		int r = csvw_close(*writer(rs, i));

		rc = rc ? rc : r;
		*writer(rs, i) = NULL;
	}
	return rc;
}

/* Room a result folder's path must leave for the longest name ptbench
 * writes inside it ("/plots/speedup_sharedread_12.svg", "/summary.csv.tmp"),
 * so that no file name is ever cut short. */
#define NAME_ROOM 64

/* Why an existing name cannot be the result folder: -EEXIST for a folder
 * (or a link to one), -ENOTDIR for anything else. */
static int taken(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? -EEXIST : -ENOTDIR;
}

/* Says why a result folder cannot be made at `dir`: at is the length of
 * the prefix that failed (mkdir_p). */
static int dir_error(const char *dir, size_t at, int rc, char *err, size_t errlen)
{
	if (rc == -ENOTDIR)
		util_strfmt(err, errlen, "cannot create output folder %s: %.*s is a file", dir, (int)at, dir);
	else if (rc == -EEXIST)
		util_strfmt(err, errlen, "output folder %s exists: results are never overwritten", dir);
	else
		util_strfmt(err, errlen, "cannot create output folder %s: %s", dir, strerror(-rc));
	return rc;
}

int results_mkdir(struct results *rs, const struct options *o, char *dir, size_t len,
		  char *err, size_t errlen)
{
	size_t *made = &rs->made;
	char host[128] = "host", stamp[32], *base;
	size_t n, at;
	struct stat st;
	int rc;

	if (len > PATH_MAX)
		len = PATH_MAX;
	if (o->out) {
		/* "dir/" is dir; "a/b/.." names no new folder */
		for (n = strlen(o->out); n > 1 && o->out[n - 1] == '/'; n--)
			;
		if (n + NAME_ROOM >= len) {
			util_strfmt(err, errlen, "output folder %.40s... is %zu bytes long: too long for the files inside it (at most %zu)",
			       o->out, n, len - NAME_ROOM - 1);
			return -ENAMETOOLONG;
		}
		util_strfmt(dir, len, "%.*s", (int)n, o->out);
		base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
		if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
			util_strfmt(err, errlen, "output folder %s ends in '%s': name the new folder itself", dir, base);
			return -EINVAL;
		}
		if (lstat(dir, &st) == 0)
			return dir_error(dir, n, taken(dir), err, errlen);
		rc = 0;
		*made = 0;
		if (base > dir + 1) {           /* the parents, as mkdir -p */
			base[-1] = '\0';
			if ((rc = util_mkdir_p(dir, 0755, made, &at)) < 0)
				util_rmdir_made(dir, *made);
			base[-1] = '/';
		}
		if (!rc && mkdir(dir, 0755) < 0) {
			rc = errno == EEXIST ? taken(dir) : -errno;
			at = n;
			util_rmdir_made(dir, *made);
		}
		if (rc)
			return dir_error(dir, at, rc, err, errlen);
		*made = *made ? *made : n;
		return 0;
	}
	gethostname(host, sizeof(host) - 1);
	host[strcspn(host, "./ ")] = '\0';
	meta_utc_now(stamp, sizeof(stamp), 1);
	if ((rc = util_mkdir_p("results", 0755, made, &at)) < 0)
		return dir_error("results", at, rc, err, errlen);
	for (int i = 1; i < 1000; i++) {
		if (i == 1)
			util_strfmt(dir, len, "results/%s-%s", stamp, host);
		else
			util_strfmt(dir, len, "results/%s-%s-%d", stamp, host, i);
		if (mkdir(dir, 0755) == 0) {
			*made = *made ? *made : strlen(dir);
			return 0;
		}
		if (errno != EEXIST) {
			rc = -errno;
			util_rmdir_made(dir, *made);
			util_strfmt(err, errlen, "cannot create %s: %s", dir, strerror(-rc));
			return rc;
		}
	}
	util_rmdir_made("results", *made);
	util_strfmt(err, errlen, "cannot find a free result folder name");
	return -EEXIST;
}

void results_remove(struct results *rs, char *dir)
{
	results_close(rs);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char path[PATH_MAX];

		unlink(util_strfmt(path, sizeof(path), "%s/%s", dir, files[i].file));
	}
	util_rmdir_made(dir, rs->made);
	dir[0] = '\0';
}

/* Writes key,value rows in order, up to the first failure. */
static int put_all(struct csvw *meta, const char *const (*kv)[2], size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++)
		rc = meta_put(meta, kv[i][0], kv[i][1]);
	return rc;
}

/* -r as text: "auto" or the count. */
static char *reps_text(uint64_t reps, char *buf, size_t len)
{
	return reps == REPS_AUTO ? util_strfmt(buf, len, "auto")
				 : util_strfmt(buf, len, "%llu", (unsigned long long)reps);
}

int results_begin(struct results *rs, const struct run_env *env, enum burst_src src,
		  int user_only, int planned, const struct cg *cg, int cg_err)
{
	const struct options *o = env->o;
	char stamp[32], noise[32], timeout[32], trials[16], reps[24], prec[32], budget[32];
	/* The command line, quoted so that a shell runs it again as it was
	 * (never cut short). */
	char *line = util_shell_join(env->argc, env->argv);
	const char *const first[][2] = {
		{ "command", line },
		{ "label", o->label ? o->label : "" },
		{ "start_utc", (meta_utc_now(stamp, sizeof(stamp), 0), stamp) },
	};
	const char *const then[][2] = {
		{ "burst_source", burst_names[src] },
		{ "burst_user_only", user_only ? "1" : "0" },
		{ "noise", util_strfmt(noise, sizeof(noise), "%g", o->noise) },
		{ "keep_noisy", o->keep_noisy ? "1" : "0" },
		{ "timeout_s", util_strfmt(timeout, sizeof(timeout), "%g", o->timeout) },
		{ "trials_planned", util_strfmt(trials, sizeof(trials), "%d", planned) },
		/* -r (a suite's rows may set their own: cells.csv has each
		 * cell's) and what -r auto aims at */
		{ "reps", reps_text(o->reps, reps, sizeof(reps)) },
		{ "precision", util_strfmt(prec, sizeof(prec), "%g", o->precision) },
		{ "budget_s", util_strfmt(budget, sizeof(budget), "%g", o->budget) },
		{ "kill_method", cg ? "cgroup" : "pgroup" },
		{ "kill_cgroup", cg ? cg->dir : "" },
		{ "oom_source", cg && cg->memory ? "memory.events" : "vmstat" },
		/* why not a cgroup: a fallback is visible, not silent */
		{ "kill_cgroup_error", cg || !cg_err ? "" : strerror(-cg_err) },
		/* on one NUMA node every policy places memory as first-touch */
		{ "membind", pin_mem_text(&o->membind, rs->membind, sizeof(rs->membind)) },
	};
	int rc = line ? put_all(rs->meta, first, ARRAY_SIZE(first)) : -ENOMEM;

	free(line);
	rs->pin = env->pin;
	if (!rc)
		rc = meta_machine(rs->meta, env->pin);
	return rc ? rc : put_all(rs->meta, then, ARRAY_SIZE(then));
}

int results_end(struct results *rs, int run, int stop_signal, uint64_t lost)
{
	char stamp[32], trials[16], sig[16], lostn[32];
	const char *const kv[][2] = {
		{ "end_utc", (meta_utc_now(stamp, sizeof(stamp), 0), stamp) },
		{ "trials_run", util_strfmt(trials, sizeof(trials), "%d", run) },
		{ "interrupted", stop_signal ? "1" : "0" },
		{ "stop_signal", util_strfmt(sig, sizeof(sig), "%d", stop_signal) },
		{ "burst_lost_records", util_strfmt(lostn, sizeof(lostn), "%llu", (unsigned long long)lost) },
	};

	return put_all(rs->meta, kv, ARRAY_SIZE(kv));
}

/* Which struct a cell's value is in. */
enum src { S_ID, S_EXP, S_WL, S_RES, S_WRK, S_MET, S_DER, S_CELL, S_N };

/* The C type of the value and how it is written. */
enum kind {
	K_INT,                  /* int, as a whole number */
	K_U64,                  /* uint64_t */
	K_NUM,                  /* double, 7 significant digits; NaN: empty */
	K_TEXT,                 /* char array */
	K_STR,                  /* const char * */
	K_NAME,                 /* an enum, as names[value] */
};

/* When the cell is filled; otherwise it stays empty. */
enum when {
	ALWAYS,
	NONZERO,                /* the value is not 0 */
	NONNEG,                 /* the value is not negative */
	USAGE,                  /* the row has rusage numbers */
	MEM,                    /* the row has memory numbers */
	TRACED,                 /* the trial was traced */
	AUTO,                   /* the cell repeats under -r auto */
};

/* One column of a row. */
struct colspec {
	int col;                /* enum trials_col, workers_col, ... */
	enum src src;
	size_t off;             /* of the value in its struct */
	enum kind kind;
	enum when when;
	const char *const *names;       /* K_NAME */
};

/* Values a row computes rather than copies. */
struct derived {
	int index;              /* the worker's number */
	double ops_per_s;       /* NaN unless the trial is ok and timed */
	double preempted_frac;  /* NaN without bursts */
	double bin_lo, bin_hi;  /* a histogram bin's edges */
	uint64_t blocked, preempted;    /* and its counts */
	char reps[24];                  /* a cell's -r: "auto" or the count */
	int core, package, numa;        /* of a worker's observed CPU; -1 unknown */
	int cpukind;                    /* its kind's efficiency rank */
	const char *cpukind_name;       /* "" when the OS names none */
	int smt_busy;                   /* another worker on its core; -1 unknown */
	const char *membind;            /* the run's --membind */
};

/* What one row is made of. */
struct rowctx {
	const void *at[S_N];    /* the structs, by enum src */
	int usage, mem, traced, autorep;        /* the conditions of enum when */
};

_Static_assert(sizeof(enum mode) == sizeof(int) && sizeof(enum pin_policy) == sizeof(int) &&
	       sizeof(enum trial_status) == sizeof(int) &&
	       sizeof(enum worker_status) == sizeof(int) && sizeof(enum burst_src) == sizeof(int),
	       "K_NAME reads an enum as an int");

#define ID(f)   S_ID, offsetof(struct trial_id, f)
#define EXP(f)  S_EXP, offsetof(struct experiment, f)
#define WL(f)   S_WL, offsetof(struct workload, f)
#define RES(f)  S_RES, offsetof(struct trial_result, f)
#define WRK(f)  S_WRK, offsetof(struct worker_result, f)
#define MET(f)  S_MET, offsetof(struct metric_value, f)
#define DER(f)  S_DER, offsetof(struct derived, f)
#define CELL(f) S_CELL, offsetof(struct cell_end, f)

static const struct colspec trial_row[] = {
	{ TR_TRIAL,                ID(id),             K_INT,  ALWAYS, NULL },
	{ TR_WORKLOAD,             WL(name),           K_STR,  ALWAYS, NULL },
	{ TR_MODE,                 ID(mode),           K_NAME, ALWAYS, mode_values },
	{ TR_WORKERS,              ID(workers),        K_INT,  ALWAYS, NULL },
	{ TR_PIN,                  EXP(pin),           K_NAME, ALWAYS, pin_names },
	{ TR_REP,                  ID(rep),            K_INT,  ALWAYS, NULL },
	{ TR_TRACED,               ID(traced),         K_INT,  ALWAYS, NULL },
	{ TR_STATUS,               RES(status),        K_NAME, ALWAYS, trial_status_names },
	{ TR_WALL_S,               RES(wall_s),        K_NUM,  ALWAYS, NULL },
	{ TR_SPAWN_S,              RES(spawn_s),       K_NUM,  ALWAYS, NULL },
	{ TR_JOIN_S,               RES(join_s),        K_NUM,  ALWAYS, NULL },
	{ TR_USER_S,               RES(sum.user_s),    K_NUM,  USAGE,  NULL },
	{ TR_SYS_S,                RES(sum.sys_s),     K_NUM,  USAGE,  NULL },
	{ TR_MINFLT,               RES(sum.minflt),    K_U64,  USAGE,  NULL },
	{ TR_MAJFLT,               RES(sum.majflt),    K_U64,  USAGE,  NULL },
	{ TR_NVCSW,                RES(sum.nvcsw),     K_U64,  USAGE,  NULL },
	{ TR_NIVCSW,               RES(sum.nivcsw),    K_U64,  USAGE,  NULL },
	{ TR_OPS,                  RES(ops),           K_U64,  ALWAYS, NULL },
	{ TR_OPS_PER_S,            DER(ops_per_s),     K_NUM,  ALWAYS, NULL },
	{ TR_CHECKSUM_OK,          RES(checksum_ok),   K_INT,  NONNEG, NULL },
	{ TR_MAXRSS_KIB,           RES(maxrss_kib),    K_U64,  NONZERO, NULL },
	{ TR_RSS_SUM_KIB,          RES(mem.rss_kib),   K_U64,  MEM,    NULL },
	{ TR_PSS_KIB,              RES(mem.pss_kib),   K_U64,  MEM,    NULL },
	{ TR_USS_KIB,              RES(mem.uss_kib),   K_U64,  MEM,    NULL },
	{ TR_PTE_KIB,              RES(mem.pte_kib),   K_U64,  MEM,    NULL },
	{ TR_BURST_N,              RES(bs.n),          K_U64,  TRACED, NULL },
	{ TR_BURST_MEAN_US,        RES(bs.mean_us),    K_NUM,  TRACED, NULL },
	{ TR_BURST_P50_US,         RES(bs.p50_us),     K_NUM,  TRACED, NULL },
	{ TR_BURST_P90_US,         RES(bs.p90_us),     K_NUM,  TRACED, NULL },
	{ TR_BURST_P99_US,         RES(bs.p99_us),     K_NUM,  TRACED, NULL },
	{ TR_BURST_MAX_US,         RES(bs.max_us),     K_NUM,  TRACED, NULL },
	{ TR_BURST_SOURCE,         ID(src),            K_NAME, TRACED, burst_names },
	{ TR_BURST_P50_LO_US,      RES(bs.p50_lo_us),  K_NUM,  TRACED, NULL },
	{ TR_BURST_P50_HI_US,      RES(bs.p50_hi_us),  K_NUM,  TRACED, NULL },
	{ TR_BURST_PREEMPTED_FRAC, DER(preempted_frac), K_NUM, TRACED, NULL },
	{ TR_BURST_LOST,           RES(bs.lost),       K_U64,  TRACED, NULL },
	{ TR_PARAMS,               EXP(params),        K_TEXT, ALWAYS, NULL },
	{ TR_WARMUP,               ID(warmup),         K_INT,  ALWAYS, NULL },
	{ TR_EXPECTED,             RES(expected),      K_INT,  ALWAYS, NULL },
	{ TR_SIGNAL,               RES(signal),        K_INT,  NONZERO, NULL },
	{ TR_MESSAGE,              RES(message),       K_TEXT, ALWAYS, NULL },
	{ TR_WAIT_S,               RES(wait_s),        K_NUM,  ALWAYS, NULL },
	{ TR_STEAL_S,              RES(steal_s),       K_NUM,  ALWAYS, NULL },
	{ TR_FOREIGN_CPU_S,        RES(foreign_cpu_s), K_NUM,  ALWAYS, NULL },
	{ TR_SPEED,                RES(speed),         K_NUM,  ALWAYS, NULL },
	{ TR_QUIET,                RES(quiet),         K_INT,  NONNEG, NULL },
	{ TR_MEMBIND,              DER(membind),       K_STR,  ALWAYS, NULL },
};

static const struct colspec worker_row[] = {
	{ WK_TRIAL,          ID(id),              K_INT,  ALWAYS,  NULL },
	{ WK_WORKER,         DER(index),          K_INT,  ALWAYS,  NULL },
	{ WK_PID,            WRK(pid),            K_INT,  NONZERO, NULL },
	{ WK_TID,            WRK(tid),            K_INT,  NONZERO, NULL },
	{ WK_CPU_REQUESTED,  WRK(cpu_requested),  K_INT,  NONNEG,  NULL },
	{ WK_CPU_OBSERVED,   WRK(cpu_observed),   K_INT,  NONNEG,  NULL },
	{ WK_STATUS,         WRK(status),         K_NAME, ALWAYS,  worker_status_names },
	{ WK_SIGNAL,         WRK(signal),         K_INT,  NONZERO, NULL },
	{ WK_WALL_S,         WRK(wall_s),         K_NUM,  ALWAYS,  NULL },
	{ WK_USER_S,         WRK(u.user_s),       K_NUM,  USAGE,   NULL },
	{ WK_SYS_S,          WRK(u.sys_s),        K_NUM,  USAGE,   NULL },
	{ WK_MINFLT,         WRK(u.minflt),       K_U64,  USAGE,   NULL },
	{ WK_MAJFLT,         WRK(u.majflt),       K_U64,  USAGE,   NULL },
	{ WK_NVCSW,          WRK(u.nvcsw),        K_U64,  USAGE,   NULL },
	{ WK_NIVCSW,         WRK(u.nivcsw),       K_U64,  USAGE,   NULL },
	{ WK_OPS,            WRK(ops),            K_U64,  ALWAYS,  NULL },
	{ WK_BURST_N,        WRK(bs.n),           K_U64,  TRACED,  NULL },
	{ WK_BURST_MEAN_US,  WRK(bs.mean_us),     K_NUM,  TRACED,  NULL },
	{ WK_BURST_P99_US,   WRK(bs.p99_us),      K_NUM,  TRACED,  NULL },
	{ WK_PREEMPTED_FRAC, DER(preempted_frac), K_NUM,  TRACED,  NULL },
	{ WK_BURST_LOST,     WRK(bs.lost),        K_U64,  TRACED,  NULL },
	{ WK_RSS_KIB,        WRK(mem.rss_kib),    K_U64,  MEM,     NULL },
	{ WK_PSS_KIB,        WRK(mem.pss_kib),    K_U64,  MEM,     NULL },
	{ WK_USS_KIB,        WRK(mem.uss_kib),    K_U64,  MEM,     NULL },
	{ WK_PTE_KIB,        WRK(mem.pte_kib),    K_U64,  MEM,     NULL },
	{ WK_WAIT_S,         WRK(wait_s),         K_NUM,  ALWAYS,  NULL },
	{ WK_CORE,           DER(core),           K_INT,  NONNEG,  NULL },
	{ WK_PACKAGE,        DER(package),        K_INT,  NONNEG,  NULL },
	{ WK_NUMA,           DER(numa),           K_INT,  NONNEG,  NULL },
	{ WK_CPUKIND,        DER(cpukind),        K_INT,  NONNEG,  NULL },
	{ WK_CPUKIND_NAME,   DER(cpukind_name),   K_STR,  ALWAYS,  NULL },
	{ WK_SMT_SIBLING_BUSY, DER(smt_busy),     K_INT,  NONNEG,  NULL },
};

static const struct colspec metric_row[] = {
	{ MT_TRIAL,  ID(id),      K_INT,  ALWAYS, NULL },
	{ MT_WORKER, MET(worker), K_INT,  NONNEG, NULL },
	{ MT_METRIC, MET(name),   K_TEXT, ALWAYS, NULL },
	{ MT_VALUE,  MET(value),  K_NUM,  ALWAYS, NULL },
	{ MT_UNIT,   MET(unit),   K_TEXT, ALWAYS, NULL },
};

static const struct colspec burst_row[] = {
	{ BU_TRIAL,     ID(id),         K_INT,  ALWAYS, NULL },
	{ BU_WORKLOAD,  WL(name),       K_STR,  ALWAYS, NULL },
	{ BU_MODE,      ID(mode),       K_NAME, ALWAYS, mode_values },
	{ BU_WORKERS,   ID(workers),    K_INT,  ALWAYS, NULL },
	{ BU_BIN_LO_US, DER(bin_lo),    K_NUM,  ALWAYS, NULL },
	{ BU_BIN_HI_US, DER(bin_hi),    K_NUM,  ALWAYS, NULL },
	{ BU_BLOCKED,   DER(blocked),   K_U64,  ALWAYS, NULL },
	{ BU_PREEMPTED, DER(preempted), K_U64,  ALWAYS, NULL },
};

static const struct colspec cell_row[] = {
	{ CE_WORKLOAD,   WL(name),           K_STR,  ALWAYS, NULL },
	{ CE_WORKERS,    CELL(workers),      K_INT,  ALWAYS, NULL },
	{ CE_PIN,        EXP(pin),           K_NAME, ALWAYS, pin_names },
	{ CE_PARAMS,     EXP(params),        K_TEXT, ALWAYS, NULL },
	{ CE_REPS,       DER(reps),          K_TEXT, ALWAYS, NULL },
	{ CE_PRECISION,  EXP(precision),     K_NUM,  AUTO,   NULL },
	{ CE_BUDGET_S,   EXP(budget),        K_NUM,  AUTO,   NULL },
	{ CE_METRIC,     CELL(metric),       K_STR,  ALWAYS, NULL },
	{ CE_PAIRS,      CELL(pairs),        K_INT,  ALWAYS, NULL },
	{ CE_UNUSABLE,   CELL(unusable),     K_INT,  ALWAYS, NULL },
	{ CE_ESTIMATE,   CELL(estimate),     K_NUM,  ALWAYS, NULL },
	{ CE_HALF_WIDTH, CELL(half_width),   K_NUM,  ALWAYS, NULL },
	{ CE_STOPPED,    CELL(stopped),      K_STR,  ALWAYS, NULL },
	{ CE_ELAPSED_S,  CELL(elapsed_s),    K_NUM,  ALWAYS, NULL },
};

/* Fills one cell of row from its column's spec, or leaves it empty. */
static void put_cell(struct row *row, const struct colspec *s, const struct rowctx *c)
{
	const char *p = (const char *)c->at[s->src] + s->off;
	uint64_t u;
	int neg = 0;

	if ((s->when == USAGE && !c->usage) || (s->when == MEM && !c->mem) ||
	    (s->when == TRACED && !c->traced) || (s->when == AUTO && !c->autorep))
		return;
	switch (s->kind) {
	case K_NUM:
		row_num(row, s->col, *(const double *)p);
		return;
	case K_TEXT:
		row_str(row, s->col, p);
		return;
	case K_STR:
		row_str(row, s->col, *(const char *const *)p);
		return;
	case K_NAME:
		row_str(row, s->col, s->names[*(const int *)p]);
		return;
	case K_INT:
		neg = *(const int *)p < 0;
		u = (uint64_t)*(const int *)p;
		break;
	case K_U64:
	default:
		u = *(const uint64_t *)p;
		break;
	}
	if ((s->when == NONZERO && u == 0) || (s->when == NONNEG && neg))
		return;
	row_u64(row, s->col, u);
}

/* Writes one row of ncols columns from a column table. */
static int put_row(struct csvw *w, int ncols, const struct colspec *cs, size_t n,
		   const struct rowctx *c)
{
	struct row row;

	row_init(&row, ncols);
	for (size_t i = 0; i < n; i++)
		put_cell(&row, &cs[i], c);
	return csvw_row(w, &row);
}

static double frac(uint64_t part, uint64_t n)
{
	return n ? (double)part / (double)n : NAN;
}

/* Where worker i ran (its observed CPU) into d; cores[] holds every
 * worker's core (-1 unknown), for smt_sibling_busy. */
static void worker_where(const struct results *rs, const struct trial_result *r, int i,
			 const int *cores, struct derived *d)
{
	int cpu = r->w[i].cpu_observed;

	d->core = d->package = d->numa = d->cpukind = d->smt_busy = -1;
	d->cpukind_name = "";
	if (!rs->pin || cpu < 0 || pin_where(rs->pin, cpu, &d->core, &d->package, &d->numa) < 0)
		return;
	pin_cpukind(rs->pin, cpu, &d->cpukind, &d->cpukind_name);
	d->smt_busy = 0;
	for (int j = 0; j < r->nworkers && d->core >= 0; j++)
		if (j != i && cores[j] == d->core)
			d->smt_busy = 1;
}

int results_trial(struct results *rs, const struct trial_id *ti, const struct trial_result *r)
{
	struct derived d = {
		.ops_per_s = r->wall_s > 0 && r->status == TS_OK ? (double)r->ops / r->wall_s : NAN,
		.preempted_frac = frac(r->bs.preempted, r->bs.n),
		.membind = rs->membind,
	};
	struct rowctx c = {
		.at = { [S_ID] = ti, [S_EXP] = ti->e, [S_WL] = ti->e->wl, [S_RES] = r, [S_DER] = &d },
		.usage = r->has_usage, .mem = r->has_mem, .traced = ti->traced,
	};
	int rc = put_row(rs->trials, TR_N, trial_row, ARRAY_SIZE(trial_row), &c);
	int *cores = calloc((size_t)r->nworkers + 1, sizeof(*cores));

	if (!cores)
		return rc ? rc : -ENOMEM;
	for (int i = 0; i < r->nworkers; i++) {
		int pkg, numa;

		if (!rs->pin || r->w[i].cpu_observed < 0 ||
		    pin_where(rs->pin, r->w[i].cpu_observed, &cores[i], &pkg, &numa) < 0)
			cores[i] = -1;
	}
	for (int i = 0; !rc && i < r->nworkers; i++) {
		const struct worker_result *w = &r->w[i];

		d.index = i;
		worker_where(rs, r, i, cores, &d);
		d.preempted_frac = frac(w->bs.preempted, w->bs.n);
		c.at[S_WRK] = w;
		c.usage = w->has_usage;
		c.mem = w->has_mem;
		rc = put_row(rs->workers, WK_N, worker_row, ARRAY_SIZE(worker_row), &c);
	}
	free(cores);
	for (int i = 0; !rc && i < r->nmetrics; i++) {
		c.at[S_MET] = &r->metrics[i];
		rc = put_row(rs->metrics, MT_N, metric_row, ARRAY_SIZE(metric_row), &c);
	}
	for (int b = 0; !rc && ti->traced && ti->src == BURSTS_PERF && r->bs.n && b < HIST_BINS; b++) {
		d.bin_lo = stats_hist_lo(b);
		d.bin_hi = stats_hist_hi(b);
		d.blocked = r->hist[0][b];
		d.preempted = r->hist[1][b];
		rc = put_row(rs->bursts, BU_N, burst_row, ARRAY_SIZE(burst_row), &c);
	}
	return rc;
}

int results_cell(struct results *rs, const struct cell_end *ce)
{
	struct derived d = { 0 };
	struct rowctx c = {
		.at = { [S_EXP] = ce->e, [S_WL] = ce->e->wl, [S_DER] = &d, [S_CELL] = ce },
		.autorep = ce->e->reps == REPS_AUTO,
	};

	reps_text((uint64_t)ce->e->reps, d.reps, sizeof(d.reps));
	return put_row(rs->cells, CE_N, cell_row, ARRAY_SIZE(cell_row), &c);
}
