/* test_stats.c - quantiles and the bootstrap on samples with known answers. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "tap.h"

static int near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

int main(void)
{
	double x[] = { 5, 1, 4, 2, 3 };
	double even[] = { 4, 1, 3, 2 };
	double con[20];
	struct summary s;
	struct rng r;
	double ratio, lo, hi;

	ok(stats_summarize(x, 5, 1, &s) == 0 && s.median == 3 && s.min == 1 && s.max == 5,
	   "median/min/max of 1..5");
	ok(s.p25 == 2 && s.p75 == 4, "quartiles of 1..5 are 2 and 4 (type 7)");
	ok(s.ci_lo <= 3 && s.ci_hi >= 3 && s.ci_lo >= 1 && s.ci_hi <= 5, "CI holds the median");
	stats_summarize(even, 4, 1, &s);
	ok(s.median == 2.5 && near(s.p25, 1.75, 1e-12), "even count: median 2.5, p25 1.75");
	{
		double c[] = { 3, 1, 2 };

		ok(stats_median(c, 3) == 2, "stats_median (selection) of 3 values");
	}
	{
		double big[1001];

		for (int i = 0; i < 1001; i++)
			big[i] = (double)((i * 7919) % 1001);
		ok(stats_median(big, 1001) == 500, "selection median of a permutation of 0..1000");
	}
	for (int i = 0; i < 20; i++)
		con[i] = 7.5;
	stats_summarize(con, 20, 42, &s);
	ok(s.ci_lo == 7.5 && s.ci_hi == 7.5, "bootstrap CI of a constant sample is a point");
	stats_summarize(con, 1, 42, &s);
	ok(isnan(s.ci_lo) && isnan(s.ci_hi) && s.median == 7.5, "one value: a median, no CI");
	stats_summarize(x, 0, 1, &s);
	ok(s.n == 0 && isnan(s.median), "no values: NaN");

	/* Same seed, same CI: results files are reproducible. */
	{
		struct summary a, b;

		stats_summarize(x, 5, 99, &a);
		stats_summarize(x, 5, 99, &b);
		ok(a.ci_lo == b.ci_lo && a.ci_hi == b.ci_hi, "seeded bootstrap is deterministic");
	}

	/* Coverage: the CI of the median of N(10,1) samples of 50 should hold
	 * the true median about 95% of the time. */
	{
		int hits = 0, trials = 400;

		rng_seed(&r, 2026);
		for (int t = 0; t < trials; t++) {
			double v[50];

			for (int i = 0; i < 50; i++)
				v[i] = 10 + rng_normal(&r);
			stats_summarize(v, 50, (uint64_t)t, &s);
			hits += s.ci_lo <= 10 && 10 <= s.ci_hi;
		}
		ok(hits >= trials * 90 / 100 && hits <= trials * 99 / 100,
		   "coverage of the 95%% CI: %d of %d (%.1f%%)", hits, trials, 100.0 * hits / trials);
	}

	/* Ratio of medians. */
	{
		double a[] = { 2, 2, 2, 2 }, b[] = { 1, 1, 1, 1 };
		double c[] = { 1.9, 2.0, 2.1, 2.05, 1.95 }, d[] = { 1.0, 1.02, 0.98, 1.01, 0.99 };

		ok(stats_ratio(a, 4, b, 4, 1, &ratio, &lo, &hi) == 0 && ratio == 2 && lo == 2 && hi == 2,
		   "ratio of constants is exact");
		stats_ratio(c, 5, d, 5, 1, &ratio, &lo, &hi);
		ok(near(ratio, 2, 1e-12) && lo > 1.8 && hi < 2.2 && lo <= ratio && ratio <= hi,
		   "ratio 2 with a CI around it [%g, %g]", lo, hi);
		ok(stats_ratio(a, 1, b, 4, 1, &ratio, &lo, &hi) == 0 && ratio == 2 && isnan(lo),
		   "one value on a side: ratio but no CI");
		b[0] = b[1] = b[2] = b[3] = 0;
		ok(stats_ratio(a, 4, b, 4, 1, &ratio, &lo, &hi) == -EDOM, "division by a zero median refused");
	}

	/* Histogram bins: 10 a decade from 1 us. */
	ok(hist_bin(1) == 0 && hist_bin(0.2) == 0 && hist_bin(10) == 10 && hist_bin(9.99) == 9 &&
	   hist_bin(2000) == 33 && hist_bin(1e8) == HIST_BINS - 1, "histogram bins");
	ok(near(hist_lo(10), 10, 1e-9) && near(hist_hi(69), 1e7, 1e-3), "bin edges 1 us .. 10 s");
	return done_testing();
}
