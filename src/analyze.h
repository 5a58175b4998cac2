/* analyze.h - a result folder's series -> summary.csv, versus.csv and
 * modes.csv. */
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

/* Writes dir/modes.csv: for each process-mode series, one row per other
 * mode that ran its cell (thread too), with the paired ratio
 * mode/process, its CI and the verdict at this noise band - versus.csv's
 * comparison in long form (via a temporary name). Returns 0 or -errno. */
int analyze_modes(const char *dir, const struct dataset *d, double noise);

#endif
