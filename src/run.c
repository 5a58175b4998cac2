/* run.c - runs a plan one trial at a time and appends each trial's rows
 * to the result folder as soon as it ends.
 *
 * Order inside a cell: warm-up trials, counted repetitions, then the
 * traced repetitions (burst records on); each of them once per mode, the
 * modes alternating which goes first, so drift hits both alike. With
 * -r auto the counted repetitions go on until adapt.h's rule stops them. */
#include "run.h"
#include "adapt.h"
#include "check.h"
#include "estimate.h"
#include "noise.h"
#include "stats.h"
#include "cgroup.h"
#include "results.h"
#include "trial.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How many reference times make "the run's usual speed" (the latest),
 * on how many of a trial's CPUs the loop runs, and for how long. */
#define REF_KEEP   255
#define REF_CPUS   NOISE_REF_CPUS
#define REF_S      NOISE_REF_S

/* A run in progress. */
struct run {
	const struct run_env *env;
	struct results rs;
	struct cg *cg;                  /* NULL: process groups only */
	enum burst_src src;             /* of traced trials */
	int user_only;
	int total, done;                /* trials planned, run */
	int unexpected;                 /* a trial did not end as expected */
	uint64_t lost;                  /* burst records lost */
	double started;
	struct est_calib cal;            /* the progress line's estimate: */
	struct pin_counts pc;
	double est_total, est_done;     /* seconds of the plan, of the trials run */
	struct adapt_cell *cell;        /* the cell whose counted pairs run */
	struct adapt_obs seen[MODE_N];  /* its pair's trials, by mode */
	/* The reference loop: its length, and its last times (a ring). */
	uint64_t ref_iters;
	double ref[REF_KEEP];
	int nref;
	cpu_set_t home;                 /* the harness's own CPUs */
	int has_home;
};

/* Counted repetitions a cell is planned with: -r auto's least. */
static int planned_reps(const struct experiment *e)
{
	return e->reps == REPS_AUTO ? ADAPT_MIN_PAIRS : e->reps;
}

/* The machine's speed just before a trial: the reference loop on each of
 * the trial's CPUs (up to REF_CPUS of them; where the harness runs when
 * the workers are not pinned), the slowest of them against the median of
 * the run's recent times. 1 = as usual; NaN when not measured. */
/* Adds cpu to the set set[0..*n) of at most max; 1 when it was not in
 * it yet (and there was room), else 0. */
static int cpu_add(int *set, int *n, int max, int cpu)
{
	for (int i = 0; i < *n; i++)
		if (set[i] == cpu)
			return 0;
	if (*n >= max)
		return 0;
	set[(*n)++] = cpu;
	return 1;
}

static double speed_now(struct run *run, const int *cpus, int n)
{
	double slowest = 0, sorted[REF_KEEP];
	int tried[REF_KEEP], ntried = 0, done = 0, k;

	for (int i = 0; i < n && done < REF_CPUS; i++) {
		if (!cpu_add(tried, &ntried, REF_KEEP, cpus[i]) ||
		    (cpus[i] >= 0 && pin_bind(run->env->pin, cpus[i], 0) < 0))
			continue;
		double t = noise_ref_s(run->ref_iters);

		slowest = t > slowest ? t : slowest;
		done++;
	}
	if (run->has_home)
		sched_setaffinity(0, sizeof(run->home), &run->home);
	if (!done)
		return NAN;
	run->ref[run->nref++ % REF_KEEP] = slowest;
	k = run->nref < REF_KEEP ? run->nref : REF_KEEP;
	memcpy(sorted, run->ref, (size_t)k * sizeof(*sorted));
	return stats_median(sorted, (size_t)k) / slowest;
}

/* The quiet rule on what the trial saw (docs/methodology.md). */
static void judge_noise(const struct trial_id *ti, struct trial_result *r)
{
	struct interference x = {
		.wall_s = r->wall_s, .steal_s = r->steal_s,
		.foreign_cpu_s = r->foreign_cpu_s, .speed = r->speed, .wait_s = NAN,
	};
	const char *why;
	int cpus[REF_KEEP], ncpus = 0;

	if (r->status != TS_OK || isnan(r->wall_s))
		return;
	for (int i = 0; i < r->nworkers; i++) {
		const struct worker_result *w = &r->w[i];

		if (w->cpu_observed >= 0)
			cpu_add(cpus, &ncpus, REF_KEEP, w->cpu_observed);
		if (!isnan(w->wait_s) && (isnan(x.wait_s) || w->wait_s > x.wait_s)) {
			x.wait_s = w->wait_s;
			x.worker_wall_s = w->wall_s;
		}
	}
	x.ncpus = ncpus;
	x.own_waits = (ti->e->wl->flags & WL_BLOCKS) || r->nworkers > ncpus;
	r->quiet = noise_quiet(&x, noise_tick_s(), &why);
	if (!r->quiet && !r->message[0])
		util_strfmt(r->message, sizeof(r->message), "disturbed: %s", why);
}

