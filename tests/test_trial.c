/* test_trial.c - trial_run itself, with workloads made here: what a
 * workload records survives a crashed worker (its record() hook runs
 * after join whenever the trial process lives), a trial whose verify
 * fails keeps its metrics, and counter and membw still record their
 * trial metrics, now from record() instead of verify(), in all four
 * modes; an exec'd worker that cannot start fails its trial with a clear
 * message. argv[1]: the ptbench that exec mode runs (this test is not
 * ptbench: it must never exec itself). */
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <errno.h>

#include "opts.h"
#include "tap.h"
#include "trial.h"
#include "util.h"

static int record_then_crash(struct trial *t, struct worker *w)
{
	trial_metric(t, w->id, "from_work", w->id + 1, "n");
	atomic_store(&w->ops, 1);
	if (w->id == 1)
		raise(SIGSEGV);
	return 0;
}

static int record(struct trial *t, struct worker *w)
{
	trial_metric(t, w->id, "from_work", w->id + 1, "n");
	atomic_store(&w->ops, 1);
	return 0;
}

static int always_wrong(struct trial *t)
{
	(void)t;
	return 0;
}

static void hook(struct trial *t)
{
	trial_metric(t, -1, "from_hook", t->nworkers, "workers");
}

static const struct workload crashing = {
	.name = "crashing", .work = record_then_crash, .record = hook,
};

static const struct workload wrong = {
	.name = "wrong", .work = record, .verify = always_wrong, .record = hook,
};

/* The value of metric name for worker (-1: the trial); NaN when absent. */
/* Maps a page and places it, in setup() or in a worker. */
static int map_bound(struct trial *t)
{
	size_t len = 4096;
	void *a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int rc;

	if (a == MAP_FAILED)
		return -errno;
	rc = wl_membind(t, a, len);
	munmap(a, len);
	return rc;
}

static int bound_work(struct trial *t, struct worker *w)
{
	(void)w;
	return map_bound(t);
}

static int nothing(struct trial *t, struct worker *w)
{
	(void)t;
	(void)w;
	return 0;
}

static const struct workload bound_setup = { .name = "bound_setup", .setup = map_bound,
					     .work = nothing };
static const struct workload bound_worker = { .name = "bound_worker", .work = bound_work };

static double metric(const struct trial_result *r, int worker, const char *name)
{
	for (int i = 0; i < r->nmetrics; i++)
		if (r->metrics[i].worker == worker && !strcmp(r->metrics[i].name, name))
			return r->metrics[i].value;
	return NAN;
}

static const char *ptbench;     /* argv[1] */

static int run(const struct workload *wl, enum mode mode, int n, const char *const *kv, int nkv,
	       struct trial_result *r)
{
	struct trial_spec sp = {
		.wl = wl, .mode = mode, .nworkers = n, .bursts = BURSTS_OFF, .timeout_s = 60,
		.exe = ptbench,
	};
	char err[256];

	if (opts_params_parse(wl, kv, nkv, sp.pv, err, sizeof(err)) < 0) {
		diag("%s", err);
		return -1;
	}
	return trial_run(&sp, r);
}

/* Runs counter in exec mode with exe as the workers' program. */
static int run_exe(const char *exe, struct trial_result *r)
{
	const char *keep = ptbench;
	int rc;

	ptbench = exe;
	rc = run(workload_find("counter"), MODE_EXEC, 2, NULL, 0, r);
	ptbench = keep;
	return rc;
}

