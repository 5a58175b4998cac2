/* plan.c - builds a plan: the experiments of a run, from the workloads
 * named on the command line or from the rows of a suite file, each one
 * checked against its workload (parameters, worker counts). */
#include "plan.h"
#include "csvio.h"
#include "schema.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int plan_add(struct plan *p, const struct run_env *env, const char *workload,
	     const char *const *kv, int nkv, const struct how *how, char *err,
	     size_t errlen)
{
	const struct workload *wl = workload_find(workload);
	struct pin_counts pc;
	struct experiment *e;
	int n;

	if (!wl) {
		util_strfmt(err, errlen, "unknown workload '%s' (see ptbench list)", workload);
		return -EINVAL;
	}
	if (util_grow(&p->exp, &p->cap, (size_t)p->n, sizeof(*p->exp), 8) < 0) {
		util_strfmt(err, errlen, "out of memory");
		return -ENOMEM;
	}
	e = &p->exp[p->n];
	memset(e, 0, sizeof(*e));
	e->wl = wl;
	if (opts_params_parse(wl, kv, nkv, e->pv, err, errlen) < 0)
		return -EINVAL;
	opts_params_format(wl, e->pv, e->params, sizeof(e->params));
	pin_counts(env->pin, &pc);
	n = opts_wspec_resolve(how->ws, &pc, e->workers, MAX_LIST, err, errlen);
	if (n < 0)
		return n;
	e->nw = n;
	for (int i = 0; (wl->flags & WL_PAIRS) && i < n; i++) {
		if (e->workers[i] % 2) {
			util_strfmt(err, errlen, "workload %s needs an even worker count (pairs), not %d",
			       wl->name, e->workers[i]);
			return -EINVAL;
		}
	}
	e->modes = how->modes;
	e->reps = how->reps;
	e->warmup = how->warmup;
	e->precision = how->precision;
	e->budget = how->budget;
	e->traced = env->o->bursts == BURSTS_OFF ? 0 : how->traced;
	e->pin = how->pin;
	p->n++;
	return 0;
}

/* Appends to kv the command line's -P options that workload wl has - all
 * of them when `all` or when wl is unknown, so that plan_add names what is
 * wrong - and marks each one used. Returns the new count. */
static int cmdline_params(const struct options *o, const struct workload *wl, int all,
			  const char **kv, int nkv, char *used)
{
	for (int i = 0; i < o->nparams; i++)
		if (all || !wl || opts_param_known(wl, o->params[i])) {
			kv[nkv++] = o->params[i];
			used[i] = 1;
		}
	return nkv;
}

/* A -P that no experiment took is a mistake: -EINVAL naming it. */
static int unused_param(const struct options *o, const char *used, const char *where,
			char *err, size_t errlen)
{
	for (int i = 0; i < o->nparams; i++) {
		if (!used[i]) {
			util_strfmt(err, errlen, "parameter '%.*s' belongs to none of %s (see ptbench list)",
			       (int)strcspn(o->params[i], "="), o->params[i], where);
			return -EINVAL;
		}
	}
	return 0;
}

int plan_workloads(struct plan *p, const struct run_env *env, char *err, size_t errlen)
{
	const struct options *o = env->o;
	struct how how = { o->modes, &o->workers, (int)o->reps, (int)o->warmup,
			   (int)o->traced, o->precision, o->budget, o->pin };
	char used[MAX_LIST] = { 0 };

	for (int i = 0; i < o->npos; i++) {
		const char *kv[MAX_LIST];
		/* One workload takes every -P, so a wrong one is named with it. */
		int n = cmdline_params(o, workload_find(o->pos[i]), o->npos == 1, kv, 0, used);
		int rc = plan_add(p, env, o->pos[i], kv, n, &how, err, errlen);

		if (rc < 0)
			return rc == -ENOMEM ? rc : -EINVAL;
	}
	return unused_param(o, used, "the named workloads", err, errlen);
}

/* One suite cell: the user's option wins, then the cell, then the default. */
static const char *pick(const struct table *t, int row, const char *col)
{
	return table_get(t, row, table_col(t, col));
}

/* A suite bigger than this is a mistake (a wrong file), not a suite. */
#define SUITE_MAX (16 << 20)

/* A key given twice in one params cell: which one the user meant is a
 * guess, so it is refused (the command line's -P may still override). */
static int param_twice(const char *const *kv, int n, char *err, size_t errlen)
{
	for (int i = 0; i < n; i++) {
		size_t k = strcspn(kv[i], "=");

		for (int j = 0; j < i; j++)
			if (strcspn(kv[j], "=") == k && strncmp(kv[i], kv[j], k) == 0) {
				util_strfmt(err, errlen, "parameter '%.*s' given twice in params ('%s', then '%s')",
				       (int)k, kv[i], kv[j], kv[i]);
				return -EINVAL;
			}
	}
	return 0;
}

/* Reads a suite file whole. Returns 0, or -EINVAL (bad input) or
 * -ENOMEM with err set. */
static int suite_read(const char *path, struct table *t, char *err, size_t errlen)
{
	int rc = table_read_max(path, SUITE_MAX, t);

	if (rc == -EBADMSG)
		util_strfmt(err, errlen, "%s:%d: malformed CSV", path, t->bad_line);
	else if (rc == -EILSEQ)
		util_strfmt(err, errlen, "%s:%d: a NUL byte: not a text CSV file", path, t->bad_line);
	else if (rc == -EFBIG)
		util_strfmt(err, errlen, "suite %s is over %d MiB: not a suite file?", path, SUITE_MAX >> 20);
	else if (rc < 0)
		util_strfmt(err, errlen, "cannot read suite %s: %s", path, strerror(-rc));
	return rc == 0 || rc == -ENOMEM ? rc : -EINVAL;
}

