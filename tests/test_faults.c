/* test_faults.c - end to end: synchronization, crashes, hangs, and the
 * bandwidth and allocation workloads, read back from the CSV - in all
 * four modes. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "e2e.h"
#include "opts.h"

enum { P = MODE_PROCESS, T = MODE_THREAD, S = MODE_SHARED, X = MODE_EXEC };

/* The trial-level value of a metric for each trial, by mode. */
static int metric_by_mode(const char *dir, const char *metric, double out[MODE_N][16], int n[MODE_N])
{
	char path[PATH_MAX];
	struct table tr, m;

	memset(n, 0, MODE_N * sizeof(n[0]));
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
		int mode = 0;

		while (mode < MODE_N - 1 && strcmp(cell(&tr, trial - 1, "mode"), mode_names[mode]))
			mode++;
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
	double v[MODE_N][16];
	int n[MODE_N];

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 2;

	/* counter */
	{
		const char *extra[] = { "counter", "-n", "2", "-r", "3", "-m", "all", "-P", "sync=none", "-P",
					"increments=1000000", "--bursts", "off", NULL };
		int good;

		ok(run_ptbench(argv[1], tmp, "none", out, sizeof(out), -1, extra) == 0, "counter sync=none runs");
		ok(trials_all(out, "ok", 1, NULL, NULL), "sync=none: trials ok (losing updates is the finding)");
		metric_by_mode(out, "lost_updates", v, n);
		/* A race needs both loops on a CPU at once: other load on the
		 * machine can keep one waiting through a whole trial, never
		 * through every one, and no trial loses more than it made. */
		/* threads and shared-memory processes race alike */
		for (int m = T; m <= S; m++) {
			int raced = 0, bounded = 1;

			for (int i = 0; i < n[m]; i++) {
				raced += v[m][i] > 0;
				bounded &= v[m][i] >= 0 && v[m][i] <= 2000000;
			}
			ok(n[m] == 3 && raced > 0 && bounded, "%s: lost_updates > 0 in %d of 3 trials (%g, %g, %g)",
			   mode_names[m], raced, v[m][0], v[m][1], v[m][2]);
		}
		good = n[P] == 3 && n[X] == 3;
		for (int i = 0; i < n[P]; i++)
			good &= v[P][i] == 2e6 && v[X][i] == 2e6;
		metric_by_mode(out, "invisible_updates", v, n);
		for (int i = 0; i < n[P]; i++)
			good &= v[P][i] == 2e6 && v[X][i] == 2e6;
		for (int i = 0; i < n[T]; i++)
			good &= v[T][i] == 0 && v[S][i] == 0;
		ok(good, "process and exec: all 2,000,000 updates invisible to the parent; thread, shared: none");
	}
	{
		static const char *const ways[] = { "sync=lock", "sync=atomic", "sync=private" };

		for (size_t k = 0; k < ARRAY_SIZE(ways); k++) {
			const char *extra[] = { "counter", "-n", "2", "-r", "2", "-m", "all", "-P", ways[k], "-P",
						"increments=200000", "--bursts", "off", NULL };
			int good = 1;

			ok(run_ptbench(argv[1], tmp, ways[k], out, sizeof(out), -1, extra) == 0 &&
			   trials_all(out, "ok", 1, NULL, NULL), "counter %s: ok, checksum right, all modes", ways[k]);
			metric_by_mode(out, "lost_updates", v, n);
			for (int m = 0; m < MODE_N; m++) {
				good &= n[m] == 2;
				for (int i = 0; i < n[m]; i++)
					good &= v[m][i] == 0;
			}
			ok(good, "%s: no update lost in any mode", ways[k]);
		}
	}

	/* crash: a forked or exec'd victim dies alone (sharing memory is not
	 * sharing a fate), a thread takes all with it; the next trial still
	 * runs and the run exits 0. */
	{
		const char *extra[] = { "crash", "spawn", "-n", "4", "-r", "2", "-m", "all", "-P", "fault=segv",
					"-P", "work=20000000", "--bursts", "off", NULL };
		int good = 1;

		ok(run_ptbench(argv[1], tmp, "crash", out, sizeof(out), -1, extra) == 0,
		   "crash then spawn: the run exits 0 (the crash was expected)");
		metric_by_mode(out, "survivors", v, n);
		for (int m = 0; m < MODE_N; m++) {
			good = n[m] == 2;
			for (int i = 0; i < n[m]; i++)
				good &= v[m][i] == (m == T ? 0 : 3);
			ok(good, "%s mode: %s", mode_names[m], m == T ? "none survives" : "3 of 4 survive");
		}
		metric_by_mode(out, "work_done_frac", v, n);
		for (int m = 0; m < MODE_N; m++) {
			if (m == T)
				continue;
			good = n[m] == 2;
			for (int i = 0; i < n[m]; i++)
				good &= v[m][i] >= 0.85;
			ok(good, "%s mode: work_done_frac >= 0.85 (%g, %g)", mode_names[m], v[m][0], v[m][1]);
		}
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
			ok(crashed == 8 && spawn_ok == 8, "crash trials 'crashed' (signal 11, expected), then spawn ok (%d, %d)",
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
			/* 8 crash trials x 1 victim; 2 thread trials x 3 lost;
			 * 6 forked x 3 ok + spawn 8 x 4 */
			ok(crashed == 8 && lost == 6 && okk == 18 + 32, "workers.csv: victims crashed, threads lost, children ok (%d/%d/%d)",
			   crashed, lost, okk);
		}
	}

	/* hang: a timeout, within a few seconds, nothing left behind. */
	{
		const char *extra[] = { "crash", "-n", "2", "-r", "1", "-m", "all", "-P",
					"fault=hang", "-P", "work=2000000", "-t", "2", "--bursts", "off", NULL };
		struct timespec a, b;
		int rc;

		clock_gettime(CLOCK_MONOTONIC, &a);
		rc = run_ptbench(argv[1], tmp, "hang", out, sizeof(out), -1, extra);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ok(rc == 0, "fault=hang: run exits 0 (a timeout is what it expects)");
		ok(trials_all(out, "timeout", 0, NULL, NULL), "every hang trial ends as timeout");
		ok(b.tv_sec - a.tv_sec < 4 * 2 + 6, "4 trials with -t 2 took %ld s", (long)(b.tv_sec - a.tv_sec));
		ok(leftovers(argv[1]) == 0, "no ptbench process left behind");
	}

	/* membw and malloc (run apart: both have a 'size'): right checksums
	 * in both modes. */
	{
		const char *extra[] = { "membw", "-n", "1,2", "-r", "1", "-m", "all", "-P", "size=3M", "-P",
					"passes=2", "--bursts", "off", NULL };
		const char *extra2[] = { "malloc", "-n", "1,2", "-r", "1", "-m", "all", "-P", "allocs=100000",
					 "--bursts", "off", NULL };
		int good = 1;

		ok(run_ptbench(argv[1], tmp, "bw", out, sizeof(out), -1, extra) == 0 && trials_all(out, "ok", 1, NULL, NULL),
		   "membw: every trial ok with a right checksum, all modes");
		metric_by_mode(out, "gbps", v, n);
		for (int m = 0; m < MODE_N; m++)
			good &= n[m] == 2 && v[m][0] > 0.1 && v[m][1] > 0.1;
		ok(good, "membw reports GB/s in every mode (%g, %g, %g, %g)", v[P][1], v[T][1], v[S][1], v[X][1]);
		ok(run_ptbench(argv[1], tmp, "malloc", out, sizeof(out), -1, extra2) == 0 &&
		   trials_all(out, "ok", 1, NULL, NULL), "malloc: every trial ok with a right checksum, all modes");
	}
	rmtree(tmp);
	return done_testing();
}
