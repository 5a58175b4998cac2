/* trial.c - runs one trial: the harness's side of the fork.
 *
 *   harness ── fork ── trial process (trialproc.c)
 *      │                 setup, workers, metrics, verify, teardown
 *      └─ waits for it, the timeout or the stop flag; kills what is left
 *         (its cgroup or process group, and any orphan); reads the
 *         shared region (trialshm.h) and the wait status into a result.
 */
#include "trialshm.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

	util_strfmt(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	for (int round = 0; round < 64; round++) {
		long n = util_read_file(path, buf, sizeof(buf));
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

		if (util_read_file("/proc/sys/kernel/perf_event_mlock_kb", buf, sizeof(buf)) > 0)
			budget = strtod(buf, NULL) * 1024;
		budget *= cpus > 0 ? (double)cpus : 1;
		if (getrlimit(RLIMIT_MEMLOCK, &ml) == 0 && ml.rlim_cur != RLIM_INFINITY)
			budget += (double)ml.rlim_cur * (mode_forks(mode) ? n : 1);
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
	if (pid == 0)
		trial_process(c, cgdir);
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
	double deadline = util_now_s() + sp->timeout_s;
	enum trial_status st;

	for (;;) {
		siginfo_t si = { 0 };
		double left = deadline - util_now_s();
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
			probes_burst_stats(NULL, 0, &w->bs);        /* all NaN */
		w->has_mem = st->has_mem;
		w->mem = st->mem;
		w->wait_s = st->has_wait && st->t_done > 0 ?
			    (double)(st->wait1_ns - st->wait0_ns) / 1e9 : NAN;
	}
}

/* Interference during the timed work: the workers' waits, steal on the
 * trial's CPUs, and the CPU time on them that was not the trial's own
 * (its workers' from their barrier to their end, and the trial process's). */
static void interference(const struct ctx *c, struct trial_result *r)
{
	const struct trial_shared *sh = c->sh;
	double own = 0, busy;
	int known = 0;

	r->wait_s = 0;
	for (int i = 0; i < r->nworkers; i++) {
		const struct wstat *st = &sh->slots[i].st;

		if (!isnan(r->w[i].wait_s)) {
			r->wait_s += r->w[i].wait_s;
			known++;
		}
		if (st->has_u0 && st->has_usage)
			own += st->u.user_s + st->u.sys_s - st->u0.user_s - st->u0.sys_s;
	}
	if (!known)
		r->wait_s = NAN;
	if (!sh->has_ct || sh->t_last_done <= 0)
		return;
	own += sh->tp1.user_s + sh->tp1.sys_s - sh->tp0.user_s - sh->tp0.sys_s;
	busy = (double)(sh->ct1.busy_ns - sh->ct0.busy_ns) / 1e9;
	r->steal_s = (double)(sh->ct1.steal_ns - sh->ct0.steal_ns) / 1e9;
	/* clock ticks against precise times: never below nothing */
	r->foreign_cpu_s = busy > own ? busy - own : 0;
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
	const struct burst *pool = sh_pool(sh);

	probes_burst_stats(pool, n, &r->bs);
	for (uint32_t i = 0; i < n; i++)
		r->hist[pool[i].preempted ? 1 : 0][stats_hist_bin(pool[i].us)]++;
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
static void fault_metrics(struct ctx *c, struct trial_result *r, double t_detect)
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
			/* Forked modes: the trial reaped the victim itself. */
			if (mode_forks(c->t.mode) && sh->slots[i].st.t_reaped > 0)
				t_seen = sh->slots[i].st.t_reaped;
		}
	}
	trial_metric(&c->t, -1, "survivors", survivors, "workers");
	if (planned)
		trial_metric(&c->t, -1, "work_done_frac",
			     (double)done / (double)planned, "fraction");
	if (t_fault > 0) {
		if (isnan(t_seen))
			t_seen = t_detect;
		trial_metric(&c->t, -1, "detect_ms",
			     (t_seen - t_fault) * 1e3, "ms");
	}
}

/* Copies the metrics out; a metric recorded per worker only also gets a
 * trial row: the mean over the workers that recorded it. */
static void copy_metrics(const struct trial_shared *sh, struct trial_result *r)
{
	int n = (int)atomic_load(&((struct trial_shared *)sh)->nmetrics);
	const struct metric_value *mv = sh_metrics(sh);

	if (n > (int)sh->metrics_cap)
		n = (int)sh->metrics_cap;
	r->nmetrics = 0;
	r->metrics = malloc((size_t)(2 * n + 1) * sizeof(*r->metrics));
	if (!r->metrics) {
		note(r, "%d metrics dropped (out of memory)", n);
		return;
	}
	memcpy(r->metrics, mv, (size_t)n * sizeof(*r->metrics));
	r->nmetrics = n;
	for (int i = 0; i < n; i++) {
		const struct metric_value *m = &mv[i];
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
			if (mv[j].worker >= 0 && strcmp(mv[j].name, m->name) == 0) {
				sum += mv[j].value;
				cnt++;
			}
		}
		r->metrics[r->nmetrics] = *m;
		r->metrics[r->nmetrics].worker = -1;
		r->metrics[r->nmetrics].value = sum / cnt;
		r->nmetrics++;
	}
}

