/* schema.c - the column tables of every CSV file ptbench reads or writes. */
#include "schema.h"

#include <string.h>

const char *const trials_cols[TR_N] = {
	"trial", "workload", "mode", "workers", "pin", "rep", "traced",
	"status", "wall_s", "spawn_s", "join_s", "user_s", "sys_s", "ops",
	"ops_per_s", "checksum_ok", "minflt", "majflt", "nvcsw", "nivcsw",
	"maxrss_kib", "rss_sum_kib", "pss_kib", "uss_kib", "pte_kib",
	"burst_n", "burst_mean_us", "burst_p50_us", "burst_p90_us",
	"burst_p99_us", "burst_max_us", "params",
	"warmup", "expected", "signal", "message", "burst_source",
	"burst_p50_lo_us", "burst_p50_hi_us", "burst_preempted_frac",
	"burst_lost", "wait_s", "steal_s", "foreign_cpu_s", "speed", "quiet",
	"membind",
};

const char *const workers_cols[WK_N] = {
	"trial", "worker", "pid", "tid", "cpu_requested", "cpu_observed",
	"status", "signal", "wall_s", "user_s", "sys_s", "ops", "minflt",
	"nvcsw", "nivcsw", "burst_n", "burst_mean_us", "burst_p99_us",
	"preempted_frac",
	"majflt", "rss_kib", "pss_kib", "uss_kib", "pte_kib", "burst_lost",
	"wait_s",
	"core", "package", "numa", "cpukind", "cpukind_name", "smt_sibling_busy",
};

const char *const metrics_cols[MT_N] = {
	"trial", "worker", "metric", "value", "unit",
};

const char *const bursts_cols[BU_N] = {
	"trial", "workload", "mode", "workers", "bin_lo_us", "bin_hi_us",
	"blocked", "preempted",
};

const char *const summary_cols[SU_N] = {
	"workload", "mode", "workers", "pin", "metric", "unit", "n", "median",
	"p25", "p75", "min", "max", "ci95_lo", "ci95_hi", "params",
};

const char *const versus_cols[VS_N] = {
	"workload", "workers", "pin", "metric", "unit", "process", "thread",
	"thread_over_process", "ci95_lo", "ci95_hi", "winner", "params",
	"n_process", "n_thread",
	"unpaired_ratio", "unpaired_ci95_lo", "unpaired_ci95_hi", "pairs",
	"half_width", "dropped_noisy", "stopped",
};

const char *const modes_cols[MO_N] = {
	"workload", "workers", "pin", "metric", "unit", "mode", "process", "median",
	"mode_over_process", "ci95_lo", "ci95_hi", "verdict", "pairs", "n_process",
	"n_mode", "half_width", "params",
};

const char *const mode_values[] = { "process", "thread", "shared", "exec", NULL };

const char *const cells_cols[CE_N] = {
	"workload", "workers", "pin", "params", "reps", "precision", "budget_s", "metric",
	"pairs", "unusable", "estimate", "half_width", "stopped", "elapsed_s",
};

const char *const claims_cols[CL_N] = {
	"claim", "side", "statement", "workload", "metric", "process", "thread",
	"thread_over_process", "ci95_lo", "ci95_hi", "verdict", "evidence",
	"comparisons", "effect", "headline",
};

const char *const compare_cols[CP_N] = {
	"workload", "mode", "workers", "pin", "metric", "a_median", "b_median",
	"b_over_a", "ci95_lo", "ci95_hi", "change", "params",
};

const char *const meta_cols[ME_N] = { "key", "value" };

const char *const topo_cols[TP_N] = {
	"worker", "pu", "core", "package", "numa", "cpukind", "cpukind_name",
};

const char *const suite_cols[SQ_N] = {
	"workload", "modes", "workers", "reps", "pin", "params", "traced", "precision",
	"budget",
};

const char *const check_cols[CK_N] = { "check", "value", "status", "advice" };

const char *const merged_cols[MG_N] = { "host", "run" };

const char *const hosts_cols[HO_N] = {
	"workload", "mode", "workers", "pin", "params", "metric", "unit",
};

/* "" names the host's own column (its median). */
const char *const hosts_per_host[HH_N] = { "", "_ratio", "_ci_overlap" };

const char *const claims_by_host_cols[CB_N] = { "claim", "side", "statement", "same_verdict" };

/* "" names the host's own column (its verdict). */
const char *const claims_per_host[CH_N] = {
	"", "_thread_over_process", "_ratio", "_figure", "_figure_ratio",
};

const struct schema result_files[] = {
	{ "meta.csv", meta_cols, ME_N },
	{ "trials.csv", trials_cols, TR_N },
	{ "workers.csv", workers_cols, WK_N },
	{ "metrics.csv", metrics_cols, MT_N },
	{ "bursts.csv", bursts_cols, BU_N },
	{ "cells.csv", cells_cols, CE_N },
	{ "summary.csv", summary_cols, SU_N },
	{ "versus.csv", versus_cols, VS_N },
	{ "modes.csv", modes_cols, MO_N },
	{ "claims.csv", claims_cols, CL_N },
	{ NULL, NULL, 0 },
};

const char *schema_unit_of(const char *col)
{
	static const struct { const char *suffix, *unit; } units[] = {
		{ "_s", "s" }, { "_us", "us" }, { "_ms", "ms" }, { "_ns", "ns" },
		{ "_kib", "KiB" }, { "_per_s", "1/s" }, { "_frac", "fraction" },
	};
	size_t n = strlen(col);
	const char *best = "";
	size_t bestlen = 0;

	/* The longest suffix wins: ops_per_s is a rate, not seconds. */
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t k = strlen(units[i].suffix);

		if (n > k && k > bestlen && strcmp(col + n - k, units[i].suffix) == 0) {
			best = units[i].unit;
			bestlen = k;
		}
	}
	return best;
}
