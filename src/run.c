/* run.c - runs a plan one trial at a time and appends each trial's rows
 * to the result folder as soon as it ends.
 *
 * Order inside a cell: warm-up trials, counted repetitions, then the
 * traced repetitions (burst records on); each of them once per mode, the
 * modes alternating which goes first, so drift hits both alike. */
#include "run.h"
#include "check.h"
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
#define REF_CPUS   8
#define REF_S      0.002

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
	/* The reference loop: its length, and its last times (a ring). */
	uint64_t ref_iters;
	double ref[REF_KEEP];
	int nref;
	cpu_set_t home;                 /* the harness's own CPUs */
	int has_home;
};

/* The machine's speed just before a trial: the reference loop on each of
 * the trial's CPUs (up to REF_CPUS of them; where the harness runs when
 * the workers are not pinned), the slowest of them against the median of
 * the run's recent times. 1 = as usual; NaN when not measured. */
static double speed_now(struct run *run, const int *cpus, int n)
{
	double slowest = 0, sorted[REF_KEEP];
	int done = 0, k;

	for (int i = 0; i < n && done < REF_CPUS; i++) {
		int seen = 0;

		for (int j = 0; j < i; j++)
			seen |= cpus[j] == cpus[i];
		if (seen || (cpus[i] >= 0 && pin_bind(run->env->pin, cpus[i], 0) < 0))
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
		int seen = 0;

		for (int j = 0; j < ncpus; j++)
			seen |= cpus[j] == w->cpu_observed;
		if (!seen && w->cpu_observed >= 0 && ncpus < REF_KEEP)
			cpus[ncpus++] = w->cpu_observed;
		if (!isnan(w->wait_s) && (isnan(x.wait_s) || w->wait_s > x.wait_s)) {
			x.wait_s = w->wait_s;
			x.worker_wall_s = w->wall_s;
		}
	}
	x.ncpus = ncpus;
	x.own_waits = (ti->e->wl->flags & WL_BLOCKS) || r->nworkers > ncpus;
	r->quiet = noise_quiet(&x, noise_tick_s(), &why);
	if (!r->quiet && !r->message[0])
		strfmt(r->message, sizeof(r->message), "disturbed: %s", why);
}

static int count_trials(const struct plan *p, int traced)
{
	int n = 0;

	for (int i = 0; i < p->n; i++) {
		const struct experiment *e = &p->exp[i];
		int modes = __builtin_popcount(e->modes);

		n += e->nw * modes * (e->warmup + e->reps + (traced ? e->traced : 0));
	}
	return n;
}

/* One line on stderr, rewritten in place: trial i of n, cell, time left. */
static void progress(const struct run *run, const struct trial_id *ti)
{
	double el = now_s() - run->started;
	char what[32];

	if (run->env->o->quiet || !isatty(2))
		return;
	if (ti->warmup)
		strfmt(what, sizeof(what), "warm-up");
	else if (ti->traced)
		strfmt(what, sizeof(what), "traced");
	else
		strfmt(what, sizeof(what), "rep %d/%d", ti->rep, ti->e->reps);
	fprintf(stderr, "\r\033[K[%d/%d] %s %s n=%d %s", run->done + 1, run->total,
		ti->e->wl->name, mode_names[ti->mode], ti->workers, what);
	if (run->done)
		fprintf(stderr, "  ~%.0f s left", el / run->done * (run->total - run->done));
	fflush(stderr);
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
		.stop = env->stop, .cg = run->cg,
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
		strfmt(err, errlen, "trial %d (%s %s n=%d): %s", ti->id, e->wl->name,
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
		strfmt(err, errlen, "writing results of trial %d: %s", ti->id, strerror(-rc));
	trial_result_free(&r);
	return rc;
}

/* Runs every trial of the plan until one fails or the run is stopped.
 * Returns 0 or the failure's -errno (err set). */
static int run_all(struct run *run, const struct plan *p, char *err, size_t errlen)
{
	int traced = run->src != BURSTS_OFF, rc = 0;

	for (int x = 0; x < p->n && !rc; x++) {
		const struct experiment *e = &p->exp[x];

		for (int wi = 0; wi < e->nw && !rc; wi++) {
			int ntr = traced ? e->traced : 0, reps = e->warmup + e->reps + ntr;

			for (int r = 0; r < reps && !rc; r++) {
				for (int k = 0; k < MODE_N && !rc; k++) {
					/* Alternate which mode goes first. */
					enum mode m = (enum mode)(r % 2 ? MODE_N - 1 - k : k);
					struct trial_id ti = {
						.id = run->done + 1, .e = e, .workers = e->workers[wi],
						.mode = m, .warmup = r < e->warmup,
						.traced = r >= e->warmup + e->reps,
						.src = run->src,
					};

					if (!(e->modes & (1u << m)))
						continue;
					ti.rep = ti.warmup ? 0 : r - e->warmup + 1;
					if (*run->env->stop)
						break;
					progress(run, &ti);
					rc = run_one(run, &ti, err, errlen);
					run->done++;
				}
			}
		}
	}
	return rc;
}

enum run_status plan_run(const struct plan *p, const struct run_env *env, char *dir,
			 size_t dirlen, char *err, size_t errlen)
{
	const struct options *opt = env->o;
	struct run run = { .env = env };
	struct cg cgs;
	int src, rc, cgrc;

	err[0] = '\0';
	src = bprobe_check((enum burst_src)opt->bursts, &run.user_only);
	if (src < 0) {
		strfmt(err, errlen, "--bursts %s is not available here: %s",
		       burst_names[opt->bursts], strerror(-src));
		return RUN_REFUSED;
	}
	run.src = (enum burst_src)src;
	run.total = count_trials(p, src != BURSTS_OFF);
	if (results_mkdir(&run.rs, opt, dir, dirlen, err, errlen) < 0)
		return RUN_REFUSED;
	if ((rc = results_open(&run.rs, dir)) < 0) {
		strfmt(err, errlen, "cannot create result files in %s: %s (nothing kept)", dir, strerror(-rc));
		results_remove(&run.rs, dir);
		return RUN_FAILED;
	}
	/* Each trial in a cgroup of its own where that works, or else only
	 * in its process group; cg_close on every way out from here. */
	cgrc = cg_open(&cgs);
	run.cg = cgrc == 0 ? &cgs : NULL;
	rc = results_begin(&run.rs, env, run.src, run.user_only, run.total, run.cg, cgrc);
	if (rc) {
		strfmt(err, errlen, "writing %s/meta.csv: %s (nothing kept)", dir, strerror(-rc));
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
	run.started = now_s();
	rc = run_all(&run, p, err, errlen);
	if (run.cg)
		cg_close(run.cg);
	if (!opt->quiet && isatty(2))
		fprintf(stderr, "\r\033[K");
	if (!rc && (rc = results_end(&run.rs, run.done, (int)*env->stop, run.lost)))
		strfmt(err, errlen, "writing %s/meta.csv: %s", dir, strerror(-rc));
	{
		int c = results_close(&run.rs);

		if (!rc && c) {
			rc = c;
			strfmt(err, errlen, "closing result files in %s: %s", dir, strerror(-c));
		}
	}
	if (rc)
		return RUN_FAILED;      /* err says what could not be written */
	if (*env->stop)
		return RUN_STOPPED;
	return run.unexpected ? RUN_UNEXPECTED : RUN_OK;
}
