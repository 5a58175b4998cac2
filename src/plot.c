/* plot.c - SVG charts of a result folder, drawn by gnuplot.
 *
 * Reads summary.csv (medians and CIs of every cell and metric), bursts.csv
 * and trials.csv; for each chart writes a self-contained gnuplot script
 * (data inlined as datablocks) into DIR/plots/ and runs gnuplot on it, so
 * a user can edit a script and run it again. gnuplot's messages go to
 * DIR/plots/gnuplot.log.
 *
 * A result folder is data, not code: text from it reaches a script only
 * as a single-quoted string (gp_string), datablocks hold numbers only,
 * scripts and charts have slug names and gnuplot runs inside plots/ by
 * fork and exec, so neither a cell nor the folder's path can run a
 * command. The tables are sorted once (struct ent), so charting stays
 * O(rows log rows).
 */
#include "plot.h"
#include "csvio.h"
#include "schema.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The text keys of a row, in sort order. */
enum key { K_WL, K_PARAMS, K_PIN, K_METRIC, K_MODE, K_TEXT };

#define BY_N (K_TEXT + 1)       /* depth: the text keys, then workers */
#define BY_ROW (K_TEXT + 2)     /* ... then the row: a total order */

/* A row of a table, for its index: rows of one workload, params, pin and
 * metric lie together, each mode's by workers, then in file order. */
struct ent {
	const char *s[K_TEXT];  /* the keys' cells ("" for a missing column) */
	double n;               /* workers (NaN when not a number) */
	int row;
};

struct plotter {
	const char *dir;        /* the result folder */
	char plots[PATH_MAX];   /* its plots/ */
	struct table sum;       /* summary.csv */
	int cols[K_TEXT], c_n;  /* its key columns */
	int c_med, c_lo, c_hi;
	struct ent *ix;         /* summary.csv's rows, sorted */
	double *most;           /* by row: the most workers of its workload, params, pin, metric */
	int made;
	char *err;
	size_t errlen;
};

/* One curve of a chart's plot command. */
struct part {
	const char *spec;       /* datablock, columns, style, title */
	int points;             /* points it can draw: none leaves it out */
};

/* A chart's run of the index, and where it comes in the order of charts. */
struct grp {
	int lo, hi;             /* ix[lo..hi) */
	long rank;
};

/* A point of a curve: its x and the row it comes from. */
struct pt {
	double x;
	int row;
};

/* Compares the first `depth` keys (K_TEXT, BY_N or BY_ROW). */
static int ent_cmp(const struct ent *a, const struct ent *b, int depth)
{
	int c = 0;

	for (int i = 0; i < depth && i < K_TEXT && !c; i++)
		c = strcmp(a->s[i], b->s[i]);
	if (!c && depth >= BY_N)
		c = util_num_cmp(a->n, b->n);
	if (!c && depth >= BY_ROW)
		c = (a->row > b->row) - (a->row < b->row);
	return c;
}

static int ent_sort(const void *a, const void *b)
{
	return ent_cmp(a, b, BY_ROW);
}

static int grp_sort(const void *a, const void *b)
{
	const struct grp *x = a, *y = b;

	return (x->rank > y->rank) - (x->rank < y->rank);
}

static int pt_sort(const void *a, const void *b)
{
	const struct pt *x = a, *y = b;

	return util_num_cmp(x->x, y->x) ? util_num_cmp(x->x, y->x) : (x->row > y->row) - (x->row < y->row);
}

/* Row r of t as an index entry; cols[k] is key k's column (-1: none). */
static struct ent ent_of(const struct table *t, const int cols[K_TEXT], int c_n, int r)
{
	struct ent e = { .n = table_num(t, r, c_n), .row = r };

	for (int k = 0; k < K_TEXT; k++)
		e.s[k] = table_get(t, r, cols[k]);
	return e;
}

/* The rows of t sorted by their keys; NULL when out of memory. */
static struct ent *index_of(const struct table *t, const int cols[K_TEXT], int c_n)
{
	struct ent *ix = malloc(((size_t)t->nrows + 1) * sizeof(*ix));

	if (!ix)
		return NULL;
	for (int r = 0; r < t->nrows; r++)
		ix[r] = ent_of(t, cols, c_n, r);
	qsort(ix, (size_t)t->nrows, sizeof(*ix), ent_sort);
	return ix;
}

/* The first entry of ix[0..n) at or after key (upper: after it), by the
 * first `depth` keys. */
