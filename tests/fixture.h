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
};

static inline int fx_open(struct fx *f)
{
	char path[PATH_MAX];

	memset(f, 0, sizeof(*f));
	strfmt(f->dir, sizeof(f->dir), "/tmp/ptb-fx-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	strfmt(path, sizeof(path), "%s/trials.csv", f->dir);
	if (csvw_open(&f->trials, path, trials_cols, TR_N, 0))
		return -1;
	strfmt(path, sizeof(path), "%s/metrics.csv", f->dir);
	if (csvw_open(&f->metrics, path, metrics_cols, MT_N, 0))
		return -1;
	strfmt(path, sizeof(path), "%s/meta.csv", f->dir);
	if (csvw_open(&f->meta, path, meta_cols, ME_N, 0))
		return -1;
	return 0;
}

/* Index of a trials.csv column by name. */
static inline int fx_col(const char *name)
{
	for (int i = 0; i < TR_N; i++)
		if (!strcmp(trials_cols[i], name))
			return i;
	return -1;
}

/* Adds `reps` counted trials of one cell and mode. cols and metrics are
 * "name=value;..." (trials.csv columns, trial-level metrics); repetition
 * k multiplies every value by 1 + 0.002 k, so a CI exists and is narrow. */
static inline void fx_cell(struct fx *f, const char *wl, const char *params, const char *mode,
			   int workers, int reps, int traced, const char *cols, const char *metrics)
{
	for (int k = 0; k < reps; k++) {
		double j = 1 + 0.002 * k;
		char buf[1024], *save, *kv;
		struct row r;
		int id = ++f->id;

		row_init(&r, TR_N);
		row_u64(&r, TR_TRIAL, (uint64_t)id);
		row_str(&r, TR_WORKLOAD, wl);
		row_str(&r, TR_MODE, mode);
		row_u64(&r, TR_WORKERS, (uint64_t)workers);
		row_str(&r, TR_PIN, "core");
		row_u64(&r, TR_REP, (uint64_t)k + 1);
		row_u64(&r, TR_TRACED, (uint64_t)traced);
		row_str(&r, TR_STATUS, "ok");
		row_str(&r, TR_PARAMS, params);
		row_u64(&r, TR_WARMUP, 0);
		row_u64(&r, TR_EXPECTED, 1);
		strfmt(buf, sizeof(buf), "%s", cols ? cols : "");
		for (kv = strtok_r(buf, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
			char *eq = strchr(kv, '=');

			*eq = '\0';
			row_num(&r, fx_col(kv), strtod(eq + 1, NULL) * j);
		}
		csvw_row(f->trials, &r);
		strfmt(buf, sizeof(buf), "%s", metrics ? metrics : "");
		for (kv = strtok_r(buf, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
			char *eq = strchr(kv, '=');

			*eq = '\0';
			row_init(&r, MT_N);
			row_u64(&r, MT_TRIAL, (uint64_t)id);
			row_str(&r, MT_METRIC, kv);
			row_num(&r, MT_VALUE, strtod(eq + 1, NULL) * j);
			row_str(&r, MT_UNIT, "");
			csvw_row(f->metrics, &r);
		}
	}
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
