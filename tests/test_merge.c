/* test_merge.c - `ptbench merge` and `ptbench compare DIR...` on synthetic
 * folders of three hosts (fixtures), checked cell by cell against each
 * folder's own files and analysis; then bad input, table-driven: exit
 * code, one line naming the value, nothing overwritten or left behind. */
#include <dirent.h>
#include <math.h>
#include <sys/stat.h>

#include "e2e.h"
#include "fixture.h"

static const char *ptb;

/* One synthetic source: a host, its run's label and start, and how its
 * numbers differ from the reference's. */
struct src {
	const char *host, *label, *start;
	double scale;           /* every value */
	double thread;          /* thread wall_s over process */
	int ncols;              /* trials.csv columns (fewer: an older ptbench) */
	int interrupted;
	char dir[64];
};

static struct src srcs[] = {
	{ "alpha", "a1", "2026-01-01T00:00:00Z", 1, 0.5, TR_N, 0, "" },
	{ "alpha", "a2", "2026-01-02T00:00:00Z", 1.001, 0.5, TR_N, 0, "" },
	{ "beta", "", "2026-01-03T00:00:00Z", 2, 2, TR_N - 5, 0, "" },
	{ "=calc", "c", "2026-01-04T00:00:00Z", 4, 0.5, TR_N, 1, "" },
};

/* The names compare gives the columns of each source, and its run. */
static const char *const names[] = { "alpha/a1", "alpha/a2", "beta", "=calc" };
static const char *const runs[] = { "a1", "a2", "2026-01-03T00:00:00Z", "c" };

static void make_src(struct src *s)
{
	struct fx f;
	char wp[64], wt[64], op[64];

	if (fx_open_cols(&f, s->ncols) < 0)
		return;
	fx_meta(&f, "host", s->host);
	fx_meta(&f, "label", s->label);
	fx_meta(&f, "start_utc", s->start);
	for (int n = 1; n <= 2; n++) {
		util_strfmt(wp, sizeof(wp), "wall_s=%g;ops_per_s=%g", 0.1 * s->scale / n,
			    1e6 * s->scale * n);
		util_strfmt(wt, sizeof(wt), "wall_s=%g;ops_per_s=%g", 0.1 * s->scale * s->thread / n,
			    1e6 * s->scale * n / s->thread);
		util_strfmt(op, sizeof(op), "ops=%g", 1000 * s->scale);
		fx_cell(&f, "cpu", "total=1000", "process", n, 3, 0, wp, op);
		fx_cell(&f, "cpu", "total=1000", "thread", n, 3, 0, wt, op);
	}
	if (s->interrupted) {
		fx_meta(&f, "interrupted", "1");
	} else {
		fx_meta(&f, "end_utc", s->start);
		fx_meta(&f, "interrupted", "0");
	}
	fx_close(&f);
	util_strfmt(s->dir, sizeof(s->dir), "%s", f.dir);
}

/* Adds a column (a newer ptbench's) to dir/file, every row value v. */
static int add_column(const char *dir, const char *file, const char *name, const char *v)
{
	char path[PATH_MAX];
	struct table t;
	struct csvw *w;
	const char **cells;
	int rc;

	util_strfmt(path, sizeof(path), "%s/%s", dir, file);
	if (table_read(path, &t) < 0)
		return -1;
	cells = calloc((size_t)t.ncols + 1, sizeof(*cells));
	memcpy(cells, t.head, (size_t)t.ncols * sizeof(*cells));
	cells[t.ncols] = name;
	unlink(path);
	rc = csvw_open(&w, path, cells, t.ncols + 1, 0);
	for (int r = 0; r < t.nrows && !rc; r++) {
		memcpy(cells, t.rows[r], (size_t)t.ncols * sizeof(*cells));
		cells[t.ncols] = v;
		rc = csvw_cells(w, cells, t.ncols + 1);
	}
	csvw_close(w);
	free(cells);
	table_free(&t);
	return rc;
}

static int read_at(const char *dir, const char *file, struct table *t)
{
	char path[PATH_MAX];

	util_strfmt(path, sizeof(path), "%s/%s", dir, file);
	return table_read(path, t);
}

