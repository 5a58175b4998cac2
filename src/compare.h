/* compare.h - what changed between two result folders. */
#ifndef PTB_COMPARE_H
#define PTB_COMPARE_H

#include <stddef.h>
#include <stdio.h>

/* Writes one CSV row (compare_cols) per cell, mode and metric measured in
 * both folders to stdout: the medians, B/A with its bootstrap 95% CI, and
 * whether B is better or worse (the CI wholly outside 1 +- noise, in the
 * metric's better direction; "changed" for metrics without one), the same
 * (wholly inside) or inconclusive (across an edge).
 * Returns 0, -EINVAL (a folder is unreadable: err says which) or -errno. */
int compare_dirs(const char *a, const char *b, double noise, char *err, size_t errlen);

/* Side by side: writes out/hosts.csv (one row per cell, mode and metric,
 * per host its median, its ratio to the first host's and whether their
 * CIs overlap) and out/claims_by_host.csv (one row per claim, per host
 * its verdict, thread_over_process and that over the first host's),
 * creating the folder out when missing. dirs[0..n) is one merged folder,
 * or two or more result folders, merged first (in a temporary folder in
 * out; warnings go to warn). A host with two runs gets a column per run,
 * named host/run. Prints the verdicts by host on fp. Returns 0, -EINVAL
 * (bad input: err names it) or -errno. */
int compare_hosts(const char *const *dirs, int n, const char *out, FILE *fp, FILE *warn,
		  char *err, size_t errlen);

#endif
