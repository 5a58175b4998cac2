/* compare.c - B against A, cell by cell, metric by metric. */
#include "compare.h"
#include "dataset.h"
#include "csvio.h"
#include "schema.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static const char *const mode_word[MODE_N] = { "process", "thread", "shared", "exec" };

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

int compare_dirs(const char *a, const char *b, double noise, char *err, size_t errlen)
{
	struct dataset da, db;
	struct csvw *w;
	size_t common = 0;
	int rc;

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
		row_str(&row, CP_MODE, mode_word[sa->mode]);
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
