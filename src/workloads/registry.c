/* registry.c - the one table of workloads. */
#include <string.h>

#include "../workload.h"

extern const struct workload wl_cpu, wl_spawn, wl_sharedread, wl_cow, wl_cowops,
	wl_burst, wl_pingpong, wl_counter, wl_crash, wl_membw, wl_malloc;

const struct workload *const workloads[] = {
	&wl_cpu,
	&wl_spawn,
	&wl_sharedread,
	&wl_cow,
	&wl_cowops,
	&wl_burst,
	&wl_pingpong,
	&wl_counter,
	&wl_crash,
	&wl_membw,
	&wl_malloc,
	NULL,
};

const struct workload *workload_find(const char *name)
{
	for (int i = 0; workloads[i]; i++)
		if (strcmp(workloads[i]->name, name) == 0)
			return workloads[i];
	return NULL;
}
