#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/checks/leadership_checks.h"

namespace electsim::sim::checks {

OneLeaderPerEpoch::OneLeaderPerEpoch(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)),
      groups_(topology_->groups()),
      remembered_per_group_(std::max(kMinRememberedPerGroup,
                                     kMaxRememberedEpochs / std::max<size_t>(1, groups_.size()))) {}

size_t OneLeaderPerEpoch::remembered_epochs() const {
  size_t total = 0;
  for (const GroupClaims& group : groups_) total += group.claims.size();
  return total;
}

void OneLeaderPerEpoch::on_record(const TraceRecord& record) {
  ++leader_changes_;
  SIM_CHECK_LT(record.node, topology_->processes(), "leader outside the layout");
  const GroupId group_id = topology_->group_of(record.node);
  SIM_CHECK_LT(group_id, groups_.size(), "a process outside any group reported leadership");
  GroupClaims& group = groups_[group_id];
  const uint64_t epoch = record.a;
  if (group.forgot_any && epoch <= group.forgotten_below) {
    ++unjudged_claims_;
    return;
  }
  auto [it, inserted] = group.claims.try_emplace(epoch, Claim{record.node, record.time});
  if (!inserted && it->second.node != record.node) {
    const Claim& first = it->second;
    const std::vector<NodeId> both = {first.node, record.node};
    Violation violation{
        "one_leader_per_epoch", CheckKind::kAlways, record.time, both, epoch,
        absl::StrCat(topology_->process_name(record.node), " became leader of epoch ", epoch,
                     " at ", format_instant_readable(record.time), ", but ",
                     topology_->process_name(first.node), " already led that epoch (since ",
                     format_instant_readable(first.time), ")")};
    violation.group = group_id;
    violations_.add(std::move(violation));
  }
  if (group.claims.size() > remembered_per_group_) {
    group.forgot_any = true;
    group.forgotten_below = group.claims.begin()->first;
    group.claims.erase(group.claims.begin());
  }
}

void OneLeaderPerEpoch::collect(CheckResults& results) const {
  results.leader_changes += leader_changes_;
  violations_.append_to(results);
}

}  // namespace electsim::sim::checks
