/* bench_export.c - `ptbench export` of a folder whose trials.csv has
 * 1,000,000 rows with every column filled: the time, the workbook's size
 * and the peak memory (the test exports a sparse one; this is the worst
 * case). Run: meson test --benchmark. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "csvio.h"
#include "schema.h"
#include "util.h"
#include "xlsx.h"

#define ROWS 1000000

/* Every file of a result folder: trials.csv with ROWS full rows, the
 * others their header alone. */
static int make_folder(const char *dir)
{
	int rc = 0;

	for (const struct schema *s = result_files; s->file && !rc; s++) {
		char path[PATH_MAX];
		struct csvw *w;

		util_strfmt(path, sizeof(path), "%s/%s", dir, s->file);
		if ((rc = csvw_open(&w, path, s->cols, s->ncols, 0)) < 0)
			return rc;
		for (int i = 1; s->cols == trials_cols && i <= ROWS && !rc; i++) {
			struct row r;

			row_init(&r, TR_N);
			for (int c = 0; c < TR_N; c++)
				row_num(&r, c, i * 0.001 + c);
			row_u64(&r, TR_TRIAL, (uint64_t)i);
			row_str(&r, TR_WORKLOAD, "cpu");
			row_str(&r, TR_MODE, i % 2 ? "process" : "thread");
			row_str(&r, TR_PIN, "core");
			row_str(&r, TR_STATUS, "ok");
			row_str(&r, TR_PARAMS, "total=100000000");
			row_str(&r, TR_MESSAGE, "");
			row_str(&r, TR_BURST_SOURCE, "perf");
			rc = csvw_row(w, &r);
		}
		rc = rc ? (csvw_close(w), rc) : csvw_close(w);
	}
	return rc;
}

int main(void)
{
	char dir[64], err[512], cmd[128];
	struct xlsx_info info;
	struct rusage ru;
	double t0, s;
	int rc;

	util_strfmt(dir, sizeof(dir), "/tmp/ptb-bench-XXXXXX");
	if (!mkdtemp(dir) || make_folder(dir) < 0)
		return 1;
	t0 = util_now_s();
	rc = xlsx_export(dir, NULL, 0, &info, err, sizeof(err));
	s = util_now_s() - t0;
	getrusage(RUSAGE_SELF, &ru);
	if (rc < 0)
		fprintf(stderr, "export: %s\n", err);
	else
		printf("export of %d full trial rows: %.1f s, %.0f MB, peak RSS %.0f MB, %d sheets\n", ROWS, s,
		       (double)info.bytes / 1e6, ru.ru_maxrss / 1024.0, info.sheets);
	util_strfmt(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return rc < 0;
}
