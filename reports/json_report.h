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

nlohmann::ordered_json run_to_json(const RunResult& run);

// The sweep's JSON, written as the sweep goes, in three parts: the opening, one line per run in
// seed order, and the closing with the summary. Nothing is held back, so a sweep of any size
// writes its JSON in constant memory. The document is
//   {
//     "scenario": ..., "algorithm": ..., "overrides": [...],
//     "requested_seed_first": A, "requested_seed_last": B,
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
// `any_runs` is false if no run was written.
std::string sweep_json_closing(SweepSummary& summary, bool any_runs);

// Writes `text` to `path` through a temporary file and a rename, so a reader never sees a
// half-written file.
absl::Status write_file_atomically(const std::string& path, const std::string& text);

}  // namespace electsim::reports
