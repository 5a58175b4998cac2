/* test_plan.c - building a plan from a suite file: a suite that cannot be
 * read for want of memory is this process's failure (-ENOMEM, exit 1),
 * not bad input (-EINVAL, exit 2); a bad suite stays bad input. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plan.h"
#include "tap.h"
#include "util.h"

/* plan_suite on path in a child whose address space has only `room`
 * bytes beyond what it maps now; its return value, negated (0..255). */
static int suite_rc_with_room(const char *path, size_t room)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char buf[256], err[512];
		long pages = 0, page = sysconf(_SC_PAGESIZE);
		struct options o;
		struct run_env env = { .o = &o };
		struct plan p = { 0 };
		struct rlimit as;

		if (util_read_file("/proc/self/statm", buf, sizeof(buf)) <= 0 ||
		    sscanf(buf, "%ld", &pages) != 1)
			_exit(255);
		as.rlim_cur = as.rlim_max = (rlim_t)pages * (rlim_t)page + room;
		if (room && setrlimit(RLIMIT_AS, &as) < 0)
			_exit(255);
		opts_defaults(&o);
		_exit(-plan_suite(&p, &env, path, err, sizeof(err)));
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int main(void)
{
	char dir[] = "/tmp/ptb-plan-XXXXXX", path[PATH_MAX];
	FILE *f;

	if (!mkdtemp(dir))
		return 1;
	/* 12 MiB of rows (under the 16 MiB a suite may have): reading it
	 * takes a buffer of 16 MiB. */
	util_strfmt(path, sizeof(path), "%s/big.csv", dir);
	f = fopen(path, "w");
	if (!f)
		return 1;
	fputs("workload,params\n", f);
	for (int i = 0; i < 12 * 1024; i++)
		fprintf(f, "nosuch,%01020d\n", i);
	fclose(f);

	ok(suite_rc_with_room(path, 0) == EINVAL,
	   "with memory to read it, the suite is bad input (an unknown workload): EINVAL");
#if defined(__SANITIZE_ADDRESS__)
	ok(1, "# SKIP address space limits do not apply under AddressSanitizer");
#else
	{
		int rc = suite_rc_with_room(path, 4 << 20);

		ok(rc == ENOMEM, "without memory to read it: ENOMEM, not EINVAL (got %d, %s)", rc,
		   rc > 0 && rc < 255 ? strerror(rc) : "?");
	}
#endif
	util_strfmt(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
