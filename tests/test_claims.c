/* test_claims.c - every claim decided on small fixture result folders,
 * one folder per verdict branch, through the same analysis a run uses. */
#include <math.h>
#include <string.h>

#include "claims.h"
#include "e2e.h"
#include "fixture.h"
#include "report.h"

/* The verdict of a claim in dir/claims.csv (analysed first). */
static const char *verdict(const char *dir, const char *claim, char *buf, size_t len)
{
	char err[256], path[PATH_MAX];
	struct table t;

	buf[0] = '\0';
	if (report_dir(dir, -1, err, sizeof(err)) < 0) {
		diag("report_dir: %s", err);
		return buf;
	}
	util_strfmt(path, sizeof(path), "%s/claims.csv", dir);
	if (table_read(path, &t) < 0)
		return buf;
	for (int r = 0; r < t.nrows; r++)
		if (!strcmp(cell(&t, r, "claim"), claim)) {
			util_strfmt(buf, len, "%s", cell(&t, r, "verdict"));
			if (!*cell(&t, r, "evidence"))
				util_strfmt(buf, len, "(no evidence)");
		}
	table_free(&t);
	return buf;
}

static void expect(const char *dir, const char *claim, const char *want, const char *why)
{
	char got[64];

	verdict(dir, claim, got, sizeof(got));
	ok(!strcmp(got, want), "%s: %s (%s) - got %s", claim, want, why, got);
}

/* Both modes of a cell: process values, then thread values. */
static void both(struct fx *f, const char *wl, const char *params, int n, int traced,
		 const char *pcols, const char *pmet, const char *tcols, const char *tmet)
{
	fx_cell(f, wl, params, "process", n, 3, traced, pcols, pmet);
	fx_cell(f, wl, params, "thread", n, 3, traced, tcols, tmet);
}

/* dir analysed, claims.csv in t: the row of claim, or -1. */
static int claim_row(const char *dir, const char *claim, struct table *t)
{
	char err[256], path[PATH_MAX];

	if (report_dir(dir, -1, err, sizeof(err)) < 0) {
		diag("report_dir: %s", err);
		return -1;
	}
	util_strfmt(path, sizeof(path), "%s/claims.csv", dir);
	if (table_read(path, t) < 0)
		return -1;
	for (int r = 0; r < t->nrows; r++)
		if (!strcmp(cell(t, r, "claim"), claim))
			return r;
	table_free(t);
	return -1;
}

/* One cell's repetitions 1..n, process then thread: thread values are the
 * process ones times ratio[k] (the pairs' ratios). */
static void paired(struct fx *f, const char *wl, const char *params, int workers,
		   const char *cols, const double *ratio, int n)
{
	for (int k = 0; k < n; k++) {
		fx_trial(f, wl, params, "process", workers, k + 1, 0, cols, NULL, 1);
		fx_trial(f, wl, params, "thread", workers, k + 1, 0, cols, NULL, ratio[k]);
	}
}

/* Imprecise comparisons never make "no difference". */
static void inconclusive(void)
{
	static const double wide[] = { 0.9, 1.0, 1.1, 0.95, 1.05 }, lower[] = { 0.5, 0.6, 0.7 },
			    higher[] = { 1.5, 1.7, 1.9 }, exact[] = { 1, 1, 1 };
	struct table t;
	struct fx f;
	int r;

	/* Every interval across the band: inconclusive, not no_difference. */
	fx_open(&f);
	paired(&f, "spawn", "heap=0", 2, "spawn_s=0.001;join_s=0.0005", wide, 5);
	paired(&f, "pingpong", "rounds=1", 2, "", wide, 5);
	fx_close(&f);
	expect(f.dir, "faster_runtime", "inconclusive", "every interval across the band's edge");
	if ((r = claim_row(f.dir, "faster_runtime", &t)) >= 0) {
		ok(strstr(cell(&t, r, "evidence"), "2 of 2 imprecise") &&
		   strstr(cell(&t, r, "evidence"), "Precision: the intervals reach"),
		   "inconclusive: the evidence states the precision (%s)", cell(&t, r, "evidence"));
		table_free(&t);
	}
	rmtree(f.dir);

	/* One lower, one higher, both wide: they cancel, nothing precise. */
	fx_open(&f);
	paired(&f, "spawn", "heap=0", 2, "spawn_s=0.001", lower, 3);
	paired(&f, "spawn", "heap=64M", 2, "spawn_s=0.001", higher, 3);
	fx_close(&f);
	expect(f.dir, "faster_runtime", "inconclusive", "one each way, both imprecise");
	rmtree(f.dir);

	/* The same, plus one precise comparison inside the band. */
	fx_open(&f);
	paired(&f, "spawn", "heap=0", 2, "spawn_s=0.001", lower, 3);
	paired(&f, "spawn", "heap=64M", 2, "spawn_s=0.001", higher, 3);
	paired(&f, "spawn", "heap=1G", 2, "spawn_s=0.001", exact, 3);
	fx_close(&f);
	expect(f.dir, "faster_runtime", "no_difference", "one each way, one precisely the same");
	rmtree(f.dir);

	/* parallel: a thread speedup whose interval crosses 1 + noise. */
	fx_open(&f);
	{
		static const double sp[] = { 0.9, 1.2, 1.0, 1.3, 0.95 };

		for (int k = 0; k < 5; k++)
			for (int m = 0; m < 2; m++) {
				const char *mode = m ? "thread" : "process";

				fx_trial(&f, "cpu", "total=1", mode, 1, k + 1, 0, "ops_per_s=100", NULL, 1);
				fx_trial(&f, "cpu", "total=1", mode, 2, k + 1, 0, "ops_per_s=100", NULL, sp[k]);
			}
	}
	fx_close(&f);
	expect(f.dir, "parallel", "inconclusive", "a speedup interval across 1 + noise");
	rmtree(f.dir);
}

