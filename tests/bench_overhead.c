/* bench_overhead.c - what the harness costs.
 * 1. The cpu kernel inside a 1-worker trial against the same kernel run
 *    bare in this process, pinned to the same CPU (goal: ratio <= 1.01).
 * 2. The fixed cost of a trial: trial_run() of spawn with 1 worker and no
 *    heap, start to end, in each mode (goal: <= 5 ms).
 * Run: meson test --benchmark. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "pin.h"
#include "stats.h"
#include "trial.h"
#include "util.h"

#define ROUNDS 31

/* The kernel called directly; its wall time, and its CPU time in *cpu
 * (CPU time leaves out what the VM's host steals from the guest). */
static double bare(const struct workload *wl, const struct pval *pv, double *cpu)
{
	struct worker w = { .id = 0 };
	struct trial t = { .wl = wl, .mode = MODE_THREAD, .nworkers = 1 };
	double a, c;

	memcpy(t.pv, pv, sizeof(t.pv));
	w.t = &t;
	c = wl_thread_cpu();
	a = util_now_s();
	wl->work(&t, &w);
	*cpu = wl_thread_cpu() - c;
	return util_now_s() - a;
}

int main(void)
{
	const struct workload *cpu = workload_find("cpu"), *spawn = workload_find("spawn");
	const char *kv[] = { "total=200000000" };
	struct pval pv[PTB_MAX_PARAMS], sv[PTB_MAX_PARAMS];
	volatile sig_atomic_t stop = 0;
	double in[ROUNDS], out[ROUNDS], cin[ROUNDS], cout[ROUNDS], fixed[MODE_N][ROUNDS];
	char err[256];
	struct pin *p;
	int cpus[1];

	if (!cpu || !spawn || pin_open(&p, NULL) < 0 || trial_harness_init() < 0)
		return 1;
	if (opts_params_parse(cpu, kv, 1, pv, err, sizeof(err)) < 0 ||
	    opts_params_parse(spawn, NULL, 0, sv, err, sizeof(err)) < 0)
		return 1;
	pin_place(p, PIN_CORE, 1, cpus);
	pin_bind(p, cpus[0], 0);
	for (int k = 0; k < ROUNDS; k++) {
		struct trial_spec sp = { .wl = cpu, .mode = MODE_THREAD, .nworkers = 1, .cpus = cpus,
					 .pin = p, .bursts = BURSTS_OFF, .timeout_s = 60, .stop = &stop };
		struct trial_result r;

		memcpy(sp.pv, pv, sizeof(sp.pv));
		out[k] = bare(cpu, pv, &cout[k]);      /* alternate, so drift hits both */
		if (trial_run(&sp, &r) < 0 || r.status != TS_OK)
			return 1;
		in[k] = r.wall_s;
		cin[k] = r.w[0].u.user_s + r.w[0].u.sys_s;
		trial_result_free(&r);
	}
	{
		double mi = stats_median(in, ROUNDS), mo = stats_median(out, ROUNDS), ratio, lo, hi;

		stats_ratio(in, ROUNDS, out, ROUNDS, 7, &ratio, &lo, &hi);
		printf("cpu total=2e8: in a trial %.4f s, bare %.4f s (medians of %d)\n", mi, mo, ROUNDS);
		printf("kernel in a trial / bare, wall time: %.4f [%.4f, %.4f]; goal <= 1.01: %s\n", ratio, lo,
		       hi, ratio <= 1.01 ? "met" : "MISSED");
		{
			double min_in = in[0], min_out = out[0];

			for (int k = 1; k < ROUNDS; k++) {
				min_in = in[k] < min_in ? in[k] : min_in;
				min_out = out[k] < min_out ? out[k] : min_out;
			}
			/* The fastest run of each: least disturbed by the machine. */
			printf("kernel in a trial / bare, fastest runs: %.4f (%.4f s vs %.4f s)\n",
			       min_in / min_out, min_in, min_out);
		}
		stats_ratio(cin, ROUNDS, cout, ROUNDS, 8, &ratio, &lo, &hi);
		printf("kernel in a trial / bare, CPU time: %.4f [%.4f, %.4f]; goal <= 1.01: %s\n", ratio, lo,
		       hi, ratio <= 1.01 ? "met" : "MISSED");
	}
	for (int m = 0; m < MODE_N; m++) {
		for (int k = 0; k < ROUNDS; k++) {
			struct trial_spec sp = { .wl = spawn, .mode = (enum mode)m, .nworkers = 1,
						 .cpus = cpus, .pin = p, .bursts = BURSTS_OFF,
						 .timeout_s = 60, .stop = &stop };
			struct trial_result r;
			double a = util_now_s();

			memcpy(sp.pv, sv, sizeof(sp.pv));
			if (trial_run(&sp, &r) < 0 || r.status != TS_OK)
				return 1;
			fixed[m][k] = (util_now_s() - a) * 1e3;
			trial_result_free(&r);
		}
		double med = stats_median(fixed[m], ROUNDS);

		printf("fixed cost of a trial (spawn, 1 %s): %.2f ms (median of %d); goal <= 5 ms: %s\n",
		       m ? "thread" : "process", med, ROUNDS, med <= 5 ? "met" : "MISSED");
	}
	pin_close(p);
	return 0;
}