static int bound(const struct ent *ix, int n, const struct ent *key, int depth, int upper)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2, c = ent_cmp(&ix[mid], key, depth);

		if (c < 0 || (upper && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ix[lo..hi) of the entries equal to key by `depth` keys. */
static struct grp span(const struct ent *ix, int n, const struct ent *key, int depth)
{
	struct grp g = { bound(ix, n, key, depth, 0), bound(ix, n, key, depth, 1), 0 };

	return g;
}

/* Row r of summary.csv as an index entry. */
static struct ent sum_ent(const struct plotter *p, int r)
{
	return ent_of(&p->sum, p->cols, p->c_n, r);
}

static const char *sum_get(const struct plotter *p, int r, enum key k)
{
	return table_get(&p->sum, r, p->cols[k]);
}

static double med(const struct plotter *p, int r)
{
	return table_num(&p->sum, r, p->c_med);
}

/* The row of a metric in the cell of row r (same workload, params,
 * workers, pin), in a mode; -1 when absent. */
static int cell_row(const struct plotter *p, int r, const char *mode, const char *metric)
{
	struct ent k = sum_ent(p, r);
	int i;

	k.s[K_MODE] = mode;
	k.s[K_METRIC] = metric;
	i = bound(p->ix, p->sum.nrows, &k, BY_N, 0);
	return i < p->sum.nrows && !ent_cmp(&p->ix[i], &k, BY_N) ? p->ix[i].row : -1;
}

/* Its median; NaN when absent. */
static double cell_med(const struct plotter *p, int r, const char *mode, const char *metric)
{
	int q = cell_row(p, r, mode, metric);

	return q < 0 ? NAN : med(p, q);
}

/* Is row r the cell of its workload, params and pin with the most workers? */
static int largest(const struct plotter *p, int r)
{
	return !(p->most[r] > table_num(&p->sum, r, p->c_n));
}

/* Writes text as a gnuplot single-quoted string, the one way text from a
 * result folder reaches a script: gnuplot substitutes no backquote, macro
 * or backslash in one. A quote in it becomes U+2019: the doubled '' of
 * gnuplot's documentation fails after the opening quote and twice in a
 * row (5.4's scanner). A control character (a newline would end the
 * command) becomes a space. */
static void gp_string(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("\u2019", f);
		else
			fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, f);
	fputc('\'', f);
}

/* One datablock line: numbers only, so no cell can end the block (a line
 * starting EOD) or reach gnuplot's parser. Returns whether every value is
 * a number (a point gnuplot draws). */
static int point(FILE *f, const double *v, int n)
{
	int all = 1;

	for (int i = 0; i < n; i++) {
		fprintf(f, i ? " %g" : "%g", v[i]);
		all &= isfinite(v[i]) != 0;
	}
	fputc('\n', f);
	return all;
}

/* Runs gnuplot on one script in plots/, without a shell; its output goes
 * to plots/gnuplot.log and it reads no input. */
static int run_gnuplot(struct plotter *p, const char *script)
{
	char log[PATH_MAX];
	pid_t pid;
	int st;

	util_strfmt(log, sizeof(log), "%s/gnuplot.log", p->plots);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		int in = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (in >= 0)
			dup2(in, 0);
		if (chdir(p->plots) < 0)
			_exit(126);
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return -ENOENT;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		util_strfmt(p->err, p->errlen, "gnuplot failed on %s/%s (see %s)", p->plots, script, log);
		return -EIO;
	}
	return 0;
}

/* Opens plots/NAME.gp (NAME: a slug) with the common preamble. */
static FILE *script(struct plotter *p, const char *name, const char *title,
		    const char *xlabel, const char *ylabel)
{
	char path[PATH_MAX], svg[NAME_MAX];
	FILE *f;

	util_strfmt(path, sizeof(path), "%s/%s.gp", p->plots, name);
	util_strfmt(svg, sizeof(svg), "%s.svg", name);
	f = fopen(path, "we");
	if (!f)
		return NULL;
	/* No path here: a folder's name is text like any other. */
	fprintf(f, "# %s.gp - made by ptbench plot from the result folder around plots/;\n"
		   "# run gnuplot %s.gp in plots/ to redraw.\n", name, name);
	fprintf(f, "set terminal svg size 900,560 dynamic font 'sans,13' background '#ffffff'\n");
	fprintf(f, "set output ");
	gp_string(f, svg);
	fprintf(f, "\nset title ");
	gp_string(f, title);
	fprintf(f, " noenhanced\nset xlabel ");
	gp_string(f, xlabel);
	fprintf(f, " noenhanced\nset ylabel ");
	gp_string(f, ylabel);
	fprintf(f, " noenhanced\nset grid\nset key outside right top noenhanced\n");
	return f;
}

/* Ends a chart with the plot command of the parts that have points (a
 * mode that did not run has none) and runs gnuplot on it; a chart with
 * no part is not drawn (and its script removed). */
