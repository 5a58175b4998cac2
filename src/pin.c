/* pin.c - placement policies on an hwloc topology, and binding.
 *
 * core    one worker per core, package by package, cores in topology order;
 *         past the last core the SMT siblings, then around again.
 * pu      PUs in topology order: SMT siblings of a core are neighbours.
 * scatter hwloc_distrib() spreads the workers over the whole tree; the
 *         result is then interleaved so that consecutive workers alternate
 *         between packages (and below that, between the next level down).
 * compact as few packages and NUMA nodes as possible: one package, and
 *         inside it one NUMA node, is filled completely, its cores
 *         first and then their SMT siblings, before the next. pu fills siblings together, core
 *         spreads over every core of the machine before any sibling;
 *         on a machine with one node and no SMT all three agree.
 * same    every worker on one PU (the first allowed): a context switch
 *         per hand-over, oversubscription on purpose.
 * none    no binding; the scheduler decides.
 *
 * pin_set_cpukind narrows every policy to one kind of core (hwloc
 * cpukinds, by efficiency rank): placement works on a copy of the
 * topology restricted to those PUs; where and describe on the whole. */
#include "pin.h"
#include "util.h"

#include <errno.h>
#include <hwloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const pin_names[PIN_N] = { "none", "core", "pu", "scatter", "same", "compact" };
const char *const pin_kind_names[PIN_KIND_N] = { "all", "fast", "slow" };

struct pin {
	hwloc_topology_t topo;
	int synthetic;          /* nothing to bind to */
	hwloc_topology_t place; /* where workers may go: topo, or a restricted copy */
	enum pin_kind kind;     /* the --cpukind filter place obeys */
	int memory_known;       /* its hwloc memory size was given, not made up */
};

/* Loads a topology: a synthetic description, an XML file, or (both
 * NULL) this machine's. */
static int topo_open(struct pin **out, const char *synthetic, const char *xml)
{
	struct pin *p = calloc(1, sizeof(*p));
	int rc = -EINVAL;

	if (!p)
		return -ENOMEM;
	if (hwloc_topology_init(&p->topo) < 0) {
		free(p);
		return -ENOMEM;
	}
	if (synthetic || xml) {
		p->synthetic = 1;
		/* hwloc gives a synthetic machine 1 GB unless told otherwise */
		p->memory_known = !synthetic || strstr(synthetic, "memory=");
		if (synthetic ? hwloc_topology_set_synthetic(p->topo, synthetic) < 0
			      : hwloc_topology_set_xml(p->topo, xml) < 0)
			goto fail;
	} else {
		/* Without these flags hwloc ignores a taskset restriction. */
		hwloc_topology_set_flags(p->topo,
			HWLOC_TOPOLOGY_FLAG_IS_THISSYSTEM |
			HWLOC_TOPOLOGY_FLAG_RESTRICT_TO_CPUBINDING);
	}
	if (hwloc_topology_load(p->topo) < 0) {
		rc = -errno ? -errno : -EINVAL;
		goto fail;
	}
	if (hwloc_get_nbobjs_by_type(p->topo, HWLOC_OBJ_PU) < 1)
		goto fail;
	p->place = p->topo;
	*out = p;
	return 0;
fail:
	hwloc_topology_destroy(p->topo);
	free(p);
	return rc;
}

int pin_open(struct pin **out, const char *synthetic)
{
	return topo_open(out, synthetic, NULL);
}

int pin_open_xml(struct pin **out, const char *path)
{
	return topo_open(out, NULL, path);
}

uint64_t pin_memory(const struct pin *p)
{
	return p->memory_known ? hwloc_get_root_obj(p->topo)->total_memory : 0;
}

/* hwloc reads these at load time; each makes it describe (or bind on) a
 * machine other than the one the process runs on. */
