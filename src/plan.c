/* plan.c - plans the trials of a run, runs them one by one, and appends
 * each trial's rows to the result files as soon as it ends.
 *
 * Order inside a cell: warm-up trials, counted repetitions, then one
 * traced repetition (burst records on); each of them once per mode, the
 * modes alternating which goes first, so drift hits both alike. */
#include "plan.h"
#include "cgroup.h"
#include "csvio.h"
#include "meta.h"
#include "schema.h"
#include "trial.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <unistd.h>

int plan_add(struct plan *p, const struct run_env *env, const char *workload,
	     const char *const *kv, int nkv, const struct how *how, char *err,
	     size_t errlen)
{
	const struct workload *wl = workload_find(workload);
	struct pin_counts pc;
	struct experiment *e;
	int n;

	if (!wl) {
		strfmt(err, errlen, "unknown workload '%s' (see ptbench list)", workload);
		return -EINVAL;
	}
	if (grow(&p->exp, &p->cap, (size_t)p->n, sizeof(*p->exp), 8) < 0) {
		strfmt(err, errlen, "out of memory");
		return -ENOMEM;
	}
	e = &p->exp[p->n];
	memset(e, 0, sizeof(*e));
	e->wl = wl;
	if (params_parse(wl, kv, nkv, e->pv, err, errlen) < 0)
		return -EINVAL;
	params_format(wl, e->pv, e->params, sizeof(e->params));
	pin_counts(env->pin, &pc);
	n = wspec_resolve(how->ws, pc.pus, e->workers, MAX_LIST, err, errlen);
	if (n < 0)
		return n;
	e->nw = n;
	for (int i = 0; (wl->flags & WL_PAIRS) && i < n; i++) {
		if (e->workers[i] % 2) {
			strfmt(err, errlen, "workload %s needs an even worker count (pairs), not %d",
			       wl->name, e->workers[i]);
			return -EINVAL;
		}
	}
	e->modes = how->modes;
	e->reps = how->reps;
	e->warmup = how->warmup;
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
		if (all || !wl || param_known(wl, o->params[i])) {
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
			strfmt(err, errlen, "parameter '%.*s' belongs to none of %s (see ptbench list)",
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
			   (int)o->traced, o->pin };
	char used[MAX_LIST] = { 0 };

	for (int i = 0; i < o->npos; i++) {
		const char *kv[MAX_LIST];
		/* One workload takes every -P, so a wrong one is named with it. */
		int n = cmdline_params(o, workload_find(o->pos[i]), o->npos == 1, kv, 0, used);

		if (plan_add(p, env, o->pos[i], kv, n, &how, err, errlen) < 0)
			return -EINVAL;
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
				strfmt(err, errlen, "parameter '%.*s' given twice in params ('%s', then '%s')",
				       (int)k, kv[i], kv[j], kv[i]);
				return -EINVAL;
			}
	}
	return 0;
}

