/* pin.h - the machine's topology and where workers go (the only hwloc
 * user). CPU numbers here are the operating system's, as taskset and
 * sched_getcpu() use them, never hwloc's logical indexes. */
#ifndef PTB_PIN_H
#define PTB_PIN_H

#include <stdint.h>

enum pin_policy { PIN_NONE, PIN_CORE, PIN_PU, PIN_SCATTER, PIN_SAME, PIN_N };

extern const char *const pin_names[PIN_N];

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

void pin_counts(const struct pin *p, struct pin_counts *c);

/* Where n workers go under a policy: cpus[i] = OS number of worker i's PU,
 * or -1 for PIN_NONE. More workers than PUs wrap around. Returns 0/-errno. */
int pin_place(const struct pin *p, enum pin_policy pol, int n, int *cpus);

/* The core (numbered machine-wide in topology order), package and NUMA
 * node (OS numbers) of a PU; -1 where unknown. Returns 0 or -ENOENT. */
int pin_where(const struct pin *p, int cpu, int *core, int *package, int *numa);

/* Binds the calling thread (or, with whole_process, the calling process)
 * to one PU. A synthetic topology binds nothing. Returns 0 or -errno. */
int pin_bind(const struct pin *p, int cpu, int whole_process);

/* Calls fn for each fact worth recording about the machine (CPU model,
 * hwloc version, counts), as key and value text. */
void pin_describe(const struct pin *p, void (*fn)(void *arg, const char *key,
		  const char *value), void *arg);

#endif
