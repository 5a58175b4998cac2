/* malloc - allocation traffic: the allocator shared or not.
 *
 * The same work: each worker keeps a ring of `live` blocks; `allocs` times
 * it frees the oldest block and allocates a new one of `size` bytes (sizes
 * vary 1x..2x around it, deterministically), writing its first and last
 * byte. Threads share one allocator (glibc gives them arenas of their own
 * up to a limit, and per-thread caches, but the heap is one); forked
 * processes each have a private copy of it. Metric ns_per_op: the worker's
 * loop time / allocs. The checksum (sum of the sizes allocated) is the
 * same in both modes.
 */
#include <errno.h>
#include <stdlib.h>

#include "../workload.h"

enum { P_ALLOCS, P_SIZE, P_LIVE };

static const struct param params[] = {
	[P_ALLOCS] = { "allocs", PT_COUNT, "2000000", 1, 1e12, NULL,
		       "malloc/free pairs per worker" },
	[P_SIZE]   = { "size", PT_SIZE, "64", 1, 1073741824.0, NULL,
		       "bytes per block (varied 1x..2x)" },
	[P_LIVE]   = { "live", PT_COUNT, "256", 1, 1e6, NULL, "blocks alive at any time" },
	{ 0 },
};

static size_t size_of(uint64_t i, uint64_t size)
{
	return (size_t)(size + wl_mix(i) % size);
}

static uint64_t expected(uint64_t allocs, uint64_t size)
{
	uint64_t sum = 0;

	for (uint64_t i = 0; i < allocs; i++)
		sum += size_of(i, size);
	return sum;
}

static int malloc_work(struct trial *t, struct worker *w)
{
	uint64_t n = t->pv[P_ALLOCS].u, size = t->pv[P_SIZE].u, live = t->pv[P_LIVE].u, sum = 0;
	unsigned char **ring = calloc(live, sizeof(*ring));
	double t0;

	if (!ring)
		return -ENOMEM;
	w->ops_planned = n;
	t0 = wl_now();
	for (uint64_t i = 0; i < n; i++) {
		size_t sz = size_of(i, size);
		unsigned char **slot = &ring[i % live];

		free(*slot);
		*slot = malloc(sz);
		if (!*slot)
			return -ENOMEM;
		(*slot)[0] = (unsigned char)i;
		(*slot)[sz - 1] = (unsigned char)i;
		sum += sz;
		if ((i & 0xffff) == 0)
			atomic_store_explicit(&w->ops, i, memory_order_relaxed);
	}
	trial_metric(t, w->id, "ns_per_op", (wl_now() - t0) * 1e9 / (double)n, "ns");
	for (uint64_t k = 0; k < live; k++)
		free(ring[k]);
	free(ring);
	atomic_store(&w->ops, n);
	w->checksum = sum;
	return 0;
}

static int malloc_verify(struct trial *t)
{
	uint64_t want = expected(t->pv[P_ALLOCS].u, t->pv[P_SIZE].u);

	for (int i = 0; i < t->nworkers; i++)
		if (t->workers[i]->checksum != want)
			return 0;
	return 1;
}

/* Each worker's live blocks, at most twice the size each. */
static uint64_t footprint(const struct pval *pv, int n, enum mode mode)
{
	(void)mode;
	return 2 * pv[P_SIZE].u * pv[P_LIVE].u * (uint64_t)n;
}

const struct workload wl_malloc = {
	.name = "malloc",
	.summary = "malloc/free traffic with a live set: one shared allocator or one per process",
	.claims = 0,            /* explores allocators: no claim reads it */
	.params = params,
	.metrics = (const struct metric[]){
		{ "ns_per_op", "ns", -1 },
		{ NULL, NULL, 0 },
	},
	.work = malloc_work,
	.footprint = footprint,
	.verify = malloc_verify,
	.decides = "ns_per_op",
};
