/* meta.c - what meta.csv says about the machine a run happened on. */
#include "meta.h"
#include "check.h"
#include "util.h"
#include "version.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

int meta_put(struct csvw *w, const char *key, const char *value)
{
	const char *cells[2] = { key, value };

	return csvw_cells(w, cells, 2);
}

void meta_utc_now(char *buf, size_t len, int compact)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, compact ? "%Y%m%dT%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* First line of a small file, without its newline. */
static const char *first_line(const char *path, char *buf, size_t len)
{
	if (util_read_file(path, buf, len) < 0)
		return "";
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

void meta_thp_mode(char *buf, size_t len)
{
	char raw[128];

	check_bracketed(first_line("/sys/kernel/mm/transparent_hugepage/enabled", raw, sizeof(raw)),
			buf, len);
}

struct put_ctx {
	struct csvw *w;
	int rc;
};

static void put_cb(void *arg, const char *key, const char *value)
{
	struct put_ctx *c = arg;

	if (!c->rc)
		c->rc = meta_put(c->w, key, value);
}

int meta_machine(struct csvw *w, const struct pin *pin)
{
	struct put_ctx c = { w, 0 };
	struct utsname u;
	struct sysinfo si;
	char buf[256], s[64];

	put_cb(&c, "version", PTBENCH_VERSION);
	put_cb(&c, "git_commit", PTBENCH_COMMIT);
	if (uname(&u) == 0) {
		put_cb(&c, "host", u.nodename);
		put_cb(&c, "kernel", u.release);
		put_cb(&c, "kernel_build", u.version);
		put_cb(&c, "arch", u.machine);
	}
	pin_describe(pin, put_cb, &c);
	if (sysinfo(&si) == 0)
		put_cb(&c, "ram_kib", util_strfmt(s, sizeof(s), "%llu",
			(unsigned long long)si.totalram * si.mem_unit / 1024));
	put_cb(&c, "page_size", util_strfmt(s, sizeof(s), "%ld", sysconf(_SC_PAGESIZE)));
	meta_thp_mode(buf, sizeof(buf));
	put_cb(&c, "thp_mode", buf);
	put_cb(&c, "thp_defrag", first_line("/sys/kernel/mm/transparent_hugepage/defrag", buf, sizeof(buf)));
	put_cb(&c, "aslr", first_line("/proc/sys/kernel/randomize_va_space", buf, sizeof(buf)));
	put_cb(&c, "clock_source", first_line("/sys/devices/system/clocksource/clocksource0/current_clocksource", buf, sizeof(buf)));
	put_cb(&c, "perf_event_paranoid", first_line("/proc/sys/kernel/perf_event_paranoid", buf, sizeof(buf)));
	put_cb(&c, "cpufreq_governor", first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", buf, sizeof(buf)));
	put_cb(&c, "uid", util_strfmt(s, sizeof(s), "%d", (int)getuid()));
	check_describe(put_cb, &c);
	return c.rc;
}
