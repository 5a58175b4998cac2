/* xlsx.h - a result folder as one workbook with native charts
 * (libxlsxwriter; the only module that includes it). */
#ifndef PTB_XLSX_H
#define PTB_XLSX_H

#include <stddef.h>

#include <limits.h>

/* What a workbook holds. */
struct xlsx_info {
	char path[PATH_MAX];    /* where it was written */
	long long bytes;        /* its size */
	int sheets;             /* worksheets, Charts and ChartData included */
	int charts;             /* native charts on the Charts sheet */
	int split;              /* tables split over several sheets (row limit) */
};

/* The rows a sheet holds in Excel, LibreOffice and Google Sheets (the
 * header row included). */
#define XLSX_MAX_ROWS 1048576L

/* Writes result folder dir as a workbook at path (NULL: dir/results.xlsx):
 * the sheets Claims, Versus, Summary, Trials, Workers, Metrics, Bursts,
 * Meta (numbers as numbers, text always as text), then Charts and the
 * ChartData it is drawn from. A table longer than max_rows - 1 rows (0:
 * XLSX_MAX_ROWS) goes on as "Trials (2)", ... The file is written under
 * path.tmp and renamed: path is a whole workbook or left as it was.
 * Returns 0; -EINVAL when dir is not a readable result folder or its
 * analysis is missing (err names `ptbench analyze`); -errno when writing
 * failed. err says what. */
int xlsx_export(const char *dir, const char *path, long max_rows, struct xlsx_info *info,
		char *err, size_t errlen);

#endif
