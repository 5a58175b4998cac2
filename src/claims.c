/* claims.c - the lecture note's claims, each decided from measurements.
 *
 * A comparison is one cell and metric: the median thread/process ratio of
 * the pairs (the two trials of a repetition) and its bootstrap 95% CI,
 * classified against 1 +- noise (stats_classify). It counts as a
 * difference only when the CI lies wholly outside the band; wholly
 * inside, the two modes are the same; across an edge, it is inconclusive.
 * A claim is `not_measured` (with the reason) when its workloads did not
 * run or there are too few pairs, and `inconclusive` when it was measured
 * but no comparison is precise enough - never guessed.
 */
#include "claims.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A value with its unit, scaled for reading: 0.00012 s -> "120 us". */
static char *fmt_value(double v, const char *unit, char *buf, size_t len)
{
	double a = fabs(v);

	if (isnan(v))
		return util_strfmt(buf, len, "n/a");
	if (strcmp(unit, "s") == 0) {
		if (a < 1e-3)
			return util_strfmt(buf, len, "%.3g us", v * 1e6);
		if (a < 1)
			return util_strfmt(buf, len, "%.3g ms", v * 1e3);
		return util_strfmt(buf, len, "%.3g s", v);
	}
	if (strcmp(unit, "us") == 0 && a >= 1000)
		return util_strfmt(buf, len, "%.3g ms", v / 1e3);
	if (strcmp(unit, "KiB") == 0) {
		if (a >= 1024 * 1024)
			return util_strfmt(buf, len, "%.3g GiB", v / 1048576);
		if (a >= 1024)
			return util_strfmt(buf, len, "%.3g MiB", v / 1024);
		return util_strfmt(buf, len, "%.3g KiB", v);
	}
	if (strcmp(unit, "x") == 0)
		return util_strfmt(buf, len, "%.3gx", v);
	if (strcmp(unit, "fraction") == 0)
		return util_strfmt(buf, len, "%.3g", v);
	return util_strfmt(buf, len, "%.4g%s%s", v, *unit ? " " : "", unit);
}

/* One thread-vs-process comparison, its outcome read in the direction
 * that supports the claim (0 where the claim reads no direction). */
struct cmp {
	struct versus v;
	enum outcome out;
};

/* The process series p against its twin in `mode`. */
static int compare_mode(const struct dataset *d, const struct series *p, int mode, double noise,
			int good, struct cmp *c)
{
	if (dataset_mode_get(d, p, mode, &c->v) == -ENOENT)
		return -ENOENT;
	c->out = dataset_versus_outcome(&c->v, noise, good);
	return 0;
}

static int compare(const struct dataset *d, const struct series *p, double noise, int good,
		   struct cmp *c)
{
	return compare_mode(d, p, MODE_THREAD, noise, good, c);
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
	const struct series *p = c->v.p, *t = c->v.t;
	char a[32], b[32];

	say(o, "%s%s: thread %s vs process %s", *o->evidence ? "; " : "", what,
	    fmt_value(t->s.median, t->unit, a, sizeof(a)),
	    fmt_value(p->s.median, p->unit, b, sizeof(b)));
	if (*p->params)
		say(o, " at %s n=%d", p->params, p->workers);
	else
		say(o, " at n=%d", p->workers);
	if (c->v.zero)
		say(o, ", no ratio (the process values are zero)");
	else if (c->out == OUT_NONE)
		say(o, ", ratio %.3g (not decided: %zu pairs, fewer than %d)", c->v.ratio, c->v.pairs,
		    VERSUS_MIN_REPS);
	else
		say(o, ", ratio %.3g [%.3g, %.3g]%s", c->v.ratio, c->v.lo, c->v.hi,
		    c->out == OUT_INCONCLUSIVE ? " (inconclusive)" : "");
}

/* Puts the numbers of the comparison that decided a claim in its row. */
static void use_nums(struct claim_out *o, const char *workload, const char *metric,
		     double process, double thread, double ratio, double lo, double hi)
{
	util_strfmt(o->workload, sizeof(o->workload), "%s", workload);
	util_strfmt(o->metric, sizeof(o->metric), "%s", metric);
	o->process = process;
	o->thread = thread;
	o->ratio = ratio;
	o->lo = lo;
	o->hi = hi;
}

static void use_cmp(struct claim_out *o, const struct cmp *c)
{
	use_nums(o, c->v.p->workload, c->v.p->metric, c->v.p->s.median, c->v.t->s.median,
		 c->v.ratio, c->v.lo, c->v.hi);
}

static void not_measured(struct claim_out *o, const char *why)
{
	o->verdict = V_NOT_MEASURED;
	util_strfmt(o->evidence, sizeof(o->evidence), "%s", why);
	util_strfmt(o->headline, sizeof(o->headline), "Not measured: %s", why);
	o->comparisons = 0;
	o->workload[0] = o->metric[0] = '\0';
	o->process = o->thread = o->ratio = o->lo = o->hi = NAN;
}

/* The verdict from counts of comparisons: `yes` went the way the claim
 * says, `no` the other way, `same` lay wholly inside the noise band,
 * `withci` had an interval at all, `precise` an interval inside the band
 * or a half-width within it. An inconclusive comparison never counts as
 * "the same": no difference needs a comparison wholly inside the band (or
 * as many one way as the other, and one of them precise). Measured but
 * nothing decided: inconclusive; no interval at all: not measured. */
static enum verdict verdict_of(int yes, int no, int same, int withci, int precise)
{
	if (yes > no)
		return V_SUPPORTED;
	if (no > yes)
		return V_REFUTED;
	if ((yes > 0 || same > 0) && precise > 0)
		return V_NO_DIFFERENCE;
	return withci ? V_INCONCLUSIVE : V_NOT_MEASURED;
}

/* Whether an outcome with half-width hw is precise at this band. */
static int precise_at(enum outcome out, double hw, double noise)
{
	return out == OUT_SAME || (out != OUT_NONE && hw <= noise);
}

/* Comparisons of `metric` in `workload`, one per parameter set and pin,
 * at the largest worker count measured in both modes. Returns how many
 * (at most max). */
static int cmps_at_max(const struct dataset *d, const char *workload, const char *metric,
		       double noise, int good, struct cmp *out, int max)
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
		if (!larger && compare(d, s, noise, good, &out[n]) == 0)
			n++;
	}
	return n;
}

/* Median of another metric or mode in the same cell as s. */
static double sibling(const struct dataset *d, const struct series *s, int mode,
		      const char *metric)
{
	const struct series *x = dataset_find(d, s->workload, s->params, s->pin,
					      s->workers, mode, metric);

	return x && x->s.n ? x->s.median : NAN;
}

/* Whether s is a spawn cell with a heap= parameter; *h: the heap (0
 * when not). */
