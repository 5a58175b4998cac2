/* util.h - small helpers every floor may use: clocks, futexes, text. */
#ifndef PTB_UTIL_H
#define PTB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#define PTB_CACHELINE 64
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Seconds on CLOCK_MONOTONIC, the one clock every timestamp uses. */
double util_now_s(void);
/* Nanoseconds on CLOCK_MONOTONIC (perf records use the same clock). */
uint64_t util_now_ns(void);

/* Waits while *addr == val, at most timeout_s (<0 = forever). Works across
 * processes on MAP_SHARED memory. Returns 0, or -ETIMEDOUT / -EAGAIN / -EINTR. */
int util_futex_wait(uint32_t *addr, uint32_t val, double timeout_s);
/* Wakes up to n waiters on addr (INT32_MAX = all). */
void util_futex_wake(uint32_t *addr, int n);

/* snprintf that never overflows and always terminates; returns dst. */
char *util_strfmt(char *dst, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The units a size may carry (powers of 1024), and how messages say it. */
#define SIZE_UNITS "KMGT"
#define SIZE_UNITS_TEXT "K, M, G or T, alone or followed by iB, in any case"

/* Parses a whole string as an unsigned integer; when sizes is set, with an
 * optional unit of SIZE_UNITS, optionally followed by "iB", in any case
 * ("64k", "64KiB"). Returns 0 or -EINVAL / -ERANGE. */
int util_parse_u64(const char *s, int sizes, uint64_t *out);
/* Parses a whole string as a finite double. Returns 0 or -EINVAL / -ERANGE. */
int util_parse_double(const char *s, double *out);
/* Nonzero when s is a number as a spreadsheet reads one. */
int util_is_number(const char *s);
/* Orders two numbers (<0, 0, >0) with NaN last, equal to NaN: for qsort. */
int util_num_cmp(double a, double b);

/* Nonzero when n ascending distinct worker counts are a geometric sweep:
 * at least two, all powers of two, or at least three, each at least
 * twice the one before. Charts then put the workers on a log2 axis. */
int util_geometric(const double *v, int n);

/* Makes room for element n of a growing array: *(T **)arr holds *cap
 * elements of `size` bytes; when n reaches *cap it doubles (or starts at
 * `first`). Returns 0, or -ENOMEM with the array left as it was. */
int util_grow(void *arr, size_t *cap, size_t n, size_t size, size_t first);

/* Creates a directory and its missing parents (like mkdir -p). *made gets
 * the length of the shortest prefix of path it created (0: none), for
 * util_rmdir_made(); on an error *at gets the length of the prefix that failed
 * (-ENOTDIR: that prefix exists and is not a folder). Returns 0 or -errno. */
int util_mkdir_p(const char *path, unsigned mode, size_t *made, size_t *at);
/* Undoes mkdir_p: removes path and its parents down to the prefix of
 * length made, deepest first; a folder that is not empty stays. */
void util_rmdir_made(const char *path, size_t made);
/* Nonzero when s is valid UTF-8 (no overlong forms, surrogates or code
 * points past U+10FFFF); else 0 with *bad (when not NULL) the offset of
 * the first byte that is not. */
int util_utf8_valid(const char *s, size_t *bad);
/* The words as one shell command line: each word a shell would split or
 * expand in single quotes, a ' as '\''. Returns a malloc'ed string, or
 * NULL when out of memory. */
char *util_shell_join(int argc, char *const argv[]);
/* Nonzero when word is one of the sep-separated words of list[0..len)
 * ("rw,cpu,cpuacct" and "cpu"). */
int util_word_in(const char *list, size_t len, const char *word, char sep);
/* Reads a whole small file into buf (NUL-terminated). Returns bytes or -errno. */
long util_read_file(const char *path, char *buf, size_t size);

#endif
