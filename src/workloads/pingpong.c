/* pingpong - a token passed back and forth: the cost of a context switch.
 *
 * The same work: workers go in pairs (2k, 2k+1). The trial makes two pipes
 * a pair before any worker exists; the even worker writes the token (an
 * 8-byte counter) into one and reads it back from the other, `rounds`
 * times; the odd worker reads, adds one, writes back. Each hop wakes the
 * other worker, which is blocked in read(): every round trip is two
 * wake-ups and (on one CPU) two context switches - between threads of one
 * process, or between two processes. Metric roundtrip_us: the even
 * worker's loop time / rounds. The token must come back as 2 * rounds.
 * An odd worker count is refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "../workload.h"

enum { P_ROUNDS };

static const struct param params[] = {
	[P_ROUNDS] = { "rounds", PT_COUNT, "20000", 1, 1e10, NULL,
		       "round trips per pair" },
	{ 0 },
};

struct pipes {
	int n;
	size_t len;             /* of this, for wl_unmap */
	int fd[][4];            /* per pair: ping[2], pong[2] */
};

static int pp_setup(struct trial *t)
{
	struct pipes *p;
	size_t len = sizeof(*p) + (size_t)(t->nworkers / 2) * sizeof(p->fd[0]);
	int rc = wl_map(t, len, 0, (void **)&p);

	if (rc < 0)
		return rc;
	t->priv = p;
	p->len = len;
	p->n = t->nworkers / 2;
	for (int i = 0; i < p->n; i++)
		p->fd[i][0] = p->fd[i][1] = p->fd[i][2] = p->fd[i][3] = -1;
	for (int i = 0; i < p->n; i++)
		if (pipe(p->fd[i]) < 0 || pipe(p->fd[i] + 2) < 0)
			return -errno;
	return 0;
}

static int xfer(int fd, uint64_t *v, int out)
{
	ssize_t n = out ? write(fd, v, sizeof(*v)) : read(fd, v, sizeof(*v));

	return n == sizeof(*v) ? 0 : n < 0 ? -errno : -EIO;
}

static int pp_work(struct trial *t, struct worker *w)
{
	struct pipes *p = t->priv;
	int *fd = p->fd[w->id / 2], even = w->id % 2 == 0, rc;
	uint64_t rounds = t->pv[P_ROUNDS].u, token = 0;
	double t0 = wl_now();

	w->ops_planned = rounds;
	for (uint64_t r = 0; r < rounds; r++) {
		if (even) {
			token++;
			if ((rc = xfer(fd[1], &token, 1)) || (rc = xfer(fd[2], &token, 0)))
				return rc;
		} else {
			if ((rc = xfer(fd[0], &token, 0)))
				return rc;
			token++;
			if ((rc = xfer(fd[3], &token, 1)))
				return rc;
		}
		if ((r & 255) == 0) {
			atomic_store_explicit(&w->ops, r, memory_order_relaxed);
			worker_tick(w);
		}
	}
	if (even)
		trial_metric(t, w->id, "roundtrip_us", (wl_now() - t0) * 1e6 / (double)rounds, "us");
	atomic_store(&w->ops, rounds);
	w->checksum = token;
	return 0;
}

static int pp_verify(struct trial *t)
{
	uint64_t rounds = t->pv[P_ROUNDS].u;

	for (int i = 0; i < t->nworkers; i++)
		if (t->workers[i]->checksum != 2 * rounds)
			return 0;
	return 1;
}

static void pp_teardown(struct trial *t)
{
	struct pipes *p = t->priv;

	for (int i = 0; p && i < p->n; i++)
		for (int k = 0; k < 4; k++)
			if (p->fd[i][k] >= 0)
				close(p->fd[i][k]);
	if (p)
		wl_unmap(t, p, p->len);
}

const struct workload wl_pingpong = {
	.name = "pingpong",
	.summary = "pairs of workers pass a token through pipes: context-switch cost",
	.claims = CLAIM_BIT(CLAIM_FASTER_RUNTIME) | CLAIM_BIT(CLAIM_LONGER_BURSTS),
	.params = params,
	.metrics = (const struct metric[]){
		{ "roundtrip_us", "us", -1 },
		{ NULL, NULL, 0 },
	},
	.flags = WL_PAIRS | WL_BLOCKS,
	.setup = pp_setup,
	.work = pp_work,
	.verify = pp_verify,
	.teardown = pp_teardown,
	.decides = "roundtrip_us",
	.exec = WX_MAP,         /* exec'd workers inherit the pipes' descriptors */
};
