/* pin.h - the machine's topology and where workers go (the only hwloc
 * user). CPU numbers here are the operating system's, as taskset and
 * sched_getcpu() use them, never hwloc's logical indexes. */
#ifndef PTB_PIN_H
#define PTB_PIN_H

#include <stddef.h>
#include <stdint.h>

enum pin_policy { PIN_NONE, PIN_CORE, PIN_PU, PIN_SCATTER, PIN_SAME, PIN_COMPACT, PIN_N };

/* Which kind of core placement may use (hwloc cpukinds): all, the most
 * powerful (highest efficiency rank) or the least. */
enum pin_kind { PIN_KIND_ALL, PIN_KIND_FAST, PIN_KIND_SLOW, PIN_KIND_N };

extern const char *const pin_names[PIN_N];
extern const char *const pin_kind_names[PIN_KIND_N];

struct pin;

struct pin_counts {
	int pus, cores, packages, numa;
};

/* Loads this machine's topology, restricted to the CPUs the process may
 * use (taskset, cgroup cpuset), or the hwloc synthetic description given.
 * Returns 0, -EINVAL for a bad description, or -errno. */
int pin_open(struct pin **out, const char *synthetic);
void pin_close(struct pin *p);

/* Loads the hwloc XML topology of another machine (nothing to bind to).
 * Returns 0, -EINVAL for a file hwloc cannot read, or -errno. */
int pin_open_xml(struct pin **out, const char *path);

/* Bytes of memory of an XML machine, or a synthetic one whose
 * description gives it ("numa:2(memory=64GB)"); 0: unknown, or this
 * machine, whose hwloc figure is not to be trusted. */
uint64_t pin_memory(const struct pin *p);

/* The first hwloc environment variable set that would make pin_open see
 * another machine than this one (HWLOC_SYNTHETIC, HWLOC_XMLFILE,
 * HWLOC_FSROOT, ...), or NULL. */
const char *pin_env_override(void);

/* The counts of what placement may use (all of the machine unless
 * pin_set_cpukind narrowed it). */
void pin_counts(const struct pin *p, struct pin_counts *c);

/* Restricts pin_place and pin_counts to one kind of core. On a machine
 * with one kind (or none known) every kind is all PUs. Returns 0,
 * -ENOTSUP when hwloc could not rank the kinds, or -errno. */
int pin_set_cpukind(struct pin *p, enum pin_kind kind);

/* The efficiency rank of a PU's kind (0 the least powerful; 0 for every
 * PU when the machine has one kind; -1 when hwloc could not rank them)
 * and its name ("IntelCore", "IntelAtom"; "" when the OS gives none).
 * Returns 0 or -ENOENT. */
int pin_cpukind(const struct pin *p, int cpu, int *rank, const char **name);

/* Where n workers go under a policy: cpus[i] = OS number of worker i's PU,
 * or -1 for PIN_NONE. More workers than PUs wrap around. Returns 0/-errno. */
int pin_place(const struct pin *p, enum pin_policy pol, int n, int *cpus);

/* Loads an hwloc XML topology (tests: machines this one is not); it
 * binds nothing. Returns 0, -EINVAL or -errno. */
int pin_open_xml(struct pin **out, const char *path);

/* The core (numbered machine-wide in topology order), package and NUMA
 * node (OS numbers) of a PU; -1 where unknown. Returns 0 or -ENOENT. */
int pin_where(const struct pin *p, int cpu, int *core, int *package, int *numa);

/* Binds the calling thread (or, with whole_process, the calling process)
 * to one PU. A synthetic topology binds nothing. Returns 0 or -errno. */
int pin_bind(const struct pin *p, int cpu, int whole_process);

/* Binds the calling thread to the PU of OS number cpu, without a
 * topology (an exec'd worker loads none); cpu < 0 binds nothing. The one
 * way a worker binds itself. Returns 0 or -errno. */
int pin_bind_cpu(int cpu);

/* Calls fn for each fact worth recording about the machine (CPU model,
 * hwloc version, counts), as key and value text. */
void pin_describe(const struct pin *p, void (*fn)(void *arg, const char *key,
		  const char *value), void *arg);

/* Where the memory a trial builds before its workers exist lives
 * (--membind). first-touch leaves it to the kernel: a page goes to the
 * node of the CPU that first writes it. */
enum pin_mem_policy { PM_FIRST_TOUCH, PM_LOCAL, PM_INTERLEAVE, PM_NODE, PM_N };

struct pin_mem {
	enum pin_mem_policy policy;
	int node;               /* PM_NODE: the NUMA node's OS number */
};

/* Parses "first-touch", "local", "interleave" or "node:N". Returns 0 or
 * -EINVAL. */
int pin_mem_parse(const char *text, struct pin_mem *m);

/* The policy as --membind spells it. */
char *pin_mem_text(const struct pin_mem *m, char *buf, size_t len);

/* 0 when the topology has the policy's node, else -ENOENT. */
int pin_mem_check(const struct pin *p, const struct pin_mem *m);

/* Places [addr, addr+len) under the policy: local binds it to the nodes
 * of the CPU the caller runs on, interleave spreads it over every node,
 * node:N binds it to node N; pages that exist move (strict: a move the
 * kernel refuses is an error). Call it before touching the memory. A
 * synthetic topology binds nothing. Returns 0 or -errno. */
int pin_membind(const struct pin *p, void *addr, size_t len, const struct pin_mem *m);

#endif