/* The planned trials of p, each weighing 1 (cal NULL) or its estimated
 * seconds. */
static double plan_trials(const struct plan *p, int traced, const struct est_calib *cal,
			  const struct pin *pin)
{
	struct pin_counts pc;
	double n = 0;

	pin_counts(pin, &pc);
	for (int i = 0; i < p->n; i++) {
		const struct experiment *e = &p->exp[i];

		for (int k = 0; k < e->nw; k++)
			for (int m = 0; m < MODE_N; m++)
				if (e->modes & (1u << m))
					n += (e->warmup + planned_reps(e) + (traced ? e->traced : 0)) *
					     (cal ? estimate_trial_s(cal, &pc, e, e->workers[k], (enum mode)m) : 1);
	}
	return n;
}

/* Whether the progress line is shown. */
static int shows_progress(const struct run *run)
{
	return !run->env->o->quiet && isatty(2);
}

/* One line on stderr, rewritten in place: trial i of n, cell, time left. */
static void progress(const struct run *run, const struct trial_id *ti)
{
	double el = util_now_s() - run->started, left;
	char what[32];

	if (!shows_progress(run))
		return;
	if (ti->warmup)
		util_strfmt(what, sizeof(what), "warm-up");
	else if (ti->traced)
		util_strfmt(what, sizeof(what), "traced");
	else if (ti->e->reps == REPS_AUTO)
		util_strfmt(what, sizeof(what), "rep %d (auto)", ti->rep);
	else
		util_strfmt(what, sizeof(what), "rep %d/%d", ti->rep, ti->e->reps);
	fprintf(stderr, "\r\033[K[%d/%d] %s %s n=%d %s", run->done + 1, run->total,
		ti->e->wl->name, mode_names[ti->mode], ti->workers, what);
	/* the plan's estimate, scaled by how it has held so far */
	left = (run->est_total - run->est_done) * (run->est_done > 0 ? el / run->est_done : 1);
	fprintf(stderr, "  ~%.0f s left", left > 0 ? left : 0);
	fflush(stderr);
}

/* Keeps what a counted trial of the running cell gives -r auto's rule. */
static void note_trial(struct run *run, const struct trial_id *ti, const struct trial_result *r)
{
	if (run->cell && !ti->warmup && !ti->traced)
		run->seen[ti->mode] = adapt_observe(run->cell, r);
}

/* Runs one trial and writes its rows. Returns 0, or -errno with err set
 * when the harness could not run it or its rows could not be written. */
static int run_one(struct run *run, const struct trial_id *ti, char *err, size_t errlen)
{
	const struct run_env *env = run->env;
	const struct experiment *e = ti->e;
	int *cpus = malloc((size_t)ti->workers * sizeof(*cpus));
	struct trial_spec sp = {
		.wl = e->wl, .mode = ti->mode, .nworkers = ti->workers,
		.cpus = cpus, .pin = env->pin,
		.bursts = ti->traced ? ti->src : BURSTS_OFF,
		.user_only = run->user_only, .timeout_s = env->o->timeout,
		.stop = env->stop, .cg = run->cg, .membind = env->o->membind,
	};
	struct trial_result r;
	int rc;

	if (!cpus)
		return -ENOMEM;
	memcpy(sp.pv, e->pv, sizeof(sp.pv));
	rc = pin_place(env->pin, e->pin, ti->workers, cpus);
	if (!rc) {
		double speed = speed_now(run, cpus, ti->workers);

		rc = trial_run(&sp, &r);
		if (!rc) {
			r.speed = speed;
			judge_noise(ti, &r);
		}
	}
	free(cpus);
	if (rc) {
		util_strfmt(err, errlen, "trial %d (%s %s n=%d): %s", ti->id, e->wl->name,
		       mode_names[ti->mode], ti->workers, strerror(-rc));
		return rc;
	}
	if (!r.expected && r.status != TS_INTERRUPTED) {
		run->unexpected = 1;
		if (!env->o->quiet)
			fprintf(stderr, "%sptbench: trial %d (%s %s n=%d) %s: %s\n",
				isatty(2) ? "\r\033[K" : "", ti->id, e->wl->name,
				mode_names[ti->mode], ti->workers,
				trial_status_names[r.status], r.message);
	}
	run->lost += r.bs.lost;
	rc = results_trial(&run->rs, ti, &r);
	if (rc)
		util_strfmt(err, errlen, "writing results of trial %d: %s", ti->id, strerror(-rc));
	note_trial(run, ti, &r);
	trial_result_free(&r);
	return rc;
}

