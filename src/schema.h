/* schema.h - the CSV contract as data: one column table per result file.
 * Columns may be added at the end of a table, never renamed or reordered. */
#ifndef PTB_SCHEMA_H
#define PTB_SCHEMA_H

enum trials_col {
	TR_TRIAL, TR_WORKLOAD, TR_MODE, TR_WORKERS, TR_PIN, TR_REP, TR_TRACED,
	TR_STATUS, TR_WALL_S, TR_SPAWN_S, TR_JOIN_S, TR_USER_S, TR_SYS_S, TR_OPS,
	TR_OPS_PER_S, TR_CHECKSUM_OK, TR_MINFLT, TR_MAJFLT, TR_NVCSW, TR_NIVCSW,
	TR_MAXRSS_KIB, TR_RSS_SUM_KIB, TR_PSS_KIB, TR_USS_KIB, TR_PTE_KIB,
	TR_BURST_N, TR_BURST_MEAN_US, TR_BURST_P50_US, TR_BURST_P90_US,
	TR_BURST_P99_US, TR_BURST_MAX_US, TR_PARAMS,
	/* added after the first set: new columns go at the end */
	TR_WARMUP, TR_EXPECTED, TR_SIGNAL, TR_MESSAGE, TR_BURST_SOURCE,
	TR_BURST_P50_LO_US, TR_BURST_P50_HI_US, TR_BURST_PREEMPTED_FRAC,
	TR_BURST_LOST, TR_WAIT_S, TR_STEAL_S, TR_FOREIGN_CPU_S, TR_SPEED, TR_QUIET,
	TR_MEMBIND,
	TR_N
};

enum workers_col {
	WK_TRIAL, WK_WORKER, WK_PID, WK_TID, WK_CPU_REQUESTED, WK_CPU_OBSERVED,
	WK_STATUS, WK_SIGNAL, WK_WALL_S, WK_USER_S, WK_SYS_S, WK_OPS, WK_MINFLT,
	WK_NVCSW, WK_NIVCSW, WK_BURST_N, WK_BURST_MEAN_US, WK_BURST_P99_US,
	WK_PREEMPTED_FRAC,
	/* added after the first set: new columns go at the end */
	WK_MAJFLT, WK_RSS_KIB, WK_PSS_KIB, WK_USS_KIB, WK_PTE_KIB, WK_BURST_LOST,
	WK_WAIT_S,
	WK_CORE, WK_PACKAGE, WK_NUMA, WK_CPUKIND, WK_CPUKIND_NAME, WK_SMT_SIBLING_BUSY,
	WK_N
};

enum metrics_col { MT_TRIAL, MT_WORKER, MT_METRIC, MT_VALUE, MT_UNIT, MT_N };

enum bursts_col {
	BU_TRIAL, BU_WORKLOAD, BU_MODE, BU_WORKERS, BU_BIN_LO_US, BU_BIN_HI_US,
	BU_BLOCKED, BU_PREEMPTED, BU_N
};

enum summary_col {
	SU_WORKLOAD, SU_MODE, SU_WORKERS, SU_PIN, SU_METRIC, SU_UNIT, SU_N_,
	SU_MEDIAN, SU_P25, SU_P75, SU_MIN, SU_MAX, SU_CI95_LO, SU_CI95_HI,
	SU_PARAMS,
	SU_N
};

enum versus_col {
	VS_WORKLOAD, VS_WORKERS, VS_PIN, VS_METRIC, VS_UNIT, VS_PROCESS,
	VS_THREAD, VS_THREAD_OVER_PROCESS, VS_CI95_LO, VS_CI95_HI, VS_WINNER,
	VS_PARAMS, VS_N_PROCESS, VS_N_THREAD,
	VS_UNPAIRED_RATIO, VS_UNPAIRED_CI95_LO, VS_UNPAIRED_CI95_HI, VS_PAIRS,
	VS_HALF_WIDTH, VS_DROPPED_NOISY, VS_STOPPED,
	VS_N
};

/* modes.csv: one row per cell, metric and mode other than process. */
enum modes_col {
	MO_WORKLOAD, MO_WORKERS, MO_PIN, MO_METRIC, MO_UNIT, MO_MODE, MO_PROCESS, MO_MEDIAN,
	MO_MODE_OVER_PROCESS, MO_CI95_LO, MO_CI95_HI, MO_VERDICT, MO_PAIRS, MO_N_PROCESS,
	MO_N_MODE, MO_HALF_WIDTH, MO_PARAMS,
	MO_N
};

