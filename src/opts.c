/* opts.c - the option table and its parser; workload parameter parsing. */
#include "opts.h"
#include "schema.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const burst_names[BURSTS_N] = { "auto", "perf", "schedstat", "off" };
/* The mode names are the mode column's values: one list, schema.c's. */
const char *const *const mode_names = mode_values;

enum otype { OT_FLAG, OT_COUNT, OT_REAL, OT_TEXT, OT_MODES, OT_WORKERS, OT_PIN,
	     OT_BURSTS, OT_PARAM, OT_REPS, OT_CPUKIND, OT_MEMBIND };

struct optdef {
	const char *lng;
	char shrt;
	enum otype type;
	const char *def;        /* default as text ("" = none) */
	double min, max;        /* OT_COUNT, OT_REAL, OT_REPS */
	const char *arg;        /* placeholder in --help */
	const char *help;
};

/* The one option table: order = enum opt_id. A default is given here
 * only: opts_defaults() parses it, the usage text shows it. */
static const struct optdef optdefs[O_N] = {
	[O_MODES]     = { "modes", 'm', OT_MODES, "process,thread", 0, 0, "LIST",
			  "process, thread, shared (forked, data MAP_SHARED), exec (posix_spawn), or all" },
	[O_WORKERS]   = { "workers", 'n', OT_WORKERS, "pow2", 0, 0, "LIST",
			  "e.g. 1,2,4, 1-8, max (one per PU), 4x (4 per PU), 1-max:x2 (1,2,4,...,max), pow2 (1-max:x2 and the core count)" },
	[O_REPS]      = { "reps", 'r', OT_REPS, "5", 1, REPS_MAX, "N|auto",
			  "counted repetitions per cell, or auto: until --precision or --budget" },
	[O_PRECISION] = { "precision", 0, OT_REAL, "0.03", 0.0001, 0.99, "FRAC",
			  "-r auto: the ratio's 95% CI half-width to reach" },
	[O_BUDGET]    = { "budget", 0, OT_REAL, "20", 0.01, 86400, "SEC",
			  "-r auto: seconds of counted pairs a cell may take" },
	[O_WARMUP]    = { "warmup", 0, OT_COUNT, "1", 0, 100, "N",
			  "warm-up trials per cell, not counted" },
	[O_TRACED]    = { "traced", 0, OT_COUNT, "1", 0, 100, "N",
			  "traced repetitions per cell, for bursts" },
	[O_PIN]       = { "pin", 'p', OT_PIN, "core", 0, 0, "POLICY",
			  "none | core | pu | scatter | same | compact" },
	[O_PARAM]     = { "param", 'P', OT_PARAM, "", 0, 0, "K=V",
			  "workload parameter, repeatable (sizes accept K/M/G/T, KiB...)" },
	[O_OUT]       = { "out", 'o', OT_TEXT, "", 0, 0, "DIR",
			  "result folder (default results/<UTC time>-<host>); merge: the new folder; compare: where hosts.csv goes" },
	[O_TIMEOUT]   = { "timeout", 't', OT_REAL, "60", 0.1, 86400, "SEC",
			  "per trial" },
	[O_BURSTS]    = { "bursts", 0, OT_BURSTS, "auto", 0, 0, "SOURCE",
			  "auto | perf | schedstat | off" },
	[O_SYNTHETIC] = { "synthetic", 0, OT_TEXT, "", 0, 0, "DESC",
			  "hwloc synthetic topology (topo, or --dry-run), e.g. \"pack:2 core:16 pu:2\"" },
	[O_LABEL]     = { "label", 0, OT_TEXT, "", 0, 0, "TEXT",
			  "free text recorded in meta.csv" },
	[O_NOISE]     = { "noise", 0, OT_REAL, "0.03", 0, 1, "FRAC",
			  "ratio band counted as no difference" },
	[O_CSV]       = { "csv", 0, OT_FLAG, "", 0, 0, NULL,
			  "topo: print the placement as CSV (worker,pu,core,package,numa,cpukind,cpukind_name)" },
	[O_QUIET]     = { "quiet", 'q', OT_FLAG, "", 0, 0, NULL, "no progress line" },
	[O_KEEP_NOISY] = { "keep-noisy", 0, OT_FLAG, "", 0, 0, NULL,
			   "count trials that other work disturbed (left out by default)" },
	[O_HELP]      = { "help", 'h', OT_FLAG, "", 0, 0, NULL, "this text" },
	[O_VERSION]   = { "version", 'V', OT_FLAG, "", 0, 0, NULL, "print the version" },
	[O_NO_EXPORT] = { "no-export", 0, OT_FLAG, "", 0, 0, NULL,
			  "run, suite: no results.xlsx at the end (ptbench export writes it later)" },
	[O_DRY_RUN]   = { "dry-run", 0, OT_FLAG, "", 0, 0, NULL,
			  "run, suite: print every cell, its trials, memory and estimated time; run nothing" },
	[O_MAX_TIME]  = { "max-time", 0, OT_REAL, "", 1, 1e9, "SEC",
			  "run, suite: refuse a plan estimated to take longer" },
	[O_TOPOLOGY]  = { "topology", 0, OT_TEXT, "", 0, 0, "FILE.xml",
			  "an hwloc XML topology (topo, or --dry-run)" },
	[O_CPUKIND]   = { "cpukind", 0, OT_CPUKIND, "all", 0, 0, "KIND",
			  "all | fast | slow: place workers on the most or least powerful kind of core" },
	[O_MEMBIND]   = { "membind", 0, OT_MEMBIND, "first-touch", 0, 0, "POLICY",
			  "first-touch | local | interleave | node:N: where a trial's prebuilt data lives" },
};

