/* merge.h - many result folders as one (ptbench merge), and a merged
 * folder read one run at a time (analyze, plot). */
#ifndef PTB_MERGE_H
#define PTB_MERGE_H

#include <stddef.h>
#include <stdio.h>

/* One run of a merged folder: the host and run cells leading its rows. */
struct merge_run {
	char host[256];
	char run[256];
	int complete;           /* 0: the source was interrupted */
};

/* Builds the folder out, which must not exist, from the result folders
 * src[0..n): every CSV file with the columns host and run first (the
 * source's meta.csv host; its label, or its start_utc when it has none,
 * or both when two runs of a host would share one), then the columns of
 * the file as this ptbench writes it, then any a source has that this
 * ptbench does not (newer versions; missing cells stay empty). meta.csv
 * lists the sources (key merge_source) before their own facts. summary,
 * versus and claims are analysed anew, each run on its own. An
 * interrupted source is merged with merge_complete 0, and a line on warn
 * says so. Written under a temporary name and renamed: on failure
 * nothing is left at out. Returns 0; -EINVAL for bad input (a source
 * that is no result folder, a merged one, one named twice or a copy of
 * another; err names it); -EEXIST when out exists; -errno. */
int merge_dirs(const char *const *src, int n, const char *out, FILE *warn, char *err,
	       size_t errlen);

/* The runs of merged folder dir in merge order, into a malloc'ed *runs.
 * Returns how many, or -EINVAL (not a merged folder; err says so) or
 * -errno. */
int merge_runs(const char *dir, struct merge_run **runs, char *err, size_t errlen);

/* The name of run i of runs[0..n) in a column header: its host, or
 * host/run when the host has another run. */
char *merge_run_name(const struct merge_run *runs, int n, int i, char *buf, size_t len);

/* Rewrites summary.csv, versus.csv and claims.csv of merged folder dir,
 * each run analysed on its own (noise < 0: the run's own), host and run
 * first; prints each run's verdicts on fp (NULL: nothing). Returns 0,
 * -EINVAL (not a merged folder) or -errno; err says what. */
int merge_analyze(const char *dir, double noise, FILE *fp, char *err, size_t errlen);

/* Draws the charts of each run of merged folder dir into
 * dir/plots/HOST_RUN/; *made counts them. Returns as plot_dir. */
int merge_plot(const char *dir, int *made, char *err, size_t errlen);

/* Removes a folder made here (a temporary one) with what is in it. */
void merge_remove(const char *dir);

#endif
