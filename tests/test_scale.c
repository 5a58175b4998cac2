/* test_scale.c - end to end: 1,024 workers a trial, in both modes. */
#include <string.h>

#include "e2e.h"

int main(int argc, char **argv)
{
	char tmp[64], out[PATH_MAX], path[PATH_MAX];
	const char *extra[] = { "spawn", "cpu", "-n", "1024", "-r", "1", "--bursts", "off",
				"-P", "total=10240000", NULL };
	struct table t;

	if (argc < 2 || !tmpdir(tmp, sizeof(tmp)))
		return 2;
	ok(run_ptbench(argv[1], tmp, "big", out, sizeof(out), -1, extra) == 0,
	   "spawn and cpu with 1,024 workers, both modes");
	if (read_checked(out, "trials.csv", trials_cols, TR_N, &t) == 0) {
		int good = 0;

		for (int r = 0; r < t.nrows; r++) {
			good += !strcmp(cell(&t, r, "status"), "ok") && num(&t, r, "checksum_ok") == 1 &&
				num(&t, r, "workers") == 1024;
			diag("%s %s: spawn %s s, join %s s", cell(&t, r, "workload"), cell(&t, r, "mode"),
			     cell(&t, r, "spawn_s"), cell(&t, r, "join_s"));
		}
		ok(t.nrows == 4 && good == 4, "4 trials of 1,024 workers, all ok with right checksums");
		table_free(&t);
	}
	util_strfmt(path, sizeof(path), "%s/workers.csv", out);
	if (table_read(path, &t) == 0) {
		int good = 0;

		for (int r = 0; r < t.nrows; r++)
			good += !strcmp(cell(&t, r, "status"), "ok") &&
				!strcmp(cell(&t, r, "cpu_requested"), cell(&t, r, "cpu_observed"));
		ok(t.nrows == 4096 && good == 4096, "4,096 worker rows, every worker ok where it was placed (%d)", good);
		table_free(&t);
	}
	rmtree(tmp);
	return done_testing();
}
