/* csvio.c - CSV through libcsv: quoted writing, strict parsing, and the
 * guard that keeps a spreadsheet from reading a text cell as a formula. */
#include "csvio.h"
#include "util.h"

#include <csv.h>
#include <stdio_ext.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

void row_init(struct row *r, int ncols)
{
	r->n = ncols;
	r->used = 0;
	for (int i = 0; i < CSV_MAX_COLS; i++)
		r->cell[i] = NULL;
}

void row_str(struct row *r, int col, const char *s)
{
	size_t len;

	if (!s || col < 0 || col >= r->n)
		return;
	len = strlen(s) + 1;
	if (r->used + len > sizeof(r->buf)) {
		/* Never silently truncate: a cell too long is a bug in the caller. */
		r->cell[col] = "(cell too long)";
		return;
	}
	memcpy(r->buf + r->used, s, len);
	r->cell[col] = r->buf + r->used;
	r->used += len;
}

void row_u64(struct row *r, int col, uint64_t v)
{
	char s[32];

	row_str(r, col, util_strfmt(s, sizeof(s), "%" PRIu64, v));
}

void row_i64(struct row *r, int col, int64_t v)
{
	char s[32];

	row_str(r, col, util_strfmt(s, sizeof(s), "%" PRId64, v));
}

void row_num(struct row *r, int col, double v)
{
	char s[40];

	if (isnan(v))
		return;
	if (v == 0)
		v = 0;          /* no "-0" */
	row_str(r, col, util_strfmt(s, sizeof(s), "%.7g", v));
}

struct csvw {
	FILE *fp;
	off_t good;             /* file size after the last complete row */
	int ncols;
	unsigned flags;
	char path[PATH_MAX];
	char tmp[PATH_MAX];
};

/* A text cell a spreadsheet would take for a formula gets a leading
 * apostrophe: one whose first character after blanks and line breaks is
 * = + - @ or their full-width forms (which spreadsheets fold to ASCII),
 * and one that starts with a tab or CR. Real numbers ("-1.5") are left
 * as they are. */
static int needs_guard(const char *s)
{
	static const char *const fullwidth[] = {
		"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0",   /* ＝＋－＠ */
	};
	const char *p;

	if (!s || !*s || util_is_number(s))
		return 0;
	if (s[0] == '\t' || s[0] == '\r')
		return 1;
	p = s + strspn(s, " \t\r\n");
	if (*p && strchr("=+-@", *p))
		return 1;
	for (size_t i = 0; i < ARRAY_SIZE(fullwidth); i++)
		if (strncmp(p, fullwidth[i], 3) == 0)
			return 1;
	return 0;
}

const char *csv_unguard(const char *s)
{
	return s && s[0] == '\'' && needs_guard(s + 1) ? s + 1 : s;
}

/* Discards stdio's buffered, unwritten output (glibc's __fpurge). */
static void fpurge_compat(FILE *fp)
{
	__fpurge(fp);
}

/* RFC 4180: a field with a comma, quote or line break must be quoted;
 * edge spaces are quoted too, so no reader trims them. */
static int needs_quotes(const char *s)
{
	size_t n = strlen(s);

	return strpbrk(s, ",\"\r\n") || s[0] == ' ' || s[n - 1] == ' ';
}

static int write_cells(struct csvw *w, const char *const *cells, int n)
{
	FILE *fp = w->fp;

	for (int i = 0; i < w->ncols; i++) {
		const char *s = i < n ? cells[i] : NULL;

		if (i && putc(',', fp) == EOF)
			return -EIO;
		if (!s || !*s)
			continue;
		if (needs_guard(s)) {
			char *g;

			if (asprintf(&g, "'%s", s) < 0)
				return -ENOMEM;
			int rc = csv_fwrite(fp, g, strlen(g));

			free(g);
			if (rc)
				return -EIO;
		} else if (!needs_quotes(s)) {
			/* Plain text and numbers go unquoted, as people write CSV. */
			if (fputs(s, fp) == EOF)
				return -EIO;
		} else if (csv_fwrite(fp, s, strlen(s))) {
			return -EIO;
		}
	}
	if (fputs("\r\n", fp) == EOF)
		return -EIO;
	if (fflush(fp) == EOF)
		return errno ? -errno : -EIO;
	return 0;
}

