/* dataset.c - counted trials -> series, each with its summary.
 *
 * A series is every counted value of one metric in one cell and mode.
 * Its summary is median, quartiles, min/max and a seeded bootstrap 95% CI
 * of the median. Speedup (median ops_per_s at n workers / at 1) and
 * efficiency (speedup / n) are derived series with bootstrap CIs of their
 * own.
 */
#include "dataset.h"
#include "csvio.h"
#include "schema.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const modes[MODE_N] = { "process", "thread", "shared", "exec" };

const struct common_metric common_metrics[] = {
	{ { "wall_s", "s", -1 }, SRC_UNTRACED },
	{ { "spawn_s", "s", -1 }, SRC_UNTRACED },
	{ { "join_s", "s", -1 }, SRC_UNTRACED },
	{ { "user_s", "s", -1 }, SRC_UNTRACED },
	{ { "sys_s", "s", -1 }, SRC_UNTRACED },
	{ { "ops", "", 0 }, SRC_UNTRACED },             /* the work asked for */
	{ { "ops_per_s", "1/s", 1 }, SRC_UNTRACED },
	{ { "minflt", "", -1 }, SRC_UNTRACED },
	{ { "majflt", "", -1 }, SRC_UNTRACED },
	{ { "nvcsw", "", 0 }, SRC_UNTRACED },           /* switches: neither */
	{ { "nivcsw", "", 0 }, SRC_UNTRACED },
	{ { "maxrss_kib", "KiB", -1 }, SRC_UNTRACED },
	{ { "rss_sum_kib", "KiB", -1 }, SRC_UNTRACED },
	{ { "pss_kib", "KiB", -1 }, SRC_UNTRACED },
	{ { "uss_kib", "KiB", -1 }, SRC_UNTRACED },
	{ { "pte_kib", "KiB", -1 }, SRC_UNTRACED },
	/* Burst lengths describe the workload's rhythm: no better way. */
	{ { "burst_n", "", 0 }, SRC_TRACED },
	{ { "burst_mean_us", "us", 0 }, SRC_TRACED },
	{ { "burst_p50_us", "us", 0 }, SRC_TRACED },
	{ { "burst_p90_us", "us", 0 }, SRC_TRACED },
	{ { "burst_p99_us", "us", 0 }, SRC_TRACED },
	{ { "burst_max_us", "us", 0 }, SRC_TRACED },
	/* What the OS spends on a trial's memory: the honest share of its
	 * pages plus its page tables. */
	{ { "pss_pte_kib", "KiB", -1 }, SRC_DERIVED },
	{ { "speedup", "x", 1 }, SRC_DERIVED },
	{ { "efficiency", "fraction", 1 }, SRC_DERIVED },
	{ { NULL, NULL, 0 }, SRC_DERIVED },
};

const struct metric *dataset_metric_find(const char *workload, const char *metric)
{
	const struct workload *wl = workload_find(workload);

	for (const struct common_metric *c = common_metrics; c->m.name; c++)
		if (strcmp(c->m.name, metric) == 0)
			return &c->m;
	for (const struct metric *m = wl ? wl->metrics : NULL; m && m->name; m++)
		if (strcmp(m->name, metric) == 0)
			return m;
	return NULL;
}

int dataset_metric_better(const char *workload, const char *metric)
{
	const struct metric *m = dataset_metric_find(workload, metric);

	return m ? m->better : 0;
}

uint64_t dataset_cell_seed(const char *workload, const char *params, int workers, const char *pin,
		   const char *metric)
{
	char key[400];

	util_strfmt(key, sizeof(key), "%s|%s|%d|%s|%s", workload, params, workers, pin, metric);
	return stats_hash_text(key);
}

uint64_t dataset_series_seed(const struct series *s)
{
	return dataset_cell_seed(s->workload, s->params, s->workers, s->pin, s->metric);
}

/* The index key of a series. Each part is cut to the length its series
 * field holds, so a lookup by a series' own fields finds it. */
