#include "reports/sweep_summary.h"

#include <algorithm>

namespace electsim::reports {

Percentiles percentiles(std::vector<sim::Duration> values) {
  Percentiles result;
  result.count = values.size();
  if (values.empty()) return result;
  std::sort(values.begin(), values.end());
  auto rank = [&](uint64_t percent) {
    // Nearest rank: the smallest value with at least `percent`% of the values at or below it.
    const uint64_t n = values.size();
    const uint64_t index = (percent * n + 99) / 100;
    return values[std::max<uint64_t>(index, 1) - 1];
  };
  result.p50 = rank(50);
  result.p90 = rank(90);
  result.p99 = rank(99);
  result.max = values.back();
  return result;
}

SweepSummary summarize(const std::vector<RunResult>& runs, uint64_t seed_first,
                       uint64_t seed_last) {
  SweepSummary summary;
  summary.seed_first = seed_first;
  summary.seed_last = seed_last;
  std::vector<sim::Duration> recovery;
  for (const RunResult& run : runs) {
    if (summary.scenario.empty()) {
      summary.scenario = run.scenario;
      summary.algorithm = run.algorithm;
    }
    if (run.verdict == Verdict::kPass) {
      ++summary.passed;
    } else {
      ++summary.failed;
      summary.failing_seeds.push_back(run.seed);
      if (run.verdict == Verdict::kSafetyViolation) ++summary.safety_failures;
      if (run.verdict == Verdict::kLivenessViolation) ++summary.liveness_failures;
    }
    recovery.insert(recovery.end(), run.checks.recovery.begin(), run.checks.recovery.end());
    summary.leader_changes += run.checks.leader_changes;
    summary.messages_delivered += run.messages_delivered;
    summary.events += run.events;
  }
  summary.recovery = percentiles(std::move(recovery));
  return summary;
}

Verdict sweep_verdict(const SweepSummary& summary) {
  if (summary.safety_failures > 0) return Verdict::kSafetyViolation;
  if (summary.liveness_failures > 0) return Verdict::kLivenessViolation;
  // Any other failure is a run its budget stopped (exit 65): not a pass.
  if (summary.failed > 0) return Verdict::kBudgetExceeded;
  return Verdict::kPass;
}

}  // namespace electsim::reports
