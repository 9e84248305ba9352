#include "reports/sweep_summary.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/check.h"

namespace electsim::reports {

SweepSummary::SweepSummary(std::string scenario, std::string algorithm,
                           std::vector<std::string> overrides, uint64_t requested_first,
                           uint64_t requested_last)
    : scenario_(std::move(scenario)),
      algorithm_(std::move(algorithm)),
      overrides_(std::move(overrides)),
      requested_first_(requested_first),
      requested_last_(requested_last),
      seed_first_(requested_first) {
  SIM_CHECK_LE(requested_first, requested_last, "a sweep's seed range runs forwards");
}

void SweepSummary::set_shard(uint64_t first_seed, uint64_t stride, std::string label) {
  SIM_CHECK(!seed_last_, "a shard is chosen before any run is added");
  SIM_CHECK_GE(stride, 1u, "a shard's seeds are at least one apart");
  seed_first_ = first_seed;
  stride_ = stride;
  shard_ = std::move(label);
}

void SweepSummary::add(const RunResult& run) {
  const uint64_t expected = seed_last_ ? *seed_last_ + stride_ : seed_first_;
  SIM_CHECK_EQ(run.seed, expected, "sweep runs are summarized in seed order, without gaps");
  SIM_CHECK(!seed_last_ || requested_last_ - *seed_last_ >= stride_,
            "a run past the requested range");
  seed_last_ = run.seed;
  if (run.verdict == Verdict::kPass) {
    ++passed_;
  } else {
    add_failure(run);
  }
  for (sim::Duration recovery : run.checks.recovery) recovery_.add(recovery);
  recovery_.add_unrecovered(run.checks.unrecovered);
  leader_changes_ += run.checks.leader_changes;
  messages_delivered_ += run.messages_delivered;
  events_ += run.events;
  add_writes(run);
  add_alerts(run);
}

// A resumed or merged sweep reads the same figures back from each run's JSON (alerts_fired), so
// the tally is the same however the sweep was run.
void SweepSummary::add_alerts(const RunResult& run) {
  if (!run.leadership) return;
  const auto tally = [](AlertTally& into, uint64_t fired) {
    into.ruled = true;
    into.fired += fired;
    if (fired > 0) ++into.seeds;
  };
  if (run.alert_rules.leader_changes) {
    tally(leader_changes_alerts_, run.leadership->leader_changes_fired);
  }
  if (run.alert_rules.leaderless_longer_than) {
    tally(leaderless_alerts_, run.leadership->leaderless_fired);
  }
}

void SweepSummary::add_writes(const RunResult& run) {
  if (!run.checks.writes) return;
  writes_measured_ = true;
  writes_accepted_ += run.checks.writes->accepted;
  const uint64_t damage = run.checks.writes->stale_writes_accepted;
  if (damage == 0) return;
  stale_writes_accepted_ += damage;
  ++damaged_seed_count_;
  if (damaged_seeds_.size() < kMaxDamagedSeeds) damaged_seeds_.push_back(run.seed);
}

void SweepSummary::add_failure(const RunResult& run) {
  ++failed_;
  switch (run.verdict) {
    case Verdict::kSafetyViolation: ++safety_failures_; break;
    case Verdict::kLivenessViolation: ++liveness_failures_; break;
    case Verdict::kInternalError: ++internal_errors_; break;
    case Verdict::kBudgetExceeded: ++budget_exceeded_; break;
    case Verdict::kPass: break;
  }
  if (failing_seeds_.size() < kMaxFailingSeeds) failing_seeds_.push_back(run.seed);
  if (failure_notes_.size() < kMaxFailureNotes) {
    const bool has_violation = !run.checks.violations.empty();
    const sim::Instant time = has_violation && run.error.empty()
                                  ? run.checks.violations.front().time
                                  : run.error_time;
    failure_notes_.push_back(
        FailureNote{run.seed, run.verdict, failure_text(run), time, run.reproduce});
  }
}

Verdict sweep_verdict(const SweepSummary& summary) {
  if (summary.internal_errors() > 0) return Verdict::kInternalError;
  if (summary.safety_failures() > 0) return Verdict::kSafetyViolation;
  if (summary.liveness_failures() > 0) return Verdict::kLivenessViolation;
  if (summary.budget_exceeded() > 0) return Verdict::kBudgetExceeded;
  return Verdict::kPass;
}

std::string failure_text(const RunResult& run) {
  if (!run.error.empty()) return run.error;
  if (run.checks.violations.empty()) return "";
  const auto& first = run.checks.violations.front();
  return absl::StrCat(first.check, ": ", first.detail);
}

}  // namespace electsim::reports
