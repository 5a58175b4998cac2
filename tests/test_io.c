/* test_io.c - end to end: closed standard descriptors, a stdout that
 * cannot be written, output paths, a disk full while the result folder is
 * set up, the cgroup's memory limit, the memory estimate, meta.csv's
 * command line, compare without common experiments, a suite with a BOM. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>

#include "e2e.h"

#define CLOSE_IN  0x1
#define CLOSE_OUT 0x2
#define CLOSE_ERR 0x4

/* Starts argv with stdout to out, stderr to tmp/stderr.txt, the
 * descriptors in `closed` closed; returns the pid. */
static pid_t start(char *const argv[], const char *tmp, const char *out, int closed)
{
	char err[PATH_MAX];
	pid_t pid;

	util_strfmt(err, sizeof(err), "%s/stderr.txt", tmp);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		close(o);
		close(e);
		for (int fd = 0; fd < 3; fd++)
			if (closed & (1 << fd))
				close(fd);
		setenv("MALLOC_PERTURB_", "0", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int wait_rc(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* argv split on '|' into args (pointing into buf). */
static void split(char *buf, char **args, int max)
{
	int n = 0;

	for (char *s = buf, *bar; s && n < max - 1; s = bar ? bar + 1 : NULL) {
		bar = strchr(s, '|');
		if (bar)
			*bar = '\0';
		args[n++] = s;
	}
	args[n] = NULL;
}

/* What the last command wrote on stderr, and how many lines. */
static int stderr_text(const char *tmp, char *buf, size_t len)
{
	char path[PATH_MAX];
	int lines = 0;

	util_strfmt(path, sizeof(path), "%s/stderr.txt", tmp);
	if (util_read_file(path, buf, len) < 0)
		buf[0] = '\0';
	for (char *c = buf; *c; c++)
		lines += *c == '\n';
	return lines;
}

/* Whether every result file of dir parses and meta.csv is key,value rows
 * only (no stray message lines in it). */
static int files_clean(const char *dir)
{
	static const char *const files[] = { "meta.csv", "trials.csv", "workers.csv",
					     "metrics.csv", "bursts.csv" };
	int good = 0;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char path[PATH_MAX], text[65536];
		struct table t;

		util_strfmt(path, sizeof(path), "%s/%s", dir, files[i]);
		if (util_read_file(path, text, sizeof(text)) < 0 || strstr(text, "ptbench:") ||
		    strstr(text, "results:") || table_read(path, &t) < 0) {
			diag("%s: unreadable, or a message inside", path);
			continue;
		}
		good += i || (t.ncols == 2 && t.nrows > 0 && !strcmp(table_get(&t, 0, 0), "command"));
		table_free(&t);
	}
	return good == (int)ARRAY_SIZE(files);
}

/* Descriptors 0-2 closed at start are on /dev/null before any result
 * file is opened. */
static void closed_fds(const char *exe, const char *tmp)
{
	static const struct {
		int closed;
		const char *name;
	} cases[] = {
		{ CLOSE_IN | CLOSE_OUT | CLOSE_ERR, "<&- >&- 2>&-" },
		{ CLOSE_IN, "<&-" },
		{ CLOSE_OUT, ">&-" },
		{ CLOSE_ERR, "2>&-" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char out[PATH_MAX], metap[PATH_MAX], link[3][PATH_MAX], stdout_path[PATH_MAX];
		char *args[] = { (char *)exe, "run", "cpu", "-n", "1", "-r", "1", "--warmup", "0",
				 "--bursts", "off", "-P", "total=200000000000", "-o", out, "-q", NULL };
		int seen = 0, rc;
		pid_t pid;

		util_strfmt(out, sizeof(out), "%s/fds%zu", tmp, i);
		util_strfmt(metap, sizeof(metap), "%s/meta.csv", out);
		util_strfmt(stdout_path, sizeof(stdout_path), "%s/stdout.txt", tmp);
		pid = start(args, tmp, stdout_path, cases[i].closed);
		/* Once the result files exist, look at what 0, 1, 2 are. */
		for (int k = 0; k < 3000 && !seen; k++) {
			if (access(metap, F_OK) == 0) {
				seen = 1;
				for (int fd = 0; fd < 3; fd++) {
					char p[64];
					ssize_t n;

					util_strfmt(p, sizeof(p), "/proc/%d/fd/%d", (int)pid, fd);
					n = readlink(p, link[fd], sizeof(link[fd]) - 1);
					link[fd][n > 0 ? n : 0] = '\0';
				}
			} else {
				usleep(10000);
			}
		}
		kill(pid, SIGTERM);
		rc = wait_rc(pid);
		ok(seen, "%s: the run started (exit %d after SIGTERM)", cases[i].name, rc);
		for (int fd = 0; seen && fd < 3; fd++)
			ok(cases[i].closed & (1 << fd) ? strcmp(link[fd], "/dev/null") == 0
						       : strstr(link[fd], out) == NULL,
			   "%s: descriptor %d is %s", cases[i].name, fd, link[fd]);
	}

	/* A trial's error line, meant for stderr, stays out of the files. */
	{
		char out[PATH_MAX], devnull[] = "/dev/null";
		char *args[] = { (char *)exe, "run", "cpu", "-n", "1", "-r", "1", "--warmup", "0",
				 "--bursts", "off", "-P", "total=200000000000", "-t", "0.3", "-o", out,
				 NULL };
		int rc;

		util_strfmt(out, sizeof(out), "%s/closed", tmp);
		rc = wait_rc(start(args, tmp, devnull, CLOSE_ERR));
		ok(rc == 1, "2>&-: a timed-out trial, exit 1 (got %d)", rc);
		ok(files_clean(out), "2>&-: every result file parses, no message inside");
	}
}

/* Every command whose stdout cannot be written: exit 1, one line; the
 * same command with a stdout that works: exit 0. {O} is a fresh output
 * folder, {S} a suite, {D} a result folder, {X} ptbench. */
static void stdout_full(const char *exe, const char *tmp, const char *dir)
{
	static const char *const cmds[] = {
		"{X}|run|spawn|-n|1|-r|1|--warmup|0|-q|-o|{O}",
		"{X}|suite|{S}|--warmup|0|-q|-o|{O}",
		"{X}|list",
		"{X}|topo",
		"{X}|topo|--csv",
		"{X}|check",
		"{X}|check|--csv",
		"{X}|--help",
		"{X}|--version",
		"{X}|compare|{D}|{D}",
		"{X}|plot|{D}",
		"{X}|analyze|{D}",
	};
	char suite[PATH_MAX];
	FILE *f;

	util_strfmt(suite, sizeof(suite), "%s/full.csv", tmp);
	f = fopen(suite, "w");
	if (f) {
		fputs("workload,reps,workers\nspawn,1,1\n", f);
		fclose(f);
	}
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		for (int full = 0; full < 2; full++) {
			char buf[256], *args[24], msg[1024], out[PATH_MAX];
			const char *name = cmds[i] + 4;
			int rc, lines;

			util_strfmt(out, sizeof(out), "%s/full%zu-%d", tmp, i, full);
			util_strfmt(buf, sizeof(buf), "%s", cmds[i]);
			split(buf, args, 24);
			for (int k = 0; args[k]; k++) {
				if (!strcmp(args[k], "{X}"))
					args[k] = (char *)exe;
				else if (!strcmp(args[k], "{O}"))
					args[k] = out;
				else if (!strcmp(args[k], "{S}"))
					args[k] = suite;
				else if (!strcmp(args[k], "{D}"))
					args[k] = (char *)dir;
			}
			rc = wait_rc(start(args, tmp, full ? "/dev/full" : "/dev/null", 0));
			lines = stderr_text(tmp, msg, sizeof(msg));
			if (!full) {
				if (rc && strstr(msg, "gnuplot")) {
					ok(1, "# SKIP %s: %.*s", name, (int)strcspn(msg, "\n"), msg);
					break;
				}
				ok(rc == 0, "%s > /dev/null: exit 0 (got %d)", name, rc);
				continue;
			}
			ok(rc == 1 && lines == 1 && !strncmp(msg, "ptbench: ", 9) &&
			   strstr(msg, "standard output"),
			   "%s > /dev/full: exit %d, %d line(s): %.*s", name, rc, lines,
			   (int)strcspn(msg, "\n"), msg);
		}
	}
}

/* -o DIR/ is DIR; the folder and what "results:" names are the same. */
static void trailing_slash(const char *exe, const char *tmp)
{
	static const char *const forms[] = { "slash/", "slashes//" };

	for (size_t i = 0; i < ARRAY_SIZE(forms); i++) {
		char out[PATH_MAX], want[PATH_MAX], so[PATH_MAX], text[8192], line[PATH_MAX + 16];
		char *args[] = { (char *)exe, "run", "spawn", "-n", "1", "-r", "1", "--warmup", "0",
				 "-q", "-o", out, NULL };
		int rc;

		util_strfmt(out, sizeof(out), "%s/%s", tmp, forms[i]);
		util_strfmt(want, sizeof(want), "%s/%.*s", tmp, (int)strcspn(forms[i], "/"), forms[i]);
		util_strfmt(so, sizeof(so), "%s/stdout.txt", tmp);
		rc = wait_rc(start(args, tmp, so, 0));
		if (util_read_file(so, text, sizeof(text)) < 0)
			text[0] = '\0';
		util_strfmt(line, sizeof(line), "results: %s\n", want);
		ok(rc == 0 && trials_all(want, "ok", 1, NULL, NULL) && strstr(text, line),
		   "-o %s: exit %d, results in %s", out, rc, want);
	}
}

/* A disk that fills while the folder is set up: exit 1, nothing left. */
static void full_at_setup(const char *exe, const char *tmp)
{
	static const struct {
		const char *size;       /* of the tmpfs */
		int fill;               /* fill it up first */
	} cases[] = {
		{ "16k", 0 },           /* room for some header pages, not all */
		{ "8k", 1 },            /* no room for any */
	};

	if (geteuid() != 0) {
		ok(1, "# SKIP not root: no tmpfs to fill");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char mnt[PATH_MAX], opt[32], out[PATH_MAX], so[PATH_MAX], text[4096], msg[1024];
		char *args[] = { (char *)exe, "run", "spawn", "-n", "1", "-r", "1", "--warmup", "0",
				 "-q", "-o", out, NULL };
		int rc, lines;

		util_strfmt(mnt, sizeof(mnt), "%s/small%zu", tmp, i);
		mkdir(mnt, 0755);
		if (mount("tmpfs", mnt, "tmpfs", 0, util_strfmt(opt, sizeof(opt), "size=%s", cases[i].size)) < 0) {
			ok(1, "# SKIP cannot mount a tmpfs here: %s", strerror(errno));
			return;
		}
		if (cases[i].fill) {
			char fill[PATH_MAX], cmd[PATH_MAX + 64];

			util_strfmt(fill, sizeof(fill), "%s/fill", mnt);
			util_strfmt(cmd, sizeof(cmd), "cat /dev/zero > %s 2>/dev/null", fill);
			if (system(cmd) == -1)
				diag("could not fill %s", mnt);
		}
		util_strfmt(out, sizeof(out), "%s/parent/out", mnt);
		util_strfmt(so, sizeof(so), "%s/stdout.txt", tmp);
		rc = wait_rc(start(args, tmp, so, 0));
		lines = stderr_text(tmp, msg, sizeof(msg));
		if (util_read_file(so, text, sizeof(text)) < 0)
			text[0] = '\0';
		ok(rc == 1 && lines == 1 && strstr(msg, "No space left on device"),
		   "tmpfs of %s%s: exit %d, %d line(s): %.*s", cases[i].size,
		   cases[i].fill ? ", full" : "", rc, lines, (int)strcspn(msg, "\n"), msg);
		util_strfmt(out, sizeof(out), "%s/parent", mnt);
		ok(access(out, F_OK) != 0 && !strstr(text, "results:"),
		   "  no folder left (not even the parent it made), no 'results:' line");
		umount(mnt);
	}
}

/* Finds the v1 memory controller's mount (or a cgroup2 one) and this
 * process's folder in it, from /proc/self/mountinfo and /proc/self/cgroup. */
static int memory_cgroup(char *dir, size_t len, int *v2)
{
	char buf[8192], cg[PATH_MAX] = "", mnt[PATH_MAX] = "";
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096];

	while (f && fgets(line, sizeof(line), f)) {
		char root[PATH_MAX], point[PATH_MAX], *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*s %*s %*s %s %s", root, point) != 2)
			continue;
		if (!strncmp(dash, " - cgroup ", 10) && strstr(dash, ",memory")) {
			util_strfmt(mnt, sizeof(mnt), "%s", point);
			*v2 = 0;
			break;
		}
		if (!strncmp(dash, " - cgroup2 ", 11) && !*mnt) {
			char ctl[PATH_MAX];

			util_strfmt(ctl, sizeof(ctl), "%s/cgroup.controllers", point);
			if (util_read_file(ctl, buf, sizeof(buf)) > 0 && strstr(buf, "memory")) {
				util_strfmt(mnt, sizeof(mnt), "%s", point);
				*v2 = 1;
			}
		}
	}
	if (f)
		fclose(f);
	if (!*mnt || util_read_file("/proc/self/cgroup", buf, sizeof(buf)) <= 0)
		return -1;
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
		if (!*v2 && strstr(l, ":memory:"))
			util_strfmt(cg, sizeof(cg), "%s", strstr(l, ":memory:") + 8);
		if (*v2 && !strncmp(l, "0::", 3))
			util_strfmt(cg, sizeof(cg), "%s", l + 3);
	}
	if (!*cg)
		return -1;
	util_strfmt(dir, len, "%s%s", mnt, strcmp(cg, "/") ? cg : "");
	return 0;
}