/* The row's numbers represent the decision: a median comparison, its
 * effect, how many, and a headline; no ratio of unlike things. */
static void headlines(void)
{
	static const double same[] = { 0.99, 0.99, 0.99 }, less[] = { 0.62, 0.62, 0.62 };
	static const char *const heaps[] = { "heap=64M", "heap=256M", "heap=1G" };
	struct table t;
	struct fx f;
	int r;

	fx_open(&f);
	/* less_memory: seven comparisons, six 0.99, one 0.62. */
	paired(&f, "spawn", "heap=0", 2, "pss_kib=1000;pte_kib=100", less, 3);
	for (int i = 0; i < 3; i++)
		paired(&f, "spawn", heaps[i], 2, "pss_kib=100000;pte_kib=400", same, 3);
	paired(&f, "sharedread", "table=64M", 2, "pss_kib=66000;pte_kib=300;rss_sum_kib=200000", same, 3);
	paired(&f, "cow", "write=0.25", 2, "pss_kib=99000;pte_kib=300", same, 3);
	paired(&f, "cow", "write=0.5", 2, "pss_kib=130000;pte_kib=300", same, 3);
	/* cow: process faults per page written; a thread's are not copies. */
	both(&f, "cow", "write=0.25", 2, 0, NULL, "pages_written=4096;faults_per_worker=4096",
	     NULL, "pages_written=4096;faults_per_worker=4096");
	both(&f, "cow", "write=0.5", 2, 0, NULL, "pages_written=8192;faults_per_worker=8600",
	     NULL, "pages_written=8192;faults_per_worker=8192");
	/* sync_need: processes' "lost" updates are private copies. */
	both(&f, "counter", "sync=none", 2, 0, "ops=2000000", "lost_updates=2000000;invisible_updates=2000000",
	     "ops=2000000", "lost_updates=308220;invisible_updates=0");
	fx_close(&f);

	if ((r = claim_row(f.dir, "less_memory", &t)) >= 0) {
		ok(!strcmp(cell(&t, r, "verdict"), "supported") && num(&t, r, "comparisons") == 7 &&
		   fabs(num(&t, r, "thread_over_process") - 0.99) < 1e-6 &&
		   !strcmp(cell(&t, r, "effect"), "negligible"),
		   "less_memory: supported by 1 of 7, the row shows the median 0.99, negligible (%s, %g, %s)",
		   cell(&t, r, "verdict"), num(&t, r, "thread_over_process"), cell(&t, r, "effect"));
		ok(!strcmp(cell(&t, r, "headline"),
			   "Threads use less memory in 1 of 7 comparisons, more in 0; median thread/process 0.99"),
		   "less_memory headline: %s", cell(&t, r, "headline"));
		table_free(&t);
	}
	if ((r = claim_row(f.dir, "faster_runtime", &t)) >= 0) {
		ok(!strcmp(cell(&t, r, "verdict"), "not_measured") && num(&t, r, "comparisons") == 0 &&
		   !*cell(&t, r, "effect") && !strncmp(cell(&t, r, "headline"), "Not measured: needs", 19),
		   "faster_runtime: no spawn_s, no verdict, no effect (%s)", cell(&t, r, "headline"));
		table_free(&t);
	}
	if ((r = claim_row(f.dir, "sync_need", &t)) >= 0) {
		ok(!*cell(&t, r, "process") && fabs(num(&t, r, "thread") / 308220 - 1) < 0.01 &&
		   !*cell(&t, r, "thread_over_process") && !*cell(&t, r, "effect") &&
		   !strcmp(cell(&t, r, "metric"), "lost_updates") && num(&t, r, "comparisons") == 1,
		   "sync_need: threads' lost updates alone, no ratio with processes' private copies");
		ok(strstr(cell(&t, r, "headline"), "(15.4%) to races; processes updated private copies") != NULL,
		   "sync_need headline: %s", cell(&t, r, "headline"));
		table_free(&t);
	}
	if ((r = claim_row(f.dir, "cow", &t)) >= 0) {
		ok(!strcmp(cell(&t, r, "verdict"), "supported") && fabs(num(&t, r, "process") / 8600 - 1) < 0.01 &&
		   !*cell(&t, r, "thread") && !*cell(&t, r, "thread_over_process") &&
		   num(&t, r, "comparisons") == 2,
		   "cow: the cell farthest from one fault a page (8600 for 8192), no thread figure");
		ok(strstr(cell(&t, r, "headline"), "1.05 faults a page") &&
		   strstr(cell(&t, r, "headline"), "2 of 2 cells within 10% of one"),
		   "cow headline: %s", cell(&t, r, "headline"));
		table_free(&t);
	}
	rmtree(f.dir);

	/* faster_runtime: the median of eleven, not the most extreme. */
	fx_open(&f);
	{
		static const char *const sizes[] = { "heap=0", "heap=1M", "heap=2M", "heap=4M",
			"heap=8M", "heap=16M", "heap=32M", "heap=64M", "heap=128M", "heap=256M", "heap=1G" };
		static const double ratios[] = { 0.0068, 0.03, 0.06, 0.1, 0.2, 0.3, 0.5, 0.9, 0.95, 1, 1.2 };

		for (int i = 0; i < 11; i++) {
			double rr[3] = { ratios[i], ratios[i], ratios[i] };

			paired(&f, "spawn", sizes[i], 2, "spawn_s=0.001", rr, 3);
		}
	}
	fx_close(&f);
	if ((r = claim_row(f.dir, "faster_runtime", &t)) >= 0) {
		ok(!strcmp(cell(&t, r, "verdict"), "supported") && num(&t, r, "comparisons") == 11 &&
		   fabs(num(&t, r, "thread_over_process") - 0.3) < 1e-6 &&
		   !strcmp(cell(&t, r, "effect"), "large"),
		   "faster_runtime: the row shows the median 0.3 of eleven, not 0.0068 (%g, %s)",
		   num(&t, r, "thread_over_process"), cell(&t, r, "effect"));
		ok(!strcmp(cell(&t, r, "headline"),
			   "Threads faster in 9 of 11 comparisons, slower in 1; median thread/process 0.3"),
		   "faster_runtime headline: %s", cell(&t, r, "headline"));
		table_free(&t);
	}
	rmtree(f.dir);
}

