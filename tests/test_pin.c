/* test_pin.c - placement policies on hwloc synthetic topologies (machines
 * this one is not), and binding on this machine. */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "pin.h"
#include "tap.h"
#include "util.h"

struct loc {
	int cpu, core, pkg, numa;
};

static int place(struct pin *p, enum pin_policy pol, int n, struct loc *l)
{
	int cpus[4096];

	if (pin_place(p, pol, n, cpus) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		l[i].cpu = cpus[i];
		if (cpus[i] >= 0)
			pin_where(p, cpus[i], &l[i].core, &l[i].pkg, &l[i].numa);
	}
	return 0;
}

static int distinct_cores(const struct loc *l, int n)
{
	int d = 0;

	for (int i = 0; i < n; i++) {
		int seen = 0;

		for (int j = 0; j < i; j++)
			seen |= l[j].core == l[i].core;
		d += !seen;
	}
	return d;
}

int main(void)
{
	static struct loc l[4096];
	struct pin *p;
	struct pin_counts c;
	int ok_all;

	ok(pin_open(&p, "pack:2 core:8 pu:2") == 0, "synthetic pack:2 core:8 pu:2 loads");
	pin_counts(p, &c);
	ok(c.packages == 2 && c.cores == 16 && c.pus == 32, "counts 2/16/32 (got %d/%d/%d)",
	   c.packages, c.cores, c.pus);

	/* core: one package first, one PU per core. */
	place(p, PIN_CORE, 8, l);
	ok_all = 1;
	for (int i = 0; i < 8; i++)
		ok_all &= l[i].pkg == 0;
	ok(ok_all && distinct_cores(l, 8) == 8, "core: 8 workers fill package 0, one per core");
	place(p, PIN_CORE, 16, l);
	ok(l[8].pkg == 1 && distinct_cores(l, 16) == 16, "core: worker 8 starts package 1");
	place(p, PIN_CORE, 32, l);
	ok(distinct_cores(l, 32) == 16 && l[16].core == l[0].core && l[16].cpu != l[0].cpu,
	   "core: past 16 workers come the SMT siblings");

	/* pu: SMT siblings are neighbours. */
	place(p, PIN_PU, 4, l);
	ok(l[0].core == l[1].core && l[2].core == l[3].core && l[0].core != l[2].core &&
	   l[0].cpu != l[1].cpu, "pu: workers 0,1 share a core, 2,3 the next");

	/* scatter: alternate packages, then spread inside them. */
	place(p, PIN_SCATTER, 8, l);
	ok_all = 1;
	for (int i = 0; i < 8; i++)
		ok_all &= l[i].pkg == i % 2;
	ok(ok_all, "scatter: workers alternate packages (0,1,0,1,...)");
	ok(distinct_cores(l, 8) == 8, "scatter: 8 workers on 8 distinct cores");
	place(p, PIN_SCATTER, 2, l);
	ok(l[0].pkg != l[1].pkg, "scatter: 2 workers on 2 packages");
	place(p, PIN_SCATTER, 16, l);
	ok(distinct_cores(l, 16) == 16, "scatter: 16 workers, no core used twice");
	place(p, PIN_SCATTER, 64, l);
	{
		int per[32] = { 0 }, max = 0;

		for (int i = 0; i < 64; i++)
			per[l[i].cpu]++;
		for (int i = 0; i < 32; i++)
			max = per[i] > max ? per[i] : max;
		ok(max == 2, "scatter: 2x oversubscription puts exactly 2 on every PU");
	}

	/* none: no CPU asked for. */
	place(p, PIN_NONE, 3, l);
	ok(l[0].cpu == -1 && l[2].cpu == -1, "none: no placement");
	place(p, PIN_PU, 40, l);
	ok(l[32].cpu == l[0].cpu, "more workers than PUs wrap around");
	pin_close(p);

	ok(pin_open(&p, "pack:2 numa:2 core:4 pu:2") == 0, "pack:2 numa:2 core:4 pu:2 loads");
	pin_counts(p, &c);
	ok(c.numa == 4, "4 NUMA nodes (got %d)", c.numa);
	place(p, PIN_SCATTER, 4, l);
	{
		int seen = 0;

		for (int i = 0; i < 4; i++)
			seen |= 1 << l[i].numa;
		ok(seen == 0xf && l[0].pkg != l[1].pkg, "scatter: 4 workers on 4 NUMA nodes, packages alternating");
	}
	/* --membind against a topology: node:N must be one of its nodes. */
	{
		static const struct { const char *text; int rc; enum pin_mem_policy pol; int node; } mems[] = {
			{ "first-touch", 0, PM_FIRST_TOUCH, -1 }, { "local", 0, PM_LOCAL, -1 },
			{ "interleave", 0, PM_INTERLEAVE, -1 }, { "node:3", 0, PM_NODE, 3 },
			{ "node:", -EINVAL, 0, 0 }, { "node:-1", -EINVAL, 0, 0 },
			{ "node:x", -EINVAL, 0, 0 }, { "node:4096", -EINVAL, 0, 0 },
			{ "Local", -EINVAL, 0, 0 }, { "", -EINVAL, 0, 0 }, { "node", -EINVAL, 0, 0 },
		};
		struct pin_mem m;
		char text[32], page[64];

		for (size_t i = 0; i < sizeof(mems) / sizeof(mems[0]); i++) {
			int rc = pin_mem_parse(mems[i].text, &m);

			ok(rc == mems[i].rc && (rc || (m.policy == mems[i].pol && m.node == mems[i].node &&
			   !strcmp(pin_mem_text(&m, text, sizeof(text)), mems[i].text))),
			   "--membind '%s': %d", mems[i].text, rc);
		}
		m = (struct pin_mem){ PM_NODE, 3 };
		ok(pin_mem_check(p, &m) == 0 && pin_membind(p, page, sizeof(page), &m) == 0,
		   "node:3 of 4 nodes is accepted");
		m.node = 4;
		ok(pin_mem_check(p, &m) == -ENOENT && pin_membind(p, page, sizeof(page), &m) == -EINVAL,
		   "node:4 of 4 nodes is refused (check and bind)");
	}
	pin_close(p);

	ok(pin_open(&p, "nonsense:3") == -EINVAL, "a malformed description is refused");

	/* The real machine: binding is real; every CSV number is the OS's. */
	ok(pin_open(&p, NULL) == 0, "this machine's topology loads");
	pin_counts(p, &c);
	{
		int cpus[256];
		cpu_set_t set;

		pin_place(p, PIN_CORE, c.pus < 256 ? c.pus : 256, cpus);
		ok(pin_bind(p, cpus[c.pus > 1 ? 1 : 0], 0) == 0, "binds this thread");
		sched_getaffinity(0, sizeof(set), &set);
		ok(CPU_COUNT(&set) == 1 && CPU_ISSET(cpus[c.pus > 1 ? 1 : 0], &set),
		   "sched_getaffinity agrees: one CPU, the OS number asked for");
		ok(sched_getcpu() == cpus[c.pus > 1 ? 1 : 0], "and it runs there");
	}
	pin_close(p);
	return done_testing();
}