int plan_suite(struct plan *p, const struct run_env *env, const char *path,
	       char *err, size_t errlen)
{
	const struct options *o = env->o;
	char used[MAX_LIST];
	struct table t;
	int rc = table_read_max(path, SUITE_MAX, &t);

	if (rc == -EBADMSG) {
		strfmt(err, errlen, "%s:%d: malformed CSV", path, t.bad_line);
		return -EINVAL;
	}
	if (rc == -EILSEQ) {
		strfmt(err, errlen, "%s:%d: a NUL byte: not a text CSV file", path, t.bad_line);
		return -EINVAL;
	}
	if (rc == -EFBIG) {
		strfmt(err, errlen, "suite %s is over %d MiB: not a suite file?", path, SUITE_MAX >> 20);
		return -EINVAL;
	}
	if (rc < 0) {
		strfmt(err, errlen, "cannot read suite %s: %s", path, strerror(-rc));
		return -EINVAL;
	}
	if (table_col(&t, "workload") < 0) {
		strfmt(err, errlen, "%s: no 'workload' column (expected %s,%s,%s,%s,%s,%s)",
		       path, suite_cols[0], suite_cols[1], suite_cols[2], suite_cols[3],
		       suite_cols[4], suite_cols[5]);
		table_free(&t);
		return -EINVAL;
	}
	for (int i = 0; i < t.ncols; i++) {
		int known = 0;

		for (int k = 0; k < SQ_N; k++)
			known |= strcmp(t.head[i], suite_cols[k]) == 0;
		if (!known)
			strfmt(err, errlen, "%s: unknown column '%s'", path, t.head[i]);
		for (int j = 0; known && j < i; j++)
			if (strcmp(t.head[i], t.head[j]) == 0) {
				strfmt(err, errlen, "%s: column '%s' appears twice", path, t.head[i]);
				known = 0;
			}
		if (!known) {
			table_free(&t);
			return -EINVAL;
		}
	}
	if (t.nrows == 0) {
		strfmt(err, errlen, "%s: no experiments (only a header)", path);
		table_free(&t);
		return -EINVAL;
	}
	rc = 0;
	memset(used, 0, sizeof(used));
	for (int r = 0; r < t.nrows && !rc; r++) {
		char e2[200], *pbuf = NULL;
		const char *kv[2 * MAX_LIST];
		unsigned modes = o->modes;
		struct wspec ws = o->workers;
		uint64_t reps = o->reps, traced = o->traced;
		enum pin_policy pin = o->pin;
		const char *v;
		int nkv;

		rc = -EINVAL;
		v = pick(&t, r, "modes");
		if (!o->given[O_MODES] && *v && modes_parse(v, &modes, e2, sizeof(e2)) < 0)
			goto bad;
		v = pick(&t, r, "workers");
		if (!o->given[O_WORKERS] && *v && wspec_parse(&ws, v, e2, sizeof(e2)) < 0)
			goto bad;
		v = pick(&t, r, "reps");
		if (!o->given[O_REPS] && *v) {
			if (parse_u64(v, 0, &reps) < 0 || reps < 1 || reps > 1000) {
				strfmt(e2, sizeof(e2), "bad reps '%s': expected 1 to 1000", v);
				goto bad;
			}
		}
		v = pick(&t, r, "traced");
		if (!o->given[O_TRACED] && *v) {
			if (parse_u64(v, 0, &traced) < 0 || traced > 100) {
				strfmt(e2, sizeof(e2), "bad traced '%s': expected 0 to 100", v);
				goto bad;
			}
		}
		v = pick(&t, r, "pin");
		if (!o->given[O_PIN] && *v) {
			int k;

			for (k = 0; k < PIN_N && strcmp(pin_names[k], v); k++)
				;
			if (k == PIN_N) {
				strfmt(e2, sizeof(e2), "bad pin '%s': expected none, core, pu, scatter or same", v);
				goto bad;
			}
			pin = (enum pin_policy)k;
		}
		if (!(pbuf = strdup(pick(&t, r, "params")))) {
			strfmt(e2, sizeof(e2), "out of memory");
			goto bad;
		}
		nkv = params_split(pbuf, kv, MAX_LIST);
		if (nkv < 0) {
			strfmt(e2, sizeof(e2), "too many params");
			goto bad;
		}
		if (param_twice(kv, nkv, e2, sizeof(e2)))
			goto bad;
		/* The command line's -P wins, in the rows whose workload has
		 * that parameter (checked below to be at least one row). */
		nkv = cmdline_params(o, workload_find(pick(&t, r, "workload")), 0, kv, nkv, used);
		{
			struct how how = { modes, &ws, (int)reps, (int)o->warmup, (int)traced, pin };

			rc = plan_add(p, env, pick(&t, r, "workload"), kv, nkv, &how, e2, sizeof(e2));
		}
		if (!rc) {
			free(pbuf);
			continue;
		}
bad:
		free(pbuf);
		/* Line numbers count the header as line 1. */
		strfmt(err, errlen, "%s:%d: %s", path, r + 2, e2);
	}
	if (!rc) {
		char where[PATH_MAX + 32];

		rc = unused_param(o, used, strfmt(where, sizeof(where), "the workloads of %s", path),
				  err, errlen);
	}
	table_free(&t);
	return rc;
}

/* Turns mountinfo's octal escapes ("\040") back into bytes, in place. */
static void unescape_octal(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* A number from a one-line /proc or /sys file; max ("max", missing) when
 * there is no limit. */
static uint64_t limit_file(const char *path, uint64_t max)
{
	char buf[64];
	uint64_t v;

	if (read_small_file(path, buf, sizeof(buf)) <= 0)
		return max;
	buf[strcspn(buf, "\n")] = '\0';
	return parse_u64(buf, 0, &v) == 0 ? v : max;
}

/* Whether word is one of the comma-separated words of list[0..len). */
static int in_list(const char *list, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0, k; i < len; i = k + 1) {
		for (k = i; k < len && list[k] != ','; k++)
			;
		if (k - i == n && strncmp(list + i, word, n) == 0)
			return 1;
	}
	return 0;
}

/* This process's folder in one cgroup hierarchy: the v1 hierarchy of
 * controller ctl, or (ctl NULL) the cgroup2 one. The mount point comes
 * from /proc/self/mountinfo, never assumed; *top gets its length in dir.
 * Returns 0, or -ENOENT when there is no such hierarchy. */
