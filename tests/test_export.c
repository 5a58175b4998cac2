/* test_export.c - end to end: a suite run leaves results.xlsx with every
 * sheet and native charts fed from ChartData; LibreOffice (headless)
 * opens it with the sheets, numbers as numbers, a formula-looking label
 * as text and the charts; a table longer than a sheet is split; bad
 * input (not a result folder, half written, no write permission, a
 * malformed file, a missing folder for -o) gets one line and its exit
 * code and leaves no file; a 1,000,000-row trials.csv is exported whole.
 *
 * The .xlsx and .ods files are zips: python3's zipfile (installed by the
 * set-up) reads them. LibreOffice comes from tests/run (as root); where
 * it is missing, its checks skip and say so. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "e2e.h"
#include "fixture.h"
#include "xlsx.h"

static const char *const sheets[] = {
	"Claims", "Versus", "Modes", "Summary", "Trials", "Workers", "Metrics", "Bursts", "Meta",
	"Charts", "ChartData",
};

/* A small suite with the data of every kind of chart. */
static const char suite[] =
	"workload,modes,workers,reps,pin,params,traced\n"
	"cpu,\"process,thread\",\"1,2\",3,core,total=4000000,\n"
	"spawn,\"process,thread\",2,3,core,heap=0,\n"
	"spawn,\"process,thread\",2,3,core,heap=8M,\n"
	"cow,\"process,thread\",2,3,core,heap=4M;write=0.5,\n"
	"sharedread,\"process,thread\",2,3,core,table=4M;lookups=1000,\n"
	"counter,\"process,thread\",2,3,core,sync=none;increments=200000,\n"
	"counter,\"process,thread\",2,3,core,sync=lock;increments=200000,\n"
	"crash,\"process,thread\",2,3,core,fault=segv;work=2000000,\n"
	"burst,\"process,thread\",2,3,core,bursts=20;compute_us=300;block_us=200,1\n";

/* The stdout of a command (NULL-terminated argv), malloc'ed; NULL when it
 * could not run or failed. */
static char *output(char *const argv[])
{
	char chunk[65536], *cmd, *buf = NULL;
	size_t len = 0, n;
	int argc = 0, st;
	FILE *p;

	while (argv[argc])
		argc++;
	cmd = util_shell_join(argc, argv);
	if (!cmd || !(p = popen(cmd, "r"))) {
		free(cmd);
		return NULL;
	}
	free(cmd);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
		char *b = realloc(buf, len + n + 1);

		if (!b)
			break;
		buf = b;
		memcpy(buf + len, chunk, n);
		len += n;
	}
	st = pclose(p);
	if (buf)
		buf[len] = '\0';
	if (st != 0) {
		free(buf);
		return NULL;
	}
	return buf ? buf : strdup("");
}

/* A member of a zip file (the first `max` bytes; 0: all), or its list of
 * names (member NULL), one a line. */
static char *zip_read(const char *zip, const char *member, long max)
{
	char m[32];
	char *py[] = { "python3", "-c",
		       "import sys, zipfile\n"
		       "z = zipfile.ZipFile(sys.argv[1])\n"
		       "if sys.argv[2] == '': print('\\n'.join(z.namelist()))\n"
		       "else: sys.stdout.buffer.write(z.open(sys.argv[2]).read(int(sys.argv[3]) or -1))\n",
		       (char *)zip, (char *)(member ? member : ""), m, NULL };

	util_strfmt(m, sizeof(m), "%ld", max);
	return output(py);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Names of xl/charts/chartN.xml parts. */
static int xlsx_charts(const char *names)
{
	int n = 0;

	for (const char *p = names; p && (p = strstr(p, "xl/charts/chart")); p++)
		n += strncmp(p + strlen("xl/charts/chart"), "s", 1) != 0;
	return n;
}

/* The sheet names of xl/workbook.xml, in order, joined by ','. */
static void xlsx_sheets(const char *xlsx, char *out, size_t len)
{
	char *wb = zip_read(xlsx, "xl/workbook.xml", 0);

	out[0] = '\0';
	for (const char *p = wb; p && (p = strstr(p, "<sheet name=\"")); p++) {
		p += strlen("<sheet name=\"");
		util_strfmt(out + strlen(out), len - strlen(out), "%s%.*s", *out ? "," : "",
		       (int)strcspn(p, "\""), p);
	}
	free(wb);
}

static void expected_sheets(char *out, size_t len)
{
	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(sheets); i++)
		util_strfmt(out + strlen(out), len - strlen(out), "%s%s", i ? "," : "", sheets[i]);
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* argv[0] of a program found in PATH, into buf; NULL when none is. */
static const char *which(const char *prog, char *buf, size_t len)
{
	const char *path = getenv("PATH");

	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");

		util_strfmt(buf, len, "%.*s/%s", (int)n, p, prog);
		if (n && access(buf, X_OK) == 0)
			return buf;
		p += n + (p[n] == ':');
	}
	return NULL;
}

static int copy_file(const char *from, const char *to)
{
	char *a[] = { "cp", (char *)from, (char *)to, NULL };
	char *o = output(a);

	free(o);
	return o ? 0 : -1;
}

/* Text of a hostile result folder: a DDE formula, a HYPERLINK, control
 * characters and bytes that are not UTF-8. */
#define DDE "=cmd|' /C calc'!A0"
#define LINK "@HYPERLINK(\"http://x\",\"y\")"
#define BYTES "bad\x01\x02 \xff\xfe bytes"

