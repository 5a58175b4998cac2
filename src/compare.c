/* compare.c - B against A, cell by cell, metric by metric. */
#include "compare.h"
#include "dataset.h"
#include "merge.h"
#include "csvio.h"
#include "schema.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether two samples hold the same values (so no interval is needed to
 * call them the same). */
static int identical(const struct series *a, const struct series *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i] != b->v[i])
			return 0;
	return 1;
}

/* better / worse / same / changed / inconclusive, from B/A's CI; equal
 * samples are the same whatever their interval (resampled independently,
 * even equal samples give one), and without a CI (fewer than 2 values a
 * side) nothing else is called. */
static const char *change(const struct series *a, const struct series *b, double lo,
			  double hi, double noise, int better)
{
	static const char *const words[] = {
		[OUT_NONE] = "", [OUT_SAME] = "same", [OUT_INCONCLUSIVE] = "inconclusive",
		[OUT_BETTER] = "better", [OUT_WORSE] = "worse",
		[OUT_HIGHER] = "changed", [OUT_LOWER] = "changed",
	};
	enum outcome out = stats_classify(lo, hi, noise, better);

	return identical(a, b) ? "same" : words[out];
}

/* B's series measured like A's series sa, or NULL. Raw series only:
 * derived ones (speedup) follow from ops_per_s. */
static const struct series *match(const struct dataset *db, const struct series *sa)
{
	const struct series *sb;

	if (!sa->v)
		return NULL;
	sb = dataset_find(db, sa->workload, sa->params, sa->pin, sa->workers, sa->mode, sa->metric);
	return sb && sb->v ? sb : NULL;
}

/* -EINVAL with err set when one of several folders is merged (a merged
 * folder is compared alone). */
static int refuse_merged(const char *const *dirs, int n, char *err, size_t errlen)
{
	for (int i = 0; i < n && n > 1; i++)
		if (dataset_is_merged(dirs[i]) == 1) {
			util_strfmt(err, errlen, "compare: '%s' is a merged folder: compare it alone (ptbench compare %s)",
				    dirs[i], dirs[i]);
			return -EINVAL;
		}
	return 0;
}

int compare_dirs(const char *a, const char *b, double noise, char *err, size_t errlen)
{
	struct dataset da, db;
	struct csvw *w;
	size_t common = 0;
	int rc = refuse_merged((const char *const[]){ a, b }, 2, err, errlen);

	if (rc < 0)
		return rc;

	/* a folder that cannot be read is bad input; memory is ours */
	if ((rc = dataset_load(a, &da, err, errlen)) < 0)
		return rc == -ENOMEM ? rc : -EINVAL;
	if ((rc = dataset_load(b, &db, err, errlen)) < 0) {
		dataset_free(&da);
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	for (size_t i = 0; i < da.n; i++)
		common += match(&db, &da.s[i]) != NULL;
	if (!common) {
		/* a header alone would look like "no change" */
		util_strfmt(err, errlen, "compare: %s and %s have no experiment in common (the same workload, parameters, pin, worker count and mode)",
		       a, b);
		dataset_free(&da);
		dataset_free(&db);
		return -EINVAL;
	}
	rc = csvw_open(&w, NULL, compare_cols, CP_N, CSVW_STDOUT);
	for (size_t i = 0; i < da.n && !rc; i++) {
		const struct series *sa = &da.s[i], *sb = match(&db, sa);
		double ratio, lo, hi;
		struct row row;

		if (!sb)
			continue;
		if (stats_ratio(sb->v, sb->n, sa->v, sa->n, dataset_series_seed(sa), &ratio, &lo, &hi) == -ENOMEM) {
			rc = -ENOMEM;
			break;
		}
		row_init(&row, CP_N);
		row_str(&row, CP_WORKLOAD, sa->workload);
		row_str(&row, CP_MODE, mode_values[sa->mode]);
		row_u64(&row, CP_WORKERS, (uint64_t)sa->workers);
		row_str(&row, CP_PIN, sa->pin);
		row_str(&row, CP_METRIC, sa->metric);
		row_num(&row, CP_A_MEDIAN, sa->s.median);
		row_num(&row, CP_B_MEDIAN, sb->s.median);
		row_num(&row, CP_B_OVER_A, ratio);
		row_num(&row, CP_CI95_LO, lo);
		row_num(&row, CP_CI95_HI, hi);
		row_str(&row, CP_CHANGE, change(sa, sb, lo, hi, noise, dataset_metric_better(sa->workload, sa->metric)));
		row_str(&row, CP_PARAMS, sa->params);
		rc = csvw_row(w, &row);
	}
	{
		int c = csvw_close(w);

		rc = rc ? rc : c;
	}
	if (rc)
		util_strfmt(err, errlen, "writing the comparison: %s", strerror(-rc));
	dataset_free(&da);
	dataset_free(&db);
	return rc;
}

/* The rows of a merged table side by side: one group per distinct key
 * (the cells of keys), in the order first seen; cell[g * nruns + i] is
 * run i's row of group g, or -1. */
struct sbs {
	int n;                  /* groups */
	int *first;             /* a row of each group (its first) */
	int *cell;
};

struct ent {
	char *key;
	int row, run;
	int group;              /* after sorting: its group */
};

static int ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : x->row - y->row;
}

