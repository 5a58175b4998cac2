/* check.c - the machine's fitness for benchmarking: files under a root
 * folder read into facts, facts judged by a table of rules. */
#include "check.h"
#include "cgroup.h"
#include "csvio.h"
#include "schema.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- reading ---- */

/* root joined with an absolute path ("/" and "" are this machine). */
static char *at(const char *root, const char *abs, char *buf, size_t len)
{
	size_t r = strlen(root);

	while (r > 0 && root[r - 1] == '/')
		r--;
	return util_strfmt(buf, len, "%.*s%s", (int)r, root, abs);
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && strchr(" \t\n", s[n - 1]))
		s[--n] = '\0';
}

static void read_text(const char *root, const char *abs, struct check_text *t)
{
	char path[PATH_MAX];

	t->known = util_read_file(at(root, abs, path, sizeof(path)), t->s, sizeof(t->s)) >= 0;
	if (!t->known)
		t->s[0] = '\0';
	trim(t->s);
}

/* A whole file of any size (cpuinfo, mountinfo), malloc'ed; NULL when it
 * cannot be read. */
static char *read_all(const char *root, const char *abs)
{
	char path[PATH_MAX], *buf = NULL;
	size_t cap = 0, len = 0, n = 1;
	FILE *fp = fopen(at(root, abs, path, sizeof(path)), "re");
	int bad = 0;

	if (!fp)
		return NULL;
	while (n > 0 && !bad) {
		bad = util_grow(&buf, &cap, len + 1, 1, 16384) < 0;
		n = bad ? 0 : fread(buf + len, 1, cap - len - 1, fp);
		len += n;
	}
	if (buf)
		buf[len] = '\0';
	if (bad || ferror(fp) || !buf) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/* The start of the line after p, or NULL at the end of the text. */
static const char *next_line(const char *p)
{
	p = strchr(p, '\n');
	return p && p[1] ? p + 1 : NULL;
}

/* Appends word to the comma-separated list t->s unless it is there. */
static void add_word(struct check_text *t, const char *word)
{
	size_t n = strlen(t->s);

	if (!util_word_in(t->s, n, word, ','))
		util_strfmt(t->s + n, sizeof(t->s) - n, "%s%s", n ? "," : "", word);
}

/* Where this process's cgroups are, read once. */
struct cg_src {
	const char *root;
	char *mountinfo, *cgroup;       /* the texts of /proc/self/... */
};

/* Calls fn on this process's folder of one cgroup hierarchy (v1 of ctl,
 * or cgroup2 when ctl is NULL) and on each parent up to the top, as
 * paths under root, until fn returns nonzero. Returns 0, or -ENOENT
 * when there is no such hierarchy. */
static int cg_walk(const struct cg_src *s, const char *ctl,
		   int (*fn)(void *arg, const char *dir), void *arg)
{
	char dir[PATH_MAX], path[PATH_MAX];
	size_t top;

	if (!s->mountinfo || !s->cgroup ||
	    cg_find(s->mountinfo, s->cgroup, ctl, dir, sizeof(dir), &top) < 0)
		return -ENOENT;
	for (;;) {
		char *slash = strrchr(dir + top, '/');

		if (fn(arg, at(s->root, dir, path, sizeof(path))) || !slash)
			return 0;
		*slash = '\0';
	}
}

/* The limit that the control file dir/name sets: CPUs for a CPU quota,
 * bytes for memory; INFINITY for none, NAN when the file is missing. */
static double limit_at(const char *dir, const char *name)
{
	char path[PATH_MAX + 32], buf[128], *end;
	double a, b;

	if (util_read_file(util_strfmt(path, sizeof(path), "%s/%s", dir, name), buf, sizeof(buf)) <= 0)
		return NAN;
	if (strncmp(buf, "max", 3) == 0)        /* cpu.max "max 100000", memory.max "max" */
		return INFINITY;
	a = strtod(buf, &end);
	if (end == buf)
		return NAN;
	if (strcmp(name, "cpu.max") == 0) {     /* "QUOTA PERIOD" */
		b = strtod(end, NULL);
		return b > 0 ? a / b : NAN;
	}
	if (strcmp(name, "cpu.cfs_quota_us") == 0) {    /* -1: none */
		b = limit_at(dir, "cpu.cfs_period_us");
		return a < 0 ? INFINITY : b > 0 ? a / b : NAN;
	}
	return a;
}

/* The lowest limit of one control file over a cgroup and its parents
 * (a parent's limit binds its children). */
struct lowest {
	const char *file;
	double best;                    /* INFINITY: none seen */
	char *where;                    /* the file that set it */
	size_t wlen;
};

static int lowest_cb(void *arg, const char *dir)
{
	struct lowest *l = arg;
	double v = limit_at(dir, l->file);

	if (v < l->best) {
		l->best = v;
		util_strfmt(l->where, l->wlen, "%s/%s", dir, l->file);
	}
	return 0;
}

/* The lowest limit on this process in the v1 hierarchy of ctl (file v1)
 * and in cgroup2 (file v2): INFINITY for none; *known is 0 when neither
 * hierarchy was found. */
static double cg_lowest(const struct cg_src *s, const char *ctl, const char *v1,
			const char *v2, char *where, size_t wlen, int *known)
{
	struct lowest l1 = { v1, INFINITY, where, wlen };
	int found = cg_walk(s, ctl, lowest_cb, &l1) == 0;
	struct lowest l2 = { v2, l1.best, where, wlen };

	found |= cg_walk(s, NULL, lowest_cb, &l2) == 0;
	*known = found;
	return l2.best;
}

/* The first cgroup folder (own, then parents) with a cpuset file: a
 * cgroup without the controller has its parent's CPUs. */
struct first_text {
	const char *file;
	struct check_text *t;
};

static int first_cb(void *arg, const char *dir)
{
	struct first_text *ft = arg;
	char abs[PATH_MAX + 32];

	read_text("", util_strfmt(abs, sizeof(abs), "%s/%s", dir, ft->file), ft->t);
	return ft->t->known;
}

double check_cg_limit(const char *root, const char *ctl, const char *v1, const char *v2,
		      char *where, size_t wlen, int *known)
{
	struct cg_src s = { root, read_all(root, "/proc/self/mountinfo"),
			    read_all(root, "/proc/self/cgroup") };
	double v = cg_lowest(&s, ctl, v1, v2, where, wlen, known);

	free(s.mountinfo);
	free(s.cgroup);
	return v;
}

static void read_cgroups(const char *root, struct check_facts *f)
{
	struct cg_src s = { root, read_all(root, "/proc/self/mountinfo"),
			    read_all(root, "/proc/self/cgroup") };
	struct first_text v2 = { "cpuset.cpus.effective", &f->cpuset };
	struct first_text v1 = { "cpuset.effective_cpus", &f->cpuset };
	double q, m;

	q = check_cg_limit(root, "cpu", "cpu.cfs_quota_us", "cpu.max", f->quota_file,
			   sizeof(f->quota_file), &f->quota_known);
	f->quota_cpus = isfinite(q) ? q : 0;
	m = check_cg_limit(root, "memory", "memory.limit_in_bytes", "memory.max", f->mem_file,
			   sizeof(f->mem_file), &f->mem_known);
	/* v1 says "no limit" with a number near 2^63. */
	f->mem_limit = isfinite(m) && m < 0x1p62 ? (uint64_t)m : 0;
	cg_walk(&s, NULL, first_cb, &v2);
	if (!f->cpuset.known)
		cg_walk(&s, "cpuset", first_cb, &v1);
	free(s.mountinfo);
	free(s.cgroup);
}

static void read_cpuinfo(const char *root, struct check_facts *f)
{
	char *text = read_all(root, "/proc/cpuinfo");

	f->cpuinfo_known = text != NULL;
	for (const char *p = text; p; p = next_line(p)) {
		size_t n = strcspn(p, "\n");
		const char *colon = memchr(p, ':', n);

		if (strncmp(p, "processor", 9) == 0)
			f->cpuinfo_cpus++;
		/* x86 "flags", arm "Features": the same on every CPU */
		else if (colon && (strncmp(p, "flags", 5) == 0 || strncmp(p, "Features", 8) == 0) &&
			 !f->hypervisor_flag)
			f->hypervisor_flag = util_word_in(colon + 1, (size_t)(p + n - colon - 1), "hypervisor", ' ');
	}
	free(text);
}

/* The boot parameters that isolate CPUs: "isolcpus=... nohz_full=...". */
static void read_cmdline(const char *root, struct check_facts *f)
{
	char *text = read_all(root, "/proc/cmdline");

	f->cmdline.known = text != NULL;
	if (!text)
		return;
	for (char *w = text, *save = NULL; (w = strtok_r(w, " \n", &save)); w = NULL) {
		size_t n = strlen(f->cmdline.s);

		if (strncmp(w, "isolcpus=", 9) == 0 || strncmp(w, "nohz_full=", 10) == 0)
			util_strfmt(f->cmdline.s + n, sizeof(f->cmdline.s) - n, "%s%s", n ? " " : "", w);
	}
	free(text);
}

/* The first line of text starting with prefix, into t. */
static void read_line(const char *root, const char *abs, const char *prefix, struct check_text *t)
{
	char *text = read_all(root, abs);

	t->known = 0;
	t->s[0] = '\0';
	for (const char *p = text; p; p = next_line(p))
		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			util_strfmt(t->s, sizeof(t->s), "%.*s", (int)strcspn(p, "\n"), p);
			t->known = 1;
			break;
		}
	free(text);
}

