/* xlsx.c - a result folder as one workbook, through libxlsxwriter.
 *
 * Each CSV file becomes a sheet (a table longer than a sheet goes on in
 * "Trials (2)", ...). A column whose every cell is a number is written as
 * numbers, formatted by the unit its name (or its row's unit column)
 * says; everything else as strings, never as formulas: a result folder
 * is data. The CSV writer's apostrophe before formula-looking text is
 * taken off (a string cell needs no guard), so a label reads as written.
 *
 * The charts are native and read cell ranges: each series is a
 * contiguous range of ChartData, whose cells are formulas pointing at the
 * Summary and Bursts cells they come from (their values cached), so a
 * chart follows the data and can be restyled or re-ranged. libxlsxwriter
 * writes no custom error bars: a 95% CI is a series of vertical segments
 * (lo, hi, a blank for the gap) per mode. A chart title or series name is
 * always ptbench's own text first (a leading '=' would make it a formula).
 */
#include "xlsx.h"
#include "csvio.h"
#include "schema.h"
#include "util.h"

#include <xlsxwriter.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum tab_id { T_CLAIMS, T_BY_CLAIM, T_HOSTS, T_VERSUS, T_MODES, T_SUMMARY, T_TRIALS, T_WORKERS, T_METRICS,
	      T_BURSTS, T_META, T_N };

/* How a file's missing: refused, a sheet of its header, or no sheet. */
enum need { N_EMPTY, N_REQUIRED, N_IF_THERE };

/* The data sheets in workbook order. The side-by-side files of
 * `compare DIR...` have fixed columns, then a group a host: HOST, then
 * HOST followed by each suffix of per; per_kind says how each of a
 * group's columns is formatted: v a verdict, u by its row's unit, r a
 * ratio, - as it is. */
static const struct tabdef {
	const char *file, *sheet;
	enum need need;
	const char *const *fixed, *const *per;
	int nfixed, nper;
	const char *per_kind;
} tabdefs[T_N] = {
	[T_CLAIMS]  = { "claims.csv", "Claims", N_REQUIRED },
	[T_BY_CLAIM] = { "claims_by_host.csv", "Hosts by claim", N_IF_THERE, claims_by_host_cols,
			 claims_per_host, CB_N, CH_N, "vrrrr" },
	[T_HOSTS]   = { "hosts.csv", "Hosts", N_IF_THERE, hosts_cols, hosts_per_host, HO_N, HH_N, "ur-" },
	[T_VERSUS]  = { "versus.csv", "Versus", N_REQUIRED },
	[T_MODES]   = { "modes.csv", "Modes", N_EMPTY },  /* folders analysed before it have none */
	[T_SUMMARY] = { "summary.csv", "Summary", N_REQUIRED },
	[T_TRIALS]  = { "trials.csv", "Trials", N_REQUIRED },
	[T_WORKERS] = { "workers.csv", "Workers", N_EMPTY },
	[T_METRICS] = { "metrics.csv", "Metrics", N_EMPTY },
	[T_BURSTS]  = { "bursts.csv", "Bursts", N_EMPTY },
	[T_META]    = { "meta.csv", "Meta", N_EMPTY },
};

/* The Claims sheet leads with the verdict and its numbers. */
static const char *const claims_first[] = {
	"claim", "side", "verdict", "headline", "thread_over_process", "ci95_lo", "ci95_hi", "evidence",
	NULL,
};

/* Number formats by unit (the "us" of a column name is shown as µs). */
static const struct unitfmt {
	const char *unit, *shown, *numfmt;
} unitfmts[] = {
	{ "s", "s", "0.000000" }, { "ms", "ms", "0.000" }, { "us", "\u00b5s", "0.000" },
	{ "ns", "ns", "0.000" }, { "KiB", "KiB", "#,##0" }, { "1/s", "1/s", "#,##0" },
	{ "fraction", "fraction", "0.0%" },
};

#define NUNITS ARRAY_SIZE(unitfmts)
#define TEXT_MAX 32000          /* bytes of a cell (Excel: 32,767 characters) */
#define BIG_ROWS 200000         /* rows past which sheets go to disk as written */

static const char *const verdicts[] = { "supported", "refuted", "no_difference", "inconclusive",
					 "not_measured" };
static const lxw_color_t verdict_bg[] = { 0xC6EFCE, 0xFFC7CE, 0xFFEB9C, 0xFCE4D6, 0xEDEDED };
static const lxw_color_t verdict_fg[] = { 0x006100, 0x9C0006, 0x9C6500, 0x833C0B, 0x595959 };
/* The modes a chart draws: schema.h's mode_values, in their order, each
 * with a colour pair (a first series, a second: RSS beside PSS, preempted
 * beside blocked, a CI beside its median). */
#define NMODES 4
static const lxw_color_t mode_color[NMODES][2] = {
	{ 0x7B2CBF, 0xC77DFF }, { 0x1B7F5F, 0x52D1A0 }, { 0xE69F00, 0xF5C77E }, { 0x1F78B4, 0xA6CEE3 },
};

/* The index of a mode's name in mode_values, or -1. */
static int mode_ix(const char *name)
{
	for (int m = 0; m < NMODES && mode_values[m]; m++)
		if (!strcmp(name, mode_values[m]))
			return m;
	return -1;
}

/* The columns of a ChartData block's modes: process and thread always (a
 * two-mode folder's blocks look as before the other modes), another mode
 * when has[m]. col[m]: its place from 0, or -1. Returns how many. */
static int mode_cols(const int has[NMODES], int col[NMODES])
{
	int k = 0;

	for (int m = 0; m < NMODES; m++)
		col[m] = m < 2 || has[m] ? k++ : -1;
	return k;
}

/* How a column's cells are formatted. */
enum colkind { CK_FIXED, CK_ROW_UNIT, CK_VERDICT };

struct tab {
	struct table t;
	int *order;             /* sheet column -> table column */
	int *pos;               /* table column -> sheet column */
	unsigned char *num;     /* by table column: every cell a number */
	enum colkind *kind;     /* by table column */
	lxw_format **fmt;       /* by table column, CK_FIXED */
	lxw_worksheet **ws;     /* its sheets */
	int parts;              /* 0: the folder has no such file */
	int unit_col;           /* its "unit" column, or -1 */
	int host0;              /* its first host column (ncols: none) */
};

/* Row r of summary.csv in the index: its keys in sort order. */
enum skey { S_WL, S_PARAMS, S_PIN, S_METRIC, S_MODE, S_KEYS };

struct sent {
	const char *k[S_KEYS];
	double n;               /* workers */
	int row;
};

struct xw {
	lxw_workbook *wb;
	struct tab tab[T_N];
	long per;               /* data rows a sheet */
	lxw_format *head, *bold, *wrap, *ratio, *unit[NUNITS], *verdict[ARRAY_SIZE(verdicts)];
	lxw_worksheet *charts, *data;
	lxw_row_t row;          /* the next free row of ChartData */
	int nchart;
	lxw_error lerr;         /* the first libxlsxwriter error */
	char *txt;              /* cell_text's buffer */
	size_t txtcap;
	struct sent *ix;        /* summary.csv's rows of the run charted, sorted */
	int nix, *rpos;         /* and where each of its rows is in ix (-1: not) */
	const char *host, *run; /* a merged folder's run charted (its cells); NULL: any */
	char suffix[160];       /* its charts' titles end with it */
	char *err;
	size_t errlen;
};

static void ck(struct xw *x, lxw_error e)
{
	if (e && !x->lerr)
		x->lerr = e;
}

/* s as a cell's text: the CSV guard taken off, each byte that is not
 * UTF-8, each control character XML cannot hold and U+FFFE/U+FFFF as
 * U+FFFD, cut to TEXT_MAX bytes before a character. */
