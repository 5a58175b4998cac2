/* cowops - which kinds of write copy a page after fork, and how many.
 *
 * The lecture note says the writes that make a forked child copy pages
 * include "changing a variable value, allocating dynamic memory, calling a
 * function". Each worker performs each kind of operation `pages` times,
 * one kind after another, and counts its minor faults (RUSAGE_THREAD)
 * around each kind: faults_<op> = faults / pages, in pages per operation.
 * Every operation lands on a page no earlier operation touched: each kind
 * has its own memory, one page per operation.
 *
 *   read_only     read a word of a page the trial touched before (control)
 *   write_global  write a global variable's page the trial wrote before
 *   write_heap    write a heap page the trial allocated and wrote before
 *   malloc_small  malloc(64..816 bytes, a size class an operation) and
 *                 fill it; the allocator hands out chunks that were
 *                 allocated and freed before, one a page (at most 48 ops)
 *   malloc_large  malloc(1 MiB) (above the mmap threshold) and write a byte
 *   call_shallow  call a function with a small frame
 *   call_deep     recurse one page of stack deeper per operation, into
 *                 stack that was used before
 *
 * Only the faults are comparable between modes: a thread warms its own
 * stack and allocator inside work(), so its wall_s includes that, while
 * the trial warms them before fork() for a child.
 *
 * "Before" means before the measurement, by the memory's owner when the
 * worker starts: in process mode the trial process did it before fork(),
 * so the child shares those pages copy-on-write; in thread mode the pages
 * are the thread's own (shared heap and globals from the trial; its own
 * stack and malloc arena warmed by the thread itself). So a fault in
 * process mode where thread mode has none is a page copied because of
 * fork. malloc_large is a fresh mapping in both modes: it faults (zero
 * fill), but never copies. shared mode: the trial's heap and read-only
 * pages are MAP_SHARED (never copied; a child maps them on first touch,
 * as fork copies no page tables of shared memory), globals, stack and
 * allocator are copied as in process mode. exec mode: the worker builds
 * everything itself, so nothing is copied.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../workload.h"

enum { P_PAGES };

#define MAX_OPS 64
#define MAX_PAGE 65536          /* room for 64 KiB pages */

static const struct param params[] = {
	[P_PAGES] = { "pages", PT_COUNT, "64", 4, MAX_OPS, NULL,
		      "operations of each kind per worker (one page each)" },
	{ 0 },
};

enum op { OP_READ_ONLY, OP_WRITE_GLOBAL, OP_WRITE_HEAP, OP_MALLOC_SMALL,
	  OP_MALLOC_LARGE, OP_CALL_SHALLOW, OP_CALL_DEEP, OP_N };

static const char *const op_names[OP_N] = {
	"faults_read_only", "faults_write_global", "faults_write_heap",
	"faults_malloc_small", "faults_malloc_large", "faults_call_shallow",
	"faults_call_deep",
};

/* The one global variable here is the experiment itself: "changing a
 * variable value" must change a variable that exists before fork(). */
static unsigned char globals[MAX_OPS * MAX_PAGE] __attribute__((aligned(MAX_PAGE)));

struct cowops {
	long page;
	int n;                          /* operations of each kind */
	int nsmall;                     /* malloc_small: one a size class */
	unsigned char *readonly, *heap; /* n pages each, touched in setup */
};

/* Writes one page of stack per level; depth levels deep. */
static __attribute__((noinline)) uint64_t deep(int depth, long page)
{
	volatile unsigned char frame[page];
	uint64_t below;

	frame[0] = (unsigned char)depth;
	frame[page - 1] = (unsigned char)depth;
	below = depth > 1 ? deep(depth - 1, page) : 0;
	return below + frame[0];        /* not a tail call */
}

static __attribute__((noinline)) uint64_t shallow(int i)
{
	volatile unsigned char frame[64];

	frame[0] = (unsigned char)i;
	return frame[0];
}

/* malloc_small operation i asks for its own size class, so that each one
 * is served from a chunk of its own: glibc's per-thread cache (tcache)
 * keeps freed small chunks per size, and handing one out writes into it.
 * Sizes stay away from the smallest classes, which the harness uses. */
