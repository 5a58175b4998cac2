/* report.h - the analysis step of a result folder: load its data, write
 * summary.csv, versus.csv and claims.csv, print the verdicts. */
#ifndef PTB_REPORT_H
#define PTB_REPORT_H

#include <stddef.h>
#include <stdio.h>

/* Writes summary.csv, versus.csv and claims.csv into dir (each written
 * to a temporary name and renamed). noise < 0 takes meta.csv's.
 * Returns 0 or -errno with err set. */
int report_dir(const char *dir, double noise, char *err, size_t errlen);

/* Prints dir/claims.csv as a table (claim, verdict, evidence) on fp, then
 * one line on the machine's noise from dir/trials.csv. Returns 0 or
 * -errno. */
int report_print(const char *dir, FILE *fp);

#endif
