#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/checks/support_checks.h"
#include "sim/trace_records.h"

namespace electsim::sim::checks {

FollowsAClaimedLeader::FollowsAClaimedLeader(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)),
      groups_(topology_->groups()),
      last_claim_(topology_->processes()),
      remembered_per_group_(std::max(kMinRememberedClaimsPerGroup,
                                     kMaxRememberedClaims / std::max<size_t>(1, groups_.size()))) {
}

KindMask FollowsAClaimedLeader::kinds() const {
  return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kFollows);
}

void FollowsAClaimedLeader::on_record(const TraceRecord& record) {
  if (record.kind == RecordKind::kBecameLeader) {
    note_claim(record);
  } else {
    judge_follower(record);
  }
}

void FollowsAClaimedLeader::note_claim(const TraceRecord& record) {
  const LeaderElected elected = record.as<LeaderElected>();
  SIM_CHECK_LT(elected.process, last_claim_.size(), "leader outside the layout");
  last_claim_[elected.process] = LastClaim{true, elected.epoch, record.time};
  const GroupId group_id = topology_->group_of(elected.process);
  if (group_id == kNoGroup) return;
  GroupClaims& group = groups_[group_id];
  std::vector<NodeId>& leaders = group.claims[elected.epoch];
  if (std::find(leaders.begin(), leaders.end(), elected.process) == leaders.end()) {
    leaders.push_back(elected.process);
  }
  if (group.claims.size() > remembered_per_group_) {
    group.forgot_any = true;
    group.forgotten_below = group.claims.begin()->first;
    group.claims.erase(group.claims.begin());
  }
}

void FollowsAClaimedLeader::judge_follower(const TraceRecord& record) {
  const FollowsLeader follows = record.as<FollowsLeader>();
  SIM_CHECK_LT(follows.leader, last_claim_.size(), "a follower of a process outside the layout");
  const GroupId group_id = topology_->group_of(follows.process);
  if (group_id == kNoGroup) return;
  const GroupClaims& group = groups_[group_id];
  if (group.forgot_any && follows.epoch <= group.forgotten_below) {
    ++unjudged_follows_;
    return;
  }
  const auto it = group.claims.find(follows.epoch);
  if (it != group.claims.end() &&
      std::find(it->second.begin(), it->second.end(), follows.leader) != it->second.end()) {
    return;
  }
  const LastClaim& last = last_claim_[follows.leader];
  const std::string leader = topology_->process_name(follows.leader);
  const std::string instead =
      last.any ? absl::StrCat(" (its latest claim: epoch ", last.epoch, " at ",
                              format_instant_readable(last.time), ")")
               : " (it never claimed any)";
  Violation violation{
      "follows_a_claimed_leader", CheckKind::kAlways, record.time,
      {follows.process, follows.leader}, follows.epoch,
      absl::StrCat(topology_->process_name(follows.process), " followed ", leader, " in epoch ",
                   follows.epoch, " at ", format_instant_readable(record.time), ", but ", leader,
                   " had not become leader of that epoch", instead)};
  violation.group = group_id;
  violations_.add(std::move(violation));
}

void FollowsAClaimedLeader::collect(CheckResults& results) const {
  violations_.append_to(results);
}

}  // namespace electsim::sim::checks