#define SMALL_OPS 48
static size_t small_size(int i)
{
	return 64 + 16 * (size_t)i;
}

/* Leaves one free chunk of each small size in this thread's allocator,
 * each on a page of its own. The arena may hold holes from earlier frees,
 * so a chunk sharing a page with one already chosen is kept allocated, not
 * chosen; a live spacer after each chosen chunk pushes the next one on.
 * What is kept stays allocated for the life of the trial. */
static int warm_malloc(int n, long page)
{
	uintptr_t pages[SMALL_OPS];
	void *small[SMALL_OPS];
	int k = 0;

	for (int tries = 0; k < n && tries < 64 * n; tries++) {
		unsigned char *p = malloc(small_size(k));
		uintptr_t pg;
		int dup;

		if (!p)
			return -ENOMEM;
		memset(p, 1, small_size(k));
		pg = (uintptr_t)p / (uintptr_t)page;
		dup = pg != ((uintptr_t)p + small_size(k) - 1) / (uintptr_t)page;
		for (int i = 0; i < k && !dup; i++)
			dup = pages[i] == pg;
		if (dup)
			continue;       /* kept allocated: never handed out again */
		pages[k] = pg;
		small[k++] = p;
		p = malloc((size_t)page);
		if (!p)
			return -ENOMEM;
		memset(p, 1, (size_t)page);
	}
	if (k < n)
		return -EAGAIN;
	for (int i = 0; i < n; i++)
		free(small[i]);
	return 0;
}

static int ops_setup(struct trial *t)
{
	struct cowops *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return -ENOMEM;
	t->priv = c;
	c->page = sysconf(_SC_PAGESIZE);
	c->n = (int)t->pv[P_PAGES].u;
	c->nsmall = c->n < SMALL_OPS ? c->n : SMALL_OPS;
	if (c->page > MAX_PAGE)
		return -EOPNOTSUPP;
	if ((rc = wl_map(t, (size_t)c->n * (size_t)c->page, 0, (void **)&c->readonly)) < 0 ||
	    (rc = wl_map(t, (size_t)c->n * (size_t)c->page, 0, (void **)&c->heap)) < 0)
		return rc;
	memset(c->readonly, 7, (size_t)c->n * (size_t)c->page);
	memset(c->heap, 7, (size_t)c->n * (size_t)c->page);
	memset(globals, 7, (size_t)c->n * (size_t)c->page);
	if (t->mode != MODE_THREAD) {
		/* Forked children inherit these: the trial's stack used deep,
		 * and its allocator holding free chunks (an exec'd worker
		 * runs this setup itself, in its own process). */
		deep(c->n + 8, c->page);
		return warm_malloc(c->nsmall, c->page);
	}
	return 0;
}

static int ops_work(struct trial *t, struct worker *w);

/* After fork() a child's page tables do not cover file-backed code: the
 * first run of each page of it faults. Reading this file's code once
 * maps it, so that a loop below that happens to sit on a page not yet run
 * is not counted as a page its operations copied. */
static void map_own_code(long page)
{
	uintptr_t f[] = { (uintptr_t)deep, (uintptr_t)shallow, (uintptr_t)small_size,
			  (uintptr_t)warm_malloc, (uintptr_t)ops_setup, (uintptr_t)ops_work };
	uintptr_t lo = f[0], hi = f[0];

	for (size_t i = 1; i < sizeof(f) / sizeof(f[0]); i++) {
		lo = f[i] < lo ? f[i] : lo;
		hi = f[i] > hi ? f[i] : hi;
	}
	/* a function's code runs on past its start: one page more */
	for (uintptr_t p = lo & ~(uintptr_t)(page - 1); p < hi + (uintptr_t)page; p += (uintptr_t)page)
		KEEP(*(volatile const unsigned char *)p);
}