void check_read(const char *root, struct check_facts *f)
{
	static const struct {
		size_t off;
		const char *abs;
	} files[] = {
		{ offsetof(struct check_facts, no_turbo), "/sys/devices/system/cpu/intel_pstate/no_turbo" },
		{ offsetof(struct check_facts, boost), "/sys/devices/system/cpu/cpufreq/boost" },
		{ offsetof(struct check_facts, smt), "/sys/devices/system/cpu/smt/control" },
		{ offsetof(struct check_facts, isolated), "/sys/devices/system/cpu/isolated" },
		{ offsetof(struct check_facts, nohz_full), "/sys/devices/system/cpu/nohz_full" },
		{ offsetof(struct check_facts, online), "/sys/devices/system/cpu/online" },
		{ offsetof(struct check_facts, loadavg), "/proc/loadavg" },
		{ offsetof(struct check_facts, thp), "/sys/kernel/mm/transparent_hugepage/enabled" },
		{ offsetof(struct check_facts, aslr), "/proc/sys/kernel/randomize_va_space" },
		{ offsetof(struct check_facts, paranoid), "/proc/sys/kernel/perf_event_paranoid" },
		{ offsetof(struct check_facts, clocksource),
		  "/sys/devices/system/clocksource/clocksource0/current_clocksource" },
		{ offsetof(struct check_facts, clocksources),
		  "/sys/devices/system/clocksource/clocksource0/available_clocksource" },
	};
	struct check_text vendor, product;

	memset(f, 0, sizeof(*f));
	f->euid = (int)geteuid();
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		read_text(root, files[i].abs, (struct check_text *)((char *)f + files[i].off));
	/* Every CPU's governor, until the first CPU folder that is not there. */
	for (int i = 0;; i++) {
		char abs[96], path[PATH_MAX];
		struct check_text t;

		util_strfmt(abs, sizeof(abs), "/sys/devices/system/cpu/cpu%d", i);
		if (access(at(root, abs, path, sizeof(path)), F_OK) < 0)
			break;
		util_strfmt(abs, sizeof(abs), "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", i);
		read_text(root, abs, &t);
		if (t.known && *t.s) {
			f->governor.known = 1;
			add_word(&f->governor, t.s);
		}
	}
	read_text(root, "/sys/class/dmi/id/sys_vendor", &vendor);
	read_text(root, "/sys/class/dmi/id/product_name", &product);
	f->dmi.known = vendor.known || product.known;
	util_strfmt(f->dmi.s, sizeof(f->dmi.s), "%s%s%s", vendor.s, *vendor.s && *product.s ? " " : "",
	       product.s);
	read_cpuinfo(root, f);
	read_cmdline(root, f);
	read_line(root, "/proc/meminfo", "MemTotal:", &f->meminfo);
	read_line(root, "/proc/stat", "cpu ", &f->stat_cpu);
	read_cgroups(root, f);
}

