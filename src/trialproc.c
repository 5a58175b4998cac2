/* trialproc.c - the trial process and its workers: everything on the far
 * side of the harness's fork.
 *
 *   trial process (own process group, no core dumps)
 *     setup(); spawn N workers (fork or pthread_create)
 *     start barrier ─ work ─ end barrier ─ memory ─ join
 *     record(); verify(); teardown()
 *
 * All it tells the harness goes through the shared region (trialshm.h).
 * Barriers are futex words in that region, so they work the same between
 * threads and between processes.
 */
#include "trialshm.h"
#include "noise.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct slot *slot_of(struct worker *w)
{
	return (struct slot *)((char *)w - offsetof(struct slot, w));
}

int trial_metric(struct trial *t, int worker, const char *name, double value,
		 const char *unit)
{
	struct trial_shared *sh = t->sh;
	uint32_t i = atomic_fetch_add(&sh->nmetrics, 1);
	struct metric_value *m;

	if (i >= sh->metrics_cap) {
		atomic_fetch_add(&sh->metrics_lost, 1);
		return -ENOSPC;
	}
	m = &sh->metrics[i];
	m->worker = worker;
	util_strfmt(m->name, sizeof(m->name), "%s", name);
	util_strfmt(m->unit, sizeof(m->unit), "%s", unit ? unit : "");
	m->value = value;
	return 0;
}

uint64_t wl_minflt(void)
{
	struct usage u;

	return probes_usage_thread(&u) == 0 ? u.minflt : 0;
}

double wl_now(void)
{
	return util_now_s();
}

void wl_block_us(double us)
{
	uint32_t never = 0;     /* nobody wakes it: the timeout does */
	double end = util_now_s() + us * 1e-6, left;

	while ((left = end - util_now_s()) > 0)
		util_futex_wait(&never, 0, left);
}

double wl_thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void worker_tick(struct worker *w)
{
	struct bprobe *b = slot_of(w)->st.probe;

	if (b)
		bprobe_tick(b);
}

static void event(struct trial_shared *sh)
{
	__atomic_add_fetch(&sh->events, 1, __ATOMIC_RELEASE);
	util_futex_wake(&sh->events, 1);
}

static void wait_flag(uint32_t *flag)
{
	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
		util_futex_wait(flag, 0, -1);
}

static void set_flag(uint32_t *flag)
{
	__atomic_store_n(flag, 1, __ATOMIC_RELEASE);
	util_futex_wake(flag, INT32_MAX);
}

/* The life of one worker, in either mode. Its phase is the one thing the
 * trial process counts: written once per step, after everything the step
 * publishes, so a death at any instant leaves a consistent count. */