static int finish(struct plotter *p, FILE *f, const char *name, const struct part *parts, int n)
{
	char file[NAME_MAX], path[PATH_MAX];
	int drawn = 0, rc;

	for (int i = 0; i < n; i++)
		if (parts[i].points)
			fprintf(f, "%s%s", drawn++ ? ", \\\n     " : "plot ", parts[i].spec);
	if (drawn)
		fputc('\n', f);
	if (fclose(f) == EOF)
		return -EIO;
	util_strfmt(file, sizeof(file), "%s.gp", name);
	if (!drawn) {
		util_strfmt(path, sizeof(path), "%s/%s", p->plots, file);
		unlink(path);
		return 0;
	}
	rc = run_gnuplot(p, file);
	if (!rc)
		p->made++;
	return rc;
}

/* A chart name: letters, digits and '_' only. */
static void slug(char *dst, size_t n, const char *src)
{
	size_t k = 0;

	for (; *src && k + 1 < n; src++)
		dst[k++] = (char)((*src >= 'a' && *src <= 'z') || (*src >= 'A' && *src <= 'Z') ||
				  (*src >= '0' && *src <= '9') ? *src : '_');
	dst[k] = '\0';
}

/* The runs of ix that share the first `depth` keys, in the order rank()
 * gives them (-1: not a chart). Returns how many (in *out, to free), or
 * -ENOMEM. */
static int groups(const struct ent *ix, int n, int depth, const void *ctx,
		  long (*rank)(const void *ctx, const struct ent *ix, int lo, int hi), struct grp **out)
{
	struct grp *g = NULL;
	size_t cap = 0;
	int k = 0;

	for (int lo = 0, hi; lo < n; lo = hi) {
		long r;

		for (hi = lo + 1; hi < n && !ent_cmp(&ix[hi], &ix[lo], depth); hi++)
			;
		if ((r = rank(ctx, ix, lo, hi)) < 0)
			continue;
		if (util_grow(&g, &cap, (size_t)k, sizeof(*g), 16) < 0) {
			free(g);
			return -ENOMEM;
		}
		g[k++] = (struct grp){ lo, hi, r };
	}
	if (k)         /* qsort wants an array, even of none */
		qsort(g, (size_t)k, sizeof(*g), grp_sort);
	*out = g;
	return k;
}

/* A speedup chart's rank: charts are numbered in the order of their
 * first process row, then those with threads only; -1: not speedup. */
static long speedup_rank(const void *ctx, const struct ent *ix, int lo, int hi)
{
	const struct plotter *p = ctx;
	long first = -1, proc = -1;

	if (strcmp(ix[lo].s[K_METRIC], "speedup"))
		return -1;
	for (int i = lo; i < hi; i++) {
		if (first < 0 || ix[i].row < first)
			first = ix[i].row;
		if (!strcmp(ix[i].s[K_MODE], "process") && (proc < 0 || ix[i].row < proc))
			proc = ix[i].row;
	}
	return proc >= 0 ? proc : p->sum.nrows + first;
}

/* The modes a chart draws, schema.h's mode_values in their order; the
 * curves of each chart below list them in that order too. Process and
 * thread take gnuplot's first two colours, the others their own. */
#define NMODES 4

/* The median of row r and its 95% CI (the median where the CI is
 * missing), times scale, into v[0..2]. */
static void med_ci(const struct plotter *p, int r, double scale, double v[3])
{
	double lo = table_num(&p->sum, r, p->c_lo), hi = table_num(&p->sum, r, p->c_hi);

	v[0] = med(p, r) * scale;
	v[1] = (isnan(lo) ? med(p, r) : lo) * scale;
	v[2] = (isnan(hi) ? med(p, r) : hi) * scale;
}

/* Writes the datablock $mode: the line `first`, then a line a point, its
 * x and its row's median (with the CI when ci) times scale. Returns the
 * points gnuplot can draw. */
static int block(const struct plotter *p, FILE *f, const char *mode, const char *first,
		 const struct pt *pts, int n, int ci, double scale)
{
	int drawn = 0;

	fprintf(f, "$%s << EOD\n%s", mode, first);
	for (int i = 0; i < n; i++) {
		double v[4] = { pts[i].x };

		med_ci(p, pts[i].row, scale, v + 1);
		drawn += point(f, v, ci ? 4 : 2);
	}
	fprintf(f, "EOD\n");
	return drawn;
}

static int pt_cmp(const void *a, const void *b)
{
	return util_num_cmp(((const struct pt *)a)->x, ((const struct pt *)b)->x);
}

/* Drops repeated xs of sorted pts; returns how many are left. */
static int pts_distinct(struct pt *pts, int n)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		if (!k || util_num_cmp(pts[k - 1].x, pts[i].x))
			pts[k++] = pts[i];
	return k;
}

/* speedup_<workload>_<k>.svg: speedup against workers, both modes, and
 * the linear ideal; one chart per workload, parameter set and pin. */
