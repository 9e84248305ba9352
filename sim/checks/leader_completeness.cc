#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/checks/support_checks.h"
#include "sim/trace_records.h"

namespace electsim::sim::checks {
namespace {

std::string position_text(const LogPosition& position) {
  return absl::StrCat("(epoch ", position.epoch, ", index ", position.index, ")");
}

}  // namespace

LeaderCompleteness::LeaderCompleteness(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)),
      groups_(topology_->groups()),
      epoch_of_(topology_->processes()),
      amnesia_(*topology_),
      remembered_per_group_(std::max(kMinRememberedStepsPerGroup,
                                     kMaxRememberedSteps / std::max<size_t>(1, groups_.size()))) {}

KindMask LeaderCompleteness::kinds() const {
  return mask_of(RecordKind::kCommitted) | mask_of(RecordKind::kLeaderLogEnd) |
         mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kFollows) |
         mask_of(RecordKind::kCrash) | mask_of(RecordKind::kRestart);
}

void LeaderCompleteness::on_record(const TraceRecord& record) {
  switch (record.kind) {
    case RecordKind::kCommitted: return note_commit(record);
    case RecordKind::kLeaderLogEnd: return judge_leader(record);
    case RecordKind::kBecameLeader:
    case RecordKind::kFollows:
      SIM_CHECK_LT(record.node, epoch_of_.size(), "leadership of a process outside the layout");
      epoch_of_[record.node] = record.a;  // both carry the epoch in `a`
      return;
    case RecordKind::kCrash:
      // A restarted process says its epoch again before it commits anything (Raft follows a
      // leader before it learns the leader's commitIndex); until then its epoch is unknown.
      SIM_CHECK_LT(record.node, topology_->hosts(), "crash of a host outside the layout");
      for (ProcessId process : topology_->on_host(record.node)) epoch_of_[process].reset();
      return;
    case RecordKind::kRestart: return amnesia_.note(*topology_, record);
    default: SIM_CHECK(false, "leader_completeness got a record kind it did not ask for");
  }
}

void LeaderCompleteness::note_commit(const TraceRecord& record) {
  const EntryCommitted committed = record.as<EntryCommitted>();
  SIM_CHECK_LT(committed.process, epoch_of_.size(), "a commit by a process outside the layout");
  if (committed.group == kNoGroup) return;
  // The epoch that decided the entry is at most the reporter's own, and at least the entry's.
  const uint64_t epoch = std::max(committed.epoch, epoch_of_[committed.process].value_or(0));
  add_step(groups_[committed.group], epoch,
           Commit{LogPosition{committed.epoch, committed.index}, committed.process, record.time});
}

// Keeps the staircase: a commit no newer than one of a lower or equal epoch adds nothing; a newer
// one replaces the steps above its epoch that it covers.
void LeaderCompleteness::add_step(Staircase& steps, uint64_t epoch, const Commit& commit) const {
  auto above = steps.upper_bound(epoch);
  if (above != steps.begin() && std::prev(above)->second.position >= commit.position) return;
  steps.insert_or_assign(epoch, commit);
  above = steps.upper_bound(epoch);
  while (above != steps.end() && above->second.position <= commit.position) {
    above = steps.erase(above);
  }
  if (steps.size() > remembered_per_group_) steps.erase(steps.begin());
}

void LeaderCompleteness::judge_leader(const TraceRecord& record) {
  const LeaderLogEnd leader = record.as<LeaderLogEnd>();
  if (leader.group == kNoGroup) return;
  const Staircase& steps = groups_[leader.group];
  const auto above = steps.lower_bound(leader.epoch);
  if (above == steps.begin()) return;  // nothing committed in a lower epoch (that it remembers)
  const uint64_t commit_epoch = std::prev(above)->first;
  const Commit& newest = std::prev(above)->second;
  const LogPosition log_end{leader.log_epoch, leader.log_index};
  if (log_end >= newest.position) return;
  Violation violation{
      "leader_completeness", CheckKind::kAlways, record.time, {leader.process, newest.process},
      leader.epoch,
      absl::StrCat(topology_->process_name(leader.process), " became leader of epoch ",
                   leader.epoch, " at ", format_instant_readable(record.time),
                   " with its log ending at ", position_text(log_end),
                   ", so it cannot hold the entry at ", position_text(newest.position), " that ",
                   topology_->process_name(newest.process), " learned was committed at ",
                   format_instant_readable(newest.time), " (in epoch ", commit_epoch, ")",
                   amnesia_note(leader.process, newest.time))};
  violation.group = leader.group;
  violations_.add(std::move(violation));
}

// The likely cause, if there is one: the leader itself lost its log in an amnesia restart since
// the commit, or else some member of its group did (and then voted without the entry).
std::string LeaderCompleteness::amnesia_note(ProcessId leader, Instant committed_at) const {
  const std::string own = amnesia_.since(leader, committed_at);
  if (!own.empty()) return own;
  return amnesia_.latest_among(*topology_, topology_->members(topology_->group_of(leader)));
}

void LeaderCompleteness::collect(CheckResults& results) const { violations_.append_to(results); }

}  // namespace electsim::sim::checks