/* Runs ptbench with args (NULL-terminated after argv[1]); output in log. */
static int ptbench(const char *log, char *const *args)
{
	char *argv[32];
	int n = 0;

	argv[n++] = (char *)ptb;
	for (; *args && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	return run_cmd(argv, log);
}

/* Every row of merged file m for source i, host and run dropped, is the
 * source's row, column by column by name (a column the source lacks:
 * empty). */
static void check_rows(const char *out, const char *file, int i, int *total)
{
	struct table m, s;
	int r = 0, same = 1, k = 0;

	if (read_at(out, file, &m) < 0 || read_at(srcs[i].dir, file, &s) < 0) {
		ok(0, "%s of the merge and of source %d parse", file, i);
		return;
	}
	for (int x = 0; x < m.nrows; x++) {
		if (strcmp(csv_unguard(table_get(&m, x, 0)), srcs[i].host) ||
		    strcmp(table_get(&m, x, 1), runs[i]))
			continue;
		for (int c = 2; c < m.ncols && r < s.nrows; c++)
			same &= !strcmp(table_get(&m, x, c), table_get(&s, r, table_col(&s, m.head[c])));
		r++;
		k++;
	}
	ok(same && k == s.nrows, "%s: the %d rows of %s (host %s, run %s) cell by cell (%d merged)",
	   file, s.nrows, srcs[i].host, srcs[i].host, runs[i], k);
	*total += s.nrows;
	table_free(&m);
	table_free(&s);
}

static void check_merged(const char *out)
{
	static const char *const files[] = { "trials.csv", "metrics.csv", "summary.csv", "versus.csv",
					     "claims.csv" };
	struct table t;

	for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
		int total = 0, rows = -1;

		for (size_t i = 0; i < ARRAY_SIZE(srcs); i++)
			check_rows(out, files[f], (int)i, &total);
		if (read_at(out, files[f], &t) == 0) {
			rows = t.nrows;
			ok(t.ncols > 2 && !strcmp(t.head[0], "host") && !strcmp(t.head[1], "run"),
			   "%s begins with host, run", files[f]);
			table_free(&t);
		}
		ok(rows == total, "%s has the %d rows of the sources and no other (%d)", files[f], total, rows);
	}
	if (read_at(out, "trials.csv", &t) == 0) {
		int same = t.ncols == MG_N + TR_N + 1, empty = 1, fut = 1;
		int cf = table_col(&t, "future_col"), cm = table_col(&t, trials_cols[TR_N - 1]);

		for (int c = 0; same && c < TR_N; c++)
			same = !strcmp(t.head[MG_N + c], trials_cols[c]);
		ok(same && cf == MG_N + TR_N, "trials.csv: host, run, this version's %d columns, then a newer one's",
		   TR_N);
		for (int r = 0; r < t.nrows; r++) {
			int beta = !strcmp(table_get(&t, r, 0), "beta"), calc = !strcmp(csv_unguard(table_get(&t, r, 0)), "=calc");

			empty &= !beta || !*table_get(&t, r, cm);
			fut &= calc ? !strcmp(table_get(&t, r, cf), "7") : !*table_get(&t, r, cf);
		}
		ok(empty, "the older source's missing columns are empty");
		ok(fut, "the newer column has its source's cells, the others' empty");
		ok(!strcmp(table_get(&t, t.nrows - 1, 0), "'=calc"), "a host like a formula is guarded: %s",
		   table_get(&t, t.nrows - 1, 0));
		table_free(&t);
	}
	if (read_at(out, "meta.csv", &t) == 0) {
		int srcrows = 0, complete = 0, merged = 0;

		ok(t.ncols == 4 && !strcmp(t.head[2], "key") && !strcmp(t.head[3], "value"),
		   "meta.csv: host, run, key, value");
		for (int r = 0; r < t.nrows; r++) {
			const char *k = table_get(&t, r, 2), *v = table_get(&t, r, 3);

			merged |= !strcmp(k, "merged") && !strcmp(v, "4") && !*table_get(&t, r, 0);
			srcrows += !strcmp(k, "merge_source");
			if (!strcmp(k, "merge_complete"))
				complete |= (!strcmp(v, "0") == !strcmp(table_get(&t, r, 1), "c")) << srcrows;
		}
		ok(merged && srcrows == 4, "meta.csv: merged 4, a merge_source row per source");
		ok(complete == 0x1e, "meta.csv: merge_complete 0 for the interrupted source only (%#x)", complete);
		table_free(&t);
	}
}

/* hosts.csv: per source its own summary.csv's median, the ratio to the
 * first source's and whether their CIs overlap. */