static const char *const env_overrides[] = {
	"HWLOC_SYNTHETIC", "HWLOC_XMLFILE", "HWLOC_FSROOT", "HWLOC_THISSYSTEM",
	"HWLOC_THISSYSTEM_ALLOWED_RESOURCES", "HWLOC_ALLOW", "HWLOC_CPUID_PATH",
	"HWLOC_COMPONENTS", "HWLOC_DUMPED_HWDATA_DIR", "HWLOC_PLUGINS_PATH",
	"HWLOC_PLUGINS_BLACKLIST",
};

const char *pin_env_override(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(env_overrides); i++) {
		const char *v = getenv(env_overrides[i]);

		if (v && *v)
			return env_overrides[i];
	}
	return NULL;
}

void pin_close(struct pin *p)
{
	if (!p)
		return;
	if (p->place != p->topo)
		hwloc_topology_destroy(p->place);
	hwloc_topology_destroy(p->topo);
	free(p);
}

static int count(hwloc_topology_t topo, hwloc_obj_type_t type)
{
	int n = hwloc_get_nbobjs_by_type(topo, type);

	return n > 0 ? n : 1;   /* a machine without the level has one */
}

static void counts_of(hwloc_topology_t topo, struct pin_counts *c)
{
	c->pus = count(topo, HWLOC_OBJ_PU);
	c->cores = count(topo, HWLOC_OBJ_CORE);
	c->packages = count(topo, HWLOC_OBJ_PACKAGE);
	c->numa = count(topo, HWLOC_OBJ_NUMANODE);
}

void pin_counts(const struct pin *p, struct pin_counts *c)
{
	counts_of(p->place, c);
}

/* The core (logical index), package and NUMA node (OS numbers) of a PU;
 * -1 where the level is missing. */
static void where(hwloc_topology_t topo, hwloc_obj_t pu, int *core, int *package, int *numa)
{
	hwloc_obj_t o = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, pu);

	*core = o ? (int)o->logical_index : -1;
	o = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_PACKAGE, pu);
	*package = o ? (int)o->os_index : -1;
	*numa = -1;
	/* NUMA nodes hang off the tree as memory children: find the node
	 * whose cpuset holds this PU. */
	for (o = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, NULL); o;
	     o = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, o)) {
		if (hwloc_bitmap_isset(o->cpuset, pu->os_index)) {
			*numa = (int)o->os_index;
			break;
		}
	}
}

/* Consecutive runs of pus[] under the same object at `depth` are groups;
 * each group is interleaved one level down, then the groups are merged
 * round robin, so worker i and i+1 land in different subtrees. */
static void interleave(hwloc_topology_t topo, hwloc_obj_t *pus, int n,
		       int depth, int leaf_depth, hwloc_obj_t *tmp)
{
	int *start, ng = 0;

	if (n <= 1 || depth >= leaf_depth)
		return;
	start = malloc((size_t)(n + 1) * sizeof(*start));
	if (!start)
		return;         /* placement stays valid, merely not alternating */
	for (int i = 0; i < n; i++) {
		hwloc_obj_t a = hwloc_get_ancestor_obj_by_depth(topo, depth, pus[i]);
		hwloc_obj_t prev = i ? hwloc_get_ancestor_obj_by_depth(topo, depth, pus[i - 1]) : NULL;

		if (i == 0 || a != prev)
			start[ng++] = i;
	}
	start[ng] = n;
	for (int g = 0; g < ng; g++)
		interleave(topo, pus + start[g], start[g + 1] - start[g],
			   depth + 1, leaf_depth, tmp);
	if (ng > 1) {
		int k = 0;

		for (int r = 0; k < n; r++)
			for (int g = 0; g < ng; g++)
				if (start[g] + r < start[g + 1])
					tmp[k++] = pus[start[g] + r];
		memcpy(pus, tmp, (size_t)n * sizeof(*pus));
	}
	free(start);
}

