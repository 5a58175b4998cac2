/* trialproc.c - the trial process and its workers: everything on the far
 * side of the harness's fork.
 *
 *   trial process (own process group, no core dumps)
 *     setup(); spawn N workers (fork, pthread_create, or posix_spawn of
 *     ptbench itself: an exec'd worker maps this region from a descriptor)
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
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <spawn.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct slot *slot_of(struct worker *w)
{
	return (struct slot *)((char *)w - offsetof(struct slot, w));
}

static struct ctx *ctx_of(struct trial *t)
{
	return (struct ctx *)((char *)t - offsetof(struct ctx, t));
}

#define ARENA_HINT (UINT64_C(16) << 40)     /* 16 TiB */

/* exec mode, the trial process: a piece of the arena memfd, mapped
 * shared here; exec'd workers map it again at the same address. */
static int arena_map(struct trial_shared *sh, size_t len, unsigned how, void **out)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t off = sh->arena_len, size = len + (uint64_t)page - 1;
	void *a;

	size -= size % (uint64_t)page;
	if (sh->narena == (int)ARRAY_SIZE(sh->arena))
		return -ENOSPC;
	/* no MFD_CLOEXEC: the exec'd workers inherit it */
	if (sh->arena_fd < 0 && (sh->arena_fd = memfd_create("ptbench-arena", 0)) < 0)
		return -errno;
	if (ftruncate(sh->arena_fd, (off_t)(off + size)) < 0)
		return -errno;
	/* A hint far below where a fresh program's libraries, stack and
	 * heap go (near the top of the address space, and the PIE binary
	 * at about 85 TiB): an exec'd worker finds the same range free.
	 * Where the kernel cannot honour it, any address still works here
	 * and, most likely, in the worker. */
	a = mmap((void *)(uintptr_t)(ARENA_HINT + off), len, PROT_READ | PROT_WRITE, MAP_SHARED,
		 sh->arena_fd, (off_t)off);
	if (a == MAP_FAILED)
		return -errno;
	sh->arena[sh->narena++] = (struct arena_piece){ (uintptr_t)a, len, off, how };
	sh->arena_len = off + size;
	*out = a;
	return 0;
}

int wl_map(struct trial *t, size_t len, unsigned how, void **out)
{
	struct ctx *c = ctx_of(t);
	int shared = (how & WL_SHARED) || t->mode == MODE_SHARED;
	void *a;

	if (t->mode == MODE_EXEC && !c->in_worker)
		return arena_map(t->sh, len, how, out);
	a = mmap(NULL, len, PROT_READ | PROT_WRITE, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS,
		 -1, 0);
	if (a == MAP_FAILED)
		return -errno;
	*out = a;
	return 0;
}

void wl_unmap(struct trial *t, void *addr, size_t len)
{
	(void)t;
	if (addr)
		munmap(addr, len);
}

/* An exec'd worker: maps the trial's arena where the trial process has
 * it (its pointers are valid here then), shared or copy-on-write as
 * wl_map was asked. Returns 0 or -errno (-EEXIST: the address is taken). */
