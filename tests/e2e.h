/* e2e.h - helpers for tests that run ptbench itself and read its CSV. */
#ifndef PTB_E2E_H
#define PTB_E2E_H

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <grp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csvio.h"
#include "schema.h"
#include "tap.h"
#include "util.h"

/* Starts argv (NULL-terminated) with stdout/stderr to files in dir, on
 * the CPUs of *cpus (NULL: as inherited), as uid when >= 0; returns its
 * pid (-1: fork failed). */
static inline pid_t start_cmd_as(char *const argv[], const char *dir, const cpu_set_t *cpus,
				 int uid)
{
	char out[PATH_MAX], err[PATH_MAX];
	pid_t pid;

	util_strfmt(out, sizeof(out), "%s/stdout.txt", dir);
	util_strfmt(err, sizeof(err), "%s/stderr.txt", dir);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
			_exit(127);
		setenv("MALLOC_PERTURB_", "0", 1);
		if (cpus && sched_setaffinity(0, sizeof(*cpus), cpus) < 0)
			_exit(126);
		if (uid >= 0 && (setgroups(0, NULL) < 0 || setgid((gid_t)uid) < 0 ||
				 setuid((uid_t)uid) < 0))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Runs argv as start_cmd_as does; returns the exit code, or 128+signal. */
static inline int run_cmd_as(char *const argv[], const char *dir, const cpu_set_t *cpus,
			     int uid)
{
	pid_t pid = start_cmd_as(argv, dir, cpus, uid);
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static inline int run_cmd_on(char *const argv[], const char *dir, const cpu_set_t *cpus)
{
	return run_cmd_as(argv, dir, cpus, -1);
}

static inline int run_cmd(char *const argv[], const char *dir)
{
	return run_cmd_as(argv, dir, NULL, -1);
}

/* Runs `ptbench run EXTRA... --warmup 0 --keep-noisy -o TMP/NAME -q` (as uid when >= 0)
 * and returns its exit code; out gets the result folder's path. */
static inline int run_ptbench(const char *ptbench, const char *tmp, const char *name,
			      char *out, size_t outlen, int uid, const char *const *extra)
{
	char *args[48];
	int n = 0;

	util_strfmt(out, outlen, "%s/%s", tmp, name);
	args[n++] = (char *)ptbench;
	args[n++] = "run";
	for (; *extra && n < 40; extra++)
		args[n++] = (char *)*extra;
	args[n++] = "--warmup";
	args[n++] = "0";
	/* what a test counts must not depend on the machine's other load */
	args[n++] = "--keep-noisy";
	args[n++] = "-o";
	args[n++] = out;
	args[n++] = "-q";
	args[n] = NULL;
	return run_cmd_as(args, tmp, NULL, uid);
}

/* Reads dir/file, checking its header is exactly the schema's. */
static inline int read_checked(const char *dir, const char *file, const char *const *cols,
			       int ncols, struct table *t)
{
	char path[PATH_MAX];
	int same;

	util_strfmt(path, sizeof(path), "%s/%s", dir, file);
	if (table_read(path, t) < 0) {
		ok(0, "%s parses as CSV", file);
		return -1;
	}
	same = t->ncols == ncols;
	for (int i = 0; same && i < ncols; i++)
		same = strcmp(t->head[i], cols[i]) == 0;
	ok(same, "%s has the schema's %d columns in order", file, ncols);
	return same ? 0 : -1;
}

/* The text of dir/file ("" when it cannot be read). */
static inline char *slurp(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX];

	util_strfmt(path, sizeof(path), "%s/%s", dir, file);
	if (util_read_file(path, buf, len) < 0)
		buf[0] = '\0';
	return buf;
}

/* The rows of dir/file, or -1 when it does not parse. */
static inline int file_rows(const char *dir, const char *file)
{
	char path[PATH_MAX];
	struct table t;
	int n;

	util_strfmt(path, sizeof(path), "%s/%s", dir, file);
	if (table_read(path, &t) < 0)
		return -1;
	n = t.nrows;
	table_free(&t);
	return n;
}

/* A cell by column name. */
static inline const char *cell(const struct table *t, int row, const char *col)
{
	return table_get(t, row, table_col(t, col));
}

static inline double num(const struct table *t, int row, const char *col)
{
	return table_num(t, row, table_col(t, col));
}

/* The value of key in dir/meta.csv ("" when missing). */
static inline const char *meta(const char *dir, const char *key, char *buf, size_t len)
{
	char path[PATH_MAX];
	struct table t;

	buf[0] = '\0';
	util_strfmt(path, sizeof(path), "%s/meta.csv", dir);
	if (table_read(path, &t) < 0)
		return buf;
	for (int r = 0; r < t.nrows; r++)
		if (!strcmp(table_get(&t, r, 0), key))
			util_strfmt(buf, len, "%s", table_get(&t, r, 1));
	table_free(&t);
	return buf;
}

/* Whether every trial of dir/trials.csv (one at least) ended with
 * `status`, with a right checksum when `checksum`, and in `mode` when it
 * is not NULL; the rows it read go to *rows when rows is not NULL. */
static inline int trials_all(const char *dir, const char *status, int checksum,
			     const char *mode, int *rows)
{
	char path[PATH_MAX];
	struct table t;
	int bad = 0, n;

	if (rows)
		*rows = 0;
	util_strfmt(path, sizeof(path), "%s/trials.csv", dir);
	if (table_read(path, &t) < 0)
		return 0;
	n = t.nrows;
	if (rows)
		*rows = n;
	for (int r = 0; r < t.nrows; r++) {
		if (strcmp(cell(&t, r, "status"), status) ||
		    (checksum && num(&t, r, "checksum_ok") != 1) ||
		    (mode && strcmp(cell(&t, r, "mode"), mode))) {
			diag("trial %d %s %s: %s checksum_ok=%s %s", r + 1, cell(&t, r, "workload"),
			     cell(&t, r, "mode"), cell(&t, r, "status"), cell(&t, r, "checksum_ok"),
			     cell(&t, r, "message"));
			bad++;
		}
	}
	table_free(&t);
	return n > 0 && !bad;
}

/* Every file of a result folder parses; returns how many did. */
static inline int all_parse(const char *dir)
{
	static const char *const files[] = { "meta.csv", "trials.csv", "workers.csv", "metrics.csv",
					     "bursts.csv", "summary.csv", "versus.csv", "claims.csv" };
	int good = 0;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char path[PATH_MAX];
		struct table t;

		util_strfmt(path, sizeof(path), "%s/%s", dir, files[i]);
		if (table_read(path, &t) == 0) {
			good++;
			table_free(&t);
		} else {
			diag("%s does not parse", path);
		}
	}
	return good;
}


