/* test_modes.c - end to end: the shared and exec modes beside process and
 * thread. Rows carry the mode's name; shared and exec workers are
 * processes of their own, probed as such; fork copies no page tables of
 * shared memory; an exec'd worker builds its own table (sharedread) or
 * maps the trial's heap copy-on-write (cow); exec'd workers run the
 * harness's own program, even removed mid-run or out of another user's
 * reach; a mode a workload refuses is refused before anything runs. No
 * timing is asserted. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include <grp.h>

#include "e2e.h"
#include "opts.h"
#include "plancheck.h"

/* The trial-level value of column col of every trial in mode, summed, and
 * how many trials there were. */
static double trial_sum(const char *dir, const char *mode, const char *col, int *n)
{
	char path[PATH_MAX];
	struct table t;
	double sum = 0;

	*n = 0;
	util_strfmt(path, sizeof(path), "%s/trials.csv", dir);
	if (table_read(path, &t) < 0)
		return -1;
	for (int r = 0; r < t.nrows; r++)
		if (!strcmp(cell(&t, r, "mode"), mode)) {
			sum += num(&t, r, col);
			(*n)++;
		}
	table_free(&t);
	return sum;
}

/* Largest value of workers.csv column col over the workers of trials in
 * mode; -1 when there is none. */
static double worker_max(const char *dir, const char *mode, const char *col)
{
	char path[PATH_MAX];
	struct table tr, w;
	double max = -1;

	util_strfmt(path, sizeof(path), "%s/trials.csv", dir);
	if (table_read(path, &tr) < 0)
		return -1;
	util_strfmt(path, sizeof(path), "%s/workers.csv", dir);
	if (table_read(path, &w) < 0) {
		table_free(&tr);
		return -1;
	}
	for (int r = 0; r < w.nrows; r++) {
		int trial = (int)num(&w, r, "trial");

		if (trial >= 1 && trial <= tr.nrows && !strcmp(cell(&tr, trial - 1, "mode"), mode) &&
		    *cell(&w, r, col) && num(&w, r, col) > max)
			max = num(&w, r, col);
	}
	table_free(&tr);
	table_free(&w);
	return max;
}

