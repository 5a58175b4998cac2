/* test_memory.c - end to end: memory columns, copy-on-write faults and
 * the faults of each kind of write, read back from the CSV. */
#include <math.h>
#include <string.h>

#include "e2e.h"

/* Mean of a per-worker metric over the process-mode, untraced trials. */
static int check_cow(const char *ptbench, const char *tmp, const char *write)
{
	char out[PATH_MAX], param[64];
	const char *extra[] = { "cow", "-n", "2", "-r", "2", "-m", "process", "-P", "heap=16M",
				"-P", param, "--bursts", "off", NULL };
	struct table t;
	int bad = 0, seen = 0;

	util_strfmt(param, sizeof(param), "write=%s", write);
	ok(run_ptbench(ptbench, tmp, write, out, sizeof(out), -1, extra) == 0, "cow write=%s runs", write);
	if (read_checked(out, "metrics.csv", metrics_cols, MT_N, &t) < 0)
		return -1;
	for (int r = 0; r < t.nrows; r++) {
		double pages, faults;

		if (!*cell(&t, r, "worker") || strcmp(cell(&t, r, "metric"), "faults_per_worker"))
			continue;
		faults = num(&t, r, "value");
		pages = NAN;    /* pages_written of the same trial and worker */
		for (int q = 0; q < t.nrows; q++)
			if (!strcmp(cell(&t, q, "trial"), cell(&t, r, "trial")) &&
			    !strcmp(cell(&t, q, "worker"), cell(&t, r, "worker")) &&
			    !strcmp(cell(&t, q, "metric"), "pages_written"))
				pages = num(&t, q, "value");
		seen++;
		if (!(fabs(faults - pages) <= 0.1 * pages)) {
			diag("trial %s worker %s: %g faults for %g pages", cell(&t, r, "trial"),
			     cell(&t, r, "worker"), faults, pages);
			bad++;
		}
	}
	ok(seen == 4 && bad == 0, "cow write=%s: every child faults within 10%% of the pages it writes (%d of %d off)",
	   write, bad, seen);
	table_free(&t);
	return 0;
}

int main(int argc, char **argv)
{
	char tmp[64], out[PATH_MAX];
	struct table t;

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 2;

	/* sharedread: the RSS sum counts the table once per process; PSS not. */
	{
		const char *extra[] = { "sharedread", "-n", "2", "-r", "1", "-P", "table=16M",
					"-P", "lookups=20000", NULL };

		ok(run_ptbench(argv[1], tmp, "sr", out, sizeof(out), -1, extra) == 0, "sharedread runs");
		if (read_checked(out, "trials.csv", trials_cols, TR_N, &t) == 0) {
			int procs = 0, bad = 0;

			for (int r = 0; r < t.nrows; r++) {
				static const char *const cols[] = { "maxrss_kib", "rss_sum_kib",
					"pss_kib", "uss_kib", "pte_kib" };

				for (size_t c = 0; c < ARRAY_SIZE(cols); c++)
					bad += !(num(&t, r, cols[c]) > 0);
				bad += num(&t, r, "checksum_ok") != 1;
				if (strcmp(cell(&t, r, "mode"), "process"))
					continue;
				procs++;
				if (!(num(&t, r, "pss_kib") < num(&t, r, "rss_sum_kib")) ||
				    !(num(&t, r, "rss_sum_kib") > 3 * 16384 * 0.95)) {
					diag("trial %d: pss %s rss_sum %s", r + 1, cell(&t, r, "pss_kib"),
					     cell(&t, r, "rss_sum_kib"));
					bad++;
				}
			}
			ok(procs == 2 && bad == 0,
			   "memory columns numeric; process mode: PSS < RSS sum, and RSS sum >= 3 x table");
			table_free(&t);
		}
		if (read_checked(out, "workers.csv", workers_cols, WK_N, &t) == 0) {
			int bad = 0;

			for (int r = 0; r < t.nrows; r++) {
				int proc = strcmp(cell(&t, r, "pid"), cell(&t, r, "tid")) == 0;

				/* a process worker has its own memory row; a thread has none */
				bad += proc != (num(&t, r, "pss_kib") > 0);
				bad += proc != (num(&t, r, "rss_kib") > 16000);
			}
			ok(bad == 0, "workers.csv: per-process memory where a worker is a process");
			table_free(&t);
		}
	}

	check_cow(argv[1], tmp, "0.25");
	check_cow(argv[1], tmp, "0.5");

	/* cowops: the control does not fault, a global write copies a page. */
	{
		const char *extra[] = { "cowops", "-n", "1", "-r", "2", "--bursts", "off", NULL };

		ok(run_ptbench(argv[1], tmp, "ops", out, sizeof(out), -1, extra) == 0, "cowops runs");
		if (read_checked(out, "metrics.csv", metrics_cols, MT_N, &t) == 0) {
			struct table tr;
			char path[PATH_MAX];
			int ro = 0, wg = 0, bad = 0;

			util_strfmt(path, sizeof(path), "%s/trials.csv", out);
			if (table_read(path, &tr) < 0)
				return 1;
			for (int r = 0; r < t.nrows; r++) {
				int trial = (int)num(&t, r, "trial");
				const char *mode = cell(&tr, trial - 1, "mode");
				const char *m = cell(&t, r, "metric");

				if (*cell(&t, r, "worker") || strcmp(mode, "process"))
					continue;
				if (!strcmp(m, "faults_read_only")) {
					ro++;
					bad += num(&t, r, "value") != 0;
				}
				if (!strcmp(m, "faults_write_global")) {
					wg++;
					bad += !(num(&t, r, "value") >= 1);
				}
			}
			ok(ro == 2 && wg == 2 && bad == 0,
			   "process mode: faults_read_only = 0, faults_write_global >= 1 (%d bad)", bad);
			table_free(&tr);
			table_free(&t);
		}
	}
	/* --membind: every policy this machine has runs the workloads that
	 * place memory, and is recorded in meta.csv and on every trial. */
	{
		static const char *const pols[] = { "local", "interleave", "node:0" };

		for (size_t i = 0; i < ARRAY_SIZE(pols); i++) {
			const char *extra[] = { "sharedread", "cow", "spawn", "membw", "-n", "2", "-r", "1",
						"--warmup", "0", "--traced", "0", "-P", "table=1M",
						"-P", "heap=1M", "-P", "size=1M", "-P", "lookups=1000",
						"--membind", pols[i], NULL };
			char name[16], got[32];
			int rows = 0, bad = 0;

			util_strfmt(name, sizeof(name), "mb%zu", i);
			ok(run_ptbench(argv[1], tmp, name, out, sizeof(out), -1, extra) == 0,
			   "--membind %s runs", pols[i]);
			ok(trials_all(out, "ok", 1, NULL, &rows) && rows == 8, "--membind %s: 8 trials ok",
			   pols[i]);
			ok(!strcmp(meta(out, "membind", got, sizeof(got)), pols[i]),
			   "meta.csv membind = %s (got '%s')", pols[i], got);
			if (read_checked(out, "trials.csv", trials_cols, TR_N, &t) == 0) {
				for (int r = 0; r < t.nrows; r++)
					bad += strcmp(cell(&t, r, "membind"), pols[i]) != 0;
				ok(t.nrows == 8 && bad == 0, "trials.csv membind = %s on every row", pols[i]);
				table_free(&t);
			}
		}
	}
	rmtree(tmp);
	return done_testing();
}
