/* meta.h - the facts of a run and its machine, for meta.csv. */
#ifndef PTB_META_H
#define PTB_META_H

#include "csvio.h"
#include "pin.h"

/* Writes one key,value row. Returns 0 or -errno. */
int meta_put(struct csvw *w, const char *key, const char *value);

/* Writes the machine's facts: host, kernel, CPU, counts, memory, THP,
 * ASLR, clock source, perf settings. Returns 0 or -errno. */
int meta_machine(struct csvw *w, const struct pin *pin);

/* Current UTC time as 2026-11-28T05:16:34Z (or compact 20261128T051634Z). */
void meta_utc_now(char *buf, size_t len, int compact);

/* The THP mode word ("madvise"), or "" when unknown. */
void meta_thp_mode(char *buf, size_t len);

#endif