/* Lays out the shared region the harness just mapped and the trial as
 * the workload will see it; both are inherited by the fork. */
static void share(struct ctx *c, size_t size, size_t metrics_at, size_t pool_at)
{
	const struct trial_spec *sp = c->spec;
	struct trial_shared *sh = c->sh;

	sh->checksum_ok = -1;
	sh->size = size;
	sh->bursts = sp->bursts;
	sh->user_only = sp->user_only;
	sh->ring_pages = ring_pages(sp->nworkers, sp->mode);
	sh->metrics_at = metrics_at;
	sh->metrics_cap = metrics_cap(sp->nworkers);
	sh->pool_at = pool_at;
	if (sp->bursts != BURSTS_OFF)
		sh->burst_cap = BURST_POOL;
	/* what an exec'd worker cannot inherit */
	sh->wl_index = -1;
	for (int i = 0; workloads[i]; i++)
		if (workloads[i] == sp->wl)
			sh->wl_index = i;
	sh->mode = sp->mode;
	sh->nworkers = sp->nworkers;
	memcpy(sh->pv, sp->pv, sizeof(sh->pv));
	sh->membind = sp->membind;
	sh->membind_on = sp->pin && sp->membind.policy != PM_FIRST_TOUCH;
	sh->arena_fd = -1;
	c->t.wl = sp->wl;
	c->t.mode = sp->mode;
	c->t.nworkers = sp->nworkers;
	memcpy(c->t.pv, sp->pv, sizeof(c->t.pv));
	c->t.sh = sh;
	for (int i = 0; i < sp->nworkers; i++) {
		struct slot *s = &sh->slots[i];

		s->w.id = i;
		s->w.t = &c->t;
		s->w.fd[0] = s->w.fd[1] = -1;
		s->st.cpu_requested = sp->cpus ? sp->cpus[i] : -1;
		s->st.cpu_observed = -1;
		s->st.ctx = c;
		c->t.workers[i] = &s->w;
	}
}

/* How the trial ended, as the harness saw it. */
struct ending {
	enum trial_status killed;       /* TS_OK, or why the harness killed it */
	int st;                         /* the trial process's wait status */
	struct rusage ru;               /* and its usage */
	double t_detect;                /* when the harness saw the end */
	int cg_err;                     /* -errno: its cgroup failed */
	char cgdir[PATH_MAX];           /* its cgroup ("" when none was tried) */
	const char *how;                /* what was killed: "cgroup" or "process group" */
	int in_cgroup;                  /* OOM kills counted in its memory.events */
	int64_t oom_kills;              /* during the trial; -1 when unknown */
};

/* Starts the trial process, waits until it ends, times out or the run is
 * stopped, then kills and reaps what is left. Returns 0, or -errno when
 * the trial process could not be started. */
static int run_trial(struct ctx *c, struct ending *e)
{
	const struct trial_spec *sp = c->spec;
	const char *tcg, *oom_at;
	int64_t oom0, oom1;
	pid_t pid;
	int rc;

	/* Its own cgroup where the run has one; a process group always. */
	if (sp->cg)
		e->cg_err = cg_make(sp->cg, e->cgdir, sizeof(e->cgdir));
	tcg = sp->cg && !e->cg_err ? e->cgdir : "";
	oom_at = *tcg && sp->cg->memory ? tcg : NULL;
	e->in_cgroup = oom_at != NULL;
	oom0 = cg_oom_kills(oom_at);
	pid = start_trial(c, tcg);
	if (pid < 0) {
		if (*tcg)
			cg_remove(tcg);
		return (int)pid;
	}
	e->killed = wait_trial(sp, pid);
	e->t_detect = util_now_s();
	end_tree(pid, tcg, &e->st, &e->ru);
	oom1 = cg_oom_kills(oom_at);
	e->oom_kills = oom0 >= 0 && oom1 >= 0 ? oom1 - oom0 : -1;
	if (!e->cg_err)
		e->cg_err = c->sh->cg_err;
	e->how = *tcg && !e->cg_err ? "cgroup" : "process group";
	if (*tcg && (rc = cg_remove(tcg)) < 0 && !e->cg_err)
		e->cg_err = rc;
	return 0;
}

/* The trial's status and message: what the trial process said, unless
 * the harness killed it, it died, or the OOM killer was at work. */
