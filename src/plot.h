/* plot.h - SVG charts of a result folder (gnuplot). */
#ifndef PTB_PLOT_H
#define PTB_PLOT_H

#include <stddef.h>

/* Draws every chart the folder has data for into DIR/plots/ (speedup per
 * workload, memory, spawn time against heap, COW faults, burst
 * histograms); *made says how many. Returns 0, -EINVAL when DIR is not a
 * readable result folder, -ENOENT when gnuplot is missing, or -errno;
 * err says what. */
int plot_dir(const char *dir, int *made, char *err, size_t errlen);

#endif
