#include <algorithm>
#include <memory>
#include <vector>

#include "sim/checks/check_base.h"
#include "sim/checks/checks.h"
#include "sim/checks/fencing_checks.h"
#include "sim/checks/goals.h"
#include "sim/checks/group_figures.h"
#include "sim/checks/leadership_checks.h"
#include "sim/checks/recovery_check.h"
#include "sim/checks/support_checks.h"
#include "sim/checks/topology.h"
#include "sim/checks/transitions.h"

namespace electsim::sim::checks {

struct CheckSuite::Impl {
  std::vector<std::unique_ptr<Check>> checks;
};

namespace {

std::shared_ptr<const Topology> topology_of(const CheckConfig& config) {
  if (config.layout != nullptr) return std::make_shared<const Topology>(config.layout);
  SIM_CHECK(config.nodes > 0, "the checks need a layout or the cluster size");
  return std::make_shared<const Topology>(
      std::make_shared<const Layout>(Layout::single_group(config.nodes)));
}

// The rule exclusive_leadership applies to overlaps. With a resource fencing on or equal-ok, a
// strict overlap alone is no violation: the resource refuses the older leadership's writes, so
// the data stays safe, and any write that got through anyway is no_stale_write_accepted's
// violation (DESIGN.md: strict "unless a fenced resource guards the data"). A bounded rule stays
// a violation whatever the fencing: the bound is the algorithm's own promise (CheckQuorum,
// a lease's length), and breaking it is a bug in the algorithm even where no data was harmed.
ExclusivityRule overlap_rule(const CheckConfig& config) {
  const ExclusivityRule rule = effective_exclusivity(config);
  const bool fenced = config.fencing == FencingMode::kOn || config.fencing == FencingMode::kEqualOk;
  if (rule == ExclusivityRule::kStrict && fenced) return ExclusivityRule::kUntilSuperseded;
  return rule;
}

void add_fencing_checks(const CheckConfig& config, const std::shared_ptr<const Topology>& topology,
                        std::vector<std::unique_ptr<Check>>& checks) {
  // A profile whose token is "none" hands out no fencing token (a TTL lock without a counter,
  // algorithms/ttl_lock/): its leaders all write with token 0, so tokens can neither increase
  // nor differ, and the token checks do not apply.
  if (config.profile.token != "none") {
    checks.push_back(std::make_unique<TokensIncrease>(topology));
    checks.push_back(std::make_unique<UniqueTokens>(topology));
  }
  if (!config.fencing) return;  // no resource: nothing writes
  if (*config.fencing != FencingMode::kOff) {
    checks.push_back(std::make_unique<ResourceNeverGoesBack>(topology, *config.fencing));
  }
  checks.push_back(std::make_unique<NoStaleWriteAccepted>(topology));
  checks.push_back(std::make_unique<WritesOnlyWhileLeading>(topology));
}

// The checks on support and logs (issues 10 and 14). leader_had_a_quorum judges only algorithms
// that count a majority of their group and say so by reporting support (profile.reports_support);
// follows_a_claimed_leader every algorithm but the service-based ones, whose followers read the
// winner from the service, possibly before the winner has heard its own grant.
void add_support_checks(const CheckConfig& config, const std::shared_ptr<const Topology>& topology,
                        std::vector<std::unique_ptr<Check>>& checks) {
  checks.push_back(std::make_unique<LeaderCompleteness>(topology));
  checks.push_back(std::make_unique<OneVotePerEpoch>(topology));
  checks.push_back(std::make_unique<PromisesNeverGoBackwards>(topology));
  if (config.profile.progress == ProgressModel::kGroupMajority && config.profile.reports_support) {
    checks.push_back(std::make_unique<LeaderHadAQuorum>(topology));
  }
  if (config.profile.progress != ProgressModel::kServiceReachable) {
    checks.push_back(std::make_unique<FollowsAClaimedLeader>(topology));
  }
}

}  // namespace

ExclusivityRule effective_exclusivity(const CheckConfig& config) {
  ExclusivityRule rule = config.profile.exclusivity;
  if (config.exclusive) rule = std::max(rule, *config.exclusive);
  if (config.overlaps_are_violations) rule = ExclusivityRule::kStrict;
  return rule;
}

CheckSuite::CheckSuite(const CheckConfig& config) : impl_(std::make_unique<Impl>()) {
  const std::shared_ptr<const Topology> topology = topology_of(config);
  auto& checks = impl_->checks;
  checks.push_back(std::make_unique<OneLeaderPerEpoch>(topology));
  checks.push_back(std::make_unique<ExclusiveLeadership>(
      topology, overlap_rule(config),
      config.profile.exclusivity_bound + config.max_one_way_delay, config.profile.bound_formula,
      config.initial_clocks));
  checks.push_back(std::make_unique<EpochsNeverGoBackwards>(topology));
  checks.push_back(std::make_unique<LeaderTransitions>(topology));
  add_fencing_checks(config, topology, checks);
  add_support_checks(config, topology, checks);
  if (config.recovery_within) {
    auto recovery = std::make_unique<RecoveryCheck>(topology, config.profile.progress,
                                                    *config.recovery_within,
                                                    config.recovery_counts_all_up, "recovery",
                                                    true, config.recovery_judged_from);
    recovery->set_fault_labels(config.fault_labels);
    checks.push_back(std::move(recovery));
  }
  if (config.stable_leader_within) {
    auto stable = std::make_unique<RecoveryCheck>(
        topology, config.profile.progress, *config.stable_leader_within, config.recovery_counts_all_up, "stable_leader",
        !config.recovery_within.has_value(), Instant::zero());
    stable->set_fault_labels(config.fault_labels);
    checks.push_back(std::move(stable));
  }
  if (!topology->single_group()) {
    // With several groups the run also reports the group figures; single-group runs read as
    // before.
    auto figures = std::make_unique<GroupFiguresObserver>(topology);
    for (const auto& check : checks) {
      const auto* recovery = dynamic_cast<const RecoveryCheck*>(check.get());
      if (recovery != nullptr && recovery->records_times()) {
        figures->set_recoveries(&recovery->group_recoveries());
      }
    }
    checks.push_back(std::move(figures));
  }
  if (!config.sometimes.empty()) {
    checks.push_back(std::make_unique<SometimesGoals>(topology, config.sometimes));
  }
}

CheckSuite::~CheckSuite() = default;

void CheckSuite::attach(Trace& trace) {
  for (const auto& check : impl_->checks) trace.add_observer(check.get(), check->kinds());
}

void CheckSuite::set_violation_observer(ViolationObserver* observer) {
  for (const auto& check : impl_->checks) check->set_violation_observer(observer);
}

CheckResults CheckSuite::results() const {
  CheckResults results;
  for (const auto& check : impl_->checks) check->collect(results);
  // Stable sorts: checks add their findings in time order, ties keep the catalogue's order.
  std::stable_sort(results.violations.begin(), results.violations.end(),
                   [](const Violation& a, const Violation& b) { return a.time < b.time; });
  std::stable_sort(results.overlaps.begin(), results.overlaps.end(),
                   [](const Overlap& a, const Overlap& b) { return a.start < b.start; });
  return results;
}

bool CheckResults::safety_violated() const {
  return std::any_of(violations.begin(), violations.end(),
                     [](const Violation& v) { return v.kind == CheckKind::kAlways; });
}

bool CheckResults::liveness_violated() const {
  return !goals_missed.empty() ||
         std::any_of(violations.begin(), violations.end(),
                     [](const Violation& v) { return v.kind != CheckKind::kAlways; });
}

}  // namespace electsim::sim::checks
