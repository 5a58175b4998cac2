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
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n). */
size_t rng_below(struct rng *r, size_t n);
/* Standard normal (for tests and simulations). */
double rng_normal(struct rng *r);

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

/* Bootstrap distribution of the median of x: out[0..STATS_RESAMPLES),
 * drawing from r. Returns 0 or -ENOMEM. */
int boot_medians(const double *x, size_t n, struct rng *r, double *out);

/* Bins of the burst histogram: 10 a decade from 1 us to 10 s. */
#define HIST_BINS 70
double hist_lo(int bin);
double hist_hi(int bin);
/* The bin a value falls in (values outside clamp to the end bins). */
int hist_bin(double us);

/* A 64-bit hash of text, for seeding the bootstrap from a cell's name. */
uint64_t hash_text(const char *s);

#endif
