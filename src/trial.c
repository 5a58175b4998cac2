/* trial.c - runs one trial.
 *
 *   harness ── fork ── trial process (own process group, no core dumps)
 *                        setup(); spawn N workers (fork or pthread_create)
 *                        start barrier ─ work ─ end barrier ─ memory ─ join
 *                        verify(); teardown()
 *
 * Everything the harness learns comes through one MAP_SHARED region made
 * before the fork (a header, one cache-line-aligned slot per worker, and
 * in traced trials a pool of raw bursts), plus the trial's wait status.
 * A worker's slot survives its crash, and the trial process's crash.
 * Barriers are futex words in that region, so they work the same between
 * threads and between processes.
 */
#include "trial.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *const trial_status_names[TS_N] = {
	"ok", "crashed", "timeout", "wrong", "error", "interrupted", "oom",
};

const char *const worker_status_names[WS_N] = {
	"not_started", "ok", "error", "crashed", "lost", "killed",
};

#define BURST_POOL (1u << 20)   /* raw bursts kept per traced trial */

/* Room for metrics: a trial's own, and a few dozen per worker. */
static uint32_t metrics_cap(int n)
{
	return 256 + 32 * (uint32_t)n;
}

enum phase { PH_CREATED, PH_READY, PH_DONE, PH_DEAD };

struct wstat {
	pid_t pid, tid;
	int cpu_requested, cpu_observed;
	int status;             /* enum worker_status */
	int signal;
	int err;                /* -errno from work() or binding */
	_Atomic int phase;      /* enum phase */
	double t_ready;         /* when it reached the start barrier */
	double t_go, t_done;    /* its own start and end of work */
	double t_reaped;        /* process mode: when the trial reaped it */
	int has_usage;
	struct usage u;
	struct burst_stats bs;
	int has_mem;
	struct memsample mem;
	int noprobe;            /* traced, but its probe could not be opened */
	void *probe;            /* its own struct bprobe (its own memory) */
	struct ctx *ctx;        /* its trial (same address in every mode) */
};

struct ctx;

struct slot {
	struct worker w;        /* the workload's view */
	struct wstat st;        /* the harness's */
} __attribute__((aligned(PTB_CACHELINE)));

struct trial_shared {
	/* Futex words, each on its own line: workers wait on go/release. */
	alignas(PTB_CACHELINE) uint32_t go;
	alignas(PTB_CACHELINE) uint32_t release;
	alignas(PTB_CACHELINE) uint32_t events;  /* bumped at ready, done, death */
	alignas(PTB_CACHELINE) int abort;        /* spawning failed: skip work */
	int cg_err;             /* -errno: the trial could not enter its cgroup */
	int status;             /* enum trial_status, as the trial saw it */
	int signal;
	char message[256];
	double t_create, t_ready, t_go, t_last_done, t_release, t_joined;
	int checksum_ok;
	int has_mem;
	struct memsample mem;
	enum burst_src bursts;
	int user_only, ring_pages;
	_Atomic uint32_t nmetrics, metrics_lost;
	uint32_t metrics_cap;
	struct metric_value *metrics;   /* after the slots */
	_Atomic uint32_t nbursts, pool_lost;
	uint32_t burst_cap;
	struct burst *pool;     /* after the metrics */
	struct slot slots[];
};

/* Everything the trial process needs, built by the harness before fork. */
struct ctx {
	const struct trial_spec *spec;
	struct trial_shared *sh;
	struct trial t;
};

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
	strfmt(m->name, sizeof(m->name), "%s", name);
	strfmt(m->unit, sizeof(m->unit), "%s", unit ? unit : "");
	m->value = value;
	return 0;
}

uint64_t wl_minflt(void)
{
	struct usage u;

	return usage_thread(&u) == 0 ? u.minflt : 0;
}

double wl_now(void)
{
	return now_s();
}