static const char *cell_text(struct xw *x, const char *s)
{
	const unsigned char *p;
	size_t n = 0, good;

	s = csv_unguard(s);
	for (p = (const unsigned char *)s; *p >= 0x20 && *p < 0x7f; p++)
		;
	if (!*p && (size_t)(p - (const unsigned char *)s) <= TEXT_MAX)
		return s;       /* plain ASCII, the usual case */
	if (util_grow(&x->txt, &x->txtcap, TEXT_MAX + 8, 1, TEXT_MAX + 8) < 0)
		return "(out of memory)";
	p = (const unsigned char *)s;
	while (*p) {
		const unsigned char *end;

		util_utf8_valid((const char *)p, &good);     /* p[0..good) is UTF-8 */
		for (end = p + good; p < end; p++) {
			size_t len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;

			if ((*p & 0xC0) != 0x80 && n + len > TEXT_MAX)
				goto cut;
			if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') ||
			    (p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)) {
				memcpy(x->txt + n, "\xEF\xBF\xBD", 3);
				n += 3;
				p += *p == 0xEF ? 2 : 0;
			} else {
				x->txt[n++] = (char)*p;
			}
		}
		if (*p) {       /* a byte that is not UTF-8 */
			if (n + 3 > TEXT_MAX)
				break;
			memcpy(x->txt + n, "\xEF\xBF\xBD", 3);
			n += 3;
			p++;
		}
	}
cut:
	x->txt[n] = '\0';
	return x->txt;
}

/* A number as a spreadsheet reads one (no hex, no inf or nan). */
static int numeric(const char *s)
{
	double d;

	return util_parse_double(s, &d) == 0 && s[strspn(s, "0123456789+-.eE")] == '\0';
}

static const struct unitfmt *unit_find(const char *unit, lxw_format *const *fmts, lxw_format **fmt)
{
	for (size_t i = 0; i < NUNITS; i++)
		if (!strcmp(unitfmts[i].unit, unit)) {
			if (fmt)
				*fmt = fmts[i];
			return &unitfmts[i];
		}
	if (fmt)
		*fmt = NULL;
	return NULL;
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* The first host column of a side-by-side file (ncols when its header is
 * not fixed columns, then whole groups HOST, HOST<suffix>...: a host's
 * name, never in the schema, comes from the header). */
static int host_start(const struct table *t, const struct tabdef *d)
{
	if (!d->per || t->ncols < d->nfixed || (t->ncols - d->nfixed) % d->nper)
		return t->ncols;
	for (int c = 0; c < d->nfixed; c++)
		if (strcmp(t->head[c], d->fixed[c]))
			return t->ncols;
	for (int c = d->nfixed; c < t->ncols; c += d->nper) {
		const char *host = csv_unguard(t->head[c]);
		size_t n = strlen(host);

		for (int k = 1; k < d->nper; k++) {
			const char *h = csv_unguard(t->head[c + k]);

			if (strncmp(h, host, n) || strcmp(h + n, d->per[k]))
				return t->ncols;
		}
	}
	return d->nfixed;
}

/* How host column c of a side-by-side file is formatted. */
static void host_kind(struct xw *x, int id, struct tab *tb, int c)
{
	switch (tabdefs[id].per_kind[(c - tb->host0) % tabdefs[id].nper]) {
	case 'v':
		tb->kind[c] = CK_VERDICT;
		break;
	case 'u':
		tb->kind[c] = tb->num[c] && tb->unit_col >= 0 ? CK_ROW_UNIT : CK_FIXED;
		break;
	case 'r':
		tb->fmt[c] = tb->num[c] ? x->ratio : NULL;
		break;
	}
}

/* How column c of table id is formatted. */
static void col_kind(struct xw *x, int id, struct tab *tb, int c)
{
	static const char *const summary_values[] = { "median", "p25", "p75", "min", "max",
						     "ci95_lo", "ci95_hi", NULL };
	static const char *const versus_values[] = { "process", "thread", NULL };
	static const char *const modes_values[] = { "process", "median", NULL };
	static const char *const wrapped[] = { "statement", "evidence", "headline", NULL };
	const char *name = tb->t.head[c];

	tb->kind[c] = CK_FIXED;
	tb->fmt[c] = NULL;
	if (c >= tb->host0)
		host_kind(x, id, tb, c);
	else if (id == T_CLAIMS && !strcmp(name, "verdict"))
		tb->kind[c] = CK_VERDICT;
	else if ((id == T_CLAIMS || id == T_BY_CLAIM) && in_list(name, wrapped))
		tb->fmt[c] = x->wrap;
	else if (!tb->num[c])
		return;
	else if (tb->unit_col >= 0 && in_list(name, id == T_SUMMARY ? summary_values
						   : id == T_MODES ? modes_values : versus_values))
		tb->kind[c] = CK_ROW_UNIT;
	else if (!strcmp(name, "thread_over_process") || !strcmp(name, "mode_over_process") ||
		 ((id == T_VERSUS || id == T_CLAIMS || id == T_MODES) && !strncmp(name, "ci95_", 5)))
		tb->fmt[c] = x->ratio;
	else
		unit_find(schema_unit_of(name), x->unit, &tb->fmt[c]);
}

/* Reads one file of the folder (a missing optional one as its schema's
 * header alone), orders its columns and finds which are numbers. */
static int load_tab(struct xw *x, const char *dir, int id)
{
	struct tab *tb = &x->tab[id];
	char path[PATH_MAX];
	int rc, k = 0;

	util_strfmt(path, sizeof(path), "%s/%s", dir, tabdefs[id].file);
	rc = table_read_rows(path, &tb->t);
	if (rc == -ENOENT && tabdefs[id].need == N_IF_THERE) {
		memset(&tb->t, 0, sizeof(tb->t));
		return 0;       /* no sheet */
	}
	if (rc == -ENOENT && tabdefs[id].need == N_EMPTY) {
		char head[1024] = "";

		for (const struct schema *s = result_files; s->file; s++)
			for (int c = 0; !strcmp(s->file, tabdefs[id].file) && c < s->ncols; c++)
				util_strfmt(head + strlen(head), sizeof(head) - strlen(head), "%s%s",
				       c ? "," : "", s->cols[c]);
		rc = table_parse(head, strlen(head), &tb->t);
	}
	if (rc == -EBADMSG || rc == -EILSEQ) {
		util_strfmt(x->err, x->errlen, "%s:%d: malformed CSV", path, tb->t.bad_line);
		return -EINVAL;
	}
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0) {
		util_strfmt(x->err, x->errlen, "cannot read %s: %s", path, strerror(-rc));
		return -EINVAL;
	}
	tb->order = calloc((size_t)tb->t.ncols + 1, sizeof(int));
	tb->pos = calloc((size_t)tb->t.ncols + 1, sizeof(int));
	tb->num = calloc((size_t)tb->t.ncols + 1, 1);
	tb->kind = calloc((size_t)tb->t.ncols + 1, sizeof(*tb->kind));
	tb->fmt = calloc((size_t)tb->t.ncols + 1, sizeof(*tb->fmt));
	if (!tb->order || !tb->pos || !tb->num || !tb->kind || !tb->fmt)
		return -ENOMEM;
	for (int i = 0; id == T_CLAIMS && claims_first[i]; i++) {
		int c = table_col(&tb->t, claims_first[i]);

		if (c >= 0)
			tb->order[k++] = c;
	}
	for (int c = 0; c < tb->t.ncols; c++)
		if (id != T_CLAIMS || !in_list(tb->t.head[c], claims_first))
			tb->order[k++] = c;
	for (int i = 0; i < tb->t.ncols; i++)
		tb->pos[tb->order[i]] = i;
	tb->unit_col = id == T_SUMMARY || id == T_VERSUS || id == T_MODES || id == T_HOSTS
		? table_col(&tb->t, "unit") : -1;
	tb->host0 = host_start(&tb->t, &tabdefs[id]);
	for (int c = 0; c < tb->t.ncols; c++) {
		int any = 0, all = 1;

		for (int r = 0; r < tb->t.nrows && all; r++) {
			const char *s = tb->t.rows[r][c];

			any |= *s != '\0';
			all = !*s || numeric(s);
		}
		tb->num[c] = any && all;
	}
	tb->parts = tb->t.nrows ? (int)((tb->t.nrows + x->per - 1) / x->per) : 1;
	tb->ws = calloc((size_t)tb->parts, sizeof(*tb->ws));
	return tb->ws ? 0 : -ENOMEM;
}

/* The name of sheet `part` of a table: "Trials", "Trials (2)", ... */
static const char *part_name(char *buf, size_t len, int id, int part)
{
	if (part == 0)
		return util_strfmt(buf, len, "%s", tabdefs[id].sheet);
	return util_strfmt(buf, len, "%s (%d)", tabdefs[id].sheet, part + 1);
}

