/* claims.c - the lecture note's claims, each decided from measurements.
 *
 * A comparison is one cell and metric: thread/process ratio of medians and
 * its bootstrap 95% CI. It counts as a difference only when the CI lies
 * wholly outside 1 +- noise; otherwise the two modes are the same. A claim
 * is `not_measured` (with the reason) when its workloads did not run or a
 * side has fewer than two counted repetitions - never guessed.
 */
#include "claims.h"
#include "csvio.h"
#include "schema.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct claim_out {
	char workload[32], metric[40], unit[16];
	double process, thread, ratio, lo, hi;
	const char *verdict;
	char evidence[1536];
};

struct claim_def {
	const char *id, *side, *statement;
	void (*decide)(const struct dataset *d, double noise, struct claim_out *o);
};

char *fmt_value(double v, const char *unit, char *buf, size_t len)
{
	double a = fabs(v);

	if (isnan(v))
		return strfmt(buf, len, "n/a");
	if (strcmp(unit, "s") == 0) {
		if (a < 1e-3)
			return strfmt(buf, len, "%.3g us", v * 1e6);
		if (a < 1)
			return strfmt(buf, len, "%.3g ms", v * 1e3);
		return strfmt(buf, len, "%.3g s", v);
	}
	if (strcmp(unit, "us") == 0 && a >= 1000)
		return strfmt(buf, len, "%.3g ms", v / 1e3);
	if (strcmp(unit, "KiB") == 0) {
		if (a >= 1024 * 1024)
			return strfmt(buf, len, "%.3g GiB", v / 1048576);
		if (a >= 1024)
			return strfmt(buf, len, "%.3g MiB", v / 1024);
		return strfmt(buf, len, "%.3g KiB", v);
	}
	if (strcmp(unit, "x") == 0)
		return strfmt(buf, len, "%.3gx", v);
	if (strcmp(unit, "fraction") == 0)
		return strfmt(buf, len, "%.3g", v);
	return strfmt(buf, len, "%.4g%s%s", v, *unit ? " " : "", unit);
}

/* A verdict rests on intervals from at least this many counted values a
 * side: with fewer, a bootstrap interval is far narrower than 95%. */
#define MIN_REPS 3

/* Where a ratio's CI lies against 1 +- noise. */
enum dir {
	D_LOWER = -1,           /* wholly below: thread lower */
	D_SAME = 0,             /* wholly inside: no difference */
	D_HIGHER = 1,           /* wholly above: thread higher */
	D_NOCI = 2,             /* no interval (too few values, a zero median) */
	D_UNSURE = 3,           /* crosses a band edge: inconclusive */
};

static enum dir classify(double lo, double hi, double noise)
{
	if (isnan(lo) || isnan(hi))
		return D_NOCI;
	if (lo > 1 + noise)
		return D_HIGHER;
	if (hi < 1 - noise)
		return D_LOWER;
	if (lo >= 1 - noise && hi <= 1 + noise)
		return D_SAME;
	return D_UNSURE;
}

/* One thread-vs-process comparison. */
struct cmp {
	const struct series *p, *t;
	double ratio, lo, hi;
	enum dir dir;
	int zero;               /* a side's median is zero: no ratio */
};

static int compare(const struct dataset *d, const struct series *p, double noise,
		   struct cmp *c)
{
	memset(c, 0, sizeof(*c));
	c->p = p;
	c->t = dataset_find(d, p->workload, p->params, p->pin, p->workers, MODE_THREAD, p->metric);
	if (!c->t)
		return -ENOENT;
	c->zero = versus_ratio(d, p, c->t, &c->ratio, &c->lo, &c->hi) == -EDOM;
	c->dir = p->s.n < MIN_REPS || c->t->s.n < MIN_REPS ? D_NOCI : classify(c->lo, c->hi, noise);
	return 0;
}

/* Appends printf text to the evidence. */
static void say(struct claim_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(struct claim_out *o, const char *fmt, ...)
{
	size_t n = strlen(o->evidence);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->evidence + n, sizeof(o->evidence) - n, fmt, ap);
	va_end(ap);
}

/* "thread 0.12 ms vs process 0.79 ms at heap=256M n=2, ratio 0.15 [0.13, 0.17]" */
static void say_cmp(struct claim_out *o, const char *what, const struct cmp *c)
{
	char a[32], b[32];

	say(o, "%s%s: thread %s vs process %s", *o->evidence ? "; " : "", what,
	    fmt_value(c->t->s.median, c->t->unit, a, sizeof(a)),
	    fmt_value(c->p->s.median, c->p->unit, b, sizeof(b)));
	if (*c->p->params)
		say(o, " at %s n=%d", c->p->params, c->p->workers);
	else
		say(o, " at n=%d", c->p->workers);
	if (c->zero)
		say(o, ", no ratio (the process median is zero)");
	else if (c->dir == D_NOCI)
		say(o, ", ratio %.3g (not decided: fewer than %d repetitions a side)", c->ratio, MIN_REPS);
	else
		say(o, ", ratio %.3g [%.3g, %.3g]%s", c->ratio, c->lo, c->hi,
		    c->dir == D_UNSURE ? " (inconclusive)" : "");
}

