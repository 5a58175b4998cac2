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

/* bench/vs-reference, the block bench/run ends with, on a run that is
 * the reference's rows under another start time: every claim printed
 * with its figure on both sides and a ratio of one; the comparison
 * files written; a reference that cannot be compared is no failure. */
static void check_block(const char *ptbench, const char *refdir, const char *ref,
			const char *tmp)
{
	char script[PATH_MAX], run[PATH_MAX], build[PATH_MAX], path[PATH_MAX], text[1 << 14];
	char cmd[4 * PATH_MAX], env[PATH_MAX + 16];
	struct table t;
	int rc, lines = 0;

	util_strfmt(script, sizeof(script), "%s/../../bench/vs-reference", refdir);
	util_strfmt(build, sizeof(build), "%s", ptbench);
	*strrchr(build, '/') = '\0';
	util_strfmt(run, sizeof(run), "%s/run", tmp);
	util_strfmt(cmd, sizeof(cmd),
		    "cp -R '%s' '%s' && sed -i 's/^start_utc,.*/start_utc,2030-01-01T00:00:00Z/' '%s/meta.csv'",
		    ref, run, run);
	ok(system(cmd) == 0, "a run made of the reference's rows");
	util_strfmt(env, sizeof(env), "PTB_BUILD=%s", build);
	rc = run_cmd((char *[]){ "/usr/bin/env", env, "PTB_REFERENCE=", script, run, NULL }, tmp);
	slurp(tmp, "stdout.txt", text, sizeof(text));
	ok(rc == 0 && strstr(text, "against the reference "), "bench/vs-reference prints its block (exit %d)", rc);
	for (const char *p = text; (p = strstr(p, " x1.000")); p++)
		lines++;
	ok(lines >= 6, "each claim with a figure: the same figure, ratio x1.000 (%d)", lines);
	ok(strstr(text, "\n  cow_ops ") != NULL, "the nine claims, down to cow_ops");
	util_strfmt(path, sizeof(path), "%s/reference/claims_by_host.csv", run);
	ok(table_read(path, &t) == 0 && t.nrows == CLAIM_N, "claims_by_host.csv written");
	table_free(&t);
	util_strfmt(path, sizeof(path), "%s/reference/changes.csv", run);
	ok(table_read(path, &t) == 0 && t.nrows > 50, "changes.csv: every metric");
	table_free(&t);

	/* a reference that is no result folder: a line, exit 0, nothing left */
	rc = run_cmd((char *[]){ "/usr/bin/env", env, "PTB_REFERENCE=/nonexistent", script, (char *)tmp, NULL },
		     tmp);
	slurp(tmp, "stdout.txt", text, sizeof(text));
	util_strfmt(path, sizeof(path), "%s/reference", tmp);
	ok(rc == 0 && strstr(text, "no comparison with the reference") && access(path, F_OK) != 0,
	   "an unusable reference: one line, exit 0, nothing made (exit %d)", rc);
	rc = run_cmd((char *[]){ "/usr/bin/env", "PTB_REFERENCE=none", script, run, NULL }, tmp);
	slurp(tmp, "stdout.txt", text, sizeof(text));
	ok(rc == 0 && !*text, "PTB_REFERENCE=none: nothing");
	rmtree(run);
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
		if (n++ == 0)
			check_block(argv[1], argv[2], ref, tmp);
	}
	if (d)
		closedir(d);
	ok(n >= 1, "at least one reference folder (%d)", n);
	rmtree(tmp);
	return done_testing();
}
