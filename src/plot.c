/* plot.c - SVG charts of a result folder, drawn by gnuplot.
 *
 * Reads summary.csv (medians and CIs of every cell and metric), bursts.csv
 * and trials.csv; for each chart writes a self-contained gnuplot script
 * (data inlined as datablocks) into DIR/plots/ and runs gnuplot on it, so
 * a user can edit a script and run it again. gnuplot's messages go to
 * DIR/plots/gnuplot.log.
 */
#include "plot.h"
#include "csvio.h"
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

struct plotter {
	const char *dir;        /* the result folder */
	char plots[PATH_MAX];   /* its plots/ */
	struct table sum;       /* summary.csv */
	int c_wl, c_mode, c_n, c_pin, c_metric, c_med, c_lo, c_hi, c_params;
	int made;
	char *err;
	size_t errlen;
};

/* Runs gnuplot on one script; its output goes to plots/gnuplot.log. */
static int run_gnuplot(struct plotter *p, const char *script)
{
	char log[PATH_MAX];
	pid_t pid;
	int st;

	strfmt(log, sizeof(log), "%s/gnuplot.log", p->plots);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
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
		strfmt(p->err, p->errlen, "gnuplot failed on %s/%s (see %s)", p->plots, script, log);
		return -EIO;
	}
	return 0;
}

/* Opens plots/NAME.gp with the common preamble; out names the SVG. */
static FILE *script(struct plotter *p, const char *name, const char *title,
		    const char *xlabel, const char *ylabel)
{
	char path[PATH_MAX];
	FILE *f;

	strfmt(path, sizeof(path), "%s/%s.gp", p->plots, name);
	f = fopen(path, "we");
	if (!f)
		return NULL;
	fprintf(f, "# %s.gp - made by ptbench plot from %s; run `gnuplot %s.gp` to redraw.\n",
		name, p->dir, name);
	fprintf(f, "set terminal svg size 900,560 dynamic font 'sans,13' background '#ffffff'\n");
	fprintf(f, "set output '%s.svg'\n", name);
	fprintf(f, "set title \"%s\" noenhanced\n", title);
	fprintf(f, "set xlabel \"%s\" noenhanced\nset ylabel \"%s\" noenhanced\n", xlabel, ylabel);
	fprintf(f, "set grid\nset key outside right top noenhanced\n");
	return f;
}

static int finish(struct plotter *p, FILE *f, const char *name)
{
	char file[NAME_MAX];
	int rc;

	if (fclose(f) == EOF)
		return -EIO;
	strfmt(file, sizeof(file), "%s.gp", name);
	rc = run_gnuplot(p, file);
	if (!rc)
		p->made++;
	return rc;
}

/* summary.csv rows of one metric, for one workload (NULL: any). */
static int match(const struct plotter *p, int r, const char *metric, const char *wl)
{
	return !strcmp(table_get(&p->sum, r, p->c_metric), metric) &&
	       (!wl || !strcmp(table_get(&p->sum, r, p->c_wl), wl));
}