#define KEY_LEN 400
#define PART(f) (int)sizeof(((struct series *)0)->f) - 1
static char *key_of(char *buf, const char *workload, const char *params, int workers,
		    const char *pin, int mode, const char *metric)
{
	return util_strfmt(buf, KEY_LEN, "%.*s|%.*s|%d|%.*s|%d|%.*s", PART(workload), workload,
		      PART(params), params, workers, PART(pin), pin, mode, PART(metric), metric);
}
#undef PART

static int index_put(struct series_index *ix, char *key, size_t val);

static size_t *index_get(const struct series_index *ix, const char *key)
{
	if (!ix->cap)
		return NULL;
	for (size_t h = stats_hash_text(key) & (ix->cap - 1);; h = (h + 1) & (ix->cap - 1)) {
		if (!ix->keys[h])
			return NULL;
		if (strcmp(ix->keys[h], key) == 0)
			return &ix->val[h];
	}
}

static int index_grow(struct series_index *ix)
{
	struct series_index big = { 0 };

	big.cap = ix->cap ? ix->cap * 2 : 256;
	big.keys = calloc(big.cap, sizeof(char *));
	big.val = calloc(big.cap, sizeof(size_t));
	if (!big.keys || !big.val) {
		free(big.keys);
		free(big.val);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ix->cap; i++)
		if (ix->keys[i])
			index_put(&big, ix->keys[i], ix->val[i]);
	free(ix->keys);
	free(ix->val);
	*ix = big;
	return 0;
}

/* Takes ownership of key. */
static int index_put(struct series_index *ix, char *key, size_t val)
{
	size_t h;

	if ((ix->n + 1) * 2 > ix->cap && index_grow(ix) < 0)
		return -ENOMEM;
	for (h = stats_hash_text(key) & (ix->cap - 1); ix->keys[h]; h = (h + 1) & (ix->cap - 1))
		;
	ix->keys[h] = key;
	ix->val[h] = val;
	ix->n++;
	return 0;
}

/* Points key (a copy is taken) at series i. */
static int index_set(struct series_index *ix, const char *key, size_t i)
{
	size_t *at = index_get(ix, key);
	char *copy;

	if (at) {
		*at = i;
		return 0;
	}
	if (!(copy = strdup(key)) || index_put(ix, copy, i) < 0) {
		free(copy);
		return -ENOMEM;
	}
	return 0;
}

static void index_free(struct series_index *ix)
{
	for (size_t i = 0; i < ix->cap; i++)
		free(ix->keys[i]);
	free(ix->keys);
	free(ix->val);
}

/* Every series is indexed twice: by its worker count, and (count -1) as
 * the largest count of its cell so far. */
static int index_series(struct dataset *d, size_t i)
{
	const struct series *s = &d->s[i];
	char key[KEY_LEN];
	size_t *top;

	key_of(key, s->workload, s->params, s->workers, s->pin, s->mode, s->metric);
	if (index_set(&d->ix, key, i) < 0)
		return -ENOMEM;
	key_of(key, s->workload, s->params, -1, s->pin, s->mode, s->metric);
	top = index_get(&d->ix, key);
	if (top && d->s[*top].workers >= s->workers)
		return 0;
	return index_set(&d->ix, key, i);
}

const struct series *dataset_find(const struct dataset *d, const char *workload,
				  const char *params, const char *pin, int workers, int mode,
				  const char *metric)
{
	char key[KEY_LEN];
	size_t *at;

	key_of(key, workload, params, workers < 0 ? -1 : workers, pin, mode, metric);
	at = index_get(&d->ix, key);
	return at ? &d->s[*at] : NULL;
}

struct cellkey {
	const char *workload, *params, *pin;
	int workers, mode;
};

/* Copies cell key c into x: a series, a tburst or a cellcount (each has
 * the fields). */
#define CELL_SET(x, c)                                                          \
	do {                                                                    \
		util_strfmt((x)->workload, sizeof((x)->workload), "%s", (c)->workload); \
		util_strfmt((x)->params, sizeof((x)->params), "%s", (c)->params);     \
		util_strfmt((x)->pin, sizeof((x)->pin), "%s", (c)->pin);              \
		(x)->workers = (c)->workers;                                    \
		(x)->mode = (c)->mode;                                          \
	} while (0)

