/* merge.c - result folders of many hosts as one folder with host and run
 * columns first; and back: a merged folder split into one temporary
 * single-run folder per run, so that analyze and plot work on it as on
 * any folder. */
#include "merge.h"
#include "csvio.h"
#include "dataset.h"
#include "meta.h"
#include "plot.h"
#include "report.h"
#include "schema.h"
#include "util.h"
#include "version.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The files a run writes (merged row by row); the analysis (summary,
 * versus, modes, claims) is made anew from them. */
static const char *const raw_files[] = {
	"meta.csv", "trials.csv", "workers.csv", "metrics.csv", "bursts.csv", "cells.csv",
};
static const char *const analysis_files[] = { "summary.csv", "versus.csv", "modes.csv", "claims.csv" };

/* The columns a file needs to mean anything (every version has them). */
static const struct {
	const char *file;
	const char *cols[5];
} key_cols[] = {
	{ "meta.csv", { "key", "value" } },
	{ "trials.csv", { "trial", "workload", "mode", "workers" } },
	{ "workers.csv", { "trial", "worker" } },
	{ "metrics.csv", { "trial", "metric", "value" } },
	{ "bursts.csv", { "trial" } },
	{ "cells.csv", { "workload" } },
};

/* A source folder being merged. */
struct source {
	const char *dir;
	struct merge_run r;
	char label[256], start[64];
	struct table meta;
	dev_t dev;
	ino_t ino;
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

void merge_remove(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static const struct schema *schema_of(const char *file)
{
	for (const struct schema *s = result_files; s->file; s++)
		if (!strcmp(s->file, file))
			return s;
	return NULL;
}

/* The value of key in a key,value table ("" when none), unguarded. */
static const char *meta_get(const struct table *t, const char *key)
{
	int ck = table_col(t, "key"), cv = table_col(t, "value");

	for (int r = 0; r < t->nrows; r++)
		if (!strcmp(table_get(t, r, ck), key))
			return csv_unguard(table_get(t, r, cv));
	return "";
}

/* Reads dir/file; 1 when it is missing and may be. Bad input is -EINVAL
 * with err naming the file. */
static int read_src(const char *dir, const char *file, struct table *t, int required,
		    char *err, size_t errlen)
{
	char why[PATH_MAX + 128];
	int rc = dataset_read_file(dir, file, t, required, why, sizeof(why));

	if (rc < 0)
		util_strfmt(err, errlen, "merge: %s", why);
	return rc == -ENOMEM ? rc : rc < 0 ? -EINVAL : rc;
}

/* A source's file this ptbench can merge: no host/run of its own (a
 * merged folder), no column twice, its key columns there. */
static int check_head(const char *dir, const char *file, const struct table *t, char *err,
		      size_t errlen)
{
	for (int c = 0; c < t->ncols; c++) {
		if (!strcmp(t->head[c], merged_cols[MG_HOST]) || !strcmp(t->head[c], merged_cols[MG_RUN])) {
			util_strfmt(err, errlen, "merge: '%s' is a merged folder (%s has a %s column): merge its sources instead (its meta.csv lists them as merge_source)",
				    dir, file, t->head[c]);
			return -EINVAL;
		}
		for (int k = 0; k < c; k++)
			if (!strcmp(t->head[c], t->head[k])) {
				util_strfmt(err, errlen, "merge: %s/%s has the column '%s' twice: not a ptbench result file",
					    dir, file, t->head[c]);
				return -EINVAL;
			}
	}
	for (size_t i = 0; i < ARRAY_SIZE(key_cols); i++)
		for (int k = 0; !strcmp(key_cols[i].file, file) && key_cols[i].cols[k]; k++)
			if (table_col(t, key_cols[i].cols[k]) < 0) {
				util_strfmt(err, errlen, "merge: %s/%s has no '%s' column: not a ptbench result file of any version",
					    dir, file, key_cols[i].cols[k]);
				return -EINVAL;
			}
	return 0;
}

/* Reads a source's meta.csv and what identifies its run. */
static int open_source(struct source *s, const char *dir, char *err, size_t errlen)
{
	char trials[PATH_MAX];
	const char *host, *slash;
	struct stat st;
	int rc;

	memset(s, 0, sizeof(*s));
	s->dir = dir;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		util_strfmt(err, errlen, "merge: '%s' is not a result folder (%s)", dir,
			    errno == ENOENT ? "no such folder" : "not a folder");
		return -EINVAL;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	if ((rc = read_src(dir, "meta.csv", &s->meta, 1, err, errlen)) < 0 ||
	    (rc = check_head(dir, "meta.csv", &s->meta, err, errlen)) < 0)
		return rc;
	util_strfmt(trials, sizeof(trials), "%s/trials.csv", dir);
	if (access(trials, R_OK) < 0) {
		util_strfmt(err, errlen, "merge: '%s' is not a result folder (no trials.csv)", dir);
		return -EINVAL;
	}
	/* A folder without a host (none seen, but cheap): its name. */
	host = meta_get(&s->meta, "host");
	slash = strrchr(dir, '/');
	util_strfmt(s->r.host, sizeof(s->r.host), "%s", *host ? host : slash ? slash + 1 : dir);
	util_strfmt(s->label, sizeof(s->label), "%s", meta_get(&s->meta, "label"));
	util_strfmt(s->start, sizeof(s->start), "%s", meta_get(&s->meta, "start_utc"));
	/* Stopped by a signal, or killed before it could say (no end). */
	s->r.complete = strcmp(meta_get(&s->meta, "interrupted"), "1") &&
			*meta_get(&s->meta, "end_utc");
	return 0;
}

/* Each run's name: its label, or its start when it has none; both when
 * another run of the host has the same label; and a count, (2), (3)...
 * when even that is the same (two runs started in one second). */
static void name_runs(struct source *s, int n)
{
	for (int i = 0; i < n; i++) {
		int clash = 0, seen = 1;

		for (int j = 0; j < n; j++)
			clash |= j != i && !strcmp(s[i].r.host, s[j].r.host) &&
				 !strcmp(s[i].label, s[j].label);
		if (clash && *s[i].label)
			util_strfmt(s[i].r.run, sizeof(s[i].r.run), "%s %s", s[i].label, s[i].start);
		else
			util_strfmt(s[i].r.run, sizeof(s[i].r.run), "%s", *s[i].label ? s[i].label : s[i].start);
		for (int j = 0; j < i; j++)
			seen += !strcmp(s[i].r.host, s[j].r.host) && !strcmp(s[i].r.run, s[j].r.run);
		if (seen > 1) {
			size_t k = strlen(s[i].r.run);

			util_strfmt(s[i].r.run + k, sizeof(s[i].r.run) - k, " (%d)", seen);
		}
	}
}

/* Whether two meta.csv tables are the same, cell for cell. */
static int same_table(const struct table *a, const struct table *b)
{
	if (a->nrows != b->nrows || a->ncols != b->ncols)
		return 0;
	for (int r = 0; r < a->nrows; r++)
		for (int c = 0; c < a->ncols; c++)
			if (strcmp(a->rows[r][c], b->rows[r][c]))
				return 0;
	return 1;
}

/* Two sources that are one folder, or one run copied (meta.csv the same
 * to the last cell: its host, start, command, end...). */
static int same_run(const struct source *s, int n, char *err, size_t errlen)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++) {
			if (s[i].dev == s[j].dev && s[i].ino == s[j].ino) {
				util_strfmt(err, errlen, "merge: '%s' and '%s' are the same folder", s[j].dir,
					    s[i].dir);
				return -EINVAL;
			}
			if (same_table(&s[i].meta, &s[j].meta)) {
				util_strfmt(err, errlen, "merge: '%s' and '%s' are the same run (host %s, started %s; the same meta.csv): one is a copy",
					    s[j].dir, s[i].dir, s[i].r.host, s[i].start);
				return -EINVAL;
			}
		}
	return 0;
}