enum phase { PH_WARMUP, PH_COUNTED, PH_TRACED };

#define PAIR_MODES ((1u << MODE_PROCESS) | (1u << MODE_THREAD))

/* Runs repetition `rep` of a cell (0: a warm-up) once per mode; seq, its
 * place in the cell, decides which mode goes first. Returns 0 or the
 * failure's -errno (err set). */
static int run_rep(struct run *run, const struct experiment *e, int workers, int seq,
		   int rep, enum phase ph, char *err, size_t errlen)
{
	int rc = 0;

	for (int k = 0; k < MODE_N && !rc; k++) {
		enum mode m = (enum mode)(seq % 2 ? MODE_N - 1 - k : k);
		struct trial_id ti = {
			.id = run->done + 1, .e = e, .workers = workers, .mode = m,
			.rep = rep, .warmup = ph == PH_WARMUP, .traced = ph == PH_TRACED,
			.src = run->src,
		};

		if (!(e->modes & (1u << m)))
			continue;
		if (*run->env->stop)
			break;
		progress(run, &ti);
		rc = run_one(run, &ti, err, errlen);
		run->done++;
		if (shows_progress(run))
			run->est_done += estimate_trial_s(&run->cal, &run->pc, e, workers, m);
	}
	return rc;
}

/* The counted repetitions of a cell: e->reps of them, or with -r auto
 * until the rule stops them. Fills c with their pairs and returns why
 * they stopped (ADAPT_GO: a count ran out) in *why. Returns 0 or the
 * failure's -errno (err set). */
static int run_counted(struct run *run, const struct experiment *e, int workers,
		       struct adapt_cell *c, int *seq, enum adapt_stop *why, char *err,
		       size_t errlen)
{
	const struct adapt_rule rule = { e->precision, e->budget, REPS_MAX };
	int rc = 0, arc = 0, modes = __builtin_popcount(e->modes);
	double t0 = util_now_s();

	*why = ADAPT_GO;
	run->cell = c;
	for (int rep = 1; !rc && !arc && *why == ADAPT_GO; rep++) {
		if (e->reps != REPS_AUTO && rep > e->reps)
			break;
		if (rep > planned_reps(e))
			run->total += modes;    /* a pair more than planned */
		for (int m = 0; m < MODE_N; m++)
			run->seen[m] = (struct adapt_obs){ 0, NAN };
		rc = run_rep(run, e, workers, (*seq)++, rep, PH_COUNTED, err, errlen);
		if (rc)
			break;
		if (*run->env->stop) {
			*why = ADAPT_INTERRUPTED;       /* a pair cut short is no pair */
			break;
		}
		if ((arc = adapt_add(c, run->seen)) < 0)
			break;
		c->st.elapsed_s = util_now_s() - t0;
		if (e->reps == REPS_AUTO && !(arc = adapt_update(c, 0)))
			*why = adapt_decide(&c->st, &rule);
	}
	run->cell = NULL;
	c->st.elapsed_s = util_now_s() - t0;
	if (!rc && !arc)
		arc = adapt_update(c, 1);
	if (!rc && arc) {
		util_strfmt(err, errlen, "out of memory");
		rc = arc;
	}
	return rc;
}

/* Runs one cell: warm-ups, counted repetitions (then its cells.csv row),
 * traced repetitions. Returns 0 or the failure's -errno (err set). */