const struct cellcount *dataset_cell(const struct dataset *d, const char *workload,
				     const char *params, const char *pin, int workers, int mode)
{
	char key[KEY_LEN];
	size_t *at;

	key_of(key, workload, params, workers, pin, mode, "");
	at = index_get(&d->cx, key);
	return at ? &d->c[*at] : NULL;
}

static struct cellcount *cell_get(struct dataset *d, const struct cellkey *c)
{
	const struct cellcount *found = dataset_cell(d, c->workload, c->params, c->pin,
						     c->workers, c->mode);
	struct cellcount *x;
	char key[KEY_LEN];

	if (found)
		return &d->c[found - d->c];
	if (util_grow(&d->c, &d->capc, d->nc, sizeof(*d->c), 32) < 0)
		return NULL;
	x = &d->c[d->nc];
	memset(x, 0, sizeof(*x));
	CELL_SET(x, c);
	key_of(key, x->workload, x->params, x->workers, x->pin, x->mode, "");
	if (index_set(&d->cx, key, d->nc) < 0)
		return NULL;
	return &d->c[d->nc++];
}

void dataset_dropped(const struct dataset *d, const char *workload, size_t *trials,
		     size_t *dropped)
{
	*trials = *dropped = 0;
	for (size_t i = 0; i < d->nc; i++)
		if (!strcmp(d->c[i].workload, workload)) {
			*trials += d->c[i].trials[0] + d->c[i].trials[1];
			*dropped += d->c[i].dropped[0] + d->c[i].dropped[1];
		}
}

static struct series *series_get(struct dataset *d, const struct cellkey *c,
				 const char *metric, const char *unit)
{
	struct series fresh;
	const struct series *s;

	/* Copy the key first: c may point into d->s, which may move. */
	memset(&fresh, 0, sizeof(fresh));
	CELL_SET(&fresh, c);
	util_strfmt(fresh.metric, sizeof(fresh.metric), "%s", metric);
	util_strfmt(fresh.unit, sizeof(fresh.unit), "%s", unit);
	if ((s = dataset_find(d, fresh.workload, fresh.params, fresh.pin, fresh.workers,
			      fresh.mode, fresh.metric)))
		return &d->s[s - d->s];
	if (util_grow(&d->s, &d->cap, d->n, sizeof(*d->s), 64) < 0)
		return NULL;
	d->s[d->n] = fresh;
	if (index_series(d, d->n) < 0)
		return NULL;
	return &d->s[d->n++];
}

static int series_add(struct series *s, double v, int rep)
{
	if (util_grow(&s->v, &s->cap, s->n, sizeof(*s->v), 8) < 0 ||
	    util_grow(&s->rep, &s->rcap, s->n, sizeof(*s->rep), 8) < 0)
		return -ENOMEM;
	s->v[s->n] = v;
	s->rep[s->n++] = rep;
	return 0;
}

static int mode_of(const char *m)
{
	for (int i = 0; i < MODE_N; i++)
		if (strcmp(m, modes[i]) == 0)
			return i;
	return -1;
}

static int read_table(const char *dir, const char *file, struct table *t,
		      int required, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int rc;

	util_strfmt(path, sizeof(path), "%s/%s", dir, file);
	rc = table_read_rows(path, t);
	if (rc == -ENOENT && !required)
		return 1;
	if (rc == -ENOENT || rc == -ENOTDIR)
		util_strfmt(err, errlen, "%s is not a result folder (no %s)", dir, file);
	else if (rc == -EBADMSG)
		util_strfmt(err, errlen, "%s:%d: malformed CSV", path, t->bad_line);
	else if (rc < 0)
		util_strfmt(err, errlen, "cannot read %s: %s", path, strerror(-rc));
	return rc;
}

static void noise_tally(const struct table *t, struct noise *nz);

