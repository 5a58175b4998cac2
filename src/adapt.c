/* adapt.c - adaptive repetitions: a cell's usable pairs, their estimate
 * and its half-width, and the rule that stops the cell. */
#include "adapt.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char *const adapt_stop_names[ADAPT_N] = {
	"", "precision", "budget", "max_reps", "unusable", "interrupted",
};

enum adapt_stop adapt_decide(const struct adapt_state *s, const struct adapt_rule *rule)
{
	if (s->pairs >= ADAPT_MIN_PAIRS && s->half_width <= rule->precision)
		return ADAPT_PRECISION;         /* false for NaN */
	if (s->pairs >= ADAPT_MIN_PAIRS && s->elapsed_s >= rule->budget_s)
		return ADAPT_BUDGET;
	if (s->reps >= rule->max_reps)
		return ADAPT_MAX_REPS;
	if (s->reps - s->pairs >= ADAPT_SLACK + s->pairs)
		return ADAPT_UNUSABLE;
	return ADAPT_GO;
}

void adapt_begin(struct adapt_cell *c, const struct workload *wl, const char *params,
		 int workers, const char *pin, unsigned modes, int keep_noisy)
{
	memset(c, 0, sizeof(*c));
	c->metric = wl->decides ? wl->decides : "wall_s";
	c->modes = modes;
	c->paired = modes & (1u << MODE_PROCESS) && modes & ~(1u << MODE_PROCESS);
	/* One mode (or none but process): the lowest, thread before the
	 * modes added after it. */
	c->only = modes ? __builtin_ctz(modes) : MODE_PROCESS;
	c->seed = dataset_cell_seed(wl->name, params, workers, pin, c->metric) ^ (c->paired ? PAIRED_SEED : 0);
	c->estimate = c->st.half_width = NAN;
	c->keep_noisy = keep_noisy;
}

double adapt_value(const char *metric, const struct trial_result *r)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "wall_s", offsetof(struct trial_result, wall_s) },
		{ "spawn_s", offsetof(struct trial_result, spawn_s) },
		{ "join_s", offsetof(struct trial_result, join_s) },
	};

	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (strcmp(metric, fields[i].name) == 0)
			return *(const double *)((const char *)r + fields[i].off);
	/* As the analysis derives it from trials.csv. */
	if (strcmp(metric, "pss_pte_kib") == 0)
		return r->has_mem ? (double)(r->mem.pss_kib + r->mem.pte_kib) : NAN;
	for (int i = 0; i < r->nmetrics; i++)
		if (r->metrics[i].worker < 0 && strcmp(r->metrics[i].name, metric) == 0)
			return r->metrics[i].value;
	return NAN;
}

struct adapt_obs adapt_observe(const struct adapt_cell *c, const struct trial_result *r)
{
	struct adapt_obs o = { 0, adapt_value(c->metric, r) };

	o.usable = r->expected && (r->quiet != 0 || c->keep_noisy) && !isnan(o.value);
	return o;
}

int adapt_add(struct adapt_cell *c, const struct adapt_obs obs[MODE_N])
{
	int usable = 1;

	/* paired: process and thread (other modes ride along, unjudged) */
	for (int m = 0; m < MODE_N; m++)
		if (c->paired ? c->modes & (1u << m) : m == c->only)
			usable &= obs[m].usable;
	c->st.reps++;
	if (!usable)
		return 0;
	for (int m = 0; m < MODE_N; m++) {
		if (util_grow(&c->v[m], &c->cap[m], (size_t)c->st.pairs, sizeof(double), 16) < 0)
			return -ENOMEM;
		c->v[m][c->st.pairs] = obs[m].value;
	}
	c->st.pairs++;
	return 0;
}

/* Mode m's paired ratio to process over the usable pairs, and its
 * half-width (NaN without one). Returns 0 or -ENOMEM. */
static int mode_ratio(const struct adapt_cell *c, int m, double *r, double *hw)
{
	double lo, hi;
	int rc = stats_paired_ratio(c->v[m], c->v[MODE_PROCESS], (size_t)c->st.pairs, c->seed, r,
				    &lo, &hi);

	if (rc == -ENOMEM)
		return rc;
	/* -EDOM (most process values zero): no ratio, so no precision. */
	*hw = rc ? NAN : stats_half_width(*r, lo, hi);
	return 0;
}

int adapt_update(struct adapt_cell *c, int force)
{
	unsigned others = c->modes & ~(1u << MODE_PROCESS);

	if (c->st.pairs == c->at ||
	    (!force && c->st.pairs > ADAPT_EVERY && c->st.pairs * 10 < c->at * 11))
		return 0;
	if (c->paired) {
		/* The estimate: the lowest other mode's ratio (thread's when it
		 * runs); the half-width: the widest, so that every mode's
		 * ratio is precise when the cell stops. */
		double widest = 0;

		for (int m = 0; m < MODE_N; m++) {
			double r, hw;

			if (!(others & (1u << m)))
				continue;
			if (mode_ratio(c, m, &r, &hw) < 0)
				return -ENOMEM;
			if (m == __builtin_ctz(others))
				c->estimate = r;
			widest = isnan(hw) || isnan(widest) ? NAN : fmax(widest, hw);
		}
		c->st.half_width = widest;
	} else {
		struct summary s;

		if (stats_summarize(c->v[c->only], (size_t)c->st.pairs, c->seed, &s) < 0)
			return -ENOMEM;
		c->estimate = s.median;
		c->st.half_width = stats_half_width(s.median, s.ci_lo, s.ci_hi);
	}
	c->at = c->st.pairs;
	return 0;
}

void adapt_free(struct adapt_cell *c)
{
	for (int m = 0; m < MODE_N; m++)
		free(c->v[m]);
	memset(c, 0, sizeof(*c));
}