static int mode_is(const struct plotter *p, int r, const char *mode)
{
	return !strcmp(table_get(&p->sum, r, p->c_mode), mode);
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

/* speedup_<workload>_<k>.svg: speedup against workers, both modes, and
 * the linear ideal; one chart per workload, parameter set and pin. */
static int plot_speedup(struct plotter *p)
{
	int rc = 0, k = 0;

	for (int r = 0; r < p->sum.nrows && !rc; r++) {
		const char *wl = table_get(&p->sum, r, p->c_wl), *params = table_get(&p->sum, r, p->c_params);
		const char *pin = table_get(&p->sum, r, p->c_pin);
		char name[96], title[512], w[40];
		int first = 1;
		FILE *f;

		if (!match(p, r, "speedup", NULL) || !mode_is(p, r, "process"))
			continue;
		for (int q = 0; q < r && first; q++)
			first = !(match(p, q, "speedup", wl) && mode_is(p, q, "process") &&
				  !strcmp(table_get(&p->sum, q, p->c_params), params) &&
				  !strcmp(table_get(&p->sum, q, p->c_pin), pin));
		if (!first)
			continue;
		slug(w, sizeof(w), wl);
		strfmt(name, sizeof(name), "speedup_%s_%d", w, ++k);
		strfmt(title, sizeof(title), "%s (%s, pin %s): speedup over 1 worker", wl, params, pin);
		f = script(p, name, title, "workers", "speedup (throughput at n / at 1 worker)");
		if (!f)
			return -errno;
		fprintf(f, "set xrange [0:*]\nset yrange [0:*]\n");
		for (int m = 0; m < 2; m++) {
			const char *mode = m ? "thread" : "process";

			fprintf(f, "$%s << EOD\n1 1 1 1\n", mode);
			for (int q = 0; q < p->sum.nrows; q++) {
				double lo = table_num(&p->sum, q, p->c_lo), hi = table_num(&p->sum, q, p->c_hi);
				double med = table_num(&p->sum, q, p->c_med);

				if (!match(p, q, "speedup", wl) || !mode_is(p, q, mode) ||
				    strcmp(table_get(&p->sum, q, p->c_params), params) ||
				    strcmp(table_get(&p->sum, q, p->c_pin), pin))
					continue;
				fprintf(f, "%s %g %g %g\n", table_get(&p->sum, q, p->c_n), med,
					isnan(lo) ? med : lo, isnan(hi) ? med : hi);
			}
			fprintf(f, "EOD\n");
		}
		fprintf(f, "plot $process using 1:2:3:4 with yerrorlines lw 2 title 'process', \\\n"
			   "     $thread using 1:2:3:4 with yerrorlines lw 2 title 'thread', \\\n"
			   "     x with lines lw 1 lc rgb '#999999' title 'linear (ideal)'\n");
		rc = finish(p, f, name);
	}
	return rc;
}

/* The median of a metric in the cell of row r (same workload, params,
 * workers, pin), in a mode; NaN when absent. */
static double cell_med(const struct plotter *p, int r, const char *mode, const char *metric)
{
	for (int q = 0; q < p->sum.nrows; q++)
		if (match(p, q, metric, table_get(&p->sum, r, p->c_wl)) && mode_is(p, q, mode) &&
		    !strcmp(table_get(&p->sum, q, p->c_params), table_get(&p->sum, r, p->c_params)) &&
		    !strcmp(table_get(&p->sum, q, p->c_pin), table_get(&p->sum, r, p->c_pin)) &&
		    !strcmp(table_get(&p->sum, q, p->c_n), table_get(&p->sum, r, p->c_n)))
			return table_num(&p->sum, q, p->c_med);
	return NAN;
}

/* Is row r the cell of its workload, params and pin with the most workers? */
static int largest(const struct plotter *p, int r)
{
	double n = table_num(&p->sum, r, p->c_n);

	for (int q = 0; q < p->sum.nrows; q++)
		if (match(p, q, table_get(&p->sum, r, p->c_metric), table_get(&p->sum, r, p->c_wl)) &&
		    !strcmp(table_get(&p->sum, q, p->c_params), table_get(&p->sum, r, p->c_params)) &&
		    !strcmp(table_get(&p->sum, q, p->c_pin), table_get(&p->sum, r, p->c_pin)) &&
		    table_num(&p->sum, q, p->c_n) > n)
			return 0;
	return 1;
}

/* Rows of memory.svg: the memory experiments (sharedread, cow, spawn),
 * each parameter set at its most workers. */
static int memory_row(const struct plotter *p, int r)
{
	const char *wl = table_get(&p->sum, r, p->c_wl);

	return match(p, r, "pss_kib", NULL) && mode_is(p, r, "process") && largest(p, r) &&
	       (!strcmp(wl, "sharedread") || !strcmp(wl, "cow") || !strcmp(wl, "spawn"));
}

/* memory.svg: PSS and RSS sum of each mode, per cell at its most workers. */
static int plot_memory(struct plotter *p)
{
	int rows = 0;
	FILE *f;

	for (int r = 0; r < p->sum.nrows; r++)
		rows += memory_row(p, r);
	if (!rows)
		return 0;
	f = script(p, "memory", "Memory at the end barrier: the honest total (PSS) and the naive RSS sum",
		   "experiment (at its largest worker count)", "MiB");
	if (!f)
		return -errno;
	fprintf(f, "set style data histograms\nset style histogram clustered gap 1\n"
		   "set style fill solid 0.85 border -1\nset xtics noenhanced font ',10'\n"
		   "set yrange [0:*]\n$m << EOD\n");
	for (int r = 0; r < p->sum.nrows; r++) {
		char label[160];

		const char *params = table_get(&p->sum, r, p->c_params);

		if (!memory_row(p, r))
			continue;
		/* Short enough to stand level under its bars: the workload and
		 * the value of the parameter that varies (cow: write). */
		{
			const char *v = params, *semi = strchr(params, ';');

			if (!strcmp(table_get(&p->sum, r, p->c_wl), "cow") && semi)
				v = semi + 1;
			v = strchr(v, '=') ? strchr(v, '=') + 1 : v;
			strfmt(label, sizeof(label), "%s %.*s", table_get(&p->sum, r, p->c_wl),
			       (int)strcspn(v, ";"), v);
		}
		for (char *c = label; *c; c++)
			if (*c == '"')
				*c = '\'';
		fprintf(f, "\"%s\" %g %g %g %g\n", label,
			cell_med(p, r, "process", "pss_kib") / 1024, cell_med(p, r, "thread", "pss_kib") / 1024,
			cell_med(p, r, "process", "rss_sum_kib") / 1024,
			cell_med(p, r, "thread", "rss_sum_kib") / 1024);
	}
	fprintf(f, "EOD\nplot $m using 2:xtic(1) title 'PSS, processes', '' using 3 title 'PSS, threads', \\\n"
		   "     '' using 4 title 'RSS sum, processes', '' using 5 title 'RSS sum, threads'\n");
	return finish(p, f, "memory");
}

/* The bytes of a "heap=SIZE" parameter, or -1. */
static double heap_of(const char *params)
{
	const char *h = strstr(params, "heap=");
	char buf[32];
	uint64_t v;

	if (!h)
		return -1;
	strfmt(buf, sizeof(buf), "%.*s", (int)strcspn(h + 5, ";"), h + 5);
	return parse_u64(buf, 1, &v) == 0 ? (double)v : -1;
}

/* spawn.svg: time to create the workers against the parent's heap. */
static int plot_spawn(struct plotter *p)
{
	int points = 0;
	FILE *f;

	for (int r = 0; r < p->sum.nrows; r++)
		points += match(p, r, "spawn_s", "spawn") && mode_is(p, r, "process") &&
			  heap_of(table_get(&p->sum, r, p->c_params)) >= 0 && largest(p, r);
	if (points < 2)
		return 0;
	f = script(p, "spawn", "Creating the workers as the parent's memory grows (spawn)",
		   "heap the parent touched before creating workers (MiB)",
		   "spawn time, ms (median, 95% CI)");
	if (!f)
		return -errno;
	fprintf(f, "set yrange [0:*]\n");
	for (int m = 0; m < 2; m++) {
		const char *mode = m ? "thread" : "process";
		double done[64];
		int nd = 0;

		fprintf(f, "$%s << EOD\n", mode);
		/* Points in heap order (gnuplot joins them in file order). */
		for (;;) {
			int best = -1;
			double bh = 0;

			for (int r = 0; r < p->sum.nrows; r++) {
				double h = heap_of(table_get(&p->sum, r, p->c_params));
				int seen = 0;

				if (!match(p, r, "spawn_s", "spawn") || !mode_is(p, r, mode) || h < 0 ||
				    !largest(p, r))
					continue;
				for (int k = 0; k < nd; k++)
					seen |= done[k] == h;
				if (!seen && (best < 0 || h < bh)) {
					best = r;
					bh = h;
				}
			}
			if (best < 0 || nd == 64)
				break;
			done[nd++] = bh;
			fprintf(f, "%g %g %g %g\n", bh / 1048576,
				table_num(&p->sum, best, p->c_med) * 1e3,
				(isnan(table_num(&p->sum, best, p->c_lo)) ? table_num(&p->sum, best, p->c_med)
				 : table_num(&p->sum, best, p->c_lo)) * 1e3,
				(isnan(table_num(&p->sum, best, p->c_hi)) ? table_num(&p->sum, best, p->c_med)
				 : table_num(&p->sum, best, p->c_hi)) * 1e3);
		}
		fprintf(f, "EOD\n");
	}
	fprintf(f, "plot $process using 1:2:3:4 with yerrorlines lw 2 title 'fork (processes)', \\\n"
		   "     $thread using 1:2:3:4 with yerrorlines lw 2 title 'pthread_create (threads)'\n");
	return finish(p, f, "spawn");
}

/* cow.svg: faults of each worker against the pages it wrote. */
static int plot_cow(struct plotter *p)
{
	int points = 0;
	FILE *f;

	for (int r = 0; r < p->sum.nrows; r++)
		points += match(p, r, "faults_per_worker", "cow");
	if (!points)
		return 0;
	f = script(p, "cow", "Copy-on-write: page faults of a worker against the pages it modifies (cow)",
		   "pages written by a worker", "minor faults while writing");
	if (!f)
		return -errno;
	for (int m = 0; m < 2; m++) {
		const char *mode = m ? "thread" : "process";

		double x[256], y[256];
		int n = 0;

		for (int r = 0; r < p->sum.nrows && n < 256; r++)
			if (match(p, r, "faults_per_worker", "cow") && mode_is(p, r, mode)) {
				x[n] = cell_med(p, r, mode, "pages_written");
				y[n++] = table_num(&p->sum, r, p->c_med);
			}
		/* gnuplot joins points in the order given: by pages written. */
		for (int i = 1; i < n; i++)
			for (int j = i; j > 0 && x[j - 1] > x[j]; j--) {
				double tx = x[j], ty = y[j];

				x[j] = x[j - 1];
				y[j] = y[j - 1];
				x[j - 1] = tx;
				y[j - 1] = ty;
			}
		fprintf(f, "$%s << EOD\n", mode);
		for (int i = 0; i < n; i++)
			fprintf(f, "%g %g\n", x[i], y[i]);
		fprintf(f, "EOD\n");
	}
	fprintf(f, "plot $process using 1:2 with linespoints lw 2 pt 7 ps 1.5 title 'forked child (kernel copy-on-write)', \\\n"
		   "     $thread using 1:2 with linespoints lw 2 pt 5 ps 1 title 'thread (copies by hand)', \\\n"
		   "     x with lines lw 1 lc rgb '#999999' title 'one fault a page'\n");
	return finish(p, f, "cow");
}

/* The row of trial `id` in trials.csv, or -1. */
static int trial_row(const struct table *t, int id)
{
	int c = table_col(t, "trial");

	if (id >= 1 && id <= t->nrows && table_num(t, id - 1, c) == id)
		return id - 1;          /* trials are numbered in order */
	for (int r = 0; r < t->nrows; r++)
		if (table_num(t, r, c) == id)
			return r;
	return -1;
}

/* Whether trials a and b have the same params and pin. */
static int same_cell(const struct table *t, int a, int b)
{
	int ra = trial_row(t, a), rb = trial_row(t, b);
	int cp = table_col(t, "params"), cn = table_col(t, "pin");

	return ra >= 0 && rb >= 0 && !strcmp(table_get(t, ra, cp), table_get(t, rb, cp)) &&
	       !strcmp(table_get(t, ra, cn), table_get(t, rb, cn));
}

/* bursts_<workload>.svg: the burst-length histogram of each mode, from
 * the traced trial of the cell with the most workers. */
static int plot_bursts(struct plotter *p)
{
	char path[PATH_MAX];
	struct table b, t;
	int rc = 0;

	strfmt(path, sizeof(path), "%s/bursts.csv", p->dir);
	if (table_read(path, &b) < 0)
		return 0;               /* no perf histogram in this folder */
	strfmt(path, sizeof(path), "%s/trials.csv", p->dir);
	if (table_read(path, &t) < 0) {
		table_free(&b);
		return 0;
	}
	for (int r = 0; r < b.nrows && !rc; r++) {
		const char *wl = table_get(&b, r, table_col(&b, "workload"));
		int first = 1, maxn = 0, ptrial = -1;
		char name[96], title[256], w[40];
		FILE *f;

		for (int q = 0; q < r && first; q++)
			first = strcmp(table_get(&b, q, table_col(&b, "workload")), wl) != 0;
		if (!first)
			continue;
		for (int q = 0; q < b.nrows; q++)
			if (!strcmp(table_get(&b, q, table_col(&b, "workload")), wl) &&
			    table_num(&b, q, table_col(&b, "workers")) > maxn)
				maxn = (int)table_num(&b, q, table_col(&b, "workers"));
		slug(w, sizeof(w), wl);
		strfmt(name, sizeof(name), "bursts_%s", w);
		strfmt(title, sizeof(title), "CPU bursts of %s, %d workers (traced repetition)", wl, maxn);
		f = script(p, name, title, "burst length (log scale)", "bursts");
		if (!f) {
			rc = -errno;
			break;
		}
		fprintf(f, "set logscale x\nset yrange [0:*]\nset xrange [1:1e7]\n"
			   "set xtics ('1 us' 1, '10 us' 10, '100 us' 100, '1 ms' 1e3, '10 ms' 1e4, "
			   "'100 ms' 1e5, '1 s' 1e6, '10 s' 1e7)\n");
		for (int m = 0; m < 2; m++) {
			const char *mode = m ? "thread" : "process";
			int trial = -1;

			/* The first traced trial of that cell and mode: the
			 * thread one must have the process one's params and pin
			 * (bursts.csv does not say them; trials.csv does). */
			for (int q = 0; q < b.nrows && trial < 0; q++) {
				int id = (int)table_num(&b, q, table_col(&b, "trial"));

				if (strcmp(table_get(&b, q, table_col(&b, "workload")), wl) ||
				    strcmp(table_get(&b, q, table_col(&b, "mode")), mode) ||
				    table_num(&b, q, table_col(&b, "workers")) != maxn)
					continue;
				if (m == 0) {
					ptrial = id;
					trial = id;
				} else if (same_cell(&t, id, ptrial)) {
					trial = id;
				}
			}
			fprintf(f, "$%s << EOD\n", mode);
			for (int q = 0; q < b.nrows; q++) {
				double lo = table_num(&b, q, table_col(&b, "bin_lo_us"));
				double hi = table_num(&b, q, table_col(&b, "bin_hi_us"));

				if (table_num(&b, q, table_col(&b, "trial")) != trial)
					continue;
				fprintf(f, "%g %g %g\n", sqrt(lo * hi),
					table_num(&b, q, table_col(&b, "blocked")),
					table_num(&b, q, table_col(&b, "preempted")));
			}
			fprintf(f, "EOD\n");
		}
		fprintf(f, "plot $process using 1:2 with steps lw 3 lc rgb '#7b2cbf' title 'process, ended by blocking', \\\n"
			   "     $process using 1:3 with steps lw 1.5 lc rgb '#c77dff' title 'process, preempted', \\\n"
			   "     $thread using 1:2 with steps lw 3 lc rgb '#1b7f5f' title 'thread, ended by blocking', \\\n"
			   "     $thread using 1:3 with steps lw 1.5 lc rgb '#52d1a0' title 'thread, preempted'\n");
		rc = finish(p, f, name);
	}
	table_free(&b);
	table_free(&t);
	return rc;
}

int plot_dir(const char *dir, int *made, char *err, size_t errlen)
{
	struct plotter p = { .dir = dir, .err = err, .errlen = errlen };
	char path[PATH_MAX];
	int rc;

	*made = 0;
	err[0] = '\0';
	strfmt(path, sizeof(path), "%s/summary.csv", dir);
	rc = table_read(path, &p.sum);
	if (rc == -EBADMSG) {
		strfmt(err, errlen, "%s:%d: malformed CSV", path, p.sum.bad_line);
		return -EINVAL;
	}
	if (rc < 0) {
		strfmt(err, errlen, "cannot read %s (a ptbench result folder?): %s", path, strerror(-rc));
		return -EINVAL;
	}
	p.c_wl = table_col(&p.sum, "workload");
	p.c_mode = table_col(&p.sum, "mode");
	p.c_n = table_col(&p.sum, "workers");
	p.c_pin = table_col(&p.sum, "pin");
	p.c_metric = table_col(&p.sum, "metric");
	p.c_med = table_col(&p.sum, "median");
	p.c_lo = table_col(&p.sum, "ci95_lo");
	p.c_hi = table_col(&p.sum, "ci95_hi");
	p.c_params = table_col(&p.sum, "params");
	strfmt(p.plots, sizeof(p.plots), "%s/plots", dir);
	if (mkdir(p.plots, 0755) < 0 && errno != EEXIST) {
		rc = -errno;
		strfmt(err, errlen, "cannot create %s: %s", p.plots, strerror(-rc));
		table_free(&p.sum);
		return rc;
	}
	rc = plot_speedup(&p);
	if (!rc)
		rc = plot_memory(&p);
	if (!rc)
		rc = plot_spawn(&p);
	if (!rc)
		rc = plot_cow(&p);
	if (!rc)
		rc = plot_bursts(&p);
	if (rc == -ENOENT)
		strfmt(err, errlen, "gnuplot not found: install the gnuplot-nox package (apt-get install gnuplot-nox)");
	else if (rc < 0 && !*err)
		strfmt(err, errlen, "writing charts into %s: %s", p.plots, strerror(-rc));
	*made = p.made;
	table_free(&p.sum);
	return rc;
}
