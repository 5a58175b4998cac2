/* test_metrics.c - the metric declarations: the common table matches
 * trials.csv, each workload's table is well formed, and a real run of
 * every workload reports exactly the metrics (and units) it declares. */
#include "dataset.h"
#include "e2e.h"
#include "schema.h"

/* Small parameters, so the run takes seconds; a workload not named here
 * runs with its defaults. */
static const char *small_params(const char *wl)
{
	static const char *const small[][2] = {
		{ "cpu", "total=2000000" }, { "spawn", "heap=1M" },
		{ "sharedread", "table=1M;lookups=1000" }, { "cow", "heap=1M" },
		{ "cowops", "pages=8" }, { "burst", "compute_us=100;block_us=100;bursts=5" },
		{ "pingpong", "rounds=200" }, { "counter", "increments=10000" },
		{ "crash", "work=1000000" }, { "membw", "size=1M;passes=1" },
		{ "malloc", "allocs=10000" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(small); i++)
		if (!strcmp(small[i][0], wl))
			return small[i][1];
	return "";
}

/* The workload of a trial in trials.csv ("" when none). */
static const char *workload_of(const struct table *tr, const char *trial)
{
	for (int t = 0; t < tr->nrows; t++)
		if (!strcmp(cell(tr, t, "trial"), trial))
			return cell(tr, t, "workload");
	return "";
}

static void tables(void)
{
	int bad = 0, n = 0;

	for (const struct common_metric *c = common_metrics; c->m.name; c++, n++) {
		int col = -1;

		for (int i = 0; i < TR_N; i++)
			if (!strcmp(trials_cols[i], c->m.name))
				col = i;
		if ((c->src == SRC_DERIVED) != (col < 0) || c->m.better < -1 || c->m.better > 1 ||
		    (col >= 0 && strcmp(c->m.unit, schema_unit_of(c->m.name)))) {
			diag("common metric %s: column %d, unit '%s'", c->m.name, col, c->m.unit);
			bad++;
		}
	}
	ok(n > 20 && !bad, "the %d common metrics: trials.csv columns with their units, or derived", n);
	for (int w = 0; workloads[w]; w++) {
		const struct workload *wl = workloads[w];

		bad = 0;
		for (const struct metric *m = wl->metrics; m && m->name; m++) {
			int twice = 0;

			for (const struct metric *x = wl->metrics; x < m; x++)
				twice += !strcmp(x->name, m->name);
			if (twice || !*m->unit || m->better < -1 || m->better > 1 ||
			    dataset_metric_find(wl->name, m->name) != m) {
				diag("%s: metric %s declared twice, without a unit or shadowed", wl->name,
				     m->name);
				bad++;
			}
		}
		ok(!bad, "%s: its metrics are unique, have units, and no common one shadows them",
		   wl->name);
	}
	ok(dataset_metric_better("counter", "lost_updates") == -1 && dataset_metric_better("membw", "gbps") == 1 &&
	   dataset_metric_better("cow", "pages_written") == 0 && dataset_metric_better("cpu", "ops_per_s") == 1 &&
	   dataset_metric_better("cpu", "lost_updates") == 0 && dataset_metric_better("nosuch", "wall_s") == -1 &&
	   dataset_metric_find("nosuch", "gbps") == NULL,
	   "a metric's direction comes from its workload, or the common table");
}

/* Every metrics.csv row of a run of every workload is declared, with the
 * unit it is declared with, and every declared metric is reported. */
static void reported(const char *ptb, const char *tmp)
{
	char suite[PATH_MAX], dir[PATH_MAX], path[PATH_MAX];
	char *const argv[] = { (char *)ptb, "suite", suite, "-o", dir, "--keep-noisy", "-q", "--bursts", "off",
			       "--warmup", "0", NULL };
	struct table tr, mt;
	int rc, m_seen[64];
	FILE *f;

	util_strfmt(suite, sizeof(suite), "%s/all.csv", tmp);
	util_strfmt(dir, sizeof(dir), "%s/all", tmp);
	f = fopen(suite, "w");
	fprintf(f, "workload,modes,workers,reps,pin,params,traced\n");
	for (int w = 0; workloads[w]; w++)
		fprintf(f, "%s,\"process,thread\",2,1,core,%s,\n", workloads[w]->name,
			small_params(workloads[w]->name));
	fclose(f);
	rc = run_cmd(argv, tmp);
	ok(rc == 0, "a run of every workload (exit %d)", rc);
	util_strfmt(path, sizeof(path), "%s/trials.csv", dir);
	if (table_read(path, &tr) < 0)
		return;
	util_strfmt(path, sizeof(path), "%s/metrics.csv", dir);
	if (table_read(path, &mt) < 0) {
		table_free(&tr);
		return;
	}
	for (int w = 0; workloads[w]; w++) {
		const struct workload *wl = workloads[w];
		int undeclared = 0, missing = 0;

		for (const struct metric *m = wl->metrics; m && m->name; m++)
			m_seen[m - wl->metrics] = 0;
		for (int r = 0; r < mt.nrows; r++) {
			const char *name = cell(&mt, r, "metric");
			const struct metric *m;

			if (strcmp(workload_of(&tr, cell(&mt, r, "trial")), wl->name))
				continue;
			for (m = wl->metrics; m && m->name && strcmp(m->name, name); m++)
				;
			if (!m || !m->name || strcmp(m->unit, cell(&mt, r, "unit"))) {
				diag("%s reports %s (%s), undeclared or in another unit", wl->name, name,
				     cell(&mt, r, "unit"));
				undeclared++;
			} else {
				m_seen[m - wl->metrics] = 1;
			}
		}
		for (const struct metric *m = wl->metrics; m && m->name; m++)
			if (!m_seen[m - wl->metrics]) {
				diag("%s declares %s but never reports it", wl->name, m->name);
				missing++;
			}
		ok(!undeclared && !missing, "%s reports exactly the metrics it declares", wl->name);
	}
	table_free(&tr);
	table_free(&mt);
}

int main(int argc, char **argv)
{
	char tmp[64];

	tables();
	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return diag("usage: test_metrics PTBENCH"), 1;
	reported(argv[1], tmp);
	rmtree(tmp);
	return done_testing();
}