/* Puts a comparison in the row's number columns. */
static void use_cmp(struct claim_out *o, const struct cmp *c)
{
	strfmt(o->workload, sizeof(o->workload), "%s", c->p->workload);
	strfmt(o->metric, sizeof(o->metric), "%s", c->p->metric);
	strfmt(o->unit, sizeof(o->unit), "%s", c->p->unit);
	o->process = c->p->s.median;
	o->thread = c->t->s.median;
	o->ratio = c->ratio;
	o->lo = c->lo;
	o->hi = c->hi;
}

static void not_measured(struct claim_out *o, const char *why)
{
	o->verdict = "not_measured";
	strfmt(o->evidence, sizeof(o->evidence), "%s", why);
	o->workload[0] = o->metric[0] = o->unit[0] = '\0';
	o->process = o->thread = o->ratio = o->lo = o->hi = NAN;
}

/* The verdict from counts of decided comparisons: `yes` went the way the
 * claim says, `no` the other way, `same` lay wholly inside the noise band,
 * `unsure` crossed its edge. An inconclusive comparison never counts as
 * "the same": no difference needs at least one comparison wholly inside
 * the band and none beyond it (or as many one way as the other); with
 * only inconclusive ones the claim is not decided. */
static void verdict_of(struct claim_out *o, int yes, int no, int same, int unsure)
{
	(void)unsure;           /* reported in the evidence, never counted */
	if (yes > no)
		o->verdict = "supported";
	else if (no > yes)
		o->verdict = "refuted";
	else if (yes > 0 || same > 0)
		o->verdict = "no_difference";
	else
		o->verdict = "not_measured";
}

/* Comparisons of `metric` in `workload`, one per parameter set and pin,
 * at the largest worker count measured in both modes. Returns how many
 * (at most max). */
static int cmps_at_max(const struct dataset *d, const char *workload,
		       const char *metric, double noise, struct cmp *out, int max)
{
	int n = 0;

	for (size_t i = 0; i < d->n && n < max; i++) {
		const struct series *s = &d->s[i];
		int larger = 0;

		if (s->mode != MODE_PROCESS || strcmp(s->workload, workload) ||
		    strcmp(s->metric, metric) ||
		    !dataset_find(d, workload, s->params, s->pin, s->workers, MODE_THREAD, metric))
			continue;
		/* Skip it if the same set has a larger count in both modes. */
		for (size_t j = 0; j < d->n && !larger; j++) {
			const struct series *x = &d->s[j];

			larger = x->mode == MODE_PROCESS && x->workers > s->workers &&
				 !strcmp(x->workload, workload) && !strcmp(x->metric, metric) &&
				 !strcmp(x->params, s->params) && !strcmp(x->pin, s->pin) &&
				 dataset_find(d, workload, x->params, x->pin, x->workers, MODE_THREAD, metric);
		}
		if (!larger && compare(d, s, noise, &out[n]) == 0)
			n++;
	}
	return n;
}

/* A verdict from comparisons where `good` (+1 or -1) is the direction in
 * which the claim holds for threads. The row shows the comparison with the
 * largest decided effect (or the first). */
static void tally(struct claim_out *o, const struct cmp *c, int n, int good)
{
	int yes = 0, no = 0, same = 0, unsure = 0, show = 0;
	double best = -1;

	for (int i = 0; i < n; i++) {
		double effect = fabs(log(c[i].ratio));

		if ((int)c[i].dir == good)
			yes++;
		else if ((int)c[i].dir == -good)
			no++;
		else if (c[i].dir == D_SAME)
			same++;
		else if (c[i].dir == D_UNSURE)
			unsure++;
		if ((c[i].dir == D_LOWER || c[i].dir == D_HIGHER) && effect > best) {
			best = effect;
			show = i;
		}
	}
	use_cmp(o, &c[show]);
	say(o, ". Threads %s in %d, %s in %d, the same (inside the noise band) in %d, inconclusive in %d of %d comparisons",
	    good < 0 ? "lower" : "higher", yes, good < 0 ? "higher" : "lower", no, same, unsure, n);
	verdict_of(o, yes, no, same, unsure);
	if (!strcmp(o->verdict, "not_measured"))
		say(o, " - undecided: run more repetitions (at least %d; the default -r 5)", MIN_REPS);
}