/* A group: its first row and its index before ordering. */
struct grp {
	int first, id;
};

static int grp_cmp(const void *a, const void *b)
{
	return ((const struct grp *)a)->first - ((const struct grp *)b)->first;
}

/* Run index of a merged table's row, or -1. */
static int run_of(const struct table *t, int r, const struct merge_run *runs, int nr)
{
	for (int i = 0; i < nr; i++)
		if (!strcmp(csv_unguard(table_get(t, r, MG_HOST)), runs[i].host) &&
		    !strcmp(csv_unguard(table_get(t, r, MG_RUN)), runs[i].run))
			return i;
	return -1;
}

/* The key of row r: its cells in columns keys, joined by a byte no cell
 * holds. NULL when out of memory. */
static char *key_of(const struct table *t, int r, const char *const *keys, int nkeys)
{
	char *k = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&k, &len);

	if (!m)
		return NULL;
	for (int c = 0; c < nkeys; c++)
		fprintf(m, "%s\x1f", table_get(t, r, table_col(t, keys[c])));
	if (fclose(m)) {
		free(k);
		return NULL;
	}
	return k;
}

static void sbs_free(struct sbs *s)
{
	free(s->first);
	free(s->cell);
	memset(s, 0, sizeof(*s));
}

static int side_by_side(const struct table *t, const char *const *keys, int nkeys,
			const struct merge_run *runs, int nr, struct sbs *s)
{
	struct ent *e = calloc((size_t)t->nrows + 1, sizeof(*e));
	struct grp *g = calloc((size_t)t->nrows + 1, sizeof(*g));
	int *rank = calloc((size_t)t->nrows + 1, sizeof(*rank));
	int ne = 0, ng = 0, rc = 0;

	memset(s, 0, sizeof(*s));
	s->first = malloc(((size_t)t->nrows + 1) * sizeof(int));
	s->cell = malloc(((size_t)t->nrows + 1) * (size_t)nr * sizeof(int));
	if (!e || !g || !rank || !s->first || !s->cell)
		rc = -ENOMEM;
	for (int r = 0; r < t->nrows && !rc; r++) {
		if ((e[ne].run = run_of(t, r, runs, nr)) < 0)
			continue;
		e[ne].row = r;
		if (!(e[ne++].key = key_of(t, r, keys, nkeys)))
			rc = -ENOMEM;
	}
	if (!rc) {
		qsort(e, (size_t)ne, sizeof(*e), ent_cmp);
		for (int i = 0; i < ne; i++) {
			if (i == 0 || strcmp(e[i].key, e[i - 1].key)) {
				g[ng].first = e[i].row;
				g[ng].id = ng;
				ng++;
			}
			e[i].group = ng - 1;
		}
		/* groups in the order first seen */
		qsort(g, (size_t)ng, sizeof(*g), grp_cmp);
		for (int i = 0; i < ng; i++) {
			rank[g[i].id] = i;
			s->first[i] = g[i].first;
		}
		s->n = ng;
		for (int i = 0; i < ng * nr; i++)
			s->cell[i] = -1;
		for (int i = 0; i < ne; i++) {
			int *c = &s->cell[rank[e[i].group] * nr + e[i].run];

			if (*c < 0)
				*c = e[i].row;
		}
	}
	for (int i = 0; i < ne; i++)
		free(e[i].key);
	free(e);
	free(g);
	free(rank);
	if (rc)
		sbs_free(s);
	return rc;
}

