/* test_csv.c - CSV written and read back through libcsv: quoting, line
 * breaks, empty cells, formula guard, atomic files, the schema tables. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvio.h"
#include "schema.h"
#include "tap.h"
#include "util.h"

/* s with control characters as \n, \r, \t: one TAP line. */
static const char *printable(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s && n + 3 < len; s++) {
		const char *c = strchr("\n\r\t", *s);

		if (c) {
			buf[n++] = '\\';
			buf[n++] = "nrt"[c - "\n\r\t"];
		} else {
			buf[n++] = *s;
		}
	}
	buf[n] = '\0';
	return buf;
}

int main(void)
{
	static const char *const cols[] = { "id", "text", "num" };
	/* Text cells, and whether a spreadsheet would run them as a formula
	 * (then they come back with a leading '). */
	static const struct {
		const char *text;
		int guarded;
	} tricky[] = {
		{ "plain", 0 }, { "a,b", 0 }, { "say \"hi\"", 0 }, { "line1\nline2", 0 },
		{ "crlf\r\nx", 0 }, { " edge ", 0 }, { "", 0 }, { "ünïcødé", 0 }, { "'quoted'", 0 },
		{ "a=b", 0 }, { "1e3", 0 }, { "-1.5", 0 }, { "+5", 0 }, { "-0", 0 },
		{ "=1+1", 1 }, { "@SUM(A1)", 1 }, { "+x", 1 }, { "-x", 1 }, { "--", 1 },
		{ "\tplain", 1 }, { "\rplain", 1 },
		/* after blanks and line breaks */
		{ " =1+1", 1 }, { "   @SUM(A1)", 1 }, { "\n=1+1", 1 }, { "\r\n+x", 1 },
		{ "\t-x", 1 }, { " \n -x", 1 }, { " 1.5", 0 }, { "\nplain", 0 },
		/* full-width = + - @ */
		{ "\xEF\xBC\x9D" "1+1", 1 }, { "\xEF\xBC\x8B" "x", 1 }, { "\xEF\xBC\x8D" "x", 1 },
		{ "\xEF\xBC\xA0" "SUM(A1)", 1 }, { "  \xEF\xBC\x9D" "1", 1 },
		{ "x\xEF\xBC\x9D" "1", 0 }, { "\xEF\xBC\x91", 0 },      /* x＝1, full-width 1 */
	};
	char dir[] = "/tmp/ptb-csv-XXXXXX", path[PATH_MAX], tmp[PATH_MAX];
	struct csvw *w;
	struct table t;
	struct row r;
	int rc;

	if (!mkdtemp(dir))
		return 1;
	util_strfmt(path, sizeof(path), "%s/t.csv", dir);
	ok(csvw_open(&w, path, cols, 3, 0) == 0, "opens a new file");
	for (size_t i = 0; i < ARRAY_SIZE(tricky); i++) {
		row_init(&r, 3);
		row_u64(&r, 0, i);
		row_str(&r, 1, tricky[i].text);
		if (i % 2)
			row_num(&r, 2, -0.25 * (double)i);
		rc = csvw_row(w, &r);
		if (rc)
			break;
	}
	ok(rc == 0 && csvw_close(w) == 0, "writes and closes");
	w = (struct csvw *)dir;         /* a stale pointer: a failed open clears it */
	ok(csvw_open(&w, path, cols, 3, 0) == -EEXIST && w == NULL,
	   "never overwrites a file (and leaves no writer to close)");

	rc = table_read(path, &t);
	ok(rc == 0 && t.ncols == 3 && t.nrows == (int)ARRAY_SIZE(tricky), "reads back %d rows", t.nrows);
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(tricky); i++) {
		const char *got = table_get(&t, (int)i, 1);

		char shown[64];

		if (tricky[i].guarded)
			ok(got[0] == '\'' && strcmp(got + 1, tricky[i].text) == 0,
			   "formula-like text %zu '%s' comes back with a leading '", i,
			   printable(tricky[i].text, shown, sizeof(shown)));
		else
			ok(strcmp(got, tricky[i].text) == 0, "text cell %zu '%s' round-trips", i,
			   printable(tricky[i].text, shown, sizeof(shown)));
		ok(i % 2 ? table_num(&t, (int)i, 2) == -0.25 * (double)i
			 : *table_get(&t, (int)i, 2) == '\0', "number cell %zu (empty when unset)", i);
	}
	ok(table_col(&t, "num") == 2 && table_col(&t, "nope") == -1, "columns by name");
	table_free(&t);

	/* Atomic files appear only on close. */
	util_strfmt(path, sizeof(path), "%s/a.csv", dir);
	util_strfmt(tmp, sizeof(tmp), "%s.tmp", path);
	ok(csvw_open(&w, path, cols, 3, CSVW_ATOMIC) == 0 && access(path, F_OK) != 0 &&
	   access(tmp, F_OK) == 0, "atomic: written under a temporary name");
	ok(csvw_close(w) == 0 && access(path, F_OK) == 0 && access(tmp, F_OK) != 0,
	   "atomic: renamed into place on close");

	/* Malformed input is an error with its line. */
	{
		const char *bad = "a,b\n1,2\n3\n";
		const char *quote = "a,b\n\"open,2\n";

		ok(table_parse(bad, strlen(bad), &t) == -EBADMSG && t.bad_line == 3,
		   "a short row is refused at its line (%d)", t.bad_line);
		ok(table_parse(quote, strlen(quote), &t) == -EBADMSG, "an unclosed quote is refused");
		ok(table_parse("", 0, &t) == -EBADMSG, "an empty file has no header");
		ok(table_read("/nonexistent/x.csv", &t) == -ENOENT, "a missing file is -ENOENT");
	}

	/* A BOM (spreadsheets' "CSV UTF-8") is skipped; a NUL is refused at
	 * its line; a file over the limit is refused. */
	{
		static const char bom[] = "\xEF\xBB\xBFworkload,reps\r\ncpu,3\r\n";
		static const char nul[] = "a,b\n1,2\n3,\0\n";
		char big[PATH_MAX];
		FILE *f;

		ok(table_parse(bom, sizeof(bom) - 1, &t) == 0 && t.ncols == 2 &&
		   !strcmp(t.head[0], "workload") && !strcmp(table_get(&t, 0, 1), "3"),
		   "a leading BOM is not part of the first column's name");
		table_free(&t);
		ok(table_parse(nul, sizeof(nul) - 1, &t) == -EILSEQ && t.bad_line == 3,
		   "a NUL byte is refused at its line (%d)", t.bad_line);
		util_strfmt(big, sizeof(big), "%s/big.csv", dir);
		f = fopen(big, "w");
		if (f) {
			fputs("a,b\n", f);
			for (int i = 0; i < 1000; i++)
				fputs("1,2\n", f);
			fclose(f);
		}
		ok(table_read_max(big, 4004, &t) == 0 && t.nrows == 1000, "a file of max bytes is read");
		table_free(&t);
		ok(table_read_max(big, 4003, &t) == -EFBIG, "one byte over max is refused");
	}

	/* A file name too long is refused, never cut short; a header that
	 * cannot be written leaves no file. */
	{
		char lng[PATH_MAX + 8];

		memset(lng, 'a', sizeof(lng) - 1);
		lng[sizeof(lng) - 1] = '\0';
		memcpy(lng, dir, strlen(dir));
		lng[strlen(dir)] = '/';
		lng[PATH_MAX - 2] = '\0';      /* fits, but not with ".tmp" */
		ok(csvw_open(&w, lng, cols, 3, 0) == -ENAMETOOLONG,
		   "a path with no room for its .tmp name is refused");
		/* a file size limit of 5 bytes: the create works, the header fails */
		{
			struct rlimit old, tiny = { 5, 5 };

			util_strfmt(path, sizeof(path), "%s/limited.csv", dir);
			signal(SIGXFSZ, SIG_IGN);
			getrlimit(RLIMIT_FSIZE, &old);
			tiny.rlim_max = old.rlim_max;
			setrlimit(RLIMIT_FSIZE, &tiny);
			w = (struct csvw *)dir;
			rc = csvw_open(&w, path, cols, 3, 0);
			setrlimit(RLIMIT_FSIZE, &old);
			ok(rc == -EFBIG && access(path, F_OK) != 0 && w == NULL,
			   "a header that cannot be written leaves no file, no writer (%s)", strerror(-rc));
			ok(csvw_close(w) == 0, "closing what a failed open left is a no-op");
		}
	}

	/* The schema: the first columns of trials.csv never move (columns are
	 * only added at the end; docs/ptbench-results.5 lists them all). */
	{
		static const char *const first_trials[] = { "trial", "workload", "mode",
			"workers", "pin", "rep", "traced", "status", "wall_s", "spawn_s",
			"join_s", "user_s", "sys_s", "ops", "ops_per_s", "checksum_ok",
			"minflt", "majflt", "nvcsw", "nivcsw", "maxrss_kib", "rss_sum_kib",
			"pss_kib", "uss_kib", "pte_kib", "burst_n", "burst_mean_us",
			"burst_p50_us", "burst_p90_us", "burst_p99_us", "burst_max_us", "params" };
		int same = 1;

		for (size_t i = 0; i < ARRAY_SIZE(first_trials); i++)
			same &= strcmp(trials_cols[i], first_trials[i]) == 0;
		ok(same, "trials.csv starts with its first 32 columns in order");
		ok(strcmp(schema_unit_of("wall_s"), "s") == 0 && strcmp(schema_unit_of("ops_per_s"), "1/s") == 0 &&
		   strcmp(schema_unit_of("pss_kib"), "KiB") == 0 && strcmp(schema_unit_of("ops"), "") == 0,
		   "units come from column names");
	}
	util_strfmt(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