static void worker_body(struct ctx *c, struct slot *s)
{
	struct trial_shared *sh = c->sh;
	struct bprobe bp;
	int rc, traced = sh->bursts != BURSTS_OFF;

	s->st.pid = getpid();
	s->st.tid = gettid();
	if (s->st.cpu_requested >= 0) {
		/* A worker binds only itself - the same single call in both
		 * modes (a process worker has one thread at this point). */
		rc = pin_bind(c->spec->pin, s->st.cpu_requested, 0);
		if (rc)
			s->st.err = rc;
	}
	s->st.cpu_observed = sched_getcpu();
	if (traced) {
		rc = bprobe_open(&bp, sh->bursts, sh->user_only, sh->ring_pages);
		if (rc == 0)
			s->st.probe = &bp;
		else
			s->st.noprobe = 1;
	}
	s->st.has_u0 = probes_usage_thread(&s->st.u0) == 0;
	s->st.has_wait = noise_wait_ns(&s->st.wait0_ns) == 0;
	s->st.t_ready = util_now_s();
	atomic_store(&s->st.phase, PH_READY);
	event(sh);
	wait_flag(&sh->go);

	if (!sh->abort) {
		s->st.t_go = util_now_s();
		if (s->st.probe)
			bprobe_start(&bp);
		rc = c->spec->wl->work(&c->t, &s->w);
		if (s->st.probe)
			bprobe_stop(&bp);
		s->st.t_done = util_now_s();
		/* Its own usage, from its start to the end of its work, in
		 * both modes (wait4 would add a process's exit). */
		s->st.has_usage = probes_usage_thread(&s->st.u) == 0;
		s->st.has_wait &= noise_wait_ns(&s->st.wait1_ns) == 0;
		if (rc < 0)
			s->st.err = rc;
		s->st.status = rc < 0 ? WS_ERROR : WS_OK;
	}
	atomic_store(&s->st.phase, PH_DONE);
	event(sh);
	wait_flag(&sh->release);

	if (s->st.probe) {
		/* After release: the switch-out at the end barrier is in the
		 * ring now, and draining costs nothing that is timed. */
		uint32_t at, n;

		bprobe_finish(&bp, &s->st.bs);
		n = (uint32_t)bp.n;
		at = atomic_fetch_add(&sh->nbursts, n);
		for (uint32_t i = 0; i < n && at + i < sh->burst_cap; i++)
			sh->pool[at + i] = bp.b[i];
		if (at + n > sh->burst_cap)
			atomic_fetch_add(&sh->pool_lost, at >= sh->burst_cap ? n : at + n - sh->burst_cap);
		s->st.probe = NULL;
		bprobe_close(&bp);
	}
}

static void *thread_main(void *arg)
{
	struct slot *s = arg;

	worker_body(s->st.ctx, s);
	return NULL;
}

/* Trial process, process mode: one SIGCHLD says a worker may have died. */
static struct trial_shared *sigchld_sh;  /* only for the handler below */

static void on_sigchld(int sig)
{
	(void)sig;
	if (sigchld_sh)
		event(sigchld_sh);
}

/* Reaps process workers that have exited, without blocking (block = 0)
 * or until none is left (block = 1), marking each one dead. */
static void reap(struct ctx *c, int block)
{
	struct trial_shared *sh = c->sh;
	int n = c->spec->nworkers;

	for (;;) {
		struct rusage ru;
		int st;
		pid_t pid = wait4(-1, &st, block ? 0 : WNOHANG, &ru);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0)
			return;
		for (int i = 0; i < n; i++) {
			struct wstat *w = &sh->slots[i].st;

			if (w->pid != pid)
				continue;
			w->t_reaped = util_now_s();
			atomic_store(&w->phase, PH_DEAD);
			/* A worker that died before its own usage snapshot: its
			 * whole life, from wait4, is all there is. */
			if (!w->has_usage) {
				probes_usage_from(&w->u, &ru);
				w->has_usage = 1;
			}
			if (WIFSIGNALED(st)) {
				w->status = WS_CRASHED;
				w->signal = WTERMSIG(st);
			} else if (WEXITSTATUS(st) != 0 && w->status == WS_OK) {
				w->status = WS_ERROR;
			}
			break;
		}
	}
}

/* Waits until each of the first `created` workers has reached `phase`
 * (or died: PH_DEAD is past every phase). */
static void wait_phase(struct ctx *c, int created, int phase)
{
	struct trial_shared *sh = c->sh;

	for (;;) {
		uint32_t ev = __atomic_load_n(&sh->events, __ATOMIC_ACQUIRE);
		int there = 0;

		if (c->t.mode == MODE_PROCESS)
			reap(c, 0);
		for (int i = 0; i < created; i++)
			there += atomic_load(&sh->slots[i].st.phase) >= phase;
		if (there >= created)
			return;
		/* The timeout only guards against a lost wake-up. */
		util_futex_wait(&sh->events, ev, 0.1);
	}
}

static void fail(struct trial_shared *sh, enum trial_status st, const char *what, int err)
{
	sh->status = st;
	util_strfmt(sh->message, sizeof(sh->message), "%s: %s", what, strerror(-err));
}