static int place_scatter(const struct pin *p, int n, int *cpus)
{
	hwloc_topology_t topo = p->place;
	hwloc_obj_t root = hwloc_get_root_obj(topo);
	hwloc_cpuset_t *sets = calloc((size_t)n, sizeof(*sets));
	hwloc_obj_t *pus = calloc((size_t)n * 2, sizeof(*pus));
	int rc = 0;

	if (!sets || !pus) {
		rc = -ENOMEM;
		goto out;
	}
	if (hwloc_distrib(topo, &root, 1, sets, (unsigned)n, INT32_MAX, 0) < 0) {
		rc = -errno;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		if (!sets[i]) {
			rc = -ENOMEM;
			goto out;
		}
		hwloc_bitmap_singlify(sets[i]);
		pus[i] = hwloc_get_pu_obj_by_os_index(topo,
				(unsigned)hwloc_bitmap_first(sets[i]));
		if (!pus[i]) {
			rc = -ENOENT;
			goto out;
		}
	}
	interleave(topo, pus, n, 1, hwloc_get_type_depth(topo, HWLOC_OBJ_PU),
		   pus + n);
	for (int i = 0; i < n; i++)
		cpus[i] = (int)pus[i]->os_index;
out:
	if (sets)
		for (int i = 0; i < n; i++)
			hwloc_bitmap_free(sets[i]);
	free(sets);
	free(pus);
	return rc;
}

/* A PU for the core and compact policies: its group (compact: package
 * and NUMA node; core: none), its rank inside its core, its core. */
struct rank {
	int pkg, numa, rank, core, os;
};

static int cmp_rank(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;

	if (x->pkg != y->pkg)
		return x->pkg < y->pkg ? -1 : 1;
	if (x->numa != y->numa)
		return x->numa < y->numa ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->core != y->core)
		return x->core < y->core ? -1 : 1;
	return (x->os > y->os) - (x->os < y->os);
}

int pin_place(const struct pin *p, enum pin_policy pol, int n, int *cpus)
{
	hwloc_topology_t topo = p->place;
	int npu = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	int ncore = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	int *order, k = 0;

	if (n < 0 || npu < 1)
		return -EINVAL;
	switch (pol) {
	case PIN_NONE:
		for (int i = 0; i < n; i++)
			cpus[i] = -1;
		return 0;
	case PIN_SCATTER:
		return n ? place_scatter(p, n, cpus) : 0;
	case PIN_SAME:
		for (int i = 0; i < n; i++)
			cpus[i] = (int)hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, 0)->os_index;
		return 0;
	case PIN_CORE:
	case PIN_PU:
	case PIN_COMPACT:
		break;
	default:
		return -EINVAL;
	}
	order = malloc((size_t)npu * sizeof(*order));
	if (!order)
		return -ENOMEM;
	if (pol == PIN_PU || ncore < 1) {
		for (int i = 0; i < npu; i++)
			order[k++] = (int)hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i)->os_index;
	} else {
		/* First PU of every core, then the second of every core, ...
		 * (compact: the same inside each package and NUMA node): sort
		 * the PUs by (group, rank inside their core, core), one pass. */
		struct rank *r = malloc((size_t)npu * sizeof(*r));
		int *seen = calloc((size_t)ncore + 1, sizeof(*seen));

		if (!r || !seen) {
			free(r);
			free(seen);
			free(order);
			return -ENOMEM;
		}
		for (int i = 0; i < npu; i++) {
			hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i);
			hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, pu);
			int c = core ? (int)core->logical_index : ncore;   /* no core: last */
			int pkg = 0, numa = 0, unused;

			if (pol == PIN_COMPACT)
				where(topo, pu, &unused, &pkg, &numa);
			r[i] = (struct rank){ pkg, numa, seen[c]++, c, (int)pu->os_index };
		}
		qsort(r, (size_t)npu, sizeof(*r), cmp_rank);
		for (int i = 0; i < npu; i++)
			order[k++] = r[i].os;
		free(r);
		free(seen);
	}
	for (int i = 0; i < n; i++)
		cpus[i] = order[i % npu];
	free(order);
	return 0;
}