static void judge(const struct ctx *c, const struct ending *e, int died, struct trial_result *r)
{
	const struct trial_spec *sp = c->spec;

	r->status = (enum trial_status)c->sh->status;
	r->signal = c->sh->signal;
	util_strfmt(r->message, sizeof(r->message), "%s", c->sh->message);
	if (e->killed != TS_OK) {
		r->status = e->killed;
		r->signal = SIGKILL;
		if (e->killed == TS_TIMEOUT)
			util_strfmt(r->message, sizeof(r->message), "no end after %g s: %s killed",
			       sp->timeout_s, e->how);
		else
			util_strfmt(r->message, sizeof(r->message), "interrupted by signal %d (%s): %s killed",
			       (int)*sp->stop, strsignal((int)*sp->stop), e->how);
	} else if (died) {
		r->status = TS_CRASHED;
		r->signal = died;
		util_strfmt(r->message, sizeof(r->message), "trial process killed by signal %d (%s)",
		       died, strsignal(died));
	} else if (WIFEXITED(e->st) && WEXITSTATUS(e->st) != 0 && r->status == TS_OK) {
		r->status = TS_ERROR;
		util_strfmt(r->message, sizeof(r->message), "trial process exited with %d",
		       WEXITSTATUS(e->st));
	}
	if (e->oom_kills >= 0 &&
	    (r->status = trial_oom_status(r->status, r->signal, e->oom_kills)) == TS_OOM)
		note(r, "the OOM killer: %lld kill(s) during the trial (%s)", (long long)e->oom_kills,
		     e->in_cgroup ? "the trial's memory.events" : "/proc/vmstat");
	if (e->cg_err)
		note(r, "cgroup %s: %s", e->cgdir, strerror(-e->cg_err));
}

/* Trial-level bursts, or a note on why they are withheld. */
static void trial_bursts(const struct trial_shared *sh, struct trial_result *r)
{
	int noprobe = 0;

	if (sh->bursts == BURSTS_OFF) {
		probes_burst_stats(NULL, 0, &r->bs);        /* all NaN: not measured */
		return;
	}
	for (int i = 0; i < r->nworkers; i++)
		noprobe += sh->slots[i].st.noprobe;
	pool_stats(sh, r);
	if (noprobe) {
		/* A trial-level distribution of some workers only would
		 * be compared with all of the other mode's: withhold it. */
		probes_burst_stats(NULL, 0, &r->bs);
		memset(r->hist, 0, sizeof(r->hist));
		note(r, "bursts withheld: %d of %d workers could not open their probe (locked-memory limit?)",
		     noprobe, r->nworkers);
	}
}

/* Everything the result says, from the shared region and the ending. */
static void collect(struct ctx *c, const struct ending *e, struct trial_result *r)
{
	struct trial_shared *sh = c->sh;
	int died = 0;

	r->maxrss_kib = (uint64_t)e->ru.ru_maxrss;
	if (e->killed == TS_OK && WIFSIGNALED(e->st))
		died = WTERMSIG(e->st);
	fill_workers(c, r, died, e->killed);
	sum_workers(r);
	interference(c, r);
	judge(c, e, died, r);
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
	trial_bursts(sh, r);
	if (atomic_load(&sh->metrics_lost))
		note(r, "%u metrics dropped (no room)", (unsigned)atomic_load(&sh->metrics_lost));

	if (c->spec->wl->flags & WL_FAULTS) {
		fault_metrics(c, r, e->t_detect);
		/* the injected fault, not the OOM killer, is what it expects */
		r->expected = r->status == TS_OK || r->status == TS_CRASHED ||
			      r->status == TS_TIMEOUT;
	} else {
		r->expected = r->status == TS_OK;
	}
	copy_metrics(sh, r);
}

int trial_run(const struct trial_spec *sp, struct trial_result *r)
{
	size_t metrics_at, pool_at, size;
	struct ctx c = { .spec = sp, .sh = MAP_FAILED, .shfd = -1 };
	struct ending e = { .killed = TS_OK, .oom_kills = -1 };
	int rc = 0;

	size = shared_size(sp->nworkers, sp->bursts != BURSTS_OFF, &metrics_at, &pool_at);
	memset(r, 0, sizeof(*r));
	r->nworkers = sp->nworkers;
	r->spawn_s = r->wall_s = r->join_s = NAN;
	r->wait_s = r->steal_s = r->foreign_cpu_s = r->speed = NAN;
	r->quiet = -1;
	r->checksum_ok = -1;
	r->w = calloc((size_t)sp->nworkers, sizeof(*r->w));
	c.t.workers = calloc((size_t)sp->nworkers, sizeof(*c.t.workers));
	if (!r->w || !c.t.workers)
		rc = -ENOMEM;
	else if ((c.shfd = memfd_create("ptbench-trial", MFD_CLOEXEC)) < 0 ||
		 ftruncate(c.shfd, (off_t)size) < 0 ||
		 (c.sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
			      c.shfd, 0)) == MAP_FAILED)
		rc = -errno;
	if (!rc) {
		share(&c, size, metrics_at, pool_at);
		rc = run_trial(&c, &e);
	}
	if (!rc)
		collect(&c, &e, r);

	free(c.t.workers);
	if (c.sh != MAP_FAILED)
		munmap(c.sh, size);
	if (c.shfd >= 0)
		close(c.shfd);
	if (rc) {
		free(r->w);
		r->w = NULL;
	}
	return rc;
}

void trial_result_free(struct trial_result *r)
{
	free(r->w);
	free(r->metrics);
	memset(r, 0, sizeof(*r));
}
