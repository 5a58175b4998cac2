/* cgroup.c - the run's cgroup v2 subtree: made, probed, one child a trial,
 * killed with cgroup.kill, removed. Needs no controller: cgroup.procs and
 * cgroup.kill work in any cgroup v2 (kernel 5.14 or later for the kill). */
#include "cgroup.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CG_WAIT_S 2.0           /* for the last process of a cgroup to go */

/* Writes text to the control file dir/name. Returns 0 or -errno. */
static int put(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	size_t n = strlen(text);
	ssize_t w;
	int fd;

	util_strfmt(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w = write(fd, text, n);
	if (w < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	return (size_t)w == n ? 0 : -EIO;
}

/* Copies a mountinfo field, undoing its octal escapes (\040 is a space). */
static void unescape(char *dst, size_t len, const char *src, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < len; i++) {
		if (src[i] == '\\' && i + 3 < n && src[i + 1] >= '0' && src[i + 1] <= '3') {
			dst[o++] = (char)((src[i + 1] - '0') * 64 + (src[i + 2] - '0') * 8 + (src[i + 3] - '0'));
			i += 3;
		} else {
			dst[o++] = src[i];
		}
	}
	dst[o] = '\0';
}

/* The start of the line after p, or NULL at the end of the text. */
static const char *next_line(const char *p)
{
	p = strchr(p, '\n');
	return p && p[1] ? p + 1 : NULL;
}

int cg_find(const char *mountinfo, const char *proc_cgroup, const char *ctl, char *dir,
	    size_t len, size_t *top)
{
	char own[PATH_MAX] = "";
	const char *p;

	/* "4:memory:/a/b" (v1: id, controllers, path) or "0::/a/b" (v2) */
	for (p = proc_cgroup; p && !*own; p = next_line(p)) {
		size_t n = strcspn(p, "\n");
		const char *a = memchr(p, ':', n), *b = a ? memchr(a + 1, ':', n - (size_t)(a + 1 - p)) : NULL;

		if (b && (ctl ? util_word_in(a + 1, (size_t)(b - a - 1), ctl, ',') : b == a + 1))
			util_strfmt(own, sizeof(own), "%.*s", (int)(p + n - b - 1), b + 1);
	}
	if (*own != '/')
		return -ENOENT;
	/* "id parent major:minor ROOT MOUNTPOINT opts [optional...] - TYPE source SUPEROPTS" */
	for (p = mountinfo; p; p = next_line(p)) {
		size_t n = strcspn(p, "\n"), flen[5], rl;
		const char *f[5], *q = p, *end = p + n, *dash = strstr(p, " - ");
		char type[16], super[256], root[PATH_MAX], mnt[PATH_MAX];
		int k;

		for (k = 0; k < 5 && q < end; k++) {
			q += strspn(q, " ");
			f[k] = q;
			flen[k] = strcspn(q, " \n");
			q += flen[k];
		}
		if (k < 5 || !dash || dash > end)
			continue;
		q = dash + 3;
		util_strfmt(type, sizeof(type), "%.*s", (int)strcspn(q, " \n"), q);
		q += strcspn(q, " \n");
		q += strspn(q, " ");
		q += strcspn(q, " \n");         /* the source */
		q += strspn(q, " ");
		util_strfmt(super, sizeof(super), "%.*s", (int)strcspn(q, " \n"), q);
		if (strcmp(type, ctl ? "cgroup" : "cgroup2") ||
		    (ctl && !util_word_in(super, strlen(super), ctl, ',')))
			continue;
		unescape(root, sizeof(root), f[3], flen[3]);
		unescape(mnt, sizeof(mnt), f[4], flen[4]);
		rl = strcmp(root, "/") ? strlen(root) : 0;
		/* The mount shows the subtree at root: our cgroup must be in it. */
		if (strncmp(own, root, rl) || (own[rl] != '/' && own[rl] != '\0') ||
		    strncmp(own + rl, "/..", 3) == 0 || strlen(mnt) + strlen(own + rl) >= len)
			continue;
		util_strfmt(dir, len, "%s%s", mnt, strcmp(own + rl, "/") ? own + rl : "");
		if (top)
			*top = strlen(mnt);
		return 0;
	}
	return -ENOENT;
}

int cg_locate(const char *mountinfo, const char *proc_cgroup, char *dir, size_t len)
{
	size_t top;

	return cg_find(mountinfo, proc_cgroup, NULL, dir, len, &top);
}

int cg_own(const char *ctl, char *dir, size_t len, size_t *top)
{
	size_t misz = 1 << 20;
	char *mi = malloc(misz), pc[8192];
	int rc;

	if (!mi)
		return -ENOMEM;
	rc = util_read_file("/proc/self/mountinfo", mi, misz) > 0 &&
	     util_read_file("/proc/self/cgroup", pc, sizeof(pc)) > 0 ?
	     cg_find(mi, pc, ctl, dir, len, top) : -ENOENT;
	free(mi);
	return rc;
}

int64_t cg_counter(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = next_line(p)) {
		uint64_t v;
		char num[32];

		if (strncmp(p, key, kl) || p[kl] != ' ')
			continue;
		util_strfmt(num, sizeof(num), "%.*s", (int)strcspn(p + kl + 1, "\n"), p + kl + 1);
		return util_parse_u64(num, 0, &v) == 0 && v <= INT64_MAX ? (int64_t)v : -1;
	}
	return -1;
}

