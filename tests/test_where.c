/* test_where.c - the compact policy and --cpukind on synthetic and XML
 * topologies (exact PU lists), and where each worker ran in workers.csv
 * of a tiny real run, checked against `ptbench topo --csv`.
 * Arguments: ptbench, tests/topo-hybrid.xml (two kinds of core). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"
#include "pin.h"

#define MAXN 8

/* One placement: on a topology (a synthetic description, or NULL for
 * the XML one), under a kind filter and a policy, n workers go to pus. */
static const struct place_case {
	const char *synthetic;
	enum pin_kind kind;
	enum pin_policy pol;
	int n;
	int pus[MAXN];
} cases[] = {
	/* pack:2 numa:2 core:16 pu:2: core c holds PUs 2c, 2c+1; NUMA node
	 * 0 cores 0-15, node 1 cores 16-31 (package 0), nodes 2-3 package 1. */
	{ "pack:2 numa:2 core:16 pu:2", PIN_KIND_ALL, PIN_CORE, 4, { 0, 2, 4, 6 } },
	{ "pack:2 numa:2 core:16 pu:2", PIN_KIND_ALL, PIN_PU, 4, { 0, 1, 2, 3 } },
	{ "pack:2 numa:2 core:16 pu:2", PIN_KIND_ALL, PIN_COMPACT, 4, { 0, 2, 4, 6 } },
	{ "pack:2 numa:2 core:16 pu:2", PIN_KIND_ALL, PIN_SCATTER, 4, { 0, 64, 32, 96 } },
	{ "pack:2 numa:2 core:16 pu:2", PIN_KIND_ALL, PIN_SAME, 3, { 0, 0, 0 } },
	{ "pack:2 numa:2 core:16 pu:2", PIN_KIND_ALL, PIN_NONE, 2, { -1, -1 } },
	/* one kind: fast and slow are all PUs */
	{ "pack:2 numa:2 core:16 pu:2", PIN_KIND_FAST, PIN_CORE, 4, { 0, 2, 4, 6 } },
	{ "pack:2 numa:2 core:16 pu:2", PIN_KIND_SLOW, PIN_PU, 4, { 0, 1, 2, 3 } },
	{ "pack:4 core:64 pu:2", PIN_KIND_ALL, PIN_CORE, 4, { 0, 2, 4, 6 } },
	{ "pack:4 core:64 pu:2", PIN_KIND_ALL, PIN_PU, 4, { 0, 1, 2, 3 } },
	{ "pack:4 core:64 pu:2", PIN_KIND_ALL, PIN_COMPACT, 4, { 0, 2, 4, 6 } },
	{ "pack:4 core:64 pu:2", PIN_KIND_ALL, PIN_SCATTER, 4, { 0, 128, 256, 384 } },
	/* the XML: PUs 0-7 (4 cores) IntelCore, rank 1; 8-11 (2 cores) IntelAtom */
	{ NULL, PIN_KIND_ALL, PIN_CORE, 6, { 0, 2, 4, 6, 8, 10 } },
	{ NULL, PIN_KIND_FAST, PIN_CORE, 6, { 0, 2, 4, 6, 1, 3 } },
	{ NULL, PIN_KIND_FAST, PIN_PU, 3, { 0, 1, 2 } },
	{ NULL, PIN_KIND_SLOW, PIN_CORE, 4, { 8, 10, 9, 11 } },
	{ NULL, PIN_KIND_SLOW, PIN_PU, 5, { 8, 9, 10, 11, 8 } },
	{ NULL, PIN_KIND_SLOW, PIN_COMPACT, 3, { 8, 10, 9 } },
	{ NULL, PIN_KIND_SLOW, PIN_SAME, 2, { 8, 8 } },
	{ NULL, PIN_KIND_SLOW, PIN_SCATTER, 2, { 8, 10 } },
};

static int open_topo(struct pin **p, const char *synthetic, const char *xml)
{
	return synthetic ? pin_open(p, synthetic) : pin_open_xml(p, xml);
}

static void check_cases(const char *xml)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct place_case *c = &cases[i];
		struct pin *p;
		int got[MAXN], same;
		char shown[128] = "";

		if (open_topo(&p, c->synthetic, xml) < 0 || pin_set_cpukind(p, c->kind) < 0 ||
		    pin_place(p, c->pol, c->n, got) < 0) {
			ok(0, "case %zu: loads, filters and places", i);
			continue;
		}
		same = 1;
		for (int k = 0; k < c->n; k++) {
			same &= got[k] == c->pus[k];
			util_strfmt(shown + strlen(shown), sizeof(shown) - strlen(shown), " %d", got[k]);
		}
		ok(same, "%s --cpukind %s --pin %s, %d workers: PUs as listed (got%s)",
		   c->synthetic ? c->synthetic : "topo-hybrid.xml", pin_kind_names[c->kind],
		   pin_names[c->pol], c->n, shown);
		pin_close(p);
	}
}