void opts_usage(FILE *fp)
{
	fputs("usage: ptbench list\n"
	      "       ptbench run [OPTIONS] WORKLOAD...\n"
	      "       ptbench suite FILE.csv [OPTIONS]\n"
	      "       ptbench topo [OPTIONS]\n"
	      "       ptbench check\n"
	      "       ptbench plot DIR\n"
	      "       ptbench analyze DIR [--noise FRAC]\n"
	      "       ptbench compare DIR_A DIR_B\n"
	      "       ptbench compare DIR... [-o DIR]\n"
	      "       ptbench merge DIR... -o OUT\n"
	      "       ptbench export DIR [-o FILE]\n\n", fp);
	for (int i = 0; i < O_N; i++) {
		const struct optdef *d = &optdefs[i];
		char left[48];

		if (d->shrt)
			util_strfmt(left, sizeof(left), "-%c, --%s%s%s", d->shrt, d->lng,
			       d->arg ? " " : "", d->arg ? d->arg : "");
		else
			util_strfmt(left, sizeof(left), "    --%s%s%s", d->lng,
			       d->arg ? " " : "", d->arg ? d->arg : "");
		fprintf(fp, "  %-24s %s", left, d->help);
		if (*d->def)
			fprintf(fp, " (default %s)", d->def);
		fputc('\n', fp);
	}
	fputs("\nexit: 0 all trials as expected, 1 a trial failed unexpectedly,"
	      " 2 bad usage or input, 130 interrupted (SIGINT, SIGTERM),\n"
	      "128+N stopped by signal N (SIGHUP 129, SIGPIPE 141, ...)\n", fp);
}

int opt_real(enum opt_id id, const char *text, const char *what, double *out, char *err,
	     size_t errlen)
{
	const struct optdef *d = &optdefs[id];

	if (util_parse_double(text, out) < 0 || *out < d->min || *out > d->max) {
		util_strfmt(err, errlen, "bad value '%s' for %s: expected a number from %g to %g",
		       text, what, d->min, d->max);
		return -EINVAL;
	}
	return 0;
}

int reps_parse(const char *text, const char *what, uint64_t *reps, char *err, size_t errlen)
{
	const struct optdef *d = &optdefs[O_REPS];
	uint64_t u;

	if (strcmp(text, "auto") == 0) {
		*reps = REPS_AUTO;
		return 0;
	}
	if (util_parse_u64(text, 0, &u) < 0 || u < d->min || u > d->max) {
		util_strfmt(err, errlen, "bad value '%s' for %s: expected auto or a whole number from %.0f to %.0f",
		       text, what, d->min, d->max);
		return -EINVAL;
	}
	*reps = u;
	return 0;
}

int opts_choice_index(const char *choices, const char *word, size_t len)
{
	int i = 0;

	for (const char *c = choices; *c; i++) {
		size_t n = strcspn(c, "|");

		if (n == len && strncmp(c, word, len) == 0)
			return i;
		c += n;
		if (*c == '|')
			c++;
	}
	return -1;
}