static int add_tburst(struct dataset *d, const struct table *t, int r,
		      const int *colmap, const struct cellkey *c, int rep)
{
	struct tburst *b;

	if (util_grow(&d->b, &d->capb, d->nb, sizeof(*d->b), 16) < 0)
		return -ENOMEM;
	b = &d->b[d->nb++];
	memset(b, 0, sizeof(*b));
	CELL_SET(b, c);
	b->rep = rep;
	b->n = table_num(t, r, colmap[TR_BURST_N]);
	b->mean = table_num(t, r, colmap[TR_BURST_MEAN_US]);
	b->p50 = table_num(t, r, colmap[TR_BURST_P50_US]);
	b->p90 = table_num(t, r, colmap[TR_BURST_P90_US]);
	b->p99 = table_num(t, r, colmap[TR_BURST_P99_US]);
	b->p50_lo = table_num(t, r, colmap[TR_BURST_P50_LO_US]);
	b->p50_hi = table_num(t, r, colmap[TR_BURST_P50_HI_US]);
	b->preempted_frac = table_num(t, r, colmap[TR_BURST_PREEMPTED_FRAC]);
	return 0;
}

/* Every trial's cell, by trial id. */
struct trow {
	int counted;            /* could count: not a warm-up, status as expected */
	int noisy;              /* quiet=0: dropped from the estimates */
	int traced, rep;
	struct cellkey c;
};

/* A counted trial's value of a metric: into its series. */
static int add_value(struct dataset *d, const struct trow *tr, const char *metric,
		     const char *unit, double v)
{
	struct series *s = series_get(d, &tr->c, metric, unit);

	if (!s)
		return -ENOMEM;
	s->traced = tr->traced;
	return series_add(s, v, tr->rep);
}

/* A counted trial's values of the common metrics read from its row;
 * mcol[i]: the column of common_metrics[i], or -1. */