static int heap_param(const struct series *s, uint64_t *h)
{
	*h = 0;
	return !strcmp(s->workload, "spawn") && !strncmp(s->params, "heap=", 5) &&
	       util_parse_u64(s->params + 5, 1, h) == 0;
}

/* The heap of a spawn cell, else 0. */
static uint64_t heap_of(const struct series *s)
{
	uint64_t h;

	return heap_param(s, &h) ? h : 0;
}

/* The process spawn_s series of the smallest and the largest heap (each
 * at its largest worker count; the first of equals), both NULL unless
 * they differ. */
static void spawn_ends(const struct dataset *d, const struct series **lo,
		       const struct series **hi)
{
	*lo = *hi = NULL;
	for (size_t i = 0; i < d->n; i++) {
		const struct series *sp = &d->s[i];

		if (sp->mode != MODE_PROCESS || strcmp(sp->metric, "spawn_s") ||
		    !heap_param(sp, &(uint64_t){ 0 }) ||
		    dataset_find(d, "spawn", sp->params, sp->pin, -1, MODE_PROCESS, "spawn_s") != sp)
			continue;
		if (!*lo || heap_of(sp) < heap_of(*lo))
			*lo = sp;
		if (!*hi || heap_of(sp) > heap_of(*hi))
			*hi = sp;
	}
	if (*lo == *hi)
		*lo = *hi = NULL;
}

/* ---- Claims decided by a tally of comparisons ---- */

/* One kind of comparison a tallied claim counts: a workload's metric,
 * thread against process, and the direction of the thread/process ratio
 * that supports the claim (-1: threads lower). */
struct probe {
	enum claim_id claim;
	const char *workload, *metric;
	int good;
	const char *what;       /* how the evidence names it */
};

static const struct probe probes[] = {
	{ CLAIM_FASTER_RUNTIME, "spawn", "spawn_s", -1, "create N workers (spawn)" },
	{ CLAIM_FASTER_RUNTIME, "spawn", "join_s", -1, "join N workers (spawn)" },
	{ CLAIM_FASTER_RUNTIME, "pingpong", "roundtrip_us", -1, "round trip (pingpong)" },
	{ CLAIM_FASTER_RUNTIME, "cpu", "wall_s", -1, "compute (cpu)" },
	/* What the OS spends on the memory: PSS plus page tables. */
	{ CLAIM_LESS_MEMORY, "sharedread", "pss_pte_kib", -1, "PSS+page tables (sharedread)" },
	{ CLAIM_LESS_MEMORY, "cow", "pss_pte_kib", -1, "PSS+page tables (cow)" },
	{ CLAIM_LESS_MEMORY, "spawn", "pss_pte_kib", -1, "PSS+page tables (spawn)" },
	/* The median burst of the traced trials (their mean from schedstat,
	 * which has no median: burst_mean_us). */
	{ CLAIM_LONGER_BURSTS, "burst", "burst_p50_us", 1, NULL },
	{ CLAIM_LONGER_BURSTS, "cpu", "burst_p50_us", 1, NULL },
	{ CLAIM_LONGER_BURSTS, "pingpong", "burst_p50_us", 1, NULL },
};

/* A counted comparison: its numbers and its outcome for the claim. */
struct item {
	const char *workload, *metric;
	double process, thread, ratio, lo, hi;
	enum outcome out;
	double hw;              /* stats_half_width of [lo, hi] */
};

/* How a tallied claim gathers and words its comparisons. */
struct tallied {
	enum claim_id claim;
	int bursts;             /* from traced trials' bursts, not from series */
	const char *yes, *no;   /* what threads were where the claim holds, and not */
	const char *hl_yes, *hl_no;     /* the same, for the headline */
	const char *needs;      /* the evidence when nothing was measured */
	/* More evidence after a comparison (NULL: none). */
	void (*more)(const struct dataset *d, const struct cmp *c, struct claim_out *o);
};

/* less_memory: the difference per worker, and what the naive sum says. */
static void say_memory(const struct dataset *d, const struct cmp *c, struct claim_out *o)
{
	const struct series *p = c->v.p, *t = c->v.t;
	double rss = sibling(d, p, MODE_PROCESS, "rss_sum_kib");
	double dpw = (p->s.median - t->s.median) / p->workers;
	char a[32], b[32];

	say(o, " - %s more a process worker; the naive RSS sum says process %s",
	    fmt_value(dpw, "KiB", a, sizeof(a)), fmt_value(rss, "KiB", b, sizeof(b)));
}

/* threads: "faster runtime?" - creation, switching and whole runs. */
static const struct tallied faster = {
	CLAIM_FASTER_RUNTIME, 0, "lower", "higher", "Threads faster", "slower",
	"needs spawn, pingpong or cpu run in both modes", NULL,
};

/* threads: "less overall OS memory usage" - PSS plus page tables. */
static const struct tallied memory = {
	CLAIM_LESS_MEMORY, 0, "lower", "higher", "Threads use less memory", "more",
	"needs sharedread, cow or spawn run in both modes", say_memory,
};

/* threads: "larger/longer CPU bursts?" - the median burst of each mode. */
static const struct tallied bursts = {
	CLAIM_LONGER_BURSTS, 1, "longer", "shorter", "Thread bursts longer", "shorter",
	"needs a traced trial of burst, cpu or pingpong in both modes (--bursts not off)", NULL,
};

/* A probe's comparisons from series, with their evidence. Returns how
 * many (at most max). */
static int series_items(const struct dataset *d, double noise, const struct probe *pr,
			const struct tallied *tl, struct claim_out *o, struct item *it, int max)
{
	struct cmp c[32];
	int n = cmps_at_max(d, pr->workload, pr->metric, noise, pr->good, c,
			    max < (int)ARRAY_SIZE(c) ? max : (int)ARRAY_SIZE(c));

	for (int i = 0; i < n; i++) {
		say_cmp(o, pr->what, &c[i]);
		if (tl->more)
			tl->more(d, &c[i], o);
		it[i] = (struct item){ c[i].v.p->workload, c[i].v.p->metric, c[i].v.p->s.median,
				       c[i].v.t->s.median, c[i].v.ratio, c[i].v.lo, c[i].v.hi,
				       c[i].out, c[i].v.half_width };
	}
	return n;
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
 * means, from schedstat) in v, each median's CI half-width on a log scale
 * in se (NaN without one), their repetitions in rep. Returns how many. */
