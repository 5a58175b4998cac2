/* test_probes.c - the memory parsers on fixture text, and the live probes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "probes.h"
#include "tap.h"

static const char rollup[] =
	"55d0c6a6b000-7ffd2b5fe000 ---p 00000000 00:00 0                          [rollup]\n"
	"Rss:               18348 kB\n"
	"Pss:                6215 kB\n"
	"Pss_Dirty:          5540 kB\n"
	"Pss_Anon:           5504 kB\n"
	"Pss_File:            711 kB\n"
	"Pss_Shmem:             0 kB\n"
	"Shared_Clean:       1868 kB\n"
	"Shared_Dirty:      16316 kB\n"
	"Private_Clean:        24 kB\n"
	"Private_Dirty:       140 kB\n"
	"Referenced:        18348 kB\n"
	"Anonymous:         16456 kB\n"
	"AnonHugePages:         0 kB\n"
	"Swap:                  0 kB\n";

static const char status[] =
	"Name:\tptbench\n"
	"VmRSS:\t   18348 kB\n"
	"VmPTE:\t     104 kB\n"
	"VmSwap:\t       0 kB\n";

int main(void)
{
	struct memsample m;
	uint64_t pte = 0;

	ok(probes_smaps_parse(rollup, &m) == 0, "parses smaps_rollup");
	ok(m.rss_kib == 18348, "Rss 18348 (got %llu)", (unsigned long long)m.rss_kib);
	ok(m.pss_kib == 6215, "Pss is Pss:, not Pss_Dirty: (got %llu)", (unsigned long long)m.pss_kib);
	ok(m.uss_kib == 164, "USS = Private_Clean + Private_Dirty = 164 (got %llu)",
	   (unsigned long long)m.uss_kib);
	ok(probes_status_pte(status, &pte) == 0 && pte == 104, "VmPTE 104 (got %llu)", (unsigned long long)pte);
	ok(probes_smaps_parse("Rss: 1 kB\nPss: 1 kB\n", &m) == -EBADMSG, "missing Private_* is an error");
	ok(probes_status_pte("Name: x\n", &pte) == -EBADMSG, "missing VmPTE is an error");
	ok(probes_smaps_parse("Rss:   x kB\nPss: 1 kB\nPrivate_Clean: 0 kB\nPrivate_Dirty: 0 kB\n", &m) == -EBADMSG,
	   "a field without a number is an error");

	/* Live: touching 8 MiB shows in this process's own numbers. */
	{
		struct memsample a, b;
		size_t len = 8u << 20;
		char *p;

		ok(probes_mem_sample(0, &a) == 0, "samples itself");
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		madvise(p, len, MADV_NOHUGEPAGE);
		memset(p, 1, len);
		ok(probes_mem_sample(0, &b) == 0, "samples again");
		ok(b.uss_kib - a.uss_kib >= 8000 && b.uss_kib - a.uss_kib <= 8400,
		   "8 MiB touched = +8192 KiB private (got %+lld)",
		   (long long)b.uss_kib - (long long)a.uss_kib);
		ok(b.pte_kib >= a.pte_kib + 16, "and page tables grew by at least 16 KiB (%llu -> %llu)",
		   (unsigned long long)a.pte_kib, (unsigned long long)b.pte_kib);
		munmap(p, len);
	}
	ok(probes_mem_sample(999999999, &m) == -ENOENT, "a process that does not exist: -ENOENT");

	{
		struct usage u;

		ok(probes_usage_thread(&u) == 0 && u.minflt > 0, "RUSAGE_THREAD counts this thread's faults");
	}
	return done_testing();
}
