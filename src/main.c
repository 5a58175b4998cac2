/* main.c - the command line: parse, dispatch, map errors to exit codes.
 * The only place that decides to exit. */
#include "check.h"
#include "claims.h"
#include "compare.h"
#include "dataset.h"
#include "csvio.h"
#include "estimate.h"
#include "merge.h"
#include "opts.h"
#include "pin.h"
#include "plan.h"
#include "plancheck.h"
#include "plot.h"
#include "report.h"
#include "run.h"
#include "schema.h"
#include "trial.h"
#include "util.h"
#include "version.h"
#include "xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one global: the first signal that asked the run to stop (0 while
 * none did), read by the run loop. */
static volatile sig_atomic_t stop_flag;

static void on_stop(int sig)
{
	if (!stop_flag)
		stop_flag = sig;
}

static int die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("ptbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* Prints " name (unit, lower is better)" after the metrics listed so far
 * on a line that began at column 0, wrapping at 100 columns. */
static void list_metric(const struct metric *m, int *col, int *n)
{
	const char *dir = m->better > 0 ? "higher is better" : m->better < 0 ? "lower is better" : "";
	char item[96];

	if (*m->unit && *dir)
		util_strfmt(item, sizeof(item), "%s (%s, %s)", m->name, m->unit, dir);
	else if (*m->unit || *dir)
		util_strfmt(item, sizeof(item), "%s (%s)", m->name, *m->unit ? m->unit : dir);
	else
		util_strfmt(item, sizeof(item), "%s", m->name);
	if ((*n)++)
		*col += printf(",");
	if (*col + 1 + (int)strlen(item) > 100)
		*col = printf("\n%-20s", "") - 1;
	*col += printf(" %s", item);
}

/* The modes a workload runs in, how an exec'd worker gets its data, and
 * why it refuses the others. */
static void list_modes(const struct workload *wl)
{
	const char *sep = " ";

	printf("%-11s modes:", "");
	for (int m = 0; m < MODE_N; m++)
		if (!wl->refuse[m]) {
			printf("%s%s", sep, mode_names[m]);
			sep = ", ";
		}
	if (!wl->refuse[MODE_EXEC] && wl->setup)
		printf(" (exec: %s)", wl->exec == WX_MAP ? "maps the trial's data"
						     : "builds its own data");
	for (int m = 0; m < MODE_N; m++)
		if (wl->refuse[m])
			printf("; not %s: %s", mode_names[m], wl->refuse[m]);
	printf("\n");
}

static int cmd_list(void)
{
	for (int i = 0; workloads[i]; i++) {
		const struct workload *wl = workloads[i];
		const char *sep = "";

		printf("%-11s %s\n", wl->name, wl->summary);
		printf("%-11s claims:", "");
		for (int c = 0; c < CLAIM_N; c++)
			if (wl->claims & CLAIM_BIT(c)) {
				printf("%s%s", *sep ? "," : " ", claims_name(c));
				sep = ",";
			}
		printf("%s\n", *sep ? "" : " none");
		list_modes(wl);
		if (wl->metrics && wl->metrics->name) {
			int col = printf("%-11s metrics:", ""), n = 0;

			for (const struct metric *m = wl->metrics; m->name; m++)
				list_metric(m, &col, &n);
			printf("\n");
		}
		for (const struct param *p = wl->params; p && p->name; p++) {
			char range[80];

			if (p->type == PT_CHOICE)
				util_strfmt(range, sizeof(range), "%s", p->choices);
			else if (p->type == PT_FRAC)
				util_strfmt(range, sizeof(range), "%g..%g", p->min, p->max);
			else
				util_strfmt(range, sizeof(range), "%.0f..%.0f%s", p->min, p->max,
				       p->type == PT_SIZE ? " bytes (K/M/G/T, iB optional)" : "");
			printf("%-11s -P %s=%s  (%s) %s\n", "", p->name, p->def, range, p->help);
		}
	}
	{
		int col = printf("%-11s", "every workload:"), n = 0;

		for (const struct common_metric *c = common_metrics; c->m.name; c++)
			list_metric(&c->m, &col, &n);
		printf("\n");
	}
	return 0;
}

/* topo's lines about the kinds of core, from pin_describe's facts. */
static void print_kind(void *arg, const char *key, const char *value)
{
	(void)arg;
	if (strncmp(key, "cpukind", 7) == 0)
		printf("%s: %s\n", key, value);
}

/* "a synthetic: DESC" or "the topology of FILE" for a machine that is
 * not this one; "" for this one. */
static const char *other_machine(const struct options *o, char *buf, size_t len)
{
	if (o->synthetic)
		return util_strfmt(buf, len, " - synthetic: %s", o->synthetic);
	if (o->topology)
		return util_strfmt(buf, len, " - topology of %s", o->topology);
	return "";
}

static int cmd_topo(const struct options *o, struct pin *pin, const char *env)
{
	struct pin_counts pc;
	int counts[MAX_LIST], n, *cpus;
	char err[256], other[PATH_MAX + 32];

	pin_counts(pin, &pc);
	n = opts_wspec_resolve(&o->workers, &pc, counts, MAX_LIST, err, sizeof(err));
	if (n < 0)
		return die(2, "%s", err);
	n = counts[n - 1];      /* the largest count asked for */
	cpus = calloc((size_t)n, sizeof(*cpus));
	if (!cpus || pin_place(pin, o->pin, n, cpus) < 0) {
		free(cpus);
		return die(1, "placement failed");
	}
	if (o->csv) {
		struct csvw *w;
		int rc = csvw_open(&w, NULL, topo_cols, TP_N, CSVW_STDOUT);

		for (int i = 0; !rc && i < n; i++) {
			int core, pkg, numa;
			struct row row;

			row_init(&row, TP_N);
			row_u64(&row, TP_WORKER, (uint64_t)i);
			if (cpus[i] >= 0 && pin_where(pin, cpus[i], &core, &pkg, &numa) == 0) {
				int rank;
				const char *kind;

				row_u64(&row, TP_PU, (uint64_t)cpus[i]);
				row_i64(&row, TP_CORE, core);
				row_i64(&row, TP_PACKAGE, pkg);
				row_i64(&row, TP_NUMA, numa);
				pin_cpukind(pin, cpus[i], &rank, &kind);
				row_i64(&row, TP_CPUKIND, rank);
				row_str(&row, TP_CPUKIND_NAME, kind);
			}
			rc = csvw_row(w, &row);
		}
		if (csvw_close(w) < 0 || rc < 0) {
			free(cpus);
			return 1;       /* main says stdout failed */
		}
	} else {
		const char *oth = other_machine(o, other, sizeof(other));

		printf("machine: %d package(s), %d NUMA node(s), %d core(s), %d PU(s)%s%s%s\n",
		       pc.packages, pc.numa, pc.cores, pc.pus, oth,
		       !*oth && env ? " - as the environment's " : "", !*oth && env ? env : "");
		pin_describe(pin, print_kind, NULL);
		printf("placement of %d worker(s), --pin %s, --cpukind %s:\n", n,
		       pin_names[o->pin], pin_kind_names[o->cpukind]);
		for (int i = 0; i < n; i++) {
			int core, pkg, numa, rank;
			const char *kind;

			if (cpus[i] < 0) {
				printf("  worker %d -> anywhere (not pinned)\n", i);
				continue;
			}
			pin_where(pin, cpus[i], &core, &pkg, &numa);
			pin_cpukind(pin, cpus[i], &rank, &kind);
			printf("  worker %d -> PU %d (core %d, package %d, NUMA node %d, cpukind %d%s%s)\n",
			       i, cpus[i], core, pkg, numa, rank, *kind ? " " : "", kind);
		}
	}
	free(cpus);
	return 0;
}

/* The exit code of a run that ended as st; sig is the signal that
 * stopped it: 130 for SIGINT and SIGTERM (as it always was), 128 + the
 * signal for the others. */
static int run_exit(enum run_status st, int sig)
{
	switch (st) {
	case RUN_OK:
		return 0;
	case RUN_UNEXPECTED:
	case RUN_FAILED:
		return 1;
	case RUN_REFUSED:
		return 2;
	case RUN_STOPPED:
		break;
	}
	return sig == SIGINT || sig == SIGTERM ? 130 : 128 + sig;
}

/* Writes the workbook of a result folder (to path; NULL: DIR/results.xlsx)
 * and says where. Returns the exit code. */
static int export_dir(const char *dir, const char *path)
{
	struct xlsx_info info;
	char err[1024];
	double t0 = util_now_s();
	int rc = xlsx_export(dir, path, 0, &info, err, sizeof(err));

	if (rc < 0)
		return die(rc == -EINVAL ? 2 : 1, "export: %s", err);
	printf("workbook: %s (%d sheets, %d chart(s), %.0f KiB, %.2f s)\n", info.path, info.sheets,
	       info.charts, (double)info.bytes / 1024, util_now_s() - t0);
	return 0;
}

/* --dry-run: the plan's cells and estimate on stdout; --max-time: a plan
 * estimated over it refused. Returns the exit code (0: go on). */
static int plan_estimate(const struct options *o, struct pin *pin, const struct plan *plan)
{
	struct pin_counts pc;
	struct est_calib cal;
	char err[512], other[PATH_MAX + 32];
	double total;
	int rc;

	pin_counts(pin, &pc);
	estimate_calibrate(&cal);
	if (o->dry_run)
		printf("plan for %d package(s), %d NUMA node(s), %d core(s), %d PU(s)%s%s\n",
		       pc.packages, pc.numa, pc.cores, pc.pus, other_machine(o, other, sizeof(other)),
		       o->synthetic || o->topology ? " (at this machine's speed per core)" : "");
	rc = estimate_plan(o->dry_run ? stdout : NULL, plan, &cal, &pc, o->max_time,
			   pin_memory(pin), &total, err, sizeof(err));
	if (rc < 0)
		return die(2, "%s", err);
	return 0;
}

static int cmd_run(const struct options *o, struct pin *pin, const char *suite,
		   int argc, char **argv)
{
	struct run_env env = { o, pin, argc, argv, &stop_flag };
	struct plan plan = { 0 };
	char err[512] = "", dir[PATH_MAX] = "";
	struct sigaction sa = { .sa_handler = on_stop };
	enum run_status st;
	int rc;

	if (!suite && o->npos == 0)
		return die(2, "run: name at least one workload (see ptbench list)");
	rc = suite ? plan_suite(&plan, &env, suite, err, sizeof(err))
		   : plan_workloads(&plan, &env, err, sizeof(err));
	if (!rc && suite && o->npos > 1) {
		util_strfmt(err, sizeof(err), "suite takes one file, not '%s'", o->pos[1]);
		rc = -EINVAL;
	}
	/* Out of memory is this process's failure; the rest is bad input,
	 * plancheck_plan's -ENOMEM too (a plan bigger than the machine).
	 * Another machine's plan is checked against its memory, below. */
	if (rc < 0 || plancheck_modes(&plan, err, sizeof(err)) < 0 ||
	    (!o->synthetic && !o->topology && plancheck_plan(&plan, &env, err, sizeof(err)) < 0)) {
		plan_free(&plan);
		return die(rc == -ENOMEM ? 1 : 2, "%s", err);
	}
	if (o->dry_run || o->max_time > 0) {
		rc = plan_estimate(o, pin, &plan);
		if (rc || o->dry_run) {
			plan_free(&plan);
			return rc;
		}
	}

	if ((rc = trial_harness_init()) < 0) {
		plan_free(&plan);
		return die(1, "cannot become a child subreaper: %s", strerror(-rc));
	}
	/* Every signal that would end the process stops the run instead, so
	 * that the trial's tree is killed and the results are written. One
	 * ignored or caught before ptbench started (nohup, a profiler) is
	 * left so; SIGINT and SIGTERM stop it always. A write to a closed
	 * pipe then fails with EPIPE instead of killing the harness. */
	sigfillset(&sa.sa_mask);
	for (int s = 1; s < NSIG; s++) {
		struct sigaction old;

		if (!trial_stop_signal(s) ||
		    (s != SIGINT && s != SIGTERM &&
		     (sigaction(s, NULL, &old) < 0 || old.sa_handler != SIG_DFL)))
			continue;
		sigaction(s, &sa, NULL);
	}

	st = run_plan(&plan, &env, dir, sizeof(dir), err, sizeof(err));
	plan_free(&plan);
	rc = run_exit(st, (int)stop_flag);
	if (st == RUN_REFUSED || !*dir)         /* no result folder was kept */
		return die(rc, "%s", err);
	if (*err)
		die(1, "%s", err);
	{
		char aerr[512];
		int analysed = report_dir(dir, -1, aerr, sizeof(aerr)) == 0;

		if (!analysed) {
			die(1, "%s", aerr);
			rc = rc ? rc : 1;
		} else if (report_print(dir, stdout) < 0) {
			rc = rc ? rc : 1;
		}
		printf("results: %s\n", dir);
		if (analysed && !o->given[O_NO_EXPORT] && export_dir(dir, NULL))
			rc = rc ? rc : 1;
	}
	fflush(stdout);
	return rc;
}

static int cmd_plot(const struct options *o)
{
	char err[512];
	int made, rc;

	if (o->npos != 1)
		return die(2, "plot: name one result folder");
	/* a merged folder: each run's charts in plots/HOST_RUN/ */
	if (dataset_is_merged(o->pos[0]) == 1)
		rc = merge_plot(o->pos[0], &made, err, sizeof(err));
	else
		rc = plot_dir(o->pos[0], &made, err, sizeof(err));
	if (rc == -EINVAL)
		return die(2, "%s", err);
	if (rc < 0)
		return die(1, "%s", err);
	printf("%d chart(s) in %s/plots/\n", made, o->pos[0]);
	return 0;
}

/* Rebuilds the summaries of a result folder from its trial rows: after
 * the harness was killed, or with a newer ptbench. */
static int cmd_analyze(const struct options *o)
{
	char err[512];
	int rc;

	if (o->npos != 1)
		return die(2, "analyze: name one result folder");
	/* a merged folder: each run on its own, its verdicts printed */
	if (dataset_is_merged(o->pos[0]) == 1) {
		rc = merge_analyze(o->pos[0], o->given[O_NOISE] ? o->noise : -1, stdout, err, sizeof(err));
		if (rc == -ENOENT || rc == -EBADMSG || rc == -ENOTDIR || rc == -EINVAL)
			return die(2, "%s", err);
		return rc < 0 ? die(1, "%s", err) : 0;
	}
	rc = report_dir(o->pos[0], o->given[O_NOISE] ? o->noise : -1, err, sizeof(err));
	if (rc == -ENOENT || rc == -EBADMSG || rc == -ENOTDIR || rc == -EINVAL)
		return die(2, "%s", err);
	if (rc < 0)
		return die(1, "%s", err);
	if (report_print(o->pos[0], stdout) < 0)
		return die(1, "cannot read back %s/claims.csv", o->pos[0]);
	return 0;
}

/* Defers the signals that would end the process while a command writes
 * a folder under a temporary name (merge, compare -o): it finishes or
 * removes what it made, then the signal acts as it would have. */
static void defer_stops(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (int s = 1; s < NSIG; s++)
		if (trial_stop_signal(s))
			sigaddset(&set, s);
	sigprocmask(SIG_BLOCK, &set, old);
}

static int cmd_compare(const struct options *o)
{
	char err[1024];
	int rc;

	if (o->npos < 1)
		return die(2, "compare: name two or more result folders, or one merged folder");
	/* Side by side: one merged folder, more than two, or -o. Two
	 * folders print B against A on stdout as they always did. */
	if (o->npos != 2 || o->given[O_OUT]) {
		const char *out = o->given[O_OUT] ? o->out : o->npos == 1 ? o->pos[0] : NULL;

		if (!out)
			return die(2, "compare: %d folders: name the folder for hosts.csv and claims_by_host.csv with -o DIR",
				   o->npos);
		sigset_t old;

		defer_stops(&old);
		/* two folders: stdout stays the CSV of changes; the table to stderr */
		rc = compare_hosts(o->pos, o->npos, out, o->npos == 2 ? stderr : stdout, stderr, err,
				   sizeof(err));
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (rc == -EINVAL)
			return die(2, "%s", err);
		if (rc < 0)
			return die(1, "%s", err);
		if (o->npos != 2)
			return 0;
	}
	rc = compare_dirs(o->pos[0], o->pos[1], o->noise, err, sizeof(err));
	if (rc == -EINVAL)
		return die(2, "%s", err);
	if (rc < 0 && ferror(stdout))
		return 1;       /* main says stdout failed */
	return rc < 0 ? die(1, "%s", err) : 0;
}

/* The folder's workbook (-o: another path). */
static int cmd_export(const struct options *o)
{
	if (o->npos != 1)
		return die(2, "export: name one result folder");
	return export_dir(o->pos[0], o->out);
}

/* Many result folders as one (-o: the new folder). */
static int cmd_merge(const struct options *o)
{
	char err[1024];
	sigset_t old;
	int rc;

	if (o->npos < 1)
		return die(2, "merge: name the result folders to merge (ptbench merge DIR... -o OUT)");
	if (!o->given[O_OUT] || !*o->out)
		return die(2, "merge: name the folder to write with -o OUT");
	defer_stops(&old);
	rc = merge_dirs(o->pos, o->npos, o->out, stderr, err, sizeof(err));
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc == -EINVAL || rc == -EEXIST)
		return die(2, "%s", err);
	if (rc < 0)
		return die(1, "%s", err);
	printf("merged: %s (%d folder(s))\n", o->out, o->npos);
	return 0;
}