static int tb_collect(const struct dataset *d, const struct tburst *like, int mode,
		      int medians, double *v, double *se, int *rep, int max)
{
	int n = 0;

	for (size_t i = 0; i < d->nb && n < max; i++) {
		const struct tburst *b = &d->b[i];

		if (b->mode != mode || b->workers != like->workers || strcmp(b->workload, like->workload) ||
		    strcmp(b->params, like->params) || strcmp(b->pin, like->pin) || !(b->n > 0))
			continue;
		v[n] = medians ? b->p50 : b->mean;
		se[n] = medians && b->p50_lo > 0 ? (log(b->p50_hi) - log(b->p50_lo)) / (2 * 1.96) : NAN;
		rep[n++] = b->rep;
	}
	return n;
}

/* Mean of the squares of the non-NaN values (*used: how many). */
static double mean_square(const double *x, int n, int *used)
{
	double sum = 0;

	*used = 0;
	for (int i = 0; i < n; i++)
		if (!isnan(x[i])) {
			sum += x[i] * x[i];
			(*used)++;
		}
	return *used ? sum / *used : NAN;
}

/* A probe's comparison of the median burst of each mode, with its
 * evidence. The traced trials pair by repetition like the counted ones.
 * The uncertainty has two parts: within a trial (the order-statistics CI
 * of each median) and between trials (the traced repetitions differ from
 * run to run). The CI of the ratio is the wider of a bootstrap over the
 * pairs and the within-trial CIs combined on a log scale; it takes
 * several pairs of traced trials to know the second part. Returns 1, or 0
 * when the workload has no traced trial in both modes; *few counts those
 * with too few pairs for a CI. */
static int burst_item(const struct dataset *d, double noise, const struct probe *pr,
		      struct claim_out *o, struct item *it, int *few)
{
	const struct tburst *p = tb_find(d, pr->workload, MODE_PROCESS, NULL), *t;
	double pv[32], ps[32], tv[32], ts[32], num[32], den[32], sp[32], st[32];
	double ratio, lo = NAN, hi = NAN, pm, tm;
	int np, nt, medians, pr_[32], tr_[32];
	size_t ia[32], ib[32], pairs;
	char a[32], b[32];

	if (!p || !(t = tb_find(d, pr->workload, MODE_THREAD, p)))
		return 0;
	medians = !isnan(p->p50) && !isnan(t->p50);       /* schedstat: means */
	np = tb_collect(d, p, MODE_PROCESS, medians, pv, ps, pr_, 32);
	nt = tb_collect(d, p, MODE_THREAD, medians, tv, ts, tr_, 32);
	pm = stats_median(memcpy((double[32]){ 0 }, pv, (size_t)np * sizeof(double)), (size_t)np);
	tm = stats_median(memcpy((double[32]){ 0 }, tv, (size_t)nt * sizeof(double)), (size_t)nt);
	pairs = dataset_pair_reps(tr_, (size_t)nt, pr_, (size_t)np, ia, ib);
	for (size_t i = 0; i < pairs; i++) {
		num[i] = tv[ia[i]];
		den[i] = pv[ib[i]];
		st[i] = ts[ia[i]];
		sp[i] = ps[ib[i]];
	}
	if (pairs >= VERSUS_MIN_REPS) {
		double wp, wt;
		int cp, ct;

		stats_paired_ratio(num, den, pairs, stats_hash_text(pr->workload), &ratio, &lo, &hi);
		wp = mean_square(sp, (int)pairs, &cp);
		wt = mean_square(st, (int)pairs, &ct);
		if (cp && ct && !isnan(ratio)) {
			double se = sqrt(wp + wt);

			lo = fmin(lo, ratio * exp(-1.96 * se));
			hi = fmax(hi, ratio * exp(1.96 * se));
		}
	} else {
		/* Too few pairs for an interval: the ratio of the medians. */
		ratio = tm / pm;
		(*few)++;
	}
	*it = (struct item){ pr->workload, medians ? pr->metric : "burst_mean_us", pm, tm, ratio,
			     lo, hi, stats_classify(lo, hi, noise, pr->good),
			     stats_half_width(ratio, lo, hi) };
	say(o, "%s%s n=%d pin=%s: %s burst thread %s vs process %s", *o->evidence ? "; " : "",
	    pr->workload, p->workers, p->pin, medians ? "median" : "mean",
	    fmt_value(tm, "us", a, sizeof(a)), fmt_value(pm, "us", b, sizeof(b)));
	if (isnan(lo))
		say(o, ", ratio %.3g (%zu pairs of traced trials: too few for a CI)", ratio, pairs);
	else
		say(o, ", ratio %.3g [%.3g, %.3g] over %zu pairs of traced trials%s", ratio, lo, hi,
		    pairs, it->out == OUT_INCONCLUSIVE ? " (inconclusive)" : "");
	if (medians)
		say(o, ", p90 %s vs %s", fmt_value(t->p90, "us", a, sizeof(a)),
		    fmt_value(p->p90, "us", b, sizeof(b)));
	say(o, ", preempted %.0f%% vs %.0f%%", 100 * t->preempted_frac, 100 * p->preempted_frac);
	return 1;
}

/* How far an outcome went: 2 decided (beyond the band or inside it), 1
 * an interval across an edge, 0 none. */
static int decided_level(enum outcome out)
{
	return out == OUT_NONE ? 0 : out == OUT_INCONCLUSIVE ? 1 : 2;
}

/* The median comparison: the middle one by ratio among those that decided
 * (else among those with an interval, else among all); of an even count,
 * the middle one nearer 1. */
static int median_item(const struct item *it, int n)
{
	int ix[32], m = 0, best = 0;

	for (int i = 0; i < n; i++)
		if (decided_level(it[i].out) > best)
			best = decided_level(it[i].out);
	for (int i = 0; i < n; i++)
		if (decided_level(it[i].out) == best && !isnan(it[i].ratio))
			ix[m++] = i;
	if (!m)
		return 0;
	/* Insertion sort by ratio: a few dozen at most. */
	for (int i = 1; i < m; i++)
		for (int j = i; j > 0 && it[ix[j]].ratio < it[ix[j - 1]].ratio; j--) {
			int x = ix[j];

			ix[j] = ix[j - 1];
			ix[j - 1] = x;
		}
	if (m % 2 == 0 &&
	    fabs(log(it[ix[m / 2]].ratio)) < fabs(log(it[ix[m / 2 - 1]].ratio)))
		return ix[m / 2];
	return ix[(m - 1) / 2];
}

/* A claim decided by counting its probes' comparisons. The row shows the
 * median comparison (median_item): what is typical, not the most extreme. */
static void decide_tallied(const struct dataset *d, double noise, const struct tallied *tl,
			   struct claim_out *o)
{
	struct item it[32];
	int n = 0, few = 0, yes = 0, no = 0, same = 0, unsure = 0, withci = 0, precise = 0, nhw = 0;
	int show;
	double hwlo = INFINITY, hwhi = 0;