static int cgroup_dir(const char *ctl, char *dir, size_t len, size_t *top)
{
	char buf[4096], cg[PATH_MAX] = "", *line = NULL;
	size_t cap = 0;
	FILE *fp;
	int rc = -ENOENT;

	/* "4:memory:/a/b" (v1) or "0::/a/b" (v2) */
	if (read_small_file("/proc/self/cgroup", buf, sizeof(buf)) <= 0)
		return -ENOENT;
	for (char *l = strtok(buf, "\n"); l && !*cg; l = strtok(NULL, "\n")) {
		char *a = strchr(l, ':'), *b = a ? strchr(a + 1, ':') : NULL;

		if (b && (ctl ? in_list(a + 1, (size_t)(b - a - 1), ctl) : b == a + 1))
			strfmt(cg, sizeof(cg), "%s", b + 1);
	}
	if (!*cg || !(fp = fopen("/proc/self/mountinfo", "re")))
		return -ENOENT;
	/* "id parent dev ROOT MOUNTPOINT opts [optional...] - TYPE source SUPEROPTS" */
	while (rc && getline(&line, &cap, fp) > 0) {
		char *f[6], *type, *super, *save = NULL, *dash = strstr(line, " - ");
		const char *rel = cg;
		int n = 0;
		size_t r;

		if (!dash)
			continue;
		*dash = '\0';
		for (char *w = strtok_r(line, " ", &save); w && n < 6; w = strtok_r(NULL, " ", &save))
			f[n++] = w;
		type = strtok_r(dash + 3, " ", &save);
		strtok_r(NULL, " ", &save);
		super = strtok_r(NULL, " \n", &save);
		if (n < 5 || !type || !super ||
		    strcmp(type, ctl ? "cgroup" : "cgroup2") != 0 ||
		    (ctl && !in_list(super, strlen(super), ctl)))
			continue;
		/* The mount may show only a subtree (ROOT): cg is relative to it. */
		r = strlen(f[3]);
		if (strcmp(f[3], "/") && strncmp(cg, f[3], r) == 0 && (cg[r] == '/' || !cg[r]))
			rel = cg + r;
		unescape_octal(f[4]);           /* "\040" is a space */
		*top = strlen(f[4]);
		if (*top + strlen(rel) + 1 < len) {
			strfmt(dir, len, "%s%s", f[4], strcmp(rel, "/") ? rel : "");
			rc = 0;
		}
	}
	free(line);
	fclose(fp);
	return rc;
}

/* The lowest limit that file `name` sets on this process: in its cgroup
 * or any ancestor up to the hierarchy's root (a parent's limit binds its
 * children), in the v1 hierarchy of ctl (file v1) and in cgroup2 (file
 * v2). UINT64_MAX when none; where gets the file that set it. */
static uint64_t cgroup_limit(const char *ctl, const char *v1, const char *v2, char *where,
			     size_t wlen)
{
	uint64_t best = UINT64_MAX;

	for (int k = 0; k < 2; k++) {
		char dir[PATH_MAX], path[PATH_MAX + 32], *slash;
		size_t top;

		if (cgroup_dir(k ? NULL : ctl, dir, sizeof(dir), &top) < 0)
			continue;
		do {
			uint64_t v = limit_file(strfmt(path, sizeof(path), "%s/%s", dir, k ? v2 : v1),
						UINT64_MAX);

			if (v < best) {
				best = v;
				strfmt(where, wlen, "%s", path);
			}
			slash = strrchr(dir + top, '/');
			if (slash)
				*slash = '\0';
		} while (slash);
	}
	return best;
}

static char *mem_text(double bytes, char *buf, size_t len)
{
	if (bytes < (1 << 30))
		return strfmt(buf, len, "%.1f MiB", bytes / (1 << 20));
	return strfmt(buf, len, "%.1f GiB", bytes / (1 << 30));
}

/* What a worker costs beyond the workload's own memory: a process's
 * private pages and page tables, a thread's touched stack. Generous. */
#define WORKER_OVERHEAD (1u << 20)

