/* test_faults.c - end to end: synchronization, crashes, hangs, and the
 * bandwidth and allocation workloads, read back from the CSV. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "e2e.h"

/* The trial-level value of a metric for each trial, by mode. */
static int metric_by_mode(const char *dir, const char *metric, double out[2][16], int n[2])
{
	char path[PATH_MAX];
	struct table tr, m;

	n[0] = n[1] = 0;
	util_strfmt(path, sizeof(path), "%s/trials.csv", dir);
	if (table_read(path, &tr) < 0)
		return -1;
	util_strfmt(path, sizeof(path), "%s/metrics.csv", dir);
	if (table_read(path, &m) < 0) {
		table_free(&tr);
		return -1;
	}
	for (int r = 0; r < m.nrows; r++) {
		int trial = (int)num(&m, r, "trial");
		int mode = strcmp(cell(&tr, trial - 1, "mode"), "thread") == 0;

		if (*cell(&m, r, "worker") || strcmp(cell(&m, r, "metric"), metric) || n[mode] == 16)
			continue;
		out[mode][n[mode]++] = num(&m, r, "value");
	}
	table_free(&tr);
	table_free(&m);
	return 0;
}

int main(int argc, char **argv)
{
	char tmp[64], out[PATH_MAX];
	double v[2][16];
	int n[2];

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 2;

	/* counter */
	{
		const char *extra[] = { "counter", "-n", "2", "-r", "3", "-P", "sync=none", "-P",
					"increments=1000000", "--bursts", "off", NULL };
		int raced = 0, bounded = 1, good;

		ok(run_ptbench(argv[1], tmp, "none", out, sizeof(out), -1, extra) == 0, "counter sync=none runs");
		ok(trials_all(out, "ok", 1, NULL, NULL), "sync=none: trials ok (losing updates is the finding)");
		metric_by_mode(out, "lost_updates", v, n);
		/* A race needs both loops on a CPU at once: other load on the
		 * machine can keep one waiting through a whole trial, never
		 * through every one, and no trial loses more than it made. */
		for (int i = 0; i < n[1]; i++) {
			raced += v[1][i] > 0;
			bounded &= v[1][i] >= 0 && v[1][i] <= 2000000;
		}
		ok(n[1] == 3 && raced > 0 && bounded, "threads: lost_updates > 0 in %d of 3 trials (%g, %g, %g)",
		   raced, v[1][0], v[1][1], v[1][2]);
		good = 1;
		for (int i = 0; i < n[0]; i++)
			good &= v[0][i] == 2e6;
		metric_by_mode(out, "invisible_updates", v, n);
		for (int i = 0; i < n[0]; i++)
			good &= v[0][i] == 2e6;
		for (int i = 0; i < n[1]; i++)
			good &= v[1][i] == 0;
		ok(n[0] == 3 && good, "processes: all 2,000,000 updates invisible to the parent");
	}
	{
		static const char *const ways[] = { "sync=lock", "sync=atomic", "sync=private" };

		for (size_t k = 0; k < ARRAY_SIZE(ways); k++) {
			const char *extra[] = { "counter", "-n", "2", "-r", "2", "-P", ways[k], "-P",
						"increments=200000", "--bursts", "off", NULL };
			int good = 1;

			ok(run_ptbench(argv[1], tmp, ways[k], out, sizeof(out), -1, extra) == 0 &&
			   trials_all(out, "ok", 1, NULL, NULL), "counter %s: ok, checksum right, both modes", ways[k]);
			metric_by_mode(out, "lost_updates", v, n);
			for (int m = 0; m < 2; m++)
				for (int i = 0; i < n[m]; i++)
					good &= v[m][i] == 0;
			ok(n[0] == 2 && n[1] == 2 && good, "%s: no update lost in either mode", ways[k]);
		}
	}

	/* crash: a forked victim dies alone, a thread takes all with it; the
	 * next trial still runs and the run exits 0. */
	{
		const char *extra[] = { "crash", "spawn", "-n", "4", "-r", "2", "-P", "fault=segv",
					"-P", "work=20000000", "--bursts", "off", NULL };
		int good = 1;

		ok(run_ptbench(argv[1], tmp, "crash", out, sizeof(out), -1, extra) == 0,
		   "crash then spawn: the run exits 0 (the crash was expected)");
		metric_by_mode(out, "survivors", v, n);
		for (int i = 0; i < n[0]; i++)
			good &= v[0][i] == 3;
		ok(n[0] == 2 && good, "process mode: 3 of 4 survive");
		good = 1;
		for (int i = 0; i < n[1]; i++)
			good &= v[1][i] == 0;
		ok(n[1] == 2 && good, "thread mode: none survives");
		metric_by_mode(out, "work_done_frac", v, n);
		good = 1;
		for (int i = 0; i < n[0]; i++)
			good &= v[0][i] >= 0.85;
		ok(n[0] == 2 && good, "process mode: work_done_frac >= 0.85 (%g, %g)", v[0][0], v[0][1]);
		{
			struct table t;
			char path[PATH_MAX];
			int crashed = 0, spawn_ok = 0;

			util_strfmt(path, sizeof(path), "%s/trials.csv", out);
			if (table_read(path, &t) == 0) {
				for (int r = 0; r < t.nrows; r++) {
					if (!strcmp(cell(&t, r, "workload"), "crash"))
						crashed += !strcmp(cell(&t, r, "status"), "crashed") &&
							   num(&t, r, "expected") == 1 && num(&t, r, "signal") == 11;
					else
						spawn_ok += !strcmp(cell(&t, r, "status"), "ok");
				}
				table_free(&t);
			}
			ok(crashed == 4 && spawn_ok == 4, "crash trials 'crashed' (signal 11, expected), then spawn ok (%d, %d)",
			   crashed, spawn_ok);
		}
		util_strfmt(out, sizeof(out), "%s/crash/workers.csv", tmp);
		{
			struct table w;
			int crashed = 0, lost = 0, okk = 0;

			if (table_read(out, &w) == 0) {
				for (int r = 0; r < w.nrows; r++) {
					crashed += !strcmp(cell(&w, r, "status"), "crashed");
					lost += !strcmp(cell(&w, r, "status"), "lost");
					okk += !strcmp(cell(&w, r, "status"), "ok");
				}
				table_free(&w);
			}
			/* 4 crash trials x 1 victim; 2 thread trials x 3 lost; 2 process x 3 ok + spawn 16 */
			ok(crashed == 4 && lost == 6 && okk == 6 + 16, "workers.csv: victims crashed, threads lost, children ok (%d/%d/%d)",
			   crashed, lost, okk);
		}
	}

	/* hang: a timeout, within a few seconds, nothing left behind. */
	{
		const char *extra[] = { "crash", "-n", "2", "-r", "1", "-m", "thread,process", "-P",
					"fault=hang", "-P", "work=2000000", "-t", "2", "--bursts", "off", NULL };
		struct timespec a, b;
		int rc;

		clock_gettime(CLOCK_MONOTONIC, &a);
		rc = run_ptbench(argv[1], tmp, "hang", out, sizeof(out), -1, extra);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ok(rc == 0, "fault=hang: run exits 0 (a timeout is what it expects)");
		ok(trials_all(out, "timeout", 0, NULL, NULL), "every hang trial ends as timeout");
		ok(b.tv_sec - a.tv_sec < 2 * 2 + 6, "2 trials with -t 2 took %ld s", (long)(b.tv_sec - a.tv_sec));
		ok(leftovers(argv[1]) == 0, "no ptbench process left behind");
	}

	/* membw and malloc (run apart: both have a 'size'): right checksums
	 * in both modes. */
	{
		const char *extra[] = { "membw", "-n", "1,2", "-r", "1", "-P", "size=3M", "-P",
					"passes=2", "--bursts", "off", NULL };
		const char *extra2[] = { "malloc", "-n", "1,2", "-r", "1", "-P", "allocs=100000",
					 "--bursts", "off", NULL };

		ok(run_ptbench(argv[1], tmp, "bw", out, sizeof(out), -1, extra) == 0 && trials_all(out, "ok", 1, NULL, NULL),
		   "membw: every trial ok with a right checksum, both modes");
		metric_by_mode(out, "gbps", v, n);
		ok(n[0] == 2 && n[1] == 2 && v[0][0] > 0.1 && v[1][1] > 0.1, "membw reports GB/s (%g, %g)",
		   v[0][0], v[1][1]);
		ok(run_ptbench(argv[1], tmp, "malloc", out, sizeof(out), -1, extra2) == 0 &&
		   trials_all(out, "ok", 1, NULL, NULL), "malloc: every trial ok with a right checksum, both modes");
	}
	rmtree(tmp);
	return done_testing();
}