static int plot_speedup(struct plotter *p)
{
	struct pt *pts = malloc(((size_t)p->sum.nrows + 1) * sizeof(*pts));
	double *xs = malloc(((size_t)p->sum.nrows + 2) * sizeof(*xs));
	struct grp *g = NULL;
	int n = pts && xs ? groups(p->ix, p->sum.nrows, K_MODE, p, speedup_rank, &g) : -ENOMEM;
	int rc = n < 0 ? n : 0, nx;

	for (int k = 0; k < n && !rc; k++) {
		const struct ent *e = &p->ix[g[k].lo];
		struct part parts[] = {
			{ "$process using 1:2:3:4 with yerrorlines lw 2 title 'process'", 0 },
			{ "$thread using 1:2:3:4 with yerrorlines lw 2 title 'thread'", 0 },
			{ "$shared using 1:2:3:4 with yerrorlines lw 2 lc rgb '#e69f00' title 'shared'", 0 },
			{ "$exec using 1:2:3:4 with yerrorlines lw 2 lc rgb '#1f78b4' title 'exec'", 0 },
			{ "x with lines lw 1 lc rgb '#999999' title 'linear (ideal)'", 0 },
		};
		char name[96], title[512], w[40];
		FILE *f;

		slug(w, sizeof(w), e->s[K_WL]);
		util_strfmt(name, sizeof(name), "speedup_%s_%d", w, k + 1);
		util_strfmt(title, sizeof(title), "%s (%s, pin %s): speedup over 1 worker", e->s[K_WL],
		       e->s[K_PARAMS], e->s[K_PIN]);
		f = script(p, name, title, "workers", "speedup (throughput at n / at 1 worker)");
		if (!f) {
			rc = -errno;
			break;
		}
		/* the chart's distinct worker counts, 1 always (the curves
		 * start at 1 1): a log2 axis for a sweep */
		pts[0] = (struct pt){ 1, 0 };
		nx = 1;
		for (int i = g[k].lo; i < g[k].hi; i++)
			pts[nx++] = (struct pt){ p->ix[i].n, 0 };
		qsort(pts, (size_t)nx, sizeof(*pts), pt_cmp);
		nx = pts_distinct(pts, nx);
		for (int j = 0; j < nx; j++)
			xs[j] = pts[j].x;
		if (util_geometric(xs, nx))
			fprintf(f, "set logscale x 2\nset xrange [1:*]\nset yrange [0:*]\n");
		else
			fprintf(f, "set xrange [0:*]\nset yrange [0:*]\n");
		for (int m = 0; m < NMODES; m++) {
			struct ent key = *e;
			struct grp s;
			int np = 0;

			key.s[K_MODE] = mode_values[m];
			s = span(p->ix, p->sum.nrows, &key, K_TEXT);
			for (int i = s.lo; i < s.hi; i++)
				pts[np++] = (struct pt){ p->ix[i].n, p->ix[i].row };
			if (np)         /* (a mode that ran) */
				parts[m].points = parts[NMODES].points =
					block(p, f, mode_values[m], "1 1 1 1\n", pts, np, 1, 1) + 1;
		}
		rc = finish(p, f, name, parts, NMODES + 1);
	}
	free(g);
	free(xs);
	free(pts);
	return rc;
}

/* Rows of memory.svg: the memory experiments (sharedread, cow, spawn),
 * each parameter set at its most workers, from the row of the first mode
 * that ran it (process, else thread, ...). */
static int memory_row(const struct plotter *p, int r)
{
	const char *wl = sum_get(p, r, K_WL);
	int first = 0;

	while (first < NMODES && cell_row(p, r, mode_values[first], "pss_kib") < 0)
		first++;
	return !strcmp(sum_get(p, r, K_METRIC), "pss_kib") && largest(p, r) &&
	       (!strcmp(wl, "sharedread") || !strcmp(wl, "cow") || !strcmp(wl, "spawn")) &&
	       first < NMODES && !strcmp(sum_get(p, r, K_MODE), mode_values[first]);
}

/* A memory.svg label, short enough to stand level under its bars: the
 * workload and the value of the parameter that varies (cow: write). */
static void memory_label(const struct plotter *p, int r, char *label, size_t len)
{
	const char *wl = sum_get(p, r, K_WL), *params = sum_get(p, r, K_PARAMS);
	const char *v = params, *semi = strchr(params, ';');

	if (!strcmp(wl, "cow") && semi)
		v = semi + 1;
	v = strchr(v, '=') ? strchr(v, '=') + 1 : v;
	util_strfmt(label, len, "%s %.*s", wl, (int)strcspn(v, ";"), v);
}