/* Where compact and core differ: past one NUMA node's cores, compact
 * takes their siblings, core the next node's cores. */
static void check_compact(void)
{
	static const struct { const char *desc; int n, core_last, compact_last; } d[] = {
		{ "pack:2 numa:2 core:16 pu:2", 17, 32, 1 },    /* node 0: 16 cores */
		{ "pack:2 numa:2 core:16 pu:2", 33, 64, 32 },   /* node 0 full, node 1 */
		{ "pack:4 core:64 pu:2", 65, 128, 1 },          /* package 0: 64 cores */
	};

	for (size_t i = 0; i < ARRAY_SIZE(d); i++) {
		struct pin *p;
		int cpus[128], core_last = -2, compact_last = -2;

		if (pin_open(&p, d[i].desc) == 0) {
			if (pin_place(p, PIN_CORE, d[i].n, cpus) == 0)
				core_last = cpus[d[i].n - 1];
			if (pin_place(p, PIN_COMPACT, d[i].n, cpus) == 0)
				compact_last = cpus[d[i].n - 1];
			pin_close(p);
		}
		ok(core_last == d[i].core_last && compact_last == d[i].compact_last,
		   "%s, worker %d: core PU %d (got %d), compact PU %d (got %d)", d[i].desc,
		   d[i].n - 1, d[i].core_last, core_last, d[i].compact_last, compact_last);
	}
}

static void check_kinds(const char *xml)
{
	struct pin *p;
	struct pin_counts c;
	int rank, ok_all = 1;
	const char *name;

	if (pin_open_xml(&p, xml) < 0) {
		ok(0, "%s loads", xml);
		return;
	}
	for (int cpu = 0; cpu < 12; cpu++) {
		pin_cpukind(p, cpu, &rank, &name);
		ok_all &= cpu < 8 ? rank == 1 && !strcmp(name, "IntelCore")
				  : rank == 0 && !strcmp(name, "IntelAtom");
	}
	ok(ok_all, "cpukind: PUs 0-7 rank 1 IntelCore, 8-11 rank 0 IntelAtom");
	pin_set_cpukind(p, PIN_KIND_FAST);
	pin_counts(p, &c);
	ok(c.pus == 8 && c.cores == 4, "--cpukind fast: 8 PUs, 4 cores to place on (got %d, %d)",
	   c.pus, c.cores);
	pin_set_cpukind(p, PIN_KIND_SLOW);
	pin_counts(p, &c);
	ok(c.pus == 4 && c.cores == 2, "--cpukind slow: 4 PUs, 2 cores (got %d, %d)", c.pus, c.cores);
	pin_cpukind(p, 0, &rank, &name);
	ok(rank == 1, "a PU outside the filter still has its kind");
	pin_set_cpukind(p, PIN_KIND_ALL);
	pin_counts(p, &c);
	ok(c.pus == 12, "--cpukind all: the 12 PUs again (got %d)", c.pus);
	pin_close(p);

	ok(pin_open(&p, "pack:1 core:2 pu:1") == 0, "a one-kind machine loads");
	pin_cpukind(p, 1, &rank, &name);
	ok(rank == 0 && !*name, "one kind: rank 0, no name");
	ok(pin_cpukind(p, 99, &rank, &name) == -ENOENT && rank == -1, "no such PU: -ENOENT");
	pin_close(p);
}

