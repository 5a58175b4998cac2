/* test_signals.c - end to end: every signal that would end ptbench stops
 * the run instead - the running trial's whole tree killed (an escaped
 * grandchild in its own session too), the finished trials and the
 * summaries written, exit 128 + the signal (130 for SIGINT and SIGTERM),
 * nothing left behind; a closed stdout pipe does the same; a trial
 * process killed from outside leaves its workers 'lost', not
 * 'not_started'. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "e2e.h"

static int rows(const char *dir)
{
	char path[PATH_MAX];
	struct table t;
	int n = 0;

	util_strfmt(path, sizeof(path), "%s/trials.csv", dir);
	if (table_read(path, &t) == 0) {
		n = t.nrows;
		table_free(&t);
	}
	return n;
}

/* Starts args with every signal at its default, stdout to a pipe whose
 * read end goes to *rd (rd NULL: /dev/null), as uid when >= 0. */
static pid_t start(char *const args[], int uid, int *rd)
{
	int p[2] = { -1, -1 };
	pid_t pid;

	if (rd && pipe(p) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		sigset_t none;
		int fd = rd ? p[1] : open("/dev/null", O_WRONLY);

		for (int s = 1; s < NSIG; s++)
			signal(s, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (fd < 0 || dup2(fd, 1) < 0 || !freopen("/dev/null", "w", stderr))
			_exit(127);
		if (rd)
			close(p[0]);
		if (uid >= 0 && (setgroups(0, NULL) < 0 || setgid((gid_t)uid) < 0 || setuid((uid_t)uid) < 0))
			_exit(126);
		execv(args[0], args);
		_exit(127);
	}
	if (rd) {
		close(p[1]);
		*rd = p[0];
	}
	return pid;
}

/* Its exit code; 256 + the signal when a signal killed it (a harness
 * that died of the signal must not pass for one that exited 128 + it). */
static int finish(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 256 + WTERMSIG(st);
}

/* The pid of a process running exe that leads a session of its own (the
 * escaped grandchild of fault=escape), or 0. */
static pid_t escaped(const char *exe)
{
	char real[PATH_MAX], path[64], link[PATH_MAX], stat[512];
	struct dirent *e;
	DIR *d = opendir("/proc");
	pid_t found = 0;

	if (!d || !realpath(exe, real)) {
		if (d)
			closedir(d);
		return 0;
	}
	while (!found && (e = readdir(d))) {
		ssize_t k;
		char *rp;
		int ppid, pgrp, sid;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		util_strfmt(path, sizeof(path), "/proc/%s/exe", e->d_name);
		k = readlink(path, link, sizeof(link) - 1);
		if (k <= 0)
			continue;
		link[k] = '\0';
		util_strfmt(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if (strcmp(link, real) || util_read_file(path, stat, sizeof(stat)) <= 0 ||
		    !(rp = strrchr(stat, ')')) || sscanf(rp + 4, "%d %d %d", &ppid, &pgrp, &sid) != 3)
			continue;
		if (sid == atoi(e->d_name))
			found = (pid_t)sid;
	}
	closedir(d);
	return found;
}

/* A process that is gone (or a zombie nobody has reaped yet). */
static int gone(pid_t pid)
{
	char path[64], buf[512], *rp;

	util_strfmt(path, sizeof(path), "/proc/%d/stat", (int)pid);
	return util_read_file(path, buf, sizeof(buf)) < 0 ||
	       ((rp = strrchr(buf, ')')) && (rp[2] == 'Z' || rp[2] == 'X'));
}

struct sigcase {
	int sig;                /* 0: close the read end of stdout instead */
	int code;               /* the exit code it must give */
};

/* One run stopped by c->sig once trials have finished: escape adds a
 * crash trial whose escaped grandchild is alive when the signal comes. */
static void stop_case(const char *ptb, const char *tmp, const struct sigcase *c, int escape,
		      int uid, const char *method)
{
	static int k;
	char out[PATH_MAX], buf[256], name[64], what[96];
	char *cpu[] = { (char *)ptb, "run", "cpu", "-n", "1", "-r", "1000", "-m", "all", "--warmup", "0", "--bursts",
			"off", "-P", "total=20000000", "-o", out, "-q", NULL };
	char *esc[] = { (char *)ptb, "run", "cpu", "crash", "-n", "2", "-r", "1", "-m", "all", "--warmup", "0",
			"--bursts", "off", "-P", "total=2000000", "-P", "fault=escape", "-P",
			"work=1000000", "-o", out, "-q", NULL };
	int sig = c->sig ? c->sig : SIGPIPE, rd = -1, rc, good, n;
	pid_t pid, grand = 0;
	struct table t;
	struct stat sb;

	util_strfmt(what, sizeof(what), "%s%s%s", c->sig ? strsignal(c->sig) : "stdout pipe closed",
	       escape ? ", escaped grandchild" : "", uid >= 0 ? ", not root" : "");
	util_strfmt(out, sizeof(out), "%s/stop%d", tmp, ++k);
	pid = start(escape ? esc : cpu, uid, c->sig ? NULL : &rd);
	for (int i = 0; i < 6000; i++) {        /* up to 60 s */
		if (rows(out) >= 2 && (!escape || (grand = escaped(ptb))))
			break;
		usleep(10000);
	}
	if (escape && !grand)
		diag("%s: no escaped grandchild seen", what);
	if (c->sig)
		kill(pid, c->sig);
	else
		close(rd);
	rc = finish(pid);
	ok(rc == c->code, "%s: exit %d (got %d)", what, c->code, rc);

	good = !strcmp(meta(out, "interrupted", buf, sizeof(buf)), "1");
	good &= atoi(meta(out, "stop_signal", buf, sizeof(buf))) == sig;
	good &= !strcmp(meta(out, "kill_method", buf, sizeof(buf)), method);
	ok(good, "%s: meta.csv says interrupted=1, stop_signal=%d, kill_method=%s (%s)", what, sig,
	   method, buf);
	if (!good)
		diag("kill_cgroup_error: %s", meta(out, "kill_cgroup_error", buf, sizeof(buf)));
	ok(all_parse(out) == 8, "%s: every file parses, summary.csv and claims.csv too", what);

	util_strfmt(name, sizeof(name), "%s/trials.csv", out);
	good = 0;
	if (table_read(name, &t) == 0) {
		int last = t.nrows - 1, oks = 0;
		const char *st = last >= 0 ? cell(&t, last, "status") : "";

		for (int r = 0; r < last; r++)
			oks += !strcmp(cell(&t, r, "status"), "ok");
		good = t.nrows >= 2 && oks == last && (!strcmp(st, "interrupted") || !strcmp(st, "ok"));
		if (escape) {
			util_strfmt(buf, sizeof(buf), "%s killed", strcmp(method, "cgroup") ? "process group" : "cgroup");
			good &= !strcmp(st, "interrupted") && !strcmp(cell(&t, last, "workload"), "crash") &&
				strstr(cell(&t, last, "message"), buf) != NULL;
		}
		for (int r = 0; !good && r < t.nrows; r++)
			diag("trial %s %s %s: %s %s", cell(&t, r, "trial"), cell(&t, r, "workload"),
			     cell(&t, r, "mode"), cell(&t, r, "status"), cell(&t, r, "message"));
		n = t.nrows;
		table_free(&t);
		ok(good, "%s: %d finished trials ok, the last %s", what, n,
		   escape ? "'interrupted', its tree killed" : "'interrupted' or complete");
	} else {
		ok(0, "%s: trials.csv", what);
	}

	good = leftovers(ptb) == 0 && (!grand || gone(grand));
	meta(out, "kill_cgroup", buf, sizeof(buf));
	good &= !*buf || stat(buf, &sb) < 0;
	ok(good, "%s: nothing left: no process%s, no cgroup", what, grand ? " (the escaped one either)" : "");
	if (grand && !gone(grand))
		kill(grand, SIGKILL);
}

/* CPU time (ticks) of a task, from its stat file. */
static long ticks(const char *stat_path)
{
	char buf[1024], *rp;
	unsigned long ut, st;

	if (util_read_file(stat_path, buf, sizeof(buf)) <= 0 || !(rp = strrchr(buf, ')')))
		return -1;
	/* after ")": state ppid pgrp session tty tpgid flags minflt cminflt
	 * majflt cmajflt utime stime */
	if (sscanf(rp + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (long)(ut + st);
}

/* The tasks (threads of pid, or its children) that have run 20 ticks. */
static int busy(pid_t pid, int threads)
{
	char path[128], buf[4096];
	int n = 0;

	if (threads) {
		DIR *d;
		struct dirent *e;

		util_strfmt(path, sizeof(path), "/proc/%d/task", (int)pid);
		if (!(d = opendir(path)))
			return 0;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			util_strfmt(path, sizeof(path), "/proc/%d/task/%s/stat", (int)pid, e->d_name);
			n += ticks(path) >= 20;
		}
		closedir(d);
		return n;
	}
	util_strfmt(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	if (util_read_file(path, buf, sizeof(buf)) <= 0)
		return 0;
	for (char *s = buf, *end; *s; s = end) {
		long c = strtol(s, &end, 10);

		if (end == s)
			break;
		util_strfmt(path, sizeof(path), "/proc/%ld/stat", c);
		n += ticks(path) >= 20;
	}
	return n;
}

/* The trial process dies of a SIGKILL from outside while its two workers
 * are at work: they had started, so they are 'lost', not 'not_started'. */
static void trial_killed(const char *ptb, const char *tmp, const char *mode)
{
	char out[PATH_MAX], path[PATH_MAX], buf[64];
	char *args[] = { (char *)ptb, "run", "cpu", "-n", "2", "-r", "1", "-m", (char *)mode, "--warmup",
			 "0", "--bursts", "off", "-P", "total=40000000000", "-t", "300", "-o", out, "-q",
			 NULL };
	pid_t pid, trial = 0;
	struct table t;
	int rc, lost = 0, nw = 0;

	util_strfmt(out, sizeof(out), "%s/killed-%s", tmp, mode);
	pid = start(args, -1, NULL);
	util_strfmt(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	for (int i = 0; i < 6000; i++) {        /* until both workers have run 0.2 s */
		/* (the harness's first child may be its short cgroup probe) */
		trial = util_read_file(path, buf, sizeof(buf)) > 0 ? (pid_t)atoi(buf) : 0;
		if (trial > 0 && busy(trial, !strcmp(mode, "thread")) >= 2)
			break;
		usleep(10000);
	}
	if (trial > 0)
		kill(trial, SIGKILL);
	else
		kill(pid, SIGKILL);
	rc = finish(pid);
	ok(rc == 1, "%s: trial process killed from outside: exit 1 (got %d)", mode, rc);
	util_strfmt(path, sizeof(path), "%s/trials.csv", out);
	if (table_read(path, &t) == 0) {
		/* oom only if the machine's OOM killer struck meanwhile */
		ok(t.nrows == 1 && (!strcmp(cell(&t, 0, "status"), "crashed") ||
				    !strcmp(cell(&t, 0, "status"), "oom")) && num(&t, 0, "signal") == 9,
		   "%s: the trial 'crashed', signal 9 (%s: %s)", mode, cell(&t, 0, "status"),
		   cell(&t, 0, "message"));
		table_free(&t);
	}
	util_strfmt(path, sizeof(path), "%s/workers.csv", out);
	if (table_read(path, &t) == 0) {
		for (int r = 0; r < t.nrows; r++) {
			nw++;
			lost += !strcmp(cell(&t, r, "status"), "lost") && num(&t, r, "signal") == 9;
			if (strcmp(cell(&t, r, "status"), "lost"))
				diag("worker %d: %s", r, cell(&t, r, "status"));
		}
		table_free(&t);
	}
	ok(nw == 2 && lost == 2, "%s: both workers 'lost' with signal 9, not 'not_started' (%d of %d)",
	   mode, lost, nw);
	ok(leftovers(ptb) == 0, "%s: nothing left", mode);
}

int main(int argc, char **argv)
{
	static const struct sigcase cases[] = {
		{ SIGHUP, 129 }, { SIGINT, 130 }, { SIGQUIT, 131 }, { SIGUSR1, 138 }, { SIGUSR2, 140 },
		{ SIGPIPE, 141 }, { SIGALRM, 142 }, { SIGTERM, 130 }, { SIGXCPU, 152 }, { SIGXFSZ, 153 },
		{ SIGVTALRM, 154 }, { 0, 141 },
	};
	char tmp[64], method[16] = "pgroup";
	struct cg cg;

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 2;
	/* What a run of root can use here: the same probe ptbench makes. */
	if (geteuid() == 0 && cg_open(&cg) == 0) {
		util_strfmt(method, sizeof(method), "cgroup");
		cg_close(&cg);
	}
	diag("kill method here: %s", method);

	for (int escape = 0; escape < 2; escape++)
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
			stop_case(argv[1], tmp, &cases[i], escape, -1, method);
	{
		struct sigcase rt = { SIGRTMIN, 128 + SIGRTMIN };

		stop_case(argv[1], tmp, &rt, 0, -1, method);
	}
	/* Another user gets no cgroup: process groups and the subreaper's
	 * sweep still find the escaped grandchild. */
	if (geteuid() == 0) {
		struct sigcase hup = { SIGHUP, 129 };

		chmod(tmp, 0777);
		stop_case(argv[1], tmp, &hup, 1, 65534, "pgroup");
	} else {
		ok(1, "# SKIP not root: no other user to run as");
	}

	trial_killed(argv[1], tmp, "process");
	trial_killed(argv[1], tmp, "thread");
	trial_killed(argv[1], tmp, "shared");
	trial_killed(argv[1], tmp, "exec");
	rmtree(tmp);
	return done_testing();
}