int plan_check(const struct plan *p, const struct run_env *env, char *err,
	       size_t errlen)
{
	struct sysinfo si;
	struct rlimit nproc, nofile;
	uint64_t ram, threads_max = limit_file("/proc/sys/kernel/threads-max", UINT64_MAX);
	uint64_t pid_max = limit_file("/proc/sys/kernel/pid_max", UINT64_MAX);
	char pids_file[PATH_MAX], mem_file[PATH_MAX], mem_what[PATH_MAX + 96], a[32], b[32];
	uint64_t pids_max = cgroup_limit("pids", "pids.max", "pids.max", pids_file, sizeof(pids_file));
	uint64_t mem = cgroup_limit("memory", "memory.limit_in_bytes", "memory.max", mem_file,
				    sizeof(mem_file));
	int root = geteuid() == 0;

	(void)env;
	if (sysinfo(&si) < 0)
		return 0;       /* nothing to check against */
	ram = (uint64_t)si.totalram * si.mem_unit;
	/* The memory this process may use: the RAM, or less in a cgroup. */
	if (mem < ram)
		strfmt(mem_what, sizeof(mem_what), "the cgroup's memory limit (%s, %s), below the RAM (%s)",
		       mem_text((double)mem, a, sizeof(a)), mem_file, mem_text((double)ram, b, sizeof(b)));
	else
		strfmt(mem_what, sizeof(mem_what), "this machine's RAM (%s, sysinfo)",
		       mem_text((double)(mem = ram), a, sizeof(a)));
	getrlimit(RLIMIT_NPROC, &nproc);
	getrlimit(RLIMIT_NOFILE, &nofile);
	for (int i = 0; i < p->n; i++) {
		const struct experiment *e = &p->exp[i];

		for (int k = 0; k < e->nw; k++) {
			uint64_t n = (uint64_t)e->workers[k], tasks = n + 2;   /* + harness, trial */

			for (int m = 0; m < MODE_N; m++) {
				uint64_t need = (uint64_t)n * WORKER_OVERHEAD;

				if (!(e->modes & (1u << m)))
					continue;
				if (e->wl->footprint) {
					uint64_t all = e->wl->footprint(e->pv, (int)n, (enum mode)m);
					uint64_t trial = e->wl->footprint(e->pv, 0, (enum mode)m);

					/* page tables: 8 bytes a 4 KiB page of it all,
					 * and each forked worker copies those of what
					 * the trial mapped before it (a worker's own
					 * memory is counted once, in `all`) */
					need += all + all / 512;
					if (m == MODE_PROCESS)
						need += n * (trial / 512);
				}
				if ((double)need > 0.9 * (double)mem) {
					strfmt(err, errlen, "%s %s with %d workers needs about %s, over 90%% of %s",
					       e->wl->name, e->params, (int)n, mem_text((double)need, a, sizeof(a)),
					       mem_what);
					return -ENOMEM;
				}
			}
			if (tasks > threads_max || tasks > pid_max || tasks > pids_max) {
				const char *what = tasks > threads_max ? "kernel.threads-max" :
						   tasks > pid_max ? "kernel.pid_max" : "the cgroup's pids.max";
				uint64_t lim = tasks > threads_max ? threads_max : tasks > pid_max ? pid_max : pids_max;

				strfmt(err, errlen, "%s with %d workers needs %llu tasks, over %s (%llu)",
				       e->wl->name, (int)n, (unsigned long long)tasks, what,
				       (unsigned long long)lim);
				return -E2BIG;
			}
			if (!root && nproc.rlim_max != RLIM_INFINITY && tasks > nproc.rlim_max) {
				strfmt(err, errlen, "%s with %d workers needs %llu processes/threads, over RLIMIT_NPROC (ulimit -u: %llu)",
				       e->wl->name, (int)n, (unsigned long long)tasks,
				       (unsigned long long)nproc.rlim_max);
				return -E2BIG;
			}
			/* pipes (pingpong: 2 a worker) and a perf event a worker */
			if (nofile.rlim_max != RLIM_INFINITY && 3 * n + 64 > nofile.rlim_max) {
				strfmt(err, errlen, "%s with %d workers needs about %llu file descriptors, over RLIMIT_NOFILE (ulimit -Hn: %llu)",
				       e->wl->name, (int)n, (unsigned long long)(3 * n + 64),
				       (unsigned long long)nofile.rlim_max);
				return -E2BIG;
			}
		}
	}
	return 0;
}

void plan_free(struct plan *p)
{
	free(p->exp);
	memset(p, 0, sizeof(*p));
}

/* The open result files of a run. */
struct out {
	struct csvw *meta, *trials, *workers, *metrics, *bursts;
};

/* The files of a result folder that a run writes. */
static const struct {
	size_t off;             /* of its writer in struct out */
	const char *file;
	const char *const *cols;
	int n;
} files[] = {
	{ offsetof(struct out, meta), "meta.csv", meta_cols, ME_N },
	{ offsetof(struct out, trials), "trials.csv", trials_cols, TR_N },
	{ offsetof(struct out, workers), "workers.csv", workers_cols, WK_N },
	{ offsetof(struct out, metrics), "metrics.csv", metrics_cols, MT_N },
	{ offsetof(struct out, bursts), "bursts.csv", bursts_cols, BU_N },
};

static int open_outputs(struct out *o, const char *dir)
{
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char path[PATH_MAX];
		struct csvw **w = (struct csvw **)((char *)o + files[i].off);
		int rc;

		strfmt(path, sizeof(path), "%s/%s", dir, files[i].file);
		rc = csvw_open(w, path, files[i].cols, files[i].n, 0);
		if (rc)
			return rc;
	}
	return 0;
}

static int close_outputs(struct out *o)
{
	int rc = 0, r;

	r = csvw_close(o->meta); rc = rc ? rc : r;
	r = csvw_close(o->trials); rc = rc ? rc : r;
	r = csvw_close(o->workers); rc = rc ? rc : r;
	r = csvw_close(o->metrics); rc = rc ? rc : r;
	r = csvw_close(o->bursts); rc = rc ? rc : r;
	memset(o, 0, sizeof(*o));
	return rc;
}

/* Room a result folder's path must leave for the longest name ptbench
 * writes inside it ("/plots/speedup_sharedread_12.svg", "/summary.csv.tmp"),
 * so that no file name is ever cut short. */
#define NAME_ROOM 64

/* Why an existing name cannot be the result folder: -EEXIST for a folder
 * (or a link to one), -ENOTDIR for anything else. */
static int taken(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? -EEXIST : -ENOTDIR;
}

/* Says why a result folder cannot be made at `dir`: at is the length of
 * the prefix that failed (mkdir_p). */
static int dir_error(const char *dir, size_t at, int rc, char *err, size_t errlen)
{
	if (rc == -ENOTDIR)
		strfmt(err, errlen, "cannot create output folder %s: %.*s is a file", dir, (int)at, dir);
	else if (rc == -EEXIST)
		strfmt(err, errlen, "output folder %s exists: results are never overwritten", dir);
	else
		strfmt(err, errlen, "cannot create output folder %s: %s", dir, strerror(-rc));
	return rc;
}