/* memory.svg: PSS and RSS sum of each mode, per cell at its most workers. */
static int plot_memory(struct plotter *p)
{
	struct part parts[] = {
		{ "$m using 2 title 'PSS, processes'", 0 },
		{ "$m using 3 title 'PSS, threads'", 0 },
		{ "$m using 4 lc rgb '#e69f00' title 'PSS, shared'", 0 },
		{ "$m using 5 lc rgb '#1f78b4' title 'PSS, exec'", 0 },
		{ "$m using 6 title 'RSS sum, processes'", 0 },
		{ "$m using 7 title 'RSS sum, threads'", 0 },
		{ "$m using 8 lc rgb '#f5c77e' title 'RSS sum, shared'", 0 },
		{ "$m using 9 lc rgb '#a6cee3' title 'RSS sum, exec'", 0 },
	};
	int rows = 0;
	FILE *f;

	for (int r = 0; r < p->sum.nrows && !rows; r++)
		rows += memory_row(p, r);
	if (!rows)
		return 0;
	f = script(p, "memory", "Memory at the end barrier: the honest total (PSS) and the naive RSS sum",
		   "experiment (at its largest worker count)", "MiB");
	if (!f)
		return -errno;
	fprintf(f, "set style data histograms\nset style histogram clustered gap 1\n"
		   "set style fill solid 0.85 border -1\nset xtics noenhanced font ',10'\n"
		   "set yrange [0:*]\n");
	/* A cluster stands at x = its line of $m (from 0): its tic there. */
	rows = 0;
	for (int r = 0; r < p->sum.nrows; r++) {
		char label[160];

		if (!memory_row(p, r))
			continue;
		memory_label(p, r, label, sizeof(label));
		fprintf(f, rows ? ", \\\n    " : "set xtics (");
		gp_string(f, label);
		fprintf(f, " %d", rows++);
	}
	fprintf(f, ")\n$m << EOD\n");
	rows = 0;
	for (int r = 0; r < p->sum.nrows; r++) {
		double v[1 + 2 * NMODES] = { rows };

		if (!memory_row(p, r))
			continue;
		for (int m = 0; m < NMODES; m++) {
			v[1 + m] = cell_med(p, r, mode_values[m], "pss_kib") / 1024;
			v[1 + NMODES + m] = cell_med(p, r, mode_values[m], "rss_sum_kib") / 1024;
		}
		point(f, v, 1 + 2 * NMODES);
		for (int i = 0; i < 2 * NMODES; i++)
			parts[i].points += isfinite(v[i + 1]) != 0;
		rows++;
	}
	fprintf(f, "EOD\n");
	return finish(p, f, "memory", parts, 2 * NMODES);
}

/* The bytes of a "heap=SIZE" parameter, or -1. */
static double heap_of(const char *params)
{
	const char *h = strstr(params, "heap=");
	char buf[32];
	uint64_t v;

	if (!h)
		return -1;
	util_strfmt(buf, sizeof(buf), "%.*s", (int)strcspn(h + 5, ";"), h + 5);
	return util_parse_u64(buf, 1, &v) == 0 ? (double)v : -1;
}

/* The rows of a workload's metric in a mode, as points at x = x(row),
 * sorted by x (gnuplot joins points in the order given).
 * Returns how many (in *out, to free), or -ENOMEM. */
static int curve(const struct plotter *p, const char *wl, const char *metric, const char *mode,
		 double (*x)(const struct plotter *p, int r), struct pt **out)
{
	struct ent key = { .s = { wl, "", "", metric, mode } };
	struct pt *pts = malloc(((size_t)p->sum.nrows + 1) * sizeof(*pts));
	struct grp s;
	int n = 0;

	if (!pts)
		return -ENOMEM;
	s = span(p->ix, p->sum.nrows, &key, K_WL + 1);
	for (int i = s.lo; i < s.hi; i++) {
		const struct ent *e = &p->ix[i];

		if (!strcmp(e->s[K_METRIC], metric) && !strcmp(e->s[K_MODE], mode))
			pts[n++] = (struct pt){ x(p, e->row), e->row };
	}
	qsort(pts, (size_t)n, sizeof(*pts), pt_sort);
	*out = pts;
	return n;
}

/* spawn.svg's x: the heap (MiB) of a cell at its most workers, else NaN. */
static double spawn_x(const struct plotter *p, int r)
{
	double h = heap_of(sum_get(p, r, K_PARAMS));

	return h >= 0 && largest(p, r) ? h / 1048576 : NAN;
}

/* cow.svg's x: the pages a worker of the cell wrote. */
static double cow_x(const struct plotter *p, int r)
{
	return cell_med(p, r, sum_get(p, r, K_MODE), "pages_written");
}

/* A chart of a workload's metric against x, a curve a mode. */
struct xy_chart {
	const char *name, *title, *xlabel, *ylabel, *setup;
	const char *workload, *metric;
	double (*x)(const struct plotter *p, int r);
	int one_per_x;          /* only the first row of each x */
	int min_x;              /* fewer xs in every mode: no chart */
	int ci;                 /* the 95% CI too */
	double scale;           /* of the metric */
	struct part parts[NMODES + 1];  /* a curve a mode, a reference (or none) */
};