enum cells_col {
	CE_WORKLOAD, CE_WORKERS, CE_PIN, CE_PARAMS, CE_REPS, CE_PRECISION, CE_BUDGET_S,
	CE_METRIC, CE_PAIRS, CE_UNUSABLE, CE_ESTIMATE, CE_HALF_WIDTH, CE_STOPPED, CE_ELAPSED_S,
	CE_N
};

enum claims_col {
	CL_CLAIM, CL_SIDE, CL_STATEMENT, CL_WORKLOAD, CL_METRIC, CL_PROCESS,
	CL_THREAD, CL_THREAD_OVER_PROCESS, CL_CI95_LO, CL_CI95_HI, CL_VERDICT,
	CL_EVIDENCE,
	CL_COMPARISONS, CL_EFFECT, CL_HEADLINE,
	CL_N
};

enum compare_col {
	CP_WORKLOAD, CP_MODE, CP_WORKERS, CP_PIN, CP_METRIC, CP_A_MEDIAN,
	CP_B_MEDIAN, CP_B_OVER_A, CP_CI95_LO, CP_CI95_HI, CP_CHANGE, CP_PARAMS,
	CP_N
};

enum meta_col { ME_KEY, ME_VALUE, ME_N };

enum topo_col { TP_WORKER, TP_PU, TP_CORE, TP_PACKAGE, TP_NUMA, TP_CPUKIND, TP_CPUKIND_NAME,
		TP_N };

enum suite_col {
	SQ_WORKLOAD, SQ_MODES, SQ_WORKERS, SQ_REPS, SQ_PIN, SQ_PARAMS, SQ_TRACED, SQ_PRECISION,
	SQ_BUDGET, SQ_N
};

extern const char *const trials_cols[TR_N];
extern const char *const workers_cols[WK_N];
extern const char *const metrics_cols[MT_N];
extern const char *const bursts_cols[BU_N];
extern const char *const summary_cols[SU_N];
extern const char *const versus_cols[VS_N];
extern const char *const modes_cols[MO_N];
extern const char *const cells_cols[CE_N];
extern const char *const claims_cols[CL_N];
extern const char *const compare_cols[CP_N];
extern const char *const meta_cols[ME_N];
extern const char *const topo_cols[TP_N];
extern const char *const suite_cols[SQ_N];

/* The values of the mode column (trials, bursts, summary, modes.csv), in
 * enum mode order (workload.h), NULL-terminated: the one list the
 * analysis, the charts and the workbook read. */
extern const char *const mode_values[];

/* ptbench check --csv: one fact a row. */
enum check_col { CK_CHECK, CK_VALUE, CK_STATUS, CK_ADVICE, CK_N };

extern const char *const check_cols[CK_N];

/* A merged folder (ptbench merge): every file's columns after these two,
 * and meta.csv's host,run,key,value. */
enum merged_col { MG_HOST, MG_RUN, MG_N };

/* ptbench compare DIR...: hosts.csv's and claims_by_host.csv's leading
 * columns; after them each host has one column per suffix of
 * hosts_per_host / claims_per_host, named HOST then HOST_<suffix>. */
enum hosts_col { HO_WORKLOAD, HO_MODE, HO_WORKERS, HO_PIN, HO_PARAMS, HO_METRIC, HO_UNIT, HO_N };
enum host_col { HH_MEDIAN, HH_RATIO, HH_CI_OVERLAP, HH_N };
enum claims_by_host_col { CB_CLAIM, CB_SIDE, CB_STATEMENT, CB_SAME_VERDICT, CB_N };
enum claim_host_col { CH_VERDICT, CH_THREAD_OVER_PROCESS, CH_RATIO, CH_FIGURE, CH_FIGURE_RATIO, CH_N };

extern const char *const merged_cols[MG_N];
extern const char *const hosts_cols[HO_N];
extern const char *const hosts_per_host[HH_N];
extern const char *const claims_by_host_cols[CB_N];
extern const char *const claims_per_host[CH_N];

/* One result file: its name in the folder and its columns. */
struct schema {
	const char *file;
	const char *const *cols;
	int ncols;
};

/* Every file of a result folder, NULL-file terminated. */
extern const struct schema result_files[];

/* The unit a column name carries ("wall_s" -> "s"), "" when none. */
const char *schema_unit_of(const char *col);

#endif
