/* cpu - compute-bound work, split among the workers (strong scaling).
 *
 * The same work: `total` units, unit i costing one wl_mix(i) (a 64-bit hash
 * with three multiplies). Worker k of n takes the contiguous range
 * [k*total/n, (k+1)*total/n). Nothing is shared while working; each worker
 * writes the sum of its units into its own result slot, and verify() adds
 * the slots and compares them with a serial pass over all units (done in
 * the trial, outside the timed region). The sum does not depend on how
 * the range is split, so both modes and every worker count must give the
 * same number.
 */
#include <stddef.h>

#include "../workload.h"

enum { P_TOTAL };

static const struct param params[] = {
	[P_TOTAL] = { "total", PT_COUNT, "200000000", 1, 1e13, NULL,
		      "units of work for all workers together (one unit ~ 1 ns)" },
	{ 0 },
};

/* Sum of wl_mix(i) over [lo, hi), reporting progress every block. */
static uint64_t sum_range(uint64_t lo, uint64_t hi, struct worker *w)
{
	const uint64_t block = 1u << 20;
	uint64_t sum = 0;

	for (uint64_t b = lo; b < hi; b += block) {
		uint64_t end = hi - b < block ? hi : b + block;

		for (uint64_t i = b; i < end; i++)
			sum += wl_mix(i);
		if (w)
			atomic_store_explicit(&w->ops, end - lo, memory_order_relaxed);
	}
	return sum;
}

static int cpu_work(struct trial *t, struct worker *w)
{
	uint64_t total = t->pv[P_TOTAL].u, n = (uint64_t)t->nworkers;
	uint64_t lo = total / n * (uint64_t)w->id + total % n * (uint64_t)w->id / n;
	uint64_t hi = total / n * (uint64_t)(w->id + 1) + total % n * (uint64_t)(w->id + 1) / n;

	w->ops_planned = hi - lo;
	w->checksum = sum_range(lo, hi, w);
	return 0;
}

static int cpu_verify(struct trial *t)
{
	uint64_t got = 0;

	for (int i = 0; i < t->nworkers; i++)
		got += t->workers[i]->checksum;
	return got == sum_range(0, t->pv[P_TOTAL].u, NULL);
}

const struct workload wl_cpu = {
	.name = "cpu",
	.summary = "compute-bound hashing, total work split among the workers",
	.claims = CLAIM_BIT(CLAIM_FASTER_RUNTIME) | CLAIM_BIT(CLAIM_PARALLEL) | CLAIM_BIT(CLAIM_LONGER_BURSTS),
	.params = params,
	.work = cpu_work,
	.verify = cpu_verify,
};