static void check_hosts(const char *out)
{
	struct table h, s[ARRAY_SIZE(srcs)];
	int good = 1, checked = 0, overlap01 = -1, overlap02 = -1;
	double ratio2 = NAN;

	if (read_at(out, "hosts.csv", &h) < 0) {
		ok(0, "hosts.csv parses");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(srcs); i++)
		read_at(srcs[i].dir, "summary.csv", &s[i]);
	{
		int head = h.ncols == HO_N + 4 * HH_N;

		for (int c = 0; head && c < HO_N; c++)
			head = !strcmp(h.head[c], hosts_cols[c]);
		for (size_t i = 0; head && i < ARRAY_SIZE(srcs); i++) {
			char want[64];

			for (int k = 0; head && k < HH_N; k++) {
				util_strfmt(want, sizeof(want), "%s%s", names[i], hosts_per_host[k]);
				head = !strcmp(csv_unguard(h.head[HO_N + (int)i * HH_N + k]), want);
			}
		}
		ok(head, "hosts.csv header: the fixed columns, then three per run, host/run for a host with two");
		ok(!strcmp(h.head[HO_N + 3 * HH_N], "'=calc"), "a host like a formula is guarded in the header (%s)",
		   h.head[HO_N + 3 * HH_N]);
	}
	ok(h.nrows == s[0].nrows, "hosts.csv: a row per series of the reference (%d, %d)", h.nrows, s[0].nrows);
	for (int r = 0; r < h.nrows; r++) {
		double m0 = NAN, lo0 = NAN, hi0 = NAN;

		for (size_t i = 0; i < ARRAY_SIZE(srcs); i++) {
			struct table *t = &s[i];
			int row = -1, base = HO_N + (int)i * HH_N;

			for (int x = 0; x < t->nrows && row < 0; x++) {
				int same = 1;

				for (int c = 0; c < HO_N && same; c++)
					same = !strcmp(table_get(t, x, table_col(t, hosts_cols[c])), table_get(&h, r, c));
				if (same)
					row = x;
			}
			if (row < 0) {
				good &= !*table_get(&h, r, base);
				continue;
			}
			double m = num(t, row, "median"), lo = num(t, row, "ci95_lo"), hi = num(t, row, "ci95_hi");

			if (i == 0) {
				m0 = m;
				lo0 = lo;
				hi0 = hi;
			}
			good &= !strcmp(table_get(&h, r, base), cell(t, row, "median"));
			good &= fabs(table_num(&h, r, base + HH_RATIO) - m / m0) < 1e-6 * m / m0;
			if (!isnan(lo) && !isnan(lo0))
				good &= table_num(&h, r, base + HH_CI_OVERLAP) == (lo <= hi0 && lo0 <= hi);
			checked++;
			if (!strcmp(table_get(&h, r, HO_METRIC), "wall_s") &&
			    !strcmp(table_get(&h, r, HO_MODE), "process") && table_num(&h, r, HO_WORKERS) == 1) {
				if (i == 1)
					overlap01 = (int)table_num(&h, r, base + HH_CI_OVERLAP);
				if (i == 2) {
					overlap02 = (int)table_num(&h, r, base + HH_CI_OVERLAP);
					ratio2 = table_num(&h, r, base + HH_RATIO);
				}
			}
		}
	}
	ok(good && checked > 3 * h.nrows, "hosts.csv: every median, ratio and overlap as the sources' own summaries say (%d cells)",
	   checked);
	ok(fabs(ratio2 - 2) < 1e-9, "beta's process wall_s at n=1 is 2x the reference's (%g)", ratio2);
	ok(overlap01 == 1 && overlap02 == 0, "a 0.1%% difference overlaps, a 2x one does not (%d, %d)", overlap01,
	   overlap02);
	for (size_t i = 0; i < ARRAY_SIZE(srcs); i++)
		table_free(&s[i]);
	table_free(&h);
}

/* claims_by_host.csv: per source its own claims.csv's verdict and
 * thread_over_process, the ratio, and whether all agree. */
