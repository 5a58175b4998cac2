/* noise.c - interference with a trial, measured, and the rule that calls
 * a trial quiet. The rule is documented in docs/methodology.md. */
#include "noise.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int wanted(const int *cpus, int n, int cpu)
{
	if (n <= 0)
		return 1;
	for (int i = 0; i < n; i++)
		if (cpus[i] < 0 || cpus[i] == cpu)
			return 1;
	return 0;
}

/* How many different CPUs cpus[] names, when it names no "every". */
static int distinct(const int *cpus, int n)
{
	int d = 0;

	for (int i = 0; i < n; i++) {
		int seen = 0;

		if (cpus[i] < 0)
			return 0;
		for (int k = 0; k < i; k++)
			seen |= cpus[k] == cpus[i];
		d += !seen;
	}
	return d;
}

int noise_stat_parse(const char *text, const int *cpus, int n, uint64_t tick_ns,
		     struct cpu_times *out)
{
	int found = 0, need = 0;	/* lines summed; CPUs named */

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < n; i++)
		need += cpus[i] >= 0;
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		unsigned long long v[8] = { 0 };
		int cpu;

		/* "cpu" alone is the machine's total: only "cpuN" lines */
		if (strncmp(l, "cpu", 3) || l[3] < '0' || l[3] > '9')
			continue;
		if (sscanf(l, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 8)
			return -EBADMSG;
		if (!wanted(cpus, n, cpu))
			continue;
		found++;
		/* user nice system idle iowait irq softirq steal */
		out->busy_ns += (v[0] + v[1] + v[2] + v[5] + v[6]) * tick_ns;
		out->steal_ns += v[7] * tick_ns;
	}
	/* each CPU asked for must have had its line */
	if (need && found < distinct(cpus, n))
		return -EBADMSG;
	return found ? 0 : -EBADMSG;
}

double noise_tick_s(void)
{
	long hz = sysconf(_SC_CLK_TCK);

	return hz > 0 ? 1.0 / (double)hz : 0.01;
}

int noise_stat_read(const int *cpus, int n, struct cpu_times *out)
{
	char buf[65536];
	long len = util_read_file("/proc/stat", buf, sizeof(buf));

	if (len < 0)
		return (int)len;
	return noise_stat_parse(buf, cpus, n, (uint64_t)(noise_tick_s() * 1e9 + 0.5), out);
}

int noise_schedstat_parse(const char *text, uint64_t *run_ns, uint64_t *wait_ns)
{
	unsigned long long run, wait;

	if (sscanf(text, "%llu %llu", &run, &wait) != 2)
		return -EBADMSG;
	*run_ns = run;
	*wait_ns = wait;
	return 0;
}

int noise_wait_ns(uint64_t *wait_ns)
{
	char buf[128];
	uint64_t run;
	long len = util_read_file("/proc/thread-self/schedstat", buf, sizeof(buf));

	if (len < 0)
		return (int)len;
	return noise_schedstat_parse(buf, &run, wait_ns);
}

/* A chain of dependent multiply-adds: its time depends on the CPU's
 * speed, not on memory or on what the compiler can overlap. */
static __attribute__((noinline)) uint64_t ref_loop(uint64_t iters)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (uint64_t i = 0; i < iters; i++)
		x = x * 6364136223846793005ull + 1442695040888963407ull;
	return x;
}

double noise_ref_s(uint64_t iters)
{
	double t0 = util_now_s();
	volatile uint64_t sink = ref_loop(iters);

	(void)sink;
	return util_now_s() - t0;
}

uint64_t noise_ref_calibrate(double target_s)
{
	uint64_t iters = 1000;
	double best = INFINITY;

	/* double until a pass is long enough to time, then scale */
	while (iters < (1ull << 40)) {
		double t = noise_ref_s(iters);

		if (t >= target_s / 4) {
			/* the fastest of a few passes: the least disturbed */
			for (int i = 0; i < 3; i++) {
				double u = noise_ref_s(iters);

				best = u < best ? u : best;
			}
			best = t < best ? t : best;
			return (uint64_t)((double)iters * target_s / best) + 1;
		}
		iters *= 2;
	}
	return iters;
}

int noise_quiet(const struct interference *x, double tick_s, const char **why)
{
	double cpu_s = x->wall_s * (x->ncpus > 0 ? x->ncpus : 1);
	double ticks = NOISE_TICKS * tick_s * (x->ncpus > 0 ? x->ncpus : 1);
	const char *w = "";

	if (!isnan(x->steal_s) && x->steal_s > NOISE_STEAL_FRAC * cpu_s + ticks)
		w = "steal";
	else if (!isnan(x->foreign_cpu_s) && x->foreign_cpu_s > NOISE_FOREIGN_FRAC * cpu_s + ticks)
		w = "foreign CPU";
	else if (!x->own_waits && !isnan(x->wait_s) &&
		 x->wait_s > NOISE_WAIT_FRAC * x->worker_wall_s + NOISE_WAIT_MIN_S)
		w = "wait";
	else if (!isnan(x->speed) && x->speed < NOISE_SPEED_LOW)
		w = "slow";
	if (why)
		*why = w;
	return !*w;
}
