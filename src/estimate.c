/* estimate.c - a plan's cost before it runs.
 *
 * A trial costs a fixed part (the trial process, its barriers, the rows),
 * the reference loop that judges the machine's speed before it, spawning
 * its workers one by one, and its work. The work comes from the one table
 * below: each workload's model in this machine's calibrated unit costs
 * (a hash, a byte of fresh memory) and a few constants for what a hash
 * does not measure (a page copied on write, a wake-up). Work that is
 * split (strong scaling) or repeated per worker (weak scaling) runs on
 * min(workers, PUs) PUs at once: more workers than PUs queue. */
#include "estimate.h"
#include "adapt.h"
#include "noise.h"
#include "opts.h"
#include "plancheck.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#define FIXED_S         0.003   /* a trial without work or workers (~5 ms measured, the
				 * reference loop's 2 ms included) */
#define SPAWN_PROCESS_S 100e-6  /* fork, exit and reap of one worker */
#define SPAWN_THREAD_S  20e-6   /* pthread_create and join of one */
#define SPAWN_EXEC_S    3e-3    /* posix_spawn of ptbench, its start-up and reap */
#define PTE_COPY_S      2e-9    /* a fork copies one page's entry */
#define PAGE_COPY_S     2e-6    /* a fault that copies a 4 KiB page */
#define PAGE_READ_S     0.25e-6 /* a fault that maps a shared page */
#define MISS_S          0.1e-6  /* a random read out of the caches */
#define PAGE            4096.0
#define STREAMS_PACKAGE 4       /* cores' worth of streams a package's memory serves */

/* A parameter of e by name, as a number (a choice: its index). */
static double par(const struct experiment *e, const char *name)
{
	for (int k = 0; e->wl->params && e->wl->params[k].name; k++)
		if (!strcmp(e->wl->params[k].name, name))
			return e->wl->params[k].type == PT_CHOICE ? e->pv[k].c : e->pv[k].d;
	return 0;
}

/* Whether choice parameter name of e is word. */
static int is(const struct experiment *e, const char *name, const char *word)
{
	for (int k = 0; e->wl->params && e->wl->params[k].name; k++)
		if (!strcmp(e->wl->params[k].name, name))
			return e->pv[k].c == opts_choice_index(e->wl->params[k].choices, word,
								 strlen(word));
	return 0;
}

/* One workload's work: seconds of CPU split among the workers (split_s),
 * per worker (each_s), before the workers exist (serial_s), and bytes
 * of memory traffic the machine's packages share (mem_bytes). */
struct work {
	double split_s, each_s, serial_s, mem_bytes;
};

struct model {
	const char *wl;
	void (*work)(const struct experiment *e, const struct est_calib *c, int n,
		     struct work *w);
};

static void m_cpu(const struct experiment *e, const struct est_calib *c, int n, struct work *w)
{
	(void)n;
	w->split_s = par(e, "total") * c->unit_s;
	w->serial_s = w->split_s;       /* verify() redoes it all, serially */
}

static void m_crash(const struct experiment *e, const struct est_calib *c, int n, struct work *w)
{
	(void)n;
	w->each_s = par(e, "work") * c->unit_s;
}

static void m_counter(const struct experiment *e, const struct est_calib *c, int n, struct work *w)
{
	/* a shared lock or atomic line costs more the more contend for it */
	double k = is(e, "sync", "lock") ? 20 : is(e, "sync", "atomic") ? 5 : 1;

	w->each_s = par(e, "increments") * c->unit_s * (n > 1 ? k : 1);
}

static void m_malloc(const struct experiment *e, const struct est_calib *c, int n, struct work *w)
{
	(void)n;
	w->each_s = par(e, "allocs") * (30 * c->unit_s + 2 * c->byte_s);
}

static void m_burst(const struct experiment *e, const struct est_calib *c, int n, struct work *w)
{
	(void)c;
	(void)n;
	w->each_s = par(e, "bursts") * par(e, "compute_us") * 1e-6;
	/* blocking takes no CPU: it overlaps with the others' bursts */
	w->serial_s = par(e, "bursts") * par(e, "block_us") * 1e-6;
}

