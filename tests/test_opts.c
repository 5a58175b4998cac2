/* test_opts.c - option and parameter parsing, good values and bad. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "opts.h"
#include "tap.h"
#include "util.h"

static int parse(struct options *o, const char *line, char *err, size_t n)
{
	char buf[512], *argv[32];
	int argc = 0;

	util_strfmt(buf, sizeof(buf), "%s", line);
	for (char *t = strtok(buf, " "); t && argc < 32; t = strtok(NULL, " "))
		argv[argc++] = t;
	opts_defaults(o);
	err[0] = '\0';
	return opts_parse(o, argc, argv, err, n);
}

static void good(const char *line)
{
	struct options o;
	char err[256];

	int rc = parse(&o, line, err, sizeof(err));

	ok(rc == 0, "accepts '%s'%s%s", line, *err ? ": " : "", err);
}

static void bad(const char *line, const char *named)
{
	struct options o;
	char err[256];
	int rc = parse(&o, line, err, sizeof(err));

	ok(rc == -EINVAL && strstr(err, named) != NULL, "refuses '%s' naming '%s' (%s)",
	   line, named, err);
}

static void workers_on(const char *spec, int npus, int ncores, const char *want)
{
	struct pin_counts pc = { .pus = npus, .cores = ncores, .packages = 1, .numa = 1 };
	struct wspec w;
	int out[MAX_LIST], n;
	char err[256], got[256] = "";

	if (opts_wspec_parse(&w, spec, err, sizeof(err)) < 0) {
		ok(0, "-n %s parses (%s)", spec, err);
		return;
	}
	n = opts_wspec_resolve(&w, &pc, out, MAX_LIST, err, sizeof(err));
	for (int i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%d", i ? "," : "", out[i]);
	ok(n > 0 && strcmp(got, want) == 0, "-n %s on %d PUs, %d cores -> %s (got %s)", spec, npus,
	   ncores, want, got);
}

static void workers(const char *spec, int npus, const char *want)
{
	workers_on(spec, npus, npus, want);
}

/* Each "(default X)" of the usage text is what opts_defaults() sets: the
 * option table is the one place a default is written. Returns how many
 * defaults the usage text shows. */
static int usage_defaults(void)
{
	char *usage = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&usage, &len);
	int shown = 0;

	if (!m)
		return 0;
	opts_usage(m);
	fclose(m);
	for (line = strtok_r(usage, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *lng = strstr(line, "--"), *def = strstr(line, "(default ");
		struct options want, got;
		char opt[64], err[256];
		char *argv[1] = { opt };

		if (!lng || !def || !strchr(def, ')'))
			continue;
		/* "--reps N ... (default 5)" -> "--reps=5" */
		util_strfmt(opt, sizeof(opt), "%.*s=%.*s", (int)strcspn(lng, " "), lng,
		       (int)strcspn(def + 9, ")"), def + 9);
		int rc;

		if (strchr(def + 9, '<'))
			continue;       /* a computed default (-o): not a value */
		opts_defaults(&want);
		opts_defaults(&got);
		err[0] = '\0';
		rc = opts_parse(&got, 1, argv, err, sizeof(err));
		memset(got.given, 0, sizeof(got.given));
		ok(rc == 0 && memcmp(&want, &got, sizeof(want)) == 0,
		   "the usage text's default %s is opts_defaults()'s %s", opt, err);
		shown++;
	}
	free(usage);
	return shown;
}