/* Processes whose program is exe, deleted or not. */
static int running(const char *exe)
{
	char path[64], link[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir("/proc");
	size_t len = strlen(exe);
	int n = 0;

	while (d && (e = readdir(d))) {
		ssize_t k;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		util_strfmt(path, sizeof(path), "/proc/%s/exe", e->d_name);
		k = readlink(path, link, sizeof(link) - 1);
		if (k > 0 && (size_t)k >= len && !strncmp(link, exe, len))
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

static const struct workload picky = {
	.name = "picky", .refuse = { [MODE_EXEC] = "it needs to be inherited" },
};

int main(int argc, char **argv)
{
	char tmp[64], out[PATH_MAX], path[PATH_MAX];
	struct table t;
	int n;

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 2;

	/* -m all and what it parses to; a bad mode is named */
	{
		unsigned m;
		char err[256];

		ok(opts_modes_parse("all", &m, err, sizeof(err)) == 0 && m == (1u << MODE_N) - 1,
		   "-m all: the four modes");
		ok(opts_modes_parse("shared,exec", &m, err, sizeof(err)) == 0 &&
		   m == ((1u << MODE_SHARED) | (1u << MODE_EXEC)), "-m shared,exec");
		ok(opts_modes_parse("process,fiber", &m, err, sizeof(err)) < 0 && strstr(err, "'fiber'"),
		   "-m process,fiber: refused, naming it (%s)", err);
	}
	/* a mode a workload refuses: one line naming workload, mode, reason */
	{
		struct experiment e = { .wl = &picky, .modes = 1u << MODE_EXEC };
		struct plan p = { .n = 1, .exp = &e };
		char err[256];

		ok(plancheck_modes(&p, err, sizeof(err)) == -EINVAL &&
		   !strcmp(err, "workload picky cannot run in mode exec: it needs to be inherited"),
		   "a refused mode: '%s'", err);
		e.modes = (1u << MODE_PROCESS) | (1u << MODE_SHARED);
		ok(plancheck_modes(&p, err, sizeof(err)) == 0, "its other modes pass");
	}

	/* spawn: every mode's rows carry its name; shared and exec workers
	 * are processes, probed like process mode's; a forked worker copies
	 * the page tables of a private heap, not of a shared one */
	{
		const char *extra[] = { "spawn", "-n", "2", "-r", "2", "-m", "all", "-P", "heap=64M",
					"--bursts", "off", NULL };
		double pte_p, pte_s;

		ok(run_ptbench(argv[1], tmp, "spawn", out, sizeof(out), -1, extra) == 0 &&
		   trials_all(out, "ok", 1, NULL, NULL), "spawn -m all: every trial ok");
		for (int m = 0; m < MODE_N; m++) {
			trial_sum(out, mode_names[m], "spawn_s", &n);
			ok(n == 2, "trials.csv: 2 %s rows", mode_names[m]);
		}
		ok(worker_max(out, "shared", "pss_kib") > 0 && worker_max(out, "exec", "pss_kib") > 0 &&
		   worker_max(out, "thread", "pss_kib") < 0,
		   "workers.csv: shared and exec workers have their own memory rows, threads none");
		pte_p = worker_max(out, "process", "pte_kib");
		pte_s = worker_max(out, "shared", "pte_kib");
		/* 64 MiB of 4 KiB pages: 128 KiB of page-table entries, copied
		 * for a private heap, not for a shared one (the rest is the
		 * program's own, and a sanitizer's shadow) */
		ok(pte_p >= 128 && pte_s >= 0 && pte_p - pte_s >= 96,
		   "a forked worker's page tables: %g KiB of a private heap, %g of a shared one", pte_p,
		   pte_s);
	}

	/* sharedread: an exec'd worker builds its own table - about a table
	 * per worker more than forked workers that share the trial's */
	{
		const char *extra[] = { "sharedread", "-n", "2", "-r", "1", "-m", "process,shared,exec",
					"-P", "table=16M", "-P", "lookups=0", "--bursts", "off", NULL };
		double p, s, x, table = 16 * 1024;
		int np, ns, nx;

		ok(run_ptbench(argv[1], tmp, "sharedread", out, sizeof(out), -1, extra) == 0 &&
		   trials_all(out, "ok", 1, NULL, NULL), "sharedread: ok in process, shared and exec");
		p = trial_sum(out, "process", "pss_kib", &np);
		s = trial_sum(out, "shared", "pss_kib", &ns);
		x = trial_sum(out, "exec", "pss_kib", &nx);
		ok(np == 1 && ns == 1 && nx == 1 && p < 2 * table && s < 2 * table && x > 2.5 * table,
		   "PSS: process %.0f, shared %.0f KiB (one table), exec %.0f KiB (3 tables of %.0f)", p,
		   s, x, table);
	}

	/* cow: shared memory is never copied on write, so the worker copies
	 * by hand and the trial's heap stays intact; exec maps it
	 * copy-on-write */
	{
		const char *extra[] = { "cow", "-n", "2", "-r", "1", "-m", "shared,exec", "-P", "heap=8M",
					"--bursts", "off", NULL };

		ok(run_ptbench(argv[1], tmp, "cow", out, sizeof(out), -1, extra) == 0 &&
		   trials_all(out, "ok", 1, NULL, NULL),
		   "cow in shared and exec: ok, the trial's heap as it was (verify)");
	}

	/* The program removed in the middle of a run (as a rebuild does):
	 * exec'd workers still run the harness's own program, through
	 * /proc/self/exe - never another build - so both trials end as
	 * they expect, and nothing is left. */
	{
		char copy[PATH_MAX], cmd[2 * PATH_MAX];
		char *args[] = { copy, "run", "crash", "-n", "2", "-r", "1", "-m", "process,exec",
				 "--warmup", "0", "--bursts", "off", "-P", "fault=hang", "-t", "3",
				 "--keep-noisy", "--no-export", "-q", "-o", out, NULL };
		pid_t pid;
		int st = -1, rc, gone;

		util_strfmt(copy, sizeof(copy), "%s/ptb-copy", tmp);
		util_strfmt(cmd, sizeof(cmd), "cp '%s' '%s'", argv[1], copy);
		util_strfmt(out, sizeof(out), "%s/gone", tmp);
		if (system(cmd) != 0)
			diag("could not copy %s", argv[1]);
		pid = start_cmd_as(args, tmp, NULL, -1);
		/* harness, trial process and 2 workers of the process trial */
		for (int i = 0; i < 3000 && running(copy) < 4; i++)
			usleep(10000);
		gone = unlink(copy) == 0;
		waitpid(pid, &st, 0);
		rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		ok(gone && rc == 0, "the program removed mid-run: run exits 0 (got %d)", rc);
		util_strfmt(path, sizeof(path), "%s/trials.csv", out);
		if (ok(table_read(path, &t) == 0 && t.nrows == 2, "both trials have a row")) {
			ok(!strcmp(cell(&t, 0, "mode"), "process") && !strcmp(cell(&t, 0, "status"), "timeout"),
			   "process: timeout, as it expects (%s)", cell(&t, 0, "status"));
			ok(!strcmp(cell(&t, 1, "mode"), "exec") && !strcmp(cell(&t, 1, "status"), "timeout"),
			   "exec: its workers started from the removed program and hung as asked: timeout (%s %s)",
			   cell(&t, 1, "status"), cell(&t, 1, "message"));
			table_free(&t);
		}
		ok(running(copy) == 0 && leftovers(argv[1]) == 0, "nothing left behind");
	}

	/* Another user, the program in a folder that user may not search
	 * (as under a root-only temporary folder), started by a relative
	 * path from inside it: exec'd workers need no path to it. */
	if (geteuid() == 0) {
		char dir[PATH_MAX], logs[PATH_MAX], cmd[4 * PATH_MAX];
		char *args[] = { "./ptbench", "run", "cpu", "-n", "1", "-r", "1", "-m", "exec", "--warmup", "0",
				 "--bursts", "off", "-P", "total=2000000", "--keep-noisy", "--no-export",
				 "-q", "-o", out, NULL };
		int st = -1, rc;
		pid_t pid;

		/* private/ root's alone; private/bin/ open, the cwd */
		util_strfmt(dir, sizeof(dir), "%s/private/bin", tmp);
		util_strfmt(logs, sizeof(logs), "%s/other-user", tmp);
		util_strfmt(out, sizeof(out), "%s/result", logs);
		util_strfmt(cmd, sizeof(cmd),
			    "mkdir -p -m 0755 '%s' && chmod 0700 '%s/private' && cp '%s' '%s/ptbench' && "
			    "mkdir -m 0777 '%s' && chmod 0755 '%s'",
			    dir, tmp, argv[1], dir, logs, tmp);
		if (system(cmd) != 0)
			diag("could not set up %s", dir);
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			if (chdir(dir) < 0 || !freopen("/dev/null", "w", stdout) || setgroups(0, NULL) < 0 ||
			    setgid(65534) < 0 || setuid(65534) < 0)
				_exit(126);
			execv(args[0], args);
			_exit(127);
		}
		waitpid(pid, &st, 0);
		rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		util_strfmt(path, sizeof(path), "%s/trials.csv", out);
		if (table_read(path, &t) == 0) {
			ok(rc == 0 && t.nrows >= 1 && !strcmp(cell(&t, 0, "status"), "ok"),
			   "another user, the program's folder not searchable: exec trial ok (exit %d, %s %s)", rc,
			   cell(&t, 0, "status"), cell(&t, 0, "message"));
			table_free(&t);
		} else {
			ok(0, "another user, the program's folder not searchable: a result folder (exit %d)", rc);
		}
	} else {
		ok(1, "# SKIP not root: no other user to run as");
	}

	/* A descriptor limit too low for a trial: refused before anything
	 * runs, exit 2, no result folder. */
	{
		char cmd[2 * PATH_MAX];
		char *args[] = { "/bin/sh", "-c", cmd, NULL };
		struct stat sb;

		util_strfmt(out, sizeof(out), "%s/nofile", tmp);
		util_strfmt(cmd, sizeof(cmd), "ulimit -n 16 && exec '%s' run cpu -m exec -n 2 -o '%s' -q",
			    argv[1], out);
		ok(run_cmd(args, tmp) == 2 && stat(out, &sb) < 0,
		   "ulimit -n 16, exec mode: exit 2, nothing written");
	}
	ok(leftovers(argv[1]) == 0, "no ptbench process left behind");
	rmtree(tmp);
	return done_testing();
}
