/* test_noisy.c - a trial beside a busy loop on its own CPU is caught:
 * quiet=0 with a wait to run, and the analysis leaves it out. What a busy
 * loop pinned to the worker's CPU does cannot be undone by other load: the
 * scheduler shares that CPU between the two. */
#include <sched.h>
#include <signal.h>

#include "e2e.h"

int main(int argc, char **argv)
{
	char tmp[64], out[PATH_MAX], buf[4096];
	struct table t, v;
	cpu_set_t mine;
	int cpu = -1, rc;
	pid_t pid;

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 2;
	/* the first CPU this test may use is where `-p core` puts worker 0 */
	if (sched_getaffinity(0, sizeof(mine), &mine) == 0)
		for (int i = 0; i < CPU_SETSIZE && cpu < 0; i++)
			if (CPU_ISSET(i, &mine))
				cpu = i;
	pid = busy_loop(cpu, 0);
	util_strfmt(out, sizeof(out), "%s/noisy", tmp);
	{
		/* not run_ptbench: that one keeps disturbed trials */
		char *args[] = { argv[1], "run", "cpu", "-n", "1", "-r", "3", "-p", "core",
				 "--bursts", "off", "--warmup", "0", "-P", "total=100000000",
				 "-o", out, "-q", NULL };

		rc = run_cmd(args, tmp);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ok(rc == 0, "cpu -n 1 beside a busy loop on CPU %d runs (exit %d)", cpu, rc);
	if (read_checked(out, "trials.csv", trials_cols, TR_N, &t) == 0) {
		int caught = 0, counted = 0;

		for (int r = 0; r < t.nrows; r++) {
			if (num(&t, r, "warmup") == 1)
				continue;
			counted++;
			if (num(&t, r, "quiet") == 0 && num(&t, r, "wait_s") > 0 &&
			    strstr(cell(&t, r, "message"), "disturbed"))
				caught++;
			else
				diag("trial %s: quiet=%s wait_s=%s of wall_s=%s foreign_cpu_s=%s speed=%s",
				     cell(&t, r, "trial"), cell(&t, r, "quiet"), cell(&t, r, "wait_s"),
				     cell(&t, r, "wall_s"), cell(&t, r, "foreign_cpu_s"),
				     cell(&t, r, "speed"));
		}
		ok(counted == 6 && caught == counted,
		   "every counted trial is quiet=0 with wait_s > 0 and says why (%d of %d)", caught,
		   counted);
		table_free(&t);
	}
	/* left out of the estimates: no cell is left to compare, and the
	 * verdicts' last line says why */
	util_strfmt(buf, sizeof(buf), "%s/versus.csv", out);
	if (table_read(buf, &v) == 0) {
		int rows = 0;

		for (int r = 0; r < v.nrows; r++)
			rows += !strcmp(cell(&v, r, "metric"), "wall_s");
		ok(rows == 0, "versus.csv has no wall_s row: every counted trial was left out");
		table_free(&v);
	}
	{
		char text[16384];

		util_strfmt(buf, sizeof(buf), "%s/stdout.txt", tmp);
		if (util_read_file(buf, text, sizeof(text)) < 0)
			text[0] = '\0';
		ok(strstr(text, "noise: 6 of 6 trials disturbed") != NULL,
		   "the verdicts end with the noise: 6 of 6 trials disturbed");
	}
	rmtree(tmp);
	return done_testing();
}