/* ---- judging ---- */

static void say(struct check_line *l, enum check_status s, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void say(struct check_line *l, enum check_status s, const char *value, const char *fmt, ...)
{
	va_list ap;

	l->status = s;
	util_strfmt(l->value, sizeof(l->value), "%s", value);
	va_start(ap, fmt);
	vsnprintf(l->advice, sizeof(l->advice), fmt, ap);
	va_end(ap);
}

/* How many CPUs a list such as "0-3,8,10-11" names; -1 when it is not one. */
static int cpu_count(const char *list)
{
	int n = 0;

	if (!*list)
		return 0;
	for (const char *p = list; *p;) {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (end == p || a < 0)
			return -1;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p || b < a)
				return -1;
		}
		n += (int)(b - a + 1);
		if (*end != ',' && *end)
			return -1;
		p = *end ? end + 1 : end;
	}
	return n;
}

/* The online CPUs, from the kernel's list or else /proc/cpuinfo; 0 unknown. */
static int online_cpus(const struct check_facts *f)
{
	int n = f->online.known ? cpu_count(f->online.s) : -1;

	return n > 0 ? n : f->cpuinfo_cpus;
}

/* The value of boot parameter name= in f->cmdline, or NULL. */
static const char *boot_param(const struct check_facts *f, const char *name, char *buf, size_t len)
{
	size_t n = strlen(name);

	for (const char *w = f->cmdline.s; w && *w; w = strchr(w, ' ') ? strchr(w, ' ') + 1 : NULL)
		if (strncmp(w, name, n) == 0 && w[n] == '=')
			return util_strfmt(buf, len, "%.*s", (int)strcspn(w + n + 1, " "), w + n + 1);
	return NULL;
}