int64_t cg_oom_kills(const char *path)
{
	char file[PATH_MAX], buf[8192];

	if (path)
		util_strfmt(file, sizeof(file), "%s/memory.events", path);
	if (util_read_file(path ? file : "/proc/vmstat", buf, sizeof(buf)) <= 0)
		return -1;
	return cg_counter(buf, "oom_kill");
}

int cg_make(struct cg *cg, char *path, size_t len)
{
	util_strfmt(path, len, "%s/t%u", cg->dir, ++cg->next);
	return mkdir(path, 0755) < 0 ? -errno : 0;
}

int cg_enter(const char *path)
{
	return put(path, "cgroup.procs", "0");
}

int cg_kill(const char *path)
{
	return put(path, "cgroup.kill", "1");
}

/* 1 while cgroup.events says "populated 1", 0 when not, -errno. */
static int populated(int fd)
{
	char buf[256];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return cg_counter(buf, "populated") == 1;
}

int cg_remove(const char *path)
{
	char file[PATH_MAX];
	int fd;

	util_strfmt(file, sizeof(file), "%s/cgroup.events", path);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		double end = util_now_s() + CG_WAIT_S;

		/* A change of cgroup.events is signalled with POLLPRI; the
		 * timeout only bounds a missed one. */
		while (populated(fd) > 0 && util_now_s() < end) {
			struct pollfd p = { .fd = fd, .events = POLLPRI };

			poll(&p, 1, 10);
		}
		close(fd);
	}
	return rmdir(path) < 0 && errno != ENOENT ? -errno : 0;
}

/* A process moves itself into a child of the run's cgroup and waits;
 * cgroup.kill must end it. Returns 0 or -errno. */
static int probe(struct cg *cg)
{
	char path[PATH_MAX];
	int pfd[2], rc, err = -EIO, st;
	pid_t pid;

	util_strfmt(path, sizeof(path), "%s/probe", cg->dir);
	if (mkdir(path, 0755) < 0)
		return -errno;
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		rc = -errno;
		rmdir(path);
		return rc;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		rc = cg_enter(path);
		if (write(pfd[1], &rc, sizeof(rc)) != sizeof(rc) || rc)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (pid < 0) {
		rc = -errno;
		close(pfd[0]);
		rmdir(path);
		return rc;
	}
	while ((rc = (int)read(pfd[0], &err, sizeof(err))) < 0 && errno == EINTR)
		;
	close(pfd[0]);
	if (rc != sizeof(err))
		err = -EIO;
	if (!err)
		err = cg_kill(path);
	kill(pid, SIGKILL);     /* no-op when the cgroup killed it */
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	rc = cg_remove(path);
	return err ? err : rc;
}

/* Removes dir's child cgroups with rm (cg_remove waits for each to
 * empty; rmdir does not), then dir itself with it. */
static void remove_tree(const char *dir, int (*rm)(const char *))
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[PATH_MAX];

		if (e->d_type == DT_DIR && e->d_name[0] != '.') {
			util_strfmt(path, sizeof(path), "%s/%s", dir, e->d_name);
			rm(path);
		}
	}
	if (d)
		closedir(d);
	rm(dir);
}

/* The cgroups of runs that are gone: a harness killed by SIGKILL cannot
 * remove its own. Left, they pile up, and a later run that gets the same
 * pid finds its name taken. A run is gone when its pid is ours (ours is
 * unique among the living) or no process has it; an empty cgroup is
 * removed, one with processes in it stays (rmdir refuses). */
static void sweep(const char *base)
{
	DIR *d = opendir(base);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		uint64_t pid;

		if (strncmp(e->d_name, "ptbench-", 8) || util_parse_u64(e->d_name + 8, 0, &pid) < 0 ||
		    pid == 0 || pid > INT_MAX)
			continue;
		if ((pid_t)pid != getpid() && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;       /* its run may be alive */
		util_strfmt(path, sizeof(path), "%s/%s", base, e->d_name);
		remove_tree(path, rmdir);
	}
	if (d)
		closedir(d);
}

int cg_open(struct cg *cg)
{
	char base[PATH_MAX], ctl[256];
	int rc;

	memset(cg, 0, sizeof(*cg));
	rc = cg_own(NULL, base, sizeof(base), NULL);
	if (rc)
		return rc;
	sweep(base);
	util_strfmt(cg->dir, sizeof(cg->dir), "%s/ptbench-%d", base, (int)getpid());
	if (mkdir(cg->dir, 0755) < 0)
		return -errno;
	util_strfmt(ctl, sizeof(ctl), "%s/cgroup.kill", cg->dir);
	rc = access(ctl, W_OK) < 0 ? -errno : probe(cg);
	if (rc) {
		rmdir(cg->dir);
		return rc;
	}
	/* With the memory controller the trials' cgroups count their own
	 * OOM kills (memory.events); without it, the machine's count does. */
	util_strfmt(ctl, sizeof(ctl), "%s/cgroup.controllers", cg->dir);
	{
		char buf[512];

		if (util_read_file(ctl, buf, sizeof(buf)) > 0 && strstr(buf, "memory") &&
		    put(cg->dir, "cgroup.subtree_control", "+memory") == 0)
			cg->memory = 1;
	}
	return 0;
}

void cg_close(struct cg *cg)
{
	if (!cg->dir[0])
		return;
	/* Normally every trial removed its own cgroup; this is for the
	 * paths that could not. */
	cg_kill(cg->dir);
	remove_tree(cg->dir, cg_remove);
	cg->dir[0] = '\0';
}