/* Index of name among cols[0..n), or -1. */
static int col_in(const char *const *cols, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(cols[i], name))
			return i;
	return -1;
}

/* Writes out/file from every source's file: host, run, this ptbench's
 * columns, then the others any source has, in the order first seen. */
static int merge_file(const struct source *s, int n, const char *out, const char *file,
		      char *err, size_t errlen)
{
	const struct schema *sc = schema_of(file);
	struct table *t = calloc((size_t)n, sizeof(*t));
	const char **cols = NULL, **cells = NULL;
	int *map = NULL, ncols = MG_N + sc->ncols, cap = ncols, rc = 0;
	struct csvw *w = NULL;
	char path[PATH_MAX];

	if (!t)
		return -ENOMEM;
	for (int i = 0; i < n && !rc; i++) {
		rc = read_src(s[i].dir, file, &t[i], !strcmp(file, "trials.csv"), err, errlen);
		if (rc == 0)
			rc = check_head(s[i].dir, file, &t[i], err, errlen);
		cap += t[i].ncols;
		rc = rc > 0 ? 0 : rc;
	}
	if (!rc && (!(cols = calloc((size_t)cap, sizeof(*cols))) ||
		    !(cells = calloc((size_t)cap, sizeof(*cells))) ||
		    !(map = malloc((size_t)cap * sizeof(*map)))))
		rc = -ENOMEM;
	if (rc)
		goto out;
	cols[MG_HOST] = merged_cols[MG_HOST];
	cols[MG_RUN] = merged_cols[MG_RUN];
	for (int c = 0; c < sc->ncols; c++)
		cols[MG_N + c] = sc->cols[c];
	for (int i = 0; i < n; i++)
		for (int c = 0; c < t[i].ncols; c++)
			if (col_in(cols, ncols, t[i].head[c]) < 0)
				cols[ncols++] = t[i].head[c];
	util_strfmt(path, sizeof(path), "%s/%s", out, file);
	rc = csvw_open(&w, path, cols, ncols, 0);
	for (int i = 0; i < n && !rc; i++) {
		cells[MG_HOST] = s[i].r.host;
		cells[MG_RUN] = s[i].r.run;
		for (int c = MG_N; c < ncols; c++)
			map[c] = table_col(&t[i], cols[c]);
		for (int r = 0; r < t[i].nrows && !rc; r++) {
			for (int c = MG_N; c < ncols; c++)
				cells[c] = map[c] < 0 ? NULL : t[i].rows[r][map[c]];
			rc = csvw_cells(w, cells, ncols);
		}
	}
	{
		int c = csvw_close(w);

		rc = rc ? rc : c;
	}
	if (rc)
		util_strfmt(err, errlen, "merge: writing %s: %s", path, strerror(-rc));
out:
	for (int i = 0; i < n; i++)
		table_free(&t[i]);
	free(t);
	free(cols);
	free(cells);
	free(map);
	return rc;
}