static const char *const cowops_threads =
	"faults_read_only=0;faults_write_global=0;faults_write_heap=0;faults_malloc_small=0;"
	"faults_malloc_large=1;faults_call_shallow=0;faults_call_deep=0";


/* ---- Every workload against every claim decider ---- */

/* name=value for every common metric read from `src` rows and every metric
 * the workload declares, thread values twice the process ones. */
static void walk_values(const struct workload *wl, enum metric_src src, int thread,
			char *cols, char *mets, size_t len)
{
	double v = thread ? 2 : 1;

	cols[0] = mets[0] = '\0';
	for (const struct common_metric *c = common_metrics; c->m.name; c++)
		if (c->src == src)
			util_strfmt(cols + strlen(cols), len - strlen(cols), "%s=%g;", c->m.name, v);
	if (src == SRC_TRACED) {
		/* The burst columns beyond the metrics: a median's CI, preemption. */
		util_strfmt(cols + strlen(cols), len - strlen(cols),
		       "burst_p50_lo_us=%g;burst_p50_hi_us=%g;burst_preempted_frac=0.1", 0.9 * v, 1.1 * v);
		return;
	}
	for (const struct metric *m = wl->metrics; m && m->name; m++)
		util_strfmt(mets + strlen(mets), len - strlen(mets), "%s=%g;", m->name, v);
}

/* Every cell a decider may look for: default parameters, each choice of
 * a choice parameter, two sizes of a size parameter; 1 and 2 workers,
 * both modes, untraced and traced. */
