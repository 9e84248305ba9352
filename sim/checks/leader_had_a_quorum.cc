#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/checks/support_checks.h"
#include "sim/trace_records.h"

namespace electsim::sim::checks {

LeaderHadAQuorum::LeaderHadAQuorum(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)), candidates_(topology_->processes()) {}

KindMask LeaderHadAQuorum::kinds() const {
  return mask_of(RecordKind::kSupported) | mask_of(RecordKind::kBecameLeader);
}

void LeaderHadAQuorum::on_record(const TraceRecord& record) {
  if (record.kind == RecordKind::kSupported) {
    note_support(record);
  } else {
    judge_leader(record);
  }
}

// Binding support from a member of the candidate's own group; anyone else's does not count
// towards that group's majority (DESIGN.md, "Election groups").
void LeaderHadAQuorum::note_support(const TraceRecord& record) {
  const SupportGiven support = record.as<SupportGiven>();
  if (!is_binding(support.support)) return;
  SIM_CHECK_LT(support.candidate, candidates_.size(), "support for a process outside the layout");
  SIM_CHECK_LT(support.process, topology_->processes(), "support from outside the layout");
  const GroupId group = topology_->group_of(support.candidate);
  if (group == kNoGroup || !topology_->is_member(support.process) ||
      topology_->group_of(support.process) != group) {
    return;
  }
  Supporters& supporters = candidates_[support.candidate];
  auto it = std::find_if(supporters.begin(), supporters.end(),
                         [&](const EpochSupport& each) { return each.epoch == support.epoch; });
  if (it == supporters.end()) {
    if (supporters.size() >= kRememberedEpochsPerCandidate) {
      supporters.erase(std::min_element(
          supporters.begin(), supporters.end(),
          [](const EpochSupport& a, const EpochSupport& b) { return a.epoch < b.epoch; }));
    }
    supporters.push_back(EpochSupport{support.epoch, {}});
    it = supporters.end() - 1;
  }
  if (std::find(it->members.begin(), it->members.end(), support.process) == it->members.end()) {
    it->members.push_back(support.process);
  }
}

void LeaderHadAQuorum::judge_leader(const TraceRecord& record) {
  const LeaderElected elected = record.as<LeaderElected>();
  SIM_CHECK_LT(elected.process, candidates_.size(), "leader outside the layout");
  const GroupId group = topology_->group_of(elected.process);
  // Epoch 0 is the one every member starts in: a leader of it was configured, not elected (VR's
  // initial view, whose primary leads from the start; Liskov & Cowling 2012, section 4). Every
  // election is of a higher epoch (Raft's first term is 1).
  if (group == kNoGroup || elected.epoch == 0) return;
  const size_t group_size = topology_->members(group).size();
  const size_t majority = group_size / 2 + 1;
  const Supporters& supporters = candidates_[elected.process];
  const auto it = std::find_if(supporters.begin(), supporters.end(), [&](const EpochSupport& each) {
    return each.epoch == elected.epoch;
  });
  const std::vector<NodeId> none;
  const std::vector<NodeId>& members = it == supporters.end() ? none : it->members;
  if (members.size() >= majority) return;
  std::vector<NodeId> nodes = {elected.process};
  for (NodeId member : members) {
    if (member != elected.process) nodes.push_back(member);
  }
  const std::string from =
      members.empty() ? "from none" : absl::StrCat("from ", topology_->process_names(members));
  Violation violation{
      "leader_had_a_quorum", CheckKind::kAlways, record.time, nodes, elected.epoch,
      absl::StrCat(topology_->process_name(elected.process), " became leader of epoch ",
                   elected.epoch, " at ", format_instant_readable(record.time),
                   " with binding support for that epoch ", from, ": ", members.size(), " of ",
                   group_size, " members, short of the majority of ", majority)};
  violation.group = group;
  violations_.add(std::move(violation));
}

void LeaderHadAQuorum::collect(CheckResults& results) const { violations_.append_to(results); }

}  // namespace electsim::sim::checks
