/* test_kill.c - how a trial is ended and classified: finding the cgroup v2
 * directory, reading OOM counters, the oom status, which signals stop a
 * run, an oom row left out of the summaries, and (as root, where cgroup v2
 * is writable) a cgroup made, entered, killed and removed for real. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"
#include "cgroup.h"
#include "e2e.h"
#include "fixture.h"
#include "trial.h"

static const char hybrid_mi[] =
	"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
static const char pure_mi[] =
	"22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
	"25 22 0:22 / /sys/fs/cgroup rw,nosuid,nodev shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
static const char container_mi[] =
	"100 90 0:22 /docker/abc /sys/fs/cgroup ro,nosuid master:9 - cgroup2 cgroup2 rw\n";
static const char two_mi[] =
	"50 22 0:22 /other /mnt/a rw - cgroup2 cgroup2 rw\n"
	"51 22 0:22 / /mnt/cg\\040two rw - cgroup2 cgroup2 rw\n";

static void locate_cases(void)
{
	static const struct {
		const char *mi, *cg, *want;     /* want NULL: -ENOENT */
		const char *what;
	} cases[] = {
		{ hybrid_mi, "4:memory:/x\n1:cpu:/\n0::/\n", "/sys/fs/cgroup/unified", "hybrid, root cgroup" },
		{ pure_mi, "0::/user.slice/session-1.scope\n",
		  "/sys/fs/cgroup/user.slice/session-1.scope", "pure v2, a session" },
		{ container_mi, "0::/docker/abc\n", "/sys/fs/cgroup", "a container's bind mount of its subtree" },
		{ container_mi, "0::/docker/abc/job\n", "/sys/fs/cgroup/job", "below a bind-mounted subtree" },
		{ container_mi, "0::/docker/abcd\n", NULL, "a sibling of the mounted subtree" },
		{ pure_mi, "0::/../outside\n", NULL, "outside the namespace's root" },
		{ two_mi, "0::/job\n", "/mnt/cg two/job", "the second mount holds it; escaped space" },
		{ hybrid_mi, "4:memory:/x\n1:cpu:/\n", NULL, "no v2 line (pure v1)" },
		{ "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n", "0::/\n", NULL,
		  "no cgroup2 mount" },
		{ "", "", NULL, "empty files" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char dir[PATH_MAX] = "";
		int rc = cg_locate(cases[i].mi, cases[i].cg, dir, sizeof(dir));

		if (cases[i].want)
			ok(rc == 0 && !strcmp(dir, cases[i].want), "cg_locate, %s: %s (got %d, %s)",
			   cases[i].what, cases[i].want, rc, dir);
		else
			ok(rc == -ENOENT, "cg_locate, %s: none (got %d, %s)", cases[i].what, rc, dir);
	}
}

/* The v1 hierarchies (the limits checked before a run): the mount of
 * type cgroup whose options have the controller. */
static void find_v1_cases(void)
{
	static const char v1_mi[] =
		"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
		"32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
		"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
		"39 31 0:36 /lxc/c1 /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
		"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
	static const char v1_cg[] =
		"9:pids:/lxc/c1/job\n4:memory:/user/1000\n2:cpu,cpuacct:/a\n0::/u\n";
	static const struct {
		const char *ctl, *want;         /* want NULL: -ENOENT */
		size_t top;
	} cases[] = {
		{ "memory", "/sys/fs/cgroup/memory/user/1000", 21 },
		{ "cpuacct", "/sys/fs/cgroup/cpu,cpuacct/a", 26 },
		{ "cpu", "/sys/fs/cgroup/cpu,cpuacct/a", 26 },
		{ "pids", "/sys/fs/cgroup/pids/job", 19 },     /* below a mounted subtree */
		{ "mem", NULL, 0 },                             /* a prefix is not a controller */
		{ "blkio", NULL, 0 },                           /* no such hierarchy */
		{ NULL, "/sys/fs/cgroup/unified/u", 22 },       /* cgroup2 */
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char dir[PATH_MAX] = "";
		size_t top = 0;
		int rc = cg_find(v1_mi, v1_cg, cases[i].ctl, dir, sizeof(dir), &top);

		if (cases[i].want)
			ok(rc == 0 && !strcmp(dir, cases[i].want) && top == cases[i].top,
			   "cg_find %s: %s, mount %zu long (got %d, %s, %zu)",
			   cases[i].ctl ? cases[i].ctl : "cgroup2", cases[i].want, cases[i].top, rc,
			   dir, top);
		else
			ok(rc == -ENOENT, "cg_find %s: none (got %d, %s)", cases[i].ctl, rc, dir);
	}
}

