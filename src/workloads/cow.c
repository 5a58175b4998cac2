/* cow - private modifications of a big heap, the copy-on-write way.
 *
 * The same work: before any worker exists the trial fills `heap` bytes.
 * Each worker then modifies, privately, a fraction `write` of its pages,
 * spread evenly over the heap (one 8-byte word a page, a value of its
 * own), and checksums its own view of those pages (the word it wrote plus
 * the next, untouched, word). Nobody else may see a worker's changes, and
 * the trial's heap must stay as it was.
 *   process mode: the worker writes into the heap it inherited; the kernel
 *                 copies each page on its first write (a minor fault each).
 *   thread mode:  threads share one heap, so private changes are done the
 *                 only way threads can: the worker copies each page it
 *                 modifies into a buffer of its own, then writes the copy.
 *   shared mode:  the heap is MAP_SHARED, which the kernel never copies on
 *                 write: as threads, the worker copies by hand.
 *   exec mode:    the worker maps the trial's heap copy-on-write (a
 *                 private mapping of its memfd): the kernel copies, as
 *                 after fork.
 * Metrics: pages_written, faults_per_worker (minor faults while writing,
 * RUSAGE_THREAD), us_per_page. thp=on asks for transparent huge pages on
 * the heap (madvise), thp=off forbids them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../workload.h"

enum { P_HEAP, P_WRITE, P_THP };

static const struct param params[] = {
	[P_HEAP]  = { "heap", PT_SIZE, "64M", 4096, 1099511627776.0, NULL,
		      "bytes the trial fills before the workers exist" },
	[P_WRITE] = { "write", PT_FRAC, "0.5", 0, 1, NULL,
		      "fraction of the heap's pages each worker modifies" },
	[P_THP]   = { "thp", PT_CHOICE, "off", 0, 0, "off|on",
		      "transparent huge pages on the heap (madvise)" },
	{ 0 },
};

#define HUGE (2u << 20)

struct cow {
	unsigned char *map, *heap;      /* map: what mmap gave; heap: 2 MiB aligned */
	size_t maplen, len, pages, k;   /* k: pages each worker modifies */
	long page;
};

static int cow_setup(struct trial *t)
{
	struct cow *c;
	int rc = wl_map(t, sizeof(*c), 0, (void **)&c);

	if (rc < 0)
		return rc;
	t->priv = c;
	c->page = sysconf(_SC_PAGESIZE);
	c->len = (size_t)t->pv[P_HEAP].u / (size_t)c->page * (size_t)c->page;
	c->pages = c->len / (size_t)c->page;
	c->k = (size_t)(t->pv[P_WRITE].d * (double)c->pages + 0.5);
	/* Aligned to 2 MiB so that thp=on can really get huge pages. */
	c->maplen = c->len + HUGE;
	if ((rc = wl_map(t, c->maplen, 0, (void **)&c->map)) < 0)
		return rc;
	c->heap = c->map + ((HUGE - (uintptr_t)c->map % HUGE) % HUGE);
	madvise(c->heap, c->len, t->pv[P_THP].c ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	if ((rc = wl_membind(t, c->heap, c->len)) < 0)
		return rc;
	for (size_t i = 0; i < c->len / 8; i++)
		((uint64_t *)c->heap)[i] = i * 0x9e3779b97f4a7c15ull;
	return 0;
}

/* Whether the workers share the one heap (threads; shared: MAP_SHARED),
 * so that a private change must be copied by hand. */
static int heap_shared(enum mode m)
{
	return m == MODE_THREAD || m == MODE_SHARED;
}

/* The i-th page worker modifies: spread evenly over the heap. */
static size_t nth_page(const struct cow *c, size_t i)
{
	return i * c->pages / (c->k ? c->k : 1);
}

static uint64_t value_of(int id)
{
	return 0x0101010101010101ull * (uint64_t)(id + 1);
}

static int cow_work(struct trial *t, struct worker *w)
{
	struct cow *c = t->priv;
	size_t words = (size_t)c->page / 8;
	uint64_t v = value_of(w->id), sum = 0, f0;
	unsigned char *priv = NULL;
	double t0;

	w->ops_planned = c->k;
	f0 = wl_minflt();
	t0 = wl_now();
	if (heap_shared(t->mode) && c->k) {
		priv = mmap(NULL, c->k * (size_t)c->page, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (priv == MAP_FAILED)
			return -errno;
		madvise(priv, c->k * (size_t)c->page, MADV_NOHUGEPAGE);
	}
	for (size_t i = 0; i < c->k; i++) {
		uint64_t *pg = (uint64_t *)(c->heap + nth_page(c, i) * (size_t)c->page);

		if (priv) {     /* copy on write, by hand */
			uint64_t *copy = (uint64_t *)(priv + i * (size_t)c->page);

			memcpy(copy, pg, (size_t)c->page);
			pg = copy;
		}
		pg[0] = v;
		sum += pg[0] + pg[1 % words];
		if ((i & 1023) == 0)
			atomic_store_explicit(&w->ops, i, memory_order_relaxed);
	}
	{
		double dt = wl_now() - t0;
		uint64_t faults = wl_minflt() - f0;

		trial_metric(t, w->id, "pages_written", (double)c->k, "pages");
		trial_metric(t, w->id, "faults_per_worker", (double)faults, "faults");
		if (c->k)
			trial_metric(t, w->id, "us_per_page", dt * 1e6 / (double)c->k, "us");
	}
	atomic_store(&w->ops, c->k);
	w->checksum = sum;
	/* The private copies stay mapped until the process or trial ends:
	 * they are part of what the end barrier's memory sample must see. */
	return 0;
}

static int cow_verify(struct trial *t)
{
	struct cow *c = t->priv;
	size_t words = (size_t)c->page / 8;

	for (int id = 0; id < t->nworkers; id++) {
		uint64_t sum = 0;

		for (size_t i = 0; i < c->k; i++) {
			size_t base = nth_page(c, i) * words;
			uint64_t *pg = (uint64_t *)c->heap + base;

			/* Nobody's write may show in the trial's own heap. */
			if (pg[0] != base * 0x9e3779b97f4a7c15ull)
				return 0;
			sum += value_of(id) + (base + 1) * 0x9e3779b97f4a7c15ull;
		}
		if (t->workers[id]->checksum != sum)
			return 0;
	}
	return 1;
}

static void cow_teardown(struct trial *t)
{
	struct cow *c = t->priv;

	if (c) {
		wl_unmap(t, c->map, c->maplen);
		wl_unmap(t, c, sizeof(*c));
	}
}

/* The heap, and every worker's private copy of what it writes. */
static uint64_t footprint(const struct pval *pv, int n, enum mode mode)
{
	(void)mode;
	return pv[P_HEAP].u + (uint64_t)((double)pv[P_HEAP].u * pv[P_WRITE].d * n);
}

const struct workload wl_cow = {
	.name = "cow",
	.summary = "each worker privately modifies a fraction of a big heap (copy-on-write)",
	.claims = CLAIM_BIT(CLAIM_LESS_MEMORY) | CLAIM_BIT(CLAIM_COW),
	.params = params,
	.metrics = (const struct metric[]){
		{ "pages_written", "pages", 0 },
		{ "faults_per_worker", "faults", -1 },
		{ "us_per_page", "us", -1 },
		{ NULL, NULL, 0 },
	},
	.setup = cow_setup,
	.work = cow_work,
	.verify = cow_verify,
	.footprint = footprint,
	.teardown = cow_teardown,
	.decides = "pss_pte_kib",
	.exec = WX_MAP,         /* a copy-on-write view of the trial's heap */
};