static void m_pingpong(const struct experiment *e, const struct est_calib *c, int n, struct work *w)
{
	w->each_s = par(e, "rounds") * c->round_s / 2;  /* two workers a pair */
	if (e->pin == PIN_SAME)                 /* the pairs take turns on one PU */
		w->serial_s = par(e, "rounds") * c->round_s * (n / 2 - 1);
}

static void m_spawn(const struct experiment *e, const struct est_calib *c, int n, struct work *w)
{
	(void)n;
	w->serial_s = par(e, "heap") * c->byte_s;
}

static void m_sharedread(const struct experiment *e, const struct est_calib *c, int n,
			 struct work *w)
{
	double table = par(e, "table");

	(void)n;
	w->serial_s = table / 8 * c->unit_s + table * c->byte_s;
	w->each_s = table / PAGE * PAGE_READ_S + par(e, "lookups") * MISS_S;
}

static void m_cow(const struct experiment *e, const struct est_calib *c, int n, struct work *w)
{
	(void)n;
	w->serial_s = par(e, "heap") * c->byte_s;
	w->each_s = par(e, "write") * par(e, "heap") / PAGE * PAGE_COPY_S;
}

static void m_cowops(const struct experiment *e, const struct est_calib *c, int n, struct work *w)
{
	(void)c;
	(void)n;
	w->each_s = par(e, "pages") * 16 * PAGE_COPY_S;
}

static void m_membw(const struct experiment *e, const struct est_calib *c, int n, struct work *w)
{
	w->each_s = par(e, "size") * c->byte_s;         /* first touch */
	w->mem_bytes = n * par(e, "size") * par(e, "passes");
}

/* The one table of work models; a workload without a row is estimated
 * by its fixed and spawn costs alone. */
static const struct model models[] = {
	{ "cpu", m_cpu }, { "crash", m_crash }, { "counter", m_counter },
	{ "malloc", m_malloc }, { "burst", m_burst }, { "pingpong", m_pingpong },
	{ "spawn", m_spawn }, { "sharedread", m_sharedread }, { "cow", m_cow },
	{ "cowops", m_cowops }, { "membw", m_membw },
};

/* Seconds of a busy loop over a few MiB: the best of tries. */
static double best_of(double (*fn)(void *), void *arg, int tries)
{
	double best = INFINITY;

	for (int i = 0; i < tries; i++) {
		double s = fn(arg);

		best = s < best ? s : best;
	}
	return best;
}

#define CAL_UNITS  (1u << 22)
#define CAL_BYTES  (16u << 20)

static double time_units(void *arg)
{
	double t0 = util_now_s();
	uint64_t sum = 0;

	(void)arg;
	for (uint64_t i = 0; i < CAL_UNITS; i++)
		sum += wl_mix(i);
	KEEP(sum);
	return util_now_s() - t0;
}

/* Writes CAL_BYTES of fresh memory, then again: *stream gets the
 * second time, the memory's bandwidth without faults. */
