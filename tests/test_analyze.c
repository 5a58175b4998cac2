/* test_analyze.c - `ptbench analyze DIR` rebuilds the summaries of a
 * folder whose harness was killed, and run/suite refuse hwloc's topology
 * overrides (they would measure another machine than this one). */
#include <signal.h>
#include <sys/stat.h>

#include "e2e.h"

static const char *ptb;

static long file_size(const char *dir, const char *file)
{
	char path[PATH_MAX];
	struct stat st;

	util_strfmt(path, sizeof(path), "%s/%s", dir, file);
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* One line "ptbench: ..." on stderr naming `what`. */
static int one_line(const char *tmp, const char *what)
{
	char buf[4096];
	char *nl;

	slurp(tmp, "stderr.txt", buf, sizeof(buf));
	nl = strchr(buf, '\n');
	return !strncmp(buf, "ptbench: ", 9) && nl && !nl[1] && strstr(buf, what);
}

static void rebuild(const char *tmp)
{
	static const char *const extra[] = { "cpu", "-n", "1,2", "-r", "3",
					     "-P", "total=2000000", NULL };
	static const char *const sums[] = { "summary.csv", "versus.csv", "claims.csv" };
	char dir[PATH_MAX], path[PATH_MAX], *before, *after;
	char *const args[] = { (char *)ptb, "analyze", dir, NULL };
	int rows, rc;

	rc = run_ptbench(ptb, tmp, "r", dir, sizeof(dir), -1, extra);
	ok(rc == 0, "a small run (exit %d)", rc);
	before = calloc(2, 1 << 20);
	after = before + (1 << 20);
	slurp(dir, "summary.csv", before, 1 << 20);

	/* What a killed harness leaves: no summaries, maybe a stale .tmp. */
	for (size_t i = 0; i < ARRAY_SIZE(sums); i++) {
		util_strfmt(path, sizeof(path), "%s/%s", dir, sums[i]);
		unlink(path);
	}
	util_strfmt(path, sizeof(path), "%s/summary.csv.tmp", dir);
	fclose(fopen(path, "w"));
	rc = run_cmd(args, tmp);
	ok(rc == 0, "analyze rebuilds the summaries (exit %d)", rc);
	slurp(dir, "summary.csv", after, 1 << 20);
	ok(*before && strcmp(before, after) == 0,
	   "summary.csv is byte for byte the one the run wrote");
	ok(file_rows(dir, "claims.csv") == 9, "claims.csv has the nine claims");
	ok(file_rows(dir, "versus.csv") > 0, "versus.csv has rows");
	ok(file_size(dir, "summary.csv.tmp") < 0, "the stale summary.csv.tmp is gone");
	slurp(tmp, "stdout.txt", after, 1 << 20);
	ok(strstr(after, "parallel") && strstr(after, "verdict"), "the verdicts are printed");

	/* A row cut short by a kill in the middle of a write. */
	rows = file_rows(dir, "trials.csv");
	util_strfmt(path, sizeof(path), "%s/trials.csv", dir);
	rc = truncate(path, file_size(dir, "trials.csv") - 40);
	rc = rc ? rc : run_cmd(args, tmp);
	ok(rc == 0, "analyze takes a trials.csv whose last row is cut (exit %d)", rc);
	ok(file_rows(dir, "trials.csv") < 0, "(that trials.csv alone does not parse)");
	slurp(dir, "summary.csv", after, 1 << 20);
	ok(*after && strcmp(before, after) != 0 && rows > 1,
	   "the summaries leave that row out");
	free(before);
}

/* SIGKILL of the harness in the middle of a run, then analyze. */
static void killed(const char *tmp)
{
	char dir[PATH_MAX], path[PATH_MAX];
	char *const run[] = { (char *)ptb, "run", "cpu", "-n", "1", "-r", "200", "--warmup", "0",
			      "-P", "total=5000000", "--keep-noisy", "-q", "-o", dir, NULL };
	char *const an[] = { (char *)ptb, "analyze", dir, NULL };
	pid_t pid;
	int rc, st;

	util_strfmt(dir, sizeof(dir), "%s/killed", tmp);
	util_strfmt(path, sizeof(path), "%s/trials.csv", dir);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execv(ptb, run);
		_exit(127);
	}
	/* Wait for a few finished trials (bounded: 60 s). */
	for (int i = 0; i < 6000 && file_rows(dir, "trials.csv") < 4; i++)
		usleep(10000);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	ok(file_rows(dir, "trials.csv") >= 4, "the run wrote trials before SIGKILL");
	ok(file_size(dir, "summary.csv") < 0, "a killed run has no summary.csv");
	/* Its last trial process ends by itself within its timeout. */
	for (int i = 0; i < 600 && leftovers(ptb) > 0; i++)
		usleep(100000);
	rc = run_cmd(an, tmp);
	ok(rc == 0, "analyze of the killed run (exit %d)", rc);
	ok(file_rows(dir, "summary.csv") > 0 && file_rows(dir, "claims.csv") == 9,
	   "summary.csv and claims.csv are there and parse");
}