static const struct xy_chart spawn_chart = {
	.name = "spawn",
	.title = "Creating the workers as the parent's memory grows (spawn)",
	.xlabel = "heap the parent touched before creating workers (MiB)",
	.ylabel = "spawn time, ms (median, 95% CI)",
	.setup = "set yrange [0:*]\n",
	.workload = "spawn", .metric = "spawn_s", .x = spawn_x,
	.one_per_x = 1, .min_x = 2, .ci = 1, .scale = 1e3,
	.parts = {
		{ "$process using 1:2:3:4 with yerrorlines lw 2 title 'fork (processes)'", 0 },
		{ "$thread using 1:2:3:4 with yerrorlines lw 2 title 'pthread_create (threads)'", 0 },
		{ "$shared using 1:2:3:4 with yerrorlines lw 2 lc rgb '#e69f00' title 'fork, shared heap (shared)'", 0 },
		{ "$exec using 1:2:3:4 with yerrorlines lw 2 lc rgb '#1f78b4' title 'posix_spawn (exec)'", 0 },
	},
};

static const struct xy_chart cow_chart = {
	.name = "cow",
	.title = "Copy-on-write: page faults of a worker against the pages it modifies (cow)",
	.xlabel = "pages written by a worker",
	.ylabel = "minor faults while writing",
	.setup = "",
	.workload = "cow", .metric = "faults_per_worker", .x = cow_x,
	.one_per_x = 0, .min_x = 1, .ci = 0, .scale = 1,
	.parts = {
		{ "$process using 1:2 with linespoints lw 2 pt 7 ps 1.5 title 'forked child (kernel copy-on-write)'", 0 },
		{ "$thread using 1:2 with linespoints lw 2 pt 5 ps 1 title 'thread (copies by hand)'", 0 },
		{ "$shared using 1:2 with linespoints lw 2 pt 9 ps 1 lc rgb '#e69f00' title 'forked child, shared heap (shared)'", 0 },
		{ "$exec using 1:2 with linespoints lw 2 pt 11 ps 1 lc rgb '#1f78b4' title 'spawned (exec)'", 0 },
		{ "x with lines lw 1 lc rgb '#999999' title 'one fault a page'", 0 },
	},
};

/* The xs (not NaN) among points sorted by x; with one_per_x, leaves only
 * the first point of each x (and none without one). */
static int distinct(struct pt *pts, int *n, int one_per_x)
{
	double prev = NAN;
	int nx = 0, kept = 0;

	for (int i = 0; i < *n; i++) {
		int first = isfinite(pts[i].x) && pts[i].x != prev;

		prev = pts[i].x;
		nx += first;
		if (first || !one_per_x)
			pts[kept++] = pts[i];
	}
	*n = kept;
	return nx;
}

/* spawn.svg (spawn time against the parent's heap) and cow.svg (faults
 * of each worker against the pages it wrote). */
static int plot_xy(struct plotter *p, const struct xy_chart *c)
{
	struct part parts[NMODES + 1];
	struct pt *pts[NMODES] = { NULL };
	int n[NMODES], nx = 0, rc = 0;
	FILE *f;

	memcpy(parts, c->parts, sizeof(parts));
	for (int m = 0; m < NMODES; m++) {
		int x;

		if ((n[m] = curve(p, c->workload, c->metric, mode_values[m], c->x, &pts[m])) < 0) {
			rc = n[m];
			goto out;
		}
		x = distinct(pts[m], &n[m], c->one_per_x);
		nx = x > nx ? x : nx;
	}
	if (nx < c->min_x)
		goto out;
	f = script(p, c->name, c->title, c->xlabel, c->ylabel);
	if (!f) {
		rc = -errno;
		goto out;
	}
	fputs(c->setup, f);
	parts[NMODES].points = 0;
	for (int m = 0; m < NMODES; m++) {
		parts[m].points = block(p, f, mode_values[m], "", pts[m], n[m], c->ci, c->scale);
		parts[NMODES].points += parts[m].points;
	}
	rc = finish(p, f, c->name, parts, parts[NMODES].spec ? NMODES + 1 : NMODES);
out:
	for (int m = 0; m < NMODES; m++)
		free(pts[m]);
	return rc;
}

/* The row of trial `id` in trials.csv, or -1. */
static int trial_row(const struct table *t, int id)
{
	return table_find_id(t, table_col(t, "trial"), id);
}

