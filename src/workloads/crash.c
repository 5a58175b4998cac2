/* crash - one worker faults; what happens to the others and their work?
 *
 * The same work: every worker hashes `work` units (as cpu does), writing
 * its progress into its result slot every 64 Ki units - memory shared with
 * the harness, which survives any crash. Worker `victim`, once a fraction
 * `at` of its units is done, records the time and faults:
 *   segv   writes to a page mapped PROT_NONE (a real segmentation fault)
 *   abort  calls abort() (SIGABRT)
 *   kill   raises SIGKILL
 *   hang   blocks forever; only the per-trial timeout ends the trial
 *   escape forks a grandchild that leaves the trial's process group
 *          (setsid) and sleeps for ever, then hangs: the harness must
 *          still find and kill it (it is a child subreaper)
 * A forked or exec'd victim dies alone (shared mode too: sharing memory
 * is not sharing a fate); the others finish. A faulting thread takes
 * its whole process down - every thread with it. The harness counts
 * survivors (workers that finished their work and were not killed by the
 * fault), work_done_frac (units done / units planned, from the slots) and
 * detect_ms (fault to the moment its death was seen: the trial reaping
 * the child, or the harness seeing the trial process die).
 * A crash or timeout is what this workload expects, so such a trial does
 * not make the run's exit status 1.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../workload.h"

enum { P_FAULT, P_VICTIM, P_AT, P_WORK };
enum { F_SEGV, F_ABORT, F_KILL, F_HANG, F_ESCAPE };

static const struct param params[] = {
	[P_FAULT]  = { "fault", PT_CHOICE, "segv", 0, 0, "segv|abort|kill|hang|escape",
		       "how the victim dies" },
	[P_VICTIM] = { "victim", PT_COUNT, "0", 0, 4095, NULL, "which worker faults" },
	[P_AT]     = { "at", PT_FRAC, "0.5", 0, 1, NULL,
		       "fraction of its work the victim does before faulting" },
	[P_WORK]   = { "work", PT_COUNT, "50000000", 1, 1e13, NULL,
		       "units of work per worker (one unit ~ 1 ns)" },
	{ 0 },
};

struct crash {
	void *guard;            /* a PROT_NONE page: writing it is a real SIGSEGV */
	long page;
};

static int crash_setup(struct trial *t)
{
	struct crash *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return -ENOMEM;
	t->priv = c;
	c->page = sysconf(_SC_PAGESIZE);
	if ((rc = wl_map(t, (size_t)c->page, 0, &c->guard)) < 0)
		return rc;
	if (mprotect(c->guard, (size_t)c->page, PROT_NONE) < 0)
		return -errno;
	return 0;
}

static void fault(const struct crash *c, int how)
{
	switch (how) {
	case F_SEGV:
		*(volatile int *)c->guard = 1;
		break;
	case F_ABORT:
		abort();
	case F_KILL:
		raise(SIGKILL);
		break;
	case F_ESCAPE:
		if (fork() == 0) {
			setsid();
			for (;;)
				pause();
		}
		/* fall through */
	case F_HANG:
		for (;;)
			wl_block_us(1e6);
	}
}

static int crash_work(struct trial *t, struct worker *w)
{
	struct crash *c = t->priv;
	uint64_t n = t->pv[P_WORK].u, sum = 0;
	uint64_t stop = w->id == (int)t->pv[P_VICTIM].u ?
			(uint64_t)(t->pv[P_AT].d * (double)n) : UINT64_MAX;

	w->ops_planned = n;
	for (uint64_t i = 0; i < n; i++) {
		if (i == stop) {
			atomic_store(&w->ops, i);
			w->t_fault = wl_now();
			fault(c, t->pv[P_FAULT].c);
		}
		sum += wl_mix(i ^ ((uint64_t)w->id << 48));
		if ((i & 0xffff) == 0xffff)
			atomic_store_explicit(&w->ops, i + 1, memory_order_relaxed);
	}
	atomic_store(&w->ops, n);
	w->checksum = sum;
	return 0;
}

static void crash_teardown(struct trial *t)
{
	struct crash *c = t->priv;

	if (c)
		wl_unmap(t, c->guard, (size_t)c->page);
	free(c);
}

const struct workload wl_crash = {
	.name = "crash",
	.summary = "one worker segfaults (or aborts, is killed, hangs) mid-work; who survives",
	.claims = CLAIM_BIT(CLAIM_CRASH_ALL),
	.params = params,
	.metrics = (const struct metric[]){        /* recorded by the harness (WL_FAULTS) */
		{ "survivors", "workers", 1 },
		{ "work_done_frac", "fraction", 1 },
		{ "detect_ms", "ms", -1 },
		{ NULL, NULL, 0 },
	},
	.flags = WL_FAULTS,
	.setup = crash_setup,
	.work = crash_work,
	.teardown = crash_teardown,
	.decides = "work_done_frac",
	.exec = WX_BUILD,       /* its guard page is its own */
};
