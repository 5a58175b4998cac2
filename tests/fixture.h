/* fixture.h - small synthetic result folders, written through the same
 * CSV schema as ptbench's, for tests of the analysis and the verdicts. */
#ifndef PTB_FIXTURE_H
#define PTB_FIXTURE_H

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "schema.h"
#include "util.h"

struct fx {
	char dir[64];
	struct csvw *trials, *metrics, *meta;
	int id;
	int ncols;              /* trials.csv's columns: fewer for an older folder */
};

/* A folder whose trials.csv has the first ncols columns of today's. */
static inline int fx_open_cols(struct fx *f, int ncols)
{
	char path[PATH_MAX];

	memset(f, 0, sizeof(*f));
	f->ncols = ncols;
	util_strfmt(f->dir, sizeof(f->dir), "/tmp/ptb-fx-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	util_strfmt(path, sizeof(path), "%s/trials.csv", f->dir);
	if (csvw_open(&f->trials, path, trials_cols, ncols, 0))
		return -1;
	util_strfmt(path, sizeof(path), "%s/metrics.csv", f->dir);
	if (csvw_open(&f->metrics, path, metrics_cols, MT_N, 0))
		return -1;
	util_strfmt(path, sizeof(path), "%s/meta.csv", f->dir);
	if (csvw_open(&f->meta, path, meta_cols, ME_N, 0))
		return -1;
	return 0;
}

static inline int fx_open(struct fx *f)
{
	return fx_open_cols(f, TR_N);
}

/* Index of a trials.csv column by name. */
static inline int fx_col(const char *name)
{
	for (int i = 0; i < TR_N; i++)
		if (!strcmp(trials_cols[i], name))
			return i;
	return -1;
}

/* Adds one counted trial of a cell and mode, repetition rep. cols and
 * metrics are "name=value;..." (trials.csv columns, trial-level metrics),
 * every value times scale. */
static inline void fx_trial(struct fx *f, const char *wl, const char *params, const char *mode,
			    int workers, int rep, int traced, const char *cols, const char *metrics,
			    double scale)
{
	char buf[1024], *save, *kv;
	struct row r;
	int id = ++f->id;

	row_init(&r, f->ncols);
	row_u64(&r, TR_TRIAL, (uint64_t)id);
	row_str(&r, TR_WORKLOAD, wl);
	row_str(&r, TR_MODE, mode);
	row_u64(&r, TR_WORKERS, (uint64_t)workers);
	row_str(&r, TR_PIN, "core");
	row_u64(&r, TR_REP, (uint64_t)rep);
	row_u64(&r, TR_TRACED, (uint64_t)traced);
	row_str(&r, TR_STATUS, "ok");
	row_str(&r, TR_PARAMS, params);
	row_u64(&r, TR_WARMUP, 0);
	row_u64(&r, TR_EXPECTED, 1);
	util_strfmt(buf, sizeof(buf), "%s", cols ? cols : "");
	for (kv = strtok_r(buf, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(kv, '=');

		*eq = '\0';
		row_num(&r, fx_col(kv), strtod(eq + 1, NULL) * scale);
	}
	csvw_row(f->trials, &r);
	util_strfmt(buf, sizeof(buf), "%s", metrics ? metrics : "");
	for (kv = strtok_r(buf, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(kv, '=');

		*eq = '\0';
		row_init(&r, MT_N);
		row_u64(&r, MT_TRIAL, (uint64_t)id);
		row_str(&r, MT_METRIC, kv);
		row_num(&r, MT_VALUE, strtod(eq + 1, NULL) * scale);
		row_str(&r, MT_UNIT, "");
		csvw_row(f->metrics, &r);
	}
}

/* Adds `reps` counted trials of one cell and mode, repetitions 1..reps;
 * repetition k multiplies every value by 1 + 0.002 (k - 1), so a CI
 * exists and is narrow. */
static inline void fx_cell(struct fx *f, const char *wl, const char *params, const char *mode,
			   int workers, int reps, int traced, const char *cols, const char *metrics)
{
	for (int k = 0; k < reps; k++)
		fx_trial(f, wl, params, mode, workers, k + 1, traced, cols, metrics, 1 + 0.002 * k);
}

/* A key,value row of meta.csv (before fx_close). */
static inline void fx_meta(struct fx *f, const char *key, const char *value)
{
	const char *kv[2] = { key, value };

	csvw_cells(f->meta, kv, 2);
}

/* The modes beyond process and thread, as trials.csv names them. */
static const char *const fx_extra_modes[] = { "shared", "exec" };

/* `reps` repetitions of a cell in process, thread, shared and exec, each
 * repetition's four trials back to back (as a run interleaves the modes);
 * cols[i], metrics[i]: mode i's (in that order; NULL: none), every value
 * times 1 + 0.002 (k - 1) as fx_cell does. */
static inline void fx_cell4(struct fx *f, const char *wl, const char *params, int workers, int reps,
			    int traced, const char *const cols[4], const char *const metrics[4])
{
	static const char *const modes[4] = { "process", "thread", "shared", "exec" };

	for (int k = 0; k < reps; k++)
		for (int m = 0; m < 4; m++)
			fx_trial(f, wl, params, modes[m], workers, k + 1, traced, cols[m],
				 metrics ? metrics[m] : NULL, 1 + 0.002 * k);
}

static inline void fx_close(struct fx *f);

/* A folder of every mode with the data of the spawn, cow, memory and
 * speedup charts (three repetitions each), not yet analysed. Returns 0
 * or -1. */
static inline int fx_four_modes(struct fx *f)
{
	static const struct {
		const char *wl, *params;
		int workers;
		const char *cols[4], *metrics[4];
	} cells[] = {
		{ "spawn", "heap=0", 2,
		  { "spawn_s=0.001;pss_kib=2000;rss_sum_kib=6000", "spawn_s=0.0002;pss_kib=1000;rss_sum_kib=3000",
		    "spawn_s=0.0008;pss_kib=1100;rss_sum_kib=5000", "spawn_s=0.0005;pss_kib=2100;rss_sum_kib=6000" },
		  { NULL } },
		{ "spawn", "heap=64M", 2,
		  { "spawn_s=0.004;pss_kib=66000", "spawn_s=0.0004;pss_kib=65000",
		    "spawn_s=0.001;pss_kib=65500", "spawn_s=0.0005;pss_kib=2100" }, { NULL } },
		{ "cpu", "total=1", 1, { "ops_per_s=100", "ops_per_s=100", "ops_per_s=100", "ops_per_s=100" },
		  { NULL } },
		{ "cpu", "total=1", 2, { "ops_per_s=195", "ops_per_s=196", "ops_per_s=194", "ops_per_s=190" },
		  { NULL } },
		{ "cow", "heap=64M;write=0.5", 2, { NULL },
		  { "pages_written=8192;faults_per_worker=8192", "pages_written=8192;faults_per_worker=8192",
		    "pages_written=8192;faults_per_worker=2", "pages_written=8192;faults_per_worker=8192" } },
	};

	if (fx_open(f) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		fx_cell4(f, cells[i].wl, cells[i].params, cells[i].workers, 3, 0, cells[i].cols,
			 cells[i].metrics);
	fx_close(f);
	return 0;
}

static inline void fx_close(struct fx *f)
{
	const char *noise[2] = { "noise", "0.03" };

	csvw_cells(f->meta, noise, 2);
	csvw_close(f->trials);
	csvw_close(f->metrics);
	csvw_close(f->meta);
}

#endif