/* Display width of a cell, in characters. */
static size_t width_of(const char *s, int number)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return number && n > 12 ? 12 : n;
}

static lxw_format *cell_fmt(struct xw *x, const struct tab *tb, int r, int c)
{
	lxw_format *f = NULL;

	switch (tb->kind[c]) {
	case CK_FIXED:
		return tb->fmt[c];
	case CK_ROW_UNIT:
		unit_find(tb->t.rows[r][tb->unit_col], x->unit, &f);
		return f;
	case CK_VERDICT:
		for (size_t i = 0; i < ARRAY_SIZE(verdicts); i++)
			if (!strcmp(tb->t.rows[r][c], verdicts[i]))
				return x->verdict[i];
	}
	return NULL;
}

/* Writes sheet `part` of a table: its header (with units), its rows,
 * the header frozen, an autofilter, fitted widths. */
static int write_part(struct xw *x, int id, int part)
{
	struct tab *tb = &x->tab[id];
	lxw_worksheet *ws = tb->ws[part];
	long lo = part * x->per, hi = lo + x->per < tb->t.nrows ? lo + x->per : tb->t.nrows;
	size_t *w = calloc((size_t)tb->t.ncols + 1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	for (int i = 0; i < tb->t.ncols; i++) {
		int c = tb->order[i];
		const struct unitfmt *u = c >= tb->host0 ? NULL
					  : unit_find(schema_unit_of(tb->t.head[c]), NULL, NULL);
		char head[256];

		util_strfmt(head, sizeof(head), "%s", cell_text(x, tb->t.head[c]));
		if (u)
			util_strfmt(head + strlen(head), sizeof(head) - strlen(head), " (%s)", u->shown);
		ck(x, worksheet_write_string(ws, 0, (lxw_col_t)i, head, x->head));
		w[i] = width_of(head, 0) + 3;   /* and the filter button */
	}
	for (long r = lo; r < hi; r++) {
		for (int i = 0; i < tb->t.ncols; i++) {
			int c = tb->order[i];
			const char *s = tb->t.rows[r][c];
			lxw_row_t row = (lxw_row_t)(r - lo + 1);
			size_t cw;

			if (!*s)
				continue;
			if (tb->num[c])
				ck(x, worksheet_write_number(ws, row, (lxw_col_t)i, strtod(s, NULL),
							     cell_fmt(x, tb, (int)r, c)));
			else
				ck(x, worksheet_write_string(ws, row, (lxw_col_t)i, cell_text(x, s),
							     cell_fmt(x, tb, (int)r, c)));
			cw = width_of(s, tb->num[c]);
			w[i] = cw > w[i] ? cw : w[i];
		}
	}
	worksheet_freeze_panes(ws, 1, 0);
	if (tb->t.ncols)
		ck(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)(hi - lo), (lxw_col_t)(tb->t.ncols - 1)));
	for (int i = 0; i < tb->t.ncols; i++) {
		int wrap = tb->fmt[tb->order[i]] == x->wrap;
		double cw = wrap ? 80 : w[i] < 6 ? 6 : w[i] > 60 ? 60 : (double)w[i] + 1;

		ck(x, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, cw, NULL));
	}
	free(w);
	return 0;
}

/* ---- the summary index ---- */

/* Compares the first `depth` keys, then (depth S_KEYS + 1) workers. */
static int sent_cmp(const struct sent *a, const struct sent *b, int depth)
{
	int c = 0;

	for (int i = 0; i < depth && i < S_KEYS && !c; i++)
		c = strcmp(a->k[i], b->k[i]);
	if (!c && depth > S_KEYS)
		c = util_num_cmp(a->n, b->n);
	return c;
}

