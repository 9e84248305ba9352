// tokens_increase and unique_tokens (sim/checks/fencing_checks.h).
#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/checks/fencing_checks.h"
#include "sim/trace_records.h"

namespace electsim::sim::checks {
namespace {

size_t remembered_per_group(uint32_t groups) {
  return std::max(kMinRememberedLeadershipsPerGroup,
                  kMaxRememberedLeaderships / std::max<size_t>(1, groups));
}

// The group of a leadership report, checked against the layout.
GroupId group_of_leader(const Topology& topology, NodeId process) {
  SIM_CHECK_LT(process, topology.processes(), "leader outside the layout");
  const GroupId group = topology.group_of(process);
  SIM_CHECK_LT(group, topology.groups(), "a process outside any group reported leadership");
  return group;
}

}  // namespace

TokensIncrease::TokensIncrease(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)),
      groups_(topology_->groups()),
      remembered_per_group_(remembered_per_group(topology_->groups())) {}

void TokensIncrease::on_record(const TraceRecord& record) {
  const LeaderElected elected = record.as<LeaderElected>();
  const GroupId group = group_of_leader(*topology_, elected.process);
  GroupLeaderships& leaderships = groups_[group];
  if (leaderships.forgotten > 0 && elected.epoch <= leaderships.forgotten_below) return;
  const std::pair<uint64_t, NodeId> key{elected.epoch, elected.process};
  const Claim claim{elected.token, record.time};
  if (!leaderships.claims.try_emplace(key, claim).second) return;  // the same leadership again
  judge(group, leaderships, key, claim);
  if (leaderships.claims.size() > remembered_per_group_) {
    leaderships.forgotten_below = leaderships.claims.begin()->first.first;
    leaderships.claims.erase(leaderships.claims.begin());
    ++leaderships.forgotten;
  }
}

// Compares the new leadership with the closest lower epoch and the closest higher one (claims
// of its own epoch are one_leader_per_epoch's business, and unique_tokens' if tokens match).
void TokensIncrease::judge(GroupId group, const GroupLeaderships& leaderships,
                           std::pair<uint64_t, NodeId> key, const Claim& claim) {
  const auto& claims = leaderships.claims;
  const auto first_of_epoch = claims.lower_bound(std::pair<uint64_t, NodeId>{key.first, 0});
  if (first_of_epoch != claims.begin()) {
    const auto lower = std::prev(first_of_epoch);
    if (lower->second.token >= claim.token) report(group, key, claim, lower->first, lower->second);
  }
  const auto higher = claims.upper_bound(std::pair<uint64_t, NodeId>{key.first, kNoNode});
  if (higher != claims.end() && higher->second.token <= claim.token) {
    report(group, key, claim, higher->first, higher->second);
  }
}

void TokensIncrease::report(GroupId group, std::pair<uint64_t, NodeId> key, const Claim& claim,
                            std::pair<uint64_t, NodeId> other_key, const Claim& other) {
  Violation violation{
      "tokens_increase", CheckKind::kAlways, claim.time, {key.second, other_key.second},
      std::max(key.first, other_key.first),
      absl::StrCat(topology_->process_name(key.second), " became leader of epoch ", key.first,
                   " with token ", claim.token, " at ", format_instant_readable(claim.time),
                   ", but ", topology_->process_name(other_key.second), " led epoch ",
                   other_key.first, " with token ", other.token, " (since ",
                   format_instant_readable(other.time),
                   "): a higher epoch must carry a higher token")};
  violation.group = group;
  violations_.add(std::move(violation));
}

void TokensIncrease::collect(CheckResults& results) const {
  violations_.append_to(results);
  for (GroupId group = 0; group < groups_.size(); ++group) {
    const GroupLeaderships& leaderships = groups_[group];
    if (leaderships.claims.empty()) continue;
    if (results.tokens.size() == kMaxReportedTokenGroups) {
      ++results.token_groups_omitted;
      continue;
    }
    GroupTokens tokens{group, {}, leaderships.forgotten};
    const size_t listed = std::min(leaderships.claims.size(), kMaxReportedTokens);
    tokens.omitted += leaderships.claims.size() - listed;
    auto it = leaderships.claims.begin();
    std::advance(it, leaderships.claims.size() - listed);
    for (; it != leaderships.claims.end(); ++it) tokens.tokens.push_back(it->second.token);
    results.tokens.push_back(std::move(tokens));
  }
}

UniqueTokens::UniqueTokens(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)),
      holders_(topology_->groups()),
      remembered_per_group_(remembered_per_group(topology_->groups())) {}

void UniqueTokens::on_record(const TraceRecord& record) {
  const LeaderElected elected = record.as<LeaderElected>();
  const GroupId group = group_of_leader(*topology_, elected.process);
  auto& holders = holders_[group];
  const LeadershipKey leadership{elected.process, elected.epoch};
  const auto [it, inserted] = holders.try_emplace(elected.token, Holder{leadership, record.time});
  if (!inserted && it->second.leadership != leadership) {
    const Holder& first = it->second;
    Violation violation{
        "unique_tokens", CheckKind::kAlways, record.time, {first.leadership.process,
                                                           elected.process},
        std::max(first.leadership.epoch, elected.epoch),
        absl::StrCat(topology_->process_name(elected.process), " became leader of epoch ",
                     elected.epoch, " with token ", elected.token, " at ",
                     format_instant_readable(record.time), ", the token ",
                     topology_->process_name(first.leadership.process), " already held for epoch ",
                     first.leadership.epoch, " (since ", format_instant_readable(first.time),
                     "): a resource that accepts equal tokens takes both leaders' writes")};
    violation.group = group;
    violations_.add(std::move(violation));
  }
  if (holders.size() > remembered_per_group_) holders.erase(holders.begin());
}

}  // namespace electsim::sim::checks
