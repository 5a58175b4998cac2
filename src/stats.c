/* stats.c - quantiles and the bootstrap. Everything here is pure and
 * deterministic for a given seed, so results files are reproducible. */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void stats_rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
uint64_t stats_rng_next(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

size_t stats_rng_below(struct rng *r, size_t n)
{
	/* Lemire's multiply-shift; the bias for n << 2^64 is negligible. */
	return (size_t)(((unsigned __int128)stats_rng_next(r) * n) >> 64);
}

double stats_rng_normal(struct rng *r)
{
	double u1 = ((double)(stats_rng_next(r) >> 11) + 0.5) * 0x1p-53;
	double u2 = (double)(stats_rng_next(r) >> 11) * 0x1p-53;

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void stats_sort(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_double);
}

double stats_quantile(const double *x, size_t n, double q)
{
	double h, f;
	size_t i;

	if (n == 0)
		return NAN;
	h = (double)(n - 1) * q;
	i = (size_t)h;
	f = h - (double)i;
	if (i + 1 >= n)
		return x[n - 1];
	/* An unbounded end (a ratio over zero) takes no weight: inf - inf
	 * and 0 * inf are NaN. */
	if (f == 0 || x[i] == x[i + 1])
		return x[i];
	if (!isfinite(x[i]) || !isfinite(x[i + 1]))
		return f < 0.5 ? x[i] : x[i + 1];
	return x[i] + f * (x[i + 1] - x[i]);
}

/* k-th smallest of x[0..n), reordering x (Wirth's selection). */
static double select_k(double *x, size_t n, size_t k)
{
	long l = 0, m = (long)n - 1, kk = (long)k;

	while (l < m) {
		double pivot = x[kk];
		long i = l, j = m;

		do {
			while (x[i] < pivot)
				i++;
			while (pivot < x[j])
				j--;
			if (i <= j) {
				double t = x[i];

				x[i] = x[j];
				x[j] = t;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			m = j;
	}
	return x[kk];
}

double stats_median(double *x, size_t n)
{
	double a, b;

	if (n == 0)
		return NAN;
	a = select_k(x, n, (n - 1) / 2);
	if (n % 2)
		return a;
	b = select_k(x, n, n / 2);
	return (a + b) / 2;
}

/* Bootstrap distribution of the median of x: out[0..STATS_RESAMPLES),
 * drawing from r. Returns 0 or -ENOMEM. */
static int boot_medians(const double *x, size_t n, struct rng *r, double *out)
{
	double *tmp = malloc(n * sizeof(*tmp));

	if (!tmp)
		return -ENOMEM;
	for (int b = 0; b < STATS_RESAMPLES; b++) {
		for (size_t i = 0; i < n; i++)
			tmp[i] = x[stats_rng_below(r, n)];
		out[b] = stats_median(tmp, n);
	}
	free(tmp);
	return 0;
}

int stats_boot_ci(const double *const *x, const size_t *n, int k, uint64_t seed,
		  double (*f)(const double *m), double *lo, double *hi)
{
	double *boot, m[BOOT_MAX_SAMPLES];
	struct rng r;
	int rc = 0;

	*lo = *hi = NAN;
	if (k < 1 || k > BOOT_MAX_SAMPLES)
		return -EINVAL;
	/* boot[i * STATS_RESAMPLES + b]: sample i's median in round b; the
	 * first row ends up holding f of each round. */
	boot = malloc((size_t)k * STATS_RESAMPLES * sizeof(*boot));
	if (!boot)
		return -ENOMEM;
	stats_rng_seed(&r, seed);
	for (int i = 0; i < k && !rc; i++)
		rc = boot_medians(x[i], n[i], &r, boot + (size_t)i * STATS_RESAMPLES);
	if (!rc) {
		for (int b = 0; b < STATS_RESAMPLES; b++) {
			for (int i = 0; i < k; i++)
				m[i] = boot[(size_t)i * STATS_RESAMPLES + b];
			boot[b] = f ? f(m) : m[0];
		}
		stats_sort(boot, STATS_RESAMPLES);
		*lo = stats_quantile(boot, STATS_RESAMPLES, 0.025);
		*hi = stats_quantile(boot, STATS_RESAMPLES, 0.975);
	}
	free(boot);
	return rc;
}

enum outcome stats_classify(double lo, double hi, double noise, int better)
{
	int up;

	if (isnan(lo) || isnan(hi))
		return OUT_NONE;
	if (lo > 1 + noise)
		up = 1;
	else if (hi < 1 - noise)
		up = 0;
	else
		return lo >= 1 - noise && hi <= 1 + noise ? OUT_SAME : OUT_INCONCLUSIVE;
	if (!better)
		return up ? OUT_HIGHER : OUT_LOWER;
	return up == (better > 0) ? OUT_BETTER : OUT_WORSE;
}

int stats_summarize(const double *x, size_t n, uint64_t seed, struct summary *s)
{
	double *sorted, sum = 0;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->n = n;
	s->median = s->p25 = s->p75 = s->min = s->max = s->mean = NAN;
	s->ci_lo = s->ci_hi = NAN;
	if (n == 0)
		return 0;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, x, n * sizeof(*x));
	stats_sort(sorted, n);
	for (size_t i = 0; i < n; i++)
		sum += sorted[i];
	s->mean = sum / (double)n;
	s->min = sorted[0];
	s->max = sorted[n - 1];
	s->median = stats_quantile(sorted, n, 0.5);
	s->p25 = stats_quantile(sorted, n, 0.25);
	s->p75 = stats_quantile(sorted, n, 0.75);
	if (n >= 2)
		rc = stats_boot_ci((const double *const[]){ sorted }, &n, 1, seed, NULL,
				   &s->ci_lo, &s->ci_hi);
	free(sorted);
	return rc;
}

/* num/den where den may be zero: 0/0 counts as the same, x/0 as
 * unbounded. */
static double quotient(double num, double den)
{
	if (den == 0)
		return num == 0 ? 1 : INFINITY * (num > 0 ? 1 : -1);
	return num / den;
}

/* num/den of one bootstrap round (a resample may have a zero median). */
static double ratio_of(const double *m)
{
	return quotient(m[0], m[1]);
}

int stats_ratio(const double *num, size_t nn, const double *den, size_t nd,
		uint64_t seed, double *ratio, double *lo, double *hi)
{
	double *tmp, mn, md;
	size_t big = nn > nd ? nn : nd;
	int rc = 0;

	*ratio = *lo = *hi = NAN;
	if (!nn || !nd)
		return 0;
	tmp = malloc(big * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, num, nn * sizeof(*tmp));
	mn = stats_median(tmp, nn);
	memcpy(tmp, den, nd * sizeof(*tmp));
	md = stats_median(tmp, nd);
	free(tmp);
	if (md == 0) {
		if (mn != 0)
			return -EDOM;
		*ratio = *lo = *hi = 1;   /* 0 vs 0: the same */
		return 0;
	}
	*ratio = mn / md;
	if (nn >= 2 && nd >= 2)
		rc = stats_boot_ci((const double *const[]){ num, den }, (const size_t[]){ nn, nd }, 2,
				   seed, ratio_of, lo, hi);
	return rc;
}

int stats_paired_ratio(const double *num, const double *den, size_t n, uint64_t seed,
		       double *ratio, double *lo, double *hi)
{
	double *r;
	int rc = 0;

	*ratio = *lo = *hi = NAN;
	if (!n)
		return 0;
	if (!(r = malloc(2 * n * sizeof(*r))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		r[i] = r[n + i] = quotient(num[i], den[i]);
	/* Selection, not interpolation: an unbounded ratio must not meet a
	 * zero weight (0 * inf is NaN). */
	*ratio = stats_median(r + n, n);
	if (!isfinite(*ratio)) {
		*ratio = NAN;
		rc = -EDOM;
	} else if (n >= 2) {
		rc = stats_boot_ci((const double *const[]){ r }, &n, 1, seed, NULL, lo, hi);
	}
	free(r);
	return rc;
}

double stats_half_width(double ratio, double lo, double hi)
{
	if (isnan(ratio) || isnan(lo) || isnan(hi))
		return NAN;
	if (lo == hi && hi == ratio)
		return 0;
	if (!(ratio > 0))
		return NAN;
	return fmax(hi / ratio - 1, 1 - lo / ratio);
}

double stats_hist_lo(int bin)
{
	return pow(10, bin / 10.0);
}

double stats_hist_hi(int bin)
{
	return pow(10, (bin + 1) / 10.0);
}

int stats_hist_bin(double us)
{
	int b;

	if (!(us >= 1))
		return 0;
	b = (int)floor(log10(us) * 10 + 1e-9);
	if (b >= HIST_BINS)
		return HIST_BINS - 1;
	/* log10 may round across a bin edge; the edges are the truth. */
	if (b > 0 && us < stats_hist_lo(b))
		b--;
	else if (b + 1 < HIST_BINS && us >= stats_hist_lo(b + 1))
		b++;
	return b;
}

uint64_t stats_hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ull;      /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}
