/* analyze.h - a result folder's series -> summary.csv and versus.csv. */
#ifndef PTB_ANALYZE_H
#define PTB_ANALYZE_H

#include "dataset.h"

/* Writes dir/summary.csv: one row per series (via a temporary name).
 * Returns 0 or -errno. */
int analyze_summary(const char *dir, const struct dataset *d);

/* Writes dir/versus.csv: one row per process-mode series, with its thread
 * twin, their ratio and its CI, and the winner at this noise band (via a
 * temporary name). Returns 0 or -errno. */
int analyze_versus(const char *dir, const struct dataset *d, double noise);

#endif
