/* membw - memory bandwidth, STREAM triad style.
 *
 * The same work: each worker owns three arrays of doubles that together
 * take `size` bytes, maps them itself and touches them first (so the pages
 * are its own in both modes, and local to its CPU), then runs `passes` of
 * a[i] = b[i] + 3 * c[i] - 24 bytes moved per element (STREAM's count).
 * Weak scaling: every worker gets the same amount. ops = bytes moved, so
 * ops_per_s is bytes/s over the whole work (first touch included); the
 * metric gbps is the triad passes alone: per worker, and for the trial
 * the sum over workers. The checksum is exact (all values are small
 * integers in doubles): the sum of a[] must be 7 * elements.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "../workload.h"

enum { P_SIZE, P_PASSES };

static const struct param params[] = {
	[P_SIZE]   = { "size", PT_SIZE, "96M", 3 * 4096, 1099511627776.0, NULL,
		       "bytes of the three arrays of each worker" },
	[P_PASSES] = { "passes", PT_COUNT, "5", 1, 1e6, NULL, "triad passes over them" },
	{ 0 },
};

/* Each worker's triad time, where the trial can read it in any mode. */
struct bw {
	double *secs;
	size_t len;
};

static int bw_setup(struct trial *t)
{
	struct bw *b;
	int rc = wl_map(t, sizeof(*b), 0, (void **)&b);

	if (rc < 0)
		return rc;
	t->priv = b;
	b->len = (size_t)t->nworkers * sizeof(double);
	return wl_map(t, b->len, WL_SHARED, (void **)&b->secs);
}

static size_t elements(const struct trial *t)
{
	return (size_t)t->pv[P_SIZE].u / 3 / sizeof(double);
}

/* A worker's triad bandwidth, from the time of its passes. */
static double gbps(const struct trial *t, double secs)
{
	return 24.0 * (double)elements(t) * (double)t->pv[P_PASSES].u / secs / 1e9;
}

static int bw_work(struct trial *t, struct worker *w)
{
	struct bw *b = t->priv;
	size_t n = elements(t), len = n * sizeof(double);
	uint64_t passes = t->pv[P_PASSES].u;
	double *a, *bb, *c, t0, sum = 0;
	int rc = 0;

	w->ops_planned = 24 * n * passes;
	a = mmap(NULL, 3 * len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return -errno;
	/* Each worker's own arrays: local is its own node. */
	if ((rc = wl_membind(t, a, 3 * len)) < 0) {
		munmap(a, 3 * len);
		return rc;
	}
	bb = a + n;
	c = bb + n;
	for (size_t i = 0; i < n; i++) {        /* first touch, by its owner */
		a[i] = 0;
		bb[i] = 1;
		c[i] = 2;
	}
	t0 = wl_now();
	for (uint64_t p = 0; p < passes; p++) {
		for (size_t i = 0; i < n; i++)
			a[i] = bb[i] + 3 * c[i];
		KEEP(a[n / 2]);
		atomic_store_explicit(&w->ops, 24 * n * (p + 1), memory_order_relaxed);
	}
	b->secs[w->id] = wl_now() - t0;
	trial_metric(t, w->id, "gbps", gbps(t, b->secs[w->id]), "GB/s");
	for (size_t i = 0; i < n; i++)
		sum += a[i];
	w->checksum = (uint64_t)sum;
	munmap(a, 3 * len);
	return rc;
}

static int bw_verify(struct trial *t)
{
	for (int i = 0; i < t->nworkers; i++)
		if (t->workers[i]->checksum != 7 * (uint64_t)elements(t))
			return 0;
	return 1;
}

/* The machine's total: the sum over the workers, when every one of them
 * timed its passes. */
static void bw_metrics(struct trial *t)
{
	struct bw *b = t->priv;
	double total = 0;

	for (int i = 0; i < t->nworkers; i++) {
		if (!(b->secs[i] > 0))
			return;
		total += gbps(t, b->secs[i]);
	}
	trial_metric(t, -1, "gbps", total, "GB/s");
}

static void bw_teardown(struct trial *t)
{
	struct bw *b = t->priv;

	if (b) {
		wl_unmap(t, b->secs, b->len);
		wl_unmap(t, b, sizeof(*b));
	}
}

/* Each worker maps its own arrays once it exists: nothing is mapped
 * before the workers (n = 0), so fork copies no page tables of them and
 * both modes need the same. */
static uint64_t footprint(const struct pval *pv, int n, enum mode mode)
{
	(void)mode;
	return pv[P_SIZE].u * (uint64_t)n;
}

const struct workload wl_membw = {
	.name = "membw",
	.summary = "STREAM-triad memory bandwidth, size bytes per worker",
	.claims = CLAIM_BIT(CLAIM_PARALLEL),
	.params = params,
	.metrics = (const struct metric[]){
		{ "gbps", "GB/s", 1 },
		{ NULL, NULL, 0 },
	},
	.setup = bw_setup,
	.work = bw_work,
	.verify = bw_verify,
	.footprint = footprint,
	.teardown = bw_teardown,
	.record = bw_metrics,
	.decides = "gbps",
	.exec = WX_MAP,         /* the trial reads the workers' times */
};
