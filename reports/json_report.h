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
// `timeline_omitted`. `params` holds typed values, times in integer nanoseconds with the unit
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
// The sweep's JSON text. Each run is rendered and discarded in turn, so a 10,000-seed sweep never
// holds the whole document as a tree (that cost hundreds of megabytes); one run per line.
std::string sweep_to_json_text(const SweepSummary& summary, const std::vector<RunResult>& runs);

}  // namespace electsim::reports