/* A tiny real run: workers.csv says where each worker ran, as topo does. */
static void check_run(const char *ptbench)
{
	char tmp[64], out[PATH_MAX], path[PATH_MAX], buf[64];
	struct table t, topo;
	int rc, bad = 0, rows;
	const char *busy;

	if (!tmpdir(tmp, sizeof(tmp))) {
		ok(0, "a temporary folder");
		return;
	}
	{
		char *args[] = { (char *)ptbench, "topo", "--csv", "-p", "pu", "-n", "max", NULL };

		rc = run_cmd(args, tmp);
		util_strfmt(path, sizeof(path), "%s/stdout.txt", tmp);
		ok(rc == 0 && table_read(path, &topo) == 0, "topo --csv runs and parses");
	}
	{
		const char *const extra[] = { "cpu", "-n", "2", "-r", "1", "--traced", "0",
					      "-P", "total=200000", "-p", "core", NULL };

		rc = run_ptbench(ptbench, tmp, "res", out, sizeof(out), -1, extra);
	}
	ok(rc == 0, "ptbench run cpu -n 2 -p core exits 0 (got %d)", rc);
	/* two workers pinned one per core share none unless there is one core */
	busy = topo.nrows > 0 && strcmp(cell(&topo, topo.nrows - 1, "core"),
						     cell(&topo, 0, "core")) ? "0" : "1";

	if (read_checked(out, "workers.csv", workers_cols, WK_N, &t) == 0) {
		rows = t.nrows;
		for (int r = 0; r < t.nrows; r++) {
			const char *cpu = cell(&t, r, "cpu_observed");
			int found = 0;

			for (int k = 0; k < topo.nrows; k++) {
				if (strcmp(cell(&topo, k, "pu"), cpu))
					continue;
				found = !strcmp(cell(&t, r, "core"), cell(&topo, k, "core")) &&
					!strcmp(cell(&t, r, "package"), cell(&topo, k, "package")) &&
					!strcmp(cell(&t, r, "numa"), cell(&topo, k, "numa")) &&
					!strcmp(cell(&t, r, "cpukind"), cell(&topo, k, "cpukind"));
			}
			if (!found || !*cell(&t, r, "core") ||
			    strcmp(cell(&t, r, "smt_sibling_busy"), busy)) {
				diag("worker row %d: cpu %s core %s package %s numa %s cpukind %s smt %s",
				     r, cpu, cell(&t, r, "core"), cell(&t, r, "package"),
				     cell(&t, r, "numa"), cell(&t, r, "cpukind"),
				     cell(&t, r, "smt_sibling_busy"));
				bad++;
			}
		}
		ok(rows > 0 && !bad, "%d worker rows: core, package, numa, cpukind as topo says for cpu_observed; smt_sibling_busy %s",
		   rows, busy);
		table_free(&t);
	}
	{
		const char *const extra[] = { "cpu", "-n", "2", "-r", "1", "--traced", "0",
					      "-P", "total=200000", "-p", "same", NULL };
		char same[PATH_MAX];

		rc = run_ptbench(ptbench, tmp, "same", same, sizeof(same), -1, extra);
		if (rc == 0 && read_checked(same, "workers.csv", workers_cols, WK_N, &t) == 0) {
			bad = 0;
			for (int r = 0; r < t.nrows; r++)
				bad += strcmp(cell(&t, r, "smt_sibling_busy"), "1") != 0;
			ok(t.nrows > 0 && !bad, "-p same: every worker's core is busy with the other (smt_sibling_busy 1)");
			table_free(&t);
		} else {
			ok(0, "ptbench run -p same exits 0 (got %d)", rc);
		}
	}
	ok(!strcmp(meta(out, "cpukind", buf, sizeof(buf)), "all"), "meta.csv: cpukind all");
	ok(atoi(meta(out, "cpukind_0_pus", buf, sizeof(buf))) == topo.nrows,
	   "meta.csv: cpukind_0_pus is the PU count (%d)", topo.nrows);
	table_free(&topo);
	rmtree(tmp);
}

/* A plan for the two-kind machine of the XML file: its worker sweep, and
 * the slow kind alone; nothing is run or written. */
static void check_dryrun(const char *ptbench, const char *xml)
{
	static const struct { const char *kind, *sweep; } cases[] = {
		/* 12 PUs on 6 cores: powers of two, then the cores and PUs */
		{ "all", "1,2,4,6,8,12" },
		/* the 4 PUs of the 2 slow cores */
		{ "slow", "1,2,4" },
	};
	char tmp[64], path[PATH_MAX], text[65536];

	if (!tmpdir(tmp, sizeof(tmp))) {
		ok(0, "a temporary folder");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *args[] = { (char *)ptbench, "run", "cpu", "-m", "thread", "-r", "1", "--warmup", "0",
				 "--traced", "0", "--dry-run", "--topology", (char *)xml, "--cpukind",
				 (char *)cases[i].kind, NULL };
		char got[256] = "";
		int rc = run_cmd(args, tmp);

		util_strfmt(path, sizeof(path), "%s/stdout.txt", tmp);
		if (util_read_file(path, text, sizeof(text)) < 0)
			text[0] = '\0';
		/* the workers column of each row "cpu  thread  N  core ..." */
		for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
			int n;
			size_t k = strlen(got);

			if (sscanf(l, "cpu thread %d", &n) == 1)
				util_strfmt(got + k, sizeof(got) - k, "%s%d", k ? "," : "", n);
		}
		ok(rc == 0 && !strcmp(got, cases[i].sweep),
		   "--dry-run --topology %s --cpukind %s: exit %d, one row a count: %s (want %s)",
		   xml, cases[i].kind, rc, got, cases[i].sweep);
	}
	rmtree(tmp);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	check_cases(argv[2]);
	check_compact();
	check_kinds(argv[2]);
	check_run(argv[1]);
	check_dryrun(argv[1], argv[2]);
	return done_testing();
}