/* A suite's header: a workload column, none unknown or twice, and at
 * least one row. Returns 0 or -EINVAL with err set. */
static int suite_header(const struct table *t, const char *path, char *err, size_t errlen)
{
	if (table_col(t, "workload") < 0) {
		util_strfmt(err, errlen, "%s: no 'workload' column (expected %s,%s,%s,%s,%s,%s)",
		       path, suite_cols[0], suite_cols[1], suite_cols[2], suite_cols[3],
		       suite_cols[4], suite_cols[5]);
		return -EINVAL;
	}
	for (int i = 0; i < t->ncols; i++) {
		int known = 0;

		for (int k = 0; k < SQ_N; k++)
			known |= strcmp(t->head[i], suite_cols[k]) == 0;
		if (!known) {
			util_strfmt(err, errlen, "%s: unknown column '%s'", path, t->head[i]);
			return -EINVAL;
		}
		for (int j = 0; j < i; j++)
			if (strcmp(t->head[i], t->head[j]) == 0) {
				util_strfmt(err, errlen, "%s: column '%s' appears twice", path, t->head[i]);
				return -EINVAL;
			}
	}
	if (t->nrows == 0) {
		util_strfmt(err, errlen, "%s: no experiments (only a header)", path);
		return -EINVAL;
	}
	return 0;
}

/* Adds the experiment of suite row r: its cells, where the user did not
 * give the option. Returns 0, or -EINVAL / -E2BIG / -ENOMEM with err
 * set (without the line number). */
static int suite_row(struct plan *p, const struct run_env *env, const struct table *t, int r,
		     char *used, char *err, size_t errlen)
{
	const struct options *o = env->o;
	const char *kv[2 * MAX_LIST], *v;
	char *pbuf;
	unsigned modes = o->modes;
	struct wspec ws = o->workers;
	uint64_t reps = o->reps, traced = o->traced;
	double precision = o->precision, budget = o->budget;
	enum pin_policy pin = o->pin;
	int nkv, rc;

	v = pick(t, r, "modes");
	if (!o->given[O_MODES] && *v && opts_modes_parse(v, &modes, err, errlen) < 0)
		return -EINVAL;
	v = pick(t, r, "workers");
	if (!o->given[O_WORKERS] && *v && opts_wspec_parse(&ws, v, err, errlen) < 0)
		return -EINVAL;
	v = pick(t, r, "reps");
	if (!o->given[O_REPS] && *v && reps_parse(v, "reps", &reps, err, errlen) < 0)
		return -EINVAL;
	v = pick(t, r, "traced");
	if (!o->given[O_TRACED] && *v && (util_parse_u64(v, 0, &traced) < 0 || traced > 100)) {
		util_strfmt(err, errlen, "bad traced '%s': expected 0 to 100", v);
		return -EINVAL;
	}
	v = pick(t, r, "precision");
	if (!o->given[O_PRECISION] && *v &&
	    opt_real(O_PRECISION, v, "precision", &precision, err, errlen) < 0)
		return -EINVAL;
	v = pick(t, r, "budget");
	if (!o->given[O_BUDGET] && *v && opt_real(O_BUDGET, v, "budget", &budget, err, errlen) < 0)
		return -EINVAL;
	v = pick(t, r, "pin");
	if (!o->given[O_PIN] && *v) {
		int k;

		for (k = 0; k < PIN_N && strcmp(pin_names[k], v); k++)
			;
		if (k == PIN_N) {
			util_strfmt(err, errlen, "bad pin '%s': expected none, core, pu, scatter, same or compact", v);
			return -EINVAL;
		}
		pin = (enum pin_policy)k;
	}
	if (!(pbuf = strdup(pick(t, r, "params")))) {
		util_strfmt(err, errlen, "out of memory");
		return -ENOMEM;
	}
	nkv = opts_params_split(pbuf, kv, MAX_LIST);
	if (nkv < 0) {
		util_strfmt(err, errlen, "too many params");
		rc = -EINVAL;
	} else if (param_twice(kv, nkv, err, errlen)) {
		rc = -EINVAL;
	} else {
		struct how how = { modes, &ws, (int)reps, (int)o->warmup, (int)traced, precision,
				   budget, pin };

		/* The command line's -P wins, in the rows whose workload has
		 * that parameter (checked by the caller to be at least one). */
		nkv = cmdline_params(o, workload_find(pick(t, r, "workload")), 0, kv, nkv, used);
		rc = plan_add(p, env, pick(t, r, "workload"), kv, nkv, &how, err, errlen);
	}
	free(pbuf);
	return rc;
}

int plan_suite(struct plan *p, const struct run_env *env, const char *path,
	       char *err, size_t errlen)
{
	char used[MAX_LIST] = { 0 };
	struct table t;
	int rc = suite_read(path, &t, err, errlen);

	if (rc < 0)
		return rc;
	rc = suite_header(&t, path, err, errlen);
	for (int r = 0; r < t.nrows && !rc; r++) {
		char e2[200];

		rc = suite_row(p, env, &t, r, used, e2, sizeof(e2));
		if (rc)         /* line numbers count the header as line 1 */
			util_strfmt(err, errlen, "%s:%d: %s", path, r + 2, e2);
	}
	if (!rc) {
		char where[PATH_MAX + 32];

		rc = unused_param(env->o, used, util_strfmt(where, sizeof(where), "the workloads of %s", path),
				  err, errlen);
	}
	table_free(&t);
	return rc;
}

void plan_free(struct plan *p)
{
	free(p->exp);
	memset(p, 0, sizeof(*p));
}