/* threads: "faster runtime?" - creation, switching and whole runs. */
static void decide_faster(const struct dataset *d, double noise, struct claim_out *o)
{
	static const struct { const char *wl, *metric, *what; } probes[] = {
		{ "spawn", "spawn_s", "create N workers (spawn)" },
		{ "spawn", "join_s", "join N workers (spawn)" },
		{ "pingpong", "roundtrip_us", "round trip (pingpong)" },
		{ "cpu", "wall_s", "compute (cpu)" },
	};
	struct cmp c[32];
	int n = 0;

	for (size_t k = 0; k < ARRAY_SIZE(probes); k++) {
		int got = cmps_at_max(d, probes[k].wl, probes[k].metric, noise, c + n,
				      (int)ARRAY_SIZE(c) - n);

		for (int i = n; i < n + got; i++)
			say_cmp(o, probes[k].what, &c[i]);
		n += got;
	}
	if (!n) {
		not_measured(o, "needs spawn, pingpong or cpu run in both modes");
		return;
	}
	tally(o, c, n, -1);
}

/* Median of another metric or mode in the same cell as s. */
static double sibling(const struct dataset *d, const struct series *s, int mode,
		      const char *metric)
{
	const struct series *x = dataset_find(d, s->workload, s->params, s->pin,
					      s->workers, mode, metric);

	return x && x->s.n ? x->s.median : NAN;
}

/* The process-mode series of `metric` in `wl` at the largest worker count
 * (2 or more) that both modes measured, with 1-worker cells in both modes
 * of the same parameters and pin. NULL when there is none. */
static const struct series *scale_cell(const struct dataset *d, const char *wl,
				       const char *metric, const char *base)
{
	const struct series *best = NULL;

	/* base: the metric whose 1-worker cells must exist (speedup is
	 * derived from ops_per_s and has no 1-worker cell of its own). */
	for (size_t i = 0; i < d->n; i++) {
		const struct series *s = &d->s[i];

		if (s->mode != MODE_PROCESS || s->workers < 2 || strcmp(s->workload, wl) ||
		    strcmp(s->metric, metric) || (best && s->workers <= best->workers) ||
		    !dataset_find(d, wl, s->params, s->pin, s->workers, MODE_THREAD, metric) ||
		    !dataset_find(d, wl, s->params, s->pin, 1, MODE_PROCESS, base) ||
		    !dataset_find(d, wl, s->params, s->pin, 1, MODE_THREAD, base))
			continue;
		best = s;
	}
	return best;
}

/* Scaling in one mode of the cell `p` describes: its speedup series (cpu:
 * the summary's own median and CI), or the ratio n-worker / 1-worker of a
 * metric (membw: total bandwidth). Sets *n to the fewest values a side. */
static void scaling(const struct dataset *d, const struct series *p, int mode, double *r,
		    double *lo, double *hi, size_t *n)
{
	const struct series *sn = dataset_find(d, p->workload, p->params, p->pin, p->workers,
					       mode, p->metric);
	const struct series *s1 = dataset_find(d, p->workload, p->params, p->pin, 1, mode, p->metric);

	*r = *lo = *hi = NAN;
	*n = 0;
	if (!sn)
		return;
	if (!sn->v) {           /* derived: speedup */
		*r = sn->s.median;
		*lo = sn->s.ci_lo;
		*hi = sn->s.ci_hi;
		*n = sn->s.n;
	} else if (s1 && s1->v) {
		stats_ratio(sn->v, sn->n, s1->v, s1->n, series_seed(sn) ^ 0x5eed, r, lo, hi);
		*n = sn->n < s1->n ? sn->n : s1->n;
	}
}

/* threads: "parallel programming" - more workers, more done, per mode:
 * cpu's speedup (throughput at n over 1 worker: the work is split), and
 * membw's total bandwidth at n over 1 worker (each worker has its own). */
static void decide_parallel(const struct dataset *d, double noise, struct claim_out *o)
{
	int decided = 0, gain = 0;

	for (int k = 0; k < 2; k++) {
		const struct series *p = k ? scale_cell(d, "membw", "gbps", "gbps")
					   : scale_cell(d, "cpu", "speedup", "ops_per_s");
		double r[2], lo[2], hi[2];
		size_t n[2];
		struct cmp c;

		if (!p)
			continue;
		for (int m = 0; m < MODE_N; m++)
			scaling(d, p, m, &r[m], &lo[m], &hi[m], &n[m]);
		if (k == 0)
			say(o, "%scpu at n=%d: thread speedup %.3gx [%.3g, %.3g] (efficiency %.0f%%), process %.3gx [%.3g, %.3g]",
			    *o->evidence ? "; " : "", p->workers, r[1], lo[1], hi[1],
			    100 * r[1] / p->workers, r[0], lo[0], hi[0]);
		else
			say(o, "%smembw at n=%d: thread bandwidth %.3g GB/s, %.3gx of 1 worker [%.3g, %.3g]; process %.3g GB/s, %.3gx [%.3g, %.3g]",
			    *o->evidence ? "; " : "", p->workers,
			    sibling(d, p, MODE_THREAD, "gbps"), r[1], lo[1], hi[1],
			    p->s.median, r[0], lo[0], hi[0]);
		if (compare(d, p, noise, &c) == 0) {
			if (c.dir != D_NOCI)
				say(o, "; thread/process %.3g [%.3g, %.3g]", c.ratio, c.lo, c.hi);
			if (!decided)
				use_cmp(o, &c);
		}
		decided++;
		/* A gain only when the whole CI is above 1 + noise; none only
		 * when the whole CI is at or below it; in between, undecided. */
		if (n[1] < MIN_REPS)
			continue;
		if (!isnan(lo[1]) && lo[1] > 1 + noise)
			gain |= 1;
		else if (!isnan(hi[1]) && hi[1] <= 1 + noise)
			gain |= 2;
	}
	if (!decided) {
		not_measured(o, "needs cpu or membw at 1 worker and at more, in both modes");
		return;
	}
	if (gain & 1) {
		o->verdict = "supported";
		say(o, " - threads run in parallel; so do processes, see their numbers");
	} else if (gain & 2) {
		o->verdict = "refuted";
		say(o, " - no gain beyond noise with more threads");
	} else {
		o->verdict = "not_measured";
		say(o, " - undecided: the intervals are too wide or rest on fewer than %d repetitions; run more",
		    MIN_REPS);
	}
}