/* The machine's fitness for benchmarking. Advice: exit 0 whatever it says. */
static int cmd_check(const struct options *o)
{
	struct check_line lines[CHECK_N];

	if (o->npos)
		return die(2, "check takes no arguments");
	check_machine(lines);
	if (o->csv)
		return check_csv(lines) < 0;    /* main says stdout failed */
	check_print(stdout, lines);
	return 0;
}

static int command(int argc, char **argv)
{
	struct options o;
	char err[512];
	const char *cmd, *env;
	struct pin *pin = NULL;
	int rc;

	opts_defaults(&o);
	if (argc < 2)
		return opts_usage(stderr), 2;
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
		return opts_usage(stdout), 0;
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("ptbench %s (%s)\n", PTBENCH_VERSION, PTBENCH_COMMIT);
		return 0;
	}
	if (opts_parse(&o, argc - 2, argv + 2, err, sizeof(err)) < 0)
		return die(2, "%s", err);
	if (o.help)
		return opts_usage(stdout), 0;
	if (o.version) {
		printf("ptbench %s (%s)\n", PTBENCH_VERSION, PTBENCH_COMMIT);
		return 0;
	}
	if (strcmp(cmd, "list") == 0) {
		if (o.npos)
			return die(2, "list takes no arguments");
		return cmd_list();
	}
	if (o.given[O_NO_EXPORT] && strcmp(cmd, "run") && strcmp(cmd, "suite"))
		return die(2, "--no-export is for run and suite only");
	if (strcmp(cmd, "plot") == 0)
		return cmd_plot(&o);
	if (strcmp(cmd, "compare") == 0)
		return cmd_compare(&o);
	if (strcmp(cmd, "analyze") == 0)
		return cmd_analyze(&o);
	if (strcmp(cmd, "check") == 0)
		return cmd_check(&o);
	if (strcmp(cmd, "export") == 0)
		return cmd_export(&o);
	if (strcmp(cmd, "merge") == 0)
		return cmd_merge(&o);
	if (strcmp(cmd, "run") && strcmp(cmd, "suite") && strcmp(cmd, "topo"))
		return die(2, "unknown command '%s' (see ptbench --help)", cmd);
	if ((o.synthetic || o.topology) && strcmp(cmd, "topo") && !o.dry_run)
		return die(2, "%s is for topo and --dry-run only (a run needs the real machine)",
			   o.synthetic ? "--synthetic" : "--topology");
	if (o.synthetic && o.topology)
		return die(2, "--synthetic and --topology each name a machine: give one");
	if ((o.dry_run || o.given[O_MAX_TIME]) && strcmp(cmd, "run") && strcmp(cmd, "suite"))
		return die(2, "%s is for run and suite only", o.dry_run ? "--dry-run" : "--max-time");
	if (o.csv && strcmp(cmd, "topo"))
		return die(2, "--csv is for topo and check only");
	/* A run measures this machine: an hwloc override would place the
	 * workers on another one and record it in meta.csv as this one. */
	env = pin_env_override();
	if (env && strcmp(cmd, "topo") && !o.dry_run)
		return die(2, "%s is set: %s measures this machine, so it refuses hwloc's topology overrides (unset it; ptbench topo may use it)",
			   env, cmd);
	rc = o.topology ? pin_open_xml(&pin, o.topology) : pin_open(&pin, o.synthetic);
	if (rc < 0) {
		if (o.topology)
			return die(2, "cannot load the hwloc XML topology '%s'", o.topology);
		if (o.synthetic)
			return die(2, "bad synthetic topology '%s'", o.synthetic);
		if (env)
			return die(2, "cannot load the topology that %s='%s' names", env, getenv(env));
		return die(1, "cannot read this machine's topology: %s", strerror(-rc));
	}
	rc = pin_set_cpukind(pin, o.cpukind);
	if (rc < 0) {
		pin_close(pin);
		return die(2, "--cpukind %s: %s", pin_kind_names[o.cpukind],
			   rc == -ENOTSUP ? "hwloc cannot rank this machine's kinds of core"
					  : strerror(-rc));
	}
	if (strcmp(cmd, "topo") == 0) {
		rc = o.npos ? die(2, "topo takes no arguments") : cmd_topo(&o, pin, env);
	} else if (strcmp(cmd, "suite") == 0) {
		rc = o.npos < 1 ? die(2, "suite: name a suite file (e.g. bench/quick.csv)")
			       : cmd_run(&o, pin, o.pos[0], argc, argv);
	} else {
		rc = cmd_run(&o, pin, NULL, argc, argv);
	}
	pin_close(pin);
	return rc;
}

