/* test_badinput.c - bad command lines and suite files, table-driven: each
 * exits 2 with one line "ptbench: ..." naming the bad value, and leaves no
 * result folder behind. */
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#include "e2e.h"

struct bad {
	const char *args;       /* split on '|' */
	const char *named;      /* must appear in the message */
};

/* {T} is the test's folder, {S} a suite file written for the case. */
static const struct bad cases[] = {
	{ "run|nosuch", "nosuch" },
	{ "run", "workload" },
	{ "frobnicate", "frobnicate" },
	{ "run|cpu|-P|colour=red", "colour" },
	{ "run|cpu|-P|total=0", "total" },
	{ "run|cpu|-P|total=-5", "-5" },
	{ "run|cpu|-P|total=lots", "lots" },
	{ "run|cpu|-P|total=99999999999999999999999", "99999999999999999999999" },
	{ "run|spawn|-P|heap=12Q", "12Q" },
	{ "run|spawn|-P|heap", "heap" },
	{ "run|cpu|-p|sideways", "sideways" },
	{ "run|cpu|-m|fork", "fork" },
	{ "run|cpu|-m|", "--modes" },
	{ "run|cpu|-n|0", "'0'" },
	{ "run|cpu|-n|-3", "-3" },
	{ "run|cpu|-n|9999", "9999" },
	{ "run|cpu|-n|", "empty" },
	{ "run|cpu|-n|2-1", "2-1" },
	{ "run|cpu|-n|abc", "abc" },
	{ "run|cpu|-n|1,", "trailing" },
	{ "run|cpu|-n|4096x", "over the limit" },
	{ "run|cpu|-r|0", "--reps" },
	{ "run|cpu|-r|1e3", "1e3" },
	{ "run|cpu|-r|99999999999999999999", "99999999999999999999" },
	{ "run|cpu|-r|automatic", "automatic" },
	{ "run|cpu|-r|auto|--precision|0", "--precision" },
	{ "run|cpu|-r|auto|--precision|1.5", "1.5" },
	{ "run|cpu|-r|auto|--budget|0", "--budget" },
	{ "run|cpu|-r|auto|--budget|soon", "soon" },
	{ "run|cpu|-t|-1", "-1" },
	{ "run|cpu|-t|soon", "soon" },
	{ "run|cpu|--noise|1.5", "1.5" },
	{ "run|cpu|--bursts|maybe", "maybe" },
	{ "run|cpu|--cpukind|medium", "medium" },
	{ "run|sharedread|--membind|nearby", "nearby" },
	{ "run|sharedread|--membind|node:", "node:" },
	{ "run|sharedread|--membind|node:4095", "no NUMA node 4095" },
	{ "run|cpu|--warmup|x", "--warmup" },
	{ "run|cpu|--synthetic|pack:2", "--synthetic" },
	{ "run|cpu|-o", "--out" },
	{ "run|pingpong|-n|3", "even" },
	{ "run|crash|-P|fault=explode", "explode" },
	{ "run|counter|-P|sync=sometimes", "sometimes" },
	{ "run|cpu|spawn|-P|bogus=1", "bogus" },
	{ "run|cow|-P|heap=16G|-P|write=1|-n|2", "RAM" },
	{ "run|spawn|-o|/etc/passwd", "/etc/passwd is a file" },
	{ "run|spawn|-o|/etc/passwd/x", "/etc/passwd/x" },
	{ "run|spawn|-o|/etc/passwd/x", "/etc/passwd is a file" },
	{ "run|spawn|-o|/etc/passwd/", "/etc/passwd is a file" },
	{ "run|spawn|-o|x/y/..", "x/y/.." },
	{ "run|spawn|-o|x/y/.", "x/y/." },
	{ "run|spawn|-o|..", "'..'" },
	{ "run|spawn|-o|{L}", "too long for the files inside it" },
	{ "run|spawn|-o|x/y/{N}", "File name too long" },  /* x, x/y made, then removed */
	{ "run|spawn|-P|heap=64MB", "64MB" },
	{ "run|spawn|-P|heap=64Mb", "K, M, G or T" },
	{ "run|spawn|-P|heap=64b", "64b" },
	{ "run|spawn|--label|caf\xe9", "--label" },
	{ "run|spawn|--label|\xc0\xaf", "UTF-8" },
	{ "run|spawn|-o|/proc/ptbench", "/proc/ptbench" },
	{ "topo|--synthetic|nonsense:3", "nonsense:3" },
	{ "topo|--synthetic|pack:0", "pack:0" },
	{ "topo|extra", "topo" },
	{ "list|extra", "list" },
	{ "plot", "plot" },
	{ "plot|/nonexistent/dir", "/nonexistent/dir" },
	{ "compare|/nonexistent/a|/nonexistent/b", "/nonexistent/a" },
	{ "suite", "suite" },
	{ "suite|/nonexistent/suite.csv", "/nonexistent/suite.csv" },
	{ "suite|{S}", "malformed" },            /* unclosed quote */
	{ "suite|{S}", "workload" },             /* no workload column */
	{ "suite|{S}", "colour" },               /* unknown column */
	{ "suite|{S}", "only a header" },
	{ "suite|{S}", "nosuch" },               /* unknown workload in a row */
	{ "suite|{S}", "many" },                 /* bad reps in a row */
	{ "suite|{S}", "sideways" },             /* bad pin in a row */
	{ "suite|{S}", "'big'" },                /* bad params in a row */
	{ "suite|{S}", "{S}" },                  /* a folder, not a file */
	{ "suite|{S}|-P|bogus=1", "bogus" },      /* -P no row's workload has */
	{ "suite|{S}", "column 'reps' appears twice" },
	{ "suite|{S}", ":3: a NUL byte" },
	{ "suite|{S}", "'total' given twice" },
	{ "suite|{S}", "over 16 MiB" },
	{ "suite|{S}", ":2: bad value '64MB'" },  /* a size unit in a cell */
	{ "suite|{S}", "K, M, G or T" },
	{ "suite|{S}", ":3: bad value 'AUTO' for reps" },
	{ "suite|{S}", ":2: bad value '0' for budget" },
	{ "suite|{S}", ":2: bad value 'fine' for precision" },
};

