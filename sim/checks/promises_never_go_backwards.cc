#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/checks/support_checks.h"
#include "sim/trace_records.h"

namespace electsim::sim::checks {

PromisesNeverGoBackwards::PromisesNeverGoBackwards(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)),
      processes_(topology_->processes()),
      amnesia_(*topology_) {}

KindMask PromisesNeverGoBackwards::kinds() const {
  return mask_of(RecordKind::kSupported) | mask_of(RecordKind::kRestart);
}

void PromisesNeverGoBackwards::on_record(const TraceRecord& record) {
  if (record.kind == RecordKind::kRestart) {
    amnesia_.note(*topology_, record);
    return;
  }
  const SupportGiven support = record.as<SupportGiven>();
  const bool promise = support.support == SupportKind::kPromise;
  if (!promise && support.support != SupportKind::kAccept) return;
  SIM_CHECK_LT(support.process, processes_.size(), "support from a process outside the layout");
  Promised& promised = processes_[support.process];
  if (!promised.any || support.epoch >= promised.ballot) {
    if (promise) promised = Promised{true, support.epoch, support.candidate, record.time, false};
    if (support.epoch == promised.ballot) promised.behind = false;
    return;
  }
  if (promised.behind) return;  // this fall was reported already
  promised.behind = true;
  Violation violation{
      "promises_never_go_backwards", CheckKind::kAlways, record.time,
      {support.process, support.candidate}, support.epoch,
      absl::StrCat(topology_->process_name(support.process), " gave ",
                   std::string(support_kind_name(support.support)), " for ballot ",
                   support.epoch, " to ",
                   topology_->process_name(support.candidate), " at ",
                   format_instant_readable(record.time), ", after promising ballot ",
                   promised.ballot, " to ", topology_->process_name(promised.candidate), " at ",
                   format_instant_readable(promised.time),
                   amnesia_.since(support.process, promised.time))};
  violation.group = support.group;
  violations_.add(std::move(violation));
}

void PromisesNeverGoBackwards::collect(CheckResults& results) const {
  violations_.append_to(results);
}

}  // namespace electsim::sim::checks
