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

static const char *const modes[MODE_N] = { "process", "thread" };

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

const struct metric *metric_find(const char *workload, const char *metric)
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

int metric_better(const char *workload, const char *metric)
{
	const struct metric *m = metric_find(workload, metric);

	return m ? m->better : 0;
}

uint64_t series_seed(const struct series *s)
{
	char key[400];

	strfmt(key, sizeof(key), "%s|%s|%d|%s|%s", s->workload, s->params, s->workers,
	       s->pin, s->metric);
	return hash_text(key);
}

/* The index key of a series. Each part is cut to the length its series
 * field holds, so a lookup by a series' own fields finds it. */
#define KEY_LEN 400
#define PART(f) (int)sizeof(((struct series *)0)->f) - 1
static char *key_of(char *buf, const char *workload, const char *params, int workers,
		    const char *pin, int mode, const char *metric)
{
	return strfmt(buf, KEY_LEN, "%.*s|%.*s|%d|%.*s|%d|%.*s", PART(workload), workload,
		      PART(params), params, workers, PART(pin), pin, mode, PART(metric), metric);
}
#undef PART

static int index_put(struct series_index *ix, char *key, size_t val);

static size_t *index_get(const struct series_index *ix, const char *key)
{
	if (!ix->cap)
		return NULL;
	for (size_t h = hash_text(key) & (ix->cap - 1);; h = (h + 1) & (ix->cap - 1)) {
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
	for (h = hash_text(key) & (ix->cap - 1); ix->keys[h]; h = (h + 1) & (ix->cap - 1))
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

static struct series *series_get(struct dataset *d, const struct cellkey *c,
				 const char *metric, const char *unit)
{
	struct series fresh;
	const struct series *s;

	/* Copy the key first: c may point into d->s, which may move. */
	memset(&fresh, 0, sizeof(fresh));
	strfmt(fresh.workload, sizeof(fresh.workload), "%s", c->workload);
	strfmt(fresh.params, sizeof(fresh.params), "%s", c->params);
	strfmt(fresh.pin, sizeof(fresh.pin), "%s", c->pin);
	strfmt(fresh.metric, sizeof(fresh.metric), "%s", metric);
	strfmt(fresh.unit, sizeof(fresh.unit), "%s", unit);
	fresh.workers = c->workers;
	fresh.mode = c->mode;
	if ((s = dataset_find(d, fresh.workload, fresh.params, fresh.pin, fresh.workers,
			      fresh.mode, fresh.metric)))
		return &d->s[s - d->s];
	if (grow(&d->s, &d->cap, d->n, sizeof(*d->s), 64) < 0)
		return NULL;
	d->s[d->n] = fresh;
	if (index_series(d, d->n) < 0)
		return NULL;
	return &d->s[d->n++];
}

static int series_add(struct series *s, double v)
{
	if (grow(&s->v, &s->cap, s->n, sizeof(*s->v), 8) < 0)
		return -ENOMEM;
	s->v[s->n++] = v;
	return 0;
}

static int mode_of(const char *m)
{
	for (int i = 0; i < MODE_N; i++)
		if (strcmp(m, modes[i]) == 0)
			return i;
	return -1;
}

/* Reads a result file, leaving out a last row that was cut short (the
 * harness killed in the middle of a write, a power cut): every row the
 * harness writes ends with a line break. */
static int read_rows(const char *path, struct table *t)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t cap = 0, len = 0, n;
	int rc;

	if (!f)
		return -errno;
	do {
		if (grow(&text, &cap, len + 65536, 1, 65536 + 1) < 0) {
			fclose(f);
			free(text);
			return -ENOMEM;
		}
		n = fread(text + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	rc = ferror(f) ? -EIO : 0;
	fclose(f);
	while (len && text[len - 1] != '\n')
		len--;
	if (!rc)
		rc = table_parse(text, len, t);
	free(text);
	return rc;
}

static int read_table(const char *dir, const char *file, struct table *t,
		      int required, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int rc;

	strfmt(path, sizeof(path), "%s/%s", dir, file);
	rc = read_rows(path, t);
	if (rc == -ENOENT && !required)
		return 1;
	if (rc == -ENOENT || rc == -ENOTDIR)
		strfmt(err, errlen, "%s is not a result folder (no %s)", dir, file);
	else if (rc == -EBADMSG)
		strfmt(err, errlen, "%s:%d: malformed CSV", path, t->bad_line);
	else if (rc < 0)
		strfmt(err, errlen, "cannot read %s: %s", path, strerror(-rc));
	return rc;
}

static int add_tburst(struct dataset *d, const struct table *t, int r,
		      const int *colmap, const struct cellkey *c)
{
	struct tburst *b;

	if (grow(&d->b, &d->capb, d->nb, sizeof(*d->b), 16) < 0)
		return -ENOMEM;
	b = &d->b[d->nb++];
	memset(b, 0, sizeof(*b));
	strfmt(b->workload, sizeof(b->workload), "%s", c->workload);
	strfmt(b->params, sizeof(b->params), "%s", c->params);
	strfmt(b->pin, sizeof(b->pin), "%s", c->pin);
	b->workers = c->workers;
	b->mode = c->mode;
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
	int counted, traced;
	struct cellkey c;
};

/* A counted trial's values of the common metrics read from its row;
 * mcol[i]: the column of common_metrics[i], or -1. */
static int add_common(struct dataset *d, const struct table *t, int r, const int *colmap,
		      const int *mcol, const struct trow *tr)
{
	for (size_t i = 0; common_metrics[i].m.name; i++) {
		const struct common_metric *cm = &common_metrics[i];
		double v;
		struct series *s;

		if (cm->src != (tr->traced ? SRC_TRACED : SRC_UNTRACED) || mcol[i] < 0)
			continue;
		v = table_num(t, r, mcol[i]);
		if (isnan(v))
			continue;
		s = series_get(d, &tr->c, cm->m.name, cm->m.unit);
		if (!s || series_add(s, v) < 0)
			return -ENOMEM;
	}
	if (tr->traced && !isnan(table_num(t, r, colmap[TR_BURST_N])) &&
	    add_tburst(d, t, r, colmap, &tr->c) < 0)
		return -ENOMEM;
	if (!tr->traced) {
		double pss = table_num(t, r, colmap[TR_PSS_KIB]);
		double pte = table_num(t, r, colmap[TR_PTE_KIB]);
		struct series *s;

		if (isnan(pss) || isnan(pte))
			return 0;
		s = series_get(d, &tr->c, "pss_pte_kib", "KiB");
		if (!s || series_add(s, pss + pte) < 0)
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
	    cex = table_col(t, "expected"), cst = table_col(t, "status");
	int colmap[TR_N], mcol[ARRAY_SIZE(common_metrics)], maxid = 0;
	struct trow *rows;

	if (cid < 0 || cw < 0 || cm < 0 || cn < 0) {
		strfmt(err, errlen, "trials.csv lacks trial/workload/mode/workers columns");
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
		double id = table_num(t, r, cid), w;
		struct trow *tr;
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
		/* Counted: not a warm-up, and ended as the workload expects
		 * (older files without 'expected': status ok). */
		tr->counted = tr->c.mode >= 0 && table_num(t, r, cwu) != 1 &&
			      (*ex ? strcmp(ex, "1") == 0
				   : strcmp(table_get(t, r, cst), "ok") == 0);
		if (tr->counted && add_common(d, t, r, colmap, mcol, tr) < 0) {
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
		struct series *s;

		if (!(id >= 1 && id <= maxid) || *table_get(t, r, cw) || isnan(v))
			continue;
		tr = &rows[(int)id];
		/* Tracing perturbs timing: metrics come from untraced trials. */
		if (!tr->counted || tr->traced)
			continue;
		s = series_get(d, &tr->c, table_get(t, r, cm), table_get(t, r, cu));
		if (!s || series_add(s, v) < 0)
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
				  (const size_t[]){ w1->n, wn->n }, 2, series_seed(wn) ^ 0x5eed,
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
			parse_double(v, &d->noise);
	}
	if ((rc = read_table(dir, "trials.csv", &tt, 1, err, errlen)) < 0)
		goto out;
	if ((rc = load_trials(d, &tt, &rows, &maxid, err, errlen)) < 0)
		goto out;
	if ((rc = read_table(dir, "metrics.csv", &tm, 0, err, errlen)) < 0)
		goto out;
	if (rc == 0 && (rc = load_metrics(d, &tm, rows, maxid)) < 0)
		goto out;
	for (size_t i = 0; i < d->n; i++)
		if ((rc = stats_summarize(d->s[i].v, d->s[i].n, series_seed(&d->s[i]),
					  &d->s[i].s)) < 0)
			goto out;
	rc = derive_speedup(d);
out:
	if (rc == -ENOMEM)
		strfmt(err, errlen, "out of memory analysing %s", dir);
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
	for (size_t i = 0; i < d->n; i++)
		free(d->s[i].v);
	free(d->s);
	free(d->b);
	index_free(&d->ix);
	memset(d, 0, sizeof(*d));
}

/* Thread speedup over process speedup of one bootstrap round: m holds
 * process at 1 and n workers, then thread at 1 and n. The 1/n in
 * efficiency cancels out. */
static double speedups_of(const double *m)
{
	return (m[3] / m[2]) / (m[1] / m[0]);
}

/* Derived series (speedup, efficiency): the ratio of the medians, and a CI
 * from both modes' ops_per_s at 1 and n workers. */
static int derived_ratio(const struct dataset *d, struct versus *v)
{
	const struct series *p = v->p, *t = v->t, *x[4];
	const double *vals[4];
	size_t n[4];
	char key[400];

	v->ratio = p->s.median ? t->s.median / p->s.median : NAN;
	for (int k = 0; k < 4; k++) {
		const struct series *s = k < 2 ? p : t;

		x[k] = dataset_find(d, s->workload, s->params, s->pin, k % 2 ? s->workers : 1,
				    k < 2 ? MODE_PROCESS : MODE_THREAD, "ops_per_s");
		if (!x[k] || x[k]->n < 2)
			return 0;
		vals[k] = x[k]->v;
		n[k] = x[k]->n;
	}
	/* One seed for speedup and efficiency: the same ratio, the same
	 * interval. */
	strfmt(key, sizeof(key), "%s|%s|%d|%s|speedup-ratio", t->workload, t->params,
	       t->workers, t->pin);
	return stats_boot_ci(vals, n, 4, hash_text(key), speedups_of, &v->lo, &v->hi);
}

int versus_get(const struct dataset *d, const struct series *p, struct versus *v)
{
	int rc;

	memset(v, 0, sizeof(*v));
	v->p = p;
	v->ratio = v->lo = v->hi = NAN;
	v->t = dataset_find(d, p->workload, p->params, p->pin, p->workers, MODE_THREAD, p->metric);
	if (!v->t)
		return -ENOENT;
	if (!p->s.n || !v->t->s.n)
		return 0;
	if (!p->v || !v->t->v)
		rc = derived_ratio(d, v);
	else
		rc = stats_ratio(v->t->v, v->t->n, p->v, p->n, series_seed(v->t), &v->ratio,
				 &v->lo, &v->hi);
	v->zero = rc == -EDOM;
	return rc == -ENOMEM ? rc : 0;
}

enum outcome versus_outcome(const struct versus *v, double noise, int better)
{
	if (v->p->s.n < VERSUS_MIN_REPS || v->t->s.n < VERSUS_MIN_REPS)
		return OUT_NONE;
	return stats_classify(v->lo, v->hi, noise, better);
}