static void judge_governor(const struct check_facts *f, struct check_line *l)
{
	if (!f->governor.known)
		say(l, CHECK_INFO, "unknown",
		    "no cpufreq (/sys/devices/system/cpu/cpu*/cpufreq): the firmware or the host sets the clock");
	else if (strcmp(f->governor.s, "performance") == 0)
		say(l, CHECK_OK, f->governor.s, "every CPU keeps its highest clock");
	else
		say(l, CHECK_WARN, f->governor.s,
		    "the clock follows the load, so a trial's first milliseconds run slower: cpupower frequency-set -g performance");
}

static void judge_turbo(const struct check_facts *f, struct check_line *l)
{
	static const char why[] = "the clock rises and falls with temperature and with how many cores are busy";
	int intel = f->no_turbo.known;
	const char *v = intel ? f->no_turbo.s : f->boost.s;

	if (!intel && !f->boost.known)
		say(l, CHECK_INFO, "unknown",
		    "not found: /sys/devices/system/cpu/intel_pstate/no_turbo, /sys/devices/system/cpu/cpufreq/boost");
	else if (strcmp(v, intel ? "1" : "0") == 0)
		say(l, CHECK_OK, "off", "the clock stays at its base frequency");
	else if (strcmp(v, intel ? "0" : "1") == 0)
		say(l, CHECK_WARN, "on", "%s: %s", why,
		    intel ? "echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo"
			  : "echo 0 > /sys/devices/system/cpu/cpufreq/boost");
	else
		say(l, CHECK_INFO, v, "an unexpected value");
}

static void judge_smt(const struct check_facts *f, struct check_line *l)
{
	const char *v = f->smt.s;

	if (!f->smt.known)
		say(l, CHECK_INFO, "unknown", "not found: /sys/devices/system/cpu/smt/control");
	else if (strcmp(v, "on") == 0)
		say(l, CHECK_INFO, v,
		    "two hardware threads share each core: -p core (the default) gives each worker a core of its own while there are enough; echo off > /sys/devices/system/cpu/smt/control turns SMT off");
	else if (strcmp(v, "off") == 0 || strcmp(v, "forceoff") == 0)
		say(l, CHECK_OK, v, "one hardware thread a core");
	else if (strcmp(v, "notsupported") == 0 || strcmp(v, "notimplemented") == 0)
		say(l, CHECK_OK, v, "no SMT on this CPU");
	else
		say(l, CHECK_INFO, v, "an unexpected value");
}

