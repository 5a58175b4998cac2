/* counter - every worker adds 1 to a counter `increments` times.
 *
 * The same work, four ways (parameter sync):
 *   none     the naive program: a plain counter in the trial's memory.
 *            Threads share it and race: each increment is a relaxed atomic
 *            load then a relaxed atomic store, so updates really get lost
 *            while the C stays defined. A forked child increments its own
 *            copy-on-write copy, which the trial never sees: every update
 *            is invisible. Wrong in both modes, differently. shared mode
 *            races like threads (the counter is MAP_SHARED); exec like
 *            processes (the worker maps it copy-on-write).
 *   lock     a mutex around the shared counter (threads: a mutex in the
 *            trial's memory; processes: a PTHREAD_PROCESS_SHARED mutex in
 *            MAP_SHARED memory - what each needs to share the counter).
 *   atomic   atomic_fetch_add on the shared counter (processes: in
 *            MAP_SHARED memory).
 *   private  each worker counts in a private variable and adds it to the
 *            shared counter once at the end.
 * Metrics: lost_updates (expected total - what the trial sees after join),
 * invisible_updates (made in a private copy nobody sees: process mode,
 * none), ns_per_op (the worker's loop time / increments), sync_ops_per_op
 * (lock+unlock = 2, atomic = 1, private = 1 per worker in all), the
 * last three recorded after join by record(). verify() checks that every
 * worker made its increments, and, where the program
 * synchronizes, that none was lost; with sync=none losing updates is the
 * finding, not a failure.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "../workload.h"

enum { P_INCREMENTS, P_SYNC };
enum { S_NONE, S_LOCK, S_ATOMIC, S_PRIVATE };

static const struct param params[] = {
	[P_INCREMENTS] = { "increments", PT_COUNT, "1000000", 1, 1e12, NULL,
			   "increments per worker" },
	[P_SYNC]       = { "sync", PT_CHOICE, "none", 0, 0, "none|lock|atomic|private",
			   "how the counter is shared" },
	{ 0 },
};

/* What the trial and (by sharing or by copy) the workers see. */
struct shared {
	_Atomic uint64_t counter;
	_Atomic int arrived;            /* the rendezvous before counting */
	pthread_mutex_t lock;
	_Atomic uint64_t own[];         /* each worker's own count, for the trial */
};

struct counter {
	_Atomic uint64_t plain;         /* sync=none: the trial's memory (wl_map: the mode's) */
	struct shared *sh;              /* WL_SHARED: seen by every worker */
	size_t len;
};

/* Whether each worker counts sync=none in a copy of its own. */
static int private_view(enum mode m)
{
	return m == MODE_PROCESS || m == MODE_EXEC;
}

static int ctr_setup(struct trial *t)
{
	struct counter *c;
	pthread_mutexattr_t a;
	int rc = wl_map(t, sizeof(*c), 0, (void **)&c);

	if (rc < 0)
		return rc;
	t->priv = c;
	c->len = sizeof(*c->sh) + (size_t)t->nworkers * sizeof(c->sh->own[0]);
	/* Threads could use ordinary memory; shared memory behaves the same
	 * for them and is the only way processes can share a counter at all. */
	if ((rc = wl_map(t, c->len, WL_SHARED, (void **)&c->sh)) < 0)
		return rc;
	pthread_mutexattr_init(&a);
	if (mode_forks(t->mode))
		pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&c->sh->lock, &a);
	pthread_mutexattr_destroy(&a);
	return 0;
}

