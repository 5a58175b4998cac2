/* report.c - the one step above the analysis: the data model, then
 * summary/versus/modes, then the verdicts, each written whole or not at all. */
#include "report.h"
#include "analyze.h"
#include "claims.h"
#include "csvio.h"
#include "dataset.h"
#include "opts.h"
#include "schema.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int write_claims(const char *dir, const struct claim_out *out)
{
	char path[PATH_MAX];
	struct csvw *w;
	int rc;

	util_strfmt(path, sizeof(path), "%s/claims.csv", dir);
	if ((rc = csvw_open(&w, path, claims_cols, CL_N, CSVW_ATOMIC)) < 0)
		return rc;
	for (int i = 0; i < CLAIM_N && !rc; i++) {
		const struct claim_out *o = &out[i];
		struct row row;

		row_init(&row, CL_N);
		row_str(&row, CL_CLAIM, claims_name(i));
		row_str(&row, CL_SIDE, claims_side(i));
		row_str(&row, CL_STATEMENT, claims_statement(i));
		row_str(&row, CL_WORKLOAD, o->workload);
		row_str(&row, CL_METRIC, o->metric);
		row_num(&row, CL_PROCESS, o->process);
		row_num(&row, CL_THREAD, o->thread);
		row_num(&row, CL_THREAD_OVER_PROCESS, o->ratio);
		row_num(&row, CL_CI95_LO, o->lo);
		row_num(&row, CL_CI95_HI, o->hi);
		row_str(&row, CL_VERDICT, claims_verdict_name(o->verdict));
		row_str(&row, CL_EVIDENCE, o->evidence);
		row_u64(&row, CL_COMPARISONS, (uint64_t)o->comparisons);
		row_str(&row, CL_EFFECT, o->effect);
		row_str(&row, CL_HEADLINE, o->headline);
		rc = csvw_row(w, &row);
	}
	return rc ? (csvw_close(w), rc) : csvw_close(w);
}

int report_dir(const char *dir, double noise, char *err, size_t errlen)
{
	struct claim_out *out;
	struct dataset d;
	int rc = dataset_load(dir, &d, err, errlen);

	if (rc < 0)
		return rc;
	if (noise < 0)
		noise = d.noise;
	if (isnan(noise)) {     /* a folder whose meta.csv has none: the default */
		struct options o;

		opts_defaults(&o);
		noise = o.noise;
	}
	if (!(out = calloc(CLAIM_N, sizeof(*out)))) {
		dataset_free(&d);
		util_strfmt(err, errlen, "out of memory analysing %s", dir);
		return -ENOMEM;
	}
	claims_decide(&d, noise, out);
	if ((rc = analyze_summary(dir, &d)) < 0)
		util_strfmt(err, errlen, "writing %s/summary.csv: %s", dir, strerror(-rc));
	else if ((rc = analyze_versus(dir, &d, noise)) < 0)
		util_strfmt(err, errlen, "writing %s/versus.csv: %s", dir, strerror(-rc));
	else if ((rc = analyze_modes(dir, &d, noise)) < 0)
		util_strfmt(err, errlen, "writing %s/modes.csv: %s", dir, strerror(-rc));
	else if ((rc = write_claims(dir, out)) < 0)
		util_strfmt(err, errlen, "writing %s/claims.csv: %s", dir, strerror(-rc));
	free(out);
	dataset_free(&d);
	return rc;
}

int report_print(const char *dir, FILE *fp)
{
	char path[PATH_MAX], line[256];
	struct noise nz;
	struct table t;
	int rc, cc, cv, ce;

	util_strfmt(path, sizeof(path), "%s/claims.csv", dir);
	if ((rc = table_read(path, &t)) < 0)
		return rc;
	cc = table_col(&t, "claim");
	cv = table_col(&t, "verdict");
	ce = table_col(&t, "evidence");
	fprintf(fp, "%-15s %-13s %s\n", "claim", "verdict", "evidence");
	for (int r = 0; r < t.nrows; r++)
		fprintf(fp, "%-15s %-13s %s\n", table_get(&t, r, cc), table_get(&t, r, cv),
			table_get(&t, r, ce));
	table_free(&t);
	/* The machine's noise: how far to trust the table above. */
	if ((rc = dataset_noise_read(dir, &nz)) < 0)
		return rc;
	fprintf(fp, "%s\n", dataset_noise_line(&nz, line, sizeof(line)));
	return 0;
}
