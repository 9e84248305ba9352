// Machine-readable results: the JSON of a run and of a sweep, with the keys of DESIGN.md's
// contract (snake_case, times as integer nanoseconds with the unit in the key).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "reports/run_result.h"
#include "reports/sweep_summary.h"

namespace electsim::reports {

// The run's JSON. Besides the contract's keys it carries `electsim_version` and
// `electsim_commit`, `error` and `error_time_ns` (null unless the verdict is internal_error or
// budget_exceeded), the kept `timeline` (entries with `time_ns`, `position`, `text`) and
// `timeline_omitted`, the leadership figures `leaderless_ns`, `overlap_ns` and `leaders_at_end`
// (null when not measured), and `alerts` (each: `rule`, `time_ns`, `detail`, and `group` with
// several groups; the first 100) with `alerts_omitted` and `alerts_fired` (each rule's firings, by
// rule name). `params` holds typed values, times in integer nanoseconds with the unit
// in the key as everywhere else in the contract:
//   bool          "pre_vote": true
//   integer       "max_log": 3
//   duration      "heartbeat_interval_ns": 75000000            (key gains "_ns")
//   range         "election_timeout_ns": [150000000, 300000000]  (key gains "_ns"; [low, high])
//   ratio         "loss": 0.01                                  (the nearest double)
//   node list     "lagging_nodes": ["n1", "n3"]
nlohmann::ordered_json run_to_json(const RunResult& run);
// Text for any JSON value. Strings that are not valid UTF-8 (a scenario name with stray bytes)
// have the bad bytes replaced by U+FFFD rather than throwing: output must never fail on them.
// `indent` < 0 gives one line.
std::string json_text(const nlohmann::ordered_json& json, int indent = -1);

// The sweep's JSON, written as the sweep goes, in three parts: the opening, one line per run in
// seed order, and the closing with the summary. Nothing is held back, so a sweep of any size
// writes its JSON in constant memory. The document is
//   {
//     "scenario": ..., "algorithm": ..., "overrides": [...],
//     "requested_seed_first": A, "requested_seed_last": B,
//     "shard": "K/N" (only for a shard: its runs are every N-th seed from A + K - 1),
//     "runs": [
//       {one run, as run_to_json, on one line},
//       ...
//     ],
//     "seeds": N, "seed_first": A, "seed_last": L, "interrupted": false,
//     "passed", "failed", "safety_failures", "liveness_failures", "internal_errors",
//     "budget_exceeded", "failing_seeds" (the first 1,000), "failing_seeds_truncated",
//     "failures" (the first 100: seed, verdict, what, time_ns, replay), "verdict",
//     "recovery_ns": {"p50", "p90", "p99", "max", "count", "approximate", "relative_error"},
//     "leader_changes", "messages", "events"
//   }
// with every key on its own line. The summary follows the runs because it is known only at the
// end. seed_first..seed_last is the range summarized: the requested one, or after an interrupt
// its finished prefix (seed_last is null if no seed finished).
std::string sweep_json_opening(const SweepSummary& summary);
// `first` is true for the first run of the sweep (no comma before it).
std::string sweep_json_run(const RunResult& run, bool first);
// `any_runs` is false if no run was written. A `regression` object (the regression gate of
// `sweep --baseline`, reports/regression_gate.h) is written as the last key when not null.
std::string sweep_json_closing(SweepSummary& summary, bool any_runs,
                               const nlohmann::ordered_json& regression = nullptr);

}  // namespace electsim::reports
