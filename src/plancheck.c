/* plancheck.c - the check made before anything runs: would a trial of the
 * plan exceed the memory this process may use (RAM or its cgroup's limit),
 * the kernel's or the cgroup's task limits, or the user's process and
 * file limits? Refused up front, with the limit named, rather than an
 * OOM kill or an EAGAIN in the middle of a run. */
#include "plancheck.h"
#include "check.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <unistd.h>

/* A number from a one-line /proc or /sys file; max ("max", missing) when
 * there is no limit. */
static uint64_t limit_file(const char *path, uint64_t max)
{
	char buf[64];
	uint64_t v;

	if (util_read_file(path, buf, sizeof(buf)) <= 0)
		return max;
	buf[strcspn(buf, "\n")] = '\0';
	return util_parse_u64(buf, 0, &v) == 0 ? v : max;
}

/* The lowest limit that a cgroup of this process or a parent sets (the
 * one rule of check.c); UINT64_MAX when none. */
static uint64_t cgroup_limit(const char *ctl, const char *v1, const char *v2, char *where,
			     size_t wlen)
{
	int known;
	double v = check_cg_limit("/", ctl, v1, v2, where, wlen, &known);

	return v < 0x1p64 ? (uint64_t)v : UINT64_MAX;
}

static char *mem_text(double bytes, char *buf, size_t len)
{
	if (bytes < (1 << 30))
		return util_strfmt(buf, len, "%.1f MiB", bytes / (1 << 20));
	return util_strfmt(buf, len, "%.1f GiB", bytes / (1 << 30));
}

/* What a worker costs beyond the workload's own memory: a process's
 * private pages and page tables, a thread's touched stack. Generous. */
#define WORKER_OVERHEAD (1u << 20)

uint64_t plancheck_need(const struct experiment *e, int n, enum mode m)
{
	uint64_t need = (uint64_t)n * WORKER_OVERHEAD;

	if (e->wl->footprint) {
		uint64_t all = e->wl->footprint(e->pv, n, m);
		uint64_t trial = e->wl->footprint(e->pv, 0, m);

		/* page tables: 8 bytes a 4 KiB page of it all, and each forked
		 * worker copies those of what the trial mapped before it (a
		 * worker's own memory is counted once, in `all`; shared mode's
		 * is MAP_SHARED, whose page tables fork does not copy) */
		need += all + all / 512;
		if (m == MODE_PROCESS)
			need += (uint64_t)n * (trial / 512);
	}
	return need;
}

int plancheck_modes(const struct plan *p, char *err, size_t errlen)
{
	for (int i = 0; i < p->n; i++)
		for (int m = 0; m < MODE_N; m++)
			if ((p->exp[i].modes & (1u << m)) && p->exp[i].wl->refuse[m]) {
				util_strfmt(err, errlen, "workload %s cannot run in mode %s: %s",
					    p->exp[i].wl->name, mode_names[m], p->exp[i].wl->refuse[m]);
				return -EINVAL;
			}
	return 0;
}

int plancheck_plan(const struct plan *p, const struct run_env *env, char *err,
	       size_t errlen)
{
	struct sysinfo si;
	struct rlimit nproc, nofile;
	uint64_t ram, threads_max = limit_file("/proc/sys/kernel/threads-max", UINT64_MAX);
	uint64_t pid_max = limit_file("/proc/sys/kernel/pid_max", UINT64_MAX);
	char pids_file[PATH_MAX], mem_file[PATH_MAX], mem_what[PATH_MAX + 96], a[32], b[32];
	uint64_t pids_max = cgroup_limit("pids", "pids.max", "pids.max", pids_file, sizeof(pids_file));
	uint64_t mem = cgroup_limit("memory", "memory.limit_in_bytes", "memory.max", mem_file,
				    sizeof(mem_file));
	int root = geteuid() == 0;
	struct pin_counts pc;

	if (env && pin_mem_check(env->pin, &env->o->membind) < 0) {
		pin_counts(env->pin, &pc);
		util_strfmt(err, errlen, "bad value 'node:%d' for --membind: this machine has no NUMA node %d (%d node(s); see ptbench topo)",
		       env->o->membind.node, env->o->membind.node, pc.numa);
		return -ENOENT;
	}
	if (sysinfo(&si) < 0)
		return 0;       /* nothing to check against */
	ram = (uint64_t)si.totalram * si.mem_unit;
	/* The memory this process may use: the RAM, or less in a cgroup. */
	if (mem < ram)
		util_strfmt(mem_what, sizeof(mem_what), "the cgroup's memory limit (%s, %s), below the RAM (%s)",
		       mem_text((double)mem, a, sizeof(a)), mem_file, mem_text((double)ram, b, sizeof(b)));
	else
		util_strfmt(mem_what, sizeof(mem_what), "this machine's RAM (%s, sysinfo)",
		       mem_text((double)(mem = ram), a, sizeof(a)));
	getrlimit(RLIMIT_NPROC, &nproc);
	getrlimit(RLIMIT_NOFILE, &nofile);
	for (int i = 0; i < p->n; i++) {
		const struct experiment *e = &p->exp[i];

		for (int k = 0; k < e->nw; k++) {
			uint64_t n = (uint64_t)e->workers[k], tasks = n + 2;   /* + harness, trial */

			for (int m = 0; m < MODE_N; m++) {
				uint64_t need;

				if (!(e->modes & (1u << m)))
					continue;
				need = plancheck_need(e, (int)n, (enum mode)m);
				if ((double)need > 0.9 * (double)mem) {
					util_strfmt(err, errlen, "%s %s with %d workers needs about %s, over 90%% of %s",
					       e->wl->name, e->params, (int)n, mem_text((double)need, a, sizeof(a)),
					       mem_what);
					return -ENOMEM;
				}
			}
			if (tasks > threads_max || tasks > pid_max || tasks > pids_max) {
				const char *what = tasks > threads_max ? "kernel.threads-max" :
						   tasks > pid_max ? "kernel.pid_max" : "the cgroup's pids.max";
				uint64_t lim = tasks > threads_max ? threads_max : tasks > pid_max ? pid_max : pids_max;

				util_strfmt(err, errlen, "%s with %d workers needs %llu tasks, over %s (%llu)",
				       e->wl->name, (int)n, (unsigned long long)tasks, what,
				       (unsigned long long)lim);
				return -E2BIG;
			}
			if (!root && nproc.rlim_max != RLIM_INFINITY && tasks > nproc.rlim_max) {
				util_strfmt(err, errlen, "%s with %d workers needs %llu processes/threads, over RLIMIT_NPROC (ulimit -u: %llu)",
				       e->wl->name, (int)n, (unsigned long long)tasks,
				       (unsigned long long)nproc.rlim_max);
				return -E2BIG;
			}
			/* pipes (pingpong: 2 a worker) and a perf event a worker */
			if (nofile.rlim_max != RLIM_INFINITY && 3 * n + 64 > nofile.rlim_max) {
				util_strfmt(err, errlen, "%s with %d workers needs about %llu file descriptors, over RLIMIT_NOFILE (ulimit -Hn: %llu)",
				       e->wl->name, (int)n, (unsigned long long)(3 * n + 64),
				       (unsigned long long)nofile.rlim_max);
				return -E2BIG;
			}
		}
	}
	return 0;
}