int pin_where(const struct pin *p, int cpu, int *core, int *package, int *numa)
{
	hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(p->topo, (unsigned)cpu);

	*core = *package = *numa = -1;
	if (!pu)
		return -ENOENT;
	where(p->topo, pu, core, package, numa);
	return 0;
}

/* The kind of a PU: hwloc's index of it and its CoreType ("" unknown).
 * Returns the index, or -1 when hwloc knows no kinds. */
static int kind_of(hwloc_topology_t topo, int cpu, const char **name)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int k = -1;

	*name = "";
	if (!set)
		return -1;
	hwloc_bitmap_only(set, (unsigned)cpu);
	k = hwloc_cpukinds_get_by_cpuset(topo, set, 0);
	hwloc_bitmap_free(set);
	if (k >= 0) {
		struct hwloc_info_s *infos;
		unsigned ninfo;

		if (hwloc_cpukinds_get_info(topo, (unsigned)k, NULL, NULL, &ninfo, &infos, 0) == 0)
			for (unsigned i = 0; i < ninfo; i++)
				if (strcmp(infos[i].name, "CoreType") == 0)
					*name = infos[i].value;
	}
	return k < 0 ? -1 : k;
}

int pin_cpukind(const struct pin *p, int cpu, int *rank, const char **name)
{
	int eff = 0, k;

	*rank = -1;
	*name = "";
	if (!hwloc_get_pu_obj_by_os_index(p->topo, (unsigned)cpu))
		return -ENOENT;
	k = kind_of(p->topo, cpu, name);

	if (k < 0 || hwloc_cpukinds_get_nr(p->topo, 0) <= 1) {
		*rank = 0;      /* no kinds known, or one: all PUs alike */
		return 0;
	}
	if (hwloc_cpukinds_get_info(p->topo, (unsigned)k, NULL, &eff, NULL, NULL, 0) == 0)
		*rank = eff;    /* -1: hwloc could not rank the kinds */
	return 0;
}

int pin_set_cpukind(struct pin *p, enum pin_kind kind)
{
	int nr = hwloc_cpukinds_get_nr(p->topo, 0);
	hwloc_topology_t t;
	hwloc_bitmap_t set;
	int eff = 0, rc = 0;

	if (kind < 0 || kind >= PIN_KIND_N)
		return -EINVAL;
	if (p->place != p->topo)
		hwloc_topology_destroy(p->place);
	p->place = p->topo;
	p->kind = kind;
	if (kind == PIN_KIND_ALL || nr <= 1)
		return 0;       /* one kind: fast, slow and all are the same PUs */
	/* hwloc lists kinds from the least to the most powerful, when it
	 * could rank them (efficiency >= 0). */
	if (hwloc_cpukinds_get_info(p->topo, 0, NULL, &eff, NULL, NULL, 0) < 0 || eff < 0)
		return -ENOTSUP;
	set = hwloc_bitmap_alloc();
	if (!set)
		return -ENOMEM;
	if (hwloc_cpukinds_get_info(p->topo, kind == PIN_KIND_FAST ? (unsigned)nr - 1 : 0,
				    set, NULL, NULL, NULL, 0) < 0 ||
	    hwloc_topology_dup(&t, p->topo) < 0) {
		hwloc_bitmap_free(set);
		return -errno ? -errno : -ENOMEM;
	}
	if (hwloc_topology_restrict(t, set, 0) < 0) {
		rc = -errno ? -errno : -EINVAL;
		hwloc_topology_destroy(t);
	} else {
		p->place = t;
	}
	hwloc_bitmap_free(set);
	return rc;
}

/* meta.csv's view of the kinds: the filter, how many kinds, and each
 * kind's PU count and name, by efficiency rank. */