/* meta.csv: the merge's own rows (no host, no run), then each source's
 * merge_source and merge_complete before its own facts. */
static int merge_meta(const struct source *s, int n, const char *out, char *err, size_t errlen)
{
	static const char *const cols[] = { "host", "run", "key", "value" };
	char path[PATH_MAX], num[16], now[32], real[PATH_MAX];
	struct csvw *w;
	int rc;

	util_strfmt(path, sizeof(path), "%s/meta.csv", out);
	if ((rc = csvw_open(&w, path, cols, 4, 0)) < 0)
		goto out;
	meta_utc_now(now, sizeof(now), 0);
	{
		const char *const own[][4] = {
			{ "", "", "merged", util_strfmt(num, sizeof(num), "%d", n) },
			{ "", "", "merge_version", PTBENCH_VERSION },
			{ "", "", "merge_utc", now },
		};

		for (size_t k = 0; k < ARRAY_SIZE(own) && !rc; k++)
			rc = csvw_cells(w, own[k], 4);
	}
	for (int i = 0; i < n && !rc; i++) {
		const struct table *m = &s[i].meta;
		int ck = table_col(m, "key"), cv = table_col(m, "value");
		const char *row[4] = { s[i].r.host, s[i].r.run, "merge_source",
				       realpath(s[i].dir, real) ? real : s[i].dir };

		rc = csvw_cells(w, row, 4);
		row[2] = "merge_complete";
		row[3] = s[i].r.complete ? "1" : "0";
		if (!rc)
			rc = csvw_cells(w, row, 4);
		for (int r = 0; r < m->nrows && !rc; r++) {
			row[2] = m->rows[r][ck];
			row[3] = m->rows[r][cv];
			rc = csvw_cells(w, row, 4);
		}
	}
	{
		int c = csvw_close(w);

		rc = rc ? rc : c;
	}
out:
	if (rc)
		util_strfmt(err, errlen, "merge: writing %s: %s", path, strerror(-rc));
	return rc;
}

