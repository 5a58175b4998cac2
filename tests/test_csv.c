/* test_csv.c - CSV written and read back through libcsv: quoting, line
 * breaks, empty cells, formula guard, atomic files, the schema tables. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvio.h"
#include "schema.h"
#include "tap.h"
#include "util.h"

int main(void)
{
	static const char *const cols[] = { "id", "text", "num" };
	static const char *const tricky[] = {
		"plain", "a,b", "say \"hi\"", "line1\nline2", "crlf\r\nx", " edge ", "",
		"=1+1", "@SUM(A1)", "+x", "-x", "-1.5", "1e3", "ünïcødé", "'quoted'",
	};
	char dir[] = "/tmp/ptb-csv-XXXXXX", path[PATH_MAX], tmp[PATH_MAX];
	struct csvw *w;
	struct table t;
	struct row r;
	int rc;

	if (!mkdtemp(dir))
		return 1;
	strfmt(path, sizeof(path), "%s/t.csv", dir);
	ok(csvw_open(&w, path, cols, 3, 0) == 0, "opens a new file");
	for (size_t i = 0; i < ARRAY_SIZE(tricky); i++) {
		row_init(&r, 3);
		row_u64(&r, 0, i);
		row_str(&r, 1, tricky[i]);
		if (i % 2)
			row_num(&r, 2, -0.25 * (double)i);
		rc = csvw_row(w, &r);
		if (rc)
			break;
	}
	ok(rc == 0 && csvw_close(w) == 0, "writes and closes");
	ok(csvw_open(&w, path, cols, 3, 0) == -EEXIST, "never overwrites a file");

	rc = table_read(path, &t);
	ok(rc == 0 && t.ncols == 3 && t.nrows == (int)ARRAY_SIZE(tricky), "reads back %d rows", t.nrows);
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(tricky); i++) {
		const char *got = table_get(&t, (int)i, 1);
		int formula = strchr("=+-@", tricky[i][0]) && tricky[i][0] && !is_number(tricky[i]);

		if (formula)
			ok(got[0] == '\'' && strcmp(got + 1, tricky[i]) == 0,
			   "formula-like text '%s' comes back as text '%s'", tricky[i], got);
		else
			ok(strcmp(got, tricky[i]) == 0, "text cell %zu round-trips", i);
		ok(i % 2 ? table_num(&t, (int)i, 2) == -0.25 * (double)i
			 : *table_get(&t, (int)i, 2) == '\0', "number cell %zu (empty when unset)", i);
	}
	ok(table_col(&t, "num") == 2 && table_col(&t, "nope") == -1, "columns by name");
	table_free(&t);

	/* Atomic files appear only on close. */
	strfmt(path, sizeof(path), "%s/a.csv", dir);
	strfmt(tmp, sizeof(tmp), "%s.tmp", path);
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
		ok(strcmp(unit_of("wall_s"), "s") == 0 && strcmp(unit_of("ops_per_s"), "1/s") == 0 &&
		   strcmp(unit_of("pss_kib"), "KiB") == 0 && strcmp(unit_of("ops"), "") == 0,
		   "units come from column names");
	}
	strfmt(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