static int run_cell(struct run *run, const struct experiment *e, int workers, char *err,
		    size_t errlen)
{
	int traced = run->src != BURSTS_OFF ? e->traced : 0, seq = 0, rc = 0;
	struct adapt_cell c;
	enum adapt_stop why;

	for (int w = 0; w < e->warmup && !rc && !*run->env->stop; w++)
		rc = run_rep(run, e, workers, seq++, 0, PH_WARMUP, err, errlen);
	if (rc || *run->env->stop)
		return rc;
	/* -r auto pairs process with thread; the other modes ride along */
	adapt_begin(&c, e->wl, e->params, workers, pin_names[e->pin],
		    e->modes & PAIR_MODES ? e->modes & PAIR_MODES : e->modes,
		    run->env->o->keep_noisy);
	rc = run_counted(run, e, workers, &c, &seq, &why, err, errlen);
	if (!rc) {
		struct cell_end ce = {
			.e = e, .workers = workers, .metric = c.metric, .pairs = c.st.pairs,
			.unusable = c.st.reps - c.st.pairs, .estimate = c.estimate,
			.half_width = c.st.half_width, .stopped = adapt_stop_names[why],
			.elapsed_s = c.st.elapsed_s,
		};

		if ((rc = results_cell(&run->rs, &ce)))
			util_strfmt(err, errlen, "writing cells.csv: %s", strerror(-rc));
	}
	for (int t = 0; t < traced && !rc && !*run->env->stop; t++)
		rc = run_rep(run, e, workers, seq++, c.st.reps + 1 + t, PH_TRACED, err, errlen);
	adapt_free(&c);
	return rc;
}

/* Runs every cell of the plan until one fails or the run is stopped.
 * Returns 0 or the failure's -errno (err set). */
static int run_all(struct run *run, const struct plan *p, char *err, size_t errlen)
{
	int rc = 0;

	for (int x = 0; x < p->n && !rc && !*run->env->stop; x++)
		for (int wi = 0; wi < p->exp[x].nw && !rc && !*run->env->stop; wi++)
			rc = run_cell(run, &p->exp[x], p->exp[x].workers[wi], err, errlen);
	return rc;
}

enum run_status run_plan(const struct plan *p, const struct run_env *env, char *dir,
			 size_t dirlen, char *err, size_t errlen)
{
	const struct options *opt = env->o;
	struct run run = { .env = env };
	struct cg cgs;
	int src, rc, cgrc;

	err[0] = '\0';
	src = bprobe_check((enum burst_src)opt->bursts, &run.user_only);
	if (src < 0) {
		util_strfmt(err, errlen, "--bursts %s is not available here: %s",
		       burst_names[opt->bursts], strerror(-src));
		return RUN_REFUSED;
	}
	run.src = (enum burst_src)src;
	run.total = (int)plan_trials(p, src != BURSTS_OFF, NULL, env->pin);
	if (shows_progress(&run)) {
		estimate_calibrate(&run.cal);
		pin_counts(env->pin, &run.pc);
		run.est_total = plan_trials(p, src != BURSTS_OFF, &run.cal, env->pin);
	}
	if (results_mkdir(&run.rs, opt, dir, dirlen, err, errlen) < 0)
		return RUN_REFUSED;
	if ((rc = results_open(&run.rs, dir)) < 0) {
		util_strfmt(err, errlen, "cannot create result files in %s: %s (nothing kept)", dir, strerror(-rc));
		results_remove(&run.rs, dir);
		return RUN_FAILED;
	}
	/* Each trial in a cgroup of its own where that works, or else only
	 * in its process group; cg_close on every way out from here. */
	cgrc = cg_open(&cgs);
	run.cg = cgrc == 0 ? &cgs : NULL;
	rc = results_begin(&run.rs, env, run.src, run.user_only, run.total, run.cg, cgrc);
	if (rc) {
		util_strfmt(err, errlen, "writing %s/meta.csv: %s (nothing kept)", dir, strerror(-rc));
		if (run.cg)
			cg_close(run.cg);
		results_remove(&run.rs, dir);
		return RUN_FAILED;
	}

	if (!opt->quiet)        /* advice only: the run goes on */
		check_warn(stderr, "/");
	/* the reference loop's length, and the run's first usual times */
	run.has_home = sched_getaffinity(0, sizeof(run.home), &run.home) == 0;
	run.ref_iters = noise_ref_calibrate(REF_S);
	for (int i = 0; i < 5; i++)
		run.ref[run.nref++] = noise_ref_s(run.ref_iters);
	run.started = util_now_s();
	rc = run_all(&run, p, err, errlen);
	if (run.cg)
		cg_close(run.cg);
	if (!opt->quiet && isatty(2))
		fprintf(stderr, "\r\033[K");
	if (!rc && (rc = results_end(&run.rs, run.done, (int)*env->stop, run.lost)))
		util_strfmt(err, errlen, "writing %s/meta.csv: %s", dir, strerror(-rc));
	{
		int c = results_close(&run.rs);

		if (!rc && c) {
			rc = c;
			util_strfmt(err, errlen, "closing result files in %s: %s", dir, strerror(-c));
		}
	}
	if (rc)
		return RUN_FAILED;      /* err says what could not be written */
	if (*env->stop)
		return RUN_STOPPED;
	return run.unexpected ? RUN_UNEXPECTED : RUN_OK;
}
