/* cgroup.h - a cgroup v2 subtree for a run: one child cgroup per trial,
 * ended with cgroup.kill, so that nothing a trial forks - not even a
 * double fork into a new session - outlives it. Where there is no usable
 * cgroup v2 (no mount, no permission, a kernel without cgroup.kill) the
 * caller falls back to process groups. */
#ifndef PTB_CGROUP_H
#define PTB_CGROUP_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

struct cg {
	char dir[PATH_MAX];     /* the run's cgroup: <own cgroup>/ptbench-<pid> */
	int memory;             /* its children have memory.events */
	unsigned next;          /* trial cgroups made so far */
};

/* Makes the run's cgroup under this process's own cgroup v2 and checks,
 * with a probe process, that a process can move itself into a child of
 * it and be killed there. Returns 0, or -errno with nothing left behind. */
int cg_open(struct cg *cg);

/* Kills whatever is left anywhere in the run's cgroup and removes it
 * with every child. */
void cg_close(struct cg *cg);

/* Makes the next trial's cgroup (its path to path). Returns 0 or -errno. */
int cg_make(struct cg *cg, char *path, size_t len);

/* Moves the calling process into the cgroup at path (before it forks
 * anything). Returns 0 or -errno. */
int cg_enter(const char *path);

/* Sends SIGKILL to every process in the cgroup at path and below. */
int cg_kill(const char *path);

/* Waits (briefly) until the cgroup at path is empty, then removes it.
 * Returns 0 or -errno (-EBUSY: a process would not go). */
int cg_remove(const char *path);

/* OOM kills counted so far: memory.events' oom_kill of the cgroup at path
 * (NULL: the machine's, /proc/vmstat). -1 when it cannot be read. */
int64_t cg_oom_kills(const char *path);

/* The directory of this process's cgroup in the hierarchy of controller
 * ctl (cgroup v1, a mount of type cgroup with that option), or with ctl
 * NULL in cgroup v2, from the text of /proc/self/mountinfo and
 * /proc/self/cgroup. *top (when not NULL) gets the length of the mount
 * point, where dir's path inside the hierarchy starts. Returns 0 or
 * -ENOENT (no such hierarchy, or this process is outside its mount). */
int cg_find(const char *mountinfo, const char *proc_cgroup, const char *ctl, char *dir,
	    size_t len, size_t *top);
/* cg_find for cgroup v2. */
int cg_locate(const char *mountinfo, const char *proc_cgroup, char *dir, size_t len);
/* cg_find from this process's own files. Returns 0, -ENOENT or -ENOMEM. */
int cg_own(const char *ctl, char *dir, size_t len, size_t *top);

/* The number after `key` on a line "key N" of text (memory.events,
 * /proc/vmstat), or -1 when there is none. */
int64_t cg_counter(const char *text, const char *key);

#endif
