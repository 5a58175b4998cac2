/* compare.h - what changed between two result folders. */
#ifndef PTB_COMPARE_H
#define PTB_COMPARE_H

#include <stddef.h>

/* Writes one CSV row (compare_cols) per cell, mode and metric measured in
 * both folders to stdout: the medians, B/A with its bootstrap 95% CI, and
 * whether B is better or worse (the CI wholly outside 1 +- noise, in the
 * metric's better direction; "changed" for metrics without one), the same
 * (wholly inside) or inconclusive (across an edge).
 * Returns 0, -EINVAL (a folder is unreadable: err says which) or -errno. */
int compare_dirs(const char *a, const char *b, double noise, char *err, size_t errlen);

#endif