/* threads: "less overall OS memory usage" - PSS plus page tables. */
static void decide_memory(const struct dataset *d, double noise, struct claim_out *o)
{
	static const char *const wls[] = { "sharedread", "cow", "spawn" };
	struct cmp c[32];
	int n = 0;

	for (size_t k = 0; k < ARRAY_SIZE(wls); k++) {
		int got = cmps_at_max(d, wls[k], "pss_pte_kib", noise, c + n,
				      (int)ARRAY_SIZE(c) - n);

		for (int i = n; i < n + got; i++) {
			char what[64], a[32], b[32];
			double rss = sibling(d, c[i].p, MODE_PROCESS, "rss_sum_kib");
			double dpw = (c[i].p->s.median - c[i].t->s.median) / c[i].p->workers;

			strfmt(what, sizeof(what), "PSS+page tables (%s)", wls[k]);
			say_cmp(o, what, &c[i]);
			say(o, " - %s more a process worker; the naive RSS sum says process %s",
			    fmt_value(dpw, "KiB", a, sizeof(a)), fmt_value(rss, "KiB", b, sizeof(b)));
		}
		n += got;
	}
	if (!n) {
		not_measured(o, "needs sharedread, cow or spawn run in both modes");
		return;
	}
	tally(o, c, n, -1);
}

/* fork: "pages are copied only when written". */
static void decide_cow(const struct dataset *d, double noise, struct claim_out *o)
{
	int cows = 0, good = 0, shared = 0, sharing = 0;

	(void)noise;
	for (size_t i = 0; i < d->n; i++) {
		const struct series *f = &d->s[i];
		double pages, faults;
		struct cmp c;

		if (f->mode != MODE_PROCESS || strcmp(f->workload, "cow") ||
		    strcmp(f->metric, "faults_per_worker") ||
		    dataset_find(d, "cow", f->params, f->pin, -1, MODE_PROCESS, f->metric) != f)
			continue;
		pages = sibling(d, f, MODE_PROCESS, "pages_written");
		faults = f->s.median;
		if (!(pages > 0))
			continue;
		cows++;
		good += faults / pages >= 0.9 && faults / pages <= 1.1;
		say(o, "%scow %s n=%d: %.0f faults a child for %.0f pages written (%.2f a page)",
		    *o->evidence ? "; " : "", f->params, f->workers, faults, pages, faults / pages);
		if (cows == 1 && compare(d, f, noise, &c) == 0)
			use_cmp(o, &c);
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct series *p = &d->s[i];
		double rss;
		char a[32], b[32];

		if (p->mode != MODE_PROCESS || strcmp(p->workload, "sharedread") ||
		    strcmp(p->metric, "pss_kib") ||
		    dataset_find(d, "sharedread", p->params, p->pin, -1, MODE_PROCESS, p->metric) != p)
			continue;
		rss = sibling(d, p, MODE_PROCESS, "rss_sum_kib");
		if (!(rss > 0))
			continue;
		sharing++;
		shared += p->s.median < 0.6 * rss;
		say(o, "%ssharedread %s n=%d: PSS %s vs RSS sum %s - unwritten pages stay shared",
		    *o->evidence ? "; " : "", p->params, p->workers,
		    fmt_value(p->s.median, "KiB", a, sizeof(a)), fmt_value(rss, "KiB", b, sizeof(b)));
	}
	{
		/* Fork time against the parent's size: smallest and largest heap. */
		const struct series *lo = NULL, *hi = NULL;
		uint64_t hlo = 0, hhi = 0, h;

		for (size_t i = 0; i < d->n; i++) {
			const struct series *sp = &d->s[i];

			if (sp->mode != MODE_PROCESS || strcmp(sp->workload, "spawn") ||
			    strcmp(sp->metric, "spawn_s") || strncmp(sp->params, "heap=", 5) ||
			    parse_u64(sp->params + 5, 1, &h) < 0 ||
			    dataset_find(d, "spawn", sp->params, sp->pin, -1, MODE_PROCESS, "spawn_s") != sp)
				continue;
			if (!lo || h < hlo) {
				lo = sp;
				hlo = h;
			}
			if (!hi || h > hhi) {
				hi = sp;
				hhi = h;
			}
		}
		if (lo && hi && lo != hi) {
			char a[32], b[32], e[32], f[32];

			say(o, "%sfork of %d workers: %s at %s, %s at %s (pthread_create: %s, %s)",
			    *o->evidence ? "; " : "", hi->workers,
			    fmt_value(lo->s.median, "s", a, sizeof(a)), lo->params,
			    fmt_value(hi->s.median, "s", b, sizeof(b)), hi->params,
			    fmt_value(sibling(d, lo, MODE_THREAD, "spawn_s"), "s", e, sizeof(e)),
			    fmt_value(sibling(d, hi, MODE_THREAD, "spawn_s"), "s", f, sizeof(f)));
		}
	}
	if (!cows && !sharing) {
		not_measured(o, "needs cow (or sharedread) run in process mode");
		return;
	}
	if (cows)
		o->verdict = good == cows ? "supported" : "refuted";
	else
		o->verdict = shared == sharing ? "supported" : "refuted";
}