int csvw_open(struct csvw **out, const char *path, const char *const *cols,
	      int ncols, unsigned flags)
{
	struct csvw *w = calloc(1, sizeof(*w));
	int fd, rc;

	*out = NULL;
	if (!w)
		return -ENOMEM;
	w->ncols = ncols;
	w->flags = flags;
	if (flags & CSVW_STDOUT) {
		w->fp = stdout;
	} else {
		if (strlen(path) + sizeof(".tmp") > sizeof(w->path)) {
			free(w);
			return -ENAMETOOLONG;   /* never a truncated name */
		}
		util_strfmt(w->path, sizeof(w->path), "%s", path);
		if (flags & CSVW_ATOMIC) {
			util_strfmt(w->tmp, sizeof(w->tmp), "%s.tmp", path);
			fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		} else {
			fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		}
		if (fd < 0 || !(w->fp = fdopen(fd, "w"))) {
			rc = -errno;
			if (fd >= 0)
				close(fd);
			free(w);
			return rc;
		}
	}
	rc = write_cells(w, cols, ncols);
	if (rc) {
		/* No header-less file left behind (a full disk). */
		if (!(flags & (CSVW_STDOUT | CSVW_ATOMIC)))
			unlink(w->path);
		csvw_close(w);
		return rc;
	}
	if (!(flags & CSVW_STDOUT))
		w->good = ftello(w->fp);
	*out = w;
	return 0;
}

/* Writes a row; when it cannot be written whole (disk full, I/O error),
 * cuts the file back to its last complete row, so that what is there
 * still parses. */
static int write_row(struct csvw *w, const char *const *cells, int n)
{
	int rc = write_cells(w, cells, n);

	if (w->flags & CSVW_STDOUT)
		return rc;
	if (rc == 0) {
		off_t at = ftello(w->fp);

		if (at >= 0)
			w->good = at;
		return 0;
	}
	/* Drop what stdio still holds, then cut the partial row off. */
	clearerr(w->fp);
	fpurge_compat(w->fp);
	if (ftruncate(fileno(w->fp), w->good) == 0)
		fseeko(w->fp, w->good, SEEK_SET);
	return rc;
}

int csvw_row(struct csvw *w, const struct row *r)
{
	return write_row(w, r->cell, r->n);
}

int csvw_cells(struct csvw *w, const char *const *cells, int n)
{
	return write_row(w, cells, n);
}

int csvw_close(struct csvw *w)
{
	int rc = 0;

	if (!w)
		return 0;
	if (w->flags & CSVW_STDOUT) {
		if (fflush(w->fp) == EOF)
			rc = -EIO;
	} else {
		if (ferror(w->fp))
			rc = -EIO;
		if (fclose(w->fp) == EOF && !rc)
			rc = errno ? -errno : -EIO;
		if (w->flags & CSVW_ATOMIC) {
			if (!rc && rename(w->tmp, w->path) < 0)
				rc = -errno;
			if (rc)
				unlink(w->tmp);
		}
	}
	free(w);
	return rc;
}

/* Parsing: libcsv calls back per field and per row. */
struct parse_state {
	struct table *t;
	char **cur;             /* the row being filled */
	int ncur, cap;
	int line;
	int err;
};

static void on_field(void *s, size_t len, void *data)
{
	struct parse_state *ps = data;
	char *f;

	if (ps->err)
		return;
	if (ps->ncur == ps->cap) {
		int cap = ps->cap ? ps->cap * 2 : 16;
		char **c = realloc(ps->cur, (size_t)cap * sizeof(*c));

		if (!c) {
			ps->err = -ENOMEM;
			return;
		}
		ps->cur = c;
		ps->cap = cap;
	}
	f = strndup(s ? s : "", len);
	if (!f) {
		ps->err = -ENOMEM;
		return;
	}
	ps->cur[ps->ncur++] = f;
}

static void drop_row(struct parse_state *ps)
{
	for (int i = 0; i < ps->ncur; i++)
		free(ps->cur[i]);
	ps->ncur = 0;
}

static void on_row(int term, void *data)
{
	struct parse_state *ps = data;
	struct table *t = ps->t;
	char **cells;

	(void)term;
	ps->line++;
	if (ps->err) {
		drop_row(ps);
		return;
	}
	if (!t->head) {
		t->ncols = ps->ncur;
		t->head = malloc((size_t)ps->ncur * sizeof(char *));
		if (!t->head) {
			ps->err = -ENOMEM;
			drop_row(ps);
			return;
		}
		memcpy(t->head, ps->cur, (size_t)ps->ncur * sizeof(char *));
		ps->ncur = 0;
		return;
	}
	if (ps->ncur != t->ncols) {
		ps->err = -EBADMSG;
		t->bad_line = ps->line;
		drop_row(ps);
		return;
	}
	if ((t->nrows & (t->nrows - 1)) == 0) {     /* grow at powers of two */
		char ***rows = realloc(t->rows, (size_t)(t->nrows ? t->nrows * 2 : 1) *
				       sizeof(*rows));
		if (!rows) {
			ps->err = -ENOMEM;
			drop_row(ps);
			return;
		}
		t->rows = rows;
	}
	cells = malloc((size_t)t->ncols * sizeof(char *));
	if (!cells) {
		ps->err = -ENOMEM;
		drop_row(ps);
		return;
	}
	memcpy(cells, ps->cur, (size_t)t->ncols * sizeof(char *));
	t->rows[t->nrows++] = cells;
	ps->ncur = 0;
}

