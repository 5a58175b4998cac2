/* claims.h - one verdict per claim of the lecture note, decided from a
 * dataset. Pure: reads nothing, writes nothing. */
#ifndef PTB_CLAIMS_H
#define PTB_CLAIMS_H

#include "dataset.h"

enum verdict {
	V_NOT_MEASURED, V_SUPPORTED, V_REFUTED, V_NO_DIFFERENCE,
	V_INCONCLUSIVE,         /* measured, but no comparison precise enough to decide */
	V_N
};

/* A claim's verdict, its headline figures (the comparison that decided
 * it, or for a claim of several the median one), and the evidence. */
struct claim_out {
	char workload[32], metric[40];
	double process, thread, ratio, lo, hi;  /* NaN when none */
	enum verdict verdict;
	int comparisons;        /* how many the verdict weighed */
	const char *effect;     /* of ratio: "negligible", "small", "large", "" */
	char headline[256];     /* one short sentence, a chart's label */
	char evidence[4096];
};

/* A claim's id ("faster_runtime"), side ("thread" or "process") and the
 * statement of the note it checks. */
const char *claims_name(enum claim_id id);
const char *claims_side(enum claim_id id);
const char *claims_statement(enum claim_id id);

/* "supported", "refuted", "no_difference", "not_measured",
 * "inconclusive". */
const char *claims_verdict_name(enum verdict v);

/* Decides every claim from d with the noise band 1 +- noise: out[id]. */
void claims_decide(const struct dataset *d, double noise, struct claim_out out[CLAIM_N]);

#endif