/* Descriptors 0-2 closed by the caller (`2>&-`) would be handed to the
 * first files opened, and messages meant for stderr would land in a
 * result file: they are opened on /dev/null first. */
static int std_fds_open(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", O_RDWR) != fd)    /* the lowest free one */
			return -1;
	}
	return 0;
}

/* The one check that everything written to stdout got there (a full disk,
 * a closed pipe): exit 1 and one line if not. */
static int stdout_flushed(int rc)
{
	int bad, e = 0;

	if (fflush(stdout) == EOF)
		e = errno;
	bad = e || ferror(stdout);
	if (fclose(stdout) == EOF && !bad) {
		e = errno;
		bad = 1;
	}
	if (!bad)
		return rc;
	if (e)
		die(1, "writing to standard output failed: %s", strerror(e));
	else    /* an earlier flush failed, and took errno with it */
		die(1, "writing to standard output failed");
	return rc ? rc : 1;
}

int main(int argc, char **argv)
{
	/* An exec-mode worker that its trial started: not a command. */
	if (argc > 1 && strcmp(argv[1], TRIAL_WORKER_ARG) == 0)
		return trial_exec_worker(argc, argv);
	if (std_fds_open() < 0)
		return 1;       /* no /dev/null: nowhere safe to say so */
	return stdout_flushed(command(argc, argv));
}
