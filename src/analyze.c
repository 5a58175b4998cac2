/* analyze.c - counted trials -> series -> summary.csv and versus.csv.
 *
 * A series is every counted value of one metric in one cell and mode.
 * Its summary is median, quartiles, min/max and a seeded bootstrap 95% CI
 * of the median. versus.csv pairs the process and thread series of a cell:
 * thread_over_process = ratio of medians, with its own bootstrap CI, and a
 * winner only when that CI lies wholly outside 1 +- noise.
 * Speedup (median wall_s at 1 worker / at n) and efficiency (speedup / n)
 * are derived series with bootstrap CIs of their own.
 */
#include "analyze.h"
#include "claims.h"
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

int metric_better(const char *m)
{
	static const struct { const char *name; int better; } table[] = {
		{ "ops_per_s", 1 }, { "speedup", 1 }, { "efficiency", 1 },
		{ "gbps", 1 }, { "survivors", 1 }, { "work_done_frac", 1 },
		{ "us_per_page", -1 }, { "ops", 0 }, { "nvcsw", 0 }, { "nivcsw", 0 }, { "burst_", 0 },
		{ "preempted_frac", 0 }, { "lost_updates", -1 }, { "invisible_updates", -1 },
		{ "faults_", -1 }, { "wall_s", -1 }, { "spawn_s", -1 }, { "join_s", -1 },
		{ "user_s", -1 }, { "sys_s", -1 }, { "minflt", -1 }, { "majflt", -1 },
		{ "_kib", -1 }, { "_us", -1 }, { "_ms", -1 }, { "_ns", -1 }, { "ns_per_op", -1 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		size_t k = strlen(table[i].name), n = strlen(m);

		/* A name ending in '_' is a prefix; one starting with '_' a suffix. */
		if (table[i].name[k - 1] == '_' ? strncmp(m, table[i].name, k) == 0
		    : table[i].name[0] == '_' ? (n > k && strcmp(m + n - k, table[i].name) == 0)
		    : strcmp(m, table[i].name) == 0)
			return table[i].better;
	}
	return 0;
}

uint64_t series_seed(const struct series *s)
{
	char key[400];

	strfmt(key, sizeof(key), "%s|%s|%d|%s|%s", s->workload, s->params, s->workers,
	       s->pin, s->metric);
	return hash_text(key);
}

/* Open-addressing index: key text -> series number. */
struct index {
	char **keys;
	size_t *val;
	size_t cap, n;
};

static int index_put(struct index *ix, char *key, size_t val);

static size_t *index_get(struct index *ix, const char *key)
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

static int index_grow(struct index *ix)
{
	struct index big = { 0 };

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
static int index_put(struct index *ix, char *key, size_t val)
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

static void index_free(struct index *ix)
{
	for (size_t i = 0; i < ix->cap; i++)
		free(ix->keys[i]);
	free(ix->keys);
	free(ix->val);
}

struct cellkey {
	const char *workload, *params, *pin;
	int workers, mode;
};

static struct series *series_get(struct dataset *d, struct index *ix,
				 const struct cellkey *c, const char *metric,
				 const char *unit)
{
	struct series fresh;
	char *key;
	size_t *at;

	if (asprintf(&key, "%s|%s|%d|%s|%d|%s", c->workload, c->params, c->workers,
		     c->pin, c->mode, metric) < 0)
		return NULL;
	if ((at = index_get(ix, key))) {
		free(key);
		return &d->s[*at];
	}
	/* Copy the key first: c may point into d->s, which may move. */
	memset(&fresh, 0, sizeof(fresh));
	strfmt(fresh.workload, sizeof(fresh.workload), "%s", c->workload);
	strfmt(fresh.params, sizeof(fresh.params), "%s", c->params);
	strfmt(fresh.pin, sizeof(fresh.pin), "%s", c->pin);
	strfmt(fresh.metric, sizeof(fresh.metric), "%s", metric);
	strfmt(fresh.unit, sizeof(fresh.unit), "%s", unit);
	fresh.workers = c->workers;
	fresh.mode = c->mode;
	if (grow(&d->s, &d->cap, d->n, sizeof(*d->s), 64) < 0 || index_put(ix, key, d->n) < 0) {
		free(key);
		return NULL;
	}
	d->s[d->n] = fresh;
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

/* Is trials.csv column c a metric, and for traced trials or untraced? */
static int metric_col(int c, int traced)
{
	int burst = c >= TR_BURST_N && c <= TR_BURST_MAX_US;

	if (c < TR_WALL_S || c > TR_BURST_MAX_US || c == TR_CHECKSUM_OK)
		return 0;
	return traced ? burst : !burst;
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

static int load_trials(struct dataset *d, struct index *ix, const struct table *t,
		       struct trow **rows_out, int *maxid_out, char *err, size_t errlen)
{
	int cid = table_col(t, "trial"), cw = table_col(t, "workload"),
	    cm = table_col(t, "mode"), cn = table_col(t, "workers"),
	    cp = table_col(t, "pin"), cpar = table_col(t, "params"),
	    ctr = table_col(t, "traced"), cwu = table_col(t, "warmup"),
	    cex = table_col(t, "expected"), cst = table_col(t, "status");
	int colmap[TR_N], maxid = 0;
	struct trow *rows;

	if (cid < 0 || cw < 0 || cm < 0 || cn < 0) {
		strfmt(err, errlen, "trials.csv lacks trial/workload/mode/workers columns");
		return -EBADMSG;
	}
	for (int c = 0; c < TR_N; c++)
		colmap[c] = table_col(t, trials_cols[c]);
	for (int r = 0; r < t->nrows; r++) {
		double id = table_num(t, r, cid);

		if (id > maxid && id < 1e7)
			maxid = (int)id;
	}
	rows = calloc((size_t)maxid + 1, sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	for (int r = 0; r < t->nrows; r++) {
		double id = table_num(t, r, cid);
		struct trow *tr;
		const char *ex = table_get(t, r, cex);

		if (!(id >= 1 && id <= maxid))
			continue;
		tr = &rows[(int)id];
		tr->c.workload = table_get(t, r, cw);
		tr->c.params = table_get(t, r, cpar);
		tr->c.pin = table_get(t, r, cp);
		{
			double w = table_num(t, r, cn);

			tr->c.workers = w >= 1 && w <= 1e6 ? (int)w : 0;
		}
		tr->c.mode = tr->c.workers ? mode_of(table_get(t, r, cm)) : -1;
		tr->traced = table_num(t, r, ctr) == 1;
		/* Counted: not a warm-up, and ended as the workload expects
		 * (older files without 'expected': status ok). */
		tr->counted = tr->c.mode >= 0 && table_num(t, r, cwu) != 1 &&
			      (*ex ? strcmp(ex, "1") == 0
				   : strcmp(table_get(t, r, cst), "ok") == 0);
		if (!tr->counted)
			continue;
		for (int c = 0; c < TR_N; c++) {
			double v;
			struct series *s;

			if (!metric_col(c, tr->traced) || colmap[c] < 0)
				continue;
			v = table_num(t, r, colmap[c]);
			if (isnan(v))
				continue;
			s = series_get(d, ix, &tr->c, trials_cols[c], unit_of(trials_cols[c]));
			if (!s || series_add(s, v) < 0)
				goto nomem;
		}
		if (tr->traced && !isnan(table_num(t, r, colmap[TR_BURST_N])) &&
		    add_tburst(d, t, r, colmap, &tr->c) < 0)
			goto nomem;
		if (!tr->traced) {
			/* What the OS spends on the trial's memory: the honest
			 * share of its pages plus its page tables. */
			double pss = table_num(t, r, colmap[TR_PSS_KIB]);
			double pte = table_num(t, r, colmap[TR_PTE_KIB]);
			struct series *s;

			if (isnan(pss) || isnan(pte))
				continue;
			s = series_get(d, ix, &tr->c, "pss_pte_kib", "KiB");
			if (!s || series_add(s, pss + pte) < 0)
				goto nomem;
		}
	}
	*rows_out = rows;
	*maxid_out = maxid;
	return 0;
nomem:
	free(rows);
	return -ENOMEM;
}

static int load_metrics(struct dataset *d, struct index *ix, const struct table *t,
			const struct trow *rows, int maxid)
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
		s = series_get(d, ix, &tr->c, table_get(t, r, cm), table_get(t, r, cu));
		if (!s || series_add(s, v) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* The 1-worker series of the same metric beside series i, or -1. */
static long one_worker(const struct dataset *d, size_t i)
{
	const struct series *wn = &d->s[i];

	for (size_t j = 0; j < d->n; j++) {
		const struct series *s = &d->s[j];

		if (s->workers == 1 && s->mode == wn->mode && s->n &&
		    strcmp(s->metric, wn->metric) == 0 && strcmp(s->workload, wn->workload) == 0 &&
		    strcmp(s->params, wn->params) == 0 && strcmp(s->pin, wn->pin) == 0)
			return (long)j;
	}
	return -1;
}

/* Speedup and efficiency of every cell that has a 1-worker sibling.
 * Speedup is throughput over throughput: median ops_per_s at n / at 1
 * worker. Where the work is split among the workers (strong scaling, cpu)
 * that is wall_s at 1 / wall_s at n; where each worker gets the same work
 * (weak scaling, membw, counter) it still means "how much more got done". */
static int derive_speedup(struct dataset *d, struct index *ix)
{
	size_t n0 = d->n;
	double *b1 = malloc(STATS_RESAMPLES * sizeof(double));
	double *bn = malloc(STATS_RESAMPLES * sizeof(double));
	int rc = 0;

	if (!b1 || !bn) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n0; i++) {
		struct series *wn = &d->s[i], *w1, *sp, *ef;
		struct summary sum = { 0 };
		struct cellkey c;
		long j1;
		struct rng r;

		if (strcmp(wn->metric, "ops_per_s") || wn->workers <= 1 || !wn->n ||
		    (j1 = one_worker(d, i)) < 0 || !(d->s[j1].s.median > 0))
			continue;
		w1 = &d->s[j1];
		sum.n = w1->n < wn->n ? w1->n : wn->n;
		sum.median = wn->s.median / w1->s.median;
		sum.p25 = sum.p75 = sum.min = sum.max = sum.mean = NAN;
		sum.ci_lo = sum.ci_hi = NAN;
		if (w1->n >= 2 && wn->n >= 2) {
			rng_seed(&r, series_seed(wn) ^ 0x5eed);
			if (boot_medians(w1->v, w1->n, &r, b1) < 0 ||
			    boot_medians(wn->v, wn->n, &r, bn) < 0) {
				rc = -ENOMEM;
				goto out;
			}
			for (int k = 0; k < STATS_RESAMPLES; k++)
				b1[k] = bn[k] / b1[k];
			stats_sort(b1, STATS_RESAMPLES);
			sum.ci_lo = stats_quantile(b1, STATS_RESAMPLES, 0.025);
			sum.ci_hi = stats_quantile(b1, STATS_RESAMPLES, 0.975);
		}
		c = (struct cellkey){ wn->workload, wn->params, wn->pin, wn->workers, wn->mode };
		/* series_get may move d->s: no pointer into it survives the call. */
		if (!(sp = series_get(d, ix, &c, "speedup", "x"))) {
			rc = -ENOMEM;
			goto out;
		}
		sp->s = sum;
		c = (struct cellkey){ d->s[i].workload, d->s[i].params, d->s[i].pin,
				      d->s[i].workers, d->s[i].mode };
		if (!(ef = series_get(d, ix, &c, "efficiency", "fraction"))) {
			rc = -ENOMEM;
			goto out;
		}
		ef->s = sum;
		ef->s.median /= ef->workers;
		ef->s.ci_lo /= ef->workers;
		ef->s.ci_hi /= ef->workers;
	}
out:
	free(b1);
	free(bn);
	return rc;
}

int dataset_load(const char *dir, struct dataset *d, char *err, size_t errlen)
{
	struct table tt = { 0 }, tm = { 0 }, me = { 0 };
	struct index ix = { 0 };
	struct trow *rows = NULL;
	int maxid = 0, rc;

	memset(d, 0, sizeof(*d));
	d->noise = 0.03;
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
	if ((rc = load_trials(d, &ix, &tt, &rows, &maxid, err, errlen)) < 0)
		goto out;
	if ((rc = read_table(dir, "metrics.csv", &tm, 0, err, errlen)) < 0)
		goto out;
	if (rc == 0 && (rc = load_metrics(d, &ix, &tm, rows, maxid)) < 0)
		goto out;
	for (size_t i = 0; i < d->n; i++)
		if ((rc = stats_summarize(d->s[i].v, d->s[i].n, series_seed(&d->s[i]),
					  &d->s[i].s)) < 0)
			goto out;
	rc = derive_speedup(d, &ix);
out:
	if (rc == -ENOMEM)
		strfmt(err, errlen, "out of memory analysing %s", dir);
	if (rc > 0)
		rc = 0;
	free(rows);
	index_free(&ix);
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
	memset(d, 0, sizeof(*d));
}

const struct series *dataset_find(const struct dataset *d, const char *workload,
				  const char *params, const char *pin, int workers, int mode,
				  const char *metric)
{
	const struct series *best = NULL;

	for (size_t i = 0; i < d->n; i++) {
		const struct series *s = &d->s[i];

		if (s->mode != mode || strcmp(s->metric, metric) ||
		    strcmp(s->workload, workload) || (params && strcmp(s->params, params)) ||
		    (pin && strcmp(s->pin, pin)))
			continue;
		if (workers >= 0 && s->workers == workers)
			return s;
		if (workers < 0 && (!best || s->workers > best->workers))
			best = s;
	}
	return best;
}

static int write_summary(const char *dir, const struct dataset *d)
{
	char path[PATH_MAX];
	struct csvw *w;
	struct row row;
	int rc;

	strfmt(path, sizeof(path), "%s/summary.csv", dir);
	if ((rc = csvw_open(&w, path, summary_cols, SU_N, CSVW_ATOMIC)) < 0)
		return rc;
	for (size_t i = 0; i < d->n && !rc; i++) {
		const struct series *s = &d->s[i];

		row_init(&row, SU_N);
		row_str(&row, SU_WORKLOAD, s->workload);
		row_str(&row, SU_MODE, modes[s->mode]);
		row_u64(&row, SU_WORKERS, (uint64_t)s->workers);
		row_str(&row, SU_PIN, s->pin);
		row_str(&row, SU_METRIC, s->metric);
		row_str(&row, SU_UNIT, s->unit);
		row_u64(&row, SU_N_, s->s.n);
		row_num(&row, SU_MEDIAN, s->s.median);
		row_num(&row, SU_P25, s->s.p25);
		row_num(&row, SU_P75, s->s.p75);
		row_num(&row, SU_MIN, s->s.min);
		row_num(&row, SU_MAX, s->s.max);
		row_num(&row, SU_CI95_LO, s->s.ci_lo);
		row_num(&row, SU_CI95_HI, s->s.ci_hi);
		row_str(&row, SU_PARAMS, s->params);
		rc = csvw_row(w, &row);
	}
	return rc ? (csvw_close(w), rc) : csvw_close(w);
}

/* Ratio thread/process of a cell's metric with its CI; speedup and
 * efficiency (no raw values) get theirs from four bootstraps. */
int versus_ratio(const struct dataset *d, const struct series *p,
		 const struct series *t, double *ratio, double *lo, double *hi)
{
	*ratio = *lo = *hi = NAN;
	if (!p->s.n || !t->s.n)
		return 0;
	if (p->v && t->v)
		return stats_ratio(t->v, t->n, p->v, p->n, series_seed(t), ratio, lo, hi);
	{
		/* Derived: rebuild both speedups' bootstrap distributions. */
		const struct series *p1 = dataset_find(d, p->workload, p->params, p->pin, 1, MODE_PROCESS, "ops_per_s");
		const struct series *pn = dataset_find(d, p->workload, p->params, p->pin, p->workers, MODE_PROCESS, "ops_per_s");
		const struct series *t1 = dataset_find(d, t->workload, t->params, t->pin, 1, MODE_THREAD, "ops_per_s");
		const struct series *tn = dataset_find(d, t->workload, t->params, t->pin, t->workers, MODE_THREAD, "ops_per_s");
		double *b[4];
		struct rng r;
		int rc = 0;

		*ratio = p->s.median ? t->s.median / p->s.median : NAN;
		if (!p1 || !pn || !t1 || !tn || p1->n < 2 || pn->n < 2 || t1->n < 2 || tn->n < 2)
			return 0;
		for (int k = 0; k < 4; k++)
			b[k] = malloc(STATS_RESAMPLES * sizeof(double));
		if (!b[0] || !b[1] || !b[2] || !b[3]) {
			rc = -ENOMEM;
			goto out;
		}
		/* One seed for speedup and efficiency: the same ratio, the
		 * same interval. */
		{
			char key[400];

			strfmt(key, sizeof(key), "%s|%s|%d|%s|speedup-ratio", t->workload, t->params,
			       t->workers, t->pin);
			rng_seed(&r, hash_text(key));
		}
		if (boot_medians(p1->v, p1->n, &r, b[0]) < 0 || boot_medians(pn->v, pn->n, &r, b[1]) < 0 ||
		    boot_medians(t1->v, t1->n, &r, b[2]) < 0 || boot_medians(tn->v, tn->n, &r, b[3]) < 0) {
			rc = -ENOMEM;
			goto out;
		}
		/* Speedups' ratio: the 1/n in efficiency cancels out. */
		for (int k = 0; k < STATS_RESAMPLES; k++)
			b[0][k] = (b[3][k] / b[2][k]) / (b[1][k] / b[0][k]);
		stats_sort(b[0], STATS_RESAMPLES);
		*lo = stats_quantile(b[0], STATS_RESAMPLES, 0.025);
		*hi = stats_quantile(b[0], STATS_RESAMPLES, 0.975);
out:
		for (int k = 0; k < 4; k++)
			free(b[k]);
		return rc;
	}
}

const char *winner(double lo, double hi, double noise, int better)
{
	if (isnan(lo) || isnan(hi))
		return "";
	if (lo > 1 + noise)         /* thread higher */
		return better > 0 ? "thread" : better < 0 ? "process" : "thread_higher";
	if (hi < 1 - noise)         /* thread lower */
		return better > 0 ? "process" : better < 0 ? "thread" : "thread_lower";
	return "same";
}

static int write_versus(const char *dir, const struct dataset *d, double noise)
{
	char path[PATH_MAX];
	struct csvw *w;
	struct row row;
	int rc;

	strfmt(path, sizeof(path), "%s/versus.csv", dir);
	if ((rc = csvw_open(&w, path, versus_cols, VS_N, CSVW_ATOMIC)) < 0)
		return rc;
	for (size_t i = 0; i < d->n && !rc; i++) {
		const struct series *p = &d->s[i], *t;
		double ratio, lo, hi;

		if (p->mode != MODE_PROCESS)
			continue;
		t = dataset_find(d, p->workload, p->params, p->pin, p->workers, MODE_THREAD, p->metric);
		row_init(&row, VS_N);
		row_str(&row, VS_WORKLOAD, p->workload);
		row_u64(&row, VS_WORKERS, (uint64_t)p->workers);
		row_str(&row, VS_PIN, p->pin);
		row_str(&row, VS_METRIC, p->metric);
		row_str(&row, VS_UNIT, p->unit);
		row_num(&row, VS_PROCESS, p->s.median);
		row_u64(&row, VS_N_PROCESS, p->s.n);
		if (t) {
			if ((rc = versus_ratio(d, p, t, &ratio, &lo, &hi)) < 0 && rc != -EDOM)
				break;
			rc = 0;
			row_num(&row, VS_THREAD, t->s.median);
			row_num(&row, VS_THREAD_OVER_PROCESS, ratio);
			row_num(&row, VS_CI95_LO, lo);
			row_num(&row, VS_CI95_HI, hi);
			/* Fewer than 3 values a side: no winner (an interval from
			 * 2 values covers far less than 95%). */
			if (p->s.n >= 3 && t->s.n >= 3)
				row_str(&row, VS_WINNER, winner(lo, hi, noise, metric_better(p->metric)));
			row_u64(&row, VS_N_THREAD, t->s.n);
		}
		row_str(&row, VS_PARAMS, p->params);
		rc = csvw_row(w, &row);
	}
	return rc ? (csvw_close(w), rc) : csvw_close(w);
}

int analyze_dir(const char *dir, double noise, char *err, size_t errlen)
{
	struct dataset d;
	int rc = dataset_load(dir, &d, err, errlen);

	if (rc < 0)
		return rc;
	if (noise < 0)
		noise = d.noise;
	if ((rc = write_summary(dir, &d)) < 0)
		strfmt(err, errlen, "writing %s/summary.csv: %s", dir, strerror(-rc));
	else if ((rc = write_versus(dir, &d, noise)) < 0)
		strfmt(err, errlen, "writing %s/versus.csv: %s", dir, strerror(-rc));
	else if ((rc = claims_write(dir, &d, noise)) < 0)
		strfmt(err, errlen, "writing %s/claims.csv: %s", dir, strerror(-rc));
	dataset_free(&d);
	return rc;
}