static void walk_workload(struct fx *f, const struct workload *wl)
{
	char sets[32][64], cols[1024], mets[1024];
	int n = 1;

	sets[0][0] = '\0';
	for (const struct param *p = wl->params; p && p->name; p++) {
		if (p->type == PT_CHOICE) {
			char choices[128], *save, *c;

			util_strfmt(choices, sizeof(choices), "%s", p->choices);
			for (c = strtok_r(choices, "|", &save); c && n < 30; c = strtok_r(NULL, "|", &save))
				util_strfmt(sets[n++], sizeof(sets[0]), "%s=%s", p->name, c);
		} else if (p->type == PT_SIZE && n < 30) {
			util_strfmt(sets[n++], sizeof(sets[0]), "%s=1M", p->name);
			util_strfmt(sets[n++], sizeof(sets[0]), "%s=2M", p->name);
		}
	}
	for (int i = 0; i < n; i++)
		for (int w = 1; w <= 2; w++)
			for (int m = 0; m < MODE_N; m++) {
				const char *mode = m ? "thread" : "process";

				walk_values(wl, SRC_UNTRACED, m, cols, mets, sizeof(cols));
				fx_cell(f, wl->name, sets[i], mode, w, 3, 0, cols, mets);
				walk_values(wl, SRC_TRACED, m, cols, mets, sizeof(cols));
				fx_cell(f, wl->name, sets[i], mode, w, 3, 1, cols, NULL);
			}
}

/* The claims decided from a folder of every workload but `skip`. */
static int walk_decide(const struct workload *skip, struct claim_out *out)
{
	struct dataset d;
	struct fx f;
	char err[256];
	int rc;

	if (fx_open(&f) < 0)
		return -1;
	for (int i = 0; workloads[i]; i++)
		if (workloads[i] != skip)
			walk_workload(&f, workloads[i]);
	fx_close(&f);
	rc = dataset_load(f.dir, &d, err, sizeof(err));
	if (rc == 0) {
		claims_decide(&d, 0.03, out);
		dataset_free(&d);
	} else {
		diag("dataset_load: %s", err);
	}
	rmtree(f.dir);
	return rc;
}

static int same_out(const struct claim_out *a, const struct claim_out *b)
{
	return a->verdict == b->verdict && !strcmp(a->evidence, b->evidence) &&
	       !strcmp(a->workload, b->workload) && !strcmp(a->metric, b->metric);
}

/* A workload lists a claim exactly when that claim's decider reads it:
 * taking the workload's data away changes the claim's row. */
static void walk(void)
{
	static struct claim_out all[CLAIM_N], less[CLAIM_N];

	if (walk_decide(NULL, all) < 0) {
		ok(0, "the walk's folder loads");
		return;
	}
	for (int c = 0; c < CLAIM_N; c++)
		ok(all[c].verdict != V_NOT_MEASURED || !strncmp(all[c].evidence, "the control", 11),
		   "walk: with every workload, %s is decided (%s: %.80s)", claims_name(c),
		   claims_verdict_name(all[c].verdict), all[c].evidence);
	for (int i = 0; workloads[i]; i++) {
		const struct workload *wl = workloads[i];
		char listed[256] = "", read[256] = "";

		if (walk_decide(wl, less) < 0)
			continue;
		for (int c = 0; c < CLAIM_N; c++) {
			if (wl->claims & CLAIM_BIT(c))
				util_strfmt(listed + strlen(listed), sizeof(listed) - strlen(listed), " %s",
				       claims_name(c));
			if (!same_out(&all[c], &less[c]))
				util_strfmt(read + strlen(read), sizeof(read) - strlen(read), " %s",
				       claims_name(c));
		}
		ok(!strcmp(listed, read), "walk: %s lists the claims that read it (lists:%s; read by:%s)",
		   wl->name, listed, read);
	}
}

/* The cells of modes_sentences' folders: process, thread, shared, exec
 * trials.csv columns (NULL: no column) and metrics. */
struct cell4 {
	const char *wl, *params;
	int workers, traced;
	const char *cols[4], *metrics[4];
};

