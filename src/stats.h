/* stats.h - pure statistics: quantiles, a seeded bootstrap, ratios. */
#ifndef PTB_STATS_H
#define PTB_STATS_H

#include <stddef.h>
#include <stdint.h>

#define STATS_RESAMPLES 2000    /* bootstrap resamples (at least 1,000) */

/* A seeded generator, so that the same data always give the same CI. */
struct rng {
	uint64_t s[4];
};
void stats_rng_seed(struct rng *r, uint64_t seed);
uint64_t stats_rng_next(struct rng *r);
/* Uniform in [0, n). */
size_t stats_rng_below(struct rng *r, size_t n);
/* Standard normal (for tests and simulations). */
double stats_rng_normal(struct rng *r);

/* Sorts ascending. NaNs must be removed first. */
void stats_sort(double *x, size_t n);
/* Quantile q in [0,1] of sorted x by linear interpolation between order
 * statistics (Hyndman-Fan type 7, what spreadsheets' PERCENTILE gives). */
double stats_quantile(const double *sorted, size_t n, double q);
/* Median of x; reorders x. NaN when n == 0. */
double stats_median(double *x, size_t n);

struct summary {
	size_t n;
	double median, p25, p75, min, max, mean;
	double ci_lo, ci_hi;    /* bootstrap 95% CI of the median; NaN if n < 2 */
};

/* Summarizes x (not modified). Returns 0 or -ENOMEM. */
int stats_summarize(const double *x, size_t n, uint64_t seed, struct summary *s);

/* Ratio of medians num/den and its percentile-bootstrap 95% CI (the two
 * samples resampled independently). CI is NaN when either has fewer than
 * 2 values. Returns 0, -EDOM (a zero median) or -ENOMEM. */
int stats_ratio(const double *num, size_t nn, const double *den, size_t nd,
		uint64_t seed, double *ratio, double *lo, double *hi);

/* The paired estimate: the median of the n per-pair ratios num[i]/den[i]
 * (0/0 counts as 1, x/0 as unbounded) and its percentile-bootstrap 95% CI
 * resampling whole pairs, so that what both members of a pair share
 * (the machine's drift between them) cancels. CI is NaN when n < 2.
 * Returns 0, -EDOM (the median is unbounded: most denominators are zero)
 * or -ENOMEM. */
int stats_paired_ratio(const double *num, const double *den, size_t n, uint64_t seed,
		       double *ratio, double *lo, double *hi);

/* How precise a ratio is: the larger relative distance from the ratio to
 * an end of its CI, max(hi/ratio - 1, 1 - lo/ratio) (0.05: the interval
 * reaches 5% from the estimate). At a ratio near 1 it is at most the
 * noise band exactly when the CI fits inside 1 +- noise. NaN without an
 * interval or with a ratio <= 0 and an interval of some width. */
double stats_half_width(double ratio, double lo, double hi);

/* Percentile-bootstrap 95% CI of f(medians of k samples): each of
 * STATS_RESAMPLES rounds resamples every sample x[i] (n[i] >= 1 values)
 * with replacement and computes f of their medians m[0..k); lo and hi are
 * the 2.5th and 97.5th percentiles of f. One generator seeded with seed
 * draws every resample of x[0], then of x[1], ... f NULL is m[0].
 * Returns 0 or -ENOMEM. */
#define BOOT_MAX_SAMPLES 4
int stats_boot_ci(const double *const *x, const size_t *n, int k, uint64_t seed,
		  double (*f)(const double *m), double *lo, double *hi);

/* Where the 95% CI [lo, hi] of a ratio lies against the noise band
 * 1 +- noise, read in the direction `better` (+1 a higher ratio is better,
 * -1 lower, 0 neither): the one rule behind versus.csv's winner, compare's
 * change and every claim's comparisons. */
enum outcome {
	OUT_NONE,               /* no interval (NaN) */
	OUT_SAME,               /* wholly inside the band: no difference */
	OUT_INCONCLUSIVE,       /* across an edge of the band */
	OUT_BETTER,             /* wholly beyond, the better way (better != 0) */
	OUT_WORSE,              /* wholly beyond, the worse way (better != 0) */
	OUT_HIGHER,             /* wholly above (better == 0) */
	OUT_LOWER,              /* wholly below (better == 0) */
};
enum outcome stats_classify(double lo, double hi, double noise, int better);

/* Bins of the burst histogram: 10 a decade from 1 us to 10 s. */
#define HIST_BINS 70
double stats_hist_lo(int bin);
double stats_hist_hi(int bin);
/* The bin a value falls in (values outside clamp to the end bins). */
int stats_hist_bin(double us);

/* A 64-bit hash of text, for seeding the bootstrap from a cell's name. */
uint64_t stats_hash_text(const char *s);

#endif