/* Renames tmp to out unless out exists (also one made meanwhile). */
static int rename_new(const char *tmp, const char *out)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, out, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* a file system without it: the check and the rename are close */
	if (access(out, F_OK) == 0)
		return -EEXIST;
	return rename(tmp, out) < 0 ? -errno : 0;
}

int merge_dirs(const char *const *src, int n, const char *out, FILE *warn, char *err,
	       size_t errlen)
{
	struct source *s;
	char dst[PATH_MAX], tmp[PATH_MAX + 32];
	size_t made = 0, at = 0, len;
	struct stat st;
	int rc = 0;

	if (n < 1) {
		util_strfmt(err, errlen, "merge: name the result folders to merge");
		return -EINVAL;
	}
	/* "out/" and "out" are one folder: the temporary one is its sibling */
	len = strlen(out);
	while (len > 1 && out[len - 1] == '/')
		len--;
	util_strfmt(dst, sizeof(dst), "%.*s", (int)len, out);
	if (lstat(dst, &st) == 0) {
		util_strfmt(err, errlen, "merge: '%s' exists: merge writes a new folder and never overwrites one",
			    out);
		return -EEXIST;
	}
	if (!(s = calloc((size_t)n, sizeof(*s))))
		return -ENOMEM;
	for (int i = 0; i < n && !rc; i++)
		rc = open_source(&s[i], src[i], err, errlen);
	if (!rc)
		rc = same_run(s, n, err, errlen);
	if (rc)
		goto out;
	name_runs(s, n);
	{
		char parent[PATH_MAX];
		const char *slash = strrchr(dst, '/');

		util_strfmt(parent, sizeof(parent), "%.*s", slash ? (int)(slash - dst) : 0, dst);
		if (*parent && (rc = util_mkdir_p(parent, 0755, &made, &at)) < 0) {
			util_strfmt(err, errlen, "merge: cannot make '%s': %s", parent, strerror(-rc));
			goto out;
		}
	}
	util_strfmt(tmp, sizeof(tmp), "%s.merging-XXXXXX", dst);
	if (!mkdtemp(tmp)) {
		rc = -errno;
		util_strfmt(err, errlen, "merge: cannot make a folder beside '%s': %s", out, strerror(-rc));
		goto out;
	}
	rc = merge_meta(s, n, tmp, err, errlen);
	for (size_t f = 1; f < ARRAY_SIZE(raw_files) && !rc; f++)
		rc = merge_file(s, n, tmp, raw_files[f], err, errlen);
	if (!rc)
		rc = merge_analyze(tmp, -1, NULL, err, errlen);
	if (!rc && (rc = rename_new(tmp, dst)) < 0)
		util_strfmt(err, errlen, "merge: cannot rename the merged folder to '%s': %s", out,
			    strerror(-rc));
	if (rc) {
		merge_remove(tmp);
		goto out;
	}
	for (int i = 0; i < n && warn; i++)
		if (!s[i].r.complete)
			fprintf(warn, "ptbench: warning: merge: '%s' was interrupted: its rows are merged (host %s, run %s) with merge_complete 0 in meta.csv\n",
				s[i].dir, s[i].r.host, s[i].r.run);
out:
	if (rc && made)
		util_rmdir_made(dst, made);
	for (int i = 0; i < n; i++)
		table_free(&s[i].meta);
	free(s);
	/* a source that could not be read is bad input, as is an existing out */
	return rc;
}