int wl_membind(struct trial *t, void *addr, size_t len)
{
	const struct ctx *c = (const struct ctx *)((char *)t - offsetof(struct ctx, t));
	int none = 0, rc;

	if (!c->spec->pin)
		return 0;       /* no topology (unit tests): nothing to bind to */
	rc = pin_membind(c->spec->pin, addr, len, &c->spec->membind);

	if (rc < 0)
		atomic_compare_exchange_strong(&t->sh->membind_err, &none, rc);
	return rc;
}

/* What failed, for the message: "membind node:1" when wl_membind did (the
 * kernel refused the policy), else what. */
static const char *failed_what(struct ctx *c, const char *what, char *buf, size_t len)
{
	char pol[32];

	if (!atomic_load(&c->sh->membind_err))
		return what;
	return util_strfmt(buf, len, "--membind %s", pin_mem_text(&c->spec->membind, pol, sizeof(pol)));
}

/* Creates the workers: forks or threads, as the mode says. Returns how
 * many exist; on a failure the trial is marked failed and the ones that
 * exist are told to skip their work. */
static int spawn(struct ctx *c, pthread_t *tids)
{
	struct trial_shared *sh = c->sh;
	int n = c->spec->nworkers, created, rc = 0;

	fflush(NULL);
	sh->t_create = util_now_s();
	for (created = 0; created < n; created++) {
		struct slot *s = &sh->slots[created];

		if (c->t.mode == MODE_PROCESS) {
			pid_t pid = fork();

			if (pid == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				worker_body(c, s);
				_exit(s->st.status == WS_OK ? 0 : 1);
			}
			if (pid < 0) {
				rc = -errno;
				break;
			}
			s->st.pid = pid;
		} else {
			rc = -pthread_create(&tids[created], NULL, thread_main, s);
			if (rc)
				break;
		}
	}
	if (created < n) {
		/* Release the ones that exist so they can be joined. */
		fail(sh, TS_ERROR, c->t.mode == MODE_PROCESS ? "fork" : "pthread_create", rc);
		snprintf(sh->message + strlen(sh->message),
			 sizeof(sh->message) - strlen(sh->message),
			 " (after %d of %d workers)", created, n);
		sh->abort = 1;
	}
	return created;
}

/* At the end barrier, every worker alive with its data touched: the
 * memory of the trial process and (process mode) of each worker. */
static void sample_memory(struct ctx *c, int created)
{
	struct trial_shared *sh = c->sh;

	if (probes_mem_sample(0, &sh->mem) < 0)
		return;
	sh->has_mem = 1;
	for (int i = 0; c->t.mode == MODE_PROCESS && i < created; i++) {
		struct wstat *w = &sh->slots[i].st;

		if (atomic_load(&w->phase) == PH_DEAD || probes_mem_sample(w->pid, &w->mem))
			continue;
		w->has_mem = 1;
		sh->mem.rss_kib += w->mem.rss_kib;
		sh->mem.pss_kib += w->mem.pss_kib;
		sh->mem.uss_kib += w->mem.uss_kib;
		sh->mem.pte_kib += w->mem.pte_kib;
	}
}

/* The latest of the first `created` workers' times at offset `off` of
 * struct wstat, and `since` when none is later. */
static double latest(const struct trial_shared *sh, int created, size_t off, double since)
{
	for (int i = 0; i < created; i++) {
		double t = *(const double *)((const char *)&sh->slots[i].st + off);

		if (t > since)
			since = t;
	}
	return since;
}

/* The trial's status from its workers': the first that crashed or
 * failed makes it crashed or error. */