static int arena_attach(struct ctx *c)
{
	struct trial_shared *sh = c->sh;

	for (int i = 0; i < sh->narena; i++) {
		const struct arena_piece *p = &sh->arena[i];
		void *want = (void *)p->addr;
		void *a = mmap(want, p->len, PROT_READ | PROT_WRITE,
			       (p->how & WL_SHARED ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED_NOREPLACE,
			       sh->arena_fd, (off_t)p->off);

		if (a == MAP_FAILED)
			return -errno;
		if (a != want) {        /* a kernel that ignores the flag */
			munmap(a, p->len);
			return -EEXIST;
		}
	}
	c->t.priv = (void *)sh->priv;
	return 0;
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
	m = &sh_metrics(sh)[i];
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

/* An exec'd worker's data, after its binding (first touch is local): the
 * trial's arena mapped (WX_MAP), or its own setup() (WX_BUILD), whose
 * time is its own, not the cost of creating it. Returns 0 or -errno,
 * with what failed in the slot. */
static int exec_data(struct ctx *c, struct slot *s)
{
	const struct workload *wl = c->spec->wl;
	double t0 = util_now_s();
	int rc;

	if (wl->exec == WX_MAP) {
		util_strfmt(s->st.what, sizeof(s->st.what), "map");
		return arena_attach(c);
	}
	util_strfmt(s->st.what, sizeof(s->st.what), "setup");
	rc = wl->setup ? wl->setup(&c->t) : 0;
	s->st.setup_s += util_now_s() - t0;
	return rc;
}

/* The life of one worker, in any mode. Its phase is the one thing the
 * trial process counts: written once per step, after everything the step
 * publishes, so a death at any instant leaves a consistent count. */
static void worker_body(struct ctx *c, struct slot *s)
{
	struct trial_shared *sh = c->sh;
	struct bprobe bp;
	int rc, traced = sh->bursts != BURSTS_OFF;

	int ready = 1;

	s->st.pid = getpid();
	s->st.tid = gettid();
	if (s->st.cpu_requested >= 0) {
		/* A worker binds only itself - the same single call in every
		 * mode (a process worker has one thread at this point). */
		rc = pin_bind_cpu(s->st.cpu_requested);
		if (rc)
			s->st.err = rc;
	}
	s->st.cpu_observed = sched_getcpu();
	if (c->in_worker) {
		/* its start-up may have failed already (s->st.err set) */
		rc = s->st.status == WS_ERROR ? s->st.err : exec_data(c, s);
		if (rc < 0) {
			s->st.err = rc;
			s->st.status = WS_ERROR;
			ready = 0;
		}
	}
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

	if (!sh->abort && ready) {
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
			sh_pool(sh)[at + i] = bp.b[i];
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
			} else if ((w->exit_code = WEXITSTATUS(st)) != 0 && w->status == WS_OK) {
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

		if (mode_forks(c->t.mode))
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

/* exec mode: starts worker i as `EXE --exec-worker-- FD I`. The child
 * inherits this process's group, cgroup and descriptors (the region's,
 * the arena's, the workload's pipes). Without a program of the spec's
 * it runs this very program through /proc/self/exe: a ptbench rebuilt
 * or removed during the run, or a folder of its path this user may not
 * search, changes nothing (a worker of another build would read the
 * shared region wrongly). Returns 0 or -errno. */
static int spawn_exec(struct ctx *c, const char *exe, int i, pid_t *pid)
{
	char fd[16], slot[16];
	char *argv[] = { (char *)exe, TRIAL_WORKER_ARG, fd, slot, NULL };
	extern char **environ;

	util_strfmt(fd, sizeof(fd), "%d", c->shfd);
	util_strfmt(slot, sizeof(slot), "%d", i);
	return -posix_spawn(pid, c->spec->exe ? c->spec->exe : "/proc/self/exe", NULL, NULL, argv,
			    environ);
}

/* The program exec'd workers run: the spec's, else this one. */
static const char *exec_path(const struct ctx *c, char *buf, size_t len)
{
	ssize_t n;

	if (c->spec->exe)
		return c->spec->exe;
	n = readlink("/proc/self/exe", buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* What creates a worker in mode m, for messages. */
static const char *creator(enum mode m)
{
	return m == MODE_THREAD ? "pthread_create" : m == MODE_EXEC ? "posix_spawn" : "fork";
}

/* Creates the workers: forks, threads or exec'd programs, as the mode
 * says. Returns how many exist; on a failure the trial is marked failed
 * and the ones that exist are told to skip their work. */
static int spawn(struct ctx *c, pthread_t *tids)
{
	struct trial_shared *sh = c->sh;
	int n = c->spec->nworkers, created, rc = 0;
	char buf[PATH_MAX];
	const char *exe = c->t.mode == MODE_EXEC ? exec_path(c, buf, sizeof(buf)) : NULL;

	fflush(NULL);
	sh->t_create = util_now_s();
	for (created = 0; created < n; created++) {
		struct slot *s = &sh->slots[created];

		if (c->t.mode == MODE_EXEC) {
			if ((rc = spawn_exec(c, exe, created, &s->st.pid)) < 0)
				break;
		} else if (mode_forks(c->t.mode)) {
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
		char what[PATH_MAX + 16];

		fail(sh, TS_ERROR, exe ? util_strfmt(what, sizeof(what), "%s %s", creator(c->t.mode), exe)
				       : creator(c->t.mode), rc);
		snprintf(sh->message + strlen(sh->message),
			 sizeof(sh->message) - strlen(sh->message),
			 " (after %d of %d workers)", created, n);
		sh->abort = 1;
	}
	return created;
}

/* At the end barrier, every worker alive with its data touched: the
 * memory of the trial process and (forked modes) of each worker. */
static void sample_memory(struct ctx *c, int created)
{
	struct trial_shared *sh = c->sh;

	if (probes_mem_sample(0, &sh->mem) < 0)
		return;
	sh->has_mem = 1;
	for (int i = 0; mode_forks(c->t.mode) && i < created; i++) {
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
		} else if (w->status == WS_NOT_STARTED && w->t_ready <= 0 && !sh->abort) {
			/* it ended before its start barrier: an exec'd
			 * program that was not ptbench, or could not run */
			sh->status = TS_ERROR;
			util_strfmt(sh->message, sizeof(sh->message),
				    "worker %d (%s) ended before its start barrier with exit status %d",
				    i, creator(c->t.mode), w->exit_code);
		} else if (w->status != WS_OK) {
			fail(sh, TS_ERROR, failed_what(c, *w->what ? w->what : "work", what, sizeof(what)),
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
	if (t->mode == MODE_EXEC) {
		/* what the exec'd workers find: this process, the data it
		 * built, and the region's descriptor, now inherited */
		sh->trial_pid = getpid();
		sh->priv = (uintptr_t)t->priv;
		fcntl(c->shfd, F_SETFD, 0);
	}
	if (mode_forks(t->mode)) {
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
	 * this process noticed (its wake-up latency is not spawn cost), less
	 * an exec'd worker's own setup (building its data is not creating
	 * it). */
	sh->t_ready = sh->t_create;
	for (int i = 0; i < created; i++) {
		const struct wstat *w = &sh->slots[i].st;

		if (w->t_ready - w->setup_s > sh->t_ready)
			sh->t_ready = w->t_ready - w->setup_s;
	}

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
	if (mode_forks(t->mode)) {
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

int trial_exec_worker(int argc, char **argv)
{
	struct trial_shared *sh;
	struct trial_spec spec = { 0 };
	struct ctx c = { .spec = &spec, .shfd = -1, .in_worker = 1 };
	struct pin *pin = NULL;
	uint64_t fd, i;
	size_t size;
	double t0 = util_now_s();
	int rc;

	/* A posix_spawn child does not keep its parent's death signal. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (argc != 4 || util_parse_u64(argv[2], 0, &fd) < 0 || fd > INT_MAX ||
	    util_parse_u64(argv[3], 0, &i) < 0)
		return 127;
	sh = mmap(NULL, sizeof(*sh), PROT_READ, MAP_SHARED, (int)fd, 0);
	if (sh == MAP_FAILED)
		return 127;
	size = sh->size;
	munmap(sh, sizeof(*sh));
	sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, (int)fd, 0);
	close((int)fd);
	/* its trial must be its parent still, and know the workload */
	if (sh == MAP_FAILED || getppid() != sh->trial_pid || i >= (uint64_t)sh->nworkers ||
	    sh->wl_index < 0)
		return 127;
	c.sh = sh;
	spec.wl = workloads[sh->wl_index];
	spec.mode = sh->mode;
	spec.nworkers = sh->nworkers;
	memcpy(spec.pv, sh->pv, sizeof(spec.pv));
	spec.membind = sh->membind;
	c.t = (struct trial){ .wl = spec.wl, .mode = spec.mode, .nworkers = spec.nworkers, .sh = sh };
	memcpy(c.t.pv, sh->pv, sizeof(c.t.pv));
	c.t.workers = calloc((size_t)sh->nworkers, sizeof(*c.t.workers));
	if (!c.t.workers)
		return 127;
	for (int k = 0; k < sh->nworkers; k++)
		c.t.workers[k] = &sh->slots[k].w;
	/* A topology only where --membind needs one (binding needs none). */
	if (sh->membind_on && (rc = pin_open(&pin, NULL)) < 0) {
		sh->slots[i].st.err = rc;
		sh->slots[i].st.status = WS_ERROR;
		util_strfmt(sh->slots[i].st.what, sizeof(sh->slots[i].st.what), "topology");
	}
	spec.pin = pin;
	sh->slots[i].st.setup_s = util_now_s() - t0;
	worker_body(&c, &sh->slots[i]);
	rc = sh->slots[i].st.status == WS_OK ? 0 : 1;
	/* what its own setup built (a mapped arena goes with the process) */
	if (spec.wl->exec == WX_BUILD && spec.wl->teardown)
		spec.wl->teardown(&c.t);
	free(c.t.workers);
	if (pin)
		pin_close(pin);
	return rc;
}
