/* plot.h - SVG charts of a result folder (gnuplot). */
#ifndef PTB_PLOT_H
#define PTB_PLOT_H

#include <stddef.h>

/* Draws every chart the folder has data for into DIR/plots/ (speedup per
 * workload, memory, spawn time against heap, COW faults, burst
 * histograms), each with what exists (a mode that did not run is left
 * out); *made says how many. No text of the folder, nor its path, can
 * run a command. Returns 0, -EINVAL when DIR is not a readable result
 * folder (or has no summary.csv yet: err names `ptbench analyze DIR`),
 * -ENOENT when gnuplot is missing, or -errno; err says what. */
int plot_dir(const char *dir, int *made, char *err, size_t errlen);

#endif