static int ctr_work(struct trial *t, struct worker *w)
{
	struct counter *c = t->priv;
	uint64_t n = t->pv[P_INCREMENTS].u, mine = 0;
	double t0;

	/* Everyone counts at the same time: a worker woken late by the start
	 * barrier could otherwise finish before the next one starts, and a
	 * race that never overlaps loses nothing. */
	atomic_fetch_add(&c->sh->arrived, 1);
	while (atomic_load(&c->sh->arrived) < t->nworkers)
		sched_yield();
	t0 = wl_now();
	w->ops_planned = n;
	switch (t->pv[P_SYNC].c) {
	case S_NONE:
		for (uint64_t i = 0; i < n; i++) {
			uint64_t v = atomic_load_explicit(&c->plain, memory_order_relaxed);

			atomic_store_explicit(&c->plain, v + 1, memory_order_relaxed);
		}
		/* What this worker's copy says (in process mode its own). */
		mine = atomic_load(&c->plain);
		break;
	case S_LOCK:
		for (uint64_t i = 0; i < n; i++) {
			pthread_mutex_lock(&c->sh->lock);
			atomic_store_explicit(&c->sh->counter,
				atomic_load_explicit(&c->sh->counter, memory_order_relaxed) + 1,
				memory_order_relaxed);
			pthread_mutex_unlock(&c->sh->lock);
		}
		break;
	case S_ATOMIC:
		for (uint64_t i = 0; i < n; i++)
			atomic_fetch_add_explicit(&c->sh->counter, 1, memory_order_relaxed);
		break;
	case S_PRIVATE: {
		volatile uint64_t local = 0;    /* a real count, not folded away */

		for (uint64_t i = 0; i < n; i++)
			local = local + 1;
		atomic_fetch_add(&c->sh->counter, local);
		break;
	}
	}
	trial_metric(t, w->id, "ns_per_op", (wl_now() - t0) * 1e9 / (double)n, "ns");
	atomic_store(&c->sh->own[w->id], t->pv[P_SYNC].c == S_NONE ? mine : n);
	atomic_store(&w->ops, n);
	w->checksum = n;
	return 0;
}

/* The count the trial sees after join. */
static uint64_t seen_count(const struct trial *t)
{
	const struct counter *c = t->priv;

	return t->pv[P_SYNC].c == S_NONE ? atomic_load(&c->plain) : atomic_load(&c->sh->counter);
}

/* Whether every worker made all of its increments. */
static int all_counted(const struct trial *t)
{
	for (int i = 0; i < t->nworkers; i++)
		if (t->workers[i]->checksum != t->pv[P_INCREMENTS].u ||
		    atomic_load(&t->workers[i]->ops) != t->pv[P_INCREMENTS].u)
			return 0;
	return 1;
}

static void ctr_metrics(struct trial *t)
{
	struct counter *c = t->priv;
	uint64_t n = t->pv[P_INCREMENTS].u, expect = n * (uint64_t)t->nworkers;
	static const double sync_ops[] = { 0, 2, 1, 0 };
	int sync = t->pv[P_SYNC].c;
	double invisible = 0;

	/* Lost and invisible updates count against every increment made:
	 * a worker that died mid-count leaves that number unknown. */
	if (all_counted(t)) {
		if (sync == S_NONE && private_view(t->mode))
			for (int i = 0; i < t->nworkers; i++)
				invisible += (double)atomic_load(&c->sh->own[i]);
		trial_metric(t, -1, "lost_updates", (double)(expect - seen_count(t)), "updates");
		trial_metric(t, -1, "invisible_updates", invisible, "updates");
	}
	trial_metric(t, -1, "sync_ops_per_op", sync == S_PRIVATE ? 1.0 / (double)n : sync_ops[sync],
		     "ops");
}

static int ctr_verify(struct trial *t)
{
	uint64_t expect = t->pv[P_INCREMENTS].u * (uint64_t)t->nworkers, seen = seen_count(t);

	if (!all_counted(t))
		return 0;
	return t->pv[P_SYNC].c == S_NONE ? seen <= expect : seen == expect;
}

static void ctr_teardown(struct trial *t)
{
	struct counter *c = t->priv;

	if (c) {
		wl_unmap(t, c->sh, c->len);
		wl_unmap(t, c, sizeof(*c));
	}
}

const struct workload wl_counter = {
	.name = "counter",
	.summary = "workers increment one counter: unsynchronized, locked, atomic, or private+merge",
	.claims = CLAIM_BIT(CLAIM_SYNC_NEED) | CLAIM_BIT(CLAIM_COMPLEXITY),
	.params = params,
	.metrics = (const struct metric[]){
		{ "ns_per_op", "ns", -1 },
		{ "lost_updates", "updates", -1 },
		{ "invisible_updates", "updates", -1 },
		{ "sync_ops_per_op", "ops", 0 },
		{ NULL, NULL, 0 },
	},
	.setup = ctr_setup,
	.work = ctr_work,
	.verify = ctr_verify,
	.teardown = ctr_teardown,
	.record = ctr_metrics,
	.decides = "ns_per_op",
	.exec = WX_MAP,         /* the shared counter, and a private view of the plain one */
};
