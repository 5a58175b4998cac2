/* probes.c - rusage, memory and burst probes.
 *
 * Bursts from perf: each worker opens a software dummy event with
 * context_switch=1 on itself; the kernel writes a PERF_RECORD_SWITCH at
 * every switch-in and switch-out, stamped with CLOCK_MONOTONIC, and flags a
 * switch-out as preempted or not. A burst runs from a switch-in (or from the
 * start of work) to the next switch-out; bursts that begin after the work
 * ended are not counted. The ring is drained by the worker itself.
 */
#include "probes.h"
#include "stats.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

void probes_usage_from(struct usage *u, const struct rusage *ru)
{
	u->user_s = (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec * 1e-6;
	u->sys_s = (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec * 1e-6;
	u->minflt = (uint64_t)ru->ru_minflt;
	u->majflt = (uint64_t)ru->ru_majflt;
	u->nvcsw = (uint64_t)ru->ru_nvcsw;
	u->nivcsw = (uint64_t)ru->ru_nivcsw;
	u->maxrss_kib = (uint64_t)ru->ru_maxrss;
}

int probes_usage_thread(struct usage *u)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru) < 0)
		return -errno;
	probes_usage_from(u, &ru);
	return 0;
}

/* Value in kB of the line "key:   123 kB" (key includes the colon). */
static int field_kib(const char *text, const char *key, uint64_t *out)
{
	size_t k = strlen(key);

	for (const char *s = text; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
		if (strncmp(s, key, k) == 0) {
			char *end;
			unsigned long long v = strtoull(s + k, &end, 10);

			if (end == s + k)
				return -EBADMSG;
			*out = v;
			return 0;
		}
	}
	return -EBADMSG;
}

int probes_smaps_parse(const char *text, struct memsample *m)
{
	uint64_t pc, pd;

	if (field_kib(text, "Rss:", &m->rss_kib) || field_kib(text, "Pss:", &m->pss_kib) ||
	    field_kib(text, "Private_Clean:", &pc) || field_kib(text, "Private_Dirty:", &pd))
		return -EBADMSG;
	m->uss_kib = pc + pd;
	return 0;
}

int probes_status_pte(const char *text, uint64_t *pte_kib)
{
	return field_kib(text, "VmPTE:", pte_kib);
}

