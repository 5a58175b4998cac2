/* util.c - clocks, futexes and parsing shared by every module. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

double util_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

uint64_t util_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int util_futex_wait(uint32_t *addr, uint32_t val, double timeout_s)
{
	struct timespec ts, *tp = NULL;

	if (timeout_s >= 0) {
		ts.tv_sec = (time_t)timeout_s;
		ts.tv_nsec = (long)((timeout_s - (double)ts.tv_sec) * 1e9);
		tp = &ts;
	}
	/* Not FUTEX_PRIVATE: the word may live in MAP_SHARED memory that
	 * forked workers wait on too. */
	if (syscall(SYS_futex, addr, FUTEX_WAIT, val, tp, NULL, 0) == 0)
		return 0;
	return -errno;
}

void util_futex_wake(uint32_t *addr, int n)
{
	syscall(SYS_futex, addr, FUTEX_WAKE, n, NULL, NULL, 0);
}

char *util_strfmt(char *dst, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, n, fmt, ap);
	va_end(ap);
	return dst;
}

int util_parse_u64(const char *s, int sizes, uint64_t *out)
{
	unsigned long long v, mul = 1;
	char *end;

	/* strtoull accepts "-1" and leading blanks; a count never has them. */
	if (!s || !*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (sizes && *end) {
		const char *u = strchr(SIZE_UNITS, toupper((unsigned char)*end));

		if (!u)
			return -EINVAL;
		mul = 1ull << (10 * (u - SIZE_UNITS + 1));
		end++;
		/* "64KiB" in any case; a lone B ("64MB", "64Mb": bytes or
		 * bits?) is refused rather than guessed. */
		if ((end[0] == 'i' || end[0] == 'I') && (end[1] == 'b' || end[1] == 'B'))
			end += 2;
	}
	if (*end)
		return -EINVAL;
	if (v > ULLONG_MAX / mul)
		return -ERANGE;
	*out = v * mul;
	return 0;
}

int util_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s || (*s != '-' && *s != '+' && *s != '.' && (*s < '0' || *s > '9')))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || !isfinite(v))
		return -ERANGE;
	*out = v;
	return 0;
}

int util_is_number(const char *s)
{
	double d;

	return util_parse_double(s, &d) == 0;
}

int util_num_cmp(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	return (a > b) - (a < b);
}

int util_grow(void *arr, size_t *cap, size_t n, size_t size, size_t first)
{
	void **pp = arr, *x;
	size_t want;

	if (n < *cap)
		return 0;
	want = *cap ? *cap * 2 : first;
	x = realloc(*pp, want * size);
	if (!x)
		return -ENOMEM;
	*pp = x;
	*cap = want;
	return 0;
}

int util_mkdir_p(const char *path, unsigned mode, size_t *made, size_t *at)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	*made = 0;
	*at = len;
	if (len == 0 || len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (size_t i = 1; i <= len; i++) {
		struct stat st;
		char c = buf[i];
		int e = 0;

		if (c != '/' && c != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, mode) == 0) {
			if (!*made)
				*made = i;
		} else if ((e = errno) == EEXIST) {
			/* mkdir says EEXIST for a file too */
			e = stat(buf, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
		}
		if (e) {
			*at = i;
			return -e;
		}
		buf[i] = c;
	}
	return 0;
}

void util_rmdir_made(const char *path, size_t made)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (!made || made > len || len >= sizeof(buf))
		return;
	memcpy(buf, path, len + 1);
	for (size_t i = len; i >= made; i--) {
		if (i == len || buf[i] == '/') {
			buf[i] = '\0';
			rmdir(buf);     /* best effort: one not empty stays */
		}
	}
}

int util_utf8_valid(const char *str, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str, *p = s;

	while (*p) {
		unsigned c = *p, cp, min;
		int n;

		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			n = 2, cp = c & 0x0f, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07, min = 0x10000;
		else
			break;
		for (int i = 1; i <= n && cp != UINT32_MAX; i++)
			cp = (p[i] & 0xc0) == 0x80 ? cp << 6 | (p[i] & 0x3f) : UINT32_MAX;
		/* overlong forms, UTF-16 surrogates and past U+10FFFF are not UTF-8 */
		if (cp == UINT32_MAX || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			break;
		p += n + 1;
	}
	if (bad)
		*bad = (size_t)(p - s);
	return *p == '\0';
}

/* Whether a shell reads word as itself, unquoted. */
static int shell_plain(const char *word)
{
	if (!*word || *word == '=' || *word == '~')     /* zsh's =cmd, ~ */
		return 0;
	for (const unsigned char *c = (const unsigned char *)word; *c; c++)
		if (*c < 0x80 && !isalnum(*c) && !strchr("_@%+=:,./-", *c))
			return 0;
	return 1;
}

char *util_shell_join(int argc, char *const argv[])
{
	size_t len = 1;
	char *buf, *p;

	for (int i = 0; i < argc; i++)
		len += 4 * strlen(argv[i]) + 3;         /* ' -> '\'' at worst */
	if (!(p = buf = malloc(len)))
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			*p++ = ' ';
		if (shell_plain(argv[i])) {
			p = stpcpy(p, argv[i]);
			continue;
		}
		*p++ = '\'';
		for (const char *c = argv[i]; *c; c++) {
			if (*c == '\'')
				p = stpcpy(p, "'\\''");
			else
				*p++ = *c;
		}
		*p++ = '\'';
	}
	*p = '\0';
	return buf;
}

long util_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -errno;
	while (got + 1 < size) {
		ssize_t n = read(fd, buf + got, size - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return (long)got;
}

int util_word_in(const char *list, size_t len, const char *word, char sep)
{
	size_t n = strlen(word);

	for (size_t i = 0, k; i < len; i = k + 1) {
		for (k = i; k < len && list[k] != sep; k++)
			;
		if (k - i == n && strncmp(list + i, word, n) == 0)
			return 1;
	}
	return 0;
}

int util_geometric(const double *v, int n)
{
	int ratio = n >= 3, pow2 = n >= 2;

	for (int i = 0; i < n; i++) {
		int e;

		pow2 &= v[i] >= 1 && frexp(v[i], &e) == 0.5;
		if (i)
			ratio &= v[i] >= 2 * v[i - 1];
	}
	return ratio || pow2;
}