/* A CPU list from its sysfs file, or else from the boot parameter;
 * "none" when empty; NULL when neither could be read. */
static const char *cpu_list(const struct check_facts *f, const struct check_text *t,
			    const char *param, char *buf, size_t len)
{
	const char *v = t->known ? t->s : boot_param(f, param, buf, len);

	if (!t->known && !f->cmdline.known)
		return NULL;
	/* nohz_full says "(null)" on some kernels when there is none */
	return !v || !*v || strcmp(v, "(null)") == 0 ? "none" : v;
}

/* A list of CPUs set aside: ok when there are some, info when none. The
 * advice when set is pre LIST post. */
static void judge_cpus(const struct check_facts *f, struct check_line *l, const struct check_text *t,
		       const char *param, const char *file, const char *none, const char *pre,
		       const char *post)
{
	char buf[CHECK_TEXT];
	const char *v = cpu_list(f, t, param, buf, sizeof(buf));

	if (!v)
		say(l, CHECK_INFO, "unknown", "not found: %s, /proc/cmdline", file);
	else if (strcmp(v, "none") == 0)
		say(l, CHECK_INFO, v, "%s", none);
	else
		say(l, CHECK_OK, v, "%s%s%s", pre, v, post);
}

static void judge_isolated(const struct check_facts *f, struct check_line *l)
{
	judge_cpus(f, l, &f->isolated, "isolcpus", "/sys/devices/system/cpu/isolated",
		   "other tasks may run on the measured CPUs: boot with isolcpus=LIST nohz_full=LIST, then taskset -c LIST ptbench ...",
		   "run ptbench there: taskset -c ", " ptbench ...");
}

static void judge_nohz(const struct check_facts *f, struct check_line *l)
{
	judge_cpus(f, l, &f->nohz_full, "nohz_full", "/sys/devices/system/cpu/nohz_full",
		   "the timer tick interrupts every CPU: boot with nohz_full=LIST for the isolated CPUs",
		   "no timer tick on ", " while one task runs there");
}

static void judge_quota(const struct check_facts *f, struct check_line *l)
{
	char v[64];
	int cpus = online_cpus(f);

	util_strfmt(v, sizeof(v), "%.3g CPUs", f->quota_cpus);
	if (!f->quota_known)
		say(l, CHECK_INFO, "unknown", "no cgroup hierarchy found (/proc/self/cgroup, /proc/self/mountinfo)");
	else if (f->quota_cpus <= 0)
		say(l, CHECK_OK, "none", "no CPU quota on this cgroup or its parents");
	else if (cpus > 0 && f->quota_cpus >= cpus)
		say(l, CHECK_OK, v, "%s: not below the %d CPUs, so it never throttles", f->quota_file, cpus);
	else
		say(l, CHECK_WARN, v,
		    "%s: once the quota is used up, every task of the cgroup waits for the next period, pausing a trial mid-measurement: raise or remove it (systemd CPUQuota=, docker --cpus)",
		    f->quota_file);
}

static void judge_cpuset(const struct check_facts *f, struct check_line *l)
{
	int n = f->cpuset.known ? cpu_count(f->cpuset.s) : -1, all = online_cpus(f);

	if (n < 0)
		say(l, CHECK_INFO, "unknown",
		    "no cgroup cpuset file found (cpuset.cpus.effective, cpuset.effective_cpus)");
	else if (all > 0 && n < all)
		say(l, CHECK_INFO, f->cpuset.s, "ptbench uses only these %d of the %d online CPUs", n, all);
	else
		say(l, CHECK_OK, f->cpuset.s, "every online CPU");
}