/* Makes the result folder: -o DIR must not exist; the default name gets
 * a -2, -3 ... suffix rather than overwrite anything. *made gets the
 * length of the shortest prefix of dir it created, for unmake_dir(); on
 * an error nothing it created is left. */
static int make_dir(const struct options *o, char *dir, size_t len, size_t *made, char *err,
		    size_t errlen)
{
	char host[128] = "host", stamp[32], *base;
	size_t n, at;
	struct stat st;
	int rc;

	if (len > PATH_MAX)
		len = PATH_MAX;
	if (o->out) {
		/* "dir/" is dir; "a/b/.." names no new folder */
		for (n = strlen(o->out); n > 1 && o->out[n - 1] == '/'; n--)
			;
		if (n + NAME_ROOM >= len) {
			strfmt(err, errlen, "output folder %.40s... is %zu bytes long: too long for the files inside it (at most %zu)",
			       o->out, n, len - NAME_ROOM - 1);
			return -ENAMETOOLONG;
		}
		strfmt(dir, len, "%.*s", (int)n, o->out);
		base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
		if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
			strfmt(err, errlen, "output folder %s ends in '%s': name the new folder itself", dir, base);
			return -EINVAL;
		}
		if (lstat(dir, &st) == 0)
			return dir_error(dir, n, taken(dir), err, errlen);
		rc = 0;
		*made = 0;
		if (base > dir + 1) {           /* the parents, as mkdir -p */
			base[-1] = '\0';
			if ((rc = mkdir_p(dir, 0755, made, &at)) < 0)
				rmdir_made(dir, *made);
			base[-1] = '/';
		}
		if (!rc && mkdir(dir, 0755) < 0) {
			rc = errno == EEXIST ? taken(dir) : -errno;
			at = n;
			rmdir_made(dir, *made);
		}
		if (rc)
			return dir_error(dir, at, rc, err, errlen);
		*made = *made ? *made : n;
		return 0;
	}
	gethostname(host, sizeof(host) - 1);
	host[strcspn(host, "./ ")] = '\0';
	utc_now(stamp, sizeof(stamp), 1);
	if ((rc = mkdir_p("results", 0755, made, &at)) < 0)
		return dir_error("results", at, rc, err, errlen);
	for (int i = 1; i < 1000; i++) {
		if (i == 1)
			strfmt(dir, len, "results/%s-%s", stamp, host);
		else
			strfmt(dir, len, "results/%s-%s-%d", stamp, host, i);
		if (mkdir(dir, 0755) == 0) {
			*made = *made ? *made : strlen(dir);
			return 0;
		}
		if (errno != EEXIST) {
			rc = -errno;
			rmdir_made(dir, *made);
			strfmt(err, errlen, "cannot create %s: %s", dir, strerror(-rc));
			return rc;
		}
	}
	rmdir_made("results", *made);
	strfmt(err, errlen, "cannot find a free result folder name");
	return -EEXIST;
}

/* A result folder that could not be set up is removed: its files, the
 * folder and the parents make_dir created. dir becomes "" (no folder to
 * show). Returns 1, the exit code of a write failure. */
static int unmake_dir(struct out *o, char *dir, size_t made)
{
	close_outputs(o);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char path[PATH_MAX];

		unlink(strfmt(path, sizeof(path), "%s/%s", dir, files[i].file));
	}
	rmdir_made(dir, made);
	dir[0] = '\0';
	return 1;
}

/* Records the command line in meta.csv, quoted so that a shell runs it
 * again as it was (never cut short). */
static int cmdline(struct csvw *meta, const struct run_env *env)
{
	char *line = shell_join(env->argc, env->argv);
	int rc = line ? meta_put(meta, "command", line) : -ENOMEM;

	free(line);
	return rc;
}

/* Where a row's numbers come from. */
struct trial_id {
	int id;
	const struct experiment *e;
	int workers;
	enum mode mode;
	int rep;                /* 1.. counted; 0 warm-up */
	int traced, warmup;
	enum burst_src src;
};