static void bad(const char *tmp)
{
	static const struct { const char *args, *named; } cases[] = {
		{ "analyze", "analyze" },
		{ "analyze|{T}|{T}", "analyze" },
		{ "analyze|{T}/empty", "not a result folder" },
		{ "analyze|{T}/nonexistent", "not a result folder" },
		{ "analyze|/etc/passwd", "not a result folder" },
		{ "analyze|{T}/empty|--noise|2", "2" },
	};
	char empty[PATH_MAX];

	util_strfmt(empty, sizeof(empty), "%s/empty", tmp);
	mkdir(empty, 0755);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char buf[1024], *argv[16], *save = NULL;
		char words[PATH_MAX * 3];
		int n = 0, rc;
		DIR *d;
		int files = 0;

		/* {T} is the test's folder. */
		words[0] = '\0';
		for (const char *s = cases[i].args; *s; s++) {
			size_t k = strlen(words);

			if (!strncmp(s, "{T}", 3)) {
				util_strfmt(words + k, sizeof(words) - k, "%s", tmp);
				s += 2;
			} else {
				words[k] = *s;
				words[k + 1] = '\0';
			}
		}
		argv[n++] = (char *)ptb;
		for (char *w = strtok_r(words, "|", &save); w && n < 15; w = strtok_r(NULL, "|", &save))
			argv[n++] = w;
		argv[n] = NULL;
		rc = run_cmd(argv, tmp);
		ok(rc == 2 && one_line(tmp, cases[i].named), "%s: exit 2 (%d), one line naming '%s'",
		   cases[i].args, rc, cases[i].named);
		if (rc != 2 || !one_line(tmp, cases[i].named))
			diag("%s", slurp(tmp, "stderr.txt", buf, sizeof(buf)));
		d = opendir(empty);
		for (struct dirent *e; d && (e = readdir(d));)
			files += e->d_name[0] != '.';
		if (d)
			closedir(d);
		ok(files == 0, "%s: nothing written into the folder", cases[i].args);
	}
}

/* run and suite measure this machine: hwloc's overrides are refused. */
static void hwloc_env(const char *tmp)
{
	static const char *const vars[][2] = {
		{ "HWLOC_SYNTHETIC", "pack:2 core:64 pu:1" },
		{ "HWLOC_XMLFILE", "/etc/passwd" },
		{ "HWLOC_FSROOT", "/tmp" },
		{ "HWLOC_THISSYSTEM", "0" },
		{ "HWLOC_COMPONENTS", "synthetic=pack:2 pu:1" },
		{ "HWLOC_ALLOW", "all" },
	};
	char suite[PATH_MAX], out[PATH_MAX], buf[4096];
	FILE *f;

	util_strfmt(suite, sizeof(suite), "%s/s.csv", tmp);
	f = fopen(suite, "w");
	fputs("workload,modes,workers,reps,pin,params\ncpu,thread,1,1,core,total=1000\n", f);
	fclose(f);
	util_strfmt(out, sizeof(out), "%s/out", tmp);
	for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
		char *const run[] = { (char *)ptb, "run", "cpu", "-n", "1", "-r", "1", "-P",
				      "total=1000", "-o", out, "-q", NULL };
		char *const sui[] = { (char *)ptb, "suite", suite, "-o", out, "-q", NULL };
		int r1, r2;

		setenv(vars[i][0], vars[i][1], 1);
		r1 = run_cmd(run, tmp);
		ok(r1 == 2 && one_line(tmp, vars[i][0]), "run with %s set: exit 2 (%d) naming it",
		   vars[i][0], r1);
		r2 = run_cmd(sui, tmp);
		ok(r2 == 2 && one_line(tmp, vars[i][0]), "suite with %s set: exit 2 (%d) naming it",
		   vars[i][0], r2);
		unsetenv(vars[i][0]);
		ok(file_size(out, ".") < 0, "no result folder with %s", vars[i][0]);
	}
	{
		char *const topo[] = { (char *)ptb, "topo", "-n", "2", NULL };
		int rc;

		setenv("HWLOC_SYNTHETIC", "pack:2 core:4 pu:2", 1);
		rc = run_cmd(topo, tmp);
		slurp(tmp, "stdout.txt", buf, sizeof(buf));
		ok(rc == 0 && strstr(buf, "16 PU(s)") && strstr(buf, "HWLOC_SYNTHETIC"),
		   "topo shows the machine HWLOC_SYNTHETIC describes, and says so");
		unsetenv("HWLOC_SYNTHETIC");
		setenv("HWLOC_XMLFILE", suite, 1);
		rc = run_cmd(topo, tmp);
		ok(rc == 2 && one_line(tmp, "HWLOC_XMLFILE"),
		   "topo with a garbage HWLOC_XMLFILE: exit 2 (%d) naming it", rc);
		unsetenv("HWLOC_XMLFILE");
	}
}

int main(int argc, char **argv)
{
	char tmp[PATH_MAX];

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 99;
	ptb = argv[1];
	rebuild(tmp);
	killed(tmp);
	bad(tmp);
	hwloc_env(tmp);
	rmtree(tmp);
	return done_testing();
}