static void check_claims(const char *out)
{
	struct table h, s[ARRAY_SIZE(srcs)];
	int good = 1, rows = 0;

	if (read_at(out, "claims_by_host.csv", &h) < 0) {
		ok(0, "claims_by_host.csv parses");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(srcs); i++)
		read_at(srcs[i].dir, "claims.csv", &s[i]);
	ok(h.ncols == CB_N + 4 * CH_N && !strcmp(h.head[CB_N + CH_N], "alpha/a2") &&
	   !strcmp(h.head[CB_N + 2 * CH_N + CH_THREAD_OVER_PROCESS], "beta_thread_over_process"),
	   "claims_by_host.csv header");
	for (int r = 0; r < h.nrows && r < s[0].nrows; r++, rows++) {
		int same = 1;

		good &= !strcmp(table_get(&h, r, CB_CLAIM), cell(&s[0], r, "claim"));
		for (size_t i = 0; i < ARRAY_SIZE(srcs); i++) {
			int base = CB_N + (int)i * CH_N;
			double t0 = num(&s[0], r, "thread_over_process"), t = num(&s[i], r, "thread_over_process");

			good &= !strcmp(table_get(&h, r, base + CH_VERDICT), cell(&s[i], r, "verdict"));
			good &= !strcmp(table_get(&h, r, base + CH_THREAD_OVER_PROCESS),
					cell(&s[i], r, "thread_over_process"));
			if (!isnan(t) && !isnan(t0))
				good &= fabs(table_num(&h, r, base + CH_RATIO) - t / t0) < 1e-6 * t / t0;
			else
				good &= !*table_get(&h, r, base + CH_RATIO);
			same &= !strcmp(cell(&s[i], r, "verdict"), cell(&s[0], r, "verdict"));
			/* the figure: thread_over_process, else the claim's side;
			 * its ratio to the first host's whenever both exist */
			if (isnan(t))
				t = num(&s[i], r, cell(&s[i], r, "side"));
			if (isnan(t0))
				t0 = num(&s[0], r, cell(&s[0], r, "side"));
			if (isnan(t))
				good &= !*table_get(&h, r, base + CH_FIGURE);
			else
				good &= fabs(table_num(&h, r, base + CH_FIGURE) - t) <= 1e-6 * fabs(t);
			if (!isnan(t) && !isnan(t0) && t0 != 0)
				good &= fabs(table_num(&h, r, base + CH_FIGURE_RATIO) - t / t0) <= 1e-6 * fabs(t / t0);
			else
				good &= !*table_get(&h, r, base + CH_FIGURE_RATIO);
		}
		good &= table_num(&h, r, CB_SAME_VERDICT) == same;
		if (!strcmp(table_get(&h, r, CB_CLAIM), "faster_runtime"))
			ok(!strcmp(table_get(&h, r, CB_N + CH_VERDICT), "supported") &&
			   !strcmp(table_get(&h, r, CB_N + 2 * CH_N + CH_VERDICT), "refuted") && !same,
			   "faster_runtime: supported on alpha, refuted on beta, not the same verdict (%s, %s)",
			   table_get(&h, r, CB_N + CH_VERDICT), table_get(&h, r, CB_N + 2 * CH_N + CH_VERDICT));
	}
	ok(good && rows == 9 && h.nrows == 9, "claims_by_host.csv: the nine claims, every verdict, figure, ratio and agreement as each source's claims.csv says");
	for (size_t i = 0; i < ARRAY_SIZE(srcs); i++)
		table_free(&s[i]);
	table_free(&h);
}

/* The names in a folder, sorted, as one string. */
static void listing(const char *dir, char *buf, size_t len)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t k = strlen(buf);

		util_strfmt(buf + k, len - k, "%s/", ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
}