	for (size_t k = 0; k < ARRAY_SIZE(probes); k++) {
		if (probes[k].claim != tl->claim || n == (int)ARRAY_SIZE(it))
			continue;
		n += tl->bursts ? burst_item(d, noise, &probes[k], o, &it[n], &few)
				: series_items(d, noise, &probes[k], tl, o, it + n,
					       (int)ARRAY_SIZE(it) - n);
	}
	if (!n) {
		not_measured(o, tl->needs);
		return;
	}
	for (int i = 0; i < n; i++) {
		yes += it[i].out == OUT_BETTER;
		no += it[i].out == OUT_WORSE;
		same += it[i].out == OUT_SAME;
		unsure += it[i].out == OUT_INCONCLUSIVE;
		if (it[i].out == OUT_NONE)
			continue;
		withci++;
		precise += precise_at(it[i].out, it[i].hw, noise);
		if (!isnan(it[i].hw)) {
			nhw++;
			hwlo = fmin(hwlo, it[i].hw);
			hwhi = fmax(hwhi, it[i].hw);
		}
	}
	show = median_item(it, n);
	use_nums(o, it[show].workload, it[show].metric, it[show].process, it[show].thread,
		 it[show].ratio, it[show].lo, it[show].hi);
	o->comparisons = n;
	say(o, ". Threads %s in %d, %s in %d, the same (inside the noise band) in %d, inconclusive in %d",
	    tl->yes, yes, tl->no, no, same, unsure);
	if (!tl->bursts)
		say(o, " of %d comparisons", n);
	if (few)
		say(o, "; %d left out (fewer than %d pairs of traced trials: --traced %d)", few,
		    VERSUS_MIN_REPS, VERSUS_MIN_REPS);
	if (nhw)
		say(o, ". Precision: the intervals reach %.1f%% to %.1f%% from their ratios; %d of %d imprecise (beyond the %.3g%% band)",
		    100 * hwlo, 100 * hwhi, withci - precise, withci, 100 * noise);
	o->verdict = verdict_of(yes, no, same, withci, precise);
	if (o->verdict == V_INCONCLUSIVE)
		say(o, " - inconclusive: no interval is precise enough to decide; more repetitions (-r) narrow them");
	if (o->verdict == V_NOT_MEASURED)
		say(o, " - undecided");
	if (o->verdict == V_NOT_MEASURED && !tl->bursts)
		say(o, ": run more repetitions (at least %d pairs; the default -r 5)", VERSUS_MIN_REPS);
	util_strfmt(o->headline, sizeof(o->headline), "%s in %d of %d comparisons, %s in %d; median thread/process %.3g",
	       tl->hl_yes, yes, n, tl->hl_no, no, it[show].ratio);
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
		stats_ratio(sn->v, sn->n, s1->v, s1->n, dataset_series_seed(sn) ^ 0x5eed, r, lo, hi);
		*n = sn->n < s1->n ? sn->n : s1->n;
	}
}

/* 1 when x lies above the band 1 +- noise, 0 when not, -1 for NaN. */
static int above_band(double x, double noise)
{
	enum outcome out = stats_classify(x, x, noise, 1);

	return out == OUT_NONE ? -1 : out == OUT_BETTER;
}

/* threads: "parallel programming" - more workers, more done, per mode:
 * cpu's speedup (throughput at n over 1 worker: the work is split), and
 * membw's total bandwidth at n over 1 worker (each worker has its own). */
static void decide_parallel(const struct dataset *d, double noise, struct claim_out *o)
{
	int decided = 0, gain = 0, withci = 0;

	for (int k = 0; k < 2; k++) {
		const struct series *p = k ? scale_cell(d, "membw", "gbps", "gbps")
					   : scale_cell(d, "cpu", "speedup", "ops_per_s");
		double r[MODE_N], lo[MODE_N], hi[MODE_N];
		size_t n[MODE_N];
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
		if (compare(d, p, noise, 0, &c) == 0) {
			if (c.out != OUT_NONE)
				say(o, "; thread/process %.3g [%.3g, %.3g]", c.v.ratio, c.v.lo, c.v.hi);
			if (!decided)
				use_cmp(o, &c);
		}
		if (!decided)
			util_strfmt(o->headline, sizeof(o->headline),
			       k ? "With %d workers threads moved %.3gx the bandwidth of one, processes %.3gx"
				 : "With %d workers threads ran %.3gx as fast as one, processes %.3gx",
			       p->workers, r[1], r[0]);
		decided++;
		/* A gain only when the whole CI is above 1 + noise (its bottom
		 * end is); none only when the whole CI is at or below it (its
		 * top end is not above); in between, undecided. */
		if (n[1] < VERSUS_MIN_REPS || isnan(lo[1]))
			continue;
		withci++;
		if (above_band(lo[1], noise) > 0)
			gain |= 1;
		else if (above_band(hi[1], noise) == 0)
			gain |= 2;
	}
	if (!decided) {
		not_measured(o, "needs cpu or membw at 1 worker and at more, in both modes");
		return;
	}
	o->comparisons = decided;
	if (gain & 1) {
		o->verdict = V_SUPPORTED;
		say(o, " - threads run in parallel; so do processes, see their numbers");
	} else if (gain & 2) {
		o->verdict = V_REFUTED;
		say(o, " - no gain beyond noise with more threads");
	} else if (withci) {
		o->verdict = V_INCONCLUSIVE;
		say(o, " - inconclusive: the intervals are too wide to decide; run more repetitions");
	} else {
		o->verdict = V_NOT_MEASURED;
		say(o, " - undecided: fewer than %d repetitions; run more", VERSUS_MIN_REPS);
	}
}

/* A forked child copies a page on its first write to it: one fault a
 * page written. 10% either way leaves room for the few faults of the
 * child's own stack and bookkeeping (dozens against thousands of pages
 * written), while a kernel that copied in bulk (a huge page: one fault for
 * 512 pages) or never lands far outside. */
#define COW_FAULTS_PER_PAGE_MIN 0.9
#define COW_FAULTS_PER_PAGE_MAX 1.1
/* Pages every worker only reads stay shared: PSS splits each among its
 * readers, so with 2 or more workers it is about half the naive RSS sum or
 * less; under 0.6 of it leaves room for each worker's private pages. */
#define SHARED_PSS_OF_RSS 0.6

/* fork: "pages are copied only when written". The row shows the cow
 * cell farthest from one fault a page written (the one nearest to
 * refuting the claim), process mode only: a thread's faults are its own
 * copying, another thing. */
