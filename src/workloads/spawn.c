/* spawn - the cost of creating and joining workers, nothing else.
 *
 * The same work: before any worker exists the trial allocates and touches
 * `heap` bytes (so fork has that many pages of page tables to copy and to
 * mark copy-on-write; pthread_create shares them). Each worker reads one
 * byte of the heap and reports it; verify() checks that every worker ran
 * and saw the trial's data. shared: the heap is MAP_SHARED, whose page
 * tables fork does not copy; exec: posix_spawn copies nothing, the worker
 * maps the heap. spawn_s and join_s in trials.csv are the
 * numbers; wall_s is close to zero by design.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../workload.h"

enum { P_HEAP };

static const struct param params[] = {
	[P_HEAP] = { "heap", PT_SIZE, "0", 0, 1099511627776.0, NULL,
		     "bytes the trial allocates and touches before creating workers" },
	{ 0 },
};

struct spawn {
	unsigned char *heap;
	size_t len;
};

static int spawn_setup(struct trial *t)
{
	struct spawn *s;
	int rc = wl_map(t, sizeof(*s), 0, (void **)&s);

	if (rc < 0)
		return rc;
	t->priv = s;
	s->len = (size_t)t->pv[P_HEAP].u;
	if (s->len) {
		if ((rc = wl_map(t, s->len, 0, (void **)&s->heap)) < 0)
			return rc;
		if ((rc = wl_membind(t, s->heap, s->len)) < 0)
			return rc;
		memset(s->heap, 0x5a, s->len);
	}
	return 0;
}

static int spawn_work(struct trial *t, struct worker *w)
{
	struct spawn *s = t->priv;

	w->ops_planned = 1;
	w->checksum = s->heap ? s->heap[(size_t)w->id * 4096 % s->len] : 0x5a;
	atomic_store(&w->ops, 1);
	return 0;
}

static int spawn_verify(struct trial *t)
{
	for (int i = 0; i < t->nworkers; i++)
		if (t->workers[i]->checksum != 0x5a || atomic_load(&t->workers[i]->ops) != 1)
			return 0;
	return 1;
}

static void spawn_teardown(struct trial *t)
{
	struct spawn *s = t->priv;

	if (s) {
		wl_unmap(t, s->heap, s->len);
		wl_unmap(t, s, sizeof(*s));
	}
}

static uint64_t footprint(const struct pval *pv, int n, enum mode mode)
{
	(void)n;
	(void)mode;
	return pv[P_HEAP].u;
}

const struct workload wl_spawn = {
	.name = "spawn",
	.summary = "create and join workers that do nothing, after touching a heap",
	.claims = CLAIM_BIT(CLAIM_FASTER_RUNTIME) | CLAIM_BIT(CLAIM_LESS_MEMORY) | CLAIM_BIT(CLAIM_COW),
	.params = params,
	.setup = spawn_setup,
	.work = spawn_work,
	.verify = spawn_verify,
	.footprint = footprint,
	.teardown = spawn_teardown,
	.decides = "spawn_s",
	.exec = WX_MAP,         /* mapping the heap costs no copy: creation stays flat */
};
