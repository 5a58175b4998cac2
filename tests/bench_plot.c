/* bench_plot.c - `ptbench plot` of 40,000-row summary.csv files (goal:
 * under 10 s, gnuplot included: the charting stays linear in the rows).
 * Run: meson test --benchmark. */
#include <stdio.h>
#include <stdlib.h>

#include "plot.h"
#include "plotfx.h"

int main(void)
{
	/* Parameter sets and worker counts: many charts, or long ones. */
	static const int shapes[][2] = { { 50, 4 }, { 5, 40 } };
	double worst = 0;
	int bad = 0;

	for (size_t i = 0; i < ARRAY_SIZE(shapes); i++) {
		char dir[64], err[512], cmd[128];
		double t0, s;
		int made, rc;

		util_strfmt(dir, sizeof(dir), "/tmp/ptb-bench-XXXXXX");
		if (!mkdtemp(dir) || big_summary(dir, shapes[i][0], shapes[i][1]) < 0)
			return 1;
		t0 = util_now_s();
		rc = plot_dir(dir, &made, err, sizeof(err));
		s = util_now_s() - t0;
		if (rc < 0)
			fprintf(stderr, "plot: %s\n", err);
		bad |= rc < 0;
		worst = s > worst ? s : worst;
		printf("plot 40000 summary rows (%d parameter sets x %d worker counts): %d charts in %.2f s\n",
		       shapes[i][0], shapes[i][1], made, s);
		util_strfmt(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	printf("goal <= 10 s: %s (worst %.2f s)\n", !bad && worst <= 10 ? "met" : "MISSED", worst);
	return bad;
}