int opts_modes_parse(const char *text, unsigned *modes, char *err, size_t errlen)
{
	const char *s = text;

	*modes = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		int m = opts_choice_index("process|thread|shared|exec|all", s, n);

		if (m < 0) {
			util_strfmt(err, errlen, "bad mode '%.*s' in --modes '%s': expected process, thread, shared, exec or all",
			       (int)n, s, text);
			return -EINVAL;
		}
		*modes |= m == MODE_N ? (1u << MODE_N) - 1 : 1u << m;
		s += n;
		if (*s == ',' && *++s == '\0')
			break;
	}
	if (!*modes) {
		util_strfmt(err, errlen, "empty --modes: expected process, thread, shared, exec or all");
		return -EINVAL;
	}
	return 0;
}

/* One whole number of a -n list, 1..MAX_WORKERS. */
static int wnum(const char *s, size_t n, int *out)
{
	char buf[24];
	uint64_t v;

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (util_parse_u64(buf, 0, &v) < 0 || v < 1 || v > MAX_WORKERS)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

int opts_wspec_parse(struct wspec *sp, const char *text, char *err, size_t errlen)
{
	const char *s = text;

	sp->n = 0;
	if (!*text) {
		util_strfmt(err, errlen, "empty --workers list");
		return -EINVAL;
	}
	while (*s) {
		size_t n = strcspn(s, ",");
		const char *dash = memchr(s, '-', n);
		struct witem it = { 0, 0, 0, 0, 0 };
		int rc = 0;

		if (sp->n == MAX_LIST) {
			util_strfmt(err, errlen, "--workers '%s' has over %d items", text, MAX_LIST);
			return -EINVAL;
		}
		const char *geo = memchr(s, ':', n);

		if (geo && dash && geo > dash) {
			/* "A-B:xF": parsed as "A-B", then the factor */
			size_t fn = n - (size_t)(geo - s) - 1;

			n = (size_t)(geo - s);
			if (fn < 2 || geo[1] != 'x' || wnum(geo + 2, fn - 1, &it.factor) || it.factor < 2)
				it.factor = -1;
		}
		if (n == 3 && strncmp(s, "max", 3) == 0) {
			it = (struct witem){ 1, 1, 1, 0, 0 };
		} else if (n == 4 && strncmp(s, "pow2", 4) == 0) {
			it = (struct witem){ 1, -1, 0, 2, 1 };
		} else if (n > 1 && s[n - 1] == 'x' && !dash) {
			rc = wnum(s, n - 1, &it.lo);
			it.hi = it.lo;
			it.per_pu = 1;
		} else if (dash) {
			const char *b = dash + 1;
			size_t bn = n - (size_t)(b - s);

			rc = wnum(s, (size_t)(dash - s), &it.lo);
			if (!rc && bn == 3 && strncmp(b, "max", 3) == 0)
				it.hi = -1;     /* up to the number of PUs */
			else if (!rc)
				rc = wnum(b, bn, &it.hi);
			if (!rc && it.hi != -1 && it.hi < it.lo)
				rc = -EINVAL;
		} else {
			rc = wnum(s, n, &it.lo);
			it.hi = it.lo;
		}
		if (rc || it.factor < 0) {
			size_t all = strcspn(s, ",");

			util_strfmt(err, errlen, "bad worker count '%.*s' in --workers '%s': expected N, A-B, A-B:xF (F >= 2), max, pow2 or Nx with 1 <= N <= %d",
			       (int)all, s, text, MAX_WORKERS);
			return -EINVAL;
		}
		sp->item[sp->n++] = it;
		s += strcspn(s, ",");
		if (*s == ',') {
			s++;
			if (!*s) {
				util_strfmt(err, errlen, "trailing comma in --workers '%s'", text);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Adds v to out[0..*k) unless it is there. Returns 0 or -E2BIG. */
static int add_count(int *out, int *k, int max, long v, char *err, size_t errlen)
{
	for (int j = 0; j < *k; j++)
		if (out[j] == v)
			return 0;
	if (*k == max) {
		util_strfmt(err, errlen, "--workers expands to over %d counts", max);
		return -E2BIG;
	}
	out[(*k)++] = (int)v;
	return 0;
}

int opts_wspec_resolve(const struct wspec *sp, const struct pin_counts *pc, int *out,
		       int max, char *err, size_t errlen)
{
	int k = 0, npus = pc->pus;

	for (int i = 0; i < sp->n; i++) {
		const struct witem *it = &sp->item[i];
		long lo = it->lo, hi = it->hi < 0 ? npus : it->hi;

		if (it->per_pu)
			lo = hi = (long)it->lo * npus;
		if (hi > MAX_WORKERS || lo > MAX_WORKERS) {
			util_strfmt(err, errlen, "--workers asks for %ld workers, over the limit of %d",
			       hi > lo ? hi : lo, MAX_WORKERS);
			return -E2BIG;
		}
		for (long v = lo; v <= hi; v = it->factor > 1 ? v * it->factor : v + 1)
			if (add_count(out, &k, max, v, err, errlen) < 0)
				return -E2BIG;
		/* a geometric range always ends at its top */
		if (it->factor > 1 && lo <= hi && add_count(out, &k, max, hi, err, errlen) < 0)
			return -E2BIG;
		if (it->cores && pc->cores <= hi && add_count(out, &k, max, pc->cores, err, errlen) < 0)
			return -E2BIG;
	}
	if (k == 0) {
		util_strfmt(err, errlen, "--workers expands to no worker count (a range past max?)");
		return -EINVAL;
	}
	qsort(out, (size_t)k, sizeof(*out), cmp_int);
	return k;
}

static int find_word(const char *const *names, int n, const char *w)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], w) == 0)
			return i;
	return -1;
}

/* The index of v among names, or -EINVAL with err naming v, the option
 * and every name ("expected a, b or c"). */
static int pick_word(const char *const *names, int n, const char *v, const char *opt,
		     char *err, size_t errlen)
{
	int i = find_word(names, n, v);
	size_t at;

	if (i >= 0)
		return i;
	util_strfmt(err, errlen, "bad value '%s' for --%s: expected", v, opt);
	for (int k = 0; k < n; k++) {
		at = strlen(err);
		util_strfmt(err + at, errlen - at, "%s%s", k == 0 ? " " : k == n - 1 ? " or " : ", ",
			    names[k]);
	}
	return -EINVAL;
}

/* s for a message: bytes that are not printable ASCII as \xNN. */
static const char *escape_bytes(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (const unsigned char *c = (const unsigned char *)s; *c && n + 5 < len; c++) {
		if (*c >= 0x20 && *c < 0x7f)
			buf[n++] = (char)*c;
		else
			n += (size_t)snprintf(buf + n, len - n, "\\x%02x", *c);
	}
	buf[n] = '\0';
	return buf;
}

/* Stores one option's value. */
static int apply(struct options *o, enum opt_id id, const char *v, char *err,
		 size_t errlen)
{
	const struct optdef *d = &optdefs[id];
	uint64_t u;
	double x;
	size_t at;
	char name[40];
	int i;

	switch (d->type) {
	case OT_FLAG:
		if (id == O_CSV) o->csv = 1;
		if (id == O_QUIET) o->quiet = 1;
		if (id == O_KEEP_NOISY) o->keep_noisy = 1;
		if (id == O_DRY_RUN) o->dry_run = 1;
		if (id == O_HELP) o->help = 1;
		if (id == O_VERSION) o->version = 1;
		break;
	case OT_COUNT:
		if (util_parse_u64(v, 0, &u) < 0 || u < d->min || u > d->max) {
			util_strfmt(err, errlen, "bad value '%s' for --%s: expected a whole number from %.0f to %.0f",
			       v, d->lng, d->min, d->max);
			return -EINVAL;
		}
		if (id == O_REPS) o->reps = u;
		if (id == O_WARMUP) o->warmup = u;
		if (id == O_TRACED) o->traced = u;
		break;
	case OT_REAL:
		if (opt_real(id, v, util_strfmt(name, sizeof(name), "--%s", d->lng), &x, err, errlen) < 0)
			return -EINVAL;
		if (id == O_TIMEOUT) o->timeout = x;
		if (id == O_NOISE) o->noise = x;
		if (id == O_PRECISION) o->precision = x;
		if (id == O_BUDGET) o->budget = x;
		if (id == O_MAX_TIME) o->max_time = x;
		break;
	case OT_TEXT:
		if (!*v) {
			util_strfmt(err, errlen, "empty value for --%s", d->lng);
			return -EINVAL;
		}
		if (id == O_LABEL && !util_utf8_valid(v, &at)) {
			char shown[256];

			util_strfmt(err, errlen, "bad value '%s' for --%s: not valid UTF-8 (byte 0x%02x at offset %zu)",
			       escape_bytes(v, shown, sizeof(shown)), d->lng, (unsigned char)v[at], at);
			return -EINVAL;
		}
		if (id == O_OUT) o->out = v;
		if (id == O_SYNTHETIC) o->synthetic = v;
		if (id == O_TOPOLOGY) o->topology = v;
		if (id == O_LABEL) o->label = v;
		break;
	case OT_REPS:
		if (reps_parse(v, "--reps", &o->reps, err, errlen) < 0)
			return -EINVAL;
		break;
	case OT_MODES:
		return opts_modes_parse(v, &o->modes, err, errlen);
	case OT_WORKERS:
		return opts_wspec_parse(&o->workers, v, err, errlen);
	case OT_PIN:
		if ((i = pick_word(pin_names, PIN_N, v, d->lng, err, errlen)) < 0)
			return -EINVAL;
		o->pin = (enum pin_policy)i;
		break;
	case OT_CPUKIND:
		if ((i = pick_word(pin_kind_names, PIN_KIND_N, v, d->lng, err, errlen)) < 0)
			return -EINVAL;
		o->cpukind = (enum pin_kind)i;
		break;
	case OT_BURSTS:
		if ((i = pick_word(burst_names, BURSTS_N, v, d->lng, err, errlen)) < 0)
			return -EINVAL;
		o->bursts = (enum burst_src)i;
		break;
	case OT_MEMBIND:
		if (pin_mem_parse(v, &o->membind) < 0) {
			util_strfmt(err, errlen, "bad value '%s' for --membind: expected first-touch, local, interleave or node:N", v);
			return -EINVAL;
		}
		break;
	case OT_PARAM:
		if (!strchr(v, '=') || v[0] == '=') {
			util_strfmt(err, errlen, "bad --param '%s': expected K=V", v);
			return -EINVAL;
		}
		if (o->nparams == MAX_LIST) {
			util_strfmt(err, errlen, "too many --param options (over %d)", MAX_LIST);
			return -EINVAL;
		}
		o->params[o->nparams++] = v;
		break;
	}
	o->given[id] = 1;
	return 0;
}

void opts_defaults(struct options *o)
{
	char err[256];

	memset(o, 0, sizeof(*o));
	/* Parsed as the user's values are: a default that does not parse is
	 * a bug, which test_opts catches. */
	for (int i = 0; i < O_N; i++)
		if (*optdefs[i].def)
			apply(o, (enum opt_id)i, optdefs[i].def, err, sizeof(err));
	memset(o->given, 0, sizeof(o->given));
}

int opts_parse(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	int only_pos = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		int id = -1;

		if (only_pos || a[0] != '-' || a[1] == '\0') {
			if (o->npos == MAX_LIST) {
				util_strfmt(err, errlen, "too many arguments (over %d)", MAX_LIST);
				return -EINVAL;
			}
			o->pos[o->npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (a[1] == '-') {
			size_t n = strcspn(a + 2, "=");

			for (int k = 0; k < O_N; k++)
				if (strlen(optdefs[k].lng) == n &&
				    strncmp(optdefs[k].lng, a + 2, n) == 0)
					id = k;
			if (id >= 0 && a[2 + n] == '=')
				val = a + 3 + n;
		} else {
			for (int k = 0; k < O_N; k++)
				if (optdefs[k].shrt == a[1])
					id = k;
			if (id >= 0 && a[2])
				val = a + 2;    /* -n4 */
		}
		if (id < 0) {
			util_strfmt(err, errlen, "unknown option '%s' (see ptbench --help)", a);
			return -EINVAL;
		}
		if (optdefs[id].type == OT_FLAG) {
			if (val) {
				util_strfmt(err, errlen, "option '--%s' takes no value", optdefs[id].lng);
				return -EINVAL;
			}
		} else if (!val) {
			if (i + 1 >= argc) {
				util_strfmt(err, errlen, "option '--%s' needs a value (%s)",
				       optdefs[id].lng, optdefs[id].arg);
				return -EINVAL;
			}
			val = argv[++i];
		}
		if (apply(o, (enum opt_id)id, val ? val : "", err, errlen) < 0)
			return -EINVAL;
	}
	return 0;
}

int opts_params_split(char *buf, const char **kv, int max)
{
	int n = 0;

	for (char *s = buf; s && *s;) {
		char *semi = strchr(s, ';');

		if (semi)
			*semi = '\0';
		if (*s) {
			if (n == max)
				return -E2BIG;
			kv[n++] = s;
		}
		s = semi ? semi + 1 : NULL;
	}
	return n;
}

/* Parses one value v of parameter p into pv. */
static int param_value(const struct param *p, const char *v, struct pval *pv,
		       char *err, size_t errlen, const char *wname)
{
	uint64_t u;
	double d;
	int c;

	switch (p->type) {
	case PT_COUNT:
	case PT_SIZE:
		if (util_parse_u64(v, p->type == PT_SIZE, &u) < 0 || (double)u < p->min ||
		    (double)u > p->max) {
			util_strfmt(err, errlen, "bad value '%s' for %s parameter '%s': expected %s from %.0f to %.0f",
			       v, wname, p->name,
			       p->type == PT_SIZE ? "a size (bytes, or a number with a unit " SIZE_UNITS_TEXT ")"
						  : "a whole number",
			       p->min, p->max);
			return -EINVAL;
		}
		pv->u = u;
		pv->d = (double)u;
		return 0;
	case PT_FRAC:
		if (util_parse_double(v, &d) < 0 || d < p->min || d > p->max) {
			util_strfmt(err, errlen, "bad value '%s' for %s parameter '%s': expected a number from %g to %g",
			       v, wname, p->name, p->min, p->max);
			return -EINVAL;
		}
		pv->d = d;
		pv->u = (uint64_t)(d < 0 ? 0 : d);
		return 0;
	case PT_CHOICE:
		if ((c = opts_choice_index(p->choices, v, strlen(v))) < 0) {
			util_strfmt(err, errlen, "bad value '%s' for %s parameter '%s': expected one of %s",
			       v, wname, p->name, p->choices);
			return -EINVAL;
		}
		pv->c = c;
		pv->u = (uint64_t)c;
		pv->d = c;
		return 0;
	}
	return -EINVAL;
}

int opts_param_known(const struct workload *wl, const char *kv)
{
	size_t klen = strcspn(kv, "=");

	for (int k = 0; wl->params && wl->params[k].name; k++)
		if (strlen(wl->params[k].name) == klen &&
		    strncmp(wl->params[k].name, kv, klen) == 0)
			return 1;
	return 0;
}

int opts_params_parse(const struct workload *wl, const char *const *kv, int n,
		 struct pval *pv, char *err, size_t errlen)
{
	int np = 0;

	memset(pv, 0, PTB_MAX_PARAMS * sizeof(*pv));
	for (; wl->params && wl->params[np].name; np++)
		if (param_value(&wl->params[np], wl->params[np].def, &pv[np], err,
				errlen, wl->name) < 0)
			return -EINVAL;         /* a bad default is a bug */
	for (int i = 0; i < n; i++) {
		size_t klen = strcspn(kv[i], "=");
		int k;

		if (kv[i][klen] != '=' || klen == 0) {
			util_strfmt(err, errlen, "bad parameter '%s': expected K=V", kv[i]);
			return -EINVAL;
		}
		for (k = 0; k < np; k++)
			if (strlen(wl->params[k].name) == klen &&
			    strncmp(wl->params[k].name, kv[i], klen) == 0)
				break;
		if (k == np) {
			util_strfmt(err, errlen, "unknown parameter '%.*s' for workload %s (see ptbench list)",
			       (int)klen, kv[i], wl->name);
			return -EINVAL;
		}
		if (param_value(&wl->params[k], kv[i] + klen + 1, &pv[k], err, errlen,
				wl->name) < 0)
			return -EINVAL;
	}
	return 0;
}

/* A size as its shortest exact text: 268435456 -> "256M". */
static void size_text(uint64_t v, char *s, size_t n)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (v && u < 3 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		util_strfmt(s, n, "%" PRIu64, v);
	else
		util_strfmt(s, n, "%" PRIu64 "%c", v, units[u]);
}

char *opts_params_format(const struct workload *wl, const struct pval *pv,
		    char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; wl->params && wl->params[i].name && used < len; i++) {
		const struct param *p = &wl->params[i];
		char v[64];

		switch (p->type) {
		case PT_COUNT: util_strfmt(v, sizeof(v), "%" PRIu64, pv[i].u); break;
		case PT_SIZE:  size_text(pv[i].u, v, sizeof(v)); break;
		case PT_FRAC:  util_strfmt(v, sizeof(v), "%g", pv[i].d); break;
		case PT_CHOICE: {
			const char *c = p->choices;

			for (int k = 0; k < pv[i].c && c; k++) {
				c = strchr(c, '|');
				c = c ? c + 1 : NULL;
			}
			util_strfmt(v, sizeof(v), "%.*s", c ? (int)strcspn(c, "|") : 0, c ? c : "");
			break;
		}
		}
		used += (size_t)snprintf(buf + used, len - used, "%s%s=%s",
					 i ? ";" : "", p->name, v);
	}
	return buf;
}