static void judge_workers(struct ctx *c, int n)
{
	struct trial_shared *sh = c->sh;
	char what[48];

	for (int i = 0; sh->status == TS_OK && i < n; i++) {
		struct wstat *w = &sh->slots[i].st;

		if (w->status == WS_CRASHED) {
			sh->status = TS_CRASHED;
			sh->signal = w->signal;
			util_strfmt(sh->message, sizeof(sh->message),
			       "worker %d killed by signal %d (%s)", i, w->signal,
			       strsignal(w->signal));
		} else if (w->status != WS_OK) {
			fail(sh, TS_ERROR, failed_what(c, "work", what, sizeof(what)),
			     w->err ? w->err : -EIO);
			snprintf(sh->message + strlen(sh->message),
				 sizeof(sh->message) - strlen(sh->message),
				 " (worker %d)", i);
		}
	}
}

/* The trial process after its start-up. Never returns. */
static _Noreturn void trial_main(struct ctx *c)
{
	const struct workload *wl = c->spec->wl;
	struct trial_shared *sh = c->sh;
	struct trial *t = &c->t;
	int created, rc;
	pthread_t *tids = NULL;

	rc = wl->setup ? wl->setup(t) : 0;
	if (rc < 0) {
		char what[48];

		fail(sh, TS_ERROR, failed_what(c, "setup", what, sizeof(what)), rc);
		_exit(0);
	}
	if (t->mode == MODE_PROCESS) {
		struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_RESTART };

		sigchld_sh = sh;
		sigaction(SIGCHLD, &sa, NULL);
	} else {
		tids = calloc((size_t)t->nworkers, sizeof(*tids));
		if (!tids) {
			fail(sh, TS_ERROR, "spawn", -ENOMEM);
			_exit(0);
		}
	}

	created = spawn(c, tids);
	wait_phase(c, created, PH_READY);
	/* Spawning ends when the last worker reached the barrier, not when
	 * this process noticed (its wake-up latency is not spawn cost). */
	sh->t_ready = latest(sh, created, offsetof(struct wstat, t_ready), sh->t_create);

	/* the trial's CPUs (all of them for workers placed nowhere) */
	sh->has_ct = noise_stat_read(c->spec->cpus, c->spec->cpus ? t->nworkers : 0, &sh->ct0) == 0 &&
		     probes_usage_thread(&sh->tp0) == 0;
	sh->t_go = util_now_s();
	set_flag(&sh->go);
	wait_phase(c, created, PH_DONE);
	sh->t_last_done = latest(sh, created, offsetof(struct wstat, t_done), sh->t_go);
	sh->has_ct &= noise_stat_read(c->spec->cpus, c->spec->cpus ? t->nworkers : 0, &sh->ct1) == 0 &&
		      probes_usage_thread(&sh->tp1) == 0;
	sample_memory(c, created);

	sh->t_release = util_now_s();
	set_flag(&sh->release);
	if (t->mode == MODE_PROCESS) {
		reap(c, 1);     /* until none is left */
	} else {
		for (int i = 0; i < created; i++)
			pthread_join(tids[i], NULL);
	}
	sh->t_joined = util_now_s();
	free(tids);

	/* Before judging: a trial whose worker crashed keeps its metrics. */
	if (wl->record && !sh->abort)
		wl->record(t);
	judge_workers(c, t->nworkers);
	if (sh->status == TS_OK && wl->verify) {
		rc = wl->verify(t);
		sh->checksum_ok = rc > 0;
		if (rc == 0) {
			sh->status = TS_WRONG;
			util_strfmt(sh->message, sizeof(sh->message), "checksum differs from the reference");
		} else if (rc < 0) {
			fail(sh, TS_ERROR, "verify", rc);
		}
	}
	if (wl->teardown)
		wl->teardown(t);
	_exit(0);
}

void trial_process(struct ctx *c, const char *cgdir)
{
	struct rlimit core = { 0, 0 };
	sigset_t none;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (*cgdir)
		c->sh->cg_err = cg_enter(cgdir);
	setrlimit(RLIMIT_CORE, &core);
	/* The harness's stop handlers are not the trial's: it and its
	 * workers get the default actions (a write to a closed pipe
	 * kills, as in any program). */
	for (int s = 1; s < NSIG; s++)
		if (trial_stop_signal(s))
			signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	trial_main(c);
}
