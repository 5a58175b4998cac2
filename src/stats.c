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

void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
uint64_t rng_next(struct rng *r)
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

size_t rng_below(struct rng *r, size_t n)
{
	/* Lemire's multiply-shift; the bias for n << 2^64 is negligible. */
	return (size_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

double rng_normal(struct rng *r)
{
	double u1 = ((double)(rng_next(r) >> 11) + 0.5) * 0x1p-53;
	double u2 = (double)(rng_next(r) >> 11) * 0x1p-53;

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

int boot_medians(const double *x, size_t n, struct rng *r, double *out)
{
	double *tmp = malloc(n * sizeof(*tmp));

	if (!tmp)
		return -ENOMEM;
	for (int b = 0; b < STATS_RESAMPLES; b++) {
		for (size_t i = 0; i < n; i++)
			tmp[i] = x[rng_below(r, n)];
		out[b] = stats_median(tmp, n);
	}
	free(tmp);
	return 0;
}

int stats_summarize(const double *x, size_t n, uint64_t seed, struct summary *s)
{
	double *sorted, *boot, sum = 0;
	struct rng r;

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
	if (n >= 2) {
		boot = malloc(STATS_RESAMPLES * sizeof(*boot));
		if (!boot) {
			free(sorted);
			return -ENOMEM;
		}
		rng_seed(&r, seed);
		if (boot_medians(sorted, n, &r, boot) < 0) {
			free(boot);
			free(sorted);
			return -ENOMEM;
		}
		stats_sort(boot, STATS_RESAMPLES);
		s->ci_lo = stats_quantile(boot, STATS_RESAMPLES, 0.025);
		s->ci_hi = stats_quantile(boot, STATS_RESAMPLES, 0.975);
		free(boot);
	}
	free(sorted);
	return 0;
}

int stats_ratio(const double *num, size_t nn, const double *den, size_t nd,
		uint64_t seed, double *ratio, double *lo, double *hi)
{
	double *a, *b, *tmp, mn, md;
	size_t big = nn > nd ? nn : nd;
	struct rng r;
	int rc = 0;

	*ratio = *lo = *hi = NAN;
	if (!nn || !nd)
		return 0;
	a = malloc(STATS_RESAMPLES * sizeof(*a));
	b = malloc(STATS_RESAMPLES * sizeof(*b));
	tmp = malloc(big * sizeof(*tmp));
	if (!a || !b || !tmp) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(tmp, num, nn * sizeof(*tmp));
	mn = stats_median(tmp, nn);
	memcpy(tmp, den, nd * sizeof(*tmp));
	md = stats_median(tmp, nd);
	if (md == 0) {
		rc = mn == 0 ? 0 : -EDOM;
		if (mn == 0)
			*ratio = *lo = *hi = 1;   /* 0 vs 0: the same */
		goto out;
	}
	*ratio = mn / md;
	if (nn < 2 || nd < 2)
		goto out;
	rng_seed(&r, seed);
	if (boot_medians(num, nn, &r, a) < 0 || boot_medians(den, nd, &r, b) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < STATS_RESAMPLES; i++)
		a[i] = b[i] == 0 ? (a[i] == 0 ? 1 : INFINITY * (a[i] > 0 ? 1 : -1))
				 : a[i] / b[i];
	stats_sort(a, STATS_RESAMPLES);
	*lo = stats_quantile(a, STATS_RESAMPLES, 0.025);
	*hi = stats_quantile(a, STATS_RESAMPLES, 0.975);
out:
	free(a);
	free(b);
	free(tmp);
	return rc;
}

double hist_lo(int bin)
{
	return pow(10, bin / 10.0);
}

double hist_hi(int bin)
{
	return pow(10, (bin + 1) / 10.0);
}

int hist_bin(double us)
{
	int b;

	if (!(us >= 1))
		return 0;
	b = (int)floor(log10(us) * 10 + 1e-9);
	if (b >= HIST_BINS)
		return HIST_BINS - 1;
	/* log10 may round across a bin edge; the edges are the truth. */
	if (b > 0 && us < hist_lo(b))
		b--;
	else if (b + 1 < HIST_BINS && us >= hist_lo(b + 1))
		b++;
	return b;
}

uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ull;      /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}