static double time_bytes(void *arg)
{
	double *stream = arg, t0 = util_now_s(), t1;
	void *m = mmap(NULL, CAL_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return INFINITY;
	memset(m, 1, CAL_BYTES);
	t1 = util_now_s();
	memset(m, 2, CAL_BYTES);
	KEEP(((volatile char *)m)[CAL_BYTES - 1]);
	*stream = fmin(*stream, util_now_s() - t1);
	munmap(m, CAL_BYTES);
	return t1 - t0;
}

#define CAL_ROUNDS 100

/* The odd side of time_rounds: reads the token, writes it back. */
static void *echo(void *arg)
{
	int *fd = arg;
	uint64_t v;

	for (int i = 0; i < CAL_ROUNDS; i++)
		if (read(fd[0], &v, sizeof(v)) != sizeof(v) || write(fd[3], &v, sizeof(v)) != sizeof(v))
			break;
	return NULL;
}

/* A token passed to a thread on another CPU (when there is one, as
 * pingpong's pinned pairs are) and back through pipes CAL_ROUNDS times:
 * seconds a round trip, wake-ups included. */
static double time_rounds(void *arg)
{
	int fd[4] = { -1, -1, -1, -1 }, here = sched_getcpu(), ok = 0;
	cpu_set_t home, one, other;
	pthread_t th;
	double t0, s = INFINITY;
	uint64_t v = 0;

	(void)arg;
	if (sched_getaffinity(0, sizeof(home), &home) < 0 || here < 0)
		return INFINITY;
	CPU_ZERO(&one);
	CPU_ZERO(&other);
	CPU_SET(here, &one);
	for (int c = 0; c < CPU_SETSIZE && !CPU_COUNT(&other); c++)
		if (c != here && CPU_ISSET(c, &home))
			CPU_SET(c, &other);
	if (pipe(fd) == 0 && pipe(fd + 2) == 0) {
		if (CPU_COUNT(&other))
			sched_setaffinity(0, sizeof(one), &one);
		ok = pthread_create(&th, NULL, echo, fd) == 0;
	}
	if (ok) {
		if (CPU_COUNT(&other))
			pthread_setaffinity_np(th, sizeof(other), &other);
		t0 = util_now_s();
		for (int i = 0; i < CAL_ROUNDS; i++)
			if (write(fd[1], &v, sizeof(v)) != sizeof(v) || read(fd[2], &v, sizeof(v)) != sizeof(v))
				break;
		s = (util_now_s() - t0) / CAL_ROUNDS;
		close(fd[1]);   /* the echo thread sees EOF if it is still reading */
		fd[1] = -1;
		pthread_join(th, NULL);
	}
	sched_setaffinity(0, sizeof(home), &home);
	for (int i = 0; i < 4; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return s;
}

void estimate_calibrate(struct est_calib *c)
{
	double t0 = util_now_s();

	double stream = INFINITY;

	c->unit_s = best_of(time_units, NULL, 3) / CAL_UNITS;
	c->byte_s = best_of(time_bytes, &stream, 3) / CAL_BYTES;
	c->stream_s = stream / CAL_BYTES;
	c->round_s = best_of(time_rounds, NULL, 2);
	if (!isfinite(c->round_s))
		c->round_s = 10e-6;
	if (!isfinite(c->byte_s) || !isfinite(c->stream_s))
		c->byte_s = c->stream_s = 1e-10;        /* no memory to try: 10 GB/s */
	c->took_s = util_now_s() - t0;
}

double estimate_trial_s(const struct est_calib *c, const struct pin_counts *pc,
			const struct experiment *e, int n, enum mode m)
{
	struct work w = { 0, 0, 0, 0 };
	double par_n = n < pc->pus ? n : pc->pus;
	double streams = pc->packages * STREAMS_PACKAGE < n ? pc->packages * STREAMS_PACKAGE : n;
	double s = FIXED_S + NOISE_REF_S * (n < NOISE_REF_CPUS ? n : NOISE_REF_CPUS);

	if (m == MODE_PROCESS) {
		double trial = e->wl->footprint ? (double)e->wl->footprint(e->pv, 0, m) : 0;

		s += n * (SPAWN_PROCESS_S + trial / PAGE * PTE_COPY_S);
	} else {
		/* shared: fork copies no page tables of shared memory */
		s += n * (m == MODE_THREAD ? SPAWN_THREAD_S :
			  m == MODE_EXEC ? SPAWN_EXEC_S : SPAWN_PROCESS_S);
	}
	for (size_t i = 0; i < ARRAY_SIZE(models); i++)
		if (!strcmp(models[i].wl, e->wl->name))
			models[i].work(e, c, n, &w);
	return s + w.serial_s + w.split_s / par_n + w.each_s * n / par_n +
	       w.mem_bytes * c->stream_s / (streams > 0 ? streams : 1);
}

int estimate_reps(const struct experiment *e, double pair_s)
{
	double r;

	if (e->reps != REPS_AUTO)
		return e->reps;
	r = pair_s > 0 ? floor(e->budget / pair_s) : REPS_MAX;
	return r < ADAPT_MIN_PAIRS ? ADAPT_MIN_PAIRS : r > REPS_MAX ? REPS_MAX : (int)r;
}

static char *bytes_text(double b, char *buf, size_t len)
{
	return b < (1 << 30) ? util_strfmt(buf, len, "%.0f MiB", b / (1 << 20))
			     : util_strfmt(buf, len, "%.1f GiB", b / (1 << 30));
}

/* "1 h 02 min", "3 min 05 s", "4.2 s" */
static char *time_text(double s, char *buf, size_t len)
{
	if (s >= 3600)
		return util_strfmt(buf, len, "%.0f h %02.0f min", floor(s / 3600), floor(fmod(s, 3600) / 60));
	if (s >= 60)
		return util_strfmt(buf, len, "%.0f min %02.0f s", floor(s / 60), floor(fmod(s, 60)));
	return util_strfmt(buf, len, "%.1f s", s);
}

int estimate_plan(FILE *out, const struct plan *p, const struct est_calib *c,
		  const struct pin_counts *pc, double max_s, uint64_t mem_max,
		  double *total_s, char *err, size_t errlen)
{
	double total = 0, peak = 0;
	long trials = 0;
	char a[32], b[32], t[32];
	int rc = 0;

	if (out)
		fprintf(out, "%-10s %-7s %7s %-7s %5s %7s %10s %10s  %s\n", "workload", "mode",
			"workers", "pin", "reps", "trials", "peak_mem", "estimate", "params");
	for (int i = 0; i < p->n; i++) {
		const struct experiment *e = &p->exp[i];

		for (int k = 0; k < e->nw; k++) {
			int n = e->workers[k], reps;
			double ts[MODE_N] = { 0, 0 }, pair = 0;

			for (int m = 0; m < MODE_N; m++)
				if (e->modes & (1u << m))
					pair += ts[m] = estimate_trial_s(c, pc, e, n, (enum mode)m);
			reps = estimate_reps(e, pair);
			for (int m = 0; m < MODE_N; m++) {
				int nt = e->warmup + reps + e->traced;
				double need, cell;

				if (!(e->modes & (1u << m)))
					continue;
				need = (double)plancheck_need(e, n, (enum mode)m);
				cell = nt * ts[m];
				total += cell;
				trials += nt;
				peak = need > peak ? need : peak;
				if (out)
					fprintf(out, "%-10s %-7s %7d %-7s %5s %7d %10s %10s  %s\n", e->wl->name,
						mode_names[m], n, pin_names[e->pin],
						e->reps == REPS_AUTO ? util_strfmt(a, sizeof(a), "a%d", reps)
								     : util_strfmt(a, sizeof(a), "%d", reps),
						nt, bytes_text(need, b, sizeof(b)),
						time_text(cell, t, sizeof(t)), e->params);
				if (!rc && mem_max && need > 0.9 * (double)mem_max) {
					util_strfmt(err, errlen, "%s %s with %d workers (%s) needs about %s, over 90%% of the machine's %s",
						    e->wl->name, e->params, n, mode_names[m],
						    bytes_text(need, a, sizeof(a)),
						    bytes_text((double)mem_max, b, sizeof(b)));
					rc = -ENOMEM;
				}
				if (!rc && max_s > 0 && total > max_s) {
					util_strfmt(err, errlen, "the plan's estimate passes --max-time %g s at %s %s with %d workers (%s): %s so far",
						    max_s, e->wl->name, e->params, n, mode_names[m],
						    time_text(total, a, sizeof(a)));
					rc = -E2BIG;
				}
			}
		}
	}
	if (out) {
		fprintf(out, "total: %ld trials, estimated %s (%.1f s), peak memory of a trial %s\n",
			trials, time_text(total, a, sizeof(a)), total, bytes_text(peak, b, sizeof(b)));
		fprintf(out, "reps aN: -r auto, estimated at its worst case (as many pairs as --budget holds, at least %d)\n",
			ADAPT_MIN_PAIRS);
		fprintf(out, "calibration: %.0f ms on this machine (a hash %.2f ns; a byte written: %.3f ns fresh, %.3f ns resident; a pipe round trip %.1f us)\n",
			c->took_s * 1e3, c->unit_s * 1e9, c->byte_s * 1e9, c->stream_s * 1e9,
			c->round_s * 1e6);
	}
	*total_s = total;
	return rc;
}