/* The runs listed by a merged meta.csv. */
static int runs_of(const struct table *me, struct merge_run **runs)
{
	int ck = table_col(me, "key"), cv = table_col(me, "value"), n = 0;
	size_t cap = 0;

	*runs = NULL;
	for (int r = 0; r < me->nrows; r++) {
		struct merge_run *x;

		if (strcmp(table_get(me, r, ck), "merge_source"))
			continue;
		if (util_grow(runs, &cap, (size_t)n, sizeof(**runs), 8) < 0) {
			free(*runs);
			return -ENOMEM;
		}
		x = &(*runs)[n++];
		util_strfmt(x->host, sizeof(x->host), "%s", csv_unguard(table_get(me, r, MG_HOST)));
		util_strfmt(x->run, sizeof(x->run), "%s", csv_unguard(table_get(me, r, MG_RUN)));
		x->complete = 1;
		for (int k = r + 1; k < me->nrows; k++)
			if (!strcmp(table_get(me, k, ck), "merge_complete") &&
			    !strcmp(table_get(me, k, MG_HOST), table_get(me, r, MG_HOST)) &&
			    !strcmp(table_get(me, k, MG_RUN), table_get(me, r, MG_RUN))) {
				x->complete = strcmp(table_get(me, k, cv), "0") != 0;
				break;
			}
	}
	return n;
}

int merge_runs(const char *dir, struct merge_run **runs, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct table me;
	int rc = dataset_is_merged(dir);

	*runs = NULL;
	if (rc == 0) {
		util_strfmt(err, errlen, "'%s' is not a merged folder (ptbench merge makes one)", dir);
		return -EINVAL;
	}
	util_strfmt(path, sizeof(path), "%s/meta.csv", dir);
	if (rc < 0 || (rc = table_read_rows(path, &me)) < 0) {
		util_strfmt(err, errlen, "cannot read %s: %s", path, strerror(-rc));
		return rc;
	}
	rc = runs_of(&me, runs);
	table_free(&me);
	if (rc == 0) {
		util_strfmt(err, errlen, "%s lists no run (no merge_source row)", path);
		rc = -EINVAL;
	}
	return rc;
}

char *merge_run_name(const struct merge_run *runs, int n, int i, char *buf, size_t len)
{
	int twice = 0;

	for (int j = 0; j < n; j++)
		twice |= j != i && !strcmp(runs[j].host, runs[i].host);
	if (twice)
		return util_strfmt(buf, len, "%s/%s", runs[i].host, runs[i].run);
	return util_strfmt(buf, len, "%s", runs[i].host);
}

/* Whether row r of a merged table belongs to run x. */
static int of_run(const struct table *t, int r, const struct merge_run *x)
{
	return !strcmp(csv_unguard(t->rows[r][MG_HOST]), x->host) &&
	       !strcmp(csv_unguard(t->rows[r][MG_RUN]), x->run);
}

/* Writes run x's rows of merged table t, without host and run, as
 * dir/file. */
static int split_file(const struct table *t, const struct merge_run *x, const char *dir,
		      const char *file)
{
	char path[PATH_MAX];
	struct csvw *w;
	int rc;

	util_strfmt(path, sizeof(path), "%s/%s", dir, file);
	if ((rc = csvw_open(&w, path, (const char *const *)t->head + MG_N, t->ncols - MG_N, 0)) < 0)
		return rc;
	for (int r = 0; r < t->nrows && !rc; r++)
		if (of_run(t, r, x))
			rc = csvw_cells(w, (const char *const *)t->rows[r] + MG_N, t->ncols - MG_N);
	return rc ? (csvw_close(w), rc) : csvw_close(w);
}

/* What is done with each run's folder. */
typedef int (*run_fn)(const char *rundir, const struct merge_run *x, void *arg);

/* Splits merged folder dir into one temporary single-run folder per run
 * (inside dir, removed after) and calls fn on each, in merge order. */
