// The regression gate of `electsim sweep --baseline OLD.json` (issue 14): this sweep's figures
// against an earlier sweep's, seed by seed where the seeds match (reports/paired_comparison.h),
// and a verdict per figure. Larger is worse for every figure:
// - recovery p50 and p99: nearest-rank percentiles of every recovered window's recovery time
//   (the run JSON's `recovery_ns`), over the seeds compared;
// - elections per fault: elections after each group's first (`leader_changes` less the number
//   of groups) over the faults that fired (`faults_fired` entries not `skipped`), as totals;
// - messages per election: messages sent of the types that elect (`election_messages`: vote
//   requests, prepares, notifications and their replies, as each algorithm's FamilyInfo marks
//   them; not heartbeats) over every election (`leader_changes`), as totals.
// Runs that were not judged (internal_error, budget_exceeded) take no part.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/paired_comparison.h"
#include "reports/run_result.h"

namespace electsim::reports {

// What the gate reads from one run; every value is in the run's JSON.
struct GateRun {
  uint64_t seed = 0;
  std::vector<int64_t> recovery_ns;
  uint64_t elections = 0;  // leader_changes
  uint64_t faults = 0;     // faults fired, not skipped
  // Messages sent of the electing types (`election_messages`); empty in a sweep file written
  // before electsim counted them, and then the figure is not judged for that seed.
  std::optional<uint64_t> election_messages;
  uint32_t groups = 1;
};
GateRun gate_run_of(const RunResult& run);
// Whether the gate counts a run: internal errors and exceeded budgets were not judged.
bool gate_counts(const RunResult& run);

struct GateOptions {
  double tolerance = 0.10;  // a change above this (0.10: 10%) that is also significant fails
  ComparisonOptions comparison;
};

// What the sweeps were, for the report.
struct GateSubject {
  std::string baseline_path;
  std::string baseline_description;  // "raft-leader-crash (raft) seeds 1..2000"
};

struct GateRow {
  FigureComparison comparison;
  bool regression = false;
};

struct GateResult {
  GateSubject subject;
  GateOptions options;
  std::vector<GateRow> rows;  // recovery p50, recovery p99, elections per fault, messages per election
  bool paired = false;
  size_t seeds_baseline = 0;
  size_t seeds_now = 0;
  bool regression() const;
};

// Both lists in ascending seed order.
GateResult run_gate(const std::vector<GateRun>& baseline, const std::vector<GateRun>& now,
                    const GateSubject& subject, const GateOptions& options);

// The table for people, ending with the verdict line.
std::string gate_to_text(const GateResult& result);
// One line: "regression gate: pass against FILE ..." or "regression gate: REGRESSION ...".
std::string gate_verdict_line(const GateResult& result);
// The sweep JSON's `regression` object.
nlohmann::ordered_json gate_to_json(const GateResult& result);

}  // namespace electsim::reports