/* A side-by-side file being written: its header (the fixed columns, then
 * per run its name with each suffix), a row's cells, and per run a row
 * that formats its cells. */
struct sbs_file {
	struct csvw *w;
	int ncols;
	char **head;
	const char **cells;
	struct row *per;
};

static void sbs_close_mem(struct sbs_file *f)
{
	for (int i = 0; f->head && i < f->ncols; i++)
		free(f->head[i]);
	free(f->head);
	free(f->cells);
	free(f->per);
}

static int sbs_open(struct sbs_file *f, const char *path, const char *const *fixed, int nfixed,
		    const char *const *suffix, int nsuf, const struct merge_run *runs, int nr)
{
	memset(f, 0, sizeof(*f));
	f->ncols = nfixed + nr * nsuf;
	f->head = calloc((size_t)f->ncols, sizeof(*f->head));
	f->cells = calloc((size_t)f->ncols, sizeof(*f->cells));
	f->per = calloc((size_t)nr, sizeof(*f->per));
	if (!f->head || !f->cells || !f->per)
		return -ENOMEM;
	for (int c = 0; c < nfixed; c++)
		if (!(f->head[c] = strdup(fixed[c])))
			return -ENOMEM;
	for (int i = 0; i < nr; i++) {
		char name[600];

		merge_run_name(runs, nr, i, name, sizeof(name));
		for (int k = 0; k < nsuf; k++)
			if (asprintf(&f->head[nfixed + i * nsuf + k], "%s%s", name, suffix[k]) < 0) {
				f->head[nfixed + i * nsuf + k] = NULL;
				return -ENOMEM;
			}
	}
	/* A host named like a formula is guarded in the header too. */
	return csvw_open(&f->w, path, (const char *const *)f->head, f->ncols, CSVW_ATOMIC);
}

/* Writes the row whose fixed cells are set and per[i] holds run i's. */
static int sbs_row(struct sbs_file *f, int nfixed, int nsuf, int nr)
{
	for (int i = 0; i < nr; i++)
		for (int k = 0; k < nsuf; k++)
			f->cells[nfixed + i * nsuf + k] = f->per[i].cell[k];
	return csvw_cells(f->w, f->cells, f->ncols);
}

static int sbs_close(struct sbs_file *f, int rc)
{
	int c = csvw_close(f->w);

	sbs_close_mem(f);
	return rc ? rc : c;
}

/* b over a, from two cells; NaN when either is no number or a is 0. */
static double cell_ratio(const struct table *t, int rb, int ra, int col)
{
	double a = ra < 0 ? NAN : table_num(t, ra, col), b = rb < 0 ? NAN : table_num(t, rb, col);

	return a == 0 ? NAN : b / a;
}

/* hosts.csv from the merged summary.csv t. */
static int write_hosts(const char *path, const struct table *t, const struct merge_run *runs,
		       int nr, int *rows)
{
	struct sbs s;
	struct sbs_file f;
	int cmed = table_col(t, "median"), clo = table_col(t, "ci95_lo"),
	    chi = table_col(t, "ci95_hi"), rc;

	if ((rc = side_by_side(t, hosts_cols, HO_UNIT, runs, nr, &s)) < 0)
		return rc;
	rc = sbs_open(&f, path, hosts_cols, HO_N, hosts_per_host, HH_N, runs, nr);
	for (int g = 0; g < s.n && !rc; g++) {
		int ref = s.cell[g * nr];

		for (int c = 0; c < HO_N; c++)
			f.cells[c] = table_get(t, s.first[g], table_col(t, hosts_cols[c]));
		for (int i = 0; i < nr; i++) {
			int r = s.cell[g * nr + i];
			double lo, hi, lo0 = table_num(t, ref, clo), hi0 = table_num(t, ref, chi);

			row_init(&f.per[i], HH_N);
			if (r < 0)
				continue;
			row_str(&f.per[i], HH_MEDIAN, table_get(t, r, cmed));
			row_num(&f.per[i], HH_RATIO, cell_ratio(t, r, ref, cmed));
			lo = table_num(t, r, clo);
			hi = table_num(t, r, chi);
			if (ref >= 0 && !isnan(lo) && !isnan(hi) && !isnan(lo0) && !isnan(hi0))
				row_str(&f.per[i], HH_CI_OVERLAP, lo <= hi0 && lo0 <= hi ? "1" : "0");
		}
		rc = sbs_row(&f, HO_N, HH_N, nr);
	}
	*rows = s.n;
	sbs_free(&s);
	return sbs_close(&f, rc);
}