/* fork: writes that copy a page in a child - a variable, dynamic memory,
 * a function call - from cowops' faults per operation, child vs thread. */
static void decide_cowops(const struct dataset *d, double noise, struct claim_out *o)
{
	static const char *const ops[] = { "read_only", "write_global", "write_heap",
		"malloc_small", "malloc_large", "call_shallow", "call_deep" };
	double p[ARRAY_SIZE(ops)], t[ARRAY_SIZE(ops)];
	const struct series *cell = NULL;
	int variable, dynamic, call, held;
	struct cmp c;

	/* One cell for every operation and both modes: the process series of
	 * the first kind at its largest worker count that threads measured. */
	for (size_t i = 0; i < d->n; i++) {
		const struct series *x = &d->s[i];

		if (x->mode == MODE_PROCESS && !strcmp(x->workload, "cowops") &&
		    !strcmp(x->metric, "faults_write_global") && (!cell || x->workers > cell->workers) &&
		    dataset_find(d, "cowops", x->params, x->pin, x->workers, MODE_THREAD, x->metric))
			cell = x;
	}
	if (!cell) {
		not_measured(o, "needs cowops run in both modes");
		return;
	}
	for (size_t k = 0; k < ARRAY_SIZE(ops); k++) {
		char m[40];

		strfmt(m, sizeof(m), "faults_%s", ops[k]);
		p[k] = sibling(d, cell, MODE_PROCESS, m);
		t[k] = sibling(d, cell, MODE_THREAD, m);
		if (isnan(p[k]) || isnan(t[k])) {
			not_measured(o, "needs cowops run in both modes");
			return;
		}
		say(o, "%s%s %.2f (thread %.2f)", k ? ", " : "pages copied per operation in a forked child: ",
		    ops[k], p[k], t[k]);
	}
	if (compare(d, cell, noise, &c) == 0)
		use_cmp(o, &c);
	if (p[0] > 0.1 || t[0] > 0.1) {
		not_measured(o, "the control (reading a page touched before) faulted: the counts are unreliable here");
		return;
	}
#define COPIES(k) (p[k] - t[k] >= 0.5)
	variable = COPIES(1) || COPIES(2);
	dynamic = COPIES(3);
	call = COPIES(5) || COPIES(6);
#undef COPIES
	held = variable + dynamic + call;
	say(o, ". Changing a variable %s, allocating dynamic memory %s (a large block is a fresh mapping: zero-filled in both modes, never copied), calling a function %s (only when the call reaches stack pages the parent used)",
	    variable ? "copies" : "does not copy", dynamic ? "copies" : "does not copy",
	    call ? "copies" : "does not copy");
	o->verdict = held >= 2 ? "supported" : "refuted";
}

/* The traced trial of a workload with the most workers in a mode (any
 * parameters), and its twin in the other mode. */
static const struct tburst *tb_find(const struct dataset *d, const char *wl, int mode,
				    const struct tburst *like)
{
	const struct tburst *best = NULL;

	for (size_t i = 0; i < d->nb; i++) {
		const struct tburst *b = &d->b[i];

		if (b->mode != mode || strcmp(b->workload, wl) || !(b->n > 0))
			continue;
		if (like) {
			if (b->workers == like->workers && !strcmp(b->params, like->params) &&
			    !strcmp(b->pin, like->pin))
				return b;
		} else if (!best || b->workers > best->workers) {
			best = b;
		}
	}
	return best;
}