static int write_trial(struct out *o, const struct trial_id *ti,
		       const struct trial_result *r)
{
	const struct experiment *e = ti->e;
	struct row row;
	int rc;

	row_init(&row, TR_N);
	row_u64(&row, TR_TRIAL, (uint64_t)ti->id);
	row_str(&row, TR_WORKLOAD, e->wl->name);
	row_str(&row, TR_MODE, mode_names[ti->mode]);
	row_u64(&row, TR_WORKERS, (uint64_t)ti->workers);
	row_str(&row, TR_PIN, pin_names[e->pin]);
	row_u64(&row, TR_REP, (uint64_t)ti->rep);
	row_u64(&row, TR_TRACED, (uint64_t)ti->traced);
	row_str(&row, TR_STATUS, trial_status_names[r->status]);
	row_num(&row, TR_WALL_S, r->wall_s);
	row_num(&row, TR_SPAWN_S, r->spawn_s);
	row_num(&row, TR_JOIN_S, r->join_s);
	if (r->has_usage) {
		row_num(&row, TR_USER_S, r->sum.user_s);
		row_num(&row, TR_SYS_S, r->sum.sys_s);
		row_u64(&row, TR_MINFLT, r->sum.minflt);
		row_u64(&row, TR_MAJFLT, r->sum.majflt);
		row_u64(&row, TR_NVCSW, r->sum.nvcsw);
		row_u64(&row, TR_NIVCSW, r->sum.nivcsw);
	}
	row_u64(&row, TR_OPS, r->ops);
	if (r->wall_s > 0 && r->status == TS_OK)
		row_num(&row, TR_OPS_PER_S, (double)r->ops / r->wall_s);
	if (r->checksum_ok >= 0)
		row_u64(&row, TR_CHECKSUM_OK, (uint64_t)r->checksum_ok);
	if (r->maxrss_kib)
		row_u64(&row, TR_MAXRSS_KIB, r->maxrss_kib);
	if (r->has_mem) {
		row_u64(&row, TR_RSS_SUM_KIB, r->mem.rss_kib);
		row_u64(&row, TR_PSS_KIB, r->mem.pss_kib);
		row_u64(&row, TR_USS_KIB, r->mem.uss_kib);
		row_u64(&row, TR_PTE_KIB, r->mem.pte_kib);
	}
	if (ti->traced) {
		row_u64(&row, TR_BURST_N, r->bs.n);
		row_num(&row, TR_BURST_MEAN_US, r->bs.mean_us);
		row_num(&row, TR_BURST_P50_US, r->bs.p50_us);
		row_num(&row, TR_BURST_P90_US, r->bs.p90_us);
		row_num(&row, TR_BURST_P99_US, r->bs.p99_us);
		row_num(&row, TR_BURST_MAX_US, r->bs.max_us);
		row_str(&row, TR_BURST_SOURCE, burst_names[ti->src]);
		row_num(&row, TR_BURST_P50_LO_US, r->bs.p50_lo_us);
		row_num(&row, TR_BURST_P50_HI_US, r->bs.p50_hi_us);
		if (r->bs.n)
			row_num(&row, TR_BURST_PREEMPTED_FRAC,
				(double)r->bs.preempted / (double)r->bs.n);
		row_u64(&row, TR_BURST_LOST, r->bs.lost);
	}
	row_str(&row, TR_PARAMS, e->params);
	row_u64(&row, TR_WARMUP, (uint64_t)ti->warmup);
	row_u64(&row, TR_EXPECTED, (uint64_t)r->expected);
	if (r->signal)
		row_u64(&row, TR_SIGNAL, (uint64_t)r->signal);
	row_str(&row, TR_MESSAGE, r->message);
	if ((rc = csvw_row(o->trials, &row)))
		return rc;

	for (int i = 0; i < r->nworkers; i++) {
		const struct worker_result *w = &r->w[i];

		row_init(&row, WK_N);
		row_u64(&row, WK_TRIAL, (uint64_t)ti->id);
		row_u64(&row, WK_WORKER, (uint64_t)i);
		if (w->pid)
			row_u64(&row, WK_PID, (uint64_t)w->pid);
		if (w->tid)
			row_u64(&row, WK_TID, (uint64_t)w->tid);
		if (w->cpu_requested >= 0)
			row_u64(&row, WK_CPU_REQUESTED, (uint64_t)w->cpu_requested);
		if (w->cpu_observed >= 0)
			row_u64(&row, WK_CPU_OBSERVED, (uint64_t)w->cpu_observed);
		row_str(&row, WK_STATUS, worker_status_names[w->status]);
		if (w->signal)
			row_u64(&row, WK_SIGNAL, (uint64_t)w->signal);
		row_num(&row, WK_WALL_S, w->wall_s);
		if (w->has_usage) {
			row_num(&row, WK_USER_S, w->u.user_s);
			row_num(&row, WK_SYS_S, w->u.sys_s);
			row_u64(&row, WK_MINFLT, w->u.minflt);
			row_u64(&row, WK_MAJFLT, w->u.majflt);
			row_u64(&row, WK_NVCSW, w->u.nvcsw);
			row_u64(&row, WK_NIVCSW, w->u.nivcsw);
		}
		row_u64(&row, WK_OPS, w->ops);
		if (ti->traced) {
			row_u64(&row, WK_BURST_N, w->bs.n);
			row_num(&row, WK_BURST_MEAN_US, w->bs.mean_us);
			row_num(&row, WK_BURST_P99_US, w->bs.p99_us);
			if (w->bs.n)
				row_num(&row, WK_PREEMPTED_FRAC,
					(double)w->bs.preempted / (double)w->bs.n);
			row_u64(&row, WK_BURST_LOST, w->bs.lost);
		}
		if (w->has_mem) {
			row_u64(&row, WK_RSS_KIB, w->mem.rss_kib);
			row_u64(&row, WK_PSS_KIB, w->mem.pss_kib);
			row_u64(&row, WK_USS_KIB, w->mem.uss_kib);
			row_u64(&row, WK_PTE_KIB, w->mem.pte_kib);
		}
		if ((rc = csvw_row(o->workers, &row)))
			return rc;
	}

	for (int i = 0; i < r->nmetrics; i++) {
		const struct metric_value *m = &r->metrics[i];

		row_init(&row, MT_N);
		row_u64(&row, MT_TRIAL, (uint64_t)ti->id);
		if (m->worker >= 0)
			row_u64(&row, MT_WORKER, (uint64_t)m->worker);
		row_str(&row, MT_METRIC, m->name);
		row_num(&row, MT_VALUE, m->value);
		row_str(&row, MT_UNIT, m->unit);
		if ((rc = csvw_row(o->metrics, &row)))
			return rc;
	}

	if (ti->traced && ti->src == BURSTS_PERF && r->bs.n) {
		for (int b = 0; b < HIST_BINS; b++) {
			row_init(&row, BU_N);
			row_u64(&row, BU_TRIAL, (uint64_t)ti->id);
			row_str(&row, BU_WORKLOAD, e->wl->name);
			row_str(&row, BU_MODE, mode_names[ti->mode]);
			row_u64(&row, BU_WORKERS, (uint64_t)ti->workers);
			row_num(&row, BU_BIN_LO_US, hist_lo(b));
			row_num(&row, BU_BIN_HI_US, hist_hi(b));
			row_u64(&row, BU_BLOCKED, r->hist[0][b]);
			row_u64(&row, BU_PREEMPTED, r->hist[1][b]);
			if ((rc = csvw_row(o->bursts, &row)))
				return rc;
		}
	}
	return 0;
}

