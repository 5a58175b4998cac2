/* sharedread - many workers reading one table that nobody writes.
 *
 * The same work: before any worker exists the trial builds a table of
 * `table` bytes (8-byte words, word i = wl_mix(i)). Each worker first reads
 * one word of every page (so all of the table is resident in its view at
 * the end barrier), then does `lookups` random reads; its checksum is the
 * sum of every word it read. Nothing is written after the workers exist.
 * Threads share the one table. Forked children share it too - copy-on-write
 * copies only what is written, and nothing is - so the honest memory total
 * (PSS) is about the same in both modes, while the naive RSS sum counts the
 * table once per process: (N+1) x table in process mode. shared: one
 * MAP_SHARED table. exec: each worker builds its own (nothing is
 * inherited), so the PSS total is about (N+1) x table.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../workload.h"

enum { P_TABLE, P_LOOKUPS };

static const struct param params[] = {
	[P_TABLE]   = { "table", PT_SIZE, "64M", 4096, 1099511627776.0, NULL,
			"bytes of the read-only table built before the workers" },
	[P_LOOKUPS] = { "lookups", PT_COUNT, "1000000", 0, 1e12, NULL,
			"random reads per worker after one read per page" },
	{ 0 },
};

struct table {
	uint64_t *w;
	size_t words, len;
};

static int sr_setup(struct trial *t)
{
	struct table *tb = calloc(1, sizeof(*tb));
	int rc;

	if (!tb)
		return -ENOMEM;
	t->priv = tb;
	tb->len = (size_t)t->pv[P_TABLE].u;
	tb->words = tb->len / 8;
	if ((rc = wl_map(t, tb->len, 0, (void **)&tb->w)) < 0)
		return rc;
	madvise(tb->w, tb->len, MADV_NOHUGEPAGE);       /* 4 KiB pages, as counted */
	if ((rc = wl_membind(t, tb->w, tb->len)) < 0)
		return rc;
	for (size_t i = 0; i < tb->words; i++)
		tb->w[i] = wl_mix(i);
	return 0;
}

/* What worker id reads; verify() runs it again to check. */
static uint64_t reads(const struct table *tb, int id, uint64_t lookups, long page,
		      struct worker *w)
{
	size_t step = (size_t)page / 8;
	uint64_t sum = 0, x = (uint64_t)id * 0x9e3779b97f4a7c15ull + 1;

	for (size_t i = 0; i < tb->words; i += step)
		sum += tb->w[i];
	for (uint64_t k = 0; k < lookups; k++) {
		x = wl_mix(x);
		sum += tb->w[x % tb->words];
		if (w && (k & 0xffff) == 0)
			atomic_store_explicit(&w->ops, k, memory_order_relaxed);
	}
	return sum;
}

static int sr_work(struct trial *t, struct worker *w)
{
	struct table *tb = t->priv;

	w->ops_planned = t->pv[P_LOOKUPS].u;
	w->checksum = reads(tb, w->id, t->pv[P_LOOKUPS].u, sysconf(_SC_PAGESIZE), w);
	atomic_store(&w->ops, t->pv[P_LOOKUPS].u);
	return 0;
}

static int sr_verify(struct trial *t)
{
	struct table *tb = t->priv;
	long page = sysconf(_SC_PAGESIZE);

	for (int i = 0; i < t->nworkers; i++)
		if (t->workers[i]->checksum != reads(tb, i, t->pv[P_LOOKUPS].u, page, NULL))
			return 0;
	return 1;
}

static void sr_teardown(struct trial *t)
{
	struct table *tb = t->priv;

	if (tb)
		wl_unmap(t, tb->w, tb->len);
	free(tb);
}

/* exec: every worker builds a table of its own, besides the trial's. */
static uint64_t footprint(const struct pval *pv, int n, enum mode mode)
{
	return pv[P_TABLE].u * (mode == MODE_EXEC ? (uint64_t)n + 1 : 1);
}

const struct workload wl_sharedread = {
	.name = "sharedread",
	.summary = "workers read one table built before they exist (shared, never written)",
	.claims = CLAIM_BIT(CLAIM_LESS_MEMORY) | CLAIM_BIT(CLAIM_COW),
	.params = params,
	.setup = sr_setup,
	.work = sr_work,
	.verify = sr_verify,
	.footprint = footprint,
	.teardown = sr_teardown,
	.decides = "pss_pte_kib",
	.exec = WX_BUILD,       /* what isolation costs when nothing is inherited */
};