int probes_mem_sample(pid_t pid, struct memsample *m)
{
	char path[64], buf[8192];
	long n;

	if (pid)
		util_strfmt(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	else
		util_strfmt(path, sizeof(path), "/proc/self/smaps_rollup");
	if ((n = util_read_file(path, buf, sizeof(buf))) < 0)
		return (int)n;
	if (probes_smaps_parse(buf, m) < 0)
		return -EBADMSG;
	if (pid)
		util_strfmt(path, sizeof(path), "/proc/%d/status", (int)pid);
	else
		util_strfmt(path, sizeof(path), "/proc/self/status");
	if ((n = util_read_file(path, buf, sizeof(buf))) < 0)
		return (int)n;
	return probes_status_pte(buf, &m->pte_kib);
}

static int perf_open(int user_only)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_DUMMY;
	a.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME;
	a.sample_id_all = 1;
	a.context_switch = 1;
	a.use_clockid = 1;
	a.clockid = CLOCK_MONOTONIC;
	a.exclude_kernel = (unsigned)user_only;
	a.exclude_hv = (unsigned)user_only;
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

int bprobe_check(enum burst_src want, int *user_only)
{
	int fd;

	*user_only = 0;
	if (want == BURSTS_OFF)
		return BURSTS_OFF;
	if (want == BURSTS_AUTO || want == BURSTS_PERF) {
		fd = perf_open(0);
		if (fd < 0) {
			fd = perf_open(1);
			*user_only = fd >= 0;
		}
		if (fd >= 0) {
			close(fd);
			return BURSTS_PERF;
		}
		if (want == BURSTS_PERF)
			return -errno;
	}
	fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return BURSTS_SCHEDSTAT;
}

static int schedstat_read(int fd, uint64_t *run_ns, uint64_t *slices)
{
	char buf[128];
	unsigned long long r, w, s;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu %llu", &r, &w, &s) != 3)
		return -EBADMSG;
	*run_ns = r;
	*slices = s;
	return 0;
}

static void csw_now(uint64_t *v, uint64_t *iv)
{
	struct usage u;

	if (probes_usage_thread(&u) == 0) {
		*v = u.nvcsw;
		*iv = u.nivcsw;
	}
}

int bprobe_open(struct bprobe *b, enum burst_src src, int user_only, int pages)
{
	memset(b, 0, sizeof(*b));
	b->fd = b->ssfd = -1;
	b->src = src;
	if (src == BURSTS_PERF) {
		long pg = sysconf(_SC_PAGESIZE);

		b->fd = perf_open(user_only);
		if (b->fd < 0)
			return -errno;
		/* A smaller ring when the locked-memory budget says no. */
		for (; pages >= 1; pages /= 2) {
			b->data_len = (size_t)pages * (size_t)pg;
			b->map_len = b->data_len + (size_t)pg;
			b->map = mmap(NULL, b->map_len, PROT_READ | PROT_WRITE, MAP_SHARED,
				      b->fd, 0);
			if (b->map != MAP_FAILED)
				break;
			b->map = NULL;
		}
		if (!b->map) {
			int e = errno;

			close(b->fd);
			b->fd = -1;
			return -e;
		}
	} else if (src == BURSTS_SCHEDSTAT) {
		char path[64];

		util_strfmt(path, sizeof(path), "/proc/self/task/%d/schedstat", (int)gettid());
		b->ssfd = open(path, O_RDONLY | O_CLOEXEC);
		if (b->ssfd < 0)
			return -errno;
	}
	return 0;
}

static void add_burst(struct bprobe *b, uint64_t from, uint64_t to, int preempted)
{
	if (util_grow(&b->b, &b->cap, b->n, sizeof(*b->b), 1024) < 0) {
		b->lost++;
		return;
	}
	b->b[b->n].us = (float)((double)(to - from) / 1e3);
	b->b[b->n].preempted = (uint32_t)preempted;
	b->n++;
}

/* One switch record at time t. */
static void on_switch(struct bprobe *b, uint64_t t, int out, int preempted)
{
	if (b->stopped || t < b->go_ns)
		return;
	if (out) {
		if (b->in && (!b->done_ns || b->tin <= b->done_ns))
			add_burst(b, b->tin, t, preempted);
		b->in = 0;
	} else {
		if (b->done_ns && t > b->done_ns) {
			b->stopped = 1;
			return;
		}
		b->in = 1;
		b->tin = t;
	}
}

static void drain(struct bprobe *b)
{
	struct perf_event_mmap_page *meta = b->map;
	char *data = (char *)b->map + (b->map_len - b->data_len);
	uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = meta->data_tail;

	while (tail < head) {
		struct perf_event_header h;
		unsigned char rec[256];
		size_t off = (size_t)(tail % b->data_len);

		/* A record may wrap around the end of the ring: copy it out. */
		for (size_t i = 0; i < sizeof(h); i++)
			((unsigned char *)&h)[i] = (unsigned char)data[(off + i) % b->data_len];
		if (h.size < sizeof(h) || tail + h.size > head)
			break;
		if (h.size <= sizeof(rec)) {
			for (size_t i = 0; i < h.size; i++)
				rec[i] = (unsigned char)data[(off + i) % b->data_len];
			if (h.type == PERF_RECORD_SWITCH && h.size >= sizeof(h) + 16) {
				uint64_t t;

				/* sample_id: u32 pid, u32 tid, u64 time */
				memcpy(&t, rec + sizeof(h) + 8, sizeof(t));
				on_switch(b, t, !!(h.misc & PERF_RECORD_MISC_SWITCH_OUT),
					  !!(h.misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT));
			} else if (h.type == PERF_RECORD_LOST && h.size >= sizeof(h) + 16) {
				uint64_t lost;

				memcpy(&lost, rec + sizeof(h) + 8, sizeof(lost));
				b->lost += lost;
				b->in = 0;      /* the burst in progress is unknown now */
			}
		}
		tail += h.size;
	}
	__atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
}

void bprobe_start(struct bprobe *b)
{
	b->go_ns = util_now_ns();
	b->in = 1;              /* running now: the first burst starts here */
	b->tin = b->go_ns;
	if (b->src == BURSTS_SCHEDSTAT) {
		schedstat_read(b->ssfd, &b->run0, &b->slices0);
		csw_now(&b->vcsw0, &b->ivcsw0);
	}
}

void bprobe_stop(struct bprobe *b)
{
	b->done_ns = util_now_ns();
	if (b->src == BURSTS_SCHEDSTAT) {
		schedstat_read(b->ssfd, &b->run1, &b->slices1);
		csw_now(&b->vcsw1, &b->ivcsw1);
	}
}

void bprobe_tick(struct bprobe *b)
{
	struct perf_event_mmap_page *meta;

	if (b->src != BURSTS_PERF)
		return;
	meta = b->map;
	if (__atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE) - meta->data_tail >
	    b->data_len / 2)
		drain(b);
}