static void describe_kinds(const struct pin *p, void (*fn)(void *arg, const char *key,
			   const char *value), void *arg)
{
	int nr = hwloc_cpukinds_get_nr(p->topo, 0);
	char k[64], s[64];

	fn(arg, "cpukind", pin_kind_names[p->kind]);
	fn(arg, "cpukinds", util_strfmt(s, sizeof(s), "%d", nr > 1 ? nr : 1));
	if (nr <= 1) {
		fn(arg, "cpukind_0_pus", util_strfmt(s, sizeof(s), "%d",
		   count(p->topo, HWLOC_OBJ_PU)));
		return;
	}
	for (int i = 0; i < nr; i++) {
		hwloc_bitmap_t set = hwloc_bitmap_alloc();
		struct hwloc_info_s *infos = NULL;
		unsigned ninfo = 0;
		int eff = -1;

		if (!set)
			return;
		if (hwloc_cpukinds_get_info(p->topo, (unsigned)i, set, &eff, &ninfo, &infos, 0) == 0) {
			/* unranked kinds are told apart by their index */
			int r = eff >= 0 ? eff : i;

			fn(arg, util_strfmt(k, sizeof(k), "cpukind_%d_pus", r),
			   util_strfmt(s, sizeof(s), "%d", hwloc_bitmap_weight(set)));
			for (unsigned j = 0; j < ninfo; j++)
				if (strcmp(infos[j].name, "CoreType") == 0)
					fn(arg, util_strfmt(k, sizeof(k), "cpukind_%d_name", r),
					   infos[j].value);
		}
		hwloc_bitmap_free(set);
	}
}

int pin_bind_cpu(int cpu)
{
	cpu_set_t *set;
	size_t size;
	int rc = 0;

	if (cpu < 0)
		return 0;
	set = CPU_ALLOC((size_t)cpu + 1);
	if (!set)
		return -ENOMEM;
	size = CPU_ALLOC_SIZE((size_t)cpu + 1);
	CPU_ZERO_S(size, set);
	CPU_SET_S((size_t)cpu, size, set);
	/* pid 0: the calling thread (what HWLOC_CPUBIND_THREAD does) */
	if (sched_setaffinity(0, size, set) < 0)
		rc = -errno;
	CPU_FREE(set);
	return rc;
}

int pin_bind(const struct pin *p, int cpu, int whole_process)
{
	hwloc_bitmap_t set;
	int rc = 0;

	if (p->synthetic || cpu < 0)
		return 0;
	if (!whole_process)
		return pin_bind_cpu(cpu);
	set = hwloc_bitmap_alloc();
	if (!set)
		return -ENOMEM;
	hwloc_bitmap_only(set, (unsigned)cpu);
	if (hwloc_set_cpubind(p->topo, set, HWLOC_CPUBIND_PROCESS) < 0)
		rc = -errno;
	hwloc_bitmap_free(set);
	return rc;
}

void pin_describe(const struct pin *p, void (*fn)(void *arg, const char *key,
		  const char *value), void *arg)
{
	hwloc_obj_t root = hwloc_get_root_obj(p->topo);
	hwloc_obj_t pkg = hwloc_get_obj_by_type(p->topo, HWLOC_OBJ_PACKAGE, 0);
	const char *model = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
	struct pin_counts c;
	unsigned v = hwloc_get_api_version();
	char s[64];
	char *cpus = NULL;

	counts_of(p->topo, &c);         /* the machine, not the --cpukind part */
	fn(arg, "cpu_model", model ? model : "");
	fn(arg, "pus", util_strfmt(s, sizeof(s), "%d", c.pus));
	fn(arg, "cores", util_strfmt(s, sizeof(s), "%d", c.cores));
	fn(arg, "packages", util_strfmt(s, sizeof(s), "%d", c.packages));
	fn(arg, "numa_nodes", util_strfmt(s, sizeof(s), "%d", c.numa));
	if (hwloc_bitmap_list_asprintf(&cpus, root->cpuset) >= 0) {
		fn(arg, "cpus_allowed", cpus);
		free(cpus);
	}
	describe_kinds(p, fn, arg);
#ifdef HWLOC_VERSION
	fn(arg, "hwloc_version", HWLOC_VERSION);        /* the library built with */
#endif
	fn(arg, "hwloc_api_version", util_strfmt(s, sizeof(s), "%u.%u.%u", v >> 16,
					    (v >> 8) & 0xff, v & 0xff));
}