int main(void)
{
	struct options o;
	char err[256];
	uint64_t u;

	/* Defaults, from the one table. */
	opts_defaults(&o);
	ok(o.reps == 5 && o.warmup == 1 && o.traced == 1 && o.pin == PIN_CORE && o.timeout == 60 &&
	   o.noise == 0.03 && o.bursts == BURSTS_AUTO && o.modes == 3 && o.precision == 0.03 &&
	   o.budget == 20 && o.membind.policy == PM_FIRST_TOUCH, "defaults as documented");
	ok(usage_defaults() == 13, "the usage text shows the 13 defaults of the table");

	good("-r 3 -n 1,2 -m thread -p scatter cpu");
	parse(&o, "-r 3 -n 1,2 -m thread -p scatter cpu", err, sizeof(err));
	ok(o.reps == 3 && o.modes == 2 && o.pin == PIN_SCATTER && o.workers.n == 2,
	   "-r 3 -n 1,2 -m thread -p scatter set their fields");
	parse(&o, "-p compact --cpukind slow cpu", err, sizeof(err));
	ok(o.pin == PIN_COMPACT && o.cpukind == PIN_KIND_SLOW, "-p compact --cpukind slow set their fields");
	opts_defaults(&o);
	ok(o.cpukind == PIN_KIND_ALL, "--cpukind defaults to all");
	parse(&o, "-r3 --workers=1-4 --modes process --pin=pu -t 2.5 cpu spawn", err, sizeof(err));
	ok(o.reps == 3 && o.modes == 1 && o.pin == PIN_PU && o.timeout == 2.5 && o.npos == 2 &&
	   strcmp(o.pos[1], "spawn") == 0, "short, long, = forms and positionals mix");
	ok(o.given[O_REPS] && !o.given[O_LABEL], "given[] records what the user set");
	parse(&o, "-P heap=64M -P thp=on --label x -q --csv", err, sizeof(err));
	ok(o.nparams == 2 && strcmp(o.params[1], "thp=on") == 0 && o.quiet && o.csv &&
	   strcmp(o.label, "x") == 0, "-P repeats; flags set");
	parse(&o, "-r auto --precision 0.01 --budget 2.5 cpu", err, sizeof(err));
	ok(o.reps == REPS_AUTO && o.precision == 0.01 && o.budget == 2.5,
	   "-r auto --precision 0.01 --budget 2.5 set their fields");
	ok(reps_parse("auto", "reps", &u, err, sizeof(err)) == 0 && u == REPS_AUTO &&
	   reps_parse("1000", "reps", &u, err, sizeof(err)) == 0 && u == 1000 &&
	   reps_parse("Auto", "reps", &u, err, sizeof(err)) < 0 && strstr(err, "'Auto' for reps"),
	   "reps_parse: auto, a count, and a message naming the column");
	parse(&o, "-- -r", err, sizeof(err));
	ok(o.npos == 1 && strcmp(o.pos[0], "-r") == 0, "-- ends options");

	bad("-r 0", "--reps");
	bad("-r -1", "--reps");
	bad("-r 1001", "--reps");
	bad("-r abc", "--reps");
	bad("-r 99999999999999999999999", "--reps");
	bad("-r", "--reps");
	bad("-r autox", "autox");
	bad("-r ''", "--reps");
	bad("--precision 0", "--precision");
	bad("--precision 1", "--precision");
	bad("--precision x", "--precision");
	bad("--budget 0", "--budget");
	bad("--budget -2", "--budget");
	bad("--warmup 101", "--warmup");
	bad("--traced 101", "--traced");
	bad("-t 0", "--timeout");
	bad("-t nan", "--timeout");
	bad("-t 1e999", "--timeout");
	bad("--noise 2", "--noise");
	bad("-p sideways", "sideways");
	bad("-m fork", "fork");
	bad("-m ,", "--modes");
	bad("-n 0", "'0'");
	bad("-n 5000", "5000");
	bad("-n 4-2", "4-2");
	bad("-n ''", "''");
	bad("-n 1,,2", "--workers");
	bad("-n 2,", "trailing comma");
	bad("-n x", "'x'");
	bad("-n 0x", "0x");
	bad("--bursts maybe", "maybe");
	bad("--cpukind big", "big");
	bad("--cpukind FAST", "FAST");
	bad("-P novalue", "novalue");
	bad("-P =3", "=3");
	bad("--frobnicate", "--frobnicate");
	bad("-Z", "-Z");
	bad("--quiet=yes", "quiet");
	bad("-o", "--out");
	bad("--label=", "--label");

	{
		struct wspec w;

		ok(opts_wspec_parse(&w, "", err, sizeof(err)) == -EINVAL && strstr(err, "empty"),
		   "an empty -n list is refused (%s)", err);
	}
	workers("1,2,4", 8, "1,2,4");
	workers("1-4", 8, "1,2,3,4");
	workers("max", 6, "6");
	workers("1-max", 3, "1,2,3");
	workers("4x", 2, "8");
	workers("2,1,2", 8, "1,2");
	/* Geometric sweeps: they always end at their top. */
	workers("1-max:x2", 8, "1,2,4,8");
	workers("1-max:x2", 12, "1,2,4,8,12");
	workers("3-100:x3", 8, "3,9,27,81,100");
	workers_on("pow2", 128, 64, "1,2,4,8,16,32,64,128");
	workers_on("pow2", 256, 128, "1,2,4,8,16,32,64,128,256");
	workers_on("pow2", 48, 24, "1,2,4,8,16,24,32,48");
	workers_on("pow2", 6, 6, "1,2,4,6");
	workers_on("pow2,3", 2, 2, "1,2,3");
	{
		static const char *const badgeo[] = { "1-max:x1", "1-max:x", "1-max:2", "1-8:y2",
						      "1-8:x0", "pow3", "max:x2" };

		for (size_t i = 0; i < sizeof(badgeo) / sizeof(*badgeo); i++)
			bad(util_strfmt(err, sizeof(err), "-n %s", badgeo[i]), "--workers");
	}
	{
		static const double geo[][5] = { { 1, 2, 4, 8, 0 }, { 1, 3, 9, 0 }, { 2, 12, 72, 0 } };
		static const double lin[][5] = { { 1, 2, 3, 4, 0 }, { 1, 3, 5, 0 }, { 4, 0 } };

		for (int i = 0; i < 3; i++) {
			int n = 0, m = 0;

			while (geo[i][n])
				n++;
			while (lin[i][m])
				m++;
			ok(util_geometric(geo[i], n), "worker list %d is geometric", i);
			ok(!util_geometric(lin[i], m), "worker list %d is linear", i);
		}
	}
	{
		struct pin_counts pc8 = { 8, 8, 1, 1 };
		struct wspec w;
		int out[MAX_LIST];

		opts_wspec_parse(&w, "1024x", err, sizeof(err));
		ok(opts_wspec_resolve(&w, &pc8, out, MAX_LIST, err, sizeof(err)) == -E2BIG,
		   "1024x on 8 PUs is over the worker limit (%s)", err);
		opts_wspec_parse(&w, "1-64", err, sizeof(err));
		ok(opts_wspec_resolve(&w, &pc8, out, 32, err, sizeof(err)) == -E2BIG,
		   "a list longer than its room is refused (%s)", err);
	}

	/* Size units: exactly K, M, G, T, alone or followed by iB, any case. */
	{
		static const struct {
			const char *text;
			uint64_t want;          /* 0: refused */
		} sizes[] = {
			{ "64K", 64u << 10 }, { "64k", 64u << 10 }, { "64KiB", 64u << 10 },
			{ "64kib", 64u << 10 }, { "64KIB", 64u << 10 }, { "64kIb", 64u << 10 },
			{ "64M", 64u << 20 }, { "64MiB", 64u << 20 }, { "2g", 2ull << 30 },
			{ "1T", 1ull << 40 }, { "1tib", 1ull << 40 }, { "4096", 4096 },
			{ "64MB", 0 }, { "64Mb", 0 }, { "64mb", 0 }, { "64b", 0 }, { "64B", 0 },
			{ "64KB", 0 }, { "64i", 0 }, { "64Ki", 0 }, { "64KiBB", 0 }, { "64 K", 0 },
			{ "64K ", 0 }, { "64P", 0 }, { "64KK", 0 }, { "K", 0 }, { "64iB", 0 },
		};

		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			int rc = util_parse_u64(sizes[i].text, 1, &u);

			ok(sizes[i].want ? rc == 0 && u == sizes[i].want : rc == -EINVAL,
			   "size '%s' %s", sizes[i].text, sizes[i].want ? "accepted" : "refused");
		}
	}
	ok(util_parse_u64("16M", 1, &u) == 0 && u == 16u << 20, "16M = 16 MiB");
	ok(util_parse_u64("1G", 1, &u) == 0 && u == 1u << 30, "1G");
	ok(util_parse_u64("4KiB", 1, &u) == 0 && u == 4096, "4KiB");
	ok(util_parse_u64("16M", 0, &u) == -EINVAL, "a count takes no suffix");
	ok(util_parse_u64("1Q", 1, &u) == -EINVAL, "unknown suffix refused");
	ok(util_parse_u64("20000000000T", 1, &u) == -ERANGE, "size overflow refused");
	ok(util_parse_u64(" 1", 0, &u) == -EINVAL && util_parse_u64("-1", 0, &u) == -EINVAL,
	   "blanks and signs refused");

	{
		const struct workload *cpu = workload_find("cpu"), *spawn = workload_find("spawn");
		struct pval pv[PTB_MAX_PARAMS];
		const char *kv[3] = { "heap=256M", "heap=1G" };
		char text[128];

		ok(cpu && spawn, "registry finds cpu and spawn");
		ok(opts_params_parse(spawn, kv, 2, pv, err, sizeof(err)) == 0 && pv[0].u == 1u << 30,
		   "later -P wins");
		ok(strcmp(opts_params_format(spawn, pv, text, sizeof(text)), "heap=1G") == 0,
		   "canonical params text (%s)", text);
		kv[0] = "heap=lots";
		ok(opts_params_parse(spawn, kv, 1, pv, err, sizeof(err)) == -EINVAL &&
		   strstr(err, "lots") && strstr(err, "heap"), "bad size named (%s)", err);
		kv[0] = "heap=64MB";
		ok(opts_params_parse(spawn, kv, 1, pv, err, sizeof(err)) == -EINVAL &&
		   strstr(err, "64MB") && strstr(err, "K, M, G or T"),
		   "a size with MB is refused, naming the accepted units (%s)", err);
		kv[0] = "total=0";
		ok(opts_params_parse(cpu, kv, 1, pv, err, sizeof(err)) == -EINVAL && strstr(err, "total"),
		   "below range (%s)", err);
		kv[0] = "colour=red";
		ok(opts_params_parse(cpu, kv, 1, pv, err, sizeof(err)) == -EINVAL && strstr(err, "colour"),
		   "unknown parameter named (%s)", err);
		ok(opts_params_parse(cpu, NULL, 0, pv, err, sizeof(err)) == 0 && pv[0].u == 200000000,
		   "defaults apply");
		ok(opts_param_known(cpu, "total=5") && !opts_param_known(cpu, "heap=5"), "param_known");
	}
	{
		char buf[64] = "a=1;;b=2;", *copy = buf;
		const char *kv[4];

		ok(opts_params_split(copy, kv, 4) == 2 && strcmp(kv[1], "b=2") == 0,
		   "suite params split on ';', empty parts ignored");
	}
	/* --label must be UTF-8: overlong forms, surrogates, past U+10FFFF,
	 * cut sequences and stray bytes are not. */
	{
		static const struct {
			const char *text;
			int bad_at;             /* -1: valid */
		} labels[] = {
			{ "kernel 6.8 baseline", -1 }, { "ünïcødé", -1 }, { "日本語", -1 },
			{ "\xf0\x9f\x98\x80 emoji", -1 }, { "\xef\xbf\xbf", -1 }, { "\xf4\x8f\xbf\xbf", -1 },
			{ "caf\xe9", 3 }, { "\xc0\xaf", 0 }, { "\xe0\x80\xaf", 0 }, { "a\xed\xa0\x80", 1 },
			{ "\xf4\x90\x80\x80", 0 }, { "ab\xe2\x82", 2 }, { "\x80", 0 }, { "x\xff", 1 },
			{ "\xf8\x88\x80\x80\x80", 0 }, { "ok\xc3", 2 },
		};

		for (size_t i = 0; i < ARRAY_SIZE(labels); i++) {
			size_t at = 99;
			int valid = util_utf8_valid(labels[i].text, &at);
			const char *argv[] = { "--label", labels[i].text };
			int rc;

			opts_defaults(&o);
			rc = opts_parse(&o, 2, (char **)argv, err, sizeof(err));
			if (labels[i].bad_at < 0)
				ok(valid && rc == 0, "label %zu is UTF-8 and accepted", i);
			else
				ok(!valid && at == (size_t)labels[i].bad_at && rc == -EINVAL &&
				   strstr(err, "--label") && strstr(err, "UTF-8"),
				   "label %zu refused at byte %zu: %s", i, at, err);
		}
	}

	/* meta.csv's command: words a shell would split or expand are quoted,
	 * and sh reads the line back into the same words. */
	{
		static const struct {
			const char *words[4];
			const char *want;
		} lines[] = {
			{ { "ptbench", "run", "cpu", "-P" }, "ptbench run cpu -P" },
			{ { "--label", "two words" }, "--label 'two words'" },
			{ { "it's" }, "'it'\\''s'" },
			{ { "$HOME", "*", "a;b" }, "'$HOME' '*' 'a;b'" },
			{ { "", "x" }, "'' x" },
			{ { "-o", "dir/a.b,c:d@e%f+g=h" }, "-o dir/a.b,c:d@e%f+g=h" },
			{ { "=x", "~" }, "'=x' '~'" },
			{ { "ünï", "\"q\"" }, "ünï '\"q\"'" },
			{ { "line\nbreak", "tab\tx" }, "'line\nbreak' 'tab\tx'" },
		};

		for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
			int n = 0;
			char *line, cmd[512], back[512] = "", want_back[512] = "";

			while (n < 4 && lines[i].words[n])
				n++;
			line = util_shell_join(n, (char *const *)lines[i].words);
			if (!ok(line && strcmp(line, lines[i].want) == 0, "shell_join %zu quotes as shown", i))
				diag("got  %s\nwant %s", line ? line : "(null)", lines[i].want);
			/* sh -c 'printf "[%s]" WORDS' gives the words back */
			for (int k = 0; k < n; k++)
				snprintf(want_back + strlen(want_back), sizeof(want_back) - strlen(want_back),
					 "[%s]", lines[i].words[k]);
			util_strfmt(cmd, sizeof(cmd), "printf '[%%s]' %s", line ? line : "");
			{
				char *argv[] = { "/bin/sh", "-c", cmd, NULL };
				int fd[2];
				pid_t pid;
				ssize_t got = 0, r;

				if (pipe(fd) == 0 && (pid = fork()) == 0) {
					dup2(fd[1], 1);
					execv(argv[0], argv);
					_exit(127);
				}
				close(fd[1]);
				while ((r = read(fd[0], back + got, sizeof(back) - 1 - (size_t)got)) > 0)
					got += r;
				back[got] = '\0';
				close(fd[0]);
				wait(NULL);
			}
			ok(strcmp(back, want_back) == 0, "  sh reads it back as the same words");
			free(line);
		}
	}
	ok(opts_choice_index("segv|abort|kill|hang", "kill", 4) == 2 &&
	   opts_choice_index("segv|abort", "seg", 3) == -1, "choice_index is exact");
	return done_testing();
}
