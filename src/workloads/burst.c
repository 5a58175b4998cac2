/* burst - computation in bursts of a known length, separated by blocking.
 *
 * The same work: each worker repeats `bursts` times: compute until it has
 * used `compute_us` of CPU time of its own (CLOCK_THREAD_CPUTIME_ID, so a
 * preemption in the middle does not shorten the work), then block for
 * `block_us` in a futex wait with a timeout (off the CPU, no busy wait).
 * An ideal scheduler gives bursts of exactly compute_us that end by
 * blocking; what the probe measures is what the machine gives instead.
 * The checksum depends only on the worker's id and the number of bursts it
 * completed, so it is the same in both modes; verify() recomputes it.
 */
#include <stddef.h>

#include "../workload.h"

enum { P_COMPUTE, P_BLOCK, P_BURSTS };

static const struct param params[] = {
	[P_COMPUTE] = { "compute_us", PT_COUNT, "2000", 1, 1e7, NULL,
			"CPU time of each burst, microseconds" },
	[P_BLOCK]   = { "block_us", PT_COUNT, "1000", 0, 1e7, NULL,
			"time blocked between bursts, microseconds" },
	[P_BURSTS]  = { "bursts", PT_COUNT, "200", 1, 1e7, NULL,
			"bursts per worker" },
	{ 0 },
};

static uint64_t expected(int id, uint64_t bursts)
{
	uint64_t sum = 0;

	for (uint64_t k = 0; k < bursts; k++)
		sum += wl_mix(k ^ ((uint64_t)id << 40));
	return sum;
}

static int burst_work(struct trial *t, struct worker *w)
{
	double compute = (double)t->pv[P_COMPUTE].u * 1e-6;
	double block = (double)t->pv[P_BLOCK].u;
	uint64_t n = t->pv[P_BURSTS].u, sink = 0, sum = 0;

	w->ops_planned = n;
	for (uint64_t k = 0; k < n; k++) {
		double until = wl_thread_cpu() + compute;

		do {            /* a few microseconds of hashing between clock reads */
			for (int i = 0; i < 1024; i++)
				sink += wl_mix(sink + (uint64_t)i);
		} while (wl_thread_cpu() < until);
		sum += wl_mix(k ^ ((uint64_t)w->id << 40));
		atomic_store_explicit(&w->ops, k + 1, memory_order_relaxed);
		worker_tick(w);
		if (block > 0)
			wl_block_us(block);
	}
	KEEP(sink);
	w->checksum = sum;
	return 0;
}

static int burst_verify(struct trial *t)
{
	for (int i = 0; i < t->nworkers; i++)
		if (t->workers[i]->checksum != expected(i, t->pv[P_BURSTS].u))
			return 0;
	return 1;
}

const struct workload wl_burst = {
	.name = "burst",
	.summary = "compute compute_us of CPU time, block block_us, repeat: known bursts",
	.claims = CLAIM_BIT(CLAIM_LONGER_BURSTS),
	.params = params,
	.flags = WL_BLOCKS,
	.work = burst_work,
	.verify = burst_verify,
};