static const struct cell4 cells4[] = {
	{ "spawn", "heap=0", 2, 0,
	  { "spawn_s=0.001;pss_kib=2000;pte_kib=200", "spawn_s=0.0002;pss_kib=1000;pte_kib=100",
	    "spawn_s=0.0008;pss_kib=1100;pte_kib=100", "spawn_s=0.0005;pss_kib=2000;pte_kib=200" }, { NULL } },
	{ "spawn", "heap=1G", 2, 0,
	  { "spawn_s=0.04;pss_kib=2000;pte_kib=200", "spawn_s=0.001;pss_kib=1000;pte_kib=100",
	    "spawn_s=0.002;pss_kib=1100;pte_kib=100", "spawn_s=0.0006;pss_kib=2000;pte_kib=200" }, { NULL } },
	{ "cpu", "total=1", 1, 0, { "ops_per_s=100", "ops_per_s=100", "ops_per_s=100", "ops_per_s=100" }, { NULL } },
	{ "cpu", "total=1", 2, 0, { "ops_per_s=195", "ops_per_s=196", "ops_per_s=194", "ops_per_s=195" }, { NULL } },
	{ "burst", "compute_us=2000", 2, 1,
	  { "burst_n=100;burst_p50_us=2000", "burst_n=100;burst_p50_us=2000",
	    "burst_n=100;burst_p50_us=2000", "burst_n=100;burst_p50_us=2000" }, { NULL } },
	{ "counter", "sync=none", 2, 0, { NULL },
	  { "lost_updates=1000;ops=2000;invisible_updates=1000", "lost_updates=700;ops=2000",
	    "lost_updates=650;ops=2000", "lost_updates=1000;ops=2000" } },
	{ "crash", "fault=segv", 4, 0, { NULL },
	  { "survivors=3;work_done_frac=0.9;detect_ms=0.5", "survivors=0;work_done_frac=0.5;detect_ms=0.7",
	    "survivors=3;work_done_frac=0.9;detect_ms=0.5", "survivors=3;work_done_frac=0.9;detect_ms=0.5" } },
	{ "cow", "heap=64M;write=0.5", 2, 0, { NULL },
	  { "pages_written=8192;faults_per_worker=8192", "pages_written=8192;faults_per_worker=8300",
	    "pages_written=8192;faults_per_worker=8400", "pages_written=8192;faults_per_worker=8192" } },
};

/* Evidence with every ". Other modes, ..." sentence cut out (each ends
 * where the next sentence of its own begins: ". Precision", ". Noise" or
 * the end). */
static void cut_modes(char *e)
{
	char *at;

	while ((at = strstr(e, ". Other modes, "))) {
		char *end = strstr(at + 2, ". Noise");
		char *prec = strstr(at + 2, ". Precision");

		end = prec && (!end || prec < end) ? prec : end;
		memmove(at, end ? end : at + strlen(at), strlen(end ? end : at + strlen(at)) + 1);
	}
}

/* With shared and exec in the folder each claim's evidence gains one
 * sentence on what they isolate (cow_ops: none, no cowops ran); without
 * them it has none, and cut out of the four-mode evidence the rest is the
 * two-mode claims.csv, column for column. */
static void modes_sentences(void)
{
	static const struct {
		const char *claim, *says;
	} want[] = {
		{ "faster_runtime", "posix_spawn (exec) 601 us" },
		{ "faster_runtime", "the cost follows the copied page tables, not process isolation" },
		{ "parallel", "fork with shared data (shared) speedup 1.94x" },
		{ "less_memory", "fork with shared data (shared) 1.17 MiB" },
		{ "longer_bursts", "the length follows the workload, not how workers share or start" },
		{ "sync_need", "processes sharing memory (shared) lost 651 as threads did (701): the race comes from sharing, not from threads" },
		{ "complexity", "spawned processes (exec) lost 1002" },
		{ "crash_all", "shared and exec workers survived like processes: isolation, not sharing, decides" },
		{ "cow", "copies what it modifies by hand, as a thread does: 8417 faults for 8208 pages written (threads 8317); a forked child took 8208, copied on write" },
		{ "cow", "exec 501 us to 601 us" },
	};
	struct fx four, two;
	struct table t4, t2;
	char err[256], path[PATH_MAX];

	fx_open(&four);
	fx_open(&two);
	for (size_t i = 0; i < ARRAY_SIZE(cells4); i++) {
		const struct cell4 *c = &cells4[i];

		fx_cell4(&four, c->wl, c->params, c->workers, 3, c->traced, c->cols, c->metrics);
		for (int m = 0; m < 2; m++)
			fx_cell(&two, c->wl, c->params, m ? "thread" : "process", c->workers, 3, c->traced,
				c->cols[m], c->metrics[m]);
	}
	fx_close(&four);
	fx_close(&two);
	util_strfmt(path, sizeof(path), "%s/claims.csv", four.dir);
	if (report_dir(four.dir, -1, err, sizeof(err)) < 0 || table_read(path, &t4) < 0) {
		ok(0, "modes: four modes analysed: %s", err);
		goto out;
	}
	util_strfmt(path, sizeof(path), "%s/claims.csv", two.dir);
	if (report_dir(two.dir, -1, err, sizeof(err)) < 0 || table_read(path, &t2) < 0) {
		ok(0, "modes: two modes analysed: %s", err);
		table_free(&t4);
		goto out;
	}
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		for (int r = 0; r < t4.nrows; r++)
			if (!strcmp(cell(&t4, r, "claim"), want[i].claim))
				ok(strstr(cell(&t4, r, "evidence"), want[i].says) != NULL,
				   "modes: %s says \"%s\"%s%s", want[i].claim, want[i].says,
				   strstr(cell(&t4, r, "evidence"), want[i].says) ? "" : ": ",
				   strstr(cell(&t4, r, "evidence"), want[i].says) ? "" : cell(&t4, r, "evidence"));
	ok(t4.nrows == CLAIM_N && t2.nrows == CLAIM_N, "modes: a row a claim in both folders");
	for (int r = 0; r < t2.nrows && r < t4.nrows; r++) {
		static char e[8192];
		int same = 1;

		util_strfmt(e, sizeof(e), "%s", cell(&t4, r, "evidence"));
		cut_modes(e);
		for (int c = 0; c < t2.ncols; c++)
			same &= !strcmp(cell(&t2, r, t2.head[c]),
					!strcmp(t2.head[c], "evidence") ? e : cell(&t4, r, t2.head[c]));
		ok(same && !strstr(cell(&t2, r, "evidence"), "Other modes") &&
		   !strstr(cell(&t4, r, "evidence"), ". Other modes, ") == !strcmp(cell(&t4, r, "claim"), "cow_ops"),
		   "modes: %s: %s with four modes, none with two, the rest alike", cell(&t2, r, "claim"),
		   strcmp(cell(&t4, r, "claim"), "cow_ops") ? "one sentence more" : "no cowops, no sentence");
	}
	table_free(&t4);
	table_free(&t2);
out:
	rmtree(four.dir);
	rmtree(two.dir);
}