static const char *const pin_mem_names[PM_N] = { "first-touch", "local", "interleave", "node" };

int pin_mem_parse(const char *text, struct pin_mem *m)
{
	uint64_t u;

	for (int i = 0; i < PM_NODE; i++)
		if (strcmp(text, pin_mem_names[i]) == 0) {
			*m = (struct pin_mem){ .policy = (enum pin_mem_policy)i, .node = -1 };
			return 0;
		}
	if (strncmp(text, "node:", 5) != 0 || util_parse_u64(text + 5, 0, &u) < 0 ||
	    u > 4095)
		return -EINVAL;
	*m = (struct pin_mem){ .policy = PM_NODE, .node = (int)u };
	return 0;
}

char *pin_mem_text(const struct pin_mem *m, char *buf, size_t len)
{
	if (m->policy == PM_NODE)
		return util_strfmt(buf, len, "node:%d", m->node);
	return util_strfmt(buf, len, "%s", pin_mem_names[m->policy]);
}

int pin_mem_check(const struct pin *p, const struct pin_mem *m)
{
	if (m->policy != PM_NODE)
		return 0;
	return hwloc_get_numanode_obj_by_os_index(p->topo, (unsigned)m->node) ? 0 : -ENOENT;
}

int pin_membind(const struct pin *p, void *addr, size_t len, const struct pin_mem *m)
{
	hwloc_bitmap_t cpus, nodes;
	hwloc_obj_t node;
	hwloc_membind_policy_t pol = HWLOC_MEMBIND_BIND;
	int rc = 0;

	if (pin_mem_check(p, m) < 0)
		return -EINVAL;
	if (!len || p->synthetic)
		return 0;       /* nothing to place, or nothing to place it on */
	nodes = hwloc_bitmap_alloc();
	cpus = hwloc_bitmap_alloc();
	if (!nodes || !cpus) {
		rc = -ENOMEM;
		goto out;
	}
	switch (m->policy) {
	case PM_FIRST_TOUCH:
		pol = HWLOC_MEMBIND_FIRSTTOUCH;
		hwloc_bitmap_copy(nodes, hwloc_topology_get_topology_nodeset(p->topo));
		break;
	case PM_LOCAL:
		if (hwloc_get_last_cpu_location(p->topo, cpus, HWLOC_CPUBIND_THREAD) < 0) {
			rc = -errno;
			goto out;
		}
		hwloc_cpuset_to_nodeset(p->topo, cpus, nodes);
		break;
	case PM_INTERLEAVE:
		pol = HWLOC_MEMBIND_INTERLEAVE;
		hwloc_bitmap_copy(nodes, hwloc_topology_get_topology_nodeset(p->topo));
		break;
	case PM_NODE:
	default:
		node = hwloc_get_numanode_obj_by_os_index(p->topo, (unsigned)m->node);
		hwloc_bitmap_copy(nodes, node->nodeset);
		break;
	}
	if (hwloc_set_area_membind(p->topo, addr, len, nodes, pol,
				   HWLOC_MEMBIND_BYNODESET | HWLOC_MEMBIND_MIGRATE |
				   HWLOC_MEMBIND_STRICT) < 0)
		rc = errno ? -errno : -EINVAL;
out:
	hwloc_bitmap_free(cpus);
	hwloc_bitmap_free(nodes);
	return rc;
}