static int each_run(const char *dir, run_fn fn, void *arg, char *err, size_t errlen)
{
	enum { NF = ARRAY_SIZE(raw_files) + ARRAY_SIZE(analysis_files) };
	struct table t[NF];
	struct merge_run *runs = NULL;
	int have[NF] = { 0 }, n, rc = 0;

	if ((n = merge_runs(dir, &runs, err, errlen)) < 0)
		return n;
	for (size_t f = 0; f < NF && !rc; f++) {
		const char *file = f < ARRAY_SIZE(raw_files) ? raw_files[f]
							      : analysis_files[f - ARRAY_SIZE(raw_files)];
		char path[PATH_MAX];

		util_strfmt(path, sizeof(path), "%s/%s", dir, file);
		rc = table_read_rows(path, &t[f]);
		have[f] = rc == 0;
		if (rc == -ENOENT)
			rc = 0;
		else if (rc == 0 && (t[f].ncols < MG_N || strcmp(t[f].head[MG_HOST], merged_cols[MG_HOST]) ||
				     strcmp(t[f].head[MG_RUN], merged_cols[MG_RUN])))
			rc = -EBADMSG;
		if (rc < 0)
			util_strfmt(err, errlen, "%s: %s", path,
				    rc == -EBADMSG ? "not a merged file (host and run first)" : strerror(-rc));
	}
	for (int i = 0; i < n && !rc; i++) {
		char tmp[PATH_MAX];

		util_strfmt(tmp, sizeof(tmp), "%s/.run-XXXXXX", dir);
		if (!mkdtemp(tmp)) {
			rc = -errno;
			util_strfmt(err, errlen, "cannot make a folder in %s: %s", dir, strerror(-rc));
			break;
		}
		for (size_t f = 0; f < NF && !rc; f++)
			if (have[f] && (rc = split_file(&t[f], &runs[i], tmp,
							f < ARRAY_SIZE(raw_files) ? raw_files[f]
										  : analysis_files[f - ARRAY_SIZE(raw_files)])) < 0)
				util_strfmt(err, errlen, "writing in %s: %s", tmp, strerror(-rc));
		if (!rc)
			rc = fn(tmp, &runs[i], arg);
		merge_remove(tmp);
	}
	for (size_t f = 0; f < NF; f++)
		if (have[f])
			table_free(&t[f]);
	free(runs);
	return rc;
}

/* The analysis of a merged folder being written. */
struct analysis {
	char dir[PATH_MAX];             /* a temporary folder: renamed file by file */
	struct csvw *w[ARRAY_SIZE(analysis_files)];
	double noise;
	FILE *fp;
	char *err;
	size_t errlen;
};

/* One run: analysed in its folder, its rows appended with host and run. */
static int analyze_run(const char *rundir, const struct merge_run *x, void *arg)
{
	struct analysis *a = arg;
	int rc = report_dir(rundir, a->noise, a->err, a->errlen);

	if (rc == 0 && a->fp) {
		fprintf(a->fp, "%shost %s, run %s%s\n", a->w[0] ? "\n" : "", x->host, x->run,
			x->complete ? "" : " (interrupted)");
		rc = report_print(rundir, a->fp);
		if (rc < 0)
			util_strfmt(a->err, a->errlen, "cannot read back the verdicts of host %s, run %s",
				    x->host, x->run);
	}
	for (size_t f = 0; f < ARRAY_SIZE(analysis_files) && !rc; f++) {
		const char **cells = NULL;
		char path[PATH_MAX];
		struct table t;

		util_strfmt(path, sizeof(path), "%s/%s", rundir, analysis_files[f]);
		if ((rc = table_read(path, &t)) < 0)
			break;
		if (!(cells = calloc((size_t)t.ncols + MG_N, sizeof(*cells)))) {
			table_free(&t);
			rc = -ENOMEM;
			break;
		}
		cells[MG_HOST] = merged_cols[MG_HOST];
		cells[MG_RUN] = merged_cols[MG_RUN];
		memcpy(cells + MG_N, t.head, (size_t)t.ncols * sizeof(*cells));
		util_strfmt(path, sizeof(path), "%s/%s", a->dir, analysis_files[f]);
		if (!a->w[f])
			rc = csvw_open(&a->w[f], path, cells, t.ncols + MG_N, 0);
		cells[MG_HOST] = x->host;
		cells[MG_RUN] = x->run;
		for (int r = 0; r < t.nrows && !rc; r++) {
			memcpy(cells + MG_N, t.rows[r], (size_t)t.ncols * sizeof(*cells));
			rc = csvw_cells(a->w[f], cells, t.ncols + MG_N);
		}
		free(cells);
		table_free(&t);
		if (rc)
			util_strfmt(a->err, a->errlen, "writing %s: %s", path, strerror(-rc));
	}
	return rc;
}