/* Cells replaced in the copy: column col of file where column where is
 * `is`. */
static const struct hostile {
	const char *file, *col, *where, *is, *text;
} hostile[] = {
	{ "summary.csv", "params", "workload", "counter", DDE },
	{ "summary.csv", "params", "workload", "cpu", LINK },
	{ "trials.csv", "message", "trial", "1", BYTES },
	{ "trials.csv", "params", "trial", "2", "+1" },
};

/* Copies result folder `from` to `to` with the hostile cells, written by
 * the CSV writer (so guarded as ptbench guards them). */
static int make_hostile(const char *from, const char *to)
{
	mkdir(to, 0755);
	for (const struct schema *sc = result_files; sc->file; sc++) {
		char src[PATH_MAX], dst[PATH_MAX];
		struct table t;
		struct csvw *w;
		int rc;

		util_strfmt(src, sizeof(src), "%s/%s", from, sc->file);
		util_strfmt(dst, sizeof(dst), "%s/%s", to, sc->file);
		if (table_read(src, &t) < 0)
			return -1;
		rc = csvw_open(&w, dst, (const char *const *)t.head, t.ncols, 0);
		for (int r = 0; !rc && r < t.nrows; r++) {
			for (size_t h = 0; h < ARRAY_SIZE(hostile); h++) {
				int c = table_col(&t, hostile[h].col);

				if (!strcmp(hostile[h].file, sc->file) && c >= 0 &&
				    !strcmp(cell(&t, r, hostile[h].where), hostile[h].is)) {
					free(t.rows[r][c]);
					t.rows[r][c] = strdup(hostile[h].text);
				}
			}
			rc = csvw_cells(w, (const char *const *)t.rows[r], t.ncols);
		}
		rc = rc ? (csvw_close(w), rc) : csvw_close(w);
		table_free(&t);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The part of a LibreOffice content.xml that is sheet `name`. */
static char *ods_table(char *content, const char *name)
{
	char open[128], *s, *e;

	util_strfmt(open, sizeof(open), "<table:table table:name=\"%s\"", name);
	if (!(s = strstr(content, open)))
		return NULL;
	e = strstr(s + 1, "</table:table>");
	if (e)
		*e = '\0';
	return s;
}

/* LibreOffice converts the workbook to .ods; the sheets, the types of a
 * Trials value, of the label and of hostile cells, and the charts arrive. */
static void libreoffice(const char *tmp, const char *xlsx, int charts, const char *wall_s)
{
	char soffice[PATH_MAX], profile[PATH_MAX], outdir[PATH_MAX], ods[PATH_MAX], env[PATH_MAX + 32];
	char want[512], got[512] = "", *content, *names;
	int rc, objects;

	if (!which("soffice", soffice, sizeof(soffice))) {
		ok(1, "# SKIP LibreOffice (soffice) is not installed: tests/run installs "
		      "libreoffice-calc-nogui as root");
		return;
	}
	util_strfmt(profile, sizeof(profile), "%s/lo-profile", tmp);
	util_strfmt(env, sizeof(env), "-env:UserInstallation=file://%s", profile);
	util_strfmt(outdir, sizeof(outdir), "%s/ods", tmp);
	{
		char *args[] = { soffice, "--headless", "--norestore", env, "--convert-to", "ods",
				 "--outdir", outdir, (char *)xlsx, NULL };

		rc = run_cmd(args, tmp);
	}
	util_strfmt(ods, sizeof(ods), "%s/results.ods", outdir);
	if (!ok(rc == 0 && exists(ods), "LibreOffice converts results.xlsx to .ods (exit %d)", rc))
		return;
	content = zip_read(ods, "content.xml", 0);
	names = zip_read(ods, NULL, 0);
	expected_sheets(want, sizeof(want));
	for (const char *p = content; p && (p = strstr(p, "<table:table table:name=\"")); p++) {
		p += strlen("<table:table table:name=\"");
		util_strfmt(got + strlen(got), sizeof(got) - strlen(got), "%s%.*s", *got ? "," : "",
		       (int)strcspn(p, "\""), p);
	}
	ok(!strcmp(got, want), "LibreOffice reads the sheets %s", got);
	objects = count(names, "/content.xml");         /* each chart is an "Object N/" */
	ok(objects == charts && count(content, "<draw:object ") == charts,
	   "LibreOffice reads %d charts (%d objects)", charts, objects);
	if (content) {
		char *body = strdup(content), *trials = body ? ods_table(body, "Trials") : NULL;
		char number[128];
		int floats = trials ? count(trials, "office:value-type=\"float\"") : 0,
		    strings = trials ? count(trials, "office:value-type=\"string\"") : 0;

		util_strfmt(number, sizeof(number), "office:value-type=\"float\" office:value=\"%s\"", wall_s);
		/* about 8 of its columns are names (workload, mode, pin,
		 * status, params, membind, ...); numbers written as text
		 * would tip the balance */
		ok(trials && strstr(trials, number) && floats > 3 * strings,
		   "Trials arrives typed: wall_s %s a number, %d number and %d text cells", wall_s,
		   floats, strings);
		free(body);
		body = strdup(content);
		trials = body ? ods_table(body, "Meta") : NULL;
		ok(trials && strstr(trials, "<text:p>=1+1</text:p>") && !strstr(trials, "table:formula"),
		   "the label =1+1 arrives as text, not a formula");
		free(body);
		ok(count(content, "table:formula=") == count(content, "table:formula=\"of:=[$Summary.") +
			count(content, "table:formula=\"of:=[$Bursts.") + count(content, "table:formula=\"of:=[.A"),
		   "the only formulas are ChartData's references to Summary and Bursts (%d)",
		   count(content, "table:formula="));
		ok(strstr(content, "<text:p>=cmd|&apos; /C calc&apos;!A0</text:p>") &&
		   strstr(content, "<text:p>@HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)</text:p>") &&
		   strstr(content, "<text:p>+1</text:p>") && !strstr(content, "calc&apos;!A0\"") &&
		   !strstr(content, "http://x&quot;,&quot;y&quot;)\""),
		   "hostile cells (a DDE call, a HYPERLINK, +1) arrive as the text they are");
		ok(strstr(content, "<text:p>bad\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD bytes</text:p>") != NULL,
		   "control characters and bytes that are not UTF-8 arrive as U+FFFD");
	}
	free(content);
	free(names);
}

static int ptb(const char *exe, const char *tmp, const char *const *args, int uid, char *msg, size_t len)
{
	char *argv[16], path[PATH_MAX];
	int n = 0, rc;

	argv[n++] = (char *)exe;
	for (; *args && n < 15; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	rc = run_cmd_as(argv, tmp, NULL, uid);
	util_strfmt(path, sizeof(path), "%s/stderr.txt", tmp);
	if (util_read_file(path, msg, len) < 0)
		msg[0] = '\0';
	return rc;
}

/* A suite run with a formula-looking label: the workbook, its sheets and
 * charts; returns the result folder in out. */
static int round_trip(const char *exe, const char *tmp, char *out, size_t len)
{
	char suitefile[PATH_MAX], xlsx[PATH_MAX], so[PATH_MAX], text[16384], line[PATH_MAX + 32];
	char want[512], got[512], *names, *chart, *data, wall[64];
	struct table t;
	int rc, charts;
	FILE *f;

	util_strfmt(suitefile, sizeof(suitefile), "%s/suite.csv", tmp);
	util_strfmt(out, len, "%s/res", tmp);
	f = fopen(suitefile, "w");
	if (!f || fputs(suite, f) == EOF || fclose(f) == EOF)
		return -1;
	{
		/* Every trial counts, disturbed by load or not: the charts
		 * must not depend on how busy the machine is. */
		char *args[] = { (char *)exe, "suite", suitefile, "--warmup", "0", "-q", "--keep-noisy",
				 "--label", "=1+1", "-o", out, NULL };

		rc = run_cmd(args, tmp);
	}
	util_strfmt(so, sizeof(so), "%s/stdout.txt", tmp);
	if (util_read_file(so, text, sizeof(text)) < 0)
		text[0] = '\0';
	util_strfmt(xlsx, sizeof(xlsx), "%s/results.xlsx", out);
	util_strfmt(line, sizeof(line), "workbook: %s (", xlsx);
	ok(rc == 0 && exists(xlsx) && strstr(text, line), "suite exits 0 and writes %s (exit %d)", xlsx, rc);
	util_strfmt(line, sizeof(line), "%s.tmp", xlsx);
	ok(!exists(line), "no results.xlsx.tmp is left");
	names = zip_read(xlsx, NULL, 0);
	charts = xlsx_charts(names);
	ok(charts >= 9, "the workbook has %d native charts (xl/charts/chart*.xml)", charts);
	expected_sheets(want, sizeof(want));
	xlsx_sheets(xlsx, got, sizeof(got));
	ok(!strcmp(want, got), "its sheets: %s", got);
	chart = zip_read(xlsx, "xl/charts/chart1.xml", 0);
	ok(chart && strstr(chart, "<c:f>ChartData!$A$") && count(chart, "<c:f>ChartData!$") >= 3,
	   "a chart's series are ranges of ChartData (x, values, name)");
	{
		int log2 = 0;

		for (int i = 1; i <= charts; i++) {
			char part[64], *c;

			util_strfmt(part, sizeof(part), "xl/charts/chart%d.xml", i);
			c = zip_read(xlsx, part, 0);
			log2 += c && strstr(c, "<c:logBase val=\"2\"/>") && strstr(c, "Speedup");
			free(c);
		}
		ok(log2 == 1, "the speedup chart of workers 1,2 (and only it) has a log2 x axis (%d)", log2);
	}
	data = zip_read(xlsx, "xl/worksheets/sheet11.xml", 0);
	ok(data && strstr(data, "<f>'Summary'!$H$"), "ChartData's cells refer to Summary's medians");
	free(data);
	data = zip_read(xlsx, "xl/worksheets/sheet5.xml", 0);
	ok(data && strstr(data, "<pane ySplit=\"1\"") &&
	   strstr(data, "<autoFilter ref=\"A1:"),
	   "Trials: header frozen, autofilter on");
	free(data);
	data = zip_read(xlsx, "xl/sharedStrings.xml", 0);
	ok(data && strstr(data, "<t>wall_s (s)</t>") && strstr(data, "<t>burst_p50_us (\u00b5s)</t>"),
	   "the headers carry their units: wall_s (s), burst_p50_us (\u00b5s)");
	free(data);
	free(chart);
	free(names);
	wall[0] = '\0';
	if (table_read(util_strfmt(line, sizeof(line), "%s/trials.csv", out), &t) == 0) {
		util_strfmt(wall, sizeof(wall), "%s", cell(&t, 0, "wall_s"));
		table_free(&t);
	}
	{
		char hdir[PATH_MAX], msg[4096];
		const char *args[] = { "export", hdir, NULL };
		int e;

		util_strfmt(hdir, sizeof(hdir), "%s/hostile", tmp);
		e = make_hostile(out, hdir) == 0 ? ptb(exe, tmp, args, -1, msg, sizeof(msg)) : -1;
		util_strfmt(xlsx, sizeof(xlsx), "%s/results.xlsx", hdir);
		ok(e == 0 && exists(xlsx), "a copy with hostile cells exports (exit %d) %.*s", e,
		   (int)strcspn(msg, "\n"), msg);
	}
	libreoffice(tmp, xlsx, charts, wall);
	return rc;
}

/* max_rows 100: Versus, Summary, ... go on in "Summary (2)", ...; the
 * charts still point at the right sheet. */
static void split(const char *tmp, const char *res)
{
	char path[PATH_MAX], err[512], got[2048], member[64], *data;
	struct xlsx_info info;
	int rc;

	util_strfmt(path, sizeof(path), "%s/split.xlsx", tmp);
	rc = xlsx_export(res, path, 100, &info, err, sizeof(err));
	xlsx_sheets(path, got, sizeof(got));
	ok(rc == 0 && info.split >= 2 && strstr(got, "Claims,Versus,Versus (2),") &&
	   strstr(got, ",Summary,Summary (2),") && strstr(got, ",Meta,Charts,ChartData"),
	   "tables over 99 rows are split: %s (%s)", got, err);
	/* ChartData is the last sheet. */
	util_strfmt(member, sizeof(member), "xl/worksheets/sheet%d.xml", info.sheets);
	data = zip_read(path, member, 0);
	ok(data && strstr(data, "<f>'Summary (2)'!$H$"), "ChartData refers to rows of Summary (2)");
	free(data);
}

/* Bad input: one line naming it, its exit code, no file left. */
static void bad_input(const char *exe, const char *tmp, const char *res)
{
	char empty[PATH_MAX], half[PATH_MAX], file[PATH_MAX], locked[PATH_MAX], bad[PATH_MAX],
	     missing[PATH_MAX], nodir[PATH_MAX], msg[4096], path[PATH_MAX];
	static const char *const files[] = { "meta.csv", "trials.csv", "workers.csv", "metrics.csv",
					     "bursts.csv", "summary.csv", "versus.csv", "claims.csv" };
	int uid = geteuid() == 0 ? 65534 : -1;

	util_strfmt(empty, sizeof(empty), "%s/empty", tmp);
	util_strfmt(half, sizeof(half), "%s/half", tmp);
	util_strfmt(file, sizeof(file), "%s/suite.csv", tmp);
	util_strfmt(locked, sizeof(locked), "%s/locked", tmp);
	util_strfmt(bad, sizeof(bad), "%s/bad", tmp);
	util_strfmt(missing, sizeof(missing), "%s/no-such-folder", tmp);
	util_strfmt(nodir, sizeof(nodir), "%s/no-such-folder/x.xlsx", tmp);
	mkdir(empty, 0755);
	mkdir(half, 0755);
	mkdir(locked, 0755);
	mkdir(bad, 0755);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char from[PATH_MAX], to[PATH_MAX];

		util_strfmt(from, sizeof(from), "%s/%s", res, files[i]);
		util_strfmt(to, sizeof(to), "%s/%s", locked, files[i]);
		copy_file(from, to);
		util_strfmt(to, sizeof(to), "%s/%s", bad, files[i]);
		copy_file(from, to);
		if (i < 5) {    /* the analysis never ran */
			util_strfmt(to, sizeof(to), "%s/%s", half, files[i]);
			copy_file(from, to);
		}
	}
	{
		/* The harness killed in the middle of a row. */
		FILE *f;

		util_strfmt(path, sizeof(path), "%s/trials.csv", half);
		f = fopen(path, "a");
		if (f) {
			fputs("999,cpu,proc", f);
			fclose(f);
		}
		util_strfmt(path, sizeof(path), "%s/summary.csv", bad);
		f = fopen(path, "a");
		if (f) {
			fputs("cpu,\"process,2\r\nx,y\r\n", f);
			fclose(f);
		}
	}
	chmod(locked, 0555);
	{
		static const struct {
			const char *what;
			int dir;        /* 0 empty, 1 half, 2 file, 3 locked, 4 bad, 5 missing */
			int as_nobody;
			int code;
			const char *says;
		} cases[] = {
			{ "a folder that is not a result folder", 0, 0, 2, "not a ptbench result folder" },
			{ "a half-written folder (no analysis, a row cut short)", 1, 0, 2, "ptbench analyze" },
			{ "a file, not a folder", 2, 0, 2, "not a folder" },
			{ "a folder without write permission", 3, 1, 1, "Permission denied" },
			{ "a malformed summary.csv", 4, 0, 2, "malformed CSV" },
			{ "a folder that does not exist", 5, 0, 2, "No such file" },
		};
		const char *dirs[] = { empty, half, file, locked, bad, missing };

		for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
			const char *args[] = { "export", dirs[cases[i].dir], NULL };
			int rc = ptb(exe, tmp, args, cases[i].as_nobody ? uid : -1, msg, sizeof(msg));
			int lines = count(msg, "\n");

			util_strfmt(path, sizeof(path), "%s/results.xlsx", dirs[cases[i].dir]);
			ok(rc == cases[i].code && lines == 1 && !strncmp(msg, "ptbench: export: ", 17) &&
			   strstr(msg, cases[i].says) && !exists(path) &&
			   !exists(util_strfmt(path, sizeof(path), "%s/results.xlsx.tmp", dirs[cases[i].dir])),
			   "%s: exit %d (want %d), %d line: %.*s", cases[i].what, rc, cases[i].code, lines,
			   (int)strcspn(msg, "\n"), msg);
		}
	}
	{
		const char *args[] = { "export", res, "-o", nodir, NULL };
		int rc = ptb(exe, tmp, args, -1, msg, sizeof(msg));

		ok(rc == 1 && strstr(msg, "cannot write") && count(msg, "\n") == 1,
		   "-o into a missing folder: exit %d: %.*s", rc, (int)strcspn(msg, "\n"), msg);
	}
	{
		static const char *const usage[][4] = {
			{ "export", NULL }, { "export", "a", "b", NULL }, { "plot", "x", "--no-export", NULL },
		};

		for (size_t i = 0; i < ARRAY_SIZE(usage); i++) {
			int rc = ptb(exe, tmp, usage[i], -1, msg, sizeof(msg));

			ok(rc == 2 && count(msg, "\n") == 1, "%s %s %s: exit %d: %.*s", usage[i][0],
			   usage[i][1] ? usage[i][1] : "", usage[i][1] && usage[i][2] ? usage[i][2] : "", rc,
			   (int)strcspn(msg, "\n"), msg);
		}
	}
	{
		const char *args[] = { "run", "spawn", "-n", "1", "-r", "1", "--warmup", "0", "-q",
				       "--no-export", "-o", path, NULL };
		char out[PATH_MAX], text[8192];
		int rc;

		util_strfmt(path, sizeof(path), "%s/noexport", tmp);
		rc = ptb(exe, tmp, args, -1, msg, sizeof(msg));
		util_strfmt(out, sizeof(out), "%s/stdout.txt", tmp);
		if (util_read_file(out, text, sizeof(text)) < 0)
			text[0] = '\0';
		util_strfmt(out, sizeof(out), "%s/results.xlsx", path);
		ok(rc == 0 && !exists(out) && strstr(text, "results: ") && !strstr(text, "workbook:"),
		   "run --no-export: exit %d, no results.xlsx", rc);
	}
	{
		/* After the analysis the half-written folder exports (its cut
		 * row left out). */
		const char *an[] = { "analyze", half, NULL }, *ex[] = { "export", half, "-o", NULL, NULL };
		int a, e;

		util_strfmt(path, sizeof(path), "%s/half.xlsx", tmp);
		ex[3] = path;
		a = ptb(exe, tmp, an, -1, msg, sizeof(msg));
		e = ptb(exe, tmp, ex, -1, msg, sizeof(msg));
		ok(a == 0 && e == 0 && exists(path), "after ptbench analyze it exports to -o %s (exit %d, %d)",
		   path, a, e);
	}
	chmod(locked, 0755);
}

/* 1,000,000 trials (the columns a trial always has): one Trials sheet of
 * 1,000,001 rows (the limit is 1,048,576), a whole zip. */
static void million(const char *exe, const char *tmp, const char *res)
{
	static const char *const keep[] = { "meta.csv", "summary.csv", "versus.csv", "claims.csv" };
	char dir[PATH_MAX], path[PATH_MAX], msg[4096], *head, got[512];
	const char *args[] = { "export", dir, NULL };
	double t0;
	FILE *f;
	int rc;

	util_strfmt(dir, sizeof(dir), "%s/million", tmp);
	mkdir(dir, 0755);
	for (size_t i = 0; i < ARRAY_SIZE(keep); i++) {
		char from[PATH_MAX];

		util_strfmt(from, sizeof(from), "%s/%s", res, keep[i]);
		copy_file(from, util_strfmt(path, sizeof(path), "%s/%s", dir, keep[i]));
	}
	f = fopen(util_strfmt(path, sizeof(path), "%s/trials.csv", dir), "w");
	if (!f)
		return;
	for (int c = 0; c < TR_N; c++)
		fprintf(f, "%s%s", c ? "," : "", trials_cols[c]);
	fputs("\r\n", f);
	for (int i = 1; i <= 1000000; i++) {
		fprintf(f, "%d,cpu,%s,%d,core,%d,0,ok,%.6f", i, i % 2 ? "process" : "thread", 1 + i % 4,
			i % 5, 0.01 + (i % 1000) * 1e-6);
		for (int c = TR_WALL_S + 1; c < TR_N; c++)
			fputc(',', f);
		fputs("\r\n", f);
	}
	if (fclose(f) == EOF)
		return;
	t0 = util_now_s();
	rc = ptb(exe, tmp, args, -1, msg, sizeof(msg));
	diag("1,000,000 trials exported in %.1f s", util_now_s() - t0);
	util_strfmt(path, sizeof(path), "%s/results.xlsx", dir);
	xlsx_sheets(path, got, sizeof(got));
	head = zip_read(path, "xl/worksheets/sheet5.xml", 400);
	ok(rc == 0 && strstr(got, "Trials,Workers") && head && strstr(head, "<dimension ref=\"A1:") &&
	   strstr(head, "1000001\"/>") && !strstr(head, "10000001\"/>"),
	   "a 1,000,000-row trials.csv: exit %d, one Trials sheet of 1,000,001 rows (%s) %.*s", rc, got,
	   (int)strcspn(msg, "\n"), msg);
	free(head);
	{
		char *py[] = { "python3", "-c", "import sys, zipfile; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is not None)",
			       path, NULL };
		char *o = output(py);

		ok(o != NULL, "its zip is whole (every part's CRC checks)");
		free(o);
	}
}

/* Four modes: the Modes sheet holds modes.csv's shared and exec rows,
 * and the spawn chart has a series of each mode. */
static void four_modes(const char *exe, const char *tmp)
{
	char *an[] = { (char *)exe, "analyze", NULL, NULL }, *ex[] = { (char *)exe, "export", NULL, NULL };
	char xlsx[PATH_MAX], got[512], *sheet = NULL, *strs = NULL;
	int spawn = 0, charts = 0;
	struct fx f;

	if (!ok(fx_four_modes(&f) == 0 && (an[2] = ex[2] = f.dir, run_cmd(an, tmp) == 0) &&
		run_cmd(ex, tmp) == 0, "four modes: analyze and export exit 0"))
		goto out;
	util_strfmt(xlsx, sizeof(xlsx), "%s/results.xlsx", f.dir);
	xlsx_sheets(xlsx, got, sizeof(got));
	ok(!strncmp(got, "Claims,Versus,Modes,", 20), "four modes: a Modes sheet after Versus (%s)", got);
	sheet = zip_read(xlsx, "xl/worksheets/sheet3.xml", 0);
	strs = zip_read(xlsx, "xl/sharedStrings.xml", 0);
	ok(sheet && strs && strstr(strs, "<t>mode_over_process</t>") && strstr(strs, "<t>shared</t>") &&
	   strstr(strs, "<t>exec</t>") && strstr(sheet, "<autoFilter ref=\"A1:"),
	   "four modes: the Modes sheet has modes.csv's columns and its shared and exec rows");
	for (int i = 1; i <= 40; i++) {
		char part[64], *c;

		util_strfmt(part, sizeof(part), "xl/charts/chart%d.xml", i);
		if (!(c = zip_read(xlsx, part, 0)))
			break;
		charts++;
		if (strstr(c, "Creating the workers")) {
			/* a median series and a CI series a mode */
			for (const char *p = c; (p = strstr(p, "<c:ser>")); p++)
				spawn++;
		}
		free(c);
	}
	ok(spawn == 8, "four modes: the spawn chart draws 4 modes, each with its CI (%d series of %d charts)",
	   spawn, charts);
out:
	free(sheet);
	free(strs);
	rmtree(f.dir);
}

/* The cells of a sheet of a workbook, one a line after a '\n':
 * "REF\tTYPE\tVALUE\tNUMFMT\tFILL" (TYPE s text, n number; NUMFMT the
 * format code, FILL the fill's ARGB, each empty when none). */
static char *sheet_cells(const char *xlsx, const char *sheet)
{
	char *py[] = { "python3", "-c",
		       "import sys, zipfile, xml.etree.ElementTree as ET\n"
		       "M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'\n"
		       "R = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}'\n"
		       "z = zipfile.ZipFile(sys.argv[1])\n"
		       "x = lambda n: ET.fromstring(z.read(n))\n"
		       "rels = {r.get('Id'): r.get('Target') for r in x('xl/_rels/workbook.xml.rels')}\n"
		       "rid = [s.get(R + 'id') for s in x('xl/workbook.xml').iter(M + 'sheet') if s.get('name') == sys.argv[2]][0]\n"
		       "ss = [''.join(t.text or '' for t in si.iter(M + 't')) for si in x('xl/sharedStrings.xml').iter(M + 'si')]\n"
		       "st = x('xl/styles.xml')\n"
		       "fmts = {n.get('numFmtId'): n.get('formatCode') for n in st.iter(M + 'numFmt')}\n"
		       "fills = [(f.find('.//' + M + 'fgColor').get('rgb') or '') if f.find('.//' + M + 'fgColor') is not None else '' for f in st.find(M + 'fills')]\n"
		       "xfs = st.find(M + 'cellXfs').findall(M + 'xf')\n"
		       "for c in x('xl/' + rels[rid].lstrip('/').replace('xl/', '', 1)).iter(M + 'c'):\n"
		       "    v = c.find(M + 'v'); v = '' if v is None else v.text; t = c.get('t')\n"
		       "    xf = xfs[int(c.get('s') or 0)]\n"
		       "    print('\\n%s\\t%s\\t%s\\t%s\\t%s' % (c.get('r'), 's' if t else 'n', ss[int(v)] if t == 's' else v,"
		       " fmts.get(xf.get('numFmtId'), ''), fills[int(xf.get('fillId') or 0)]), end='')\n"
		       "print()\n",
		       (char *)xlsx, (char *)sheet, NULL };

	return output(py);
}

/* Cell ref's line of a sheet_cells dump, cut into its five fields; 0 or -1. */
static int cell_of(const char *cells, const char *ref, char f[5][256])
{
	char key[32];
	const char *p;

	util_strfmt(key, sizeof(key), "\n%s\t", ref);
	if (!cells || !(p = strstr(cells, key)))
		return -1;
	p++;
	for (int i = 0; i < 5; i++) {
		size_t n = strcspn(p, i < 4 ? "\t\n" : "\n");

		util_strfmt(f[i], sizeof(f[i]), "%.*s", (int)n, p);
		p += n + (p[n] == '\t');
	}
	return 0;
}

/* One synthetic host of a fleet: process and thread of cpu at 1 and 2
 * workers, thread `tp` times process (wall_s). */
static int fleet_src(struct fx *f, const char *host, const char *label, double scale, double tp)
{
	if (fx_open(f) < 0)
		return -1;
	fx_meta(f, "host", host);
	fx_meta(f, "label", label);
	fx_meta(f, "start_utc", "2026-01-01T00:00:00Z");
	fx_meta(f, "end_utc", "2026-01-01T00:01:00Z");
	fx_meta(f, "interrupted", "0");
	for (int n = 1; n <= 2; n++) {
		char wp[96], wt[96];

		util_strfmt(wp, sizeof(wp), "wall_s=%g;ops_per_s=%g", 0.1 * scale / n, 1e6 * n / scale);
		util_strfmt(wt, sizeof(wt), "wall_s=%g;ops_per_s=%g", 0.1 * scale * tp / n, 1e6 * n / scale / tp);
		fx_cell(f, "cpu", "total=1000", "process", n, 3, 0, wp, "ops=1000");
		fx_cell(f, "cpu", "total=1000", "thread", n, 3, 0, wt, "ops=1000");
	}
	fx_close(f);
	return 0;
}

/* Whether every cell of a column (rows 2..rows+1) of a dump is text
 * coloured as its verdict is on the Claims sheet. */
static int verdicts_coloured(const char *cells, const char *col, int rows)
{
	static const struct { const char *verdict, *fill; } colour[] = {
		{ "supported", "FFC6EFCE" }, { "refuted", "FFFFC7CE" }, { "no_difference", "FFFFEB9C" },
		{ "inconclusive", "FFFCE4D6" }, { "not_measured", "FFEDEDED" },
	};
	int good = 0;

	for (int r = 2; r <= rows + 1; r++) {
		char ref[16], f[5][256];

		util_strfmt(ref, sizeof(ref), "%s%d", col, r);
		if (cell_of(cells, ref, f) < 0 || strcmp(f[1], "s"))
			return 0;
		for (size_t i = 0; i < ARRAY_SIZE(colour); i++)
			good += !strcmp(f[2], colour[i].verdict) && !strcmp(f[4], colour[i].fill);
	}
	return good == rows;
}

/* Cell ref of a dump is the number v (to 1e-9) in format fmt. */
static int number_is(const char *cells, const char *ref, double v, const char *fmt)
{
	char f[5][256];

	return cell_of(cells, ref, f) == 0 && !strcmp(f[1], "n") && fabs(strtod(f[2], NULL) - v) <= 1e-9 * fabs(v) &&
	       !strcmp(f[3], fmt);
}

/* Two synthetic hosts (one named like a formula) merged and compared:
 * the workbook has Hosts by claim and Hosts after Claims, host columns
 * named from the header, verdicts coloured, ratios formatted; a chart of
 * the claims by host, and each run's charts apart, titled by its run. */
static void fleet(const char *exe, const char *tmp)
{
	char merged[PATH_MAX], xlsx[PATH_MAX], path[PATH_MAX], got[512], *cells = NULL, *sheet = NULL;
	char *names = NULL, *data = NULL, f[5][256];
	struct fx a = { .dir = "" }, b = { .dir = "" };
	struct table cb = { 0 }, ho = { 0 };
	int rc = -1, by_host = 0, tried = 0, hchart = 0, alpha = 0, beta = 0, charts = 0;

	util_strfmt(merged, sizeof(merged), "%s/fleet", tmp);
	if (fleet_src(&a, "alpha", "a1", 1, 0.5) == 0 && fleet_src(&b, "=beta", "b1", 2, 2) == 0) {
		char *mg[] = { (char *)exe, "merge", a.dir, b.dir, "-o", merged, NULL };
		char *cp[] = { (char *)exe, "compare", merged, NULL };
		char *ex[] = { (char *)exe, "export", merged, NULL };

		rc = run_cmd(mg, tmp);
		rc = rc ? rc : run_cmd(cp, tmp);
		rc = rc ? rc : run_cmd(ex, tmp);
	}
	util_strfmt(xlsx, sizeof(xlsx), "%s/results.xlsx", merged);
	if (!ok(rc == 0 && table_read(util_strfmt(path, sizeof(path), "%s/claims_by_host.csv", merged), &cb) == 0 &&
		table_read(util_strfmt(path, sizeof(path), "%s/hosts.csv", merged), &ho) == 0,
		"fleet: merge, compare and export of two hosts exit 0 (%d)", rc))
		goto out;
	xlsx_sheets(xlsx, got, sizeof(got));
	ok(!strcmp(got, "Claims,Hosts by claim,Hosts,Versus,Modes,Summary,Trials,Workers,Metrics,Bursts,Meta,"
			"Charts,ChartData"),
	   "fleet: Hosts by claim and Hosts follow Claims (%s)", got);

	/* Hosts by claim: claim, side, statement, same_verdict, then alpha
	 * (E..I) and =beta (J..N), each verdict, thread_over_process,
	 * ratio, figure, figure_ratio. */
	cells = sheet_cells(xlsx, "Hosts by claim");
	ok(cell_of(cells, "E1", f) == 0 && !strcmp(f[2], "alpha") && cell_of(cells, "J1", f) == 0 &&
	   !strcmp(f[2], "=beta") && cell_of(cells, "N1", f) == 0 && !strcmp(f[2], "=beta_figure_ratio"),
	   "Hosts by claim: host columns named from the header (alpha, =beta, =beta_figure_ratio; no guard)");
	ok(cb.nrows == 9 && verdicts_coloured(cells, "E", cb.nrows) && verdicts_coloured(cells, "J", cb.nrows),
	   "Hosts by claim: each host's verdicts coloured as on Claims (%d claims)", cb.nrows);
	for (int r = 0; r < cb.nrows; r++) {
		char ref[16];
		/* the CSV guards a name that looks like a formula */
		double v = num(&cb, r, "'=beta_ratio"), fig = num(&cb, r, "alpha_figure");

		if (isnan(v) || isnan(fig))
			continue;
		tried = 1;
		util_strfmt(ref, sizeof(ref), "L%d", r + 2);
		by_host = number_is(cells, ref, v, "0.000");
		util_strfmt(ref, sizeof(ref), "H%d", r + 2);
		by_host &= number_is(cells, ref, fig, "0.000") && strcmp(cell(&cb, r, "alpha"), "");
		ok(by_host, "Hosts by claim: %s's =beta_ratio %g and alpha_figure %g are numbers as 0.000",
		   cell(&cb, r, "claim"), v, fig);
		break;
	}
	if (!tried)
		ok(0, "Hosts by claim: a claim with a ratio on both hosts");
	sheet = zip_read(xlsx, "xl/worksheets/sheet2.xml", 0);
	ok(sheet && strstr(sheet, "<pane ySplit=\"1\"") && strstr(sheet, "<autoFilter ref=\"A1:N10\""),
	   "Hosts by claim: header frozen, autofilter over its 14 columns");
	free(cells);
	free(sheet);

	/* Hosts: workload..unit (A..G), then alpha (H..J), =beta (K..M). */
	cells = sheet_cells(xlsx, "Hosts");
	ok(cell_of(cells, "H1", f) == 0 && !strcmp(f[2], "alpha") && cell_of(cells, "I1", f) == 0 &&
	   !strcmp(f[2], "alpha_ratio") && cell_of(cells, "M1", f) == 0 && !strcmp(f[2], "=beta_ci_overlap"),
	   "Hosts: host columns named from the header, no unit added (alpha, alpha_ratio, =beta_ci_overlap)");
	for (int r = 0; r < ho.nrows; r++) {
		char ref[16];
		int good;

		if (strcmp(cell(&ho, r, "metric"), "wall_s"))
			continue;
		util_strfmt(ref, sizeof(ref), "K%d", r + 2);
		good = number_is(cells, ref, num(&ho, r, "'=beta"), "0.000000");
		util_strfmt(ref, sizeof(ref), "L%d", r + 2);
		good &= number_is(cells, ref, num(&ho, r, "'=beta_ratio"), "0.000") &&
			fabs(num(&ho, r, "'=beta_ratio") - 2) < 0.01;
		ok(good, "Hosts: =beta's wall_s median in seconds' format, its ratio %g (2 made) as 0.000",
		   num(&ho, r, "'=beta_ratio"));
		break;
	}
	free(cells);
	/* the fixed formats of the other sheets: a ratio, seconds */
	cells = sheet_cells(xlsx, "Claims");
	sheet = sheet_cells(xlsx, "Trials");
	ok(cells && sheet && strstr(cells, "\tn\t0.5\t0.000\t") && strstr(sheet, "\tn\t0.1\t0.000000\t"),
	   "fleet: Claims' thread_over_process as 0.000, Trials' wall_s as 0.000000");
	free(cells);
	free(sheet);

	names = zip_read(xlsx, NULL, 0);
	for (int i = 1; i <= xlsx_charts(names); i++) {
		char part[64], *c;

		util_strfmt(part, sizeof(part), "xl/charts/chart%d.xml", i);
		if (!(c = zip_read(xlsx, part, 0)))
			continue;
		charts++;
		hchart += i == 1 && strstr(c, "Thread over process of each claim, by host") && count(c, "<c:ser>") == 2;
		alpha += strstr(c, "Speedup over 1 worker: cpu") && strstr(c, "(host alpha, run a1)");
		beta += strstr(c, "Speedup over 1 worker: cpu") && strstr(c, "(host =beta, run b1)");
		free(c);
	}
	ok(hchart == 1 && alpha == 1 && beta == 1,
	   "fleet charts: first the claims by host (a series a host), then a speedup chart a run titled by it "
	   "(%d charts)", charts);
	data = zip_read(xlsx, "xl/worksheets/sheet13.xml", 0);
	ok(data && strstr(data, "<f>'Hosts by claim'!$F$") && strstr(data, "<f>'Hosts by claim'!$K$"),
	   "fleet: ChartData points at each host's thread_over_process in Hosts by claim");
out:
	free(names);
	free(data);
	table_free(&cb);
	table_free(&ho);
	if (*a.dir)
		rmtree(a.dir);
	if (*b.dir)
		rmtree(b.dir);
}

int main(int argc, char **argv)
{
	char tmp[64], res[PATH_MAX];

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 1;
	chmod(tmp, 0755);       /* the no-permission case runs as nobody */
	four_modes(argv[1], tmp);
	fleet(argv[1], tmp);
	if (round_trip(argv[1], tmp, res, sizeof(res)) == 0) {
		split(tmp, res);
		bad_input(argv[1], tmp, res);
		million(argv[1], tmp, res);
	}
	rmtree(tmp);
	return done_testing();
}
