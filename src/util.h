/* util.h - small helpers every floor may use: clocks, futexes, text. */
#ifndef PTB_UTIL_H
#define PTB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#define PTB_CACHELINE 64
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Seconds on CLOCK_MONOTONIC, the one clock every timestamp uses. */
double now_s(void);
/* Nanoseconds on CLOCK_MONOTONIC (perf records use the same clock). */
uint64_t now_ns(void);

/* Waits while *addr == val, at most timeout_s (<0 = forever). Works across
 * processes on MAP_SHARED memory. Returns 0, or -ETIMEDOUT / -EAGAIN / -EINTR. */
int futex_wait(uint32_t *addr, uint32_t val, double timeout_s);
/* Wakes up to n waiters on addr (INT32_MAX = all). */
void futex_wake(uint32_t *addr, int n);

/* snprintf that never overflows and always terminates; returns dst. */
char *strfmt(char *dst, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Parses a whole string as an unsigned integer with an optional K/M/G/T
 * suffix (powers of 1024) when sizes is set. Returns 0 or -EINVAL / -ERANGE. */
int parse_u64(const char *s, int sizes, uint64_t *out);
/* Parses a whole string as a finite double. Returns 0 or -EINVAL / -ERANGE. */
int parse_double(const char *s, double *out);
/* Nonzero when s is a number as a spreadsheet reads one. */
int is_number(const char *s);

/* Makes room for element n of a growing array: *(T **)arr holds *cap
 * elements of `size` bytes; when n reaches *cap it doubles (or starts at
 * `first`). Returns 0, or -ENOMEM with the array left as it was. */
int grow(void *arr, size_t *cap, size_t n, size_t size, size_t first);

/* Creates a directory and its missing parents (like mkdir -p). */
int mkdir_p(const char *path, unsigned mode);
/* Reads a whole small file into buf (NUL-terminated). Returns bytes or -errno. */
long read_small_file(const char *path, char *buf, size_t size);

#endif