static void judge_memory(const struct check_facts *f, struct check_line *l)
{
	unsigned long long ram_kib = 0;
	char v[64];

	if (f->meminfo.known)
		sscanf(f->meminfo.s, "MemTotal: %llu", &ram_kib);
	util_strfmt(v, sizeof(v), "%.1f MiB", (double)f->mem_limit / (1 << 20));
	if (!f->mem_known)
		say(l, CHECK_INFO, "unknown", "no cgroup hierarchy found (/proc/self/cgroup, /proc/self/mountinfo)");
	else if (!f->mem_limit || (ram_kib && f->mem_limit / 1024 >= ram_kib))
		say(l, CHECK_OK, "none", "no memory limit below the RAM on this cgroup or its parents");
	else
		say(l, CHECK_INFO, v,
		    "%s: below the RAM (%.1f MiB); memory-heavy trials reclaim or are OOM-killed at it (ptbench refuses a plan that does not fit)",
		    f->mem_file, ram_kib / 1024.0);
}

/* DMI names of virtual machines (sys_vendor or product_name). */
static const char *const vm_names[] = {
	"QEMU", "KVM", "VMware", "VirtualBox", "innotek", "Xen", "HVM domU",
	"Virtual Machine", "Amazon EC2", "Google Compute Engine", "Parallels",
	"Bochs", "OpenStack", "BHYVE", "Firecracker", "Cloud Hypervisor", NULL,
};

static void judge_virt(const struct check_facts *f, struct check_line *l)
{
	int dmi_vm = 0;

	for (int i = 0; vm_names[i] && f->dmi.known; i++)
		dmi_vm |= strstr(f->dmi.s, vm_names[i]) != NULL;
	if (!f->cpuinfo_known && !f->dmi.known)
		say(l, CHECK_INFO, "unknown", "not found: /proc/cpuinfo, /sys/class/dmi/id");
	else if (f->hypervisor_flag || dmi_vm)
		say(l, CHECK_WARN, dmi_vm ? f->dmi.s : "yes (hypervisor flag)",
		    "a guest's CPUs are threads of the host: steal time, other guests and the host's clock add noise; use more repetitions (-r 10 or more) and compare runs only on the same host");
	else
		say(l, CHECK_OK, "none", "no hypervisor seen (cpuinfo flags, DMI)");
}

static void judge_load(const struct check_facts *f, struct check_line *l)
{
	int cpus = online_cpus(f);
	double load;
	char v[64];

	if (!f->loadavg.known || sscanf(f->loadavg.s, "%lf", &load) != 1) {
		say(l, CHECK_INFO, "unknown", "not found: /proc/loadavg");
		return;
	}
	cpus = cpus > 0 ? cpus : 1;
	util_strfmt(v, sizeof(v), "%.2f", load);
	if (load > 0.1 * cpus)
		say(l, CHECK_WARN, v,
		    "above 0.1 a CPU (%d CPUs): other work kept the CPUs busy in the last minute and competes with the trials; wait for it or stop it (top shows what)",
		    cpus);
	else
		say(l, CHECK_OK, v, "the CPUs were idle in the last minute (%d CPUs)", cpus);
}

static void judge_runnable(const struct check_facts *f, struct check_line *l)
{
	int run, all;
	char v[64];

	/* "0.52 0.58 0.59 2/345 12345": running or ready now / all tasks */
	if (!f->loadavg.known || sscanf(f->loadavg.s, "%*f %*f %*f %d/%d", &run, &all) != 2) {
		say(l, CHECK_INFO, "unknown", "not found: /proc/loadavg");
		return;
	}
	util_strfmt(v, sizeof(v), "%d of %d", run, all);
	if (run > 1)    /* this process is one of them */
		say(l, CHECK_WARN, v,
		    "%d task(s) besides this one are running or ready to run now: they compete with the trials",
		    run - 1);
	else
		say(l, CHECK_OK, v, "nothing else is running now");
}