static int sent_sort(const void *a, const void *b)
{
	const struct sent *x = a, *y = b;
	int c = sent_cmp(x, y, S_KEYS + 1);

	return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* Whether row r of table id is of the run charted. */
static int in_run(const struct xw *x, int id, int r)
{
	const struct table *t = &x->tab[id].t;

	return !x->run || (!strcmp(table_get(t, r, table_col(t, "host")), x->host) &&
			   !strcmp(table_get(t, r, table_col(t, "run")), x->run));
}

/* The index of the run charted's rows of summary.csv. */
static int index_summary(struct xw *x)
{
	const struct table *t = &x->tab[T_SUMMARY].t;
	static const char *const cols[S_KEYS] = { "workload", "params", "pin", "metric", "mode" };
	int c[S_KEYS], cn = table_col(t, "workers");

	if (!x->ix)
		x->ix = malloc(((size_t)t->nrows + 1) * sizeof(*x->ix));
	if (!x->rpos)
		x->rpos = malloc(((size_t)t->nrows + 1) * sizeof(*x->rpos));
	if (!x->ix || !x->rpos)
		return -ENOMEM;
	for (int i = 0; i < S_KEYS; i++)
		c[i] = table_col(t, cols[i]);
	x->nix = 0;
	for (int r = 0; r < t->nrows; r++) {
		struct sent *e = &x->ix[x->nix];

		x->rpos[r] = -1;
		if (!in_run(x, T_SUMMARY, r))
			continue;
		e->row = r;
		e->n = table_num(t, r, cn);
		for (int i = 0; i < S_KEYS; i++)
			e->k[i] = table_get(t, r, c[i]);
		x->nix++;
	}
	qsort(x->ix, (size_t)x->nix, sizeof(*x->ix), sent_sort);
	for (int i = 0; i < x->nix; i++)
		x->rpos[x->ix[i].row] = i;
	return 0;
}

/* The first index entry after (upper) or at key, by `depth` keys. */
static int bound(const struct xw *x, const struct sent *key, int depth, int upper)
{
	int lo = 0, hi = x->nix;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2, c = sent_cmp(&x->ix[mid], key, depth);

		if (c < 0 || (upper && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The summary row of a cell's metric in a mode (n < 0: at the most
 * workers it has), or -1. */
static int sfind(const struct xw *x, const struct sent *cell, const char *metric,
		 const char *mode, double n)
{
	struct sent key = *cell;
	int i;

	key.k[S_METRIC] = metric;
	key.k[S_MODE] = mode;
	key.n = n;
	if (n < 0) {
		i = bound(x, &key, S_KEYS, 1) - 1;
		return i >= 0 && !sent_cmp(&x->ix[i], &key, S_KEYS) && !isnan(x->ix[i].n) ? x->ix[i].row : -1;
	}
	i = bound(x, &key, S_KEYS + 1, 0);
	return i < x->nix && !sent_cmp(&x->ix[i], &key, S_KEYS + 1) ? x->ix[i].row : -1;
}

/* The most workers of a cell's metric in any mode (NaN: none). */
static double most(const struct xw *x, const struct sent *cell, const char *metric)
{
	double n = NAN;

	for (int m = 0; m < NMODES; m++) {
		int r = sfind(x, cell, metric, mode_values[m], -1);
		double v = r < 0 ? NAN : table_num(&x->tab[T_SUMMARY].t, r, table_col(&x->tab[T_SUMMARY].t, "workers"));

		n = isnan(n) || v > n ? v : n;
	}
	return n;
}

/* ---- ChartData: values that point at the cells they come from ---- */

/* A ChartData value: the cell (row, col) of a table times scale, or the
 * constant v (tab < 0); v is NaN for none. */
struct src {
	int tab, row, col;
	double v, scale;
};

static const struct src none = { -1, 0, 0, NAN, 1 };

static struct src cell_src_at(const struct xw *x, int id, int row, int c, double scale)
{
	const struct table *t = &x->tab[id].t;
	double v = row < 0 || c < 0 ? NAN : table_num(t, row, c);

	if (isnan(v) || !x->tab[id].num[c])
		return none;
	return (struct src){ id, row, c, v * scale, scale };
}

static struct src cell_src(const struct xw *x, int id, int row, const char *col, double scale)
{
	return cell_src_at(x, id, row, table_col(&x->tab[id].t, col), scale);
}

static struct src value(double v)
{
	return (struct src){ -1, 0, 0, v, 1 };
}

static void put(struct xw *x, lxw_row_t r, lxw_col_t c, struct src s)
{
	const struct tab *tb;
	char sheet[64], cell[32], f[160];

	if (isnan(s.v))
		return;
	if (s.tab < 0) {
		ck(x, worksheet_write_number(x->data, r, c, s.v, NULL));
		return;
	}
	tb = &x->tab[s.tab];
	part_name(sheet, sizeof(sheet), s.tab, (int)(s.row / x->per));
	lxw_rowcol_to_cell_abs(cell, (lxw_row_t)(s.row % x->per + 1), (lxw_col_t)tb->pos[s.col], 1, 1);
	if (s.scale == 1)
		util_strfmt(f, sizeof(f), "='%s'!%s", sheet, cell);
	else
		util_strfmt(f, sizeof(f), "='%s'!%s*%.17g", sheet, cell, s.scale);
	ck(x, worksheet_write_formula_num(x->data, r, c, f, NULL, s.v));
}

/* Text of ChartData, cleaned like any cell. */
static void put_text(struct xw *x, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
	ck(x, worksheet_write_string(x->data, r, c, cell_text(x, s), f));
}

/* A chart; the title is ptbench's text first, then any cell text. */
static lxw_chart *new_chart(struct xw *x, uint8_t type, const char *title, const char *xt,
			    const char *yt)
{
	lxw_chart *ch = workbook_add_chart(x->wb, type);

	char t[1024];

	if (!ch)
		return NULL;
	util_strfmt(t, sizeof(t), "%s%s", title, x->suffix);
	chart_title_set_name(ch, cell_text(x, t));
	chart_axis_set_name(ch->x_axis, xt);
	chart_axis_set_name(ch->y_axis, yt);
	chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
	chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
	return ch;
}

/* Puts a chart with its series on the Charts sheet, two abreast. */
static void place(struct xw *x, lxw_chart *ch)
{
	lxw_chart_options opt = { .x_scale = 1.4, .y_scale = 1.4 };

	if (!ch)
		return;
	ck(x, worksheet_insert_chart_opt(x->charts, (lxw_row_t)(2 + (x->nchart / 2) * 22),
					 (lxw_col_t)((x->nchart % 2) * 11), ch, &opt));
	x->nchart++;
}

/* A series of ChartData rows r0..r1: x (or categories) in column cx,
 * values in cy, named by the header cell (hr, cy). */
static lxw_chart_series *series(lxw_chart *ch, lxw_row_t r0, lxw_row_t r1,
				lxw_col_t cx, lxw_col_t cy, lxw_row_t hr)
{
	lxw_chart_series *s = chart_add_series(ch, NULL, NULL);

	chart_series_set_categories(s, "ChartData", r0, cx, r1, cx);
	chart_series_set_values(s, "ChartData", r0, cy, r1, cy);
	chart_series_set_name_range(s, "ChartData", hr, cy);
	return s;
}

static void series_style(lxw_chart_series *s, lxw_color_t color, float width, uint8_t dash,
			 uint8_t marker)
{
	lxw_chart_line line = { .color = color, .width = width, .dash_type = dash };
	lxw_chart_fill fill = { .color = color };

	chart_series_set_line(s, &line);
	chart_series_set_marker_type(s, marker);
	if (marker != LXW_CHART_MARKER_NONE) {
		chart_series_set_marker_size(s, 6);
		chart_series_set_marker_fill(s, &fill);
		chart_series_set_marker_line(s, &line);
	}
}

/* A block of ChartData starts with its title. */
static lxw_row_t block(struct xw *x, const char *title)
{
	lxw_row_t r = x->row;
	char t[1024];

	put_text(x, r, 0, util_strfmt(t, sizeof(t), "%s%s", title, x->suffix), x->bold);
	return r + 1;
}

/* ---- x-y charts: speedup, spawn, copy-on-write ---- */

struct xyrow {
	struct src x, y[NMODES], lo[NMODES], hi[NMODES];
};

struct xypt {
	int mode, seq;
	struct xyrow v;         /* this mode's y, lo, hi */
};

struct xydef {
	const char *xt, *yt;
	const char *ref;        /* the name of a y = x series, or NULL */
	int ci;                 /* with the 95% CIs */
	int min_x;              /* fewer distinct xs: no chart */
	int log2;               /* a log2 x axis when the xs are a geometric sweep */
};

static int xypt_sort(const void *a, const void *b)
{
	const struct xypt *p = a, *q = b;
	int c = util_num_cmp(p->v.x.v, q->v.x.v);

	return c ? c : (p->seq > q->seq) - (p->seq < q->seq);
}

/* Merges points of every mode into rows by x (sorted); returns how many. */
static int xy_rows(struct xypt *pts, int n, struct xyrow *rows, int *nx)
{
	int k = 0;

	qsort(pts, (size_t)n, sizeof(*pts), xypt_sort);
	*nx = 0;
	for (int i = 0; i < n; i++) {
		struct xyrow *r = k ? &rows[k - 1] : NULL;
		int m = pts[i].mode;

		if (!r || util_num_cmp(r->x.v, pts[i].v.x.v) || !isnan(r->y[m].v)) {
			*nx += !r || util_num_cmp(r->x.v, pts[i].v.x.v) != 0;
			r = &rows[k++];
			r->x = pts[i].v.x;
			for (int j = 0; j < NMODES; j++)
				r->y[j] = r->lo[j] = r->hi[j] = none;
		}
		r->y[m] = pts[i].v.y[0];
		r->lo[m] = pts[i].v.lo[0];
		r->hi[m] = pts[i].v.hi[0];
	}
	return k;
}

/* Whether the distinct xs of k sorted rows are a geometric sweep. */
static int xs_geometric(const struct xyrow *rows, int k)
{
	double *xs = malloc(((size_t)k + 1) * sizeof(*xs));
	int n = 0, geo;

	if (!xs)
		return 0;       /* a linear axis: still a right chart */
	for (int i = 0; i < k; i++)
		if (!n || util_num_cmp(xs[n - 1], rows[i].x.v))
			xs[n++] = rows[i].x.v;
	geo = util_geometric(xs, n);
	free(xs);
	return geo;
}

/* Writes an x-y block (x, a column a mode[, reference]; then the CI
 * segments: x, lo; x, hi; a blank) and its chart. */
static void xy_chart(struct xw *x, const struct xydef *d, const char *title, struct xypt *pts, int n)
{
	static const lxw_chart_marker_type marker[NMODES] = {
		LXW_CHART_MARKER_CIRCLE, LXW_CHART_MARKER_SQUARE, LXW_CHART_MARKER_DIAMOND,
		LXW_CHART_MARKER_TRIANGLE,
	};
	struct xyrow *rows = calloc((size_t)n + 1, sizeof(*rows));
	int nx, k, has[NMODES] = { 0 }, ci[NMODES] = { 0 }, col[NMODES], ncol, anyci = 0, any = 0;
	lxw_row_t hr, r0, chr;
	lxw_chart *ch;

	if (!rows)
		return;
	k = xy_rows(pts, n, rows, &nx);
	for (int i = 0; i < k; i++)
		for (int m = 0; m < NMODES; m++) {
			has[m] |= !isnan(rows[i].y[m].v);
			ci[m] |= d->ci && !isnan(rows[i].lo[m].v) && !isnan(rows[i].hi[m].v);
		}
	for (int m = 0; m < NMODES; m++) {
		any |= has[m];
		anyci |= ci[m];
	}
	if (nx < d->min_x || !any) {
		free(rows);
		return;         /* the run lacks its data: no chart */
	}
	ncol = mode_cols(has, col);
	hr = block(x, title);
	r0 = hr + 1;
	put_text(x, hr, 0, d->xt, x->head);
	for (int m = 0; m < NMODES; m++)
		if (col[m] >= 0)
			put_text(x, hr, (lxw_col_t)(1 + col[m]), mode_values[m], x->head);
	if (d->ref)
		put_text(x, hr, (lxw_col_t)(1 + ncol), d->ref, x->head);
	for (int i = 0; i < k; i++) {
		put(x, r0 + (lxw_row_t)i, 0, rows[i].x);
		for (int m = 0; m < NMODES; m++)
			if (col[m] >= 0)
				put(x, r0 + (lxw_row_t)i, (lxw_col_t)(1 + col[m]), rows[i].y[m]);
		if (d->ref) {   /* y = x, from the x cell beside it */
			char f[32], cell[16];

			lxw_rowcol_to_cell(cell, r0 + (lxw_row_t)i, 0);
			util_strfmt(f, sizeof(f), "=%s", cell);
			ck(x, worksheet_write_formula_num(x->data, r0 + (lxw_row_t)i, (lxw_col_t)(1 + ncol),
							  f, NULL, rows[i].x.v));
		}
	}
	chr = r0 + (lxw_row_t)k + 1;
	if (anyci) {
		put_text(x, chr, 0, d->xt, x->head);
		for (int m = 0; m < NMODES; m++) {
			char name[64];

			util_strfmt(name, sizeof(name), "%s 95%% CI", mode_values[m]);
			if (col[m] >= 0)
				put_text(x, chr, (lxw_col_t)(1 + col[m]), name, x->head);
		}
		for (int i = 0; i < k; i++)
			for (int e = 0; e < 2; e++) {   /* lo, hi; the row after is the gap */
				lxw_row_t r = chr + 1 + (lxw_row_t)(3 * i + e);

				put(x, r, 0, rows[i].x);
				for (int m = 0; m < NMODES; m++)
					if (col[m] >= 0)
						put(x, r, (lxw_col_t)(1 + col[m]), e ? rows[i].hi[m] : rows[i].lo[m]);
			}
		x->row = chr + 1 + (lxw_row_t)(3 * k) + 1;
	} else {
		x->row = chr + 1;
	}
	ch = new_chart(x, LXW_CHART_SCATTER_STRAIGHT_WITH_MARKERS, title, d->xt, d->yt);
	for (int m = 0; ch && m < NMODES; m++) {
		if (has[m])
			series_style(series(ch, r0, r0 + (lxw_row_t)k - 1, 0, (lxw_col_t)(1 + col[m]), hr),
				     mode_color[m][0], 2.25, LXW_CHART_LINE_DASH_SOLID, marker[m]);
		if (ci[m])
			series_style(series(ch, chr + 1, chr + (lxw_row_t)(3 * k), 0, (lxw_col_t)(1 + col[m]), chr),
				     mode_color[m][1], 1.5, LXW_CHART_LINE_DASH_SOLID, LXW_CHART_MARKER_SHORT_DASH);
	}
	if (ch && d->ref)
		series_style(series(ch, r0, r0 + (lxw_row_t)k - 1, 0, (lxw_col_t)(1 + ncol), hr), 0x999999, 1.25,
			     LXW_CHART_LINE_DASH_DASH, LXW_CHART_MARKER_NONE);
	if (ch && d->log2 && xs_geometric(rows, k)) {
		chart_axis_set_log_base(ch->x_axis, 2);
		chart_axis_set_min(ch->x_axis, 1);
	} else if (ch) {
		chart_axis_set_min(ch->x_axis, 0);
	}
	if (ch)
		chart_axis_set_min(ch->y_axis, 0);
	place(x, ch);
	free(rows);
}

/* A point of summary row r in its mode: y its median (lo, hi its CI),
 * times scale; mode -1 for a mode no chart knows. */
static struct xypt sum_pt(const struct xw *x, int r, struct src xs, double scale, int seq)
{
	const struct table *t = &x->tab[T_SUMMARY].t;
	struct xypt p = { .mode = mode_ix(table_get(t, r, table_col(t, "mode"))), .seq = seq };

	p.v.x = xs;
	p.v.y[0] = cell_src(x, T_SUMMARY, r, "median", scale);
	p.v.lo[0] = cell_src(x, T_SUMMARY, r, "ci95_lo", scale);
	p.v.hi[0] = cell_src(x, T_SUMMARY, r, "ci95_hi", scale);
	return p;
}

/* Whether summary row r is the first in the file of its first `depth`
 * keys (a chart or a category starts there). */
static int first_of(const struct xw *x, int r, int depth)
{
	const struct sent *e = &x->ix[x->rpos[r]];

	for (int j = bound(x, e, depth, 0); j < x->nix && !sent_cmp(&x->ix[j], e, depth); j++)
		if (x->ix[j].row < r)
			return 0;
	return 1;
}

/* speedup against workers, both modes, the linear ideal; one chart per
 * workload, params and pin. */
static void speedup_charts(struct xw *x, struct xypt *pts)
{
	static const struct xydef d = { "workers", "speedup over 1 worker (median, 95% CI)",
					"linear (ideal)", 1, 1, 1 };

	for (int i = 0; i < x->nix; i++) {
		struct sent g = x->ix[i];
		int lo, hi, n = 0, one[NMODES] = { 0 }, ran[NMODES] = { 0 };
		char title[512];

		if (strcmp(g.k[S_METRIC], "speedup") || (i && !sent_cmp(&x->ix[i - 1], &g, S_METRIC + 1)))
			continue;
		lo = bound(x, &g, S_METRIC + 1, 0);
		hi = bound(x, &g, S_METRIC + 1, 1);
		for (int j = lo; j < hi; j++) {
			struct xypt p = sum_pt(x, x->ix[j].row, cell_src(x, T_SUMMARY, x->ix[j].row, "workers", 1), 1, n);

			if (p.mode < 0)
				continue;
			one[p.mode] |= x->ix[j].n == 1;
			ran[p.mode] = 1;
			pts[n++] = p;
		}
		for (int m = 0; m < NMODES; m++)        /* speedup at 1 worker is 1 */
			if (ran[m] && !one[m])
				pts[n++] = (struct xypt){ m, -1, { value(1), { value(1) }, { none }, { none } } };
		util_strfmt(title, sizeof(title), "Speedup over 1 worker: %s (%s, pin %s)", g.k[S_WL],
		       g.k[S_PARAMS], g.k[S_PIN]);
		xy_chart(x, &d, title, pts, n);
	}
}

/* The MiB of a "heap=SIZE" parameter, or NaN. */
static double heap_mib(const char *params)
{
	const char *h = strstr(params, "heap=");
	char buf[32];
	uint64_t v;

	if (!h || (h != params && h[-1] != ';'))
		return NAN;
	util_strfmt(buf, sizeof(buf), "%.*s", (int)strcspn(h + 5, ";"), h + 5);
	return util_parse_u64(buf, 1, &v) == 0 ? (double)v / 1048576 : NAN;
}

/* spawn time against the parent's heap (each cell at its most workers),
 * and a worker's faults against the pages it wrote (cow). */
static void xy_workload_charts(struct xw *x, struct xypt *pts)
{
	static const struct xydef spawn = { "heap the parent touched (MiB)",
					     "spawn time, ms (median, 95% CI)", NULL, 1, 2, 0 };
	static const struct xydef cow = { "pages written by a worker", "minor faults while writing",
					  "one fault a page", 0, 1, 0 };
	int n = 0;

	for (int i = 0; i < x->nix; i++) {
		const struct sent *e = &x->ix[i];

		if (strcmp(e->k[S_WL], "spawn") || strcmp(e->k[S_METRIC], "spawn_s") ||
		    e->n != most(x, e, "spawn_s") || isnan(heap_mib(e->k[S_PARAMS])))
			continue;
		pts[n] = sum_pt(x, e->row, value(heap_mib(e->k[S_PARAMS])), 1e3, e->row);
		n += pts[n].mode >= 0;
	}
	xy_chart(x, &spawn, "Creating the workers as the parent's heap grows (spawn): fork vs pthread_create",
		 pts, n);
	n = 0;
	for (int i = 0; i < x->nix; i++) {
		const struct sent *e = &x->ix[i];
		int w;

		if (strcmp(e->k[S_WL], "cow") || strcmp(e->k[S_METRIC], "faults_per_worker"))
			continue;
		w = sfind(x, e, "pages_written", e->k[S_MODE], e->n);
		pts[n] = sum_pt(x, e->row, cell_src(x, T_SUMMARY, w, "median", 1), 1, e->row);
		n += !isnan(pts[n].v.x.v) && pts[n].mode >= 0;
	}
	xy_chart(x, &cow, "Copy-on-write: minor faults of a worker against the pages it writes (cow)",
		 pts, n);
}

/* ---- column charts: memory, counter, crash ---- */

struct catdef {
	const char *title, *yt, *numfmt;
	const char *workloads[4];       /* NULL-terminated */
	const char *metric[2], *name[2];/* series metrics (metric[1] NULL: one), legend prefixes */
	double scale;
};

static const struct catdef catdefs[] = {
	{ "Memory at the end barrier: PSS (the honest total) against the naive RSS sum", "MiB", NULL,
	  { "sharedread", "cow", "spawn", NULL }, { "pss_kib", "rss_sum_kib" }, { "PSS", "RSS sum" },
	  1.0 / 1024 },
	/* one metric, two meanings: a thread's update lost to a race, a
	 * forked child's made in its own copy: the title says which */
	{ "Updates missing from the count, per sync mode (counter): threads lose them to races, forked children update private copies",
	  "updates missing", NULL,
	  { "counter", NULL }, { "lost_updates", NULL }, { NULL, NULL }, 1 },
	{ "Nanoseconds per increment, per sync mode (counter)", "ns per increment", NULL,
	  { "counter", NULL }, { "ns_per_op", NULL }, { NULL, NULL }, 1 },
	{ "Workers surviving when one segfaults (crash)", "survivors", NULL,
	  { "crash", NULL }, { "survivors", NULL }, { NULL, NULL }, 1 },
	{ "Work kept when one worker segfaults (crash)", "work kept", "0%",
	  { "crash", NULL }, { "work_done_frac", NULL }, { NULL, NULL }, 1 },
};

/* Whether the pair "k=v" (len bytes) is one of params' pairs. */
static int has_pair(const char *params, const char *pair, size_t len)
{
	for (const char *p = params; *p;) {
		size_t n = strcspn(p, ";");

		if (n == len && !strncmp(p, pair, len))
			return 1;
		p += n + (p[n] == ';');
	}
	return 0;
}

/* A category's label: its workload (when the chart has several) and the
 * pairs of its params that not every category shares (all of them when
 * none differ), its pin when pins differ. */
static void cat_label(const struct sent *cats, int n, int i, char *buf, size_t len)
{
	int wls = 0, pins = 0;
	size_t used;

	for (int j = 0; j < n; j++) {
		wls |= strcmp(cats[j].k[S_WL], cats[i].k[S_WL]) != 0;
		pins |= strcmp(cats[j].k[S_PIN], cats[i].k[S_PIN]) != 0;
	}
	util_strfmt(buf, len, "%s", wls ? cats[i].k[S_WL] : "");
	used = strlen(buf);
	for (const char *p = cats[i].k[S_PARAMS]; *p && used + 2 < len;) {
		size_t k = strcspn(p, ";");
		int all = 1;

		for (int j = 0; j < n && all; j++)
			all = has_pair(cats[j].k[S_PARAMS], p, k);
		if (!all || n == 1)
			used += (size_t)snprintf(buf + used, len - used, "%s%.*s",
						 used ? (wls && !strchr(buf, '=') ? " " : ";") : "", (int)k, p);
		p += k + (p[k] == ';');
	}
	if (!*buf)
		util_strfmt(buf, len, "%s", cats[i].k[S_PARAMS]);
	if (pins && used + 2 < len)
		snprintf(buf + strlen(buf), len - strlen(buf), " pin=%s", cats[i].k[S_PIN]);
}

static void cat_chart(struct xw *x, const struct catdef *d, struct sent *cats)
{
	const struct table *t = &x->tab[T_SUMMARY].t;
	int n = 0, nm = d->metric[1] ? 2 : 1, has[2][NMODES] = { { 0 } }, ran[NMODES] = { 0 };
	int col[NMODES], ncol;
	lxw_row_t hr, r0;
	lxw_chart *ch;

	/* The categories: each workload, params and pin in file order. */
	for (int r = 0; r < t->nrows; r++) {
		const struct sent *e = x->rpos[r] < 0 ? NULL : &x->ix[x->rpos[r]];

		if (!e || !in_list(e->k[S_WL], d->workloads) || strcmp(e->k[S_METRIC], d->metric[0]) ||
		    !first_of(x, r, S_METRIC + 1))
			continue;
		cats[n] = *e;
		cats[n++].n = most(x, e, d->metric[0]);
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < nm; j++)
			for (int m = 0; m < NMODES; m++)
				ran[m] |= has[j][m] |= sfind(x, &cats[i], d->metric[j], mode_values[m], cats[i].n) >= 0;
	if (!has[0][0] && !has[0][1] && !has[0][2] && !has[0][3])
		return;
	ncol = mode_cols(ran, col);
	hr = block(x, d->title);
	r0 = hr + 1;
	put_text(x, hr, 0, "experiment", x->head);
	for (int j = 0; j < nm; j++)
		for (int m = 0; m < NMODES; m++) {
			char name[64];

			util_strfmt(name, sizeof(name), "%s%s%s", d->name[j] ? d->name[j] : "",
			       d->name[j] ? ", " : "", mode_values[m]);
			if (col[m] >= 0)
				put_text(x, hr, (lxw_col_t)(1 + ncol * j + col[m]), name, x->head);
		}
	for (int i = 0; i < n; i++) {
		char label[512];

		cat_label(cats, n, i, label, sizeof(label));
		put_text(x, r0 + (lxw_row_t)i, 0, label, NULL);
		for (int j = 0; j < nm; j++)
			for (int m = 0; m < NMODES; m++)
				if (col[m] >= 0)
					put(x, r0 + (lxw_row_t)i, (lxw_col_t)(1 + ncol * j + col[m]),
					    cell_src(x, T_SUMMARY,
						     sfind(x, &cats[i], d->metric[j], mode_values[m], cats[i].n),
						     "median", d->scale));
	}
	x->row = r0 + (lxw_row_t)n + 1;
	ch = new_chart(x, LXW_CHART_COLUMN, d->title, "experiment (at its most workers)", d->yt);
	for (int j = 0; ch && j < nm; j++)
		for (int m = 0; m < NMODES; m++) {
			lxw_chart_fill fill = { .color = mode_color[m][j] };

			if (has[j][m])
				chart_series_set_fill(series(ch, r0, r0 + (lxw_row_t)n - 1, 0,
							     (lxw_col_t)(1 + ncol * j + col[m]), hr), &fill);
		}
	if (ch && d->numfmt)
		chart_axis_set_num_format(ch->y_axis, d->numfmt);
	place(x, ch);
}

/* ---- burst histograms ---- */

/* A bin of a histogram: its lower edge and its rows in bursts.csv. */
struct bin {
	double lo;
	int row[NMODES];        /* -1: none in that mode */
};

static int bin_sort(const void *a, const void *b)
{
	return util_num_cmp(((const struct bin *)a)->lo, ((const struct bin *)b)->lo);
}

static void us_label(double us, char *buf, size_t len)
{
	if (us < 1e3)
		util_strfmt(buf, len, "%.3g \u00b5s", us);
	else if (us < 1e6)
		util_strfmt(buf, len, "%.3g ms", us / 1e3);
	else
		util_strfmt(buf, len, "%.3g s", us / 1e6);
}

/* The trials.csv row of trial id of the run charted, or -1 (a merged
 * folder counts trials per run). */
static int run_trial(const struct xw *x, double id)
{
	const struct table *t = &x->tab[T_TRIALS].t;
	int c = table_col(t, "trial"), r = table_find_id(t, c, id);

	if (r < 0 || in_run(x, T_TRIALS, r))
		return r;
	for (r = 0; r < t->nrows; r++)
		if (table_num(t, r, c) == id && in_run(x, T_TRIALS, r))
			return r;
	return -1;
}

/* The histogram of a workload's traced trials at its most workers: the
 * first process trial, and the first trial of each other mode with the
 * same params and pin. */
static void burst_chart(struct xw *x, const char *wl, struct bin *bins)
{
	const struct table *b = &x->tab[T_BURSTS].t, *t = &x->tab[T_TRIALS].t;
	int cw = table_col(b, "workload"), cm = table_col(b, "mode"), cn = table_col(b, "workers"),
	    ct = table_col(b, "trial"), cl = table_col(b, "bin_lo_us"), tp = table_col(t, "params"),
	    tpin = table_col(t, "pin");
	int trial[NMODES] = { -1, -1, -1, -1 }, n = 0, first = -1, last = -1, k = 0;
	int col[NMODES];
	double maxn = -1;
	char title[256];
	lxw_row_t hr, r0;
	lxw_chart *ch;

	for (int r = 0; r < b->nrows; r++)
		if (!strcmp(table_get(b, r, cw), wl) && table_num(b, r, cn) > maxn && in_run(x, T_BURSTS, r))
			maxn = table_num(b, r, cn);
	for (int m = 0; m < NMODES; m++)
		for (int r = 0; r < b->nrows && trial[m] < 0; r++) {
			int id = (int)table_num(b, r, ct), a, p;

			if (strcmp(table_get(b, r, cw), wl) || strcmp(table_get(b, r, cm), mode_values[m]) ||
			    table_num(b, r, cn) != maxn || !in_run(x, T_BURSTS, r))
				continue;
			a = run_trial(x, id);
			p = trial[0] < 0 ? -1 : run_trial(x, trial[0]);
			if (m == 0 || p < 0 || (a >= 0 && !strcmp(table_get(t, a, tp), table_get(t, p, tp)) &&
						!strcmp(table_get(t, a, tpin), table_get(t, p, tpin))))
				trial[m] = id;
		}
	for (int m = 0; m < NMODES; m++)
		for (int r = 0; r < b->nrows && trial[m] >= 0; r++)
			if (table_num(b, r, ct) == trial[m] && !isnan(table_num(b, r, cl)) && in_run(x, T_BURSTS, r)) {
				bins[n] = (struct bin){ table_num(b, r, cl), { -1, -1, -1, -1 } };
				bins[n++].row[m] = r;
			}
	qsort(bins, (size_t)n, sizeof(*bins), bin_sort);
	for (int i = 0; i < n; i++) {   /* one row a bin edge: every mode */
		int m = 0;

		while (bins[i].row[m] < 0)
			m++;
		if (k && bins[k - 1].lo == bins[i].lo && bins[k - 1].row[m] < 0)
			bins[k - 1].row[m] = bins[i].row[m];
		else
			bins[k++] = bins[i];
	}
	for (int i = 0; i < k; i++)     /* bins with a burst, first to last */
		for (int m = 0; m < NMODES; m++)
			for (int c = 0; c < 2 && bins[i].row[m] >= 0; c++)
				if (table_num(b, bins[i].row[m], table_col(b, c ? "preempted" : "blocked")) > 0) {
					first = first < 0 ? i : first;
					last = i;
				}
	if (first < 0)
		return;         /* no burst recorded */
	util_strfmt(title, sizeof(title), "CPU bursts of %s, %g workers (traced repetition)", wl, maxn);
	hr = block(x, title);
	r0 = hr + 1;
	put_text(x, hr, 0, "burst length (bin from)", x->head);
	{
		int ran[NMODES];

		for (int m = 0; m < NMODES; m++)
			ran[m] = trial[m] >= 0;
		mode_cols(ran, col);
	}
	for (int m = 0; m < NMODES; m++)
		for (int c = 0; c < 2 && col[m] >= 0; c++) {
			char name[64];

			util_strfmt(name, sizeof(name), "%s, %s", mode_values[m], c ? "preempted" : "ended by blocking");
			put_text(x, hr, (lxw_col_t)(1 + 2 * col[m] + c), name, x->head);
		}
	for (int i = first; i <= last; i++) {
		lxw_row_t r = r0 + (lxw_row_t)(i - first);
		char label[32];

		us_label(bins[i].lo, label, sizeof(label));
		put_text(x, r, 0, label, NULL);
		for (int m = 0; m < NMODES; m++)
			for (int c = 0; c < 2 && col[m] >= 0; c++)
				put(x, r, (lxw_col_t)(1 + 2 * col[m] + c),
				    cell_src(x, T_BURSTS, bins[i].row[m], c ? "preempted" : "blocked", 1));
	}
	x->row = r0 + (lxw_row_t)(last - first + 1) + 1;
	ch = new_chart(x, LXW_CHART_COLUMN, title, "burst length (lower edge of its bin)", "bursts");
	for (int m = 0; ch && m < NMODES; m++)
		for (int c = 0; c < 2; c++) {
			lxw_chart_fill fill = { .color = mode_color[m][c] };

			if (trial[m] >= 0)
				chart_series_set_fill(series(ch, r0, r0 + (lxw_row_t)(last - first), 0,
							     (lxw_col_t)(1 + 2 * col[m] + c), hr), &fill);
		}
	place(x, ch);
}

static void burst_charts(struct xw *x)
{
	const struct table *b = &x->tab[T_BURSTS].t;
	int cw = table_col(b, "workload"), n = 0;
	struct bin *bins = malloc(((size_t)b->nrows + 1) * sizeof(*bins));
	const char *seen[64];

	for (int r = 0; bins && r < b->nrows && n < (int)ARRAY_SIZE(seen); r++) {
		const char *wl = table_get(b, r, cw);
		int i = 0;

		if (!in_run(x, T_BURSTS, r))
			continue;
		while (i < n && strcmp(seen[i], wl))
			i++;
		if (i == n) {   /* a workload's first row charts it */
			seen[n++] = wl;
			burst_chart(x, wl, bins);
		}
	}
	free(bins);
}

/* ---- a merged folder's hosts ---- */

/* Host h's thread_over_process of row r of Hosts by claim. */
static struct src host_top(const struct xw *x, int r, int h)
{
	return cell_src_at(x, T_BY_CLAIM, r, x->tab[T_BY_CLAIM].host0 + h * CH_N + CH_THREAD_OVER_PROCESS, 1);
}

static int claim_charted(const struct xw *x, int r, int hosts)
{
	for (int h = 0; h < hosts; h++)
		if (!isnan(host_top(x, r, h).v))
			return 1;
	return 0;
}

/* Each claim's thread_over_process on each host, from Hosts by claim: a
 * series a host, a category a claim that has one somewhere. */
static void hosts_chart(struct xw *x)
{
	static const char title[] = "Thread over process of each claim, by host (Hosts by claim)";
	const struct tab *tb = &x->tab[T_BY_CLAIM];
	const struct table *t = &tb->t;
	int hosts = (t->ncols - tb->host0) / CH_N, n = 0;
	lxw_row_t hr, r0;
	lxw_chart *ch;

	for (int r = 0; tb->parts && r < t->nrows; r++)
		n += claim_charted(x, r, hosts);
	if (!n)
		return;
	hr = block(x, title);
	r0 = hr + 1;
	put_text(x, hr, 0, "claim", x->head);
	for (int h = 0; h < hosts; h++)         /* a series is named by its host */
		put_text(x, hr, (lxw_col_t)(1 + h), t->head[tb->host0 + h * CH_N], x->head);
	n = 0;
	for (int r = 0; r < t->nrows; r++) {
		if (!claim_charted(x, r, hosts))
			continue;
		put_text(x, r0 + (lxw_row_t)n, 0, table_get(t, r, table_col(t, "claim")), NULL);
		for (int h = 0; h < hosts; h++)
			put(x, r0 + (lxw_row_t)n, (lxw_col_t)(1 + h), host_top(x, r, h));
		n++;
	}
	x->row = r0 + (lxw_row_t)n + 1;
	ch = new_chart(x, LXW_CHART_COLUMN, title, "claim", "thread over process (headline figure)");
	for (int h = 0; ch && h < hosts; h++)
		series(ch, r0, r0 + (lxw_row_t)n - 1, 0, (lxw_col_t)(1 + h), hr);
	place(x, ch);
}

/* The charts of the run charted. */
static int run_charts(struct xw *x, struct xypt *pts, struct sent *cats)
{
	int rc = index_summary(x);

	if (rc < 0)
		return rc;
	speedup_charts(x, pts);
	xy_workload_charts(x, pts);
	for (size_t i = 0; i < ARRAY_SIZE(catdefs); i++)
		cat_chart(x, &catdefs[i], cats);
	burst_charts(x);
	return 0;
}

/* Charts and ChartData, from the summary and the bursts: a merged
 * folder's hosts side by side first, then each run's charts (as `plot`
 * draws them: a run's analysis is its own), their titles naming it. */
static int write_charts(struct xw *x)
{
	const struct table *s = &x->tab[T_SUMMARY].t;
	size_t n = (size_t)s->nrows + 2;
	struct xypt *pts = malloc(n * sizeof(*pts));
	struct sent *cats = malloc(n * sizeof(*cats));
	int *firsts = malloc(n * sizeof(*firsts)), ch = table_col(s, "host"), cr = table_col(s, "run");
	int rc = 0, nr = 0;

	if (!pts || !cats || !firsts) {
		rc = -ENOMEM;
		goto out;
	}
	ck(x, worksheet_write_string(x->charts, 0, 0,
				     "Each chart reads a range of the ChartData sheet, whose cells point at the "
				     "Summary, Bursts (and Hosts by claim) cells they come from: restyle, filter or re-range them.",
				     x->bold));
	ck(x, worksheet_set_column(x->data, 0, 0, 36, NULL));
	ck(x, worksheet_set_column(x->data, 1, 4, 22, NULL));
	hosts_chart(x);
	if (ch < 0 || cr < 0) {
		rc = run_charts(x, pts, cats);
		goto out;
	}
	for (int r = 0; r < s->nrows && !rc; r++) {     /* each run, first seen first */
		int i = 0;

		while (i < nr && (strcmp(s->rows[firsts[i]][ch], s->rows[r][ch]) ||
				  strcmp(s->rows[firsts[i]][cr], s->rows[r][cr])))
			i++;
		if (i < nr)
			continue;
		firsts[nr++] = r;
		x->host = s->rows[r][ch];
		x->run = s->rows[r][cr];
		util_strfmt(x->suffix, sizeof(x->suffix), " (host %s, run %s)", csv_unguard(x->host),
			    csv_unguard(x->run));
		rc = run_charts(x, pts, cats);
	}
out:
	free(pts);
	free(cats);
	free(firsts);
	return rc;
}

/* ---- the workbook ---- */

static void make_formats(struct xw *x)
{
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_bg_color(x->head, 0xE7E6E6);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	x->bold = workbook_add_format(x->wb);
	format_set_bold(x->bold);
	x->wrap = workbook_add_format(x->wb);
	format_set_text_wrap(x->wrap);
	format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
	x->ratio = workbook_add_format(x->wb);
	format_set_num_format(x->ratio, "0.000");
	for (size_t i = 0; i < NUNITS; i++) {
		x->unit[i] = workbook_add_format(x->wb);
		format_set_num_format(x->unit[i], unitfmts[i].numfmt);
	}
	for (size_t i = 0; i < ARRAY_SIZE(verdicts); i++) {
		x->verdict[i] = workbook_add_format(x->wb);
		format_set_bg_color(x->verdict[i], verdict_bg[i]);
		format_set_font_color(x->verdict[i], verdict_fg[i]);
		format_set_bold(x->verdict[i]);
	}
}

/* Refuses what is not an analysed result folder, with what to do. */
static int check_dir(struct xw *x, const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	if (stat(dir, &st) < 0) {
		util_strfmt(x->err, x->errlen, "cannot read %s: %s", dir, strerror(errno));
		return -EINVAL;
	}
	if (!S_ISDIR(st.st_mode)) {
		util_strfmt(x->err, x->errlen, "%s is not a folder (name a ptbench result folder)", dir);
		return -EINVAL;
	}
	util_strfmt(path, sizeof(path), "%s/trials.csv", dir);
	if (access(path, F_OK) < 0) {
		util_strfmt(x->err, x->errlen, "%s is not a ptbench result folder (no trials.csv)", dir);
		return -EINVAL;
	}
	for (int id = 0; id < T_N; id++) {
		util_strfmt(path, sizeof(path), "%s/%s", dir, tabdefs[id].file);
		if (tabdefs[id].need == N_REQUIRED && access(path, F_OK) < 0) {
			util_strfmt(x->err, x->errlen,
			       "%s is half written: it has trials.csv but no %s (the run stopped before its analysis): run `ptbench analyze %s`, then export again",
			       dir, tabdefs[id].file, dir);
			return -EINVAL;
		}
	}
	return 0;
}

static int build(struct xw *x, const char *dir, const char *tmp)
{
	lxw_workbook_options opt = { 0 };
	lxw_doc_properties props = { .title = "ptbench results", .comments = "made by ptbench export" };
	long rows = 0;
	int rc;

	for (int id = 0; id < T_N; id++)
		if ((rc = load_tab(x, dir, id)) < 0)
			return rc;
	for (int id = 0; id < T_N; id++)
		rows += x->tab[id].t.nrows;
	/* A big folder's sheets go to temporary files as written, not to
	 * memory; ZIP64 lifts the 4 GiB limit of a part. */
	opt.constant_memory = rows > BIG_ROWS;
	opt.use_zip64 = rows > BIG_ROWS;
	x->wb = workbook_new_opt(tmp, &opt);
	if (!x->wb) {
		util_strfmt(x->err, x->errlen, "cannot start a workbook: out of memory or of room for temporary files");
		return -ENOMEM;
	}
	workbook_set_properties(x->wb, &props);
	make_formats(x);
	for (int id = 0; id < T_N; id++)        /* the formats exist now */
		for (int c = 0; c < x->tab[id].t.ncols; c++)
			col_kind(x, id, &x->tab[id], c);
	for (int id = 0; id < T_N; id++)
		for (int p = 0; p < x->tab[id].parts; p++) {
			char name[64];

			if (!(x->tab[id].ws[p] = workbook_add_worksheet(x->wb, part_name(name, sizeof(name), id, p))))
				return -ENOMEM;
		}
	x->charts = workbook_add_worksheet(x->wb, "Charts");
	x->data = workbook_add_worksheet(x->wb, "ChartData");
	if (!x->charts || !x->data)
		return -ENOMEM;
	for (int id = 0; id < T_N; id++)
		for (int p = 0; p < x->tab[id].parts; p++)
			if ((rc = write_part(x, id, p)) < 0)
				return rc;
	return write_charts(x);
}

int xlsx_export(const char *dir, const char *path, long max_rows, struct xlsx_info *info,
		char *err, size_t errlen)
{
	struct xw x = { .err = err, .errlen = errlen };
	char out[PATH_MAX], tmp[PATH_MAX + 8];
	lxw_error le;
	int rc, fd;

	memset(info, 0, sizeof(*info));
	err[0] = '\0';
	x.per = (max_rows > 1 && max_rows <= XLSX_MAX_ROWS ? max_rows : XLSX_MAX_ROWS) - 1;
	util_strfmt(out, sizeof(out), "%s", path ? path : "");
	if (!path && strlen(dir) + sizeof("/results.xlsx") > sizeof(out))
		return util_strfmt(err, errlen, "%s: path too long", dir), -EINVAL;
	if (!path)
		util_strfmt(out, sizeof(out), "%s/results.xlsx", dir);
	if ((rc = check_dir(&x, dir)) < 0)
		return rc;
	/* Can it be written at all? Say so before the work. */
	util_strfmt(tmp, sizeof(tmp), "%s.tmp", out);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		util_strfmt(err, errlen, "cannot write %s: %s", out, strerror(-rc));
		return rc == -EINVAL ? -EIO : rc;
	}
	close(fd);
	rc = build(&x, dir, tmp);
	if (x.wb) {
		le = workbook_close(x.wb);
		ck(&x, le);
	}
	if (!rc && x.lerr) {
		util_strfmt(err, errlen, "writing %s: %s", out, lxw_strerror(x.lerr));
		rc = -EIO;
	}
	if (!rc && rename(tmp, out) < 0) {
		rc = -errno;
		util_strfmt(err, errlen, "cannot write %s: %s", out, strerror(-rc));
	}
	if (!rc) {
		struct stat st;

		util_strfmt(info->path, sizeof(info->path), "%s", out);
		info->bytes = stat(out, &st) == 0 ? (long long)st.st_size : -1;
	}
	if (rc < 0) {
		unlink(tmp);
		if (!*err)
			util_strfmt(err, errlen, "writing %s: %s", out, strerror(-rc));
	}
	info->charts = x.nchart;
	for (int id = 0; id < T_N; id++) {
		info->sheets += x.tab[id].parts;
		info->split += x.tab[id].parts > 1;
		table_free(&x.tab[id].t);
		free(x.tab[id].order);
		free(x.tab[id].pos);
		free(x.tab[id].num);
		free(x.tab[id].kind);
		free(x.tab[id].fmt);
		free(x.tab[id].ws);
	}
	info->sheets += 2;
	free(x.ix);
	free(x.rpos);
	free(x.txt);
	return rc;
}
