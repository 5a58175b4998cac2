/* test_oom.c - end to end, as root: ptbench runs in a memory cgroup of
 * 64 MiB; a malloc trial of two workers whose estimated footprint is
 * small (4 MB: one-byte blocks) but whose real use is about 80 MB (each
 * worker's million 32-byte chunks and its ring of pointers) meets the OOM
 * killer. Both trials must say `oom`, not counted, exit 1, nothing left
 * behind; a small run in the same cgroup is ok (the limit leaves room
 * for a sanitizer build's own memory). Skipped where not root or no
 * memory cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "e2e.h"

#define LIMIT "64M"

static int put(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX];
	int fd, rc;

	util_strfmt(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	rc = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -errno;
	close(fd);
	return rc;
}

/* v2: a child of our own cgroup when that already gives its children
 * the memory controller. Returns 0 or -1. */
static int mem_cgroup_v2(const char *mi, const char *pc, char *dir, size_t len)
{
	char own[PATH_MAX], buf[512];

	if (cg_locate(mi, pc, own, sizeof(own)) < 0)
		return -1;
	util_strfmt(dir, len, "%s/cgroup.subtree_control", own);
	if (util_read_file(dir, buf, sizeof(buf)) <= 0 || !strstr(buf, "memory"))
		return -1;
	util_strfmt(dir, len, "%s/ptb-oom-%d", own, (int)getpid());
	if (mkdir(dir, 0755) < 0)
		return -1;
	if (put(dir, "memory.max", LIMIT) < 0) {
		rmdir(dir);
		return -1;
	}
	put(dir, "memory.swap.max", "0");       /* no swapping out */
	return 0;
}

/* A fresh memory cgroup limited to LIMIT below our own: cgroup v2 where
 * ours gives its children memory, else cgroup v1's memory controller.
 * Its path to dir; returns 0, or -1 with the reason in why. */
static int mem_cgroup(char *dir, size_t len, char *why, size_t wlen)
{
	static char mi[1 << 20];
	char pc[8192], own[PATH_MAX] = "", path[PATH_MAX];
	struct stat sb;

	if (util_read_file("/proc/self/mountinfo", mi, sizeof(mi)) <= 0 ||
	    util_read_file("/proc/self/cgroup", pc, sizeof(pc)) <= 0) {
		util_strfmt(why, wlen, "cannot read /proc/self/mountinfo or /proc/self/cgroup");
		return -1;
	}
	if (mem_cgroup_v2(mi, pc, dir, len) == 0)
		return 0;
	/* v1: "N:memory:/path" and a cgroup mount with the memory option */
	for (char *l = strtok(pc, "\n"); l; l = strtok(NULL, "\n")) {
		char *a = strchr(l, ':'), *b = a ? strchr(a + 1, ':') : NULL;

		if (b && (size_t)(b - a - 1) == 6 && !strncmp(a + 1, "memory", 6))
			util_strfmt(own, sizeof(own), "%s", b + 1);
	}
	for (char *l = strtok(mi, "\n"); *own && l; l = strtok(NULL, "\n")) {
		char mnt[PATH_MAX], root[PATH_MAX], *sep = strstr(l, " - cgroup ");
		const char *opts = sep ? strrchr(sep, ' ') : NULL;

		if (!opts || !strstr(opts, "memory") ||
		    sscanf(l, "%*s %*s %*s %4095s %4095s", root, mnt) != 2 || strcmp(root, "/"))
			continue;
		util_strfmt(dir, len, "%s%s/ptb-oom-%d", mnt, strcmp(own, "/") ? own : "", (int)getpid());
		if (mkdir(dir, 0755) < 0) {
			util_strfmt(why, wlen, "cannot make %s: %s", dir, strerror(errno));
			return -1;
		}
		if (put(dir, "memory.limit_in_bytes", LIMIT) < 0) {
			util_strfmt(why, wlen, "cannot limit %s", dir);
			rmdir(dir);
			return -1;
		}
		util_strfmt(path, sizeof(path), "%s/memory.memsw.limit_in_bytes", dir);
		if (stat(path, &sb) == 0)
			put(dir, "memory.memsw.limit_in_bytes", LIMIT);         /* no swapping out */
		return 0;
	}
	util_strfmt(why, wlen, "no memory cgroup: no cgroup v2 memory controller for our children, no cgroup v1 memory controller%s",
	       *own ? " mounted" : " for this process");
	return -1;
}

