#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/checks/support_checks.h"
#include "sim/trace_records.h"

namespace electsim::sim::checks {

OneVotePerEpoch::OneVotePerEpoch(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)),
      processes_(topology_->processes()),
      amnesia_(*topology_) {}

KindMask OneVotePerEpoch::kinds() const {
  return mask_of(RecordKind::kSupported) | mask_of(RecordKind::kRestart);
}

void OneVotePerEpoch::on_record(const TraceRecord& record) {
  if (record.kind == RecordKind::kRestart) {
    amnesia_.note(*topology_, record);
    return;
  }
  const SupportGiven support = record.as<SupportGiven>();
  if (!is_binding(support.support)) return;
  SIM_CHECK_LT(support.process, processes_.size(), "support from a process outside the layout");
  ProcessVotes& votes = processes_[support.process];
  if (votes.forgot_any && support.epoch <= votes.forgotten_below) return;  // too old to judge
  auto [it, inserted] = votes.by_epoch.try_emplace(
      support.epoch, Vote{support.candidate, record.time, support.support, false});
  if (!inserted && it->second.candidate != support.candidate) judge(record, it->second);
  if (votes.by_epoch.size() > kRememberedEpochsPerProcess) {
    votes.forgot_any = true;
    votes.forgotten_below = votes.by_epoch.begin()->first;
    votes.by_epoch.erase(votes.by_epoch.begin());
  }
}

// A second candidate for an epoch: reported once per epoch and process.
void OneVotePerEpoch::judge(const TraceRecord& record, Vote& first) {
  if (first.reported) return;
  first.reported = true;
  const SupportGiven support = record.as<SupportGiven>();
  const std::string giver = topology_->process_name(support.process);
  Violation violation{
      "one_vote_per_epoch", CheckKind::kAlways, record.time,
      {support.process, first.candidate, support.candidate}, support.epoch,
      absl::StrCat(giver, " gave ", std::string(support_kind_name(support.support)),
                   " for epoch ", support.epoch, " to ",
                   topology_->process_name(support.candidate), " at ",
                   format_instant_readable(record.time), ", but had given ",
                   std::string(support_kind_name(first.kind)), " for that epoch to ",
                   topology_->process_name(first.candidate), " at ",
                   format_instant_readable(first.time),
                   amnesia_.since(support.process, first.time))};
  violation.group = support.group;
  violations_.add(std::move(violation));
}

void OneVotePerEpoch::collect(CheckResults& results) const { violations_.append_to(results); }

}  // namespace electsim::sim::checks