int main(int argc, char **argv)
{
	struct trial_result r;

	if (argc < 2)
		return 2;
	ptbench = argv[1];

	/* Process mode: worker 1 dies, the trial process joins the rest and
	 * runs the hook. */
	if (ok(run(&crashing, MODE_PROCESS, 2, NULL, 0, &r) == 0, "a crashing trial runs")) {
		ok(r.status == TS_CRASHED && r.w[1].status == WS_CRASHED && r.w[1].signal == SIGSEGV,
		   "worker 1 crashed (status %s, its %s)", trial_status_names[r.status],
		   worker_status_names[r.w[1].status]);
		ok(metric(&r, 0, "from_work") == 1 && metric(&r, 1, "from_work") == 2,
		   "both workers' metrics, the crashed one's too");
		ok(metric(&r, -1, "from_work") == 1.5, "their trial row, the mean");
		ok(metric(&r, -1, "from_hook") == 2, "the hook's trial metric, after the crash");
		trial_result_free(&r);
	}
	/* Shared mode: as process mode - sharing memory is not sharing a fate. */
	if (ok(run(&crashing, MODE_SHARED, 2, NULL, 0, &r) == 0, "a crashing shared trial runs")) {
		ok(r.status == TS_CRASHED && r.w[1].status == WS_CRASHED && r.w[0].status == WS_OK &&
		   metric(&r, -1, "from_hook") == 2,
		   "shared: worker 1 crashed alone, the hook ran (%s)", r.message);
		trial_result_free(&r);
	}
	/* exec: a program that is not there, not executable, or not ptbench
	 * fails the trial with a message naming it; nothing is left. */
	{
		static const struct { const char *exe, *says; } bad[] = {
			{ "/nonexistent/ptbench", "posix_spawn /nonexistent/ptbench: No such file or directory (after 0 of 2 workers)" },
			{ "/etc/passwd", "posix_spawn /etc/passwd: Permission denied (after 0 of 2 workers)" },
			{ "/bin/true", "worker 0 (posix_spawn) ended before its start barrier with exit status 0" },
		};

		for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
			if (ok(run_exe(bad[i].exe, &r) == 0, "exec of %s: the trial runs", bad[i].exe)) {
				ok(r.status == TS_ERROR && !strcmp(r.message, bad[i].says),
				   "exec of %s: error, '%s' (%s: %s)", bad[i].exe, bad[i].says,
				   trial_status_names[r.status], r.message);
				trial_result_free(&r);
			}
	}
	/* Thread mode: the segfault takes the trial process down, hook and
	 * all; what was recorded before is kept. */
	if (ok(run(&crashing, MODE_THREAD, 2, NULL, 0, &r) == 0, "a crashing thread trial runs")) {
		ok(r.status == TS_CRASHED && r.signal == SIGSEGV, "the trial process died of SIGSEGV (%s)",
		   r.message);
		ok(metric(&r, 1, "from_work") == 2, "the faulting worker's metric survives");
		ok(isnan(metric(&r, -1, "from_hook")),
		   "no hook: the trial process is gone");
		trial_result_free(&r);
	}
	/* A checksum that differs: verify says wrong, the metrics stay. */
	if (ok(run(&wrong, MODE_PROCESS, 2, NULL, 0, &r) == 0, "a wrong trial runs")) {
		ok(r.status == TS_WRONG && r.checksum_ok == 0, "its status is wrong (%s)",
		   trial_status_names[r.status]);
		ok(metric(&r, -1, "from_hook") == 2 && metric(&r, 0, "from_work") == 1,
		   "a wrong trial keeps its metrics");
		trial_result_free(&r);
	}

	/* --membind: a policy the kernel (here: pin_membind, for a node the
	 * machine lacks) refuses fails the trial with a message naming it,
	 * whether setup() or a worker placed the memory; first-touch runs. */
	{
		const struct workload *bound[] = { &bound_setup, &bound_worker };
		struct pin *pin;

		if (ok(pin_open(&pin, NULL) == 0, "this machine's topology loads")) {
			/* (not exec: a workload made here is not in ptbench) */
			for (int k = 0; k < 2; k++)
				for (int m = 0; m < MODE_EXEC; m++) {
					struct trial_spec sp = {
						.wl = bound[k], .mode = (enum mode)m, .nworkers = 2,
						.bursts = BURSTS_OFF, .timeout_s = 60, .pin = pin,
						.membind = { PM_NODE, 4000 },
					};

					if (ok(trial_run(&sp, &r) == 0, "%s %s node:4000 runs", bound[k]->name,
					       mode_names[m])) {
						ok(r.status == TS_ERROR && strstr(r.message, "--membind node:4000: "),
						   "%s %s: error naming the policy (%s: %s)", bound[k]->name,
						   mode_names[m], trial_status_names[r.status], r.message);
						trial_result_free(&r);
					}
					sp.membind = (struct pin_mem){ PM_FIRST_TOUCH, -1 };
					if (ok(trial_run(&sp, &r) == 0, "%s first-touch runs", bound[k]->name)) {
						ok(r.status == TS_OK, "%s %s first-touch: ok (%s)", bound[k]->name,
						   mode_names[m], r.message);
						trial_result_free(&r);
					}
				}
			pin_close(pin);
		}
	}

	/* counter and membw: the trial metrics verify() used to record. */
	for (int m = 0; m < MODE_N; m++) {
		static const char *const lock[] = { "increments=1000", "sync=lock" };
		static const char *const none[] = { "increments=1000", "sync=none" };
		static const char *const small[] = { "size=96K", "passes=1" };
		const struct workload *counter = workload_find("counter");
		const struct workload *membw = workload_find("membw");

		if (run(counter, (enum mode)m, 2, lock, 2, &r) == 0) {
			ok(r.status == TS_OK && metric(&r, -1, "lost_updates") == 0 &&
			   metric(&r, -1, "invisible_updates") == 0 &&
			   metric(&r, -1, "sync_ops_per_op") == 2 && metric(&r, 0, "ns_per_op") > 0,
			   "counter sync=lock, %s: no update lost, 2 sync ops an update", mode_names[m]);
			trial_result_free(&r);
		}
		if (run(counter, (enum mode)m, 2, none, 2, &r) == 0) {
			/* processes count in their own copies (exec: copy-on-write
			 * views of the trial's): all invisible; shared memory
			 * is one counter, as for threads */
			ok(r.status == TS_OK && metric(&r, -1, "sync_ops_per_op") == 0 &&
			   (m == MODE_THREAD || m == MODE_SHARED ? metric(&r, -1, "invisible_updates") == 0
					     : metric(&r, -1, "invisible_updates") == 2000 &&
					       metric(&r, -1, "lost_updates") == 2000),
			   "counter sync=none, %s: lost %g, invisible %g", mode_names[m],
			   metric(&r, -1, "lost_updates"), metric(&r, -1, "invisible_updates"));
			trial_result_free(&r);
		}
		if (run(membw, (enum mode)m, 2, small, 2, &r) == 0) {
			double sum = metric(&r, 0, "gbps") + metric(&r, 1, "gbps");

			ok(r.status == TS_OK && metric(&r, -1, "gbps") > 0 &&
			   metric(&r, -1, "gbps") >= sum * 0.999999 && metric(&r, -1, "gbps") <= sum * 1.000001,
			   "membw, %s: the trial's gbps is the workers' sum (%g, %g)", mode_names[m],
			   metric(&r, -1, "gbps"), sum);
			trial_result_free(&r);
		}
	}
	return done_testing();
}