/* The traced trials of the cell like `like`, in a mode: their medians (or
 * means, from schedstat) in v, and each median's CI half-width on a log
 * scale in se (NaN without one). Returns how many. */
static int tb_collect(const struct dataset *d, const struct tburst *like, int mode,
		      int medians, double *v, double *se, int max)
{
	int n = 0;

	for (size_t i = 0; i < d->nb && n < max; i++) {
		const struct tburst *b = &d->b[i];

		if (b->mode != mode || b->workers != like->workers || strcmp(b->workload, like->workload) ||
		    strcmp(b->params, like->params) || strcmp(b->pin, like->pin) || !(b->n > 0))
			continue;
		v[n] = medians ? b->p50 : b->mean;
		se[n] = medians && b->p50_lo > 0 ? (log(b->p50_hi) - log(b->p50_lo)) / (2 * 1.96) : NAN;
		n++;
	}
	return n;
}

/* threads: "larger/longer CPU bursts?" - the median burst of each mode.
 * Its uncertainty has two parts: within a trial (the order-statistics CI
 * of each median) and between trials (the traced repetitions differ from
 * run to run). The CI of the ratio is the wider of a bootstrap over the
 * traced trials and the within-trial CIs combined on a log scale; it takes
 * two traced trials a mode (--traced 2) to know the second part. */
static void decide_bursts(const struct dataset *d, double noise, struct claim_out *o)
{
	static const char *const wls[] = { "burst", "cpu", "pingpong" };
	int yes = 0, no = 0, same = 0, unsure = 0, shown = 0, few = 0;
	double best = -1;

	for (size_t k = 0; k < ARRAY_SIZE(wls); k++) {
		const struct tburst *p = tb_find(d, wls[k], MODE_PROCESS, NULL), *t;
		double pv[32], ps[32], tv[32], ts[32], ratio, lo = NAN, hi = NAN, pm, tm;
		int np, nt, medians;
		char a[32], b[32];

		if (!p || !(t = tb_find(d, wls[k], MODE_THREAD, p)))
			continue;
		medians = !isnan(p->p50) && !isnan(t->p50);       /* schedstat: means */
		np = tb_collect(d, p, MODE_PROCESS, medians, pv, ps, 32);
		nt = tb_collect(d, p, MODE_THREAD, medians, tv, ts, 32);
		pm = stats_median(memcpy((double[32]){ 0 }, pv, (size_t)np * sizeof(double)), (size_t)np);
		tm = stats_median(memcpy((double[32]){ 0 }, tv, (size_t)nt * sizeof(double)), (size_t)nt);
		ratio = tm / pm;
		if (np >= MIN_REPS && nt >= MIN_REPS) {
			double r, blo, bhi, wp = 0, wt = 0;
			int cp = 0, ct = 0;

			stats_ratio(tv, (size_t)nt, pv, (size_t)np, hash_text(wls[k]), &r, &blo, &bhi);
			for (int i = 0; i < np; i++)
				if (!isnan(ps[i])) {
					wp += ps[i] * ps[i];
					cp++;
				}
			for (int i = 0; i < nt; i++)
				if (!isnan(ts[i])) {
					wt += ts[i] * ts[i];
					ct++;
				}
			lo = blo;
			hi = bhi;
			if (cp && ct) {
				double se = sqrt(wp / cp + wt / ct);

				lo = fmin(lo, ratio * exp(-1.96 * se));
				hi = fmax(hi, ratio * exp(1.96 * se));
			}
		} else {
			few++;
		}
		say(o, "%s%s n=%d pin=%s: %s burst thread %s vs process %s", *o->evidence ? "; " : "",
		    wls[k], p->workers, p->pin, medians ? "median" : "mean",
		    fmt_value(tm, "us", a, sizeof(a)), fmt_value(pm, "us", b, sizeof(b)));
		if (isnan(lo)) {
			say(o, ", ratio %.3g (%d+%d traced trials: too few for a CI)", ratio, nt, np);
		} else {
			enum dir dir = classify(lo, hi, noise);

			say(o, ", ratio %.3g [%.3g, %.3g] over %d+%d traced trials%s", ratio, lo, hi, nt, np,
			    dir == D_UNSURE ? " (inconclusive)" : "");
			yes += dir == D_HIGHER;
			no += dir == D_LOWER;
			same += dir == D_SAME;
			unsure += dir == D_UNSURE;
		}
		if (medians)
			say(o, ", p90 %s vs %s", fmt_value(t->p90, "us", a, sizeof(a)),
			    fmt_value(p->p90, "us", b, sizeof(b)));
		say(o, ", preempted %.0f%% vs %.0f%%", 100 * t->preempted_frac, 100 * p->preempted_frac);
		if (!shown++ || (!isnan(lo) && fabs(log(ratio)) > best)) {
			best = isnan(lo) ? -1 : fabs(log(ratio));
			strfmt(o->workload, sizeof(o->workload), "%s", wls[k]);
			strfmt(o->metric, sizeof(o->metric), medians ? "burst_p50_us" : "burst_mean_us");
			o->process = pm;
			o->thread = tm;
			o->ratio = ratio;
			o->lo = lo;
			o->hi = hi;
		}
	}
	if (!shown) {
		not_measured(o, "needs a traced trial of burst, cpu or pingpong in both modes (--bursts not off)");
		return;
	}
	say(o, ". Threads longer in %d, shorter in %d, the same (inside the noise band) in %d, inconclusive in %d",
	    yes, no, same, unsure);
	if (few)
		say(o, "; %d left out (fewer than %d traced trials a mode: --traced %d)", few, MIN_REPS,
		    MIN_REPS);
	verdict_of(o, yes, no, same, unsure);
	if (!strcmp(o->verdict, "not_measured"))
		say(o, " - undecided");
}