int merge_analyze(const char *dir, double noise, FILE *fp, char *err, size_t errlen)
{
	struct analysis a = { .noise = noise, .fp = fp, .err = err, .errlen = errlen };
	int rc;

	util_strfmt(a.dir, sizeof(a.dir), "%s/.analysis-XXXXXX", dir);
	if (!mkdtemp(a.dir)) {
		rc = -errno;
		util_strfmt(err, errlen, "cannot make a folder in %s: %s", dir, strerror(-rc));
		return rc == -ENOENT || rc == -ENOTDIR ? -EINVAL : rc;
	}
	rc = each_run(dir, analyze_run, &a, err, errlen);
	for (size_t f = 0; f < ARRAY_SIZE(analysis_files); f++) {
		int c = csvw_close(a.w[f]);

		if (!rc && c)
			util_strfmt(err, errlen, "writing %s/%s: %s", a.dir, analysis_files[f], strerror(-c));
		rc = rc ? rc : c;
	}
	/* whole, or the folder's earlier analysis stays */
	for (size_t f = 0; f < ARRAY_SIZE(analysis_files) && !rc; f++) {
		char from[PATH_MAX], to[PATH_MAX];

		util_strfmt(from, sizeof(from), "%s/%s", a.dir, analysis_files[f]);
		util_strfmt(to, sizeof(to), "%s/%s", dir, analysis_files[f]);
		if (rename(from, to) < 0) {
			rc = -errno;
			util_strfmt(err, errlen, "cannot write %s: %s", to, strerror(-rc));
		}
	}
	merge_remove(a.dir);
	return rc;
}

/* The charts being drawn for a merged folder. */
struct charts {
	const char *dir;
	int made;
	char *err;
	size_t errlen;
};

/* A host or run as a file name: letters, digits, '.', '-' and '_'. */
static void file_safe(char *s)
{
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", *s))
			*s = '_';
}

/* One run: its charts drawn in its folder, then moved to plots/HOST_RUN/. */
static int plot_run(const char *rundir, const struct merge_run *x, void *arg)
{
	struct charts *c = arg;
	char name[520], to[PATH_MAX], from[PATH_MAX];
	size_t made, at;
	int n, rc = plot_dir(rundir, &n, c->err, c->errlen);
	DIR *d;
	struct dirent *e;

	if (rc < 0)
		return rc;
	util_strfmt(name, sizeof(name), "%s_%s", x->host, x->run);
	file_safe(name);
	util_strfmt(to, sizeof(to), "%s/plots/%s", c->dir, name);
	if ((rc = util_mkdir_p(to, 0755, &made, &at)) < 0) {
		util_strfmt(c->err, c->errlen, "cannot make %s: %s", to, strerror(-rc));
		return rc;
	}
	util_strfmt(from, sizeof(from), "%s/plots", rundir);
	if (!(d = opendir(from)))
		return 0;
	while (!rc && (e = readdir(d))) {
		char a[PATH_MAX], b[PATH_MAX];

		if (e->d_name[0] == '.')
			continue;
		util_strfmt(a, sizeof(a), "%s/%s", from, e->d_name);
		util_strfmt(b, sizeof(b), "%s/%s", to, e->d_name);
		if (rename(a, b) < 0) {
			rc = -errno;
			util_strfmt(c->err, c->errlen, "cannot write %s: %s", b, strerror(-rc));
		}
	}
	closedir(d);
	c->made += n;
	return rc;
}

int merge_plot(const char *dir, int *made, char *err, size_t errlen)
{
	struct charts c = { dir, 0, err, errlen };
	int rc = each_run(dir, plot_run, &c, err, errlen);

	*made = c.made;
	return rc;
}