static void bad_input(const char *tmp, const char *merged)
{
	char nores[PATH_MAX], copy[PATH_MAX], malformed[PATH_MAX], nokey[PATH_MAX], file[PATH_MAX];
	char exist[PATH_MAX], newout[PATH_MAX], log[PATH_MAX], cmd[PATH_MAX * 2];
	char *a = srcs[0].dir, *b = srcs[2].dir;
	const struct {
		const char *what;
		char *args[8];
		int code;
		const char *named;
	} cases[] = {
		{ "a folder merged with itself", { "merge", a, a, "-o", newout }, 2, a },
		{ "a folder that is not a result folder", { "merge", a, nores, "-o", newout }, 2, nores },
		{ "a folder that does not exist", { "merge", a, "/nonexistent/x", "-o", newout }, 2, "/nonexistent/x" },
		{ "a copy of a folder (the same run)", { "merge", a, copy, "-o", newout }, 2, copy },
		{ "a merged folder merged again", { "merge", (char *)merged, b, "-o", newout }, 2, merged },
		{ "a malformed trials.csv", { "merge", a, malformed, "-o", newout }, 2, "trials.csv:3" },
		{ "a trials.csv without its key columns", { "merge", a, nokey, "-o", newout }, 2, "workers" },
		{ "-o an existing folder", { "merge", a, b, "-o", exist }, 2, exist },
		{ "-o an existing file", { "merge", a, b, "-o", file }, 2, file },
		{ "merge without -o", { "merge", a, b }, 2, "-o" },
		{ "merge without folders", { "merge", "-o", newout }, 2, "merge" },
		{ "compare of a merged folder with another", { "compare", (char *)merged, a }, 2, merged },
		{ "compare of one folder that is not merged", { "compare", a }, 2, a },
		{ "compare of three folders without -o", { "compare", a, b, srcs[1].dir }, 2, "-o" },
		{ "compare -o an existing file", { "compare", a, b, "-o", file }, 2, file },
	};
	char before[8192], after[8192], text[4096];

	util_strfmt(nores, sizeof(nores), "%s/empty", tmp);
	util_strfmt(copy, sizeof(copy), "%s/copy", tmp);
	util_strfmt(malformed, sizeof(malformed), "%s/malformed", tmp);
	util_strfmt(nokey, sizeof(nokey), "%s/nokey", tmp);
	util_strfmt(file, sizeof(file), "%s/afile", tmp);
	util_strfmt(exist, sizeof(exist), "%s/exists", tmp);
	util_strfmt(newout, sizeof(newout), "%s/new", tmp);
	util_strfmt(log, sizeof(log), "%s/log", tmp);
	mkdir(nores, 0755);
	mkdir(exist, 0755);
	mkdir(log, 0755);
	util_strfmt(cmd, sizeof(cmd), "cp -r %s %s && cp -r %s %s && cp -r %s %s && echo keep > %s", a, copy, a,
		    malformed, a, nokey, file);
	ok(system(cmd) == 0, "bad folders made");
	util_strfmt(cmd, sizeof(cmd), "printf 'trial,workload,mode,workers\\r\\n1,cpu,process,1\\r\\n2,\"cpu,thread,1\\r\\n' > %s/trials.csv && sed -i 's/start_utc,.*/start_utc,2027/' %s/meta.csv %s/meta.csv && printf 'trial,workload,mode\\r\\n' > %s/trials.csv",
		    malformed, malformed, nokey, nokey);
	ok(system(cmd) == 0, "bad files made");
	listing(tmp, before, sizeof(before));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int rc = ptbench(log, cases[i].args);
		char *nl;

		slurp(log, "stderr.txt", text, sizeof(text));
		nl = strchr(text, '\n');
		listing(tmp, after, sizeof(after));
		ok(rc == cases[i].code && !strncmp(text, "ptbench: ", 9) && nl && !nl[1] &&
		   strstr(text, cases[i].named) && !strcmp(before, after),
		   "%s: exit %d, one line naming '%s', nothing made: %.*s", cases[i].what, rc, cases[i].named,
		   nl ? (int)(nl - text) : 200, text);
	}
	slurp(tmp, "afile", text, sizeof(text));
	ok(!strcmp(text, "keep\n"), "the existing file is as it was");
	listing(exist, after, sizeof(after));
	ok(!strcmp(after, "./../"), "the existing folder is as it was (empty)");
}

/* A merge stopped by a signal at any moment leaves either the whole
 * merged folder or nothing: never a half-made one under a temporary
 * name. The signal still ends it (or came too late to matter). */
static void stopped(const char *tmp)
{
	int good = 1, ended = 0;

	for (int k = 0; k < 8; k++) {
		char out[PATH_MAX], list[4096];
		char *args[] = { (char *)ptb, "merge", srcs[0].dir, srcs[1].dir, srcs[2].dir, srcs[3].dir,
				 "-o", out, NULL };
		pid_t pid;
		int st;

		util_strfmt(out, sizeof(out), "%s/stop/m", tmp);
		util_strfmt(list, sizeof(list), "rm -rf '%s/stop' && mkdir '%s/stop'", tmp, tmp);
		if (system(list) != 0)
			break;
		pid = start_cmd_as(args, tmp, NULL, -1);
		usleep((useconds_t)(k * 1500));
		kill(pid, SIGTERM);
		if (waitpid(pid, &st, 0) < 0)
			break;
		ended += WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM;
		util_strfmt(out, sizeof(out), "%s/stop", tmp);
		listing(out, list, sizeof(list));
		/* nothing, or the finished folder and nothing beside it */
		good &= !strcmp(list, "./../") || !strcmp(list, "./../m/");
		if (!good)
			diag("after SIGTERM at %.1f ms: %s", k * 1.5, list);
	}
	ok(good, "a merge stopped by SIGTERM at 8 moments: the whole folder or nothing (%d ended by it)",
	   ended);
}