static void judge_steal(const struct check_facts *f, struct check_line *l)
{
	unsigned long long t[8];
	double total = 0, frac;
	char v[64];

	/* "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (ticks) */
	if (!f->stat_cpu.known ||
	    sscanf(f->stat_cpu.s, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &t[0], &t[1], &t[2],
		   &t[3], &t[4], &t[5], &t[6], &t[7]) != 8) {
		say(l, CHECK_INFO, "unknown", "not found: the cpu line of /proc/stat");
		return;
	}
	for (int i = 0; i < 8; i++)
		total += (double)t[i];
	frac = total > 0 ? t[7] / total : 0;
	util_strfmt(v, sizeof(v), "%.2f%%", 100 * frac);
	if (t[7] == 0)
		say(l, CHECK_OK, v, "no CPU time taken by the host since boot");
	else
		say(l, frac >= 0.01 ? CHECK_WARN : CHECK_INFO, v,
		    "the share of CPU time since boot the host gave to others: a trial that loses its CPU this way takes longer; compare runs on the same host, with more repetitions");
}

static void judge_thp(const struct check_facts *f, struct check_line *l)
{
	char mode[64];

	check_bracketed(f->thp.s, mode, sizeof(mode));
	if (!f->thp.known)
		say(l, CHECK_INFO, "unknown", "not found: /sys/kernel/mm/transparent_hugepage/enabled");
	else if (strcmp(mode, "always") == 0)
		say(l, CHECK_WARN, mode,
		    "every large anonymous mapping may get 2 MiB pages, which changes fault counts and memory sizes; the cow workload sets THP per heap (-P thp=), the others do not: echo madvise > /sys/kernel/mm/transparent_hugepage/enabled");
	else
		say(l, CHECK_OK, mode, "huge pages only where a program asks");
}

static void judge_aslr(const struct check_facts *f, struct check_line *l)
{
	char v[64];

	util_strfmt(v, sizeof(v), "%s (%s)", f->aslr.s, strcmp(f->aslr.s, "0") ? "on" : "off");
	if (!f->aslr.known)
		say(l, CHECK_INFO, "unknown", "not found: /proc/sys/kernel/randomize_va_space");
	else if (strcmp(f->aslr.s, "0") == 0)
		say(l, CHECK_OK, v, "the same addresses every run");
	else
		say(l, CHECK_INFO, v,
		    "addresses, and so cache and TLB conflicts, differ from run to run; the repetitions average it (setarch -R ptbench ... runs without it)");
}

static void judge_paranoid(const struct check_facts *f, struct check_line *l)
{
	int p;

	if (!f->paranoid.known || sscanf(f->paranoid.s, "%d", &p) != 1)
		say(l, CHECK_INFO, "unknown", "not found: /proc/sys/kernel/perf_event_paranoid");
	else if (f->euid == 0)
		say(l, CHECK_OK, f->paranoid.s, "root: perf records CPU bursts whatever the setting");
	else if (p <= 2)
		say(l, CHECK_OK, f->paranoid.s, "perf records this user's own CPU bursts");
	else
		say(l, CHECK_WARN, f->paranoid.s,
		    "perf refuses a user other than root, so CPU bursts fall back to schedstat (the mean only): sudo sysctl kernel.perf_event_paranoid=2, or run as root");
}

/* Clock sources the vDSO reads without a system call. */
static const char *const fast_clocks[] = {
	"tsc", "kvm-clock", "arch_sys_counter", "hyperv_clocksource_tsc_page", NULL,
};

static void judge_clock(const struct check_facts *f, struct check_line *l)
{
	const char *v = f->clocksource.s;
	int fast = 0;

	for (int i = 0; fast_clocks[i]; i++)
		fast |= strcmp(v, fast_clocks[i]) == 0;
	if (!f->clocksource.known)
		say(l, CHECK_INFO, "unknown",
		    "not found: /sys/devices/system/clocksource/clocksource0/current_clocksource");
	else if (fast)
		say(l, CHECK_OK, v, "clock_gettime without a system call");
	else
		say(l, CHECK_WARN, v,
		    "every clock read is a system call (about a microsecond), which short timings carry: %s",
		    util_word_in(f->clocksources.s, strlen(f->clocksources.s), "tsc", ' ')
			    ? "echo tsc > /sys/devices/system/clocksource/clocksource0/current_clocksource"
			    : "this machine offers no faster one");
}

