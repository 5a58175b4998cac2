/* csvio.h - reading and writing RFC 4180 CSV (the only libcsv user). */
#ifndef PTB_CSVIO_H
#define PTB_CSVIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CSV_MAX_COLS 96

/* A row being built: cells are text, NULL means an empty cell. */
struct row {
	int n;                          /* number of columns */
	const char *cell[CSV_MAX_COLS];
	char buf[8192];                 /* storage for formatted cells */
	size_t used;
};

void row_init(struct row *r, int ncols);
void row_str(struct row *r, int col, const char *s);   /* copied */
void row_u64(struct row *r, int col, uint64_t v);
void row_i64(struct row *r, int col, int64_t v);
/* A real number with 7 significant digits (finer than any clock or
 * noise here); NaN leaves the cell empty. */
void row_num(struct row *r, int col, double v);

struct csvw;

#define CSVW_ATOMIC 0x1         /* write PATH.tmp, rename on close */
#define CSVW_STDOUT 0x2         /* write to stdout; path unused */

/* Creates PATH (refusing one that exists unless CSVW_ATOMIC) and writes
 * the header row. Returns 0, or -errno with *out NULL (csvw_close takes
 * it) and no file left behind. */
int csvw_open(struct csvw **out, const char *path, const char *const *cols,
	      int ncols, unsigned flags);
/* Appends one row and flushes it to the OS, so that a crash or an
 * interruption keeps every row written so far. Returns 0 or -errno. */
int csvw_row(struct csvw *w, const struct row *r);
/* Same, from an array of cells. */
int csvw_cells(struct csvw *w, const char *const *cells, int n);
/* Closes (and for CSVW_ATOMIC renames into place). Returns 0 or -errno;
 * w is freed either way. NULL is fine. */
int csvw_close(struct csvw *w);

/* A text cell as it was before csvw_* guarded it against spreadsheets
 * (s without the apostrophe put before text that looks like a formula);
 * s itself when it was not guarded. */
const char *csv_unguard(const char *s);

/* A whole CSV file in memory: a header and rows of text cells. */
struct table {
	int ncols;
	char **head;
	int nrows;
	char ***rows;           /* rows[i][j]; every row has ncols cells */
	int bad_line;           /* on -EBADMSG: the line that failed */
};

/* Reads PATH. A row whose width differs from the header's is an error.
 * Returns 0, -errno, or -EBADMSG with t->bad_line set. */
int table_read(const char *path, struct table *t);
/* Same, refusing with -EFBIG a file over max bytes before it is read
 * whole. */
int table_read_max(const char *path, size_t max, struct table *t);
/* Same, leaving out a last row cut short (a writer killed in the middle
 * of a row: every row it writes ends with a line break). */
int table_read_rows(const char *path, struct table *t);
/* Same, from memory. A leading UTF-8 byte order mark is skipped; a NUL
 * byte is refused with -EILSEQ and t->bad_line set. */
int table_parse(const char *text, size_t len, struct table *t);
/* Index of a column by name, or -1. */
int table_col(const struct table *t, const char *name);
/* A cell's text ("" when col < 0). */
const char *table_get(const struct table *t, int row, int col);
/* A cell as a number; NaN when empty or not a number. */
double table_num(const struct table *t, int row, int col);
/* The first row whose column col holds the number id, or -1; row id - 1
 * is tried first (ids numbered from 1 in file order, as trials are). */
int table_find_id(const struct table *t, int col, double id);
void table_free(struct table *t);

#endif
