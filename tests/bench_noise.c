/* bench_noise.c - how well the quiet rule tells a disturbed trial from a
 * clean one (a benchmark: numbers, not pass/fail).
 *
 * Each round is one `ptbench run cpu -n 1 -m thread -r 1` (one trial,
 * pinned to the first allowed CPU), with the truth known: nothing beside
 * it, a busy loop on the same CPU all along, a busy loop on the same CPU
 * that runs 5 ms of every 10 ms (bursts), or a busy loop on another CPU
 * (which disturbs nothing the trial uses). The conditions take turns, so
 * the machine's drift falls on all of them alike. Printed: the share of
 * each condition's trials called disturbed (quiet=0), and the median
 * wall time of the trials called quiet against the idle ones.
 *
 *   build/tests/bench_noise build/ptbench [rounds]   (default 20 a condition) */
#include <sched.h>
#include <signal.h>
#include <time.h>

#include "e2e.h"
#include "stats.h"

enum cond { IDLE, SAME, BURSTS, OTHER, COND_N };
static const char *const cond_names[COND_N] = {
	"idle", "busy loop, same CPU", "busy loop 50% (5 of 10 ms), same CPU",
	"busy loop, other CPU",
};

int main(int argc, char **argv)
{
	static double wall[COND_N][1000];
	int nwall[COND_N] = { 0 }, disturbed[COND_N] = { 0 }, judged[COND_N] = { 0 };
	int rounds = argc > 2 ? atoi(argv[2]) : 20, cpu[2] = { -1, -1 }, k = 0;
	char tmp[64], out[PATH_MAX];
	cpu_set_t mine;

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)) || rounds < 1 || rounds > 1000)
		return 2;
	sched_getaffinity(0, sizeof(mine), &mine);
	for (int i = 0; i < CPU_SETSIZE && k < 2; i++)
		if (CPU_ISSET(i, &mine))
			cpu[k++] = i;
	for (int r = 0; r < rounds; r++) {
		for (int c = 0; c < COND_N; c++) {
			char *args[] = { argv[1], "run", "cpu", "-n", "1", "-m", "thread", "-r", "1",
					 "--warmup", "0", "--bursts", "off", "-p", "core", "-P",
					 "total=50000000", "-o", out, "-q", NULL };
			struct table t;
			pid_t h = -1;

			if (c == OTHER && cpu[1] < 0)
				continue;
			if (c != IDLE)
				h = busy_loop(c == OTHER ? cpu[1] : cpu[0], c == BURSTS);
			util_strfmt(out, sizeof(out), "%s/r%d-%d", tmp, r, c);
			run_cmd(args, tmp);
			if (h > 0) {
				kill(h, SIGKILL);
				waitpid(h, NULL, 0);
			}
			util_strfmt(out + strlen(out), sizeof(out) - strlen(out), "/trials.csv");
			if (table_read(out, &t) < 0)
				continue;
			for (int i = 0; i < t.nrows; i++) {
				double q = num(&t, i, "quiet");

				if (q != 0 && q != 1)
					continue;
				judged[c]++;
				disturbed[c] += q == 0;
				if (q == 1 && nwall[c] < 1000)
					wall[c][nwall[c]++] = num(&t, i, "wall_s");
			}
			table_free(&t);
		}
	}
	printf("quiet rule against known interference, %d rounds, cpu -n 1 (total=5e7) on CPU %d:\n",
	       rounds, cpu[0]);
	{
		double idle = nwall[IDLE] ? stats_median(wall[IDLE], (size_t)nwall[IDLE]) : 0;

		for (int c = 0; c < COND_N; c++) {
			double med = nwall[c] ? stats_median(wall[c], (size_t)nwall[c]) : 0;

			printf("  %-40s %3d of %3d called disturbed (%5.1f%%); quiet ones: median wall %.4f s",
			       cond_names[c], disturbed[c], judged[c],
			       judged[c] ? 100.0 * disturbed[c] / judged[c] : 0, med);
			if (nwall[c] && idle > 0)
				printf(", %.3f x idle", med / idle);
			putchar('\n');
		}
	}
	rmtree(tmp);
	return 0;
}
