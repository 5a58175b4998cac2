/* pin.c - placement policies on an hwloc topology, and binding.
 *
 * core    one worker per core, package by package, cores in topology order;
 *         past the last core the SMT siblings, then around again.
 * pu      PUs in topology order: SMT siblings of a core are neighbours.
 * scatter hwloc_distrib() spreads the workers over the whole tree; the
 *         result is then interleaved so that consecutive workers alternate
 *         between packages (and below that, between the next level down).
 * same    every worker on one PU (the first allowed): a context switch
 *         per hand-over, oversubscription on purpose.
 * none    no binding; the scheduler decides.
 */
#include "pin.h"
#include "util.h"

#include <errno.h>
#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const pin_names[PIN_N] = { "none", "core", "pu", "scatter", "same" };

struct pin {
	hwloc_topology_t topo;
	int synthetic;          /* nothing to bind to */
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
	hwloc_topology_destroy(p->topo);
	free(p);
}

static int count(const struct pin *p, hwloc_obj_type_t type)
{
	int n = hwloc_get_nbobjs_by_type(p->topo, type);

	return n > 0 ? n : 1;   /* a machine without the level has one */
}

void pin_counts(const struct pin *p, struct pin_counts *c)
{
	c->pus = count(p, HWLOC_OBJ_PU);
	c->cores = count(p, HWLOC_OBJ_CORE);
	c->packages = count(p, HWLOC_OBJ_PACKAGE);
	c->numa = count(p, HWLOC_OBJ_NUMANODE);
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
	hwloc_topology_t topo = p->topo;
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

/* A PU for the core policy: its rank inside its core, its core. */
struct rank {
	int rank, core, os;
};

static int cmp_rank(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->core != y->core)
		return x->core < y->core ? -1 : 1;
	return (x->os > y->os) - (x->os < y->os);
}

int pin_place(const struct pin *p, enum pin_policy pol, int n, int *cpus)
{
	hwloc_topology_t topo = p->topo;
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
		/* First PU of every core, then the second of every core, ...:
		 * sort the PUs by (rank inside their core, core), one pass. */
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

			r[i] = (struct rank){ seen[c]++, c, (int)pu->os_index };
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
	hwloc_obj_t o;

	*core = *package = *numa = -1;
	if (!pu)
		return -ENOENT;
	o = hwloc_get_ancestor_obj_by_type(p->topo, HWLOC_OBJ_CORE, pu);
	if (o)
		*core = (int)o->logical_index;
	o = hwloc_get_ancestor_obj_by_type(p->topo, HWLOC_OBJ_PACKAGE, pu);
	if (o)
		*package = (int)o->os_index;
	/* NUMA nodes hang off the tree as memory children: find the node
	 * whose cpuset holds this PU. */
	for (o = hwloc_get_next_obj_by_type(p->topo, HWLOC_OBJ_NUMANODE, NULL); o;
	     o = hwloc_get_next_obj_by_type(p->topo, HWLOC_OBJ_NUMANODE, o)) {
		if (hwloc_bitmap_isset(o->cpuset, (unsigned)cpu)) {
			*numa = (int)o->os_index;
			break;
		}
	}
	return 0;
}

int pin_bind(const struct pin *p, int cpu, int whole_process)
{
	hwloc_bitmap_t set;
	int rc = 0;

	if (p->synthetic || cpu < 0)
		return 0;
	set = hwloc_bitmap_alloc();
	if (!set)
		return -ENOMEM;
	hwloc_bitmap_only(set, (unsigned)cpu);
	if (hwloc_set_cpubind(p->topo, set, whole_process ? HWLOC_CPUBIND_PROCESS
			      : HWLOC_CPUBIND_THREAD) < 0)
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

	pin_counts(p, &c);
	fn(arg, "cpu_model", model ? model : "");
	fn(arg, "pus", util_strfmt(s, sizeof(s), "%d", c.pus));
	fn(arg, "cores", util_strfmt(s, sizeof(s), "%d", c.cores));
	fn(arg, "packages", util_strfmt(s, sizeof(s), "%d", c.packages));
	fn(arg, "numa_nodes", util_strfmt(s, sizeof(s), "%d", c.numa));
	if (hwloc_bitmap_list_asprintf(&cpus, root->cpuset) >= 0) {
		fn(arg, "cpus_allowed", cpus);
		free(cpus);
	}
#ifdef HWLOC_VERSION
	fn(arg, "hwloc_version", HWLOC_VERSION);        /* the library built with */
#endif
	fn(arg, "hwloc_api_version", util_strfmt(s, sizeof(s), "%u.%u.%u", v >> 16,
					    (v >> 8) & 0xff, v & 0xff));
}