/* In a memory cgroup of 64 MiB, a run that needs 100 MiB is refused,
 * naming the cgroup's limit. */
static void cgroup_memory(const char *exe, const char *tmp)
{
	char parent[PATH_MAX], cg[PATH_MAX + 32], file[PATH_MAX + 64], out[PATH_MAX], msg[1024];
	int v2 = 0, rc, lines;
	pid_t pid;
	FILE *f;

	if (geteuid() != 0) {
		ok(1, "# SKIP not root: cannot make a memory cgroup");
		return;
	}
	if (memory_cgroup(parent, sizeof(parent), &v2) < 0) {
		ok(1, "# SKIP no memory cgroup controller here");
		return;
	}
	util_strfmt(cg, sizeof(cg), "%s/ptb-test-%d", parent, (int)getpid());
	if (mkdir(cg, 0755) < 0) {
		ok(1, "# SKIP cannot create %s: %s", cg, strerror(errno));
		return;
	}
	util_strfmt(file, sizeof(file), "%s/%s", cg, v2 ? "memory.max" : "memory.limit_in_bytes");
	f = fopen(file, "w");
	if (!f || fputs("67108864\n", f) < 0 || fclose(f) != 0) {
		ok(1, "# SKIP cannot set %s", file);
		rmdir(cg);
		return;
	}
	util_strfmt(out, sizeof(out), "%s/cg", tmp);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* the wrapper: join the cgroup, then become ptbench */
		char procs[PATH_MAX + 64], err[PATH_MAX];
		FILE *p;

		util_strfmt(procs, sizeof(procs), "%s/cgroup.procs", cg);
		util_strfmt(err, sizeof(err), "%s/stderr.txt", tmp);
		p = fopen(procs, "w");
		if (!p || fprintf(p, "%d\n", (int)getpid()) < 0 || fclose(p) != 0 ||
		    !freopen(err, "w", stderr) || !freopen("/dev/null", "w", stdout))
			_exit(126);
		execl(exe, exe, "run", "spawn", "-P", "heap=100M", "-n", "1", "-o", out, (char *)NULL);
		_exit(127);
	}
	rc = wait_rc(pid);
	lines = stderr_text(tmp, msg, sizeof(msg));
	if (rc == 126)
		ok(1, "# SKIP cannot move a process into %s", cg);
	else
		ok(rc == 2 && lines == 1 && strstr(msg, "cgroup") &&
	   strstr(msg, v2 ? "memory.max" : "memory.limit_in_bytes") && access(out, F_OK) != 0,
	   "in a 64 MiB cgroup (v%d), heap=100M: exit %d, %.*s", v2 ? 2 : 1, rc,
	   (int)strcspn(msg, "\n"), msg);
	if (rmdir(cg) < 0)
		diag("could not remove %s: %s", cg, strerror(errno));
}