/* A claim's figure in claims.csv row r: its thread_over_process, or
 * where it has none (counts such as lost updates or faults a page) the
 * value on the claim's own side. NAN when the claim has neither. */
static double claim_figure(const struct table *t, int r)
{
	double v = table_num(t, r, table_col(t, "thread_over_process"));

	if (isnan(v))
		v = table_num(t, r, table_col(t, table_get(t, r, table_col(t, "side"))));
	return v;
}

/* claims_by_host.csv from the merged claims.csv t. */
static int write_claims_by_host(const char *path, const struct table *t,
				const struct merge_run *runs, int nr)
{
	static const char *const keys[] = { "claim" };
	struct sbs s;
	struct sbs_file f;
	int cv = table_col(t, "verdict"), ct = table_col(t, "thread_over_process"),
	    cw = table_col(t, "workload"), cm = table_col(t, "metric"), rc;

	if ((rc = side_by_side(t, keys, 1, runs, nr, &s)) < 0)
		return rc;
	rc = sbs_open(&f, path, claims_by_host_cols, CB_N, claims_per_host, CH_N, runs, nr);
	for (int g = 0; g < s.n && !rc; g++) {
		int ref = s.cell[g * nr], same = 1;

		for (int c = 0; c < CB_SAME_VERDICT; c++)
			f.cells[c] = table_get(t, s.first[g], table_col(t, claims_by_host_cols[c]));
		for (int i = 0; i < nr; i++) {
			int r = s.cell[g * nr + i];

			row_init(&f.per[i], CH_N);
			same &= r >= 0 && ref >= 0 && !strcmp(table_get(t, r, cv), table_get(t, ref, cv));
			if (r < 0)
				continue;
			row_str(&f.per[i], CH_VERDICT, table_get(t, r, cv));
			row_str(&f.per[i], CH_THREAD_OVER_PROCESS, table_get(t, r, ct));
			row_num(&f.per[i], CH_FIGURE, claim_figure(t, r));
			/* a ratio of ratios of one metric only; the figures are
			 * the claims' own headline numbers, comparable as such */
			if (ref >= 0 && !strcmp(table_get(t, r, cw), table_get(t, ref, cw)) &&
			    !strcmp(table_get(t, r, cm), table_get(t, ref, cm)))
				row_num(&f.per[i], CH_RATIO, cell_ratio(t, r, ref, ct));
			if (ref >= 0) {
				double f0 = claim_figure(t, ref);

				row_num(&f.per[i], CH_FIGURE_RATIO, f0 == 0 ? NAN : claim_figure(t, r) / f0);
			}
		}
		f.cells[CB_SAME_VERDICT] = same ? "1" : "0";
		rc = sbs_row(&f, CB_N, CH_N, nr);
	}
	sbs_free(&s);
	return sbs_close(&f, rc);
}

/* The verdicts and figures by host as a table on fp; after the first
 * host, each figure's ratio to the first host's. */
static void print_claims(FILE *fp, const char *path, const struct merge_run *runs, int nr)
{
	struct table t;

	if (table_read(path, &t) < 0)
		return;
	fprintf(fp, "%-15s", "claim");
	for (int i = 0; i < nr; i++) {
		char name[600];

		fprintf(fp, " %-*s", i ? 34 : 27, merge_run_name(runs, nr, i, name, sizeof(name)));
	}
	fputc('\n', fp);
	for (int r = 0; r < t.nrows; r++) {
		fprintf(fp, "%-15s", table_get(&t, r, CB_CLAIM));
		for (int i = 0; i < nr; i++) {
			int base = CB_N + i * CH_N;
			double fig = table_num(&t, r, base + CH_FIGURE),
			       ratio = table_num(&t, r, base + CH_FIGURE_RATIO);
			char a[32] = "-", b[32] = "-";

			if (!isnan(fig))
				util_strfmt(a, sizeof(a), fabs(fig) >= 1e4 ? "%.0f" : "%.4g", fig);
			if (!isnan(ratio))
				util_strfmt(b, sizeof(b), "x%.3f", ratio);
			fprintf(fp, " %-14s %-12s", table_get(&t, r, base + CH_VERDICT), a);
			if (i)
				fprintf(fp, " %-6s", b);
		}
		fputc('\n', fp);
	}
	table_free(&t);
}