void wl_block_us(double us)
{
	uint32_t never = 0;     /* nobody wakes it: the timeout does */
	double end = now_s() + us * 1e-6, left;

	while ((left = end - now_s()) > 0)
		futex_wait(&never, 0, left);
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
	futex_wake(&sh->events, 1);
}

static void wait_flag(uint32_t *flag)
{
	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
		futex_wait(flag, 0, -1);
}

static void set_flag(uint32_t *flag)
{
	__atomic_store_n(flag, 1, __ATOMIC_RELEASE);
	futex_wake(flag, INT32_MAX);
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
	s->st.t_ready = now_s();
	atomic_store(&s->st.phase, PH_READY);
	event(sh);
	wait_flag(&sh->go);

	if (!sh->abort) {
		s->st.t_go = now_s();
		if (s->st.probe)
			bprobe_start(&bp);
		rc = c->spec->wl->work(&c->t, &s->w);
		if (s->st.probe)
			bprobe_stop(&bp);
		s->st.t_done = now_s();
		/* Its own usage, from its start to the end of its work, in
		 * both modes (wait4 would add a process's exit). */
		s->st.has_usage = usage_thread(&s->st.u) == 0;
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
			w->t_reaped = now_s();
			atomic_store(&w->phase, PH_DEAD);
			/* A worker that died before its own usage snapshot: its
			 * whole life, from wait4, is all there is. */
			if (!w->has_usage) {
				usage_from(&w->u, &ru);
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
		futex_wait(&sh->events, ev, 0.1);
	}
}

static void fail(struct trial_shared *sh, enum trial_status st, const char *what, int err)
{
	sh->status = st;
	strfmt(sh->message, sizeof(sh->message), "%s: %s", what, strerror(-err));
}

/* The trial process. Never returns. */
static void trial_main(struct ctx *c)
{
	const struct trial_spec *sp = c->spec;
	struct trial_shared *sh = c->sh;
	struct trial *t = &c->t;
	int n = sp->nworkers, created = 0, rc;
	pthread_t *tids = NULL;

	rc = sp->wl->setup ? sp->wl->setup(t) : 0;
	if (rc < 0) {
		fail(sh, TS_ERROR, "setup", rc);
		_exit(0);
	}
	if (t->mode == MODE_PROCESS) {
		struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_RESTART };

		sigchld_sh = sh;
		sigaction(SIGCHLD, &sa, NULL);
	} else {
		tids = calloc((size_t)n, sizeof(*tids));
		if (!tids) {
			fail(sh, TS_ERROR, "spawn", -ENOMEM);
			_exit(0);
		}
	}

	fflush(NULL);
	sh->t_create = now_s();
	for (; created < n; created++) {
		struct slot *s = &sh->slots[created];

		if (t->mode == MODE_PROCESS) {
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
		fail(sh, TS_ERROR, t->mode == MODE_PROCESS ? "fork" : "pthread_create", rc);
		snprintf(sh->message + strlen(sh->message),
			 sizeof(sh->message) - strlen(sh->message),
			 " (after %d of %d workers)", created, n);
		sh->abort = 1;
	}
	wait_phase(c, created, PH_READY);
	/* Spawning ends when the last worker reached the barrier, not when
	 * this process noticed (its wake-up latency is not spawn cost). */
	sh->t_ready = sh->t_create;
	for (int i = 0; i < created; i++)
		if (sh->slots[i].st.t_ready > sh->t_ready)
			sh->t_ready = sh->slots[i].st.t_ready;

	sh->t_go = now_s();
	set_flag(&sh->go);
	wait_phase(c, created, PH_DONE);
	sh->t_last_done = sh->t_go;
	for (int i = 0; i < created; i++)
		if (sh->slots[i].st.t_done > sh->t_last_done)
			sh->t_last_done = sh->slots[i].st.t_done;

	/* End barrier: every worker alive with its data touched. */
	if (mem_sample(0, &sh->mem) == 0) {
		sh->has_mem = 1;
		for (int i = 0; t->mode == MODE_PROCESS && i < created; i++) {
			struct wstat *w = &sh->slots[i].st;

			if (atomic_load(&w->phase) == PH_DEAD || mem_sample(w->pid, &w->mem))
				continue;
			w->has_mem = 1;
			sh->mem.rss_kib += w->mem.rss_kib;
			sh->mem.pss_kib += w->mem.pss_kib;
			sh->mem.uss_kib += w->mem.uss_kib;
			sh->mem.pte_kib += w->mem.pte_kib;
		}
	}

	sh->t_release = now_s();
	set_flag(&sh->release);
	if (t->mode == MODE_PROCESS) {
		reap(c, 1);     /* until none is left */
	} else {
		for (int i = 0; i < created; i++)
			pthread_join(tids[i], NULL);
	}
	sh->t_joined = now_s();
	free(tids);

	if (sh->status == TS_OK) {
		for (int i = 0; i < n; i++) {
			struct wstat *w = &sh->slots[i].st;

			if (w->status == WS_CRASHED) {
				sh->status = TS_CRASHED;
				sh->signal = w->signal;
				strfmt(sh->message, sizeof(sh->message),
				       "worker %d killed by signal %d (%s)", i, w->signal,
				       strsignal(w->signal));
				break;
			}
			if (w->status != WS_OK) {
				fail(sh, TS_ERROR, "work", w->err ? w->err : -EIO);
				snprintf(sh->message + strlen(sh->message),
					 sizeof(sh->message) - strlen(sh->message),
					 " (worker %d)", i);
				break;
			}
		}
	}
	if (sh->status == TS_OK && sp->wl->verify) {
		rc = sp->wl->verify(t);
		sh->checksum_ok = rc > 0;
		if (rc == 0) {
			sh->status = TS_WRONG;
			strfmt(sh->message, sizeof(sh->message), "checksum differs from the reference");
		} else if (rc < 0) {
			fail(sh, TS_ERROR, "verify", rc);
		}
	}
	if (sp->wl->teardown)
		sp->wl->teardown(t);
	_exit(0);
}

int trial_harness_init(void)
{
	static const int lims[] = { RLIMIT_NOFILE, RLIMIT_NPROC };
	struct rlimit rl;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return -errno;
	/* 1,024 workers need more than the usual soft limits (pipes for
	 * pingpong, one process each): take what the hard limits allow. */
	for (size_t i = 0; i < sizeof(lims) / sizeof(lims[0]); i++) {
		if (getrlimit(lims[i], &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(lims[i], &rl);
		}
	}
	return 0;
}

/* Kills and reaps every child the harness still has: a trial's process
 * that left its process group (setsid) is reparented here when its
 * parent dies, because the harness is a child subreaper. */
static void reap_strays(void)
{
	char path[64], buf[8192];

	strfmt(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	for (int round = 0; round < 64; round++) {
		long n = read_small_file(path, buf, sizeof(buf));
		int any = 0;

		if (n <= 0)
			break;
		for (char *s = buf, *end; *s; s = end) {
			long pid = strtol(s, &end, 10);

			/* A number cut by a full buffer is not a pid: the next
			 * round reads it whole. */
			if (end == s || (*end == '\0' && n == (long)sizeof(buf) - 1))
				break;
			if (pid > 0) {
				kill((pid_t)pid, SIGKILL);
				while (waitpid((pid_t)pid, NULL, 0) < 0 && errno == EINTR)
					;
				any = 1;
			}
		}
		if (!any)
			break;
	}
}

/* Kills what is left of a trial - its cgroup, when it has one, and its
 * process group, while the trial itself is still unreaped (its zombie
 * keeps the group id from being reused) - then reaps the trial (status
 * and usage to *st, *ru), the group and every orphan the harness got. */
static void end_tree(pid_t pid, const char *cgdir, int *st, struct rusage *ru)
{
	if (*cgdir)
		cg_kill(cgdir);
	kill(-pid, SIGKILL);
	while (wait4(pid, st, 0, ru) < 0 && errno == EINTR)
		;
	while (waitpid(-pid, NULL, 0) > 0 || errno == EINTR)
		;
	reap_strays();
}

enum trial_status trial_oom_status(enum trial_status st, int sig, int64_t oom_kills)
{
	return st == TS_CRASHED && sig == SIGKILL && oom_kills > 0 ? TS_OOM : st;
}

/* The shared region: header and slots, then the metrics, then (traced)
 * the burst pool. Offsets of the last two in *metrics_at and *pool_at. */
static size_t shared_size(int n, int traced, size_t *metrics_at, size_t *pool_at)
{
	size_t sz = sizeof(struct trial_shared) + (size_t)n * sizeof(struct slot);

	sz = (sz + 63) & ~(size_t)63;
	*metrics_at = sz;
	sz += metrics_cap(n) * sizeof(struct metric_value);
	sz = (sz + 4095) & ~(size_t)4095;
	*pool_at = sz;
	if (traced)
		sz += BURST_POOL * sizeof(struct burst);
	return sz;
}

/* Perf ring pages per worker: big for few workers, small for many, and
 * within what this user may lock. Root (CAP_IPC_LOCK) is not limited; any
 * other user has perf_event_mlock_kb per CPU for all its rings, then each
 * process's RLIMIT_MEMLOCK - one for all threads, one per forked worker. */
static int ring_pages(int n, enum mode mode)
{
	long page = sysconf(_SC_PAGESIZE);
	int p = 256;

	while (p > 8 && p * n > 8192)
		p /= 2;
	if (geteuid() != 0) {
		char buf[32];
		struct rlimit ml;
		double budget = 516 * 1024.0;   /* the kernel's default */
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		if (read_small_file("/proc/sys/kernel/perf_event_mlock_kb", buf, sizeof(buf)) > 0)
			budget = strtod(buf, NULL) * 1024;
		budget *= cpus > 0 ? (double)cpus : 1;
		if (getrlimit(RLIMIT_MEMLOCK, &ml) == 0 && ml.rlim_cur != RLIM_INFINITY)
			budget += (double)ml.rlim_cur * (mode == MODE_PROCESS ? n : 1);
		else
			budget = INFINITY;
		/* A ring is p data pages and one meta page; keep some slack. */
		while (p > 1 && (double)(p + 1) * (double)page * n > 0.9 * budget)
			p /= 2;
	}
	return p;
}

int trial_stop_signal(int sig)
{
	static const int async[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
		SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGIO,
#ifdef SIGPWR
		SIGPWR,
#endif
#ifdef SIGSTKFLT
		SIGSTKFLT,
#endif
	};

	for (size_t i = 0; i < ARRAY_SIZE(async); i++)
		if (async[i] == sig)
			return 1;
	return sig >= SIGRTMIN && sig <= SIGRTMAX;
}

/* Forks the trial process, which moves itself into the cgroup cgdir
 * (when not "") before anything else. Returns its pid or -errno. */
static pid_t start_trial(struct ctx *c, const char *cgdir)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
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
	setpgid(pid, pid);      /* both sides, so neither races the other */
	return pid;
}

/* Waits for the trial to end, the timeout, or the stop flag. Returns the
 * status it will have if it did not end by itself (TS_OK otherwise).
 * A stdout or stderr that became a pipe nobody reads stops the run as
 * the next write to it would, by SIGPIPE - raised now, so that the
 * harness's handler sees it during the run, not at its end. */
static enum trial_status wait_trial(const struct trial_spec *sp, pid_t pid)
{
	/* No pidfd (old kernel): poll times out every millisecond instead. */
	struct pollfd p[3] = { { .fd = (int)syscall(SYS_pidfd_open, pid, 0), .events = POLLIN },
			       { .fd = 1 }, { .fd = 2 } };
	double deadline = now_s() + sp->timeout_s;
	enum trial_status st;

	for (;;) {
		siginfo_t si = { 0 };
		double left = deadline - now_s();
		int ms = p[0].fd < 0 ? 1 : left > 1 ? 1000 : (int)(left * 1000) + 1;

		if (sp->stop && *sp->stop) {
			st = TS_INTERRUPTED;
			break;
		}
		if (left <= 0) {
			st = TS_TIMEOUT;
			break;
		}
		poll(p, 3, ms);
		if (p[0].revents & POLLIN) {
			st = TS_OK;
			break;
		}
		for (int i = 1; i < 3; i++) {
			if (p[i].fd >= 0 && (p[i].revents & POLLERR)) {
				p[i].fd = -1;   /* once: SIGPIPE may be ignored */
				if (sp->stop)
					raise(SIGPIPE);
			}
		}
		if (p[0].fd < 0 && waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == pid) {
			st = TS_OK;
			break;
		}
	}
	if (p[0].fd >= 0)
		close(p[0].fd);
	return st;
}

/* How a worker ended, from its slot, once its trial is gone: `killed`
 * says the harness killed the trial, `died` that the trial process died
 * of that signal. A worker that reached its start barrier or recorded
 * progress has started, whatever took it down; its signal goes to *sig. */
static enum worker_status worker_end(struct slot *s, enum mode mode, int died,
				     enum trial_status killed, int *sig)
{
	const struct wstat *st = &s->st;
	int started = st->t_ready > 0 || atomic_load(&s->w.ops) > 0;

	*sig = st->signal;
	if (killed != TS_OK) {
		if (st->status == WS_CRASHED || !started)
			return (enum worker_status)st->status;
		*sig = SIGKILL;
		return WS_KILLED;
	}
	if (died && mode == MODE_THREAD) {
		/* The process died: the worker that faulted crashed, the
		 * others died with it. */
		if (s->w.t_fault <= 0 && !started)
			return WS_NOT_STARTED;
		*sig = died;
		return s->w.t_fault > 0 ? WS_CRASHED : WS_LOST;
	}
	if (died && st->status == WS_NOT_STARTED && started) {
		/* A forked worker still at work when its trial process died:
		 * its parent-death signal or the harness's kill ended it. */
		*sig = SIGKILL;
		return WS_LOST;
	}
	return (enum worker_status)st->status;
}

static void fill_workers(const struct ctx *c, struct trial_result *r, int died,
			 enum trial_status killed)
{
	struct trial_shared *sh = c->sh;

	for (int i = 0; i < r->nworkers; i++) {
		struct wstat *st = &sh->slots[i].st;
		struct worker_result *w = &r->w[i];

		w->pid = st->pid;
		w->tid = st->tid;
		w->cpu_requested = st->cpu_requested;
		w->cpu_observed = st->cpu_observed;
		w->status = worker_end(&sh->slots[i], c->t.mode, died, killed, &w->signal);
		w->finished = st->t_done > 0 && st->status == WS_OK;
		w->wall_s = st->t_done > 0 ? st->t_done - st->t_go : NAN;
		w->has_usage = st->has_usage && w->status != WS_LOST;
		w->u = st->u;
		w->ops = atomic_load(&sh->slots[i].w.ops);
		w->bs = st->bs;
		if (!st->bs.n)
			burst_stats_of(NULL, 0, &w->bs);        /* all NaN */
		w->has_mem = st->has_mem;
		w->mem = st->mem;
	}
}

static void sum_workers(struct trial_result *r)
{
	int have = 0;

	memset(&r->sum, 0, sizeof(r->sum));
	for (int i = 0; i < r->nworkers; i++) {
		struct worker_result *w = &r->w[i];

		r->ops += w->ops;
		if (!w->has_usage)
			continue;
		have++;
		r->sum.user_s += w->u.user_s;
		r->sum.sys_s += w->u.sys_s;
		r->sum.minflt += w->u.minflt;
		r->sum.majflt += w->u.majflt;
		r->sum.nvcsw += w->u.nvcsw;
		r->sum.nivcsw += w->u.nivcsw;
	}
	r->has_usage = have == r->nworkers && have > 0;
}

/* Appends a note to the trial's message. */
static void note(struct trial_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct trial_result *r, const char *fmt, ...)
{
	size_t n = strlen(r->message);
	va_list ap;

	if (n && n + 2 < sizeof(r->message)) {
		strcpy(r->message + n, "; ");
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(r->message + n, sizeof(r->message) - n, fmt, ap);
	va_end(ap);
}

/* Trial-level bursts: from the pool of every worker's raw bursts (perf),
 * or, where only per-worker means exist (schedstat), their weighted mean. */
static void pool_stats(const struct trial_shared *sh, struct trial_result *r)
{
	uint32_t n = atomic_load(&((struct trial_shared *)sh)->nbursts);
	double busy = 0;

	if (n > sh->burst_cap)
		n = sh->burst_cap;
	burst_stats_of(sh->pool, n, &r->bs);
	for (uint32_t i = 0; i < n; i++)
		r->hist[sh->pool[i].preempted ? 1 : 0][hist_bin(sh->pool[i].us)]++;
	r->bs.lost = atomic_load(&((struct trial_shared *)sh)->pool_lost);
	for (int i = 0; i < r->nworkers; i++)
		r->bs.lost += r->w[i].bs.lost;
	if (n || sh->bursts != BURSTS_SCHEDSTAT)
		return;
	for (int i = 0; i < r->nworkers; i++) {
		const struct burst_stats *w = &r->w[i].bs;

		if (!w->n || isnan(w->mean_us))
			continue;
		r->bs.n += w->n;
		r->bs.preempted += w->preempted;
		busy += w->mean_us * (double)w->n;
	}
	if (r->bs.n)
		r->bs.mean_us = busy / (double)r->bs.n;
}

/* Fault accounting for workloads that inject faults (WL_FAULTS). */
static void fault_metrics(const struct ctx *c, struct trial_result *r, double t_detect)
{
	struct trial_shared *sh = c->sh;
	uint64_t done = 0, planned = 0;
	int survivors = 0;
	double t_fault = 0, t_seen = NAN;

	for (int i = 0; i < r->nworkers; i++) {
		struct worker *w = &sh->slots[i].w;

		/* A survivor finished its work and was not taken down by the
		 * fault (a hang's timeout kills finished workers too). */
		survivors += r->w[i].finished && r->w[i].status != WS_CRASHED &&
			     r->w[i].status != WS_LOST;
		done += atomic_load(&w->ops);
		planned += w->ops_planned;
		if (w->t_fault > 0) {
			t_fault = w->t_fault;
			/* Process mode: the trial reaped the victim itself. */
			if (c->t.mode == MODE_PROCESS && sh->slots[i].st.t_reaped > 0)
				t_seen = sh->slots[i].st.t_reaped;
		}
	}
	trial_metric(&((struct ctx *)c)->t, -1, "survivors", survivors, "workers");
	if (planned)
		trial_metric(&((struct ctx *)c)->t, -1, "work_done_frac",
			     (double)done / (double)planned, "fraction");
	if (t_fault > 0) {
		if (isnan(t_seen))
			t_seen = t_detect;
		trial_metric(&((struct ctx *)c)->t, -1, "detect_ms",
			     (t_seen - t_fault) * 1e3, "ms");
	}
}

/* Copies the metrics out; a metric recorded per worker only also gets a
 * trial row: the mean over the workers that recorded it. */
static void copy_metrics(const struct trial_shared *sh, struct trial_result *r)
{
	int n = (int)atomic_load(&((struct trial_shared *)sh)->nmetrics);

	if (n > (int)sh->metrics_cap)
		n = (int)sh->metrics_cap;
	r->nmetrics = 0;
	r->metrics = malloc((size_t)(2 * n + 1) * sizeof(*r->metrics));
	if (!r->metrics)
		return;
	memcpy(r->metrics, sh->metrics, (size_t)n * sizeof(*r->metrics));
	r->nmetrics = n;
	for (int i = 0; i < n; i++) {
		const struct metric_value *m = &sh->metrics[i];
		double sum = 0;
		int cnt = 0, seen = 0;

		if (m->worker < 0)
			continue;
		for (int j = 0; j < r->nmetrics && !seen; j++)
			seen = strcmp(r->metrics[j].name, m->name) == 0 &&
			       (r->metrics[j].worker < 0 || j < i);
		if (seen)
			continue;       /* the trial has one, or it was made already */
		for (int j = i; j < n; j++) {
			if (sh->metrics[j].worker >= 0 && strcmp(sh->metrics[j].name, m->name) == 0) {
				sum += sh->metrics[j].value;
				cnt++;
			}
		}
		r->metrics[r->nmetrics] = *m;
		r->metrics[r->nmetrics].worker = -1;
		r->metrics[r->nmetrics].value = sum / cnt;
		r->nmetrics++;
	}
}

int trial_run(const struct trial_spec *sp, struct trial_result *r)
{
	int traced = sp->bursts != BURSTS_OFF;
	size_t metrics_at, pool_at, size = shared_size(sp->nworkers, traced, &metrics_at, &pool_at);
	struct ctx c = { .spec = sp };
	struct trial_shared *sh;
	enum trial_status killed;
	struct rusage ru = { 0 };
	int st = 0, died = 0, cg_err = 0, rc;
	char cgdir[PATH_MAX] = "";
	const char *tcg, *oom_at, *how;
	int64_t oom0, oom1;
	double t_detect;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->nworkers = sp->nworkers;
	r->spawn_s = r->wall_s = r->join_s = NAN;
	r->checksum_ok = -1;
	r->w = calloc((size_t)sp->nworkers, sizeof(*r->w));
	if (!r->w)
		return -ENOMEM;
	sh = mmap(NULL, size, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (sh == MAP_FAILED) {
		free(r->w);
		r->w = NULL;
		return -errno;
	}
	c.sh = sh;
	sh->checksum_ok = -1;
	sh->bursts = sp->bursts;
	sh->user_only = sp->user_only;
	sh->ring_pages = ring_pages(sp->nworkers, sp->mode);
	sh->metrics = (struct metric_value *)((char *)sh + metrics_at);
	sh->metrics_cap = metrics_cap(sp->nworkers);
	if (traced) {
		sh->pool = (struct burst *)((char *)sh + pool_at);
		sh->burst_cap = BURST_POOL;
	}
	c.t.wl = sp->wl;
	c.t.mode = sp->mode;
	c.t.nworkers = sp->nworkers;
	memcpy(c.t.pv, sp->pv, sizeof(c.t.pv));
	c.t.sh = sh;
	c.t.workers = calloc((size_t)sp->nworkers, sizeof(*c.t.workers));
	if (!c.t.workers) {
		munmap(sh, size);
		free(r->w);
		r->w = NULL;
		return -ENOMEM;
	}
	for (int i = 0; i < sp->nworkers; i++) {
		struct slot *s = &sh->slots[i];

		s->w.id = i;
		s->w.t = &c.t;
		s->w.fd[0] = s->w.fd[1] = -1;
		s->st.cpu_requested = sp->cpus ? sp->cpus[i] : -1;
		s->st.cpu_observed = -1;
		s->st.ctx = &c;
		c.t.workers[i] = &s->w;
	}

	/* Its own cgroup where the run has one; a process group always. */
	if (sp->cg)
		cg_err = cg_make(sp->cg, cgdir, sizeof(cgdir));
	tcg = sp->cg && !cg_err ? cgdir : "";
	oom_at = *tcg && sp->cg->memory ? tcg : NULL;
	oom0 = cg_oom_kills(oom_at);
	pid = start_trial(&c, tcg);
	if (pid < 0) {
		if (*tcg)
			cg_remove(tcg);
		free(c.t.workers);
		munmap(sh, size);
		free(r->w);
		r->w = NULL;
		return (int)pid;
	}
	killed = wait_trial(sp, pid);
	t_detect = now_s();
	end_tree(pid, tcg, &st, &ru);
	oom1 = cg_oom_kills(oom_at);
	if (!cg_err)
		cg_err = sh->cg_err;
	how = *tcg && !cg_err ? "cgroup" : "process group";
	if (*tcg && (rc = cg_remove(tcg)) < 0 && !cg_err)
		cg_err = rc;

	r->maxrss_kib = (uint64_t)ru.ru_maxrss;
	if (killed == TS_OK && WIFSIGNALED(st))
		died = WTERMSIG(st);
	fill_workers(&c, r, died, killed);
	sum_workers(r);

	r->status = (enum trial_status)sh->status;
	r->signal = sh->signal;
	strfmt(r->message, sizeof(r->message), "%s", sh->message);
	if (killed != TS_OK) {
		r->status = killed;
		r->signal = SIGKILL;
		if (killed == TS_TIMEOUT)
			strfmt(r->message, sizeof(r->message), "no end after %g s: %s killed",
			       sp->timeout_s, how);
		else
			strfmt(r->message, sizeof(r->message), "interrupted by signal %d (%s): %s killed",
			       (int)*sp->stop, strsignal((int)*sp->stop), how);
	} else if (died) {
		r->status = TS_CRASHED;
		r->signal = died;
		strfmt(r->message, sizeof(r->message), "trial process killed by signal %d (%s)",
		       died, strsignal(died));
	} else if (WIFEXITED(st) && WEXITSTATUS(st) != 0 && r->status == TS_OK) {
		r->status = TS_ERROR;
		strfmt(r->message, sizeof(r->message), "trial process exited with %d",
		       WEXITSTATUS(st));
	}
	if (oom0 >= 0 && oom1 >= 0 &&
	    (r->status = trial_oom_status(r->status, r->signal, oom1 - oom0)) == TS_OOM)
		note(r, "the OOM killer: %lld kill(s) during the trial (%s)", (long long)(oom1 - oom0),
		     oom_at ? "the trial's memory.events" : "/proc/vmstat");
	if (cg_err)
		note(r, "cgroup %s: %s", cgdir, strerror(-cg_err));
	if (sh->t_ready > 0)
		r->spawn_s = sh->t_ready - sh->t_create;
	if (sh->t_joined > 0) {
		r->wall_s = sh->t_last_done - sh->t_go;
		r->join_s = sh->t_joined - sh->t_release;
	}
	if (r->status == TS_OK || (r->status != TS_INTERRUPTED && sh->t_joined > 0))
		r->checksum_ok = sh->checksum_ok;
	r->has_mem = sh->has_mem;
	r->mem = sh->mem;
	if (traced) {
		int noprobe = 0;

		for (int i = 0; i < r->nworkers; i++)
			noprobe += sh->slots[i].st.noprobe;
		pool_stats(sh, r);
		if (noprobe) {
			/* A trial-level distribution of some workers only would
			 * be compared with all of the other mode's: withhold it. */
			burst_stats_of(NULL, 0, &r->bs);
			memset(r->hist, 0, sizeof(r->hist));
			note(r, "bursts withheld: %d of %d workers could not open their probe (locked-memory limit?)",
			     noprobe, r->nworkers);
		}
	} else {
		burst_stats_of(NULL, 0, &r->bs);        /* all NaN: not measured */
	}
	if (atomic_load(&sh->metrics_lost))
		note(r, "%u metrics dropped (no room)", (unsigned)atomic_load(&sh->metrics_lost));

	if (sp->wl->flags & WL_FAULTS) {
		fault_metrics(&c, r, t_detect);
		/* the injected fault, not the OOM killer, is what it expects */
		r->expected = r->status == TS_OK || r->status == TS_CRASHED ||
			      r->status == TS_TIMEOUT;
	} else {
		r->expected = r->status == TS_OK;
	}
	copy_metrics(sh, r);

	free(c.t.workers);
	munmap(sh, size);
	return 0;
}

void trial_result_free(struct trial_result *r)
{
	free(r->w);
	free(r->metrics);
	memset(r, 0, sizeof(*r));
}