static int count_trials(const struct plan *p, int traced)
{
	int n = 0;

	for (int i = 0; i < p->n; i++) {
		const struct experiment *e = &p->exp[i];
		int modes = __builtin_popcount(e->modes);

		n += e->nw * modes * (e->warmup + e->reps + (traced ? e->traced : 0));
	}
	return n;
}

/* One line on stderr, rewritten in place: trial i of n, cell, time left. */
static void progress(const struct run_env *env, int done, int total,
		     double started, const struct trial_id *ti)
{
	double el = now_s() - started;
	char what[32];

	if (env->o->quiet || !isatty(2))
		return;
	if (ti->warmup)
		strfmt(what, sizeof(what), "warm-up");
	else if (ti->traced)
		strfmt(what, sizeof(what), "traced");
	else
		strfmt(what, sizeof(what), "rep %d/%d", ti->rep, ti->e->reps);
	fprintf(stderr, "\r\033[K[%d/%d] %s %s n=%d %s", done + 1, total,
		ti->e->wl->name, mode_names[ti->mode], ti->workers, what);
	if (done)
		fprintf(stderr, "  ~%.0f s left", el / done * (total - done));
	fflush(stderr);
}

static int run_one(const struct run_env *env, struct out *o, struct trial_id *ti,
		   struct cg *cg, int user_only, int *unexpected, uint64_t *lost, char *err,
		   size_t errlen)
{
	const struct experiment *e = ti->e;
	int *cpus = malloc((size_t)ti->workers * sizeof(*cpus));
	struct trial_spec sp = {
		.wl = e->wl, .mode = ti->mode, .nworkers = ti->workers,
		.cpus = cpus, .pin = env->pin,
		.bursts = ti->traced ? ti->src : BURSTS_OFF,
		.user_only = user_only, .timeout_s = env->o->timeout,
		.stop = env->stop, .cg = cg,
	};
	struct trial_result r;
	int rc;

	if (!cpus)
		return -ENOMEM;
	memcpy(sp.pv, e->pv, sizeof(sp.pv));
	rc = pin_place(env->pin, e->pin, ti->workers, cpus);
	if (!rc)
		rc = trial_run(&sp, &r);
	free(cpus);
	if (rc) {
		strfmt(err, errlen, "trial %d (%s %s n=%d): %s", ti->id, e->wl->name,
		       mode_names[ti->mode], ti->workers, strerror(-rc));
		return rc;
	}
	if (!r.expected && r.status != TS_INTERRUPTED) {
		*unexpected = 1;
		if (!env->o->quiet)
			fprintf(stderr, "%sptbench: trial %d (%s %s n=%d) %s: %s\n",
				isatty(2) ? "\r\033[K" : "", ti->id, e->wl->name,
				mode_names[ti->mode], ti->workers,
				trial_status_names[r.status], r.message);
	}
	*lost += r.bs.lost;
	rc = write_trial(o, ti, &r);
	if (rc)
		strfmt(err, errlen, "writing results of trial %d: %s", ti->id, strerror(-rc));
	trial_result_free(&r);
	return rc;
}

/* The exit code of a run a signal stopped: 130 for SIGINT and SIGTERM
 * (as it always was), 128 + the signal for the others. */
static int stop_code(int sig)
{
	return sig == SIGINT || sig == SIGTERM ? 130 : 128 + sig;
}

