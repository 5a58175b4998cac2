/* test_bursts.c - end to end: burst lengths, preemption, the histogram,
 * the schedstat fallback and an unprivileged run. */
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "e2e.h"

/* Sum of the histogram of one trial: both columns, or one. */
static double hist_sum(const struct table *b, const char *trial, const char *col)
{
	double sum = 0;

	for (int r = 0; r < b->nrows; r++)
		if (!strcmp(cell(b, r, "trial"), trial))
			sum += col ? num(b, r, col) : num(b, r, "blocked") + num(b, r, "preempted");
	return sum;
}

int main(int argc, char **argv)
{
	char tmp[64], out[PATH_MAX], path[PATH_MAX];
	struct table t, b;

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 2;

	/* burst: 2000 us of CPU, then 1000 us blocked, 60 times a worker.
	 * Other load on the machine splits a compute period into preempted
	 * pieces, so the median burst is no fixed number; what load cannot
	 * change: each period ends by blocking once, and the pieces of all
	 * periods add up to the CPU time the work needs. */
	{
		const char *extra[] = { "burst", "-n", "2", "-r", "1", "-P", "compute_us=2000",
					"-P", "block_us=1000", "-P", "bursts=60", NULL };
		int traced = 0, bad = 0;

		ok(run_ptbench(argv[1], tmp, "burst", out, sizeof(out), -1, extra) == 0, "burst runs");
		if (read_checked(out, "trials.csv", trials_cols, TR_N, &t) == 0 &&
		    read_checked(out, "bursts.csv", bursts_cols, BU_N, &b) == 0) {
			for (int r = 0; r < t.nrows; r++) {
				const char *id = cell(&t, r, "trial"), *mode = cell(&t, r, "mode");
				double p50 = num(&t, r, "burst_p50_us");
				double on_us = num(&t, r, "burst_n") * num(&t, r, "burst_mean_us");
				double blocked = hist_sum(&b, id, "blocked");

				if (num(&t, r, "traced") != 1)
					continue;
				traced++;
				/* 2 x 60 periods, plus the start and end barriers' waits */
				ok(blocked >= 120 && blocked <= 128,
				   "%s mode: %.0f bursts ended by blocking, one a compute period (120) and a few barrier waits",
				   mode, blocked);
				ok(blocked > 0 && fabs(on_us / blocked - 2000) <= 200,
				   "%s mode: on-CPU time a compute period %.0f us, within 10%% of 2000",
				   mode, blocked > 0 ? on_us / blocked : 0);
				ok(hist_sum(&b, id, NULL) == num(&t, r, "burst_n"),
				   "%s mode: histogram counts add up to burst_n (%.0f)", mode,
				   num(&t, r, "burst_n"));
				/* preemption only shortens a burst */
				ok(num(&t, r, "burst_max_us") <= 2000 * 1.5 && p50 <= 2000 * 1.1,
				   "%s mode: no burst much longer than a compute period (max %.0f us, median %.0f us)",
				   mode, num(&t, r, "burst_max_us"), p50);
				bad += !(num(&t, r, "burst_p50_lo_us") <= p50 && p50 <= num(&t, r, "burst_p50_hi_us"));
				bad += strcmp(cell(&t, r, "burst_source"), "perf") != 0;
				bad += strcmp(cell(&t, r, "status"), "ok") || num(&t, r, "checksum_ok") != 1;
			}
			ok(traced == 2 && bad == 0, "one traced trial a mode, perf source, CI around the median");
			table_free(&t);
			table_free(&b);
		}
	}

	/* cpu: 4 workers on one PU are preempted, not blocked. */
	{
		const char *extra[] = { "cpu", "-n", "4", "-p", "same", "-r", "1", "-P",
					"total=400000000", NULL };
		int traced = 0, bad = 0;

		ok(run_ptbench(argv[1], tmp, "over", out, sizeof(out), -1, extra) == 0, "cpu -n 4 -p same runs");
		if (read_checked(out, "trials.csv", trials_cols, TR_N, &t) == 0) {
			struct table w;

			util_strfmt(path, sizeof(path), "%s/workers.csv", out);
			if (table_read(path, &w) == 0) {
				for (int r = 0; r < w.nrows; r++) {
					int trial = (int)num(&w, r, "trial");

					if (num(&t, trial - 1, "traced") != 1)
						continue;
					traced++;
					if (!(num(&w, r, "preempted_frac") > 0.9)) {
						diag("trial %d worker %s: preempted_frac %s of %s bursts", trial,
						     cell(&w, r, "worker"), cell(&w, r, "preempted_frac"),
						     cell(&w, r, "burst_n"));
						bad++;
					}
					bad += strcmp(cell(&w, r, "cpu_observed"), cell(&w, 0, "cpu_observed")) != 0;
				}
				table_free(&w);
			}
			ok(traced == 8 && bad == 0, "every traced worker on the one PU: preempted_frac > 0.9 (%d bad)", bad);
			table_free(&t);
		}
	}

	/* The fallback: schedstat gives a mean. */
	{
		const char *extra[] = { "burst", "-n", "1", "-r", "1", "--bursts", "schedstat",
					"-P", "bursts=30", NULL };
		int traced = 0;

		ok(run_ptbench(argv[1], tmp, "sched", out, sizeof(out), -1, extra) == 0, "--bursts schedstat runs");
		if (read_checked(out, "trials.csv", trials_cols, TR_N, &t) == 0) {
			for (int r = 0; r < t.nrows; r++) {
				if (num(&t, r, "traced") != 1)
					continue;
				traced++;
				/* 30 periods of 2000 us of CPU (the default compute_us):
				 * preemption splits them into more, shorter slices, but
				 * slices times their mean is the CPU time, load or not. */
				double on_ms = num(&t, r, "burst_n") * num(&t, r, "burst_mean_us") / 1000;

				ok(!strcmp(cell(&t, r, "burst_source"), "schedstat") &&
				   num(&t, r, "burst_mean_us") > 0 && num(&t, r, "burst_mean_us") < 2400 &&
				   on_ms >= 60 * 0.95 && on_ms <= 60 * 1.25 &&
				   !*cell(&t, r, "burst_p50_us"),
				   "%s mode: schedstat mean %s us over %s slices (%.1f ms on CPU for 60 ms of work), no percentiles",
				   cell(&t, r, "mode"), cell(&t, r, "burst_mean_us"), cell(&t, r, "burst_n"), on_ms);
			}
			ok(traced == 2, "traced trials with schedstat");
			table_free(&t);
		}
	}

	/* --bursts off: nothing traced. */
	{
		const char *extra[] = { "spawn", "-n", "1", "-r", "1", "--bursts", "off", NULL };

		ok(run_ptbench(argv[1], tmp, "off", out, sizeof(out), -1, extra) == 0, "--bursts off runs");
		if (read_checked(out, "trials.csv", trials_cols, TR_N, &t) == 0) {
			ok(t.nrows == 2 && num(&t, 0, "traced") == 0 && num(&t, 1, "traced") == 0,
			   "no traced repetition with --bursts off");
			table_free(&t);
		}
	}

	/* An unprivileged user: bursts (perf with exclude_kernel) or a clean
	 * fallback, never a failure. */
	if (geteuid() != 0) {
		ok(1, "# SKIP not root: cannot switch to an unprivileged user");
	} else {
		const char *extra[] = { "burst", "-n", "1", "-r", "1", "-P", "bursts=30", NULL };
		int rc;

		chmod(tmp, 0777);
		rc = run_ptbench(argv[1], tmp, "nobody", out, sizeof(out), 65534, extra);
		if (rc == 126 || rc == 127) {
			ok(1, "# SKIP user nobody cannot run %s here (exit %d)", argv[1], rc);
		} else {
			ok(rc == 0, "runs as user nobody (exit %d)", rc);
			if (read_checked(out, "trials.csv", trials_cols, TR_N, &t) == 0) {
				int good = 0, last = 0;

				for (int r = 0; r < t.nrows; r++) {
					if (num(&t, r, "traced") != 1)
						continue;
					last = r;
					good += num(&t, r, "burst_n") > 0 && num(&t, r, "burst_mean_us") > 0;
				}
				ok(good == 2, "as nobody: bursts from %s", cell(&t, last, "burst_source"));
				table_free(&t);
			}
		}
	}
	rmtree(tmp);
	return done_testing();
}
