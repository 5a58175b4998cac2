/* test_threads.c - every workload in thread mode, tiny sizes, traced and
 * untraced: the test the ThreadSanitizer build runs (.ci/run). A data race
 * there makes the trial process stop (TSAN_OPTIONS=halt_on_error=1), and
 * the trial then is not ok. crash is left out: it faults on purpose. */
#include <string.h>

#include "e2e.h"

int main(int argc, char **argv)
{
	char tmp[64], out[PATH_MAX];
	int rows = 0;

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 2;
	{
		const char *extra[] = { "cpu", "spawn", "sharedread", "cow", "cowops", "burst", "pingpong",
					"-m", "thread", "-n", "2", "-r", "1",
					"-P", "total=1000000", "-P", "heap=4M", "-P", "table=4M",
					"-P", "lookups=1000", "-P", "write=0.25", "-P", "bursts=10",
					"-P", "compute_us=100", "-P", "block_us=100", "-P", "rounds=1000", NULL };

		ok(run_ptbench(argv[1], tmp, "a", out, sizeof(out), -1, extra) == 0, "seven workloads, thread mode");
		ok(trials_all(out, "ok", 0, "thread", &rows) && rows == 14, "every trial ok, traced and untraced (%d)", rows);
	}
	{
		const char *extra[] = { "membw", "-m", "thread", "-n", "2", "-r", "1", "-P", "size=3M",
					"-P", "passes=1", NULL };
		const char *extra2[] = { "malloc", "-m", "thread", "-n", "2", "-r", "1", "-P", "allocs=10000",
					 NULL };

		ok(run_ptbench(argv[1], tmp, "bw", out, sizeof(out), -1, extra) == 0 && trials_all(out, "ok", 0, "thread", &rows),
		   "membw, thread mode");
		ok(run_ptbench(argv[1], tmp, "ma", out, sizeof(out), -1, extra2) == 0 && trials_all(out, "ok", 0, "thread", &rows),
		   "malloc, thread mode");
	}
	{
		static const char *const ways[] = { "sync=none", "sync=lock", "sync=atomic", "sync=private" };

		for (size_t k = 0; k < ARRAY_SIZE(ways); k++) {
			const char *extra[] = { "counter", "-m", "thread", "-n", "4", "-p", "same", "-r", "1",
						"-P", ways[k], "-P", "increments=20000", NULL };

			ok(run_ptbench(argv[1], tmp, ways[k], out, sizeof(out), -1, extra) == 0 &&
			   trials_all(out, "ok", 0, "thread", &rows), "counter %s, 4 threads on one PU", ways[k]);
		}
	}
	rmtree(tmp);
	return done_testing();
}