int plan_run(const struct plan *p, const struct run_env *env, char *dir,
	     size_t dirlen, char *err, size_t errlen)
{
	const struct options *opt = env->o;
	struct out o = { 0 };
	struct cg cgs, *cg;
	int user_only = 0, src, traced, total, done = 0, unexpected = 0, rc;
	uint64_t lost = 0;
	char buf[4096], stamp[32];
	size_t made;
	double started;

	err[0] = '\0';
	src = bprobe_check((enum burst_src)opt->bursts, &user_only);
	if (src < 0) {
		strfmt(err, errlen, "--bursts %s is not available here: %s",
		       burst_names[opt->bursts], strerror(-src));
		return 2;
	}
	traced = src != BURSTS_OFF;
	total = count_trials(p, traced);
	if (make_dir(opt, dir, dirlen, &made, err, errlen) < 0)
		return 2;
	if ((rc = open_outputs(&o, dir)) < 0) {
		strfmt(err, errlen, "cannot create result files in %s: %s (nothing kept)", dir, strerror(-rc));
		return unmake_dir(&o, dir, made);
	}
	/* Each trial in a cgroup of its own where that works, or else only
	 * in its process group; cg_close on every way out from here. */
	cg = cg_open(&cgs) == 0 ? &cgs : NULL;
	utc_now(stamp, sizeof(stamp), 0);
	rc = cmdline(o.meta, env);
	if (!rc)
		rc = meta_put(o.meta, "label", opt->label ? opt->label : "");
	if (!rc)
		rc = meta_put(o.meta, "start_utc", stamp);
	if (!rc)
		rc = meta_machine(o.meta, env->pin);
	if (!rc)
		rc = meta_put(o.meta, "burst_source", burst_names[src]);
	if (!rc)
		rc = meta_put(o.meta, "burst_user_only", user_only ? "1" : "0");
	if (!rc)
		rc = meta_put(o.meta, "noise", strfmt(buf, sizeof(buf), "%g", opt->noise));
	if (!rc)
		rc = meta_put(o.meta, "timeout_s", strfmt(buf, sizeof(buf), "%g", opt->timeout));
	if (!rc)
		rc = meta_put(o.meta, "trials_planned", strfmt(buf, sizeof(buf), "%d", total));
	if (!rc)
		rc = meta_put(o.meta, "kill_method", cg ? "cgroup" : "pgroup");
	if (!rc)
		rc = meta_put(o.meta, "kill_cgroup", cg ? cg->dir : "");
	if (!rc)
		rc = meta_put(o.meta, "oom_source", cg && cg->memory ? "memory.events" : "vmstat");
	if (rc) {
		strfmt(err, errlen, "writing %s/meta.csv: %s (nothing kept)", dir, strerror(-rc));
		if (cg)
			cg_close(cg);
		return unmake_dir(&o, dir, made);
	}

	started = now_s();
	for (int x = 0; x < p->n && !rc; x++) {
		const struct experiment *e = &p->exp[x];

		for (int wi = 0; wi < e->nw && !rc; wi++) {
			int ntr = traced ? e->traced : 0, reps = e->warmup + e->reps + ntr;

			for (int r = 0; r < reps && !rc; r++) {
				for (int k = 0; k < MODE_N && !rc; k++) {
					/* Alternate which mode goes first. */
					enum mode m = (enum mode)(r % 2 ? MODE_N - 1 - k : k);
					struct trial_id ti = {
						.id = done + 1, .e = e, .workers = e->workers[wi],
						.mode = m, .warmup = r < e->warmup,
						.traced = r >= e->warmup + e->reps,
						.src = (enum burst_src)src,
					};

					if (!(e->modes & (1u << m)))
						continue;
					ti.rep = ti.warmup ? 0 : r - e->warmup + 1;
					if (*env->stop)
						break;
					progress(env, done, total, started, &ti);
					rc = run_one(env, &o, &ti, cg, user_only, &unexpected, &lost,
						     err, errlen);
					done++;
				}
			}
		}
	}
	if (cg)
		cg_close(cg);
	if (!opt->quiet && isatty(2))
		fprintf(stderr, "\r\033[K");
	utc_now(stamp, sizeof(stamp), 0);
	if (!rc) {
		rc = meta_put(o.meta, "end_utc", stamp);
		if (!rc)
			rc = meta_put(o.meta, "trials_run", strfmt(buf, sizeof(buf), "%d", done));
		if (!rc)
			rc = meta_put(o.meta, "interrupted", *env->stop ? "1" : "0");
		if (!rc)
			rc = meta_put(o.meta, "stop_signal", strfmt(buf, sizeof(buf), "%d", (int)*env->stop));
		if (!rc)
			rc = meta_put(o.meta, "burst_lost_records",
				      strfmt(buf, sizeof(buf), "%llu", (unsigned long long)lost));
		if (rc)
			strfmt(err, errlen, "writing %s/meta.csv: %s", dir, strerror(-rc));
	}
	{
		int c = close_outputs(&o);

		if (!rc && c) {
			rc = c;
			strfmt(err, errlen, "closing result files in %s: %s", dir, strerror(-c));
		}
	}
	if (rc)
		return 1;       /* err says what could not be written */
	if (*env->stop)
		return stop_code(*env->stop);
	return unexpected ? 1 : 0;
}