static int ops_work(struct trial *t, struct worker *w)
{
	struct cowops *c = t->priv;
	size_t pg = (size_t)c->page, off = (size_t)w->id % 64 * 8;
	uint64_t f[OP_N + 1], sum = 0;
	void *large[MAX_OPS];

	w->ops_planned = (uint64_t)OP_N * (uint64_t)c->n;
	if (t->mode == MODE_THREAD) {
		/* A thread's own stack and arena, used before, like the trial's
		 * are for a forked child. */
		int rc;

		deep(c->n + 8, c->page);
		if ((rc = warm_malloc(c->nsmall, c->page)) < 0)
			return rc;
	}
	map_own_code(c->page);
	f[OP_READ_ONLY] = wl_minflt();
	for (int i = 0; i < c->n; i++)
		sum += c->readonly[(size_t)i * pg + off];
	f[OP_WRITE_GLOBAL] = wl_minflt();
	for (int i = 0; i < c->n; i++)     /* each worker its own bytes */
		globals[(size_t)i * pg + off] = (unsigned char)w->id;
	f[OP_WRITE_HEAP] = wl_minflt();
	for (int i = 0; i < c->n; i++)
		c->heap[(size_t)i * pg + off] = (unsigned char)w->id;
	f[OP_MALLOC_SMALL] = wl_minflt();
	for (int i = 0; i < c->nsmall; i++) {
		unsigned char *p = malloc(small_size(i));

		if (!p)
			return -ENOMEM;
		memset(p, w->id, small_size(i));
		sum += p[0];    /* kept: freeing would hand the chunk back */
	}
	f[OP_MALLOC_LARGE] = wl_minflt();
	for (int i = 0; i < c->n; i++) {
		large[i] = malloc(1u << 20);
		if (!large[i])
			return -ENOMEM;
		((unsigned char *)large[i])[0] = 1;
	}
	f[OP_CALL_SHALLOW] = wl_minflt();
	for (int i = 0; i < c->n; i++)
		sum += shallow(i);
	f[OP_CALL_DEEP] = wl_minflt();
	sum += deep(c->n, c->page);
	f[OP_N] = wl_minflt();
	for (int i = 0; i < c->n; i++)
		free(large[i]);

	for (int k = 0; k < OP_N; k++)
		trial_metric(t, w->id, op_names[k], (double)(f[k + 1] - f[k]) /
			     (k == OP_MALLOC_SMALL ? c->nsmall : c->n), "pages");
	w->checksum = sum;
	atomic_store(&w->ops, w->ops_planned);
	return 0;
}

static int ops_verify(struct trial *t)
{
	struct cowops *c = t->priv;
	uint64_t expect = 0;

	/* read_only reads 7s, malloc_small reads the worker's id, shallow
	 * returns i, deep returns the sum of 1..n. */
	for (int id = 0; id < t->nworkers; id++) {
		expect = (uint64_t)c->n * 7 + (uint64_t)c->nsmall * (uint64_t)(id & 0xff);
		for (int i = 0; i < c->n; i++)
			expect += (uint64_t)(unsigned char)i;
		expect += (uint64_t)c->n * (uint64_t)(c->n + 1) / 2;
		if (t->workers[id]->checksum != expect)
			return 0;
	}
	return 1;
}

static void ops_teardown(struct trial *t)
{
	struct cowops *c = t->priv;

	if (c) {
		wl_unmap(t, c->readonly, (size_t)c->n * (size_t)c->page);
		wl_unmap(t, c->heap, (size_t)c->n * (size_t)c->page);
	}
	free(c);
}

const struct workload wl_cowops = {
	.name = "cowops",
	.summary = "page faults of each kind of write in a forked child vs a thread",
	.claims = CLAIM_BIT(CLAIM_COW_OPS),
	.params = params,
	.metrics = (const struct metric[]){
		{ "faults_read_only", "pages", -1 },
		{ "faults_write_global", "pages", -1 },
		{ "faults_write_heap", "pages", -1 },
		{ "faults_malloc_small", "pages", -1 },
		{ "faults_malloc_large", "pages", -1 },
		{ "faults_call_shallow", "pages", -1 },
		{ "faults_call_deep", "pages", -1 },
		{ NULL, NULL, 0 },
	},
	.setup = ops_setup,
	.work = ops_work,
	.verify = ops_verify,
	.teardown = ops_teardown,
	.decides = "faults_write_global",
	.exec = WX_BUILD,       /* a fresh program: nothing to copy, its pages its own */
};