/* The memory estimate: "needs about X" for a configuration too big for
 * any machine here, in each mode. */
static void estimate(const char *exe, const char *tmp, const char *wl, const char *param,
		     const char *mode, const char *want)
{
	char *args[] = { (char *)exe, "run", (char *)wl, "-P", (char *)param, "-n", "2", "-m",
			 (char *)mode, NULL };
	char msg[1024], so[PATH_MAX], needle[64];
	int rc, lines;

	util_strfmt(so, sizeof(so), "%s/stdout.txt", tmp);
	rc = wait_rc(start(args, tmp, so, 0));
	lines = stderr_text(tmp, msg, sizeof(msg));
	util_strfmt(needle, sizeof(needle), "needs about %s,", want);
	ok(rc == 2 && lines == 1 && strstr(msg, needle), "%s %s -n 2 -m %s needs %s: %.*s", wl, param,
	   mode, want, (int)strcspn(msg, "\n"), msg);
}

/* meta.csv's command is the command line, shell-quoted and whole. */
static void command_line(const char *exe, const char *tmp)
{
	char label[6000], out[PATH_MAX], so[PATH_MAX], want[8192], got[8192];
	char *args[] = { (char *)exe, "run", "spawn", "-n", "1", "-r", "1", "--warmup", "0", "-q",
			 "--label", label, "-o", out, NULL };
	int rc;

	memset(label, 'x', sizeof(label));
	memcpy(label, "it's \"$HOME\" ", 13);
	label[sizeof(label) - 1] = '\0';
	util_strfmt(out, sizeof(out), "%s/cmdline", tmp);
	util_strfmt(so, sizeof(so), "%s/stdout.txt", tmp);
	rc = wait_rc(start(args, tmp, so, 0));
	util_strfmt(want, sizeof(want), "%s run spawn -n 1 -r 1 --warmup 0 -q --label 'it'\\''s \"$HOME\" %s' -o %s",
	       exe, label + 13, out);
	meta(out, "command", got, sizeof(got));
	ok(rc == 0 && strcmp(got, want) == 0, "meta.csv command: %zu bytes, quoted, whole (exit %d)",
	   strlen(got), rc);
	if (strcmp(got, want))
		diag("got  %.200s\nwant %.200s", got, want);
}