/* Moves this process (and what it starts from now on) into dir. */
static int join(const char *dir)
{
	char pid[32];

	return put(dir, "cgroup.procs", util_strfmt(pid, sizeof(pid), "%d", (int)getpid()));
}

int main(int argc, char **argv)
{
	char tmp[64], dir[PATH_MAX], why[PATH_MAX + 64], out[PATH_MAX], path[PATH_MAX];
	char parent[PATH_MAX];
	struct table t;
	int rc;

	if (argc < 2)
		return 2;
	if (geteuid() != 0)
		skip_all("not root: cannot make a memory cgroup to run out of");
	if (mem_cgroup(dir, sizeof(dir), why, sizeof(why)) < 0)
		skip_all(why);
	/* This test is small; it runs in the cgroup, so ptbench does too. */
	util_strfmt(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	if (!tmpdir(tmp, sizeof(tmp)) || join(dir) < 0) {
		rmdir(dir);
		return 2;
	}
	diag("memory cgroup %s, limit %s", dir, LIMIT);

	/* Control: a small malloc trial fits. */
	{
		char *args[] = { argv[1], "run", "malloc", "-n", "1", "-r", "1", "--warmup", "0", "--bursts",
				 "off", "-P", "allocs=100000", "-o", out, "-q", NULL };

		util_strfmt(out, sizeof(out), "%s/fits", tmp);
		rc = run_cmd(args, tmp);
		ok(rc == 0 && trials_all(out, "ok", 1, NULL, NULL),
		   "a small malloc run inside " LIMIT ": ok (exit %d)", rc);
	}

	/* 1-byte blocks, a million alive a worker: estimated 4 MB, really 80. */
	{
		char *args[] = { argv[1], "run", "malloc", "-n", "2", "-r", "1", "--warmup", "0", "--bursts",
				 "off", "-P", "size=1", "-P", "live=1000000", "-P", "allocs=2000000", "-o",
				 out, "-q", NULL };
		int oom = 0, n = 0, crashed = 0, other = 0, lost = 0, rows = -1;

		util_strfmt(out, sizeof(out), "%s/oom", tmp);
		rc = run_cmd(args, tmp);
		ok(rc == 1, "a malloc run that outgrows " LIMIT ": exit 1, unexpected (got %d)", rc);
		util_strfmt(path, sizeof(path), "%s/trials.csv", out);
		if (table_read(path, &t) == 0) {
			for (int r = 0; r < t.nrows; r++) {
				n++;
				oom += !strcmp(cell(&t, r, "status"), "oom") && num(&t, r, "signal") == 9 &&
				       num(&t, r, "expected") == 0 &&
				       strstr(cell(&t, r, "message"), "OOM killer") != NULL;
				diag("%s: %s (%s)", cell(&t, r, "mode"), cell(&t, r, "status"), cell(&t, r, "message"));
			}
			table_free(&t);
		}
		ok(n == 2 && oom == 2, "both modes' trials 'oom', signal 9, not expected, the message says why (%d of %d)",
		   oom, n);
		util_strfmt(path, sizeof(path), "%s/workers.csv", out);
		if (table_read(path, &t) == 0) {
			for (int r = 0; r < t.nrows; r++) {
				const char *st = cell(&t, r, "status");
				int killed = num(&t, r, "signal") == 9;

				if (num(&t, r, "trial") == 2)
					lost += !strcmp(st, "lost") && killed;
				else if (!strcmp(st, "crashed") && killed)
					crashed++;
				else
					other += strcmp(st, "ok") != 0;
			}
			table_free(&t);
		}
		ok(crashed >= 1 && other == 0 && lost == 2,
		   "workers.csv: forked workers killed (crashed, 9: %d) or ok; both threads lost with their process (%d)",
		   crashed, lost);
		util_strfmt(path, sizeof(path), "%s/summary.csv", out);
		if (table_read(path, &t) == 0) {
			rows = 0;
			for (int r = 0; r < t.nrows; r++)
				rows += !strcmp(cell(&t, r, "workload"), "malloc");
			table_free(&t);
		}
		ok(rows == 0, "summary.csv counts no oom trial (%d malloc rows)", rows);
		util_strfmt(path, sizeof(path), "%s/claims.csv", out);
		ok(table_read(path, &t) == 0 && (table_free(&t), 1), "claims.csv written and parses");
	}
	ok(leftovers(argv[1]) == 0, "nothing left behind");

	join(parent);
	for (int i = 0; i < 200 && rmdir(dir) < 0 && errno == EBUSY; i++)
		usleep(10000);
	rmtree(tmp);
	return done_testing();
}
