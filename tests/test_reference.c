/* test_reference - every folder under results/reference/ still parses
 * with the current code: `analyze` rebuilds its summaries and decides
 * every claim, and `compare` reads it. A change of the CSV contract that
 * would orphan the shipped reference fails here. */
#include <dirent.h>
#include <limits.h>

#include "e2e.h"
#include "workload.h"

static int count_value(const struct table *t, const char *col, const char *value)
{
	int n = 0;

	for (int r = 0; r < t->nrows; r++)
		n += strcmp(cell(t, r, col), value) == 0;
	return n;
}

static void check_one(const char *ptbench, const char *ref, const char *tmp)
{
	char copy[PATH_MAX], path[PATH_MAX], buf[256];
	struct table t;
	int rc;

	diag("reference %s", ref);
	ok(all_parse(ref) == 8, "every CSV of the reference parses");
	ok(*meta(ref, "host", buf, sizeof(buf)) && *meta(ref, "cpu_model", buf, sizeof(buf)) &&
	   *meta(ref, "pus", buf, sizeof(buf)) && *meta(ref, "version", buf, sizeof(buf)),
	   "its meta.csv says what machine and ptbench made it");

	/* analyze writes into the folder: work on a copy */
	util_strfmt(copy, sizeof(copy), "%s/copy", tmp);
	rc = run_cmd((char *[]){ "/bin/cp", "-R", (char *)ref, copy, NULL }, tmp);
	ok(rc == 0, "copied (exit %d)", rc);
	rc = run_cmd((char *[]){ (char *)ptbench, "analyze", copy, "-q", NULL }, tmp);
	ok(rc == 0, "ptbench analyze accepts it (exit %d)", rc);
	util_strfmt(path, sizeof(path), "%s/claims.csv", copy);
	if (table_read(path, &t) == 0) {
		int decided = 0;

		for (int r = 0; r < t.nrows; r++)
			decided += *cell(&t, r, "verdict") && strcmp(cell(&t, r, "verdict"), "not_measured");
		ok(t.nrows == CLAIM_N, "claims.csv has the %d claims (%d)", CLAIM_N, t.nrows);
		ok(decided == CLAIM_N, "every claim is decided from the reference's rows (%d of %d)",
		   decided, CLAIM_N);
		table_free(&t);
	} else {
		ok(0, "claims.csv of the analyzed copy parses");
	}

	/* the same rows on both sides: everything the same, nothing changed */
	rc = run_cmd((char *[]){ (char *)ptbench, "compare", (char *)ref, copy, NULL }, tmp);
	ok(rc == 0, "ptbench compare reads it (exit %d)", rc);
	util_strfmt(path, sizeof(path), "%s/stdout.txt", tmp);
	if (table_read(path, &t) == 0) {
		ok(t.nrows > 50, "compare finds its experiments (%d rows)", t.nrows);
		ok(count_value(&t, "change", "better") + count_value(&t, "change", "worse") == 0,
		   "nothing better or worse against its own rows");
		ok(count_value(&t, "change", "same") > t.nrows / 2, "most rows the same (%d of %d)",
		   count_value(&t, "change", "same"), t.nrows);
		table_free(&t);
	} else {
		ok(0, "compare's output parses as CSV");
	}
	rmtree(copy);
}

int main(int argc, char **argv)
{
	char tmp[64];
	int n = 0;
	DIR *d;
	struct dirent *e;

	if (argc < 3 || !tmpdir(tmp, sizeof(tmp)))
		return 99;
	d = opendir(argv[2]);
	ok(d != NULL, "%s exists", argv[2]);
	while (d && (e = readdir(d))) {
		char ref[PATH_MAX];

		if (e->d_name[0] == '.')
			continue;
		util_strfmt(ref, sizeof(ref), "%s/%s", argv[2], e->d_name);
		check_one(argv[1], ref, tmp);
		n++;
	}
	if (d)
		closedir(d);
	ok(n >= 1, "at least one reference folder (%d)", n);
	rmtree(tmp);
	return done_testing();
}