typedef void judge_fn(const struct check_facts *f, struct check_line *l);

/* The facts in the order they are printed; NULL-name terminated. */
static const struct rule {
	const char *name;
	judge_fn *judge;
} rules[] = {
	{ "governor", judge_governor },
	{ "turbo", judge_turbo },
	{ "smt", judge_smt },
	{ "isolated_cpus", judge_isolated },
	{ "nohz_full", judge_nohz },
	{ "cpu_quota", judge_quota },
	{ "cpuset", judge_cpuset },
	{ "memory_limit", judge_memory },
	{ "virtualization", judge_virt },
	{ "load_1min", judge_load },
	{ "runnable", judge_runnable },
	{ "steal", judge_steal },
	{ "thp", judge_thp },
	{ "aslr", judge_aslr },
	{ "perf_event_paranoid", judge_paranoid },
	{ "clocksource", judge_clock },
	{ NULL, NULL },
};

_Static_assert(ARRAY_SIZE(rules) == CHECK_N + 1, "CHECK_N counts the rules");

void check_eval(const struct check_facts *f, struct check_line lines[CHECK_N])
{
	for (int i = 0; rules[i].name; i++) {
		lines[i].name = rules[i].name;
		rules[i].judge(f, &lines[i]);
	}
}

void check_machine(struct check_line lines[CHECK_N])
{
	struct check_facts f;

	check_read("/", &f);
	check_eval(&f, lines);
}

const char *check_status_name(enum check_status s)
{
	return s == CHECK_WARN ? "warn" : s == CHECK_INFO ? "info" : "ok";
}

char *check_bracketed(const char *text, char *buf, size_t len)
{
	const char *a = strchr(text, '['), *b = a ? strchr(a, ']') : NULL;

	if (a && b)
		return util_strfmt(buf, len, "%.*s", (int)(b - a - 1), a + 1);
	return util_strfmt(buf, len, "%s", text);
}

void check_print(FILE *fp, const struct check_line lines[CHECK_N])
{
	int wn = 0, wv = 0;

	for (int i = 0; i < CHECK_N; i++) {
		wn = (int)strlen(lines[i].name) > wn ? (int)strlen(lines[i].name) : wn;
		wv = (int)strlen(lines[i].value) > wv ? (int)strlen(lines[i].value) : wv;
	}
	for (int i = 0; i < CHECK_N; i++)
		fprintf(fp, "%-*s  %-*s  %-4s  %s\n", wn, lines[i].name, wv, lines[i].value,
			check_status_name(lines[i].status), lines[i].advice);
}

int check_csv(const struct check_line lines[CHECK_N])
{
	struct csvw *w = NULL;  /* csvw_open leaves it unset when it fails */
	int rc = csvw_open(&w, NULL, check_cols, CK_N, CSVW_STDOUT);

	for (int i = 0; !rc && i < CHECK_N; i++) {
		const char *cells[CK_N] = { lines[i].name, lines[i].value,
					    check_status_name(lines[i].status), lines[i].advice };

		rc = csvw_cells(w, cells, CK_N);
	}
	if (csvw_close(w) < 0 && !rc)
		rc = -EIO;
	return rc;
}

int check_warn(FILE *fp, const char *root)
{
	struct check_facts f;
	struct check_line lines[CHECK_N];
	int n = 0;

	check_read(root, &f);
	check_eval(&f, lines);
	for (int i = 0; i < CHECK_N; i++)
		if (lines[i].status == CHECK_WARN) {
			fprintf(fp, "ptbench: warning: %s is %s: %s\n", lines[i].name,
				lines[i].value, lines[i].advice);
			n++;
		}
	return n;
}

void check_describe(void (*fn)(void *arg, const char *key, const char *value), void *arg)
{
	struct check_line lines[CHECK_N];

	check_machine(lines);
	for (int i = 0; i < CHECK_N; i++) {
		char key[64];

		fn(arg, util_strfmt(key, sizeof(key), "check_%s", lines[i].name), lines[i].value);
	}
}
