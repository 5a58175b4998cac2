/* bench_suite.c - building and checking the plan of a suite of 100,000
 * trials, two ways: 50,000 rows of one counted pair each, and 50 rows of
 * 1,000 pairs each; and a tenth of each, to see the growth. Prints the
 * time of plan_suite and plancheck_plan and the peak RSS. Run: meson test
 * --benchmark. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "plan.h"
#include "plancheck.h"
#include "util.h"

/* Writes a suite of rows rows of cpu, each its own experiment (its own
 * total), both modes at 1 worker, reps counted repetitions, no warm-up,
 * none traced. */
static int write_suite(const char *path, int rows, int reps)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		return -1;
	fputs("workload,modes,workers,reps,pin,params,traced\n", fp);
	for (int i = 0; i < rows; i++)
		fprintf(fp, "cpu,\"process,thread\",1,%d,core,total=%d,0\n", reps, 1000 + i);
	return fclose(fp);
}

/* Trials of a plan: its cells times its modes times its repetitions. */
static long trials_of(const struct plan *p)
{
	long n = 0;

	for (int i = 0; i < p->n; i++) {
		const struct experiment *e = &p->exp[i];

		n += (long)__builtin_popcount(e->modes) * e->nw * (e->reps + e->warmup + e->traced);
	}
	return n;
}

int main(void)
{
	static const struct { int rows, reps; } shapes[] = {
		{ 5000, 1 }, { 50000, 1 }, { 5, 1000 }, { 50, 1000 },
	};
	char path[] = "/tmp/ptbench-suite-XXXXXX";
	int fd = mkstemp(path);
	struct options o;
	struct pin *pin;
	char err[512];
	int rc = 0;

	if (fd < 0 || pin_open(&pin, NULL) < 0)
		return 1;
	close(fd);
	opts_defaults(&o);
	o.warmup = 0;
	o.given[O_WARMUP] = 1;
	for (size_t k = 0; k < sizeof(shapes) / sizeof(shapes[0]) && !rc; k++) {
		struct run_env env = { .o = &o, .pin = pin };
		struct plan p = { 0 };
		struct rusage ru;
		double t0, t1, t2;

		if ((rc = write_suite(path, shapes[k].rows, shapes[k].reps)) < 0)
			break;
		t0 = util_now_s();
		rc = plan_suite(&p, &env, path, err, sizeof(err));
		t1 = util_now_s();
		if (!rc)
			rc = plancheck_plan(&p, &env, err, sizeof(err));
		t2 = util_now_s();
		getrusage(RUSAGE_SELF, &ru);
		if (rc)
			fprintf(stderr, "bench_suite: %s\n", err);
		else
			printf("%6d rows x %4d pairs = %6ld trials: plan_suite %.3f s, plancheck %.3f s, peak RSS %ld KiB\n",
			       shapes[k].rows, shapes[k].reps, trials_of(&p), t1 - t0, t2 - t1, ru.ru_maxrss);
		plan_free(&p);
	}
	unlink(path);
	pin_close(pin);
	return rc ? 1 : 0;
}