int main(int argc, char **argv)
{
	char tmp[64], exe[PATH_MAX], a[PATH_MAX], b[PATH_MAX], msg[1024], so[PATH_MAX];
	struct sysinfo si;

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)) || !realpath(argv[1], exe))
		return 2;

	/* Two small result folders with nothing in common. */
	{
		const char *spawn[] = { "spawn", "-n", "1", "-r", "1", NULL };
		const char *cpu[] = { "cpu", "-n", "1", "-r", "1", "-P", "total=100000", NULL };

		ok(run_ptbench(exe, tmp, "A", a, sizeof(a), -1, spawn) == 0 &&
		   run_ptbench(exe, tmp, "B", b, sizeof(b), -1, cpu) == 0, "two result folders");
	}
	{
		char *args[] = { exe, "compare", a, b, NULL };
		char text[256];
		int rc, lines;

		util_strfmt(so, sizeof(so), "%s/stdout.txt", tmp);
		rc = wait_rc(start(args, tmp, so, 0));
		lines = stderr_text(tmp, msg, sizeof(msg));
		ok(rc == 2 && lines == 1 && strstr(msg, "no experiment in common") &&
		   util_read_file(so, text, sizeof(text)) == 0,
		   "compare without a common experiment: exit %d, nothing on stdout, %.*s", rc,
		   (int)strcspn(msg, "\n"), msg);
	}

	closed_fds(exe, tmp);
	stdout_full(exe, tmp, a);
	trailing_slash(exe, tmp);
	full_at_setup(exe, tmp);
	cgroup_memory(exe, tmp);

	/* membw maps its arrays in each worker: both modes need the same,
	 * 2 x (1 TiB + its page tables, 2 GiB) + 1 MiB a worker; spawn's
	 * heap is the trial's, so each forked worker adds its page tables. */
	if (sysinfo(&si) == 0 && (double)si.totalram * si.mem_unit < 1e12) {
		estimate(exe, tmp, "membw", "size=1T", "process", "2052.0 GiB");
		estimate(exe, tmp, "membw", "size=1T", "thread", "2052.0 GiB");
		estimate(exe, tmp, "spawn", "heap=1T", "process", "1030.0 GiB");
		estimate(exe, tmp, "spawn", "heap=1T", "thread", "1026.0 GiB");
	} else {
		ok(1, "# SKIP over 1 TB of RAM: the estimates would fit");
	}

	command_line(exe, tmp);

	/* A suite saved as "CSV UTF-8" starts with a byte order mark. */
	{
		char suite[PATH_MAX], out[PATH_MAX];
		char *args[] = { exe, "suite", suite, "--warmup", "0", "--bursts", "off", "-q", "-o",
				 out, NULL };
		FILE *f;
		int rows, rc, all_ok;

		util_strfmt(suite, sizeof(suite), "%s/bom.csv", tmp);
		util_strfmt(out, sizeof(out), "%s/bom", tmp);
		f = fopen(suite, "w");
		if (f) {
			fputs("\xEF\xBB\xBFworkload,reps,workers\r\nspawn,1,1\r\n", f);
			fclose(f);
		}
		util_strfmt(so, sizeof(so), "%s/stdout.txt", tmp);
		rc = wait_rc(start(args, tmp, so, 0));
		all_ok = trials_all(out, "ok", 1, NULL, &rows);
		ok(rc == 0 && all_ok && rows == 2, "a suite with a UTF-8 BOM runs (exit %d, %d trials)",
		   rc, rows);
	}
	ok(leftovers(exe) == 0, "no process left behind");
	rmtree(tmp);
	return done_testing();
}