static int add_common(struct dataset *d, const struct table *t, int r, const int *colmap,
		      const int *mcol, const struct trow *tr)
{
	for (size_t i = 0; common_metrics[i].m.name; i++) {
		const struct common_metric *cm = &common_metrics[i];
		double v;

		if (cm->src != (tr->traced ? SRC_TRACED : SRC_UNTRACED) || mcol[i] < 0)
			continue;
		v = table_num(t, r, mcol[i]);
		if (!isnan(v) && add_value(d, tr, cm->m.name, cm->m.unit, v) < 0)
			return -ENOMEM;
	}
	if (tr->traced && !isnan(table_num(t, r, colmap[TR_BURST_N])) &&
	    add_tburst(d, t, r, colmap, &tr->c, tr->rep) < 0)
		return -ENOMEM;
	if (!tr->traced) {
		double pss = table_num(t, r, colmap[TR_PSS_KIB]);
		double pte = table_num(t, r, colmap[TR_PTE_KIB]);

		if (!isnan(pss) && !isnan(pte) && add_value(d, tr, "pss_pte_kib", "KiB", pss + pte) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int load_trials(struct dataset *d, const struct table *t, struct trow **rows_out,
		       int *maxid_out, char *err, size_t errlen)
{
	int cid = table_col(t, "trial"), cw = table_col(t, "workload"),
	    cm = table_col(t, "mode"), cn = table_col(t, "workers"),
	    cp = table_col(t, "pin"), cpar = table_col(t, "params"),
	    ctr = table_col(t, "traced"), cwu = table_col(t, "warmup"),
	    cex = table_col(t, "expected"), cst = table_col(t, "status"),
	    crep = table_col(t, "rep"), cq = table_col(t, "quiet");
	int colmap[TR_N], mcol[ARRAY_SIZE(common_metrics)], maxid = 0;
	struct trow *rows;

	if (cid < 0 || cw < 0 || cm < 0 || cn < 0) {
		util_strfmt(err, errlen, "trials.csv lacks trial/workload/mode/workers columns");
		return -EBADMSG;
	}
	for (int c = 0; c < TR_N; c++)
		colmap[c] = table_col(t, trials_cols[c]);
	for (size_t i = 0; i < ARRAY_SIZE(common_metrics); i++)
		mcol[i] = common_metrics[i].m.name ? table_col(t, common_metrics[i].m.name) : -1;
	for (int r = 0; r < t->nrows; r++) {
		double id = table_num(t, r, cid);

		if (id > maxid && id < 1e7)
			maxid = (int)id;
	}
	rows = calloc((size_t)maxid + 1, sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	for (int r = 0; r < t->nrows; r++) {
		double id = table_num(t, r, cid), w, rep = table_num(t, r, crep);
		struct trow *tr;
		struct cellcount *cc;
		const char *ex = table_get(t, r, cex);

		if (!(id >= 1 && id <= maxid))
			continue;
		tr = &rows[(int)id];
		tr->c.workload = table_get(t, r, cw);
		tr->c.params = table_get(t, r, cpar);
		tr->c.pin = table_get(t, r, cp);
		w = table_num(t, r, cn);
		tr->c.workers = w >= 1 && w <= 1e6 ? (int)w : 0;
		tr->c.mode = tr->c.workers ? mode_of(table_get(t, r, cm)) : -1;
		tr->traced = table_num(t, r, ctr) == 1;
		tr->rep = rep >= 0 && rep <= 1e7 ? (int)rep : -1;
		/* Counted: not a warm-up, and ended as the workload expects
		 * (older files without 'expected': status ok). */
		tr->counted = tr->c.mode >= 0 && table_num(t, r, cwu) != 1 &&
			      (*ex ? strcmp(ex, "1") == 0
				   : strcmp(table_get(t, r, cst), "ok") == 0);
		/* Disturbed by other work: left out, but counted as dropped.
		 * No quiet value (an older folder): counted as before. */
		tr->noisy = !d->keep_noisy && table_num(t, r, cq) == 0;
		if (!tr->counted)
			continue;
		if (!(cc = cell_get(d, &tr->c))) {
			free(rows);
			return -ENOMEM;
		}
		cc->trials[tr->traced]++;
		cc->dropped[tr->traced] += (size_t)tr->noisy;
		if (!tr->noisy && add_common(d, t, r, colmap, mcol, tr) < 0) {
			free(rows);
			return -ENOMEM;
		}
	}
	*rows_out = rows;
	*maxid_out = maxid;
	return 0;
}

static int load_metrics(struct dataset *d, const struct table *t, const struct trow *rows,
			int maxid)
{
	int cid = table_col(t, "trial"), cw = table_col(t, "worker"),
	    cm = table_col(t, "metric"), cv = table_col(t, "value"),
	    cu = table_col(t, "unit");

	for (int r = 0; r < t->nrows; r++) {
		double id = table_num(t, r, cid), v = table_num(t, r, cv);
		const struct trow *tr;

		if (!(id >= 1 && id <= maxid) || *table_get(t, r, cw) || isnan(v))
			continue;
		tr = &rows[(int)id];
		/* Tracing perturbs timing: metrics come from untraced trials. */
		if (!tr->counted || tr->traced || tr->noisy)
			continue;
		if (add_value(d, tr, table_get(t, r, cm), table_get(t, r, cu), v) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* n-worker over 1-worker ops_per_s of one bootstrap round: m[0] at 1. */
static double speedup_of(const double *m)
{
	return m[1] / m[0];
}

/* Speedup and efficiency of every cell that has a 1-worker sibling.
 * Speedup is throughput over throughput: median ops_per_s at n / at 1
 * worker. Where the work is split among the workers (strong scaling, cpu)
 * that is wall_s at 1 / wall_s at n; where each worker gets the same work
 * (weak scaling, membw, counter) it still means "how much more got done". */
static int derive_speedup(struct dataset *d)
{
	size_t n0 = d->n;

	for (size_t i = 0; i < n0; i++) {
		struct series *wn = &d->s[i], *sp, *ef;
		const struct series *w1;
		struct summary sum = { 0 };
		struct cellkey c;

		if (strcmp(wn->metric, "ops_per_s") || wn->workers <= 1 || !wn->n ||
		    !(w1 = dataset_find(d, wn->workload, wn->params, wn->pin, 1, wn->mode,
					wn->metric)) || !(w1->s.median > 0))
			continue;
		sum.n = w1->n < wn->n ? w1->n : wn->n;
		sum.median = wn->s.median / w1->s.median;
		sum.p25 = sum.p75 = sum.min = sum.max = sum.mean = NAN;
		sum.ci_lo = sum.ci_hi = NAN;
		if (w1->n >= 2 && wn->n >= 2 &&
		    stats_boot_ci((const double *const[]){ w1->v, wn->v },
				  (const size_t[]){ w1->n, wn->n }, 2, dataset_series_seed(wn) ^ 0x5eed,
				  speedup_of, &sum.ci_lo, &sum.ci_hi) < 0)
			return -ENOMEM;
		c = (struct cellkey){ wn->workload, wn->params, wn->pin, wn->workers, wn->mode };
		/* series_get may move d->s: no pointer into it survives the call. */
		if (!(sp = series_get(d, &c, "speedup", "x")))
			return -ENOMEM;
		sp->s = sum;
		c = (struct cellkey){ d->s[i].workload, d->s[i].params, d->s[i].pin,
				      d->s[i].workers, d->s[i].mode };
		if (!(ef = series_get(d, &c, "efficiency", "fraction")))
			return -ENOMEM;
		ef->s = sum;
		ef->s.median /= ef->workers;
		ef->s.ci_lo /= ef->workers;
		ef->s.ci_hi /= ef->workers;
	}
	return 0;
}

int dataset_load(const char *dir, struct dataset *d, char *err, size_t errlen)
{
	struct table tt = { 0 }, tm = { 0 }, me = { 0 };
	struct trow *rows = NULL;
	int maxid = 0, rc;

	memset(d, 0, sizeof(*d));
	d->noise = NAN;         /* meta.csv's, when it has one */
	rc = read_table(dir, "meta.csv", &me, 0, err, errlen);
	if (rc < 0)
		goto out;
	for (int r = 0; rc == 0 && r < me.nrows; r++) {
		const char *k = table_get(&me, r, 0), *v = table_get(&me, r, 1);

		if (strcmp(k, "noise") == 0)
			util_parse_double(v, &d->noise);
		if (strcmp(k, "keep_noisy") == 0)
			d->keep_noisy = strcmp(v, "1") == 0;
	}
	if ((rc = read_table(dir, "trials.csv", &tt, 1, err, errlen)) < 0)
		goto out;
	if ((rc = load_trials(d, &tt, &rows, &maxid, err, errlen)) < 0)
		goto out;
	noise_tally(&tt, &d->nz);
	d->nz.kept = d->keep_noisy;
	if ((rc = read_table(dir, "metrics.csv", &tm, 0, err, errlen)) < 0)
		goto out;
	if (rc == 0 && (rc = load_metrics(d, &tm, rows, maxid)) < 0)
		goto out;
	for (size_t i = 0; i < d->n; i++)
		if ((rc = stats_summarize(d->s[i].v, d->s[i].n, dataset_series_seed(&d->s[i]),
					  &d->s[i].s)) < 0)
			goto out;
	rc = derive_speedup(d);
out:
	if (rc == -ENOMEM)
		util_strfmt(err, errlen, "out of memory analysing %s", dir);
	if (rc > 0)
		rc = 0;
	free(rows);
	table_free(&tt);
	table_free(&tm);
	table_free(&me);
	if (rc < 0)
		dataset_free(d);
	return rc;
}

void dataset_free(struct dataset *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->s[i].v);
		free(d->s[i].rep);
	}
	free(d->s);
	free(d->b);
	free(d->c);
	index_free(&d->ix);
	index_free(&d->cx);
	memset(d, 0, sizeof(*d));
}

size_t dataset_pair_reps(const int *ra, size_t na, const int *rb, size_t nb, size_t *ia, size_t *ib)
{
	size_t n = 0;

	for (size_t i = 0; i < na; i++) {
		size_t k = 0;

		for (size_t j = 0; j < i; j++)
			k += ra[j] == ra[i];
		for (size_t j = 0; j < nb; j++) {
			if (rb[j] != ra[i])
				continue;
			if (k == 0) {
				ia[n] = i;
				ib[n++] = j;
				break;
			}
			k--;
		}
	}
	return n;
}

/* Raw series: the pairs' thread/process ratios, and the ratio of the
 * medians. */
static int raw_ratio(struct versus *v)
{
	const struct series *p = v->p, *t = v->t;
	size_t m = p->n < t->n ? p->n : t->n, *it, *ip;
	double *num, *den;
	int rc, urc;

	it = malloc(m * (2 * sizeof(size_t) + 2 * sizeof(double)));
	if (!it)
		return -ENOMEM;
	ip = it + m;
	num = (double *)(ip + m);
	den = num + m;
	v->pairs = dataset_pair_reps(t->rep, t->n, p->rep, p->n, it, ip);
	for (size_t i = 0; i < v->pairs; i++) {
		num[i] = t->v[it[i]];
		den[i] = p->v[ip[i]];
	}
	rc = stats_paired_ratio(num, den, v->pairs, dataset_series_seed(t) ^ PAIRED_SEED, &v->ratio,
				&v->lo, &v->hi);
	free(it);
	v->zero = rc == -EDOM;
	urc = stats_ratio(t->v, t->n, p->v, p->n, dataset_series_seed(t), &v->u_ratio, &v->u_lo, &v->u_hi);
	return rc == -ENOMEM || urc == -ENOMEM ? -ENOMEM : 0;
}

/* Thread speedup over process speedup of one bootstrap round: m holds
 * process at 1 and n workers, then thread at 1 and n. The 1/n in
 * efficiency cancels out. */
static double speedups_of(const double *m)
{
	return (m[3] / m[2]) / (m[1] / m[0]);
}

/* Derived series (speedup, efficiency) from both modes' ops_per_s at 1
 * and n workers. Paired: per repetition, (thread at n / process at n)
 * over (thread at 1 / process at 1) - each factor a pair of trials run
 * back to back - which is the thread speedup over the process speedup.
 * Unpaired: the ratio of the medians, with a CI from four bootstraps. */
static int derived_ratio(const struct dataset *d, struct versus *v)
{
	const struct series *p = v->p, *t = v->t, *x[4];
	const double *vals[4];
	size_t n[4], m, m1, *ia, *ib, *ja, *jb, *ka, *kb;
	double *num, *den;
	int *ra, *rb, rc;
	char key[400];

	v->u_ratio = p->s.median ? t->s.median / p->s.median : NAN;
	for (int k = 0; k < 4; k++) {
		const struct series *s = k < 2 ? p : t;

		x[k] = dataset_find(d, s->workload, s->params, s->pin, k % 2 ? s->workers : 1,
				    k < 2 ? MODE_PROCESS : MODE_THREAD, "ops_per_s");
		if (!x[k] || !x[k]->n)
			return 0;
		vals[k] = x[k]->v;
		n[k] = x[k]->n;
	}
	/* One seed for speedup and efficiency: the same ratio, the same
	 * interval. */
	util_strfmt(key, sizeof(key), "%s|%s|%d|%s|speedup-ratio", t->workload, t->params,
	       t->workers, t->pin);
	if (n[0] >= 2 && n[1] >= 2 && n[2] >= 2 && n[3] >= 2 &&
	    stats_boot_ci(vals, n, 4, stats_hash_text(key), speedups_of, &v->u_lo, &v->u_hi) < 0)
		return -ENOMEM;
	m = n[0] + n[1] + n[2] + n[3];
	ia = malloc(m * (6 * sizeof(size_t) + 2 * sizeof(int) + 2 * sizeof(double)));
	if (!ia)
		return -ENOMEM;
	ib = ia + m;
	ja = ib + m;
	jb = ja + m;
	ka = jb + m;
	kb = ka + m;
	num = (double *)(kb + m);
	den = num + m;
	ra = (int *)(den + m);
	rb = ra + m;
	/* n workers: thread i with process j; 1 worker: likewise; then the
	 * two lists of pairs paired by their repetition. */
	m = dataset_pair_reps(x[3]->rep, n[3], x[1]->rep, n[1], ia, ib);
	for (size_t i = 0; i < m; i++)
		ra[i] = x[3]->rep[ia[i]];
	m1 = dataset_pair_reps(x[2]->rep, n[2], x[0]->rep, n[0], ja, jb);
	for (size_t i = 0; i < m1; i++)
		rb[i] = x[2]->rep[ja[i]];
	v->pairs = dataset_pair_reps(ra, m, rb, m1, ka, kb);
	for (size_t i = 0; i < v->pairs; i++) {
		num[i] = x[3]->v[ia[ka[i]]] * x[0]->v[jb[kb[i]]];
		den[i] = x[1]->v[ib[ka[i]]] * x[2]->v[ja[kb[i]]];
	}
	rc = stats_paired_ratio(num, den, v->pairs, stats_hash_text(key) ^ PAIRED_SEED, &v->ratio,
				&v->lo, &v->hi);
	free(ia);
	v->zero = rc == -EDOM;
	return rc == -ENOMEM ? rc : 0;
}

/* Trials of the cell of s dropped as noisy, in both modes (of the kind s
 * comes from: traced or not; a derived series: its ops_per_s cells at n
 * and 1 worker). */
static size_t cell_dropped(const struct dataset *d, const struct series *s)
{
	size_t n = 0;

	for (int m = 0; m < MODE_N; m++)
		for (int w = 0; w < (s->v ? 1 : 2); w++) {
			const struct cellcount *c = dataset_cell(d, s->workload, s->params, s->pin,
								 w ? 1 : s->workers, m);

			n += c ? c->dropped[s->traced] : 0;
		}
	return n;
}

int dataset_versus_get(const struct dataset *d, const struct series *p, struct versus *v)
{
	int rc;

	memset(v, 0, sizeof(*v));
	v->p = p;
	v->ratio = v->lo = v->hi = v->half_width = NAN;
	v->u_ratio = v->u_lo = v->u_hi = NAN;
	v->t = dataset_find(d, p->workload, p->params, p->pin, p->workers, MODE_THREAD, p->metric);
	if (!v->t)
		return -ENOENT;
	v->dropped = cell_dropped(d, p);
	if (!p->s.n || !v->t->s.n)
		return 0;
	rc = !p->v || !v->t->v ? derived_ratio(d, v) : raw_ratio(v);
	v->half_width = stats_half_width(v->ratio, v->lo, v->hi);
	return rc;
}

enum outcome dataset_versus_outcome(const struct versus *v, double noise, int better)
{
	if (v->pairs < VERSUS_MIN_REPS)
		return OUT_NONE;
	return stats_classify(v->lo, v->hi, noise, better);
}

static void noise_tally(const struct table *t, struct noise *nz)
{
	int cq = table_col(t, "quiet"), cs = table_col(t, "steal_s"),
	    cf = table_col(t, "foreign_cpu_s"), cw = table_col(t, "wait_s");

	memset(nz, 0, sizeof(*nz));
	for (int r = 0; r < t->nrows; r++) {
		double q = table_num(t, r, cq), st = table_num(t, r, cs),
		       fc = table_num(t, r, cf), w = table_num(t, r, cw);

		nz->trials++;
		nz->measured += !isnan(q);
		nz->disturbed += q == 0;
		nz->steal_s += isnan(st) ? 0 : st;
		nz->foreign_cpu_s += isnan(fc) ? 0 : fc;
		nz->wait_s += isnan(w) ? 0 : w;
	}
}

int dataset_noise_read(const char *dir, struct noise *nz)
{
	char path[PATH_MAX];
	struct table t = { 0 };
	int rc;

	memset(nz, 0, sizeof(*nz));
	util_strfmt(path, sizeof(path), "%s/trials.csv", dir);
	if ((rc = table_read_rows(path, &t)) == 0)
		noise_tally(&t, nz);
	table_free(&t);
	util_strfmt(path, sizeof(path), "%s/meta.csv", dir);
	if (rc == 0 && table_read_rows(path, &t) == 0) {
		for (int r = 0; r < t.nrows; r++)
			nz->kept |= !strcmp(table_get(&t, r, 0), "keep_noisy") &&
				    !strcmp(table_get(&t, r, 1), "1");
		table_free(&t);
	}
	return rc;
}

char *dataset_noise_line(const struct noise *nz, char *buf, size_t len)
{
	if (!nz->measured)
		return util_strfmt(buf, len, "noise: not measured (a folder from before ptbench measured it)");
	return util_strfmt(buf, len, "noise: %zu of %zu trials disturbed%s: steal %.3g s, foreign CPU %.3g s, workers waiting to run %.3g s%s",
		      nz->disturbed, nz->measured,
		      !nz->disturbed ? "" : nz->kept ? " (counted: --keep-noisy)" : " (left out of the estimates)",
		      nz->steal_s,
		      nz->foreign_cpu_s, nz->wait_s, nz->disturbed ? "; see ptbench check" : "");
}