static void decide_cow(const struct dataset *d, double noise, struct claim_out *o)
{
	int cows = 0, good = 0, shared = 0, sharing = 0;
	double worst = -1, share = NAN;

	(void)noise;
	for (size_t i = 0; i < d->n; i++) {
		const struct series *f = &d->s[i];
		double pages, faults;

		if (f->mode != MODE_PROCESS || strcmp(f->workload, "cow") ||
		    strcmp(f->metric, "faults_per_worker") ||
		    dataset_find(d, "cow", f->params, f->pin, -1, MODE_PROCESS, f->metric) != f)
			continue;
		pages = sibling(d, f, MODE_PROCESS, "pages_written");
		faults = f->s.median;
		if (!(pages > 0))
			continue;
		cows++;
		good += faults / pages >= COW_FAULTS_PER_PAGE_MIN &&
			faults / pages <= COW_FAULTS_PER_PAGE_MAX;
		say(o, "%scow %s n=%d: %.0f faults a child for %.0f pages written (%.2f a page)",
		    *o->evidence ? "; " : "", f->params, f->workers, faults, pages, faults / pages);
		if (fabs(log(faults / pages)) > worst) {
			worst = fabs(log(faults / pages));
			use_nums(o, f->workload, f->metric, faults, NAN, NAN, NAN, NAN);
			util_strfmt(o->headline, sizeof(o->headline),
			       "A forked child took %.2f faults a page it wrote (at %s)", faults / pages,
			       f->params);
		}
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
		shared += p->s.median < SHARED_PSS_OF_RSS * rss;
		share = fmax(isnan(share) ? 0 : share, p->s.median / rss);
		say(o, "%ssharedread %s n=%d: PSS %s vs RSS sum %s - unwritten pages stay shared",
		    *o->evidence ? "; " : "", p->params, p->workers,
		    fmt_value(p->s.median, "KiB", a, sizeof(a)), fmt_value(rss, "KiB", b, sizeof(b)));
	}
	{
		/* Fork time against the parent's size: smallest and largest heap. */
		const struct series *lo, *hi;

		spawn_ends(d, &lo, &hi);
		if (lo) {
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
	if (cows) {
		o->verdict = good == cows ? V_SUPPORTED : V_REFUTED;
		o->comparisons = cows;
		util_strfmt(o->headline + strlen(o->headline), sizeof(o->headline) - strlen(o->headline),
		       "; %d of %d cells within 10%% of one", good, cows);
	} else {
		o->verdict = shared == sharing ? V_SUPPORTED : V_REFUTED;
		o->comparisons = sharing;
		util_strfmt(o->headline, sizeof(o->headline),
		       "Pages only read stay shared after fork: PSS at most %.0f%% of the RSS sum",
		       100 * share);
	}
}

/* Reading a page touched before must not fault: more than one fault in
 * ten reads means something else faults too (reclaim, huge-page splits,
 * NUMA migration), and every count is suspect. */
#define COWOPS_CONTROL_MAX 0.1
/* A copied page is one fault an operation in the child and none in a
 * thread: half a fault more an operation separates "copies" (about 1)
 * from "does not copy" (about 0). */
#define COWOPS_COPY_MIN 0.5
/* The note names three kinds of write; the claim holds when at least two
 * copy (a call copies only when it reaches stack pages the parent used,
 * which a shallow one may not). */
#define COWOPS_KINDS_MIN 2

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

		util_strfmt(m, sizeof(m), "faults_%s", ops[k]);
		p[k] = sibling(d, cell, MODE_PROCESS, m);
		t[k] = sibling(d, cell, MODE_THREAD, m);
		if (isnan(p[k]) || isnan(t[k])) {
			not_measured(o, "needs cowops run in both modes");
			return;
		}
		say(o, "%s%s %.2f (thread %.2f)", k ? ", " : "pages copied per operation in a forked child: ",
		    ops[k], p[k], t[k]);
	}
	if (compare(d, cell, noise, 0, &c) == 0)
		use_cmp(o, &c);
	if (p[0] > COWOPS_CONTROL_MAX || t[0] > COWOPS_CONTROL_MAX) {
		not_measured(o, "the control (reading a page touched before) faulted: the counts are unreliable here");
		return;
	}
#define COPIES(k) (p[k] - t[k] >= COWOPS_COPY_MIN)
	variable = COPIES(1) || COPIES(2);
	dynamic = COPIES(3);
	call = COPIES(5) || COPIES(6);
#undef COPIES
	held = variable + dynamic + call;
	o->comparisons = (int)ARRAY_SIZE(ops);
	util_strfmt(o->headline, sizeof(o->headline),
	       "In a forked child these copy a page: changing a variable %s, allocating %s, calling a function %s (each against a thread doing the same)",
	       variable ? "yes" : "no", dynamic ? "yes" : "no", call ? "yes" : "no");
	say(o, ". Changing a variable %s, allocating dynamic memory %s (a large block is a fresh mapping: zero-filled in both modes, never copied), calling a function %s (only when the call reaches stack pages the parent used)",
	    variable ? "copies" : "does not copy", dynamic ? "copies" : "does not copy",
	    call ? "copies" : "does not copy");
	o->verdict = held >= COWOPS_KINDS_MIN ? V_SUPPORTED : V_REFUTED;
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

/* "without synchronization ..." - shared by sync_need and complexity
 * (whose headline begins with `prefix`). Returns the thread-mode lost
 * updates, NaN when not measured. */
static double say_unsync(const struct dataset *d, double noise, const char *prefix,
			 struct claim_out *o)
{
	const struct series *p = find_kv(d, "counter", "sync=none", "lost_updates", 2);
	double pl, tl, inv, total;
	struct cmp c;

	if (!p || compare(d, p, noise, 0, &c) < 0)
		return NAN;
	pl = p->s.median;
	tl = c.v.t->s.median;
	inv = sibling(d, p, MODE_PROCESS, "invisible_updates");
	total = sibling(d, p, MODE_PROCESS, "ops");
	/* Threads lose updates to the race, processes to their own copies:
	 * two different things, so no ratio - the threads' count alone. */
	use_nums(o, p->workload, p->metric, NAN, tl, NAN, NAN, NAN);
	o->comparisons = 1;
	if (tl > 0)
		util_strfmt(o->headline, sizeof(o->headline),
		       "%sunsynchronized threads lost %.0f of %.0f updates (%.1f%%) to races; processes updated private copies",
		       prefix, tl, total, total > 0 ? 100 * tl / total : NAN);
	else
		util_strfmt(o->headline, sizeof(o->headline), "%sunsynchronized threads lost no update here",
		       prefix);
	o->headline[0] = (char)toupper((unsigned char)o->headline[0]);
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
	double lost = say_unsync(d, noise, "", o);

	say_sync_cost(d, o);
	if (isnan(lost)) {
		not_measured(o, "needs counter with sync=none at 2 or more workers in both modes");
		return;
	}
	if (lost > 0) {
		o->verdict = V_SUPPORTED;
		say(o, ". Threads share memory, so an unsynchronized update is lost; processes share nothing unless they map it, and then need the same lock or atomic");
	} else {
		o->verdict = V_REFUTED;
		say(o, ". No update was lost without synchronization here");
	}
}

/* threads: "complexity" - what running code can show of it. */
static void decide_complexity(const struct dataset *d, double noise, struct claim_out *o)
{
	double lost = say_unsync(d, noise, "Proxy: ", o);

	say_sync_cost(d, o);
	say(o, "%sThis is a proxy: programming effort cannot be measured by running a program. What can be measured is that the naive threaded program is silently wrong (a data race: a plausible, wrong total) and how many synchronization operations correctness costs per unit of work",
	    *o->evidence ? ". " : "");
	if (isnan(lost)) {
		not_measured(o, "needs counter with sync=none at 2 or more workers in both modes (a proxy at best)");
		return;
	}
	o->verdict = lost > 0 ? V_SUPPORTED : V_REFUTED;
}

/* threads: "if one thread seg-faults, ALL threads are dead". */
static void decide_crash(const struct dataset *d, double noise, struct claim_out *o)
{
	static const struct {
		const char *kv;
		int kills;      /* the victim dies: the claim's case */
	} faults[] = { { "fault=segv", 1 }, { "fault=abort", 1 }, { "fault=kill", 1 },
		       { "fault=hang", 0 } };
	int decided = 0, all_dead = 0, survived = 0;

	for (size_t k = 0; k < ARRAY_SIZE(faults); k++) {
		const struct series *p = find_kv(d, "crash", faults[k].kv, "survivors", 2);
		double tw, pw, td, pd;
		struct cmp c;

		if (!p || compare(d, p, noise, 0, &c) < 0)
			continue;
		tw = sibling(d, p, MODE_THREAD, "work_done_frac");
		pw = sibling(d, p, MODE_PROCESS, "work_done_frac");
		td = sibling(d, p, MODE_THREAD, "detect_ms");
		pd = sibling(d, p, MODE_PROCESS, "detect_ms");
		say(o, "%s%s n=%d: threads %.0f of %d survive, %.0f%% of the work kept; processes %.0f of %d survive, %.0f%% kept; death seen after %.3g ms (threads) / %.3g ms (processes)",
		    *o->evidence ? "; " : "", faults[k].kv + 6, p->workers, c.v.t->s.median, p->workers,
		    100 * tw, p->s.median, p->workers, 100 * pw, td, pd);
		if (!faults[k].kills) {
			say(o, " - a hang kills nobody: the trial ends by its timeout");
			continue;
		}
		if (!decided++) {
			use_cmp(o, &c);
			util_strfmt(o->headline, sizeof(o->headline),
			       "One worker's %s: %.0f of %d threads survived, %.0f of %d processes",
			       faults[k].kv + 6, c.v.t->s.median, p->workers, p->s.median, p->workers);
		}
		/* One trial where a thread outlived the fault refutes "all". */
		all_dead += c.v.t->s.max == 0;
		survived += c.v.t->s.max > 0;
	}
	if (!decided) {
		not_measured(o, "needs crash (fault=segv, abort or kill) at 2 or more workers in both modes");
		return;
	}
	o->verdict = survived ? V_REFUTED : all_dead ? V_SUPPORTED : V_NOT_MEASURED;
	o->comparisons = decided;
}

/* ---- What the other modes isolate ----
 *
 * shared (forked, the data made before the workers in shared memory)
 * keeps process isolation and shares like threads; exec (posix_spawn)
 * keeps isolation and copies nothing at creation. Set beside process and
 * thread they tell which property decides a claim: the shared address
 * space or the way workers are created. One sentence a claim, only when
 * such a mode ran; the verdicts stay thread against process. */

#define EXTRA_MODES ((1u << MODE_SHARED) | (1u << MODE_EXEC))

/* How the evidence names each mode beyond process and thread. */
static const char *const extra_role[MODE_N] = {
	[MODE_PROCESS] = "fork (process)", [MODE_THREAD] = "pthread_create (thread)",
	[MODE_SHARED] = "fork with shared data (shared)",
	[MODE_EXEC] = "posix_spawn (exec)",
};

/* The extra modes that ran the cell of the process series p. */
static unsigned extra_modes(const struct dataset *d, const struct series *p)
{
	unsigned has = 0;

	for (int m = 0; m < MODE_N; m++)
		if (EXTRA_MODES & (1u << m) &&
		    dataset_find(d, p->workload, p->params, p->pin, p->workers, m, p->metric))
			has |= 1u << m;
	return has;
}

/* The process series of metric in wl (params with kv, when kv) that an
 * extra mode ran too: the largest heap (spawn), then the most workers.
 * NULL when none. */
static const struct series *extra_cell(const struct dataset *d, const char *wl, const char *kv,
				       const char *metric)
{
	const struct series *best = NULL;

	for (size_t i = 0; i < d->n; i++) {
		const struct series *s = &d->s[i];

		if (s->mode != MODE_PROCESS || strcmp(s->workload, wl) || strcmp(s->metric, metric) ||
		    (kv && !has_param(s->params, kv)) || !extra_modes(d, s))
			continue;
		if (!best || heap_of(s) > heap_of(best) ||
		    (heap_of(s) == heap_of(best) && s->workers > best->workers))
			best = s;
	}
	return best;
}

/* ". Other modes, spawn_s at heap=1G n=2: fork with shared data (shared)
 * 1 ms, 0.2x process [0.1, 0.3]; ...; process 5 ms, thread 0.3 ms".
 * out[m]: each extra mode's outcome against process in direction good
 * (OUT_NONE for a mode that did not run). Returns the modes said. */
static unsigned say_extra(const struct dataset *d, const struct series *p, double noise, int good,
			  struct claim_out *o, enum outcome out[MODE_N])
{
	unsigned has = p ? extra_modes(d, p) : 0;
	char a[32], b[32];

	for (int m = 0; m < MODE_N; m++)
		out[m] = OUT_NONE;
	if (!has)
		return 0;
	say(o, ". Other modes, %s", p->metric);
	if (*p->params)
		say(o, " at %s", p->params);
	say(o, " n=%d:", p->workers);
	for (int m = 0; m < MODE_N; m++) {
		struct cmp c;

		if (!(has & (1u << m)) || compare_mode(d, p, m, noise, good, &c) < 0)
			continue;
		out[m] = c.out;
		say(o, " %s %s", extra_role[m], fmt_value(c.v.t->s.median, p->unit, a, sizeof(a)));
		if (c.out != OUT_NONE)
			say(o, ", %.3gx process [%.3g, %.3g]", c.v.ratio, c.v.lo, c.v.hi);
		say(o, ";");
	}
	say(o, " process %s, thread %s", fmt_value(p->s.median, p->unit, a, sizeof(a)),
	    fmt_value(sibling(d, p, MODE_THREAD, p->metric), p->unit, b, sizeof(b)));
	return has;
}

/* Whether any extra mode said is `want` against process. */
static int any_out(const enum outcome out[MODE_N], enum outcome want)
{
	for (int m = 0; m < MODE_N; m++)
		if (EXTRA_MODES & (1u << m) && out[m] == want)
			return 1;
	return 0;
}

/* Whether every extra mode said has an interval and none is `not`. */
static int all_but(unsigned has, const enum outcome out[MODE_N], enum outcome not)
{
	for (int m = 0; m < MODE_N; m++)
		if (has & (1u << m) && (out[m] == OUT_NONE || out[m] == not))
			return 0;
	return 1;
}

/* faster_runtime: creating workers, against the parent's heap. */
static void extra_faster(const struct dataset *d, double noise, struct claim_out *o)
{
	enum outcome out[MODE_N];
	unsigned has = say_extra(d, extra_cell(d, "spawn", NULL, "spawn_s"), noise, -1, o, out);

	if (has && any_out(out, OUT_BETTER))
		say(o, " - the cost follows the copied page tables, not process isolation");
	else if (has && all_but(has, out, OUT_BETTER))
		say(o, " - a process costs as much however it starts: isolation, not copying");
}

/* less_memory: sharing the data against isolating it. */
static void extra_memory(const struct dataset *d, double noise, struct claim_out *o)
{
	static const char *const wls[] = { "sharedread", "cow", "spawn" };
	const struct series *p = NULL;
	enum outcome out[MODE_N];

	for (size_t k = 0; k < ARRAY_SIZE(wls) && !p; k++)
		p = extra_cell(d, wls[k], NULL, "pss_pte_kib");
	if (!say_extra(d, p, noise, -1, o, out))
		return;
	if (out[MODE_SHARED] == OUT_BETTER)
		say(o, " - processes sharing the data save as threads do: the saving comes from sharing, not from threads");
	else if (out[MODE_SHARED] == OUT_SAME)
		say(o, " - processes sharing the data use what processes use");
	if (out[MODE_EXEC] == OUT_WORSE)
		say(o, "%s isolated processes that inherit nothing pay for their own copies", out[MODE_SHARED] == OUT_BETTER || out[MODE_SHARED] == OUT_SAME ? ";" : " -");
}

/* longer_bursts: the burst of each kind of worker. */
static void extra_bursts(const struct dataset *d, double noise, struct claim_out *o)
{
	static const char *const wls[] = { "burst", "cpu", "pingpong" };
	const struct series *p = NULL;
	enum outcome out[MODE_N];
	unsigned has;

	for (size_t k = 0; k < ARRAY_SIZE(wls) && !p; k++)
		p = extra_cell(d, wls[k], NULL, "burst_p50_us");
	if (!(has = say_extra(d, p, noise, 0, o, out)))
		return;
	if (all_but(has, out, OUT_HIGHER) && !any_out(out, OUT_LOWER) && !any_out(out, OUT_INCONCLUSIVE))
		say(o, " - processes made either way burst as processes do: the length follows the workload, not how workers share or start");
}

/* sync_need, complexity: lost updates of processes that share memory. */
static void extra_sync(const struct dataset *d, double noise, struct claim_out *o)
{
	const struct series *p = find_kv(d, "counter", "sync=none", "lost_updates", 2);
	double sl, el;

	if (!p || !extra_modes(d, p))
		return;
	(void)noise;
	sl = sibling(d, p, MODE_SHARED, "lost_updates");
	el = sibling(d, p, MODE_EXEC, "lost_updates");
	say(o, ". Other modes, counter sync=none n=%d:", p->workers);
	if (!isnan(sl))
		say(o, sl > 0 ? " processes sharing memory (shared) lost %.0f as threads did (%.0f): the race comes from sharing, not from threads"
			      : " processes sharing memory (shared) lost %.0f here (threads %.0f)",
		    sl, sibling(d, p, MODE_THREAD, "lost_updates"));
	if (!isnan(el))
		say(o, "%s spawned processes (exec) lost %.0f", isnan(sl) ? "" : ";", el);
}

/* crash_all: survivors of workers isolated but sharing, or spawned. */
static void extra_crash(const struct dataset *d, double noise, struct claim_out *o)
{
	const struct series *p = find_kv(d, "crash", "fault=segv", "survivors", 2);
	int alive = 1;

	if (!p || !extra_modes(d, p))
		return;
	(void)noise;
	say(o, ". Other modes, crash fault=segv n=%d:", p->workers);
	for (int m = 0; m < MODE_N; m++) {
		double v = sibling(d, p, m, "survivors");

		if (!(EXTRA_MODES & (1u << m)) || isnan(v))
			continue;
		say(o, " %s %.0f of %d survive;", extra_role[m], v, p->workers);
		alive &= v > 0;
	}
	say(o, " processes %.0f, threads %.0f", p->s.median, sibling(d, p, MODE_THREAD, "survivors"));
	if (alive)
		say(o, " - shared and exec workers survived like processes: isolation, not sharing, decides");
}

/* cow: a shared heap is never copied; fork time against the heap. */
static void extra_cow(const struct dataset *d, double noise, struct claim_out *o)
{
	const struct series *f = extra_cell(d, "cow", NULL, "faults_per_worker"), *lo, *hi;
	double sf = f ? sibling(d, f, MODE_SHARED, "faults_per_worker") : NAN;

	(void)noise;
	if (!isnan(sf))
		/* Its faults are those of the worker's own copies (the
		 * workload copies by hand there, as threads must): the
		 * evidence is that they match the threads', not a count. */
		say(o, ". Other modes, cow %s n=%d: the kernel never copies a shared heap on write, so a worker of shared mode copies what it modifies by hand, as a thread does: %.0f faults for %.0f pages written (threads %.0f); a forked child took %.0f, copied on write by the kernel",
		    f->params, f->workers, sf, sibling(d, f, MODE_SHARED, "pages_written"),
		    sibling(d, f, MODE_THREAD, "faults_per_worker"), f->s.median);
	spawn_ends(d, &lo, &hi);
	if (!lo || !extra_modes(d, lo) || !extra_modes(d, hi))
		return;
	say(o, "%s workers started from %s to %s (n=%d):", isnan(sf) ? ". Other modes," : ";",
	    lo->params, hi->params, hi->workers);
	for (int m = 0; m < MODE_N; m++) {
		char a[32], b[32];
		double x = sibling(d, lo, m, "spawn_s"), y = sibling(d, hi, m, "spawn_s");

		if (!isnan(x) && !isnan(y))
			say(o, "%s %s %s to %s", m ? "," : "", dataset_mode_name(m),
			    fmt_value(x, "s", a, sizeof(a)), fmt_value(y, "s", b, sizeof(b)));
	}
}

/* parallel: the speedup of every kind of worker. */
static void extra_parallel(const struct dataset *d, double noise, struct claim_out *o)
{
	const struct series *p = scale_cell(d, "cpu", "speedup", "ops_per_s");
	int all = 1, said = 0;

	for (int m = 0; p && m < MODE_N; m++) {
		double r, lo, hi;
		size_t n;

		if (!(EXTRA_MODES & (1u << m)))
			continue;
		scaling(d, p, m, &r, &lo, &hi, &n);
		if (isnan(r))
			continue;
		say(o, "%s %s speedup %.3gx [%.3g, %.3g]", said++ ? ";" : ". Other modes, cpu:",
		    extra_role[m], r, lo, hi);
		all &= n >= VERSUS_MIN_REPS && above_band(lo, noise) > 0;
	}
	if (said && all)
		say(o, " - processes however made run in parallel too: parallelism is not a property of threads");
}

/* cow_ops: the same writes in a child whose data are shared or that was
 * spawned. */
static void extra_cowops(const struct dataset *d, double noise, struct claim_out *o)
{
	static const char *const ops[] = { "write_global", "write_heap", "malloc_small", "call_deep" };
	const struct series *cell = extra_cell(d, "cowops", NULL, "faults_write_global");

	(void)noise;
	for (int m = 0; cell && m < MODE_N; m++) {
		if (!(extra_modes(d, cell) & (1u << m)))
			continue;
		say(o, "%s faults per operation, %s:", m == __builtin_ctz(extra_modes(d, cell)) ? ". Other modes, cowops" : ";",
		    extra_role[m]);
		for (size_t k = 0; k < ARRAY_SIZE(ops); k++) {
			char name[40];

			util_strfmt(name, sizeof(name), "faults_%s", ops[k]);
			say(o, "%s %s %.2f", k ? "," : "", ops[k], sibling(d, cell, m, name));
		}
	}
}

/* Each claim is decided by a tally of comparisons or by its own function. */
static const struct claim_def {
	const char *id, *side, *statement;
	const struct tallied *tally;
	void (*decide)(const struct dataset *d, double noise, struct claim_out *o);
	/* The sentence of the modes beyond process and thread. */
	void (*extra)(const struct dataset *d, double noise, struct claim_out *o);
} defs[CLAIM_N] = {
	[CLAIM_FASTER_RUNTIME] = { "faster_runtime", "thread", "threads: faster runtime?", &faster, NULL, extra_faster },
	[CLAIM_PARALLEL] = { "parallel", "thread", "threads: parallel programming", NULL, decide_parallel, extra_parallel },
	[CLAIM_LESS_MEMORY] = { "less_memory", "thread", "threads: less overall OS memory usage", &memory, NULL, extra_memory },
	[CLAIM_LONGER_BURSTS] = { "longer_bursts", "thread", "threads: larger/longer CPU bursts?", &bursts, NULL, extra_bursts },
	[CLAIM_SYNC_NEED] = { "sync_need", "thread", "threads: increased need for synchronization", NULL, decide_sync, extra_sync },
	[CLAIM_COMPLEXITY] = { "complexity", "thread", "threads: complexity", NULL, decide_complexity, extra_sync },
	[CLAIM_CRASH_ALL] = { "crash_all", "thread", "threads: if one thread seg-faults, ALL threads are dead", NULL, decide_crash, extra_crash },
	[CLAIM_COW] = { "cow", "process", "fork: pages are copied only when written", NULL, decide_cow, extra_cow },
	[CLAIM_COW_OPS] = { "cow_ops", "process", "fork: writes include changing a variable, allocating dynamic memory, calling a function", NULL, decide_cowops, extra_cowops },
};

const char *claims_name(enum claim_id id)
{
	return defs[id].id;
}

const char *claims_side(enum claim_id id)
{
	return defs[id].side;
}

const char *claims_statement(enum claim_id id)
{
	return defs[id].statement;
}

const char *claims_verdict_name(enum verdict v)
{
	static const char *const names[V_N] = {
		[V_NOT_MEASURED] = "not_measured", [V_SUPPORTED] = "supported",
		[V_REFUTED] = "refuted", [V_NO_DIFFERENCE] = "no_difference",
		[V_INCONCLUSIVE] = "inconclusive",
	};

	return names[v];
}

/* A ratio at least this far from 1 (either way) is a large effect. */
#define EFFECT_LARGE 1.25

/* The size of the row's thread/process ratio: inside the noise band
 * negligible, within a factor EFFECT_LARGE small, beyond it large. */
static const char *effect_of(double r, double noise)
{
	if (isnan(r))
		return "";
	if (r >= 1 - noise && r <= 1 + noise)
		return "negligible";
	return r > 1 / EFFECT_LARGE && r < EFFECT_LARGE ? "small" : "large";
}

/* The trials of the claim's workloads dropped as noisy. */
static void say_noise(const struct dataset *d, enum claim_id id, struct claim_out *o)
{
	size_t trials = 0, dropped = 0;
	char names[256] = "";

	for (int i = 0; workloads[i]; i++) {
		size_t t, x;

		if (!(workloads[i]->claims & CLAIM_BIT(id)))
			continue;
		dataset_dropped(d, workloads[i]->name, &t, &x);
		if (!t)
			continue;
		trials += t;
		dropped += x;
		util_strfmt(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
		       *names ? ", " : "", workloads[i]->name);
	}
	if (!trials)
		return;
	if (!d->nz.measured)
		say(o, ". Noise: not measured");
	else
		say(o, ". Noise: %zu of %zu trials of %s dropped as disturbed", dropped, trials, names);
}

void claims_decide(const struct dataset *d, double noise, struct claim_out out[CLAIM_N])
{
	for (int i = 0; i < CLAIM_N; i++) {
		struct claim_out *o = &out[i];
		double hw;

		memset(o, 0, sizeof(*o));
		o->process = o->thread = o->ratio = o->lo = o->hi = NAN;
		o->verdict = V_NOT_MEASURED;
		if (defs[i].tally)
			decide_tallied(d, noise, defs[i].tally, o);
		else
			defs[i].decide(d, noise, o);
		defs[i].extra(d, noise, o);
		/* A tallied claim states the precision of all its comparisons. */
		hw = stats_half_width(o->ratio, o->lo, o->hi);
		if (!defs[i].tally && !isnan(hw))
			say(o, ". Precision: the row's interval reaches %.1f%% from its ratio", 100 * hw);
		say_noise(d, (enum claim_id)i, o);
		o->effect = effect_of(o->ratio, noise);
	}
}
