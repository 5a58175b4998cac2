/* claims.h - one verdict per claim of the lecture note, from the data. */
#ifndef PTB_CLAIMS_H
#define PTB_CLAIMS_H

#include <stdio.h>

#include "analyze.h"

/* Decides every claim from d and writes dir/claims.csv (via a temporary
 * name). Returns 0 or -errno. */
int claims_write(const char *dir, const struct dataset *d, double noise);

/* Prints dir/claims.csv as a table (claim, verdict, evidence) on fp.
 * Returns 0 or -errno. */
int claims_print(const char *dir, FILE *fp);

/* A value with its unit, scaled for reading: 0.00012 s -> "120 us". */
char *fmt_value(double v, const char *unit, char *buf, size_t len);

#endif