int main(void)
{
	struct fx f;

	modes_sentences();

	/* Nothing ran: every claim not_measured, with a reason. */
	if (fx_open(&f) < 0)
		return 1;
	fx_close(&f);
	{
		static const char *const all[] = { "faster_runtime", "parallel", "less_memory",
			"longer_bursts", "sync_need", "complexity", "crash_all", "cow", "cow_ops" };

		for (size_t i = 0; i < ARRAY_SIZE(all); i++)
			expect(f.dir, all[i], "not_measured", "no trials");
	}
	rmtree(f.dir);

	/* Threads better where the note says they are. */
	fx_open(&f);
	both(&f, "spawn", "heap=0", 2, 0, "spawn_s=0.001;join_s=0.0005;pss_kib=2000;pte_kib=200", NULL,
	     "spawn_s=0.0002;join_s=0.0001;pss_kib=1000;pte_kib=100", NULL);
	both(&f, "cpu", "total=1", 1, 0, "ops_per_s=100", NULL, "ops_per_s=100", NULL);
	both(&f, "cpu", "total=1", 2, 0, "ops_per_s=195", NULL, "ops_per_s=196", NULL);
	both(&f, "sharedread", "table=64M", 2, 0, "pss_kib=70000;pte_kib=600;rss_sum_kib=200000", NULL,
	     "pss_kib=40000;pte_kib=200;rss_sum_kib=40000", NULL);
	both(&f, "burst", "compute_us=2000", 2, 1,
	     "burst_n=1000;burst_p50_us=1000;burst_p50_lo_us=990;burst_p50_hi_us=1010;burst_preempted_frac=0.1", NULL,
	     "burst_n=1000;burst_p50_us=2000;burst_p50_lo_us=1980;burst_p50_hi_us=2020;burst_preempted_frac=0.1", NULL);
	both(&f, "counter", "sync=none", 2, 0, "ops=2000000", "lost_updates=2000000;invisible_updates=2000000",
	     "ops=2000000", "lost_updates=900000;invisible_updates=0");
	both(&f, "crash", "fault=segv", 4, 0, NULL, "survivors=3;work_done_frac=0.875;detect_ms=0.6",
	     NULL, "survivors=0;work_done_frac=0.5;detect_ms=0.7");
	both(&f, "cow", "write=0.25", 2, 0, "pss_kib=100000;pte_kib=600", "pages_written=4096;faults_per_worker=4096",
	     "pss_kib=99000;pte_kib=300", "pages_written=4096;faults_per_worker=4096");
	both(&f, "cowops", "pages=64", 2, 0, NULL,
	     "faults_read_only=0;faults_write_global=1;faults_write_heap=1;faults_malloc_small=0.97;"
	     "faults_malloc_large=1;faults_call_shallow=0;faults_call_deep=1", NULL, cowops_threads);
	fx_close(&f);
	expect(f.dir, "faster_runtime", "supported", "thread spawn 5x faster");
	expect(f.dir, "parallel", "supported", "speedup 1.96 with tight CIs");
	expect(f.dir, "less_memory", "supported", "threads half the PSS");
	expect(f.dir, "longer_bursts", "supported", "thread bursts twice as long");
	expect(f.dir, "sync_need", "supported", "threads lost updates");
	expect(f.dir, "complexity", "supported", "proxy: lost updates");
	expect(f.dir, "crash_all", "supported", "no thread survived");
	expect(f.dir, "cow", "supported", "one fault a page written");
	expect(f.dir, "cow_ops", "supported", "variable, malloc and call copy");
	{
		/* Each claim's headline columns. */
		static const struct {
			const char *claim;
			int comparisons;
			const char *effect, *headline;
		} rows[] = {
			{ "faster_runtime", 2, "large", "Threads faster in 2 of 2 comparisons, slower in 0; median thread/process 0.2" },
			{ "parallel", 1, "negligible", "With 2 workers threads ran 1.96x as fast as one, processes 1.95x" },
			{ "less_memory", 3, "large", "Threads use less memory in 2 of 3 comparisons, more in 0; median thread/process 0.569" },
			{ "longer_bursts", 1, "large", "Thread bursts longer in 1 of 1 comparisons, shorter in 0; median thread/process 2" },
			{ "sync_need", 1, "", "Unsynchronized threads lost 901800 of 2004000 updates (45.0%) to races; processes updated private copies" },
			{ "complexity", 1, "", "Proxy: unsynchronized threads lost 901800 of 2004000 updates (45.0%) to races; processes updated private copies" },
			{ "crash_all", 1, "large", "One worker's segv: 0 of 4 threads survived, 3 of 4 processes" },
			{ "cow", 1, "", "A forked child took 1.00 faults a page it wrote (at write=0.25); 1 of 1 cells within 10% of one" },
			{ "cow_ops", 7, "large", "In a forked child these copy a page: changing a variable yes, allocating yes, calling a function yes (each against a thread doing the same)" },
		};
		struct table t;
		int r;

		for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
			if ((r = claim_row(f.dir, rows[i].claim, &t)) < 0)
				continue;
			ok(num(&t, r, "comparisons") == rows[i].comparisons &&
			   !strcmp(cell(&t, r, "effect"), rows[i].effect) &&
			   !strcmp(cell(&t, r, "headline"), rows[i].headline),
			   "%s: %s comparisons, effect '%s', headline '%s'", rows[i].claim,
			   cell(&t, r, "comparisons"), cell(&t, r, "effect"), cell(&t, r, "headline"));
			table_free(&t);
		}
	}
	rmtree(f.dir);

	/* The opposite of each. */
	fx_open(&f);
	both(&f, "spawn", "heap=0", 2, 0, "spawn_s=0.001;join_s=0.0005;pss_kib=1000;pte_kib=100", NULL,
	     "spawn_s=0.002;join_s=0.001;pss_kib=2000;pte_kib=200", NULL);
	both(&f, "cpu", "total=1", 1, 0, "ops_per_s=100", NULL, "ops_per_s=100", NULL);
	both(&f, "cpu", "total=1", 2, 0, "ops_per_s=100", NULL, "ops_per_s=99", NULL);
	both(&f, "burst", "compute_us=2000", 2, 1,
	     "burst_n=1000;burst_p50_us=2000;burst_p50_lo_us=1980;burst_p50_hi_us=2020;burst_preempted_frac=0.1", NULL,
	     "burst_n=1000;burst_p50_us=1000;burst_p50_lo_us=990;burst_p50_hi_us=1010;burst_preempted_frac=0.1", NULL);
	both(&f, "counter", "sync=none", 2, 0, "ops=2000000", "lost_updates=2000000;invisible_updates=2000000",
	     "ops=2000000", "lost_updates=0;invisible_updates=0");
	both(&f, "crash", "fault=segv", 4, 0, NULL, "survivors=3;work_done_frac=0.875;detect_ms=0.6",
	     NULL, "survivors=3;work_done_frac=0.875;detect_ms=0.7");
	both(&f, "cow", "write=0.25", 2, 0, NULL, "pages_written=4096;faults_per_worker=1200",
	     NULL, "pages_written=4096;faults_per_worker=4096");
	both(&f, "cowops", "pages=64", 2, 0, NULL,
	     "faults_read_only=0;faults_write_global=0;faults_write_heap=0;faults_malloc_small=0;"
	     "faults_malloc_large=1;faults_call_shallow=0;faults_call_deep=0", NULL, cowops_threads);
	fx_close(&f);
	expect(f.dir, "faster_runtime", "refuted", "thread spawn 2x slower");
	expect(f.dir, "parallel", "refuted", "no speedup, tight CIs");
	expect(f.dir, "less_memory", "refuted", "threads twice the PSS");
	expect(f.dir, "longer_bursts", "refuted", "thread bursts half as long");
	expect(f.dir, "sync_need", "refuted", "nothing lost");
	expect(f.dir, "complexity", "refuted", "nothing lost");
	expect(f.dir, "crash_all", "refuted", "threads survived");
	expect(f.dir, "cow", "refuted", "faults far from pages written");
	expect(f.dir, "cow_ops", "refuted", "no write copies");
	rmtree(f.dir);

	/* No difference, and undecided. */
	fx_open(&f);
	both(&f, "spawn", "heap=0", 2, 0, "spawn_s=0.001;join_s=0.0005;pss_kib=1000;pte_kib=100", NULL,
	     "spawn_s=0.001;join_s=0.0005;pss_kib=1000;pte_kib=100", NULL);
	fx_cell(&f, "cpu", "total=1", "process", 1, 1, 0, "ops_per_s=100", NULL);
	fx_cell(&f, "cpu", "total=1", "thread", 1, 1, 0, "ops_per_s=100", NULL);
	fx_cell(&f, "cpu", "total=1", "process", 2, 1, 0, "ops_per_s=190", NULL);
	fx_cell(&f, "cpu", "total=1", "thread", 2, 1, 0, "ops_per_s=190", NULL);
	both(&f, "burst", "compute_us=2000", 2, 1,
	     "burst_n=1000;burst_p50_us=2000;burst_p50_lo_us=1990;burst_p50_hi_us=2010", NULL,
	     "burst_n=1000;burst_p50_us=2001;burst_p50_lo_us=1991;burst_p50_hi_us=2011", NULL);
	both(&f, "cowops", "pages=64", 2, 0, NULL,
	     "faults_read_only=1;faults_write_global=1;faults_write_heap=1;faults_malloc_small=1;"
	     "faults_malloc_large=1;faults_call_shallow=0;faults_call_deep=1", NULL, cowops_threads);
	fx_close(&f);
	expect(f.dir, "faster_runtime", "no_difference", "same spawn time");
	expect(f.dir, "less_memory", "no_difference", "same PSS");
	expect(f.dir, "longer_bursts", "no_difference", "same median burst");
	expect(f.dir, "parallel", "not_measured", "one repetition: no CI");
	expect(f.dir, "cow_ops", "not_measured", "the control faulted");
	rmtree(f.dir);

	/* Two traced trials a mode: too few for the run-to-run part. */
	fx_open(&f);
	fx_cell(&f, "burst", "compute_us=2000", "process", 2, 2, 1,
		"burst_n=1000;burst_p50_us=1000;burst_p50_lo_us=990;burst_p50_hi_us=1010", NULL);
	fx_cell(&f, "burst", "compute_us=2000", "thread", 2, 2, 1,
		"burst_n=1000;burst_p50_us=2000;burst_p50_lo_us=1980;burst_p50_hi_us=2020", NULL);
	/* An interval across the edge of the noise band: inconclusive. */
	fx_cell(&f, "spawn", "heap=0", "process", 2, 3, 0, "spawn_s=0.001;pss_kib=1000;pte_kib=100", NULL);
	fx_trial(&f, "spawn", "heap=0", "thread", 2, 1, 0, "spawn_s=0.00098;pss_kib=1000;pte_kib=100", NULL, 1);
	fx_trial(&f, "spawn", "heap=0", "thread", 2, 2, 0, "spawn_s=0.0009;pss_kib=1000;pte_kib=100", NULL, 1);
	fx_trial(&f, "spawn", "heap=0", "thread", 2, 3, 0, "spawn_s=0.00105;pss_kib=1000;pte_kib=100", NULL, 1);
	/* One crash trial where threads survived refutes "all die". */
	both(&f, "crash", "fault=segv", 4, 0, NULL, "survivors=3;work_done_frac=0.875;detect_ms=0.6",
	     NULL, "survivors=0;work_done_frac=0.5;detect_ms=0.7");
	fx_cell(&f, "crash", "fault=segv", "thread", 4, 1, 0, NULL, "survivors=3;work_done_frac=0.8;detect_ms=0.7");
	fx_close(&f);
	expect(f.dir, "longer_bursts", "not_measured", "two traced trials a mode");
	expect(f.dir, "faster_runtime", "inconclusive", "an interval across the band's edge");
	{
		char path[PATH_MAX], winner[32] = "";
		struct table t;

		util_strfmt(path, sizeof(path), "%s/versus.csv", f.dir);
		if (table_read(path, &t) == 0) {
			for (int r = 0; r < t.nrows; r++)
				if (!strcmp(cell(&t, r, "workload"), "spawn") &&
				    !strcmp(cell(&t, r, "metric"), "spawn_s"))
					util_strfmt(winner, sizeof(winner), "%s", cell(&t, r, "winner"));
			table_free(&t);
		}
		ok(!strcmp(winner, "inconclusive"), "versus.csv: the same interval is inconclusive (%s)",
		   winner);
	}
	expect(f.dir, "crash_all", "refuted", "threads survived in one trial of four");
	rmtree(f.dir);

	inconclusive();
	headlines();
	walk();
	return done_testing();
}