int main(int argc, char **argv)
{
	char tmp[] = "/tmp/ptb-merge-XXXXXX", out[PATH_MAX], text[8192], cmd[PATH_MAX + 16];

	if (argc < 2)
		skip_all("usage: test_merge PTBENCH");
	ptb = argv[1];
	if (!mkdtemp(tmp))
		return 1;
	for (size_t i = 0; i < ARRAY_SIZE(srcs); i++)
		make_src(&srcs[i]);
	ok(*srcs[3].dir && add_column(srcs[3].dir, "trials.csv", "future_col", "7") == 0,
	   "four synthetic folders of three hosts, one older, one newer and interrupted");
	/* Each source's own analysis, to check the merge's against. */
	for (size_t i = 0; i < ARRAY_SIZE(srcs); i++) {
		char *args[] = { "analyze", srcs[i].dir, NULL };

		ok(ptbench(tmp, args) == 0, "analyze %s (host %s)", srcs[i].dir, srcs[i].host);
	}
	util_strfmt(out, sizeof(out), "%s/fleet", tmp);
	{
		char *args[] = { "merge", srcs[0].dir, srcs[1].dir, srcs[2].dir, srcs[3].dir, "-o", out, NULL };
		int rc = ptbench(tmp, args);

		slurp(tmp, "stderr.txt", text, sizeof(text));
		ok(rc == 0, "merge of the four (exit %d)", rc);
		ok(strstr(text, "warning") && strstr(text, srcs[3].dir) && strstr(text, "interrupted") &&
		   !strstr(text, srcs[0].dir), "one warning names the interrupted source: %s", text);
	}
	check_merged(out);
	{
		char *args[] = { "analyze", out, NULL };
		char before[1 << 16], after[1 << 16];

		slurp(out, "claims.csv", before, sizeof(before));
		ok(ptbench(tmp, args) == 0, "analyze of the merged folder");
		slurp(out, "claims.csv", after, sizeof(after));
		ok(*before && !strcmp(before, after), "it rebuilds the claims.csv merge wrote, byte for byte");
		slurp(tmp, "stdout.txt", text, sizeof(text));
		ok(strstr(text, "host alpha, run a1\n") && strstr(text, "host beta, run 2026-01-03T00:00:00Z\n") &&
		   strstr(text, "host =calc, run c (interrupted)\n"), "it prints the verdicts per run");
	}
	{
		char *args[] = { "compare", out, NULL };
		int rc = ptbench(tmp, args);

		slurp(tmp, "stdout.txt", text, sizeof(text));
		{
			const char *line = strstr(text, "\nfaster_runtime  supported ");
			const char *end = line ? strchr(line + 1, '\n') : NULL;
			const char *ref = line ? strstr(line, "refuted") : NULL;

			ok(rc == 0 && line && end && ref && ref < end && strstr(text, "\ncow  "),
			   "compare of the merged folder prints the verdicts and figures by host (exit %d)", rc);
		}
	}
	check_hosts(out);
	check_claims(out);
	{
		/* The same from the four folders, into another folder. */
		char other[PATH_MAX], a[1 << 16], b[1 << 16];
		char *args[] = { "compare", srcs[0].dir, srcs[1].dir, srcs[2].dir, srcs[3].dir, "-o", other, NULL };
		int rc;

		util_strfmt(other, sizeof(other), "%s/side", tmp);
		rc = ptbench(tmp, args);
		slurp(out, "hosts.csv", a, sizeof(a));
		slurp(other, "hosts.csv", b, sizeof(b));
		listing(other, text, sizeof(text));
		ok(rc == 0 && *a && !strcmp(a, b), "compare of the four folders writes the same hosts.csv (exit %d)", rc);
		ok(!strcmp(text, "./../claims_by_host.csv/hosts.csv/"), "and nothing else in -o (%s)", text);
	}
	bad_input(tmp, out);
	stopped(tmp);
	for (size_t i = 0; i < ARRAY_SIZE(srcs); i++) {
		util_strfmt(cmd, sizeof(cmd), "rm -rf %s", srcs[i].dir);
		if (system(cmd))
			diag("cannot remove %s", srcs[i].dir);
	}
	util_strfmt(cmd, sizeof(cmd), "rm -rf %s", tmp);
	if (system(cmd))
		diag("cannot remove %s", tmp);
	return done_testing();
}