/* The suite file of each {S} case, in order. */
#define TEXT(s) { s, sizeof(s) - 1, 0 }
enum { AS_TEXT, AS_FOLDER, AS_BIG };
static const struct {
	const char *text;
	size_t len;
	int kind;
} suites[] = {
	TEXT("workload,reps\n\"cpu,3\n"),
	TEXT("name,reps\ncpu,3\n"),
	TEXT("workload,colour\ncpu,red\n"),
	TEXT("workload,modes,workers,reps,pin,params\n"),
	TEXT("workload,reps\ncpu,1\nnosuch,1\n"),
	TEXT("workload,reps\ncpu,many\n"),
	TEXT("workload,pin\ncpu,sideways\n"),
	TEXT("workload,params\nspawn,heap=big\n"),
	{ NULL, 0, AS_FOLDER },
	TEXT("workload,reps\ncpu,1\nspawn,1\n"),
	TEXT("workload,reps,reps\ncpu,1,2\n"),
	TEXT("workload,reps\ncpu,1\ncpu,1\0\n"),
	TEXT("workload,params\ncpu,total=1;total=2\n"),
	{ "workload,reps\ncpu,1\n", 0, AS_BIG },   /* then rows up to 17 MiB */
	TEXT("workload,params\nspawn,heap=64MB\n"),
	TEXT("workload,params\nspawn,heap=64mb\n"),
	TEXT("workload,reps\ncpu,auto\ncpu,AUTO\n"),
	TEXT("workload,reps,budget\ncpu,auto,0\n"),
	TEXT("workload,reps,precision\ncpu,auto,fine\n"),
};

static void write_suite(const char *path, int i)
{
	FILE *f;

	if (suites[i].kind == AS_FOLDER) {
		mkdir(path, 0755);
		return;
	}
	f = fopen(path, "w");
	if (!f)
		return;
	if (suites[i].kind == AS_BIG) {
		fputs(suites[i].text, f);
		for (long n = 0; n < (17l << 20) / 6; n++)
			fputs("cpu,1\n", f);
	} else {
		fwrite(suites[i].text, 1, suites[i].len, f);
	}
	fclose(f);
}

/* A relative path of len bytes: folders of 200 'a's. */
static char *long_path(char *buf, size_t len)
{
	memset(buf, 'a', len);
	for (size_t i = 200; i < len; i += 201)
		buf[i] = '/';
	buf[len] = '\0';
	return buf;
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	char tmp[64], cwd[PATH_MAX], work[PATH_MAX], exe[PATH_MAX];
	int nsuite = 0;

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)) || !getcwd(cwd, sizeof(cwd)) ||
	    !realpath(argv[1], exe))
		return 2;
	util_strfmt(work, sizeof(work), "%s/cwd", tmp);
	mkdir(work, 0755);
	/* Run from an empty folder: a default results/ would show there. */
	if (chdir(work) < 0)
		return 2;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char buf[512], *args[24], suite[PATH_MAX], named[PATH_MAX], err[PATH_MAX], msg[1024];
		char path[PATH_MAX];
		int n = 0, rc, lines = 0;

		args[n++] = exe;
		util_strfmt(buf, sizeof(buf), "%s", cases[i].args);
		util_strfmt(named, sizeof(named), "%s", cases[i].named);
		if (strstr(buf, "{S}")) {
			util_strfmt(suite, sizeof(suite), "%s/suite%zu.csv", tmp, i);
			write_suite(suite, nsuite++);
			if (!strcmp(named, "{S}"))
				util_strfmt(named, sizeof(named), "%s", suite);
		}
		for (char *s = buf, *bar; s; s = bar ? bar + 1 : NULL) {
			bar = strchr(s, '|');
			if (bar)
				*bar = '\0';
			if (!strcmp(s, "{S}"))
				s = suite;
			else if (!strncmp(s, "x/y/{N}", 7))
				s = util_strfmt(path, sizeof(path), "x/y/%0300d", 0);
			else if (!strcmp(s, "{L}"))     /* fits PATH_MAX, but not with a file in it */
				s = long_path(path, PATH_MAX - 20);
			args[n++] = s;
		}
		args[n] = NULL;
		rc = run_cmd(args, tmp);
		util_strfmt(err, sizeof(err), "%s/stderr.txt", tmp);
		if (util_read_file(err, msg, sizeof(msg)) < 0)
			msg[0] = '\0';
		for (char *c = msg; *c; c++)
			lines += *c == '\n';
		ok(rc == 2 && lines == 1 && !strncmp(msg, "ptbench: ", 9) && strstr(msg, named),
		   "'%s' -> exit %d, %d line(s): %.*s", cases[i].args, rc, lines,
		   (int)strcspn(msg, "\n"), msg);
		ok(entries(work) == 0 && access("/etc/passwd/x", F_OK) != 0, "  and no result folder");
	}
	ok(ARRAY_SIZE(cases) >= 30, "%zu bad inputs tried", ARRAY_SIZE(cases));
	if (chdir(cwd) < 0)
		diag("chdir back failed");
	rmtree(tmp);
	return done_testing();
}
