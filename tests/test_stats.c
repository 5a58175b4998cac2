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

/* Statistics of medians for stats_boot_ci. */
static double halve(const double *m)
{
	return m[1] / m[0];
}

static double four(const double *m)
{
	return (m[3] / m[2]) / (m[1] / m[0]);
}

static double five(const double *m)
{
	return m[4];
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

		stats_rng_seed(&r, 2026);
		for (int t = 0; t < trials; t++) {
			double v[50];

			for (int i = 0; i < 50; i++)
				v[i] = 10 + stats_rng_normal(&r);
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

	/* Paired ratio: the median of the pairs' ratios, a CI over pairs. */
	{
		double num[12], den[12], plo, phi, ulo, uhi, r1, r2, l2, h2;
		int rc;
		double z[] = { 0, 0, 0 }, one[] = { 1, 2, 3 };

		/* Drift of 40% over the run, alike in both members of a pair. */
		for (int i = 0; i < 12; i++) {
			den[i] = 1 + 0.4 * i / 11;
			num[i] = den[i] * (i % 2 ? 1.002 : 0.998);
		}
		rc = stats_paired_ratio(num, den, 12, 3, &ratio, &plo, &phi);
		ok(rc == 0 && near(ratio, 1, 0.003) && plo >= 0.998 - 1e-12 && phi <= 1.002 + 1e-12,
		   "paired: drift cancels, %g [%g, %g]", ratio, plo, phi);
		stats_ratio(num, 12, den, 12, 3, &r1, &ulo, &uhi);
		ok(ulo < 0.9 && uhi > 1.1, "unpaired: the same drift gives [%g, %g]", ulo, uhi);
		ok(stats_paired_ratio(num, den, 12, 3, &r2, &l2, &h2) == 0 && r2 == ratio && l2 == plo &&
		   h2 == phi, "paired: the same seed, the same interval");
		ok(stats_paired_ratio(num, den, 1, 3, &ratio, &lo, &hi) == 0 &&
		   ratio == num[0] / den[0] && isnan(lo) && isnan(hi), "paired: one pair, a ratio but no CI");
		ok(stats_paired_ratio(num, den, 0, 3, &ratio, &lo, &hi) == 0 && isnan(ratio),
		   "paired: no pairs, no ratio");
		ok(stats_paired_ratio(z, z, 3, 3, &ratio, &lo, &hi) == 0 && ratio == 1 && lo == 1 && hi == 1,
		   "paired: 0/0 counts as the same");
		ok(stats_paired_ratio(one, z, 3, 3, &ratio, &lo, &hi) == -EDOM && isnan(ratio),
		   "paired: over zero refused");
		den[0] = den[1] = 0;
		rc = stats_paired_ratio(num, den, 5, 3, &ratio, &lo, &hi);
		ok(rc == 0 && isfinite(ratio) && !isnan(lo) && !isnan(hi),
		   "paired: two unbounded pairs of five: a bounded median %g, an interval [%g, %g]",
		   ratio, lo, hi);
	}
	{
		static const struct {
			double r, lo, hi, want;
			const char *what;
		} hw[] = {
			{ 1, 0.95, 1.02, 0.05, "the farther end counts" },
			{ 2, 1.8, 2.6, 0.3, "relative to the ratio" },
			{ 0.5, 0.5, 0.5, 0, "a point" },
			{ 0, 0, 0, 0, "a point at zero" },
			{ 0, 0, 0.1, NAN, "zero ratio, some width: unbounded" },
			{ 1, NAN, NAN, NAN, "no interval" },
			{ 1, 0.9, INFINITY, INFINITY, "an unbounded end" },
		};

		for (size_t i = 0; i < sizeof(hw) / sizeof(hw[0]); i++) {
			double h = stats_half_width(hw[i].r, hw[i].lo, hw[i].hi);

			ok(isnan(hw[i].want) ? isnan(h) : h == hw[i].want || near(h, hw[i].want, 1e-12),
			   "half-width, %s: %g", hw[i].what, h);
		}
	}
	{
		double inf[] = { 1, 2, INFINITY, INFINITY };

		ok(stats_quantile(inf, 4, 0.975) == INFINITY && stats_quantile(inf, 4, 0.6) == INFINITY &&
		   near(stats_quantile(inf, 4, 0.3), 1.9, 1e-12),
		   "quantiles beside unbounded values are not NaN");
	}

	/* The one band classifier: where a CI lies against 1 +- noise, read
	 * in each better direction (+1, -1, 0). */
	{
		static const struct {
			double lo, hi, noise;
			enum outcome up, down, none;    /* better = +1, -1, 0 */
			const char *what;
		} cases[] = {
			{ 0.98, 1.02, 0.03, OUT_SAME, OUT_SAME, OUT_SAME, "wholly inside" },
			{ 0.97, 1.03, 0.03, OUT_SAME, OUT_SAME, OUT_SAME, "on both edges: inside" },
			{ 1, 1, 0, OUT_SAME, OUT_SAME, OUT_SAME, "a point at 1, no band" },
			{ 1.05, 1.2, 0.03, OUT_BETTER, OUT_WORSE, OUT_HIGHER, "wholly above" },
			{ 1.0300001, 1.04, 0.03, OUT_BETTER, OUT_WORSE, OUT_HIGHER, "just above the edge" },
			{ 1.5, INFINITY, 0.03, OUT_BETTER, OUT_WORSE, OUT_HIGHER, "above, unbounded" },
			{ 0.8, 0.95, 0.03, OUT_WORSE, OUT_BETTER, OUT_LOWER, "wholly below" },
			{ 0.9, 0.9699999, 0.03, OUT_WORSE, OUT_BETTER, OUT_LOWER, "just below the edge" },
			{ 1.0, 1.05, 0.03, OUT_INCONCLUSIVE, OUT_INCONCLUSIVE, OUT_INCONCLUSIVE, "across the upper edge" },
			{ 0.95, 1.0, 0.03, OUT_INCONCLUSIVE, OUT_INCONCLUSIVE, OUT_INCONCLUSIVE, "across the lower edge" },
			{ 0.741, 1.024, 0.03, OUT_INCONCLUSIVE, OUT_INCONCLUSIVE, OUT_INCONCLUSIVE, "ratio 0.998 [0.741, 1.024]" },
			{ 0.9, 1.1, 0.03, OUT_INCONCLUSIVE, OUT_INCONCLUSIVE, OUT_INCONCLUSIVE, "across both edges" },
			{ 1, 1.001, 0, OUT_INCONCLUSIVE, OUT_INCONCLUSIVE, OUT_INCONCLUSIVE, "no band: any width crosses" },
			{ NAN, 1.1, 0.03, OUT_NONE, OUT_NONE, OUT_NONE, "lo NaN" },
			{ 1.1, NAN, 0.03, OUT_NONE, OUT_NONE, OUT_NONE, "hi NaN" },
			{ NAN, NAN, 0.03, OUT_NONE, OUT_NONE, OUT_NONE, "no interval" },
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			enum outcome up = stats_classify(cases[i].lo, cases[i].hi, cases[i].noise, 1);
			enum outcome down = stats_classify(cases[i].lo, cases[i].hi, cases[i].noise, -1);
			enum outcome none = stats_classify(cases[i].lo, cases[i].hi, cases[i].noise, 0);

			ok(up == cases[i].up && down == cases[i].down && none == cases[i].none,
			   "classify %s: %d %d %d", cases[i].what, up, down, none);
		}
	}

	/* One bootstrap CI for every statistic of medians. */
	{
		double v[] = { 3, 1, 4, 1, 5, 9, 2, 6 }, w[] = { 2, 7, 1, 8, 2, 8 };
		const double *x[] = { v, w, v, w, v };
		size_t n[] = { 8, 6, 8, 6, 8 };
		double lo1, hi1, lo2, hi2;

		stats_summarize(v, 8, 7, &s);
		/* summarize resamples the sorted values */
		{
			double sorted[8];

			memcpy(sorted, v, sizeof(v));
			stats_sort(sorted, 8);
			ok(stats_boot_ci((const double *const[]){ sorted }, n, 1, 7, NULL, &lo1, &hi1) == 0 &&
			   lo1 == s.ci_lo && hi1 == s.ci_hi, "one sample: the summary's CI of the median");
		}
		{
			double three[] = { 3, 3, 3 }, six[] = { 6, 6, 6, 6 };
			const double *c[] = { three, six };

			ok(stats_boot_ci(c, (const size_t[]){ 3, 4 }, 2, 5, halve, &lo1, &hi1) == 0 &&
			   lo1 == 2 && hi1 == 2, "f sees every sample's median: 6/3 = 2 [%g, %g]", lo1, hi1);
			ok(stats_boot_ci(c, (const size_t[]){ 3, 4 }, 2, 5, NULL, &lo1, &hi1) == 0 &&
			   lo1 == 3 && hi1 == 3, "f NULL: the first sample's median");
		}
		ok(stats_boot_ci(x, n, 5, 11, five, &lo1, &hi1) == -EINVAL, "five samples refused");
		ok(stats_boot_ci(x, n, 4, 11, four, &lo1, &hi1) == 0 &&
		   stats_boot_ci(x, n, 4, 11, four, &lo2, &hi2) == 0 && lo1 == lo2 && hi1 == hi2 &&
		   lo1 < hi1, "four samples; the same seed, the same interval [%g, %g]", lo1, hi1);
		ok(stats_boot_ci(x, n, 0, 1, NULL, &lo1, &hi1) == -EINVAL && isnan(lo1),
		   "no sample refused");
	}

	/* Histogram bins: 10 a decade from 1 us. */
	ok(stats_hist_bin(1) == 0 && stats_hist_bin(0.2) == 0 && stats_hist_bin(10) == 10 && stats_hist_bin(9.99) == 9 &&
	   stats_hist_bin(2000) == 33 && stats_hist_bin(1e8) == HIST_BINS - 1, "histogram bins");
	ok(near(stats_hist_lo(10), 10, 1e-9) && near(stats_hist_hi(69), 1e7, 1e-3), "bin edges 1 us .. 10 s");
	return done_testing();
}