/* A fresh temporary folder. */
static inline char *tmpdir(char *buf, size_t len)
{
	util_strfmt(buf, len, "/tmp/ptb-test-XXXXXX");
	return mkdtemp(buf);
}

static inline void rmtree(const char *dir)
{
	char cmd[PATH_MAX + 16];

	util_strfmt(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
}

/* Processes running this executable, and zombie children of this test. */
static inline int leftovers(const char *exe)
{
	char real[PATH_MAX], path[64], link[PATH_MAX], stat[512];
	struct dirent *e;
	DIR *d = opendir("/proc");
	int n = 0;

	if (!d || !realpath(exe, real))
		return -1;
	while ((e = readdir(d))) {
		ssize_t k;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		util_strfmt(path, sizeof(path), "/proc/%s/exe", e->d_name);
		k = readlink(path, link, sizeof(link) - 1);
		if (k > 0) {
			link[k] = '\0';
			if (!strcmp(link, real)) {
				diag("left behind: pid %s", e->d_name);
				n++;
			}
		}
		util_strfmt(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if (util_read_file(path, stat, sizeof(stat)) > 0) {
			char *rp = strrchr(stat, ')');
			char st;
			int ppid;

			if (rp && sscanf(rp + 2, "%c %d", &st, &ppid) == 2 && st == 'Z' && ppid == getpid()) {
				diag("zombie child: pid %s", e->d_name);
				n++;
			}
		}
	}
	closedir(d);
	return n;
}

/* A child that spins on one CPU until killed: 5 ms of every 10 ms when
 * bursts, else all the time. Returns its pid (-1 when fork failed). */
static inline pid_t busy_loop(int cpu, int bursts)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		cpu_set_t set;
		volatile unsigned long x = 0;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			_exit(1);
		for (;;) {
			double t0 = util_now_s();

			while (util_now_s() - t0 < 0.005)
				x++;
			if (bursts)
				usleep(5000);
		}
	}
	return pid;
}

#endif