int table_parse(const char *text, size_t len, struct table *t)
{
	struct csv_parser p;
	struct parse_state ps = { .t = t };
	const char *nul = memchr(text, '\0', len);

	memset(t, 0, sizeof(*t));
	/* A NUL would cut a cell short without a word: not a text file. */
	if (nul) {
		t->bad_line = 1;
		for (const char *c = text; c < nul; c++)
			t->bad_line += *c == '\n';
		return -EILSEQ;
	}
	/* The byte order mark spreadsheets put before "CSV UTF-8". */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return -ENOMEM;
	if (csv_parse(&p, text, len, on_field, on_row, &ps) != len) {
		if (!ps.err) {
			ps.err = -EBADMSG;
			t->bad_line = ps.line + 1;
		}
	} else if (csv_fini(&p, on_field, on_row, &ps) != 0 && !ps.err) {
		ps.err = -EBADMSG;
		t->bad_line = ps.line + 1;
	}
	csv_free(&p);
	drop_row(&ps);
	free(ps.cur);
	if (!ps.err && !t->head) {
		ps.err = -EBADMSG;      /* an empty file has no header */
		t->bad_line = 1;
	}
	if (ps.err) {
		int line = t->bad_line;

		table_free(t);
		t->bad_line = line;
	}
	return ps.err;
}

int table_read(const char *path, struct table *t)
{
	return table_read_max(path, SIZE_MAX, t);
}

/* Reads the whole of PATH (at most max bytes) and parses it; with
 * whole_rows, only up to its last line break. */
static int read_table(const char *path, size_t max, int whole_rows, struct table *t)
{
	FILE *fp = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	memset(t, 0, sizeof(*t));
	if (!fp)
		return -errno;
	errno = 0;
	for (;;) {
		if (cap - len < 65536) {
			char *b = realloc(buf, cap = cap ? cap * 2 : 131072);

			if (!b) {
				free(buf);
				fclose(fp);
				return -ENOMEM;
			}
			buf = b;
		}
		/* at most one byte past max */
		n = fread(buf + len, 1, max - len < cap - len ? max - len + 1 : cap - len, fp);
		len += n;
		if (n == 0 || len > max)
			break;
	}
	rc = ferror(fp) ? (errno ? -errno : -EIO) : 0;  /* e.g. EISDIR */
	if (!rc && len > max)
		rc = -EFBIG;            /* never read whole */
	fclose(fp);
	while (whole_rows && len && buf[len - 1] != '\n')
		len--;
	if (!rc)
		rc = table_parse(buf, len, t);
	free(buf);
	return rc;
}

int table_read_max(const char *path, size_t max, struct table *t)
{
	return read_table(path, max, 0, t);
}

int table_read_rows(const char *path, struct table *t)
{
	return read_table(path, SIZE_MAX, 1, t);
}

int table_col(const struct table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcmp(t->head[i], name) == 0)
			return i;
	return -1;
}

const char *table_get(const struct table *t, int row, int col)
{
	if (col < 0 || col >= t->ncols || row < 0 || row >= t->nrows)
		return "";
	return t->rows[row][col];
}

double table_num(const struct table *t, int row, int col)
{
	double d;

	if (util_parse_double(table_get(t, row, col), &d) < 0)
		return NAN;
	return d;
}

int table_find_id(const struct table *t, int col, double id)
{
	if (id >= 1 && id <= t->nrows && table_num(t, (int)id - 1, col) == id)
		return (int)id - 1;
	for (int r = 0; r < t->nrows; r++)
		if (table_num(t, r, col) == id)
			return r;
	return -1;
}

void table_free(struct table *t)
{
	for (int i = 0; i < t->nrows; i++) {
		for (int j = 0; j < t->ncols; j++)
			free(t->rows[i][j]);
		free(t->rows[i]);
	}
	free(t->rows);
	if (t->head)
		for (int j = 0; j < t->ncols; j++)
			free(t->head[j]);
	free(t->head);
	memset(t, 0, sizeof(*t));
}
