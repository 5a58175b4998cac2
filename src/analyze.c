/* analyze.c - series -> summary.csv, versus.csv and modes.csv.
 *
 * versus.csv sets the process and thread series of a cell side by side:
 * thread_over_process = the median of the thread/process ratios of the
 * pairs (the two trials of a repetition), with a bootstrap CI over the
 * pairs, and a winner only when that CI lies wholly outside 1 +- noise;
 * the unpaired ratio of the medians beside it. modes.csv is the same
 * comparison in long form, one row for each mode other than process
 * (thread included): a new mode adds rows, never columns.
 */
#include "analyze.h"
#include "csvio.h"
#include "schema.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

int analyze_summary(const char *dir, const struct dataset *d)
{
	char path[PATH_MAX];
	struct csvw *w;
	struct row row;
	int rc;

	util_strfmt(path, sizeof(path), "%s/summary.csv", dir);
	if ((rc = csvw_open(&w, path, summary_cols, SU_N, CSVW_ATOMIC)) < 0)
		return rc;
	for (size_t i = 0; i < d->n && !rc; i++) {
		const struct series *s = &d->s[i];

		row_init(&row, SU_N);
		row_str(&row, SU_WORKLOAD, s->workload);
		row_str(&row, SU_MODE, mode_values[s->mode]);
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

/* versus.csv's winner and modes.csv's verdict: the mode/process
 * ratio's outcome in the metric's better direction, in words naming the
 * mode ("thread", "process", "same", "inconclusive", "thread_higher"). */
static const char *winner(const struct versus *v, double noise, char *buf, size_t len)
{
	const char *mode = mode_values[v->t->mode];

	switch (dataset_versus_outcome(v, noise, dataset_metric_better(v->p->workload, v->p->metric))) {
	case OUT_SAME:
		return "same";
	case OUT_INCONCLUSIVE:
		return "inconclusive";
	case OUT_BETTER:
		return mode;
	case OUT_WORSE:
		return "process";
	case OUT_HIGHER:
		return util_strfmt(buf, len, "%s_higher", mode);
	case OUT_LOWER:
		return util_strfmt(buf, len, "%s_lower", mode);
	default:                /* OUT_NONE: too few pairs */
		return "";
	}
}

/* Why the run stopped repeating a cell: its cells.csv row's `stopped`
 * (a cell run twice, by two rows of a suite: its first run's); "" when
 * the folder has no such row. */
static const char *stopped(const struct table *cells, const struct series *s)
{
	int cw = table_col(cells, "workload"), cp = table_col(cells, "params"),
	    cn = table_col(cells, "workers"), cpin = table_col(cells, "pin"),
	    cs = table_col(cells, "stopped");

	for (int r = 0; cs >= 0 && r < cells->nrows; r++)
		if (table_num(cells, r, cn) == s->workers &&
		    !strcmp(table_get(cells, r, cw), s->workload) &&
		    !strcmp(table_get(cells, r, cp), s->params) &&
		    !strcmp(table_get(cells, r, cpin), s->pin))
			return table_get(cells, r, cs);
	return "";
}

int analyze_versus(const char *dir, const struct dataset *d, double noise)
{
	char path[PATH_MAX];
	struct table cells = { 0 };
	struct csvw *w;
	struct row row;
	int rc;

	/* Older folders have no cells.csv: stopped stays empty. A last row
	 * cut short (the harness killed while writing it) is left out. */
	if (table_read_rows(util_strfmt(path, sizeof(path), "%s/cells.csv", dir), &cells) < 0)
		memset(&cells, 0, sizeof(cells));
	util_strfmt(path, sizeof(path), "%s/versus.csv", dir);
	if ((rc = csvw_open(&w, path, versus_cols, VS_N, CSVW_ATOMIC)) < 0) {
		table_free(&cells);
		return rc;
	}
	for (size_t i = 0; i < d->n && !rc; i++) {
		const struct series *p = &d->s[i];
		struct versus v;
		char word[32];

		if (p->mode != MODE_PROCESS)
			continue;
		row_init(&row, VS_N);
		row_str(&row, VS_WORKLOAD, p->workload);
		row_u64(&row, VS_WORKERS, (uint64_t)p->workers);
		row_str(&row, VS_PIN, p->pin);
		row_str(&row, VS_METRIC, p->metric);
		row_str(&row, VS_UNIT, p->unit);
		row_num(&row, VS_PROCESS, p->s.median);
		row_u64(&row, VS_N_PROCESS, p->s.n);
		if ((rc = dataset_versus_get(d, p, &v)) == -ENOMEM)
			break;
		if (rc == 0) {
			row_num(&row, VS_THREAD, v.t->s.median);
			row_num(&row, VS_THREAD_OVER_PROCESS, v.ratio);
			row_num(&row, VS_CI95_LO, v.lo);
			row_num(&row, VS_CI95_HI, v.hi);
			row_str(&row, VS_WINNER, winner(&v, noise, word, sizeof(word)));
			row_u64(&row, VS_N_THREAD, v.t->s.n);
			row_num(&row, VS_UNPAIRED_RATIO, v.u_ratio);
			row_num(&row, VS_UNPAIRED_CI95_LO, v.u_lo);
			row_num(&row, VS_UNPAIRED_CI95_HI, v.u_hi);
			row_u64(&row, VS_PAIRS, v.pairs);
			row_num(&row, VS_HALF_WIDTH, v.half_width);
			/* Empty where no trial says whether it was quiet. */
			if (d->nz.measured)
				row_u64(&row, VS_DROPPED_NOISY, v.dropped);
		}
		row_str(&row, VS_STOPPED, stopped(&cells, p));
		row_str(&row, VS_PARAMS, p->params);
		rc = csvw_row(w, &row);
	}
	table_free(&cells);
	return rc ? (csvw_close(w), rc) : csvw_close(w);
}


int analyze_modes(const char *dir, const struct dataset *d, double noise)
{
	char path[PATH_MAX];
	struct csvw *w;
	int rc;

	util_strfmt(path, sizeof(path), "%s/modes.csv", dir);
	if ((rc = csvw_open(&w, path, modes_cols, MO_N, CSVW_ATOMIC)) < 0)
		return rc;
	for (size_t i = 0; i < d->n && !rc; i++) {
		const struct series *p = &d->s[i];

		if (p->mode != MODE_PROCESS)
			continue;
		for (int m = 0; m < MODE_N && !rc; m++) {
			struct versus v;
			struct row row;
			char word[32];

			if (m == MODE_PROCESS || (rc = dataset_mode_get(d, p, m, &v)) == -ENOENT) {
				rc = 0;
				continue;       /* the mode did not run this cell */
			}
			if (rc < 0)
				break;
			row_init(&row, MO_N);
			row_str(&row, MO_WORKLOAD, p->workload);
			row_u64(&row, MO_WORKERS, (uint64_t)p->workers);
			row_str(&row, MO_PIN, p->pin);
			row_str(&row, MO_METRIC, p->metric);
			row_str(&row, MO_UNIT, p->unit);
			row_str(&row, MO_MODE, mode_values[m]);
			row_num(&row, MO_PROCESS, p->s.median);
			row_num(&row, MO_MEDIAN, v.t->s.median);
			row_num(&row, MO_MODE_OVER_PROCESS, v.ratio);
			row_num(&row, MO_CI95_LO, v.lo);
			row_num(&row, MO_CI95_HI, v.hi);
			row_str(&row, MO_VERDICT, winner(&v, noise, word, sizeof(word)));
			row_u64(&row, MO_PAIRS, v.pairs);
			row_u64(&row, MO_N_PROCESS, p->s.n);
			row_u64(&row, MO_N_MODE, v.t->s.n);
			row_num(&row, MO_HALF_WIDTH, v.half_width);
			row_str(&row, MO_PARAMS, p->params);
			rc = csvw_row(w, &row);
		}
	}
	return rc ? (csvw_close(w), rc) : csvw_close(w);
}