/* Whether a canonical params text has key=value ("sync=none"). */
static int has_param(const char *params, const char *kv)
{
	size_t n = strlen(kv);

	for (const char *p = params; p && *p; p = strchr(p, ';'), p = p ? p + 1 : NULL)
		if (strncmp(p, kv, n) == 0 && (p[n] == ';' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The process-mode series of a workload's metric at its largest worker
 * count among cells whose params have kv (and at least min workers). */
static const struct series *find_kv(const struct dataset *d, const char *wl,
				    const char *kv, const char *metric, int min)
{
	const struct series *best = NULL;

	for (size_t i = 0; i < d->n; i++) {
		const struct series *s = &d->s[i];

		if (s->mode == MODE_PROCESS && !strcmp(s->workload, wl) &&
		    !strcmp(s->metric, metric) && has_param(s->params, kv) &&
		    s->workers >= min && (!best || s->workers > best->workers))
			best = s;
	}
	return best;
}

/* "without synchronization ..." - shared by sync_need and complexity.
 * Returns the thread-mode lost updates, NaN when not measured. */
static double say_unsync(const struct dataset *d, double noise, struct claim_out *o)
{
	const struct series *p = find_kv(d, "counter", "sync=none", "lost_updates", 2);
	double pl, tl, inv, total;
	struct cmp c;

	if (!p || compare(d, p, noise, &c) < 0)
		return NAN;
	pl = p->s.median;
	tl = c.t->s.median;
	inv = sibling(d, p, MODE_PROCESS, "invisible_updates");
	total = sibling(d, p, MODE_PROCESS, "ops");
	use_cmp(o, &c);
	say(o, "%swithout synchronization (counter sync=none, n=%d, %.0f updates in all): threads lost %.0f (%.1f%%) to the race; processes lost %.0f - every update made in a child's own copy, invisible to the parent (%.0f)",
	    *o->evidence ? "; " : "", p->workers, total, tl,
	    total > 0 ? 100 * tl / total : NAN, pl, inv);
	return tl;
}

/* Cost per increment of each way to share the counter, per mode. */
static void say_sync_cost(const struct dataset *d, struct claim_out *o)
{
	static const char *const ways[] = { "sync=lock", "sync=atomic", "sync=private" };

	for (size_t k = 0; k < ARRAY_SIZE(ways); k++) {
		const struct series *p = find_kv(d, "counter", ways[k], "ns_per_op", 1);
		double t, ops;

		if (!p)
			continue;
		t = sibling(d, p, MODE_THREAD, "ns_per_op");
		ops = sibling(d, p, MODE_PROCESS, "sync_ops_per_op");
		say(o, "%s%s: %.3g ns an increment in threads, %.3g ns in processes (n=%d; %.3g sync operations an increment)",
		    *o->evidence ? "; " : "", ways[k] + 5, t, p->s.median, p->workers, ops);
	}
}

/* threads: "increased need for synchronization". */
static void decide_sync(const struct dataset *d, double noise, struct claim_out *o)
{
	double lost = say_unsync(d, noise, o);

	say_sync_cost(d, o);
	if (isnan(lost)) {
		not_measured(o, "needs counter with sync=none at 2 or more workers in both modes");
		return;
	}
	if (lost > 0) {
		o->verdict = "supported";
		say(o, ". Threads share memory, so an unsynchronized update is lost; processes share nothing unless they map it, and then need the same lock or atomic");
	} else {
		o->verdict = "refuted";
		say(o, ". No update was lost without synchronization here");
	}
}

/* threads: "complexity" - what running code can show of it. */
static void decide_complexity(const struct dataset *d, double noise, struct claim_out *o)
{
	double lost = say_unsync(d, noise, o);

	say_sync_cost(d, o);
	say(o, "%sThis is a proxy: programming effort cannot be measured by running a program. What can be measured is that the naive threaded program is silently wrong (a data race: a plausible, wrong total) and how many synchronization operations correctness costs per unit of work",
	    *o->evidence ? ". " : "");
	if (isnan(lost)) {
		not_measured(o, "needs counter with sync=none at 2 or more workers in both modes (a proxy at best)");
		return;
	}
	o->verdict = lost > 0 ? "supported" : "refuted";
}

/* threads: "if one thread seg-faults, ALL threads are dead". */
static void decide_crash(const struct dataset *d, double noise, struct claim_out *o)
{
	static const char *const faults[] = { "fault=segv", "fault=abort", "fault=kill", "fault=hang" };
	int decided = 0, all_dead = 0, survived = 0;

	for (size_t k = 0; k < ARRAY_SIZE(faults); k++) {
		const struct series *p = find_kv(d, "crash", faults[k], "survivors", 2);
		double tw, pw, td, pd;
		struct cmp c;

		if (!p || compare(d, p, noise, &c) < 0)
			continue;
		tw = sibling(d, p, MODE_THREAD, "work_done_frac");
		pw = sibling(d, p, MODE_PROCESS, "work_done_frac");
		td = sibling(d, p, MODE_THREAD, "detect_ms");
		pd = sibling(d, p, MODE_PROCESS, "detect_ms");
		say(o, "%s%s n=%d: threads %.0f of %d survive, %.0f%% of the work kept; processes %.0f of %d survive, %.0f%% kept; death seen after %.3g ms (threads) / %.3g ms (processes)",
		    *o->evidence ? "; " : "", faults[k] + 6, p->workers, c.t->s.median, p->workers,
		    100 * tw, p->s.median, p->workers, 100 * pw, td, pd);
		if (k == 3) {
			say(o, " - a hang kills nobody: the trial ends by its timeout");
			continue;
		}
		if (!decided++)
			use_cmp(o, &c);
		/* One trial where a thread outlived the fault refutes "all". */
		all_dead += c.t->s.max == 0;
		survived += c.t->s.max > 0;
	}
	if (!decided) {
		not_measured(o, "needs crash (fault=segv, abort or kill) at 2 or more workers in both modes");
		return;
	}
	o->verdict = survived ? "refuted" : all_dead ? "supported" : "not_measured";
}

static const struct claim_def defs[] = {
	{ "faster_runtime", "thread", "threads: faster runtime?", decide_faster },
	{ "parallel", "thread", "threads: parallel programming", decide_parallel },
	{ "less_memory", "thread", "threads: less overall OS memory usage", decide_memory },
	{ "longer_bursts", "thread", "threads: larger/longer CPU bursts?", decide_bursts },
	{ "sync_need", "thread", "threads: increased need for synchronization", decide_sync },
	{ "complexity", "thread", "threads: complexity", decide_complexity },
	{ "crash_all", "thread", "threads: if one thread seg-faults, ALL threads are dead", decide_crash },
	{ "cow", "process", "fork: pages are copied only when written", decide_cow },
	{ "cow_ops", "process", "fork: writes include changing a variable, allocating dynamic memory, calling a function", decide_cowops },
};

int claims_write(const char *dir, const struct dataset *d, double noise)
{
	char path[PATH_MAX];
	struct csvw *w;
	int rc;

	strfmt(path, sizeof(path), "%s/claims.csv", dir);
	if ((rc = csvw_open(&w, path, claims_cols, CL_N, CSVW_ATOMIC)) < 0)
		return rc;
	for (size_t i = 0; i < ARRAY_SIZE(defs) && !rc; i++) {
		struct claim_out *o = calloc(1, sizeof(*o));
		struct row row;

		if (!o) {
			rc = -ENOMEM;
			break;
		}
		o->process = o->thread = o->ratio = o->lo = o->hi = NAN;
		defs[i].decide(d, noise, o);
		row_init(&row, CL_N);
		row_str(&row, CL_CLAIM, defs[i].id);
		row_str(&row, CL_SIDE, defs[i].side);
		row_str(&row, CL_STATEMENT, defs[i].statement);
		row_str(&row, CL_WORKLOAD, o->workload);
		row_str(&row, CL_METRIC, o->metric);
		row_num(&row, CL_PROCESS, o->process);
		row_num(&row, CL_THREAD, o->thread);
		row_num(&row, CL_THREAD_OVER_PROCESS, o->ratio);
		row_num(&row, CL_CI95_LO, o->lo);
		row_num(&row, CL_CI95_HI, o->hi);
		row_str(&row, CL_VERDICT, o->verdict ? o->verdict : "not_measured");
		row_str(&row, CL_EVIDENCE, o->evidence);
		rc = csvw_row(w, &row);
		free(o);
	}
	return rc ? (csvw_close(w), rc) : csvw_close(w);
}

int claims_print(const char *dir, FILE *fp)
{
	char path[PATH_MAX];
	struct table t;
	int rc, cc, cv, ce;

	strfmt(path, sizeof(path), "%s/claims.csv", dir);
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
	return 0;
}