/* Whether trials a and b have the same params and pin. */
static int same_cell(const struct table *t, int a, int b)
{
	int ra = trial_row(t, a), rb = trial_row(t, b);
	int cp = table_col(t, "params"), cn = table_col(t, "pin");

	return ra >= 0 && rb >= 0 && !strcmp(table_get(t, ra, cp), table_get(t, rb, cp)) &&
	       !strcmp(table_get(t, ra, cn), table_get(t, rb, cn));
}

/* A burst chart's rank: its workload's first row in bursts.csv. */
static long bursts_rank(const void *ctx, const struct ent *ix, int lo, int hi)
{
	long first = ix[lo].row;

	(void)ctx;
	for (int i = lo; i < hi; i++)
		first = ix[i].row < first ? ix[i].row : first;
	return first;
}

/* bursts_<workload>.svg: the burst-length histogram of each mode, from
 * the traced trial of the cell with the most workers. */
static int plot_bursts(struct plotter *p)
{
	char path[PATH_MAX];
	struct table b, t;
	struct ent *ix = NULL;
	struct grp *g = NULL;
	int rc = 0, n = 0, c_trial, c_lo, c_hi, c_blocked, c_pre;

	util_strfmt(path, sizeof(path), "%s/bursts.csv", p->dir);
	if (table_read(path, &b) < 0)
		return 0;               /* no perf histogram in this folder */
	util_strfmt(path, sizeof(path), "%s/trials.csv", p->dir);
	if (table_read(path, &t) < 0) {
		table_free(&b);
		return 0;
	}
	{
		/* Sorted by workload, mode, workers, then file order. */
		int cols[K_TEXT] = { table_col(&b, "workload"), -1, -1, -1, table_col(&b, "mode") };

		ix = index_of(&b, cols, table_col(&b, "workers"));
		n = ix ? groups(ix, b.nrows, K_WL + 1, NULL, bursts_rank, &g) : -ENOMEM;
	}
	c_trial = table_col(&b, "trial");
	c_lo = table_col(&b, "bin_lo_us");
	c_hi = table_col(&b, "bin_hi_us");
	c_blocked = table_col(&b, "blocked");
	c_pre = table_col(&b, "preempted");
	rc = n < 0 ? n : 0;
	for (int k = 0; k < n && !rc; k++) {
		struct part parts[] = {
			{ "$process using 1:2 with steps lw 3 lc rgb '#7b2cbf' title 'process, ended by blocking'", 0 },
			{ "$process using 1:3 with steps lw 1.5 lc rgb '#c77dff' title 'process, preempted'", 0 },
			{ "$thread using 1:2 with steps lw 3 lc rgb '#1b7f5f' title 'thread, ended by blocking'", 0 },
			{ "$thread using 1:3 with steps lw 1.5 lc rgb '#52d1a0' title 'thread, preempted'", 0 },
			{ "$shared using 1:2 with steps lw 3 lc rgb '#e69f00' title 'shared, ended by blocking'", 0 },
			{ "$shared using 1:3 with steps lw 1.5 lc rgb '#f5c77e' title 'shared, preempted'", 0 },
			{ "$exec using 1:2 with steps lw 3 lc rgb '#1f78b4' title 'exec, ended by blocking'", 0 },
			{ "$exec using 1:3 with steps lw 1.5 lc rgb '#a6cee3' title 'exec, preempted'", 0 },
		};
		const char *wl = ix[g[k].lo].s[K_WL];
		char name[96], title[256], w[40];
		double maxn = 0;
		int ptrial = -1;
		FILE *f;

		for (int i = g[k].lo; i < g[k].hi; i++)
			maxn = ix[i].n > maxn ? ix[i].n : maxn;
		slug(w, sizeof(w), wl);
		util_strfmt(name, sizeof(name), "bursts_%s", w);
		util_strfmt(title, sizeof(title), "CPU bursts of %s, %d workers (traced repetition)", wl, (int)maxn);
		f = script(p, name, title, "burst length (log scale)", "bursts");
		if (!f) {
			rc = -errno;
			break;
		}
		fprintf(f, "set logscale x\nset yrange [0:*]\nset xrange [1:1e7]\n"
			   "set xtics ('1 us' 1, '10 us' 10, '100 us' 100, '1 ms' 1e3, '10 ms' 1e4, "
			   "'100 ms' 1e5, '1 s' 1e6, '10 s' 1e7)\n");
		for (int m = 0; m < NMODES; m++) {
			struct ent key = ix[g[k].lo];
			int trial = -1;
			struct grp s;

			/* The first traced trial of that cell and mode: the
			 * other modes' must have the process one's params and
			 * pin (bursts.csv does not say them; trials.csv does). */
			key.s[K_MODE] = mode_values[m];
			key.n = maxn;
			s = span(ix, b.nrows, &key, BY_N);
			for (int i = s.lo; i < s.hi && trial < 0; i++) {
				int id = (int)table_num(&b, ix[i].row, c_trial);

				if (m == 0 || ptrial < 0 || same_cell(&t, id, ptrial))
					trial = id;
			}
			if (m == 0)
				ptrial = trial;
			fprintf(f, "$%s << EOD\n", mode_values[m]);
			for (int i = s.lo; i < s.hi && trial >= 0; i++) {
				int r = ix[i].row;
				double lo = table_num(&b, r, c_lo), hi = table_num(&b, r, c_hi);
				double v[3] = { sqrt(lo * hi), table_num(&b, r, c_blocked), table_num(&b, r, c_pre) };

				if (table_num(&b, r, c_trial) == trial)
					parts[2 * m].points = parts[2 * m + 1].points += point(f, v, 3);
			}
			fprintf(f, "EOD\n");
		}
		rc = finish(p, f, name, parts, 2 * NMODES);
	}
	free(g);
	free(ix);
	table_free(&b);
	table_free(&t);
	return rc;
}

