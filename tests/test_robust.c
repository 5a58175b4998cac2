/* test_robust.c - end to end: interruption, a full disk, escaped
 * grandchildren, formula-like labels, and nothing left behind (in all
 * four modes where a trial's workers matter). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>

#include "e2e.h"

/* Starts ptbench in the background (all four modes); waits for two
 * repetitions of each mode and one more trial, then sends sig. */
static int interrupt(const char *ptbench, const char *tmp, const char *name, int sig, char *out,
		     size_t len)
{
	char rows_path[PATH_MAX];
	char *args[] = { (char *)ptbench, "run", "cpu", "-n", "1", "-r", "200", "-m", "all", "--bursts", "off",
			 "-P", "total=20000000", "-o", out, "--keep-noisy", "-q", NULL };
	int st;
	pid_t pid;

	util_strfmt(out, len, "%s/%s", tmp, name);
	util_strfmt(rows_path, sizeof(rows_path), "%s/trials.csv", out);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execv(ptbench, args);
		_exit(127);
	}
	for (int i = 0; i < 3000; i++) {        /* up to 30 s for 9 trials */
		struct table t;
		int n = 0;

		if (table_read(rows_path, &t) == 0) {
			n = t.nrows;
			table_free(&t);
		}
		if (n >= 9)
			break;
		usleep(10000);
	}
	kill(pid, sig);
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	char tmp[64], out[PATH_MAX], buf[256];

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 2;

	/* SIGINT and SIGTERM: the running trial is 'interrupted', the finished
	 * ones and the summaries are written, exit 130. */
	for (int k = 0; k < 2; k++) {
		int sig = k ? SIGTERM : SIGINT;
		int rc = interrupt(argv[1], tmp, k ? "term" : "int", sig, out, sizeof(out));
		struct table t;
		char path[PATH_MAX];

		ok(rc == 130, "%s: exit 130 (got %d)", strsignal(sig), rc);
		ok(all_parse(out) == 8, "%s: every CSV file parses", strsignal(sig));
		util_strfmt(path, sizeof(path), "%s/trials.csv", out);
		if (table_read(path, &t) == 0) {
			int oks = 0, last = t.nrows - 1;

			for (int r = 0; r < last; r++)
				oks += !strcmp(cell(&t, r, "status"), "ok");
			/* a signal between two trials finds none running: then
			 * the last row is a finished trial too */
			ok(t.nrows >= 9 && oks == last && (!strcmp(cell(&t, last, "status"), "interrupted") ||
							   !strcmp(cell(&t, last, "status"), "ok")),
			   "%s: %d finished trials ok, the last one 'interrupted' (or ok, stopped between trials)",
			   strsignal(sig), oks);
			table_free(&t);
		}
		ok(!strcmp(meta(out, "interrupted", buf, sizeof(buf)), "1"), "%s: meta.csv says interrupted",
		   strsignal(sig));
		util_strfmt(path, sizeof(path), "%s/summary.csv", out);
		if (table_read(path, &t) == 0) {
			ok(t.nrows > 0, "%s: summary.csv of the finished trials (%d rows)", strsignal(sig), t.nrows);
			table_free(&t);
		}
		ok(leftovers(argv[1]) == 0, "%s: no process left behind", strsignal(sig));
	}

	/* A grandchild that left the trial's process group is killed too. */
	{
		const char *extra[] = { "crash", "-n", "2", "-r", "1", "-m", "all", "-P", "fault=escape", "-P",
					"work=1000000", "-t", "1", "--bursts", "off", NULL };

		ok(run_ptbench(argv[1], tmp, "escape", out, sizeof(out), -1, extra) == 0,
		   "fault=escape: timeouts, expected");
		ok(leftovers(argv[1]) == 0, "the escaped grandchildren are gone (subreaper)");
	}
	/* Normal, crashed and timed-out runs leave nothing either. */
	{
		const char *extra[] = { "crash", "spawn", "cpu", "-n", "2", "-r", "1", "-m", "all", "-P", "fault=segv",
					"-P", "work=1000000", "-P", "total=1000000", NULL };

		ok(run_ptbench(argv[1], tmp, "mixed", out, sizeof(out), -1, extra) == 0, "crash, spawn, cpu run");
		ok(leftovers(argv[1]) == 0, "nothing left behind, no zombie");
	}

	/* Formula-like labels come back as text. */
	{
		static const char *const labels[] = { "=1+1", "@SUM(A1)", "+x", "-x" };

		for (size_t i = 0; i < ARRAY_SIZE(labels); i++) {
			const char *extra[] = { "spawn", "-n", "1", "-r", "1", "--bursts", "off", "--label",
						labels[i], NULL };
			char name[16];

			util_strfmt(name, sizeof(name), "label%zu", i);
			run_ptbench(argv[1], tmp, name, out, sizeof(out), -1, extra);
			meta(out, "label", buf, sizeof(buf));
			ok(buf[0] == '\'' && !strcmp(buf + 1, labels[i]),
			   "--label '%s' is stored as the text '%s'", labels[i], buf);
		}
	}

	/* A full disk: exit 1 with a clear message, earlier rows intact. */
	if (geteuid() != 0) {
		ok(1, "# SKIP not root: no tmpfs to fill");
	} else {
		char mnt[PATH_MAX];

		util_strfmt(mnt, sizeof(mnt), "%s/small", tmp);
		mkdir(mnt, 0755);
		if (mount("tmpfs", mnt, "tmpfs", 0, "size=96k") < 0) {
			ok(1, "# SKIP cannot mount a tmpfs here");
		} else {
			char err[PATH_MAX], path[PATH_MAX];
			char *args[] = { argv[1], "run", "cpu", "spawn", "-n", "1,2", "-r", "100", "-P",
					 "total=1000", "--bursts", "off", "--keep-noisy", "-q", "-o", out, NULL };
			struct table t;
			int rc;

			util_strfmt(out, sizeof(out), "%s/out", mnt);
			rc = run_cmd(args, tmp);        /* stdout, stderr: not on the full disk */
			util_strfmt(err, sizeof(err), "%s/stderr.txt", tmp);
			ok(rc == 1, "disk full: exit 1 (got %d)", rc);
			if (util_read_file(err, buf, sizeof(buf)) > 0)
				diag("stderr: %s", buf);
			ok(strstr(buf, "ptbench: ") == buf && strstr(buf, "No space left on device"),
			   "with a message saying what could not be written and why");
			util_strfmt(path, sizeof(path), "%s/trials.csv", out);
			if (table_read(path, &t) == 0) {
				int bad = 0;

				for (int r = 0; r < t.nrows; r++)
					bad += num(&t, r, "trial") != r + 1 || strcmp(cell(&t, r, "status"), "ok");
				ok(t.nrows > 0 && bad == 0, "trials.csv still parses: %d complete rows", t.nrows);
				table_free(&t);
			} else {
				ok(0, "trials.csv still parses");
			}
			umount(mnt);
		}
	}
	rmtree(tmp);
	return done_testing();
}
