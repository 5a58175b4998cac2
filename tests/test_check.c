/* test_check.c - `ptbench check`: each rule judged on fake /proc and /sys
 * trees (an ok and a warn case each, missing files unknown), the cgroup
 * lookup of v1 and v2 mounts, the warning lines, then end to end: every
 * fact printed, the CSV read back against the schema, meta.csv's keys. */
#include <errno.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "check.h"
#include "e2e.h"

#define MAX_FILES 12

static const char v2_mi[] = "25 22 0:22 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw\n";
static const char v1_mi[] =
	"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
	"34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
	"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
static const char v1_cg[] = "4:memory:/job\n3:cpuset:/\n2:cpu,cpuacct:/job\n0::/\n";

/* One rule on one fake tree: files as path, text pairs under the root. */
static const struct tcase {
	const char *what;
	const char *files[2 * MAX_FILES + 1];
	int euid;
	const char *name;               /* the fact looked at */
	enum check_status status;
	const char *value;
	const char *advice;             /* a part of the advice, or NULL */
} cases[] = {
	{ "governor performance everywhere",
	  { "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance\n",
	    "sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance\n" },
	  0, "governor", CHECK_OK, "performance", NULL },
	{ "governor powersave on one CPU",
	  { "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance\n",
	    "sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "powersave\n" },
	  0, "governor", CHECK_WARN, "performance,powersave", "cpupower frequency-set -g performance" },
	{ "governor: CPUs without cpufreq", { "sys/devices/system/cpu/cpu0/online", "1\n" },
	  0, "governor", CHECK_INFO, "unknown", "no cpufreq" },
	{ "intel turbo off", { "sys/devices/system/cpu/intel_pstate/no_turbo", "1\n" },
	  0, "turbo", CHECK_OK, "off", NULL },
	{ "intel turbo on", { "sys/devices/system/cpu/intel_pstate/no_turbo", "0\n" },
	  0, "turbo", CHECK_WARN, "on", "no_turbo" },
	{ "boost off", { "sys/devices/system/cpu/cpufreq/boost", "0\n" },
	  0, "turbo", CHECK_OK, "off", NULL },
	{ "boost on", { "sys/devices/system/cpu/cpufreq/boost", "1\n" },
	  0, "turbo", CHECK_WARN, "on", "echo 0 > /sys/devices/system/cpu/cpufreq/boost" },
	{ "SMT on", { "sys/devices/system/cpu/smt/control", "on\n" },
	  0, "smt", CHECK_INFO, "on", "-p core" },
	{ "SMT off", { "sys/devices/system/cpu/smt/control", "off\n" },
	  0, "smt", CHECK_OK, "off", NULL },
	{ "SMT not supported", { "sys/devices/system/cpu/smt/control", "notsupported\n" },
	  0, "smt", CHECK_OK, "notsupported", NULL },
	{ "isolated CPUs", { "sys/devices/system/cpu/isolated", "2-3\n" },
	  0, "isolated_cpus", CHECK_OK, "2-3", "taskset -c 2-3" },
	{ "no isolated CPUs", { "sys/devices/system/cpu/isolated", "\n" },
	  0, "isolated_cpus", CHECK_INFO, "none", "isolcpus=" },
	{ "isolcpus= on the command line alone",
	  { "proc/cmdline", "ro quiet isolcpus=1,3 nohz_full=1,3 splash\n" },
	  0, "isolated_cpus", CHECK_OK, "1,3", NULL },
	{ "nohz_full (null)", { "sys/devices/system/cpu/nohz_full", "(null)\n" },
	  0, "nohz_full", CHECK_INFO, "none", "nohz_full=LIST" },
	{ "nohz_full set", { "sys/devices/system/cpu/nohz_full", "2-3\n" },
	  0, "nohz_full", CHECK_OK, "2-3", NULL },
	{ "nohz_full on the command line alone", { "proc/cmdline", "ro nohz_full=1\n" },
	  0, "nohz_full", CHECK_OK, "1", NULL },
	{ "v2 quota on a parent binds",
	  { "proc/self/mountinfo", v2_mi, "proc/self/cgroup", "0::/a/b\n",
	    "sys/fs/cgroup/a/cpu.max", "50000 100000\n", "sys/fs/cgroup/a/b/cpu.max", "max 100000\n",
	    "sys/devices/system/cpu/online", "0-3\n" },
	  0, "cpu_quota", CHECK_WARN, "0.5 CPUs", "/sys/fs/cgroup/a/cpu.max" },
	{ "v2 no quota",
	  { "proc/self/mountinfo", v2_mi, "proc/self/cgroup", "0::/a\n",
	    "sys/fs/cgroup/a/cpu.max", "max 100000\n" },
	  0, "cpu_quota", CHECK_OK, "none", NULL },
	{ "v1 quota of 2 CPUs on 8",
	  { "proc/self/mountinfo", v1_mi, "proc/self/cgroup", v1_cg,
	    "sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_quota_us", "200000\n",
	    "sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_period_us", "100000\n",
	    "sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n",
	    "sys/devices/system/cpu/online", "0-7\n" },
	  0, "cpu_quota", CHECK_WARN, "2 CPUs", "cpu.cfs_quota_us" },
	{ "v1 quota of 2 CPUs on 2 never throttles",
	  { "proc/self/mountinfo", v1_mi, "proc/self/cgroup", v1_cg,
	    "sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_quota_us", "200000\n",
	    "sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_period_us", "100000\n",
	    "sys/devices/system/cpu/online", "0-1\n" },
	  0, "cpu_quota", CHECK_OK, "2 CPUs", NULL },
	{ "cgroup: no /proc/self/cgroup", { "proc/self/mountinfo", v2_mi },
	  0, "cpu_quota", CHECK_INFO, "unknown", NULL },
	{ "v2 cpuset of 2 of 4 CPUs",
	  { "proc/self/mountinfo", v2_mi, "proc/self/cgroup", "0::/a\n",
	    "sys/fs/cgroup/a/cpuset.cpus.effective", "0-1\n", "sys/devices/system/cpu/online", "0-3\n" },
	  0, "cpuset", CHECK_INFO, "0-1", "2 of the 4" },
	{ "v2 cpuset from the parent, all CPUs",
	  { "proc/self/mountinfo", v2_mi, "proc/self/cgroup", "0::/a\n",
	    "sys/fs/cgroup/cpuset.cpus.effective", "0-3\n", "sys/devices/system/cpu/online", "0-3\n" },
	  0, "cpuset", CHECK_OK, "0-3", NULL },
	{ "v1 cpuset, all CPUs",
	  { "proc/self/mountinfo", v1_mi, "proc/self/cgroup", v1_cg,
	    "sys/fs/cgroup/cpuset/cpuset.effective_cpus", "0-1\n", "sys/devices/system/cpu/online", "0-1\n" },
	  0, "cpuset", CHECK_OK, "0-1", NULL },
	{ "v2 memory limit below the RAM",
	  { "proc/self/mountinfo", v2_mi, "proc/self/cgroup", "0::/a\n",
	    "sys/fs/cgroup/a/memory.max", "1073741824\n", "proc/meminfo", "MemTotal:  4194304 kB\n" },
	  0, "memory_limit", CHECK_INFO, "1024.0 MiB", "/sys/fs/cgroup/a/memory.max" },
	{ "v2 memory max",
	  { "proc/self/mountinfo", v2_mi, "proc/self/cgroup", "0::/a\n",
	    "sys/fs/cgroup/a/memory.max", "max\n", "proc/meminfo", "MemTotal:  4194304 kB\n" },
	  0, "memory_limit", CHECK_OK, "none", NULL },
	{ "v1 memory 'no limit' number",
	  { "proc/self/mountinfo", v1_mi, "proc/self/cgroup", v1_cg,
	    "sys/fs/cgroup/memory/job/memory.limit_in_bytes", "9223372036854771712\n",
	    "proc/meminfo", "MemTotal:  4194304 kB\n" },
	  0, "memory_limit", CHECK_OK, "none", NULL },
	{ "hypervisor flag",
	  { "proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme hypervisor lahf_lm\n\n" },
	  0, "virtualization", CHECK_WARN, "yes (hypervisor flag)", "-r 10" },
	{ "DMI names a VM",
	  { "proc/cpuinfo", "processor\t: 0\nFeatures\t: fp asimd\n\n",
	    "sys/class/dmi/id/sys_vendor", "QEMU\n", "sys/class/dmi/id/product_name", "Standard PC (Q35 + ICH9, 2009)\n" },
	  0, "virtualization", CHECK_WARN, "QEMU Standard PC (Q35 + ICH9, 2009)", NULL },
	{ "bare metal",
	  { "proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme lahf_lm\n\n",
	    "sys/class/dmi/id/sys_vendor", "Dell Inc.\n", "sys/class/dmi/id/product_name", "PowerEdge R640\n" },
	  0, "virtualization", CHECK_OK, "none", NULL },
	{ "idle load", { "proc/loadavg", "0.05 0.10 0.10 1/100 123\n", "sys/devices/system/cpu/online", "0-1\n" },
	  0, "load_1min", CHECK_OK, "0.05", NULL },
	{ "load above 0.1 a CPU",
	  { "proc/loadavg", "0.50 0.10 0.10 1/100 123\n", "sys/devices/system/cpu/online", "0-1\n" },
	  0, "load_1min", CHECK_WARN, "0.50", "2 CPUs" },
	{ "the same load on 16 CPUs",
	  { "proc/loadavg", "0.50 0.10 0.10 1/100 123\n", "sys/devices/system/cpu/online", "0-15\n" },
	  0, "load_1min", CHECK_OK, "0.50", NULL },
	{ "load: CPUs counted from cpuinfo",
	  { "proc/loadavg", "0.50 0.10 0.10 1/100 123\n",
	    "proc/cpuinfo", "processor\t: 0\n\nprocessor\t: 1\n\nprocessor\t: 2\n\nprocessor\t: 3\n\nprocessor\t: 4\n\nprocessor\t: 5\n\n" },
	  0, "load_1min", CHECK_OK, "0.50", "6 CPUs" },
	{ "only this task runnable", { "proc/loadavg", "0.00 0.00 0.00 1/100 123\n" },
	  0, "runnable", CHECK_OK, "1 of 100", NULL },
	{ "three tasks runnable", { "proc/loadavg", "0.00 0.00 0.00 3/100 123\n" },
	  0, "runnable", CHECK_WARN, "3 of 100", "2 task(s) besides" },
	{ "no steal", { "proc/stat", "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n" },
	  0, "steal", CHECK_OK, "0.00%", NULL },
	{ "a little steal", { "proc/stat", "cpu  100 0 100 795 0 0 0 5 0 0\n" },
	  0, "steal", CHECK_INFO, "0.50%", NULL },
	{ "much steal", { "proc/stat", "cpu  100 0 100 780 0 0 0 20 0 0\n" },
	  0, "steal", CHECK_WARN, "2.00%", NULL },
	{ "THP madvise", { "sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n" },
	  0, "thp", CHECK_OK, "madvise", NULL },
	{ "THP always", { "sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n" },
	  0, "thp", CHECK_WARN, "always", "echo madvise" },
	{ "ASLR on", { "proc/sys/kernel/randomize_va_space", "2\n" },
	  0, "aslr", CHECK_INFO, "2 (on)", "setarch -R" },
	{ "ASLR off", { "proc/sys/kernel/randomize_va_space", "0\n" },
	  0, "aslr", CHECK_OK, "0 (off)", NULL },
	{ "perf paranoid 3, not root", { "proc/sys/kernel/perf_event_paranoid", "3\n" },
	  1000, "perf_event_paranoid", CHECK_WARN, "3", "schedstat" },
	{ "perf paranoid 3, root", { "proc/sys/kernel/perf_event_paranoid", "3\n" },
	  0, "perf_event_paranoid", CHECK_OK, "3", NULL },
	{ "perf paranoid 2, not root", { "proc/sys/kernel/perf_event_paranoid", "2\n" },
	  1000, "perf_event_paranoid", CHECK_OK, "2", NULL },
	{ "clock tsc", { "sys/devices/system/clocksource/clocksource0/current_clocksource", "tsc\n" },
	  0, "clocksource", CHECK_OK, "tsc", NULL },
	{ "clock kvm-clock", { "sys/devices/system/clocksource/clocksource0/current_clocksource", "kvm-clock\n" },
	  0, "clocksource", CHECK_OK, "kvm-clock", NULL },
	{ "clock hpet, tsc available",
	  { "sys/devices/system/clocksource/clocksource0/current_clocksource", "hpet\n",
	    "sys/devices/system/clocksource/clocksource0/available_clocksource", "tsc hpet acpi_pm \n" },
	  0, "clocksource", CHECK_WARN, "hpet", "echo tsc >" },
	{ "clock acpi_pm alone",
	  { "sys/devices/system/clocksource/clocksource0/current_clocksource", "acpi_pm\n",
	    "sys/devices/system/clocksource/clocksource0/available_clocksource", "acpi_pm\n" },
	  0, "clocksource", CHECK_WARN, "acpi_pm", "no faster one" },
};

/* Writes root/path with text, making its folders. */
static int put_file(const char *root, const char *path, const char *text)
{
	char full[PATH_MAX], *slash;
	size_t made, at;
	FILE *f;

	util_strfmt(full, sizeof(full), "%s/%s", root, path);
	slash = strrchr(full, '/');
	*slash = '\0';
	if (util_mkdir_p(full, 0755, &made, &at) < 0)
		return -1;
	*slash = '/';
	f = fopen(full, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -1;
}

static const struct check_line *line_named(const struct check_line *lines, const char *name)
{
	for (int i = 0; i < CHECK_N; i++)
		if (!strcmp(lines[i].name, name))
			return &lines[i];
	return NULL;
}

static void rule_cases(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct tcase *c = &cases[i];
		struct check_facts f;
		struct check_line lines[CHECK_N];
		const struct check_line *l;
		char root[64];
		int bad = 0;

		if (!tmpdir(root, sizeof(root))) {
			ok(0, "%s: a temporary folder", c->what);
			continue;
		}
		for (int k = 0; c->files[k]; k += 2)
			bad |= put_file(root, c->files[k], c->files[k + 1]) < 0;
		check_read(root, &f);
		f.euid = c->euid;
		check_eval(&f, lines);
		l = line_named(lines, c->name);
		ok(!bad && l && l->status == c->status && !strcmp(l->value, c->value) &&
		   (!c->advice || strstr(l->advice, c->advice)),
		   "%s: %s %s '%s'%s%s (got %s '%s': %s)", c->what, c->name,
		   check_status_name(c->status), c->value, c->advice ? ", advice has " : "",
		   c->advice ? c->advice : "", l ? check_status_name(l->status) : "-", l ? l->value : "-",
		   l ? l->advice : "no such fact");
		rmtree(root);
	}
}

/* An empty tree: every fact unknown, none a warning. */
static void empty_tree(void)
{
	struct check_facts f;
	struct check_line lines[CHECK_N];
	char root[64];
	int unknown = 0;

	if (!tmpdir(root, sizeof(root)))
		return;
	check_read(root, &f);
	f.euid = 1000;
	check_eval(&f, lines);
	for (int i = 0; i < CHECK_N; i++) {
		if (!strcmp(lines[i].value, "unknown") && lines[i].status == CHECK_INFO)
			unknown++;
		else
			diag("%s: %s %s", lines[i].name, lines[i].value, check_status_name(lines[i].status));
	}
	ok(unknown == CHECK_N, "an empty tree: all %d facts unknown, none a warning (%d)", CHECK_N,
	   unknown);
	rmtree(root);
}

/* check_warn: one line a warning, in the documented form, nothing for
 * ok or info. */
static void warn_lines(void)
{
	static const char *const files[] = {
		"sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "powersave\n",
		"sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n",
		"sys/devices/system/cpu/smt/control", "on\n",
		"proc/sys/kernel/randomize_va_space", "2\n",
	};
	char root[64], *text = NULL;
	size_t len = 0;
	FILE *m;
	int n = -1, bad = 0, lines = 0;

	if (!tmpdir(root, sizeof(root)))
		return;
	for (size_t k = 0; k < ARRAY_SIZE(files); k += 2)
		bad |= put_file(root, files[k], files[k + 1]) < 0;
	m = open_memstream(&text, &len);
	if (m) {
		n = check_warn(m, root);
		fclose(m);
	}
	for (const char *c = text; c && *c; c++)
		lines += *c == '\n';
	if (!ok(!bad && n == 2 && lines == 2 && text[len - 1] == '\n' &&
		!strncmp(text, "ptbench: warning: governor is powersave: the clock follows the load", 67) &&
		strstr(text, "\nptbench: warning: thp is always: ") && !strstr(text, "smt") &&
		!strstr(text, "aslr"),
		"check_warn: the two warnings, one line each, not the info facts (%d, %d lines)", n,
		lines))
		diag("%s", text ? text : "");
	free(text);
	rmtree(root);
}

/* cg_find for v1 controllers (v2 is in test_kill's cg_locate cases). */
static void find_cases(void)
{
	static const char spaced_mi[] =
		"35 31 0:32 / /mnt/cg\\040v1 rw - cgroup cgroup rw,memory\n";
	static const struct {
		const char *mi, *cg, *ctl, *want;       /* want NULL: -ENOENT */
		size_t top;
		const char *what;
	} fcases[] = {
		{ v1_mi, v1_cg, "memory", "/sys/fs/cgroup/memory/job", 21, "v1 memory below the top" },
		{ v1_mi, v1_cg, "cpu", "/sys/fs/cgroup/cpu,cpuacct/job", 26, "v1 cpu in a joint mount" },
		{ v1_mi, v1_cg, "cpuacct", "/sys/fs/cgroup/cpu,cpuacct/job", 26, "v1 cpuacct in a joint mount" },
		{ v1_mi, v1_cg, "cpuset", "/sys/fs/cgroup/cpuset", 21, "v1 cpuset at the top" },
		{ v1_mi, v1_cg, NULL, "/sys/fs/cgroup/unified", 22, "the v2 mount of a hybrid" },
		{ v1_mi, v1_cg, "pids", NULL, 0, "a controller not mounted" },
		{ v1_mi, "2:cpuacct:/x\n", "cpu", NULL, 0, "cpu is not a prefix of cpuacct" },
		{ spaced_mi, "4:memory:/a\n", "memory", "/mnt/cg v1/a", 10, "an escaped space" },
		{ v2_mi, "0::/../x\n", NULL, NULL, 0, "a cgroup outside the namespace" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(fcases); i++) {
		char dir[PATH_MAX] = "";
		size_t top = 0;
		int rc = cg_find(fcases[i].mi, fcases[i].cg, fcases[i].ctl, dir, sizeof(dir), &top);

		if (fcases[i].want)
			ok(rc == 0 && !strcmp(dir, fcases[i].want) && top == fcases[i].top,
			   "cg_find, %s: %s, top %zu (got %d, %s, %zu)", fcases[i].what, fcases[i].want,
			   fcases[i].top, rc, dir, top);
		else
			ok(rc == -ENOENT, "cg_find, %s: none (got %d, %s)", fcases[i].what, rc, dir);
	}
}

/* The fact names, in order (they do not depend on the facts). */
static void fact_names(const char *names[CHECK_N])
{
	struct check_facts f;
	struct check_line lines[CHECK_N];

	memset(&f, 0, sizeof(f));
	check_eval(&f, lines);
	for (int i = 0; i < CHECK_N; i++)
		names[i] = lines[i].name;
}

/* The file tmp/name as text ("" when missing). */
static const char *text_of(const char *tmp, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];

	if (util_read_file(util_strfmt(path, sizeof(path), "%s/%s", tmp, name), buf, len) < 0)
		buf[0] = '\0';
	return buf;
}

static int is_status(const char *s)
{
	return !strcmp(s, "ok") || !strcmp(s, "info") || !strcmp(s, "warn");
}

/* `ptbench check`: exit 0, one line a fact; --csv: the schema; an
 * argument: exit 2. */
static void e2e_check(const char *exe, const char *tmp, const char *names[CHECK_N])
{
	static char out[16384];
	struct table t;
	int rc, good = 0;

	{
		char *args[] = { (char *)exe, "check", NULL };

		rc = run_cmd(args, tmp);
	}
	text_of(tmp, "stdout.txt", out, sizeof(out));
	ok(rc == 0, "ptbench check exits 0 (got %d)", rc);
	for (int i = 0; i < CHECK_N; i++) {
		char line[1024];

		/* "name  value  status  advice", the columns padded */
		for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
			util_strfmt(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
			if (!strncmp(line, names[i], strlen(names[i])) && line[strlen(names[i])] == ' ' &&
			    (strstr(line, "  ok  ") || strstr(line, "  info  ") || strstr(line, "  warn  "))) {
				good++;
				break;
			}
		}
	}
	ok(good == CHECK_N, "ptbench check prints a line for each of the %d facts (%d)", CHECK_N, good);
	{
		char *args[] = { (char *)exe, "check", "--csv", NULL };

		rc = run_cmd(args, tmp);
	}
	ok(rc == 0, "ptbench check --csv exits 0 (got %d)", rc);
	if (read_checked(tmp, "stdout.txt", check_cols, CK_N, &t) == 0) {
		int same = t.nrows == CHECK_N;

		for (int r = 0; same && r < t.nrows; r++) {
			same = !strcmp(cell(&t, r, "check"), names[r]) && *cell(&t, r, "value") &&
			       is_status(cell(&t, r, "status"));
		}
		ok(same, "check --csv: one row a fact in order, a value and ok|info|warn each");
		table_free(&t);
	}
	{
		char *args[] = { (char *)exe, "check", "extra", NULL };

		rc = run_cmd(args, tmp);
	}
	ok(rc == 2 && strstr(text_of(tmp, "stderr.txt", out, sizeof(out)), "ptbench: check takes no arguments"),
	   "ptbench check extra: exit 2 (got %d)", rc);
}

/* A tiny run: meta.csv has a value for every check_ key. */
static void e2e_run(const char *exe, const char *tmp, const char *names[CHECK_N])
{
	char out[PATH_MAX], buf[256], missing[512] = "";
	char *args[] = { (char *)exe, "run", "cpu", "-n", "1", "-r", "1", "-m", "thread",
			 "--warmup", "0", "--traced", "0", "-P", "total=1000000", "-o", out, "-q", NULL };
	int rc;

	util_strfmt(out, sizeof(out), "%s/run", tmp);
	rc = run_cmd(args, tmp);
	ok(rc == 0, "a tiny run exits 0 (got %d)", rc);
	for (int i = 0; i < CHECK_N; i++) {
		char key[64];

		util_strfmt(key, sizeof(key), "check_%s", names[i]);
		if (!*meta(out, key, buf, sizeof(buf))) {
			size_t k = strlen(missing);

			util_strfmt(missing + k, sizeof(missing) - k, " %s", key);
		}
	}
	ok(!*missing, "meta.csv has a value for every check_ key%s%s", *missing ? "; missing:" : "",
	   missing);
	ok(!strstr(text_of(tmp, "stderr.txt", buf, sizeof(buf)), "warning"), "-q: no warnings");
}

/* run prints check's warnings before the first trial: each that does not
 * move from one second to the next (load, runnable tasks and steal do). */
static void e2e_warnings(const char *exe, const char *tmp)
{
	static char err[16384];
	char out[PATH_MAX], *csv[] = { (char *)exe, "check", "--csv", NULL };
	char *run[] = { (char *)exe, "run", "cpu", "-n", "1", "-r", "1", "-m", "thread",
			"--warmup", "0", "--traced", "0", "-P", "total=1000000", "-o", out, NULL };
	char want[CHECK_N][64];
	struct table t;
	int nwant = 0, seen = 0, rc;

	util_strfmt(out, sizeof(out), "%s/warned", tmp);
	if (run_cmd(csv, tmp) != 0 || read_checked(tmp, "stdout.txt", check_cols, CK_N, &t) < 0)
		return;
	for (int r = 0; r < t.nrows && nwant < CHECK_N; r++) {
		const char *name = cell(&t, r, "check");

		if (!strcmp(cell(&t, r, "status"), "warn") && strcmp(name, "load_1min") &&
		    strcmp(name, "runnable") && strcmp(name, "steal"))
			util_strfmt(want[nwant++], sizeof(want[0]), "ptbench: warning: %s is", name);
	}
	table_free(&t);
	rc = run_cmd(run, tmp);
	text_of(tmp, "stderr.txt", err, sizeof(err));
	for (int i = 0; i < nwant; i++)
		seen += strstr(err, want[i]) != NULL;
	ok(rc == 0 && seen == nwant, "run prints the %d steady warning(s) of check before its trials (%d)",
	   nwant, seen);
}

int main(int argc, char **argv)
{
	const char *names[CHECK_N];
	char tmp[64];

	rule_cases();
	empty_tree();
	warn_lines();
	find_cases();
	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return done_testing();
	fact_names(names);
	e2e_check(argv[1], tmp, names);
	e2e_run(argv[1], tmp, names);
	e2e_warnings(argv[1], tmp);
	rmtree(tmp);
	return done_testing();
}