/* The most workers of each row's workload, params, pin and metric. */
static void most_workers(struct plotter *p)
{
	for (int lo = 0, hi; lo < p->sum.nrows; lo = hi) {
		double most = -INFINITY;

		for (hi = lo; hi < p->sum.nrows && !ent_cmp(&p->ix[hi], &p->ix[lo], K_MODE); hi++)
			most = p->ix[hi].n > most ? p->ix[hi].n : most;
		for (int i = lo; i < hi; i++)
			p->most[p->ix[i].row] = most;
	}
}

/* Reads summary.csv and indexes it; -EINVAL with err set when the folder
 * has none to read. */
static int load(struct plotter *p)
{
	char path[PATH_MAX], trials[PATH_MAX];
	int rc;

	util_strfmt(path, sizeof(path), "%s/summary.csv", p->dir);
	rc = table_read(path, &p->sum);
	util_strfmt(trials, sizeof(trials), "%s/trials.csv", p->dir);
	if (rc == -ENOENT && access(trials, F_OK) == 0) {
		/* The run ended before its analysis (killed, say). */
		util_strfmt(p->err, p->errlen, "%s has no summary.csv: run `ptbench analyze %s`, then plot again",
		       p->dir, p->dir);
		return -EINVAL;
	}
	if (rc == -EBADMSG) {
		util_strfmt(p->err, p->errlen, "%s:%d: malformed CSV", path, p->sum.bad_line);
		return -EINVAL;
	}
	if (rc < 0) {
		util_strfmt(p->err, p->errlen, "cannot read %s (a ptbench result folder?): %s", path, strerror(-rc));
		return -EINVAL;
	}
	p->cols[K_WL] = table_col(&p->sum, "workload");
	p->cols[K_PARAMS] = table_col(&p->sum, "params");
	p->cols[K_PIN] = table_col(&p->sum, "pin");
	p->cols[K_METRIC] = table_col(&p->sum, "metric");
	p->cols[K_MODE] = table_col(&p->sum, "mode");
	p->c_n = table_col(&p->sum, "workers");
	p->c_med = table_col(&p->sum, "median");
	p->c_lo = table_col(&p->sum, "ci95_lo");
	p->c_hi = table_col(&p->sum, "ci95_hi");
	p->ix = index_of(&p->sum, p->cols, p->c_n);
	p->most = malloc(((size_t)p->sum.nrows + 1) * sizeof(*p->most));
	if (!p->ix || !p->most)
		return -ENOMEM;
	most_workers(p);
	return 0;
}

int plot_dir(const char *dir, int *made, char *err, size_t errlen)
{
	struct plotter p = { .dir = dir, .err = err, .errlen = errlen };
	int rc;

	*made = 0;
	err[0] = '\0';
	util_strfmt(p.plots, sizeof(p.plots), "%s/plots", dir);
	rc = load(&p);
	if (!rc) {
		if (mkdir(p.plots, 0755) < 0 && errno != EEXIST) {
			rc = -errno;
			util_strfmt(err, errlen, "cannot create %s: %s", p.plots, strerror(-rc));
		}
	}
	if (!rc)
		rc = plot_speedup(&p);
	if (!rc)
		rc = plot_memory(&p);
	if (!rc)
		rc = plot_xy(&p, &spawn_chart);
	if (!rc)
		rc = plot_xy(&p, &cow_chart);
	if (!rc)
		rc = plot_bursts(&p);
	if (rc == -ENOENT)
		util_strfmt(err, errlen, "gnuplot not found: install the gnuplot-nox package (apt-get install gnuplot-nox)");
	else if (rc < 0 && !*err)
		util_strfmt(err, errlen, "writing charts into %s: %s", p.plots, strerror(-rc));
	*made = p.made;
	free(p.ix);
	free(p.most);
	table_free(&p.sum);
	return rc;
}