void probes_burst_stats(const struct burst *b, size_t n, struct burst_stats *st)
{
	double sum = 0, *v;

	st->n = n;
	st->preempted = 0;
	st->mean_us = st->p50_us = st->p90_us = st->p99_us = st->max_us = NAN;
	st->p50_lo_us = st->p50_hi_us = NAN;
	if (!n)
		return;
	v = malloc(n * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		sum += b[i].us;
		st->preempted += b[i].preempted;
		if (v)
			v[i] = b[i].us;
	}
	st->mean_us = sum / (double)n;
	if (!v)
		return;
	stats_sort(v, n);
	st->p50_us = stats_quantile(v, n, 0.5);
	st->p90_us = stats_quantile(v, n, 0.9);
	st->p99_us = stats_quantile(v, n, 0.99);
	st->max_us = v[n - 1];
	if (n >= 8) {
		/* Distribution-free 95% CI of the median: the order statistics
		 * of ranks (1-based) floor(n/2 - 1.96 sqrt(n)/2) and
		 * ceil(1 + n/2 + 1.96 sqrt(n)/2) (binomial, normal
		 * approximation). It treats the bursts as independent; bursts
		 * of one worker follow each other, so it is a lower bound on
		 * the uncertainty - the claim adds the spread between trials. */
		double half = 1.96 * sqrt((double)n) / 2;
		long lo = (long)floor((double)n / 2 - half) - 1;
		long hi = (long)ceil(1 + (double)n / 2 + half) - 1;

		st->p50_lo_us = v[lo < 0 ? 0 : lo];
		st->p50_hi_us = v[hi >= (long)n ? (long)n - 1 : hi];
	}
	free(v);
}

void bprobe_finish(struct bprobe *b, struct burst_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->mean_us = st->p50_us = st->p90_us = st->p99_us = st->max_us = NAN;
	st->p50_lo_us = st->p50_hi_us = NAN;
	if (b->src == BURSTS_PERF) {
		drain(b);
		probes_burst_stats(b->b, b->n, st);
		st->lost = b->lost;
	} else if (b->src == BURSTS_SCHEDSTAT) {
		uint64_t slices = b->slices1 - b->slices0;
		uint64_t csw = (b->vcsw1 - b->vcsw0) + (b->ivcsw1 - b->ivcsw0);

		/* The mean only: run time over the number of times on a CPU.
		 * The burst in progress at the end counts as one. */
		st->n = slices ? slices : 1;
		st->mean_us = (double)(b->run1 - b->run0) / 1e3 / (double)st->n;
		st->preempted = csw ? (b->ivcsw1 - b->ivcsw0) : 0;
		if (csw)        /* preempted share of the switches seen */
			st->preempted = (uint64_t)llround((double)st->n *
					(double)(b->ivcsw1 - b->ivcsw0) / (double)csw);
	}
}

void bprobe_close(struct bprobe *b)
{
	if (b->map)
		munmap(b->map, b->map_len);
	if (b->fd >= 0)
		close(b->fd);
	if (b->ssfd >= 0)
		close(b->ssfd);
	free(b->b);
	memset(b, 0, sizeof(*b));
	b->fd = b->ssfd = -1;
}