/* Reads merged file dir/file; -EINVAL with err set when it cannot. */
static int read_merged(const char *dir, const char *file, struct table *t, char *err,
		       size_t errlen)
{
	char path[PATH_MAX];
	int rc;

	util_strfmt(path, sizeof(path), "%s/%s", dir, file);
	if ((rc = table_read(path, t)) == 0 && table_col(t, "host") != MG_HOST) {
		table_free(t);
		rc = -EBADMSG;
	}
	if (rc < 0)
		util_strfmt(err, errlen, "compare: cannot read %s: %s (ptbench analyze %s makes it)", path,
			    rc == -EBADMSG ? "not a merged file" : strerror(-rc), dir);
	return rc == -ENOMEM ? rc : rc < 0 ? -EINVAL : 0;
}

int compare_hosts(const char *const *dirs, int n, const char *out, FILE *fp, FILE *warn,
		  char *err, size_t errlen)
{
	char tmp[PATH_MAX] = "", merged[PATH_MAX], hosts[PATH_MAX], cbh[PATH_MAX];
	struct merge_run *runs = NULL;
	struct table sum = { 0 }, cl = { 0 };
	const char *src = dirs[0];
	size_t made, at;
	int nr, rows = 0, rc;

	if ((rc = refuse_merged(dirs, n, err, errlen)) < 0)
		return rc;
	if (n == 1 && dataset_is_merged(dirs[0]) != 1) {
		util_strfmt(err, errlen, "compare: '%s' is not a merged folder: name two or more result folders, or one merged folder",
			    dirs[0]);
		return -EINVAL;
	}
	if ((rc = util_mkdir_p(out, 0755, &made, &at)) < 0) {
		util_strfmt(err, errlen, "compare: cannot make the folder '%s' (-o): %s", out, strerror(-rc));
		return rc == -ENOTDIR || rc == -EEXIST ? -EINVAL : rc;
	}
	if (n > 1) {
		util_strfmt(tmp, sizeof(tmp), "%s/.compare-XXXXXX", out);
		if (!mkdtemp(tmp)) {
			rc = -errno;
			util_strfmt(err, errlen, "compare: cannot make a folder in '%s': %s", out, strerror(-rc));
			goto out;
		}
		util_strfmt(merged, sizeof(merged), "%s/merged", tmp);
		if ((rc = merge_dirs(dirs, n, merged, warn, err, errlen)) < 0)
			goto out;
		src = merged;
	}
	if ((nr = merge_runs(src, &runs, err, errlen)) < 0) {
		rc = nr;
		goto out;
	}
	if ((rc = read_merged(src, "summary.csv", &sum, err, errlen)) < 0 ||
	    (rc = read_merged(src, "claims.csv", &cl, err, errlen)) < 0)
		goto out;
	util_strfmt(hosts, sizeof(hosts), "%s/hosts.csv", out);
	util_strfmt(cbh, sizeof(cbh), "%s/claims_by_host.csv", out);
	if ((rc = write_hosts(hosts, &sum, runs, nr, &rows)) < 0)
		util_strfmt(err, errlen, "compare: writing %s: %s", hosts, strerror(-rc));
	else if ((rc = write_claims_by_host(cbh, &cl, runs, nr)) < 0)
		util_strfmt(err, errlen, "compare: writing %s: %s", cbh, strerror(-rc));
	if (!rc && fp) {
		print_claims(fp, cbh, runs, nr);
		fprintf(fp, "hosts: %s (%d rows, %d runs)\nclaims: %s\n", hosts, rows, nr, cbh);
	}
out:
	table_free(&sum);
	table_free(&cl);
	free(runs);
	if (*tmp)
		merge_remove(tmp);
	return rc;
}
