/* bench_place.c - placement on a synthetic 1,024-PU machine (goal: each
 * policy places 1,024 workers in <= 10 ms). Run: meson test --benchmark. */
#include <stdio.h>
#include <stdlib.h>

#include "pin.h"
#include "stats.h"
#include "util.h"

int main(void)
{
	const char *desc = "pack:4 numa:2 core:64 pu:2";
	static int cpus[1024];
	struct pin_counts c;
	struct pin *p;
	double t0 = util_now_s(), worst = 0;

	if (pin_open(&p, desc) < 0)
		return 1;
	printf("# topology %s loaded in %.2f ms\n", desc, (util_now_s() - t0) * 1e3);
	pin_counts(p, &c);
	printf("# %d PUs, %d cores, %d packages, %d NUMA nodes\n", c.pus, c.cores, c.packages, c.numa);
	for (int pol = PIN_CORE; pol < PIN_N; pol++) {
		double ms[21];

		for (int k = 0; k < 21; k++) {
			double a = util_now_s();

			pin_place(p, (enum pin_policy)pol, 1024, cpus);
			ms[k] = (util_now_s() - a) * 1e3;
		}
		double med = stats_median(ms, 21);

		worst = med > worst ? med : worst;
		printf("place 1024 workers --pin %-8s %.3f ms (median of 21)\n", pin_names[pol], med);
	}
	printf("goal <= 10 ms: %s (worst %.3f ms)\n", worst <= 10 ? "met" : "MISSED", worst);
	pin_close(p);
	return 0;
}