static void counter_cases(void)
{
	static const char events[] = "low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n";
	static const char vmstat[] = "nr_free_pages 5931\npgfault 7\noom_kill 41\nnr_unstable 0\n";
	static const struct {
		const char *text, *key, *what;
		int64_t want;
	} cases[] = {
		{ events, "oom_kill", "memory.events", 2 },
		{ events, "oom", "memory.events, a key that begins others", 3 },
		{ events, "oom_group_kill", "memory.events, a zero", 0 },
		{ vmstat, "oom_kill", "/proc/vmstat", 41 },
		{ "populated 1\nfrozen 0\n", "populated", "cgroup.events, busy", 1 },
		{ "populated 0\nfrozen 0\n", "populated", "cgroup.events, empty", 0 },
		{ "pgfault 7\n", "oom_kill", "missing key", -1 },
		{ "oom_kill x\n", "oom_kill", "not a number", -1 },
		{ "oom_killer 5\n", "oom_kill", "a longer key only", -1 },
		{ "", "oom_kill", "empty text", -1 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int64_t got = cg_counter(cases[i].text, cases[i].key);

		ok(got == cases[i].want, "counter %s, %s: %lld (got %lld)", cases[i].key, cases[i].what,
		   (long long)cases[i].want, (long long)got);
	}
	ok(cg_oom_kills(NULL) >= 0, "/proc/vmstat has oom_kill (%lld)", (long long)cg_oom_kills(NULL));
}

static void oom_cases(void)
{
	static const struct {
		enum trial_status st;
		int sig;
		int64_t kills;
		enum trial_status want;
	} cases[] = {
		{ TS_CRASHED, SIGKILL, 1, TS_OOM },     /* the OOM killer's signal, a kill counted */
		{ TS_CRASHED, SIGKILL, 3, TS_OOM },
		{ TS_CRASHED, SIGKILL, 0, TS_CRASHED }, /* raise(SIGKILL), kill -9: no OOM kill */
		{ TS_CRASHED, SIGSEGV, 2, TS_CRASHED }, /* an OOM kill elsewhere, a segfault here */
		{ TS_CRASHED, SIGABRT, 1, TS_CRASHED },
		{ TS_TIMEOUT, SIGKILL, 1, TS_TIMEOUT }, /* the harness's own SIGKILL */
		{ TS_INTERRUPTED, SIGKILL, 1, TS_INTERRUPTED },
		{ TS_OK, 0, 4, TS_OK },
		{ TS_ERROR, 0, 1, TS_ERROR },
		{ TS_WRONG, 0, 1, TS_WRONG },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		enum trial_status got = trial_oom_status(cases[i].st, cases[i].sig, cases[i].kills);

		ok(got == cases[i].want, "%s, signal %d, %lld OOM kills: %s (got %s)",
		   trial_status_names[cases[i].st], cases[i].sig, (long long)cases[i].kills,
		   trial_status_names[cases[i].want], trial_status_names[got]);
	}
	{
		static const char *const names[] = { "ok", "crashed", "timeout", "wrong", "error",
						     "interrupted", "oom" };
		int same = TS_N == ARRAY_SIZE(names);

		for (int i = 0; same && i < TS_N; i++)
			same = !strcmp(trial_status_names[i], names[i]);
		ok(same, "status names: the old ones in place, oom appended");
	}
}

static void signal_cases(void)
{
	static const int stops[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
				     SIGTERM, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGIO };
	static const int others[] = { 0, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS,
				      SIGKILL, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT, SIGCHLD,
				      SIGWINCH, SIGURG };

	for (size_t i = 0; i < ARRAY_SIZE(stops); i++)
		ok(trial_stop_signal(stops[i]), "%s stops a run", strsignal(stops[i]));
	ok(trial_stop_signal(SIGRTMIN) && trial_stop_signal(SIGRTMAX), "real-time signals stop a run");
	for (size_t i = 0; i < ARRAY_SIZE(others); i++)
		ok(!trial_stop_signal(others[i]), "%s does not (a fault, or not fatal)",
		   others[i] ? strsignal(others[i]) : "0");
}

/* An oom trial (expected=0) is not counted: the cell's values are the
 * ok ones only. */
static void analyze_case(void)
{
	struct fx f;
	struct row r;
	struct table t;
	char path[PATH_MAX], err[256];
	int n = -1;
	double median = 0;

	if (fx_open(&f) < 0) {
		ok(0, "fixture");
		return;
	}
	fx_cell(&f, "cpu", "total=1", "process", 1, 3, 0, "wall_s=1", NULL);
	row_init(&r, TR_N);
	row_u64(&r, TR_TRIAL, (uint64_t)++f.id);
	row_str(&r, TR_WORKLOAD, "cpu");
	row_str(&r, TR_MODE, "process");
	row_u64(&r, TR_WORKERS, 1);
	row_str(&r, TR_PIN, "core");
	row_u64(&r, TR_REP, 4);
	row_u64(&r, TR_TRACED, 0);
	row_str(&r, TR_STATUS, "oom");
	row_num(&r, TR_WALL_S, 1000);
	row_str(&r, TR_PARAMS, "total=1");
	row_u64(&r, TR_WARMUP, 0);
	row_u64(&r, TR_EXPECTED, 0);
	row_u64(&r, TR_SIGNAL, SIGKILL);
	csvw_row(f.trials, &r);
	fx_close(&f);
	if (report_dir(f.dir, -1, err, sizeof(err)) < 0)
		diag("report_dir: %s", err);
	util_strfmt(path, sizeof(path), "%s/summary.csv", f.dir);
	if (table_read(path, &t) == 0) {
		for (int i = 0; i < t.nrows; i++)
			if (!strcmp(cell(&t, i, "metric"), "wall_s") && !strcmp(cell(&t, i, "mode"), "process")) {
				n = (int)num(&t, i, "n");
				median = num(&t, i, "median");
			}
		table_free(&t);
	}
	ok(n == 3 && median < 2, "an oom trial is not counted: wall_s over %d trials, median %g", n, median);
	rmtree(f.dir);
}

/* The real thing: a process enters a trial cgroup, forks a grandchild
 * into a new session, and cgroup.kill ends both. */
static void live_case(void)
{
	struct cg cg;
	char path[PATH_MAX], run[PATH_MAX], stale[3][PATH_MAX] = { "", "", "" };
	struct stat sb;
	int rc, st, pfd[2];
	pid_t pid, esc = 0;

	if (geteuid() != 0) {
		ok(1, "# SKIP not root: no cgroup of our own to make");
		return;
	}
	{
		/* Cgroups that runs killed by SIGKILL left: one of a pid now
		 * free (with a trial's cgroup in it), one of this pid (a
		 * pid used again), one of a live process (init: kept). */
		char base[PATH_MAX];
		pid_t dead = fork();

		if (dead == 0)
			_exit(0);
		waitpid(dead, &st, 0);
		if (cg_own(NULL, base, sizeof(base), NULL) == 0) {
			util_strfmt(stale[0], sizeof(stale[0]), "%s/ptbench-%d", base, (int)dead);
			util_strfmt(stale[1], sizeof(stale[1]), "%s/ptbench-%d", base, (int)getpid());
			util_strfmt(stale[2], sizeof(stale[2]), "%s/ptbench-1", base);
			util_strfmt(path, sizeof(path), "%s/t3", stale[0]);
			for (int i = 0; i < 3; i++)
				mkdir(stale[i], 0755);
			mkdir(path, 0755);
		}
	}
	rc = cg_open(&cg);
	if (rc < 0) {
		if (rc == -EEXIST)
			ok(0, "cg_open: the stale cgroup of this pid was not removed");
		else
			ok(1, "# SKIP no writable cgroup v2 with cgroup.kill here: %s", strerror(-rc));
		for (int i = 0; i < 3; i++)
			rmdir(stale[i]);
		return;
	}
	util_strfmt(run, sizeof(run), "%s", cg.dir);
	ok(strstr(run, "/ptbench-") && stat(run, &sb) == 0, "the run's cgroup %s exists", run);
	ok(*stale[0] && stat(stale[0], &sb) < 0 && !strcmp(stale[1], run) && stat(stale[2], &sb) == 0,
	   "stale cgroups of gone runs removed (%s), this pid's name taken again, a live pid's kept",
	   stale[0]);
	rmdir(stale[2]);
	ok(cg_make(&cg, path, sizeof(path)) == 0 && stat(path, &sb) == 0, "a trial's cgroup %s", path);
	if (pipe(pfd) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		pid_t g;

		if (cg_enter(path) < 0)
			_exit(1);
		g = fork();
		if (g == 0) {
			setsid();
			for (;;)
				pause();
		}
		if (write(pfd[1], &g, sizeof(g)) != sizeof(g))
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	rc = read(pfd[0], &esc, sizeof(esc)) == sizeof(esc) && esc > 0;
	ok(rc, "the child entered it and forked %d", (int)esc);
	close(pfd[0]);
	ok(cg_kill(path) == 0, "cgroup.kill written");
	for (int i = 0; i < 2500 && (rc = (int)waitpid(pid, &st, WNOHANG)) == 0; i++)
		usleep(2000);
	if (rc == 0) {          /* not killed: do not hang the test */
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		st = 0;
	}
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the child died of SIGKILL (cgroup.kill)");
	ok(cg_remove(path) == 0 && stat(path, &sb) < 0, "the trial's cgroup is empty and removed");
	{
		char p[64];
		int gone = 0;

		/* The grandchild (not ours: init reaps it) goes too. */
		util_strfmt(p, sizeof(p), "/proc/%d/stat", (int)esc);
		for (int i = 0; i < 500 && !gone; i++) {
			char buf[512], *rp;

			gone = util_read_file(p, buf, sizeof(buf)) < 0 ||
			       ((rp = strrchr(buf, ')')) && (rp[2] == 'Z' || rp[2] == 'X'));
			if (!gone)
				usleep(2000);
		}
		ok(esc > 0 && gone, "the grandchild in its own session was killed too");
		if (esc > 0 && !gone)
			kill(esc, SIGKILL);
	}
	cg_make(&cg, path, sizeof(path));       /* left for cg_close */
	cg_close(&cg);
	ok(stat(run, &sb) < 0, "cg_close removed the run's cgroup and what was in it");
}

int main(void)
{
	locate_cases();
	find_v1_cases();
	counter_cases();
	oom_cases();
	signal_cases();
	analyze_case();
	live_case();
	return done_testing();
}
