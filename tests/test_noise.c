/* test_noise.c - the interference probes and the quiet rule, table-driven. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "noise.h"
#include "tap.h"
#include "util.h"

static const char stat_text[] =
	"cpu  100 0 50 1000 5 0 3 7 0 0\n"
	"cpu0 10 1 5 500 1 2 3 4 0 0\n"
	"cpu1 20 0 10 400 0 0 0 1 0 0\n"
	"cpu3 30 0 0 100 0 0 0 2 0 0\n"
	"intr 12345\n"
	"ctxt 999\n";

static void stat_parse(void)
{
	static const struct {
		int cpus[3], n;
		int rc;
		uint64_t busy, steal;   /* in ticks */
	} cases[] = {
		{ { 0 }, 1, 0, 10 + 1 + 5 + 2 + 3, 4 },
		{ { 1 }, 1, 0, 30, 1 },
		{ { 0, 1 }, 2, 0, 21 + 30, 5 },
		{ { 1, 1 }, 2, 0, 30, 1 },              /* a CPU named twice counts once */
		{ { -1 }, 1, 0, 21 + 30 + 30, 7 },      /* every CPU, not the "cpu" total line */
		{ { 0 }, 0, 0, 21 + 30 + 30, 7 },
		{ { 2 }, 1, -EBADMSG, 0, 0 },           /* no such CPU */
		{ { 0, 2 }, 2, -EBADMSG, 0, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cpu_times t;
		int rc = noise_stat_parse(stat_text, cases[i].cpus, cases[i].n, 10, &t);

		ok(rc == cases[i].rc && (rc || (t.busy_ns == cases[i].busy * 10 &&
						t.steal_ns == cases[i].steal * 10)),
		   "stat case %zu: rc %d, busy %llu steal %llu ticks", i, rc,
		   (unsigned long long)(t.busy_ns / 10), (unsigned long long)(t.steal_ns / 10));
	}
	{
		struct cpu_times t;

		ok(noise_stat_parse("cpu0 1 2\n", NULL, 0, 10, &t) == -EBADMSG,
		   "a cut cpu line is -EBADMSG");
		ok(noise_stat_read(NULL, 0, &t) == 0 && t.busy_ns > 0, "this machine's /proc/stat reads");
	}
}

static void schedstat(void)
{
	uint64_t run, wait;

	ok(noise_schedstat_parse("123 456 7\n", &run, &wait) == 0 && run == 123 && wait == 456,
	   "schedstat: run and wait");
	ok(noise_schedstat_parse("123\n", &run, &wait) == -EBADMSG, "schedstat without wait");
	ok(noise_wait_ns(&wait) == 0, "this thread's wait reads");
}

static void quiet_rule(void)
{
	/* 1 s of work on 2 CPUs, 10 ms ticks: 2% foreign = 40 ms + 40 ms of ticks */
	static const struct {
		const char *what;
		struct interference x;
		int quiet;
		const char *why;
	} cases[] = {
		{ "idle", { 1, 2, 0, 0, 0, 1, 1.0, 0 }, 1, "" },
		{ "steal under 1% + ticks", { 1, 2, 0.05, 0, 0, 1, 1.0, 0 }, 1, "" },
		{ "steal", { 1, 2, 0.07, 0, 0, 1, 1.0, 0 }, 0, "steal" },
		{ "foreign under 2% + ticks", { 1, 2, 0, 0.07, 0, 1, 1.0, 0 }, 1, "" },
		{ "foreign", { 1, 2, 0, 0.09, 0, 1, 1.0, 0 }, 0, "foreign CPU" },
		{ "a short wait", { 1, 2, 0, 0, 0.015, 1, 1.0, 0 }, 1, "" },
		{ "wait", { 1, 2, 0, 0, 0.03, 1, 1.0, 0 }, 0, "wait" },
		{ "wait, but the trial's own (blocks, oversubscribed)", { 1, 2, 0, 0, 0.5, 1, 1.0, 1 }, 1, "" },
		{ "wait under the 0.5 ms floor of a 10 ms trial", { 0.01, 1, 0, 0, 0.0006, 0.01, 1.0, 0 }, 1, "" },
		{ "slow", { 1, 2, 0, 0, 0, 1, 0.85, 0 }, 0, "slow" },
		{ "fast is fine", { 1, 2, 0, 0, 0, 1, 1.3, 0 }, 1, "" },
		{ "nothing known", { 1, 2, NAN, NAN, NAN, 1, NAN, 0 }, 1, "" },
		{ "steal named first", { 1, 2, 1, 1, 1, 1, 0.5, 0 }, 0, "steal" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *why = NULL;
		int q = noise_quiet(&cases[i].x, 0.01, &why);

		ok(q == cases[i].quiet && why && !strcmp(why, cases[i].why), "%s: quiet=%d (%s)",
		   cases[i].what, q, why ? why : "?");
	}
}

static void reference(void)
{
	uint64_t iters = noise_ref_calibrate(0.001);
	double t = noise_ref_s(iters);

	/* a bound no load can break: the loop takes some time, and its count
	 * grows with the target */
	ok(iters > 1000 && t > 0, "the reference loop: %llu iterations, %.3f ms",
	   (unsigned long long)iters, t * 1e3);
}

int main(void)
{
	stat_parse();
	schedstat();
	quiet_rule();
	reference();
	return done_testing();
}
