#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/checks/leadership_checks.h"

namespace electsim::sim::checks {

EpochsNeverGoBackwards::EpochsNeverGoBackwards(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)), nodes_(topology_->processes()) {}

KindMask EpochsNeverGoBackwards::kinds() const {
  return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kFollows) |
         mask_of(RecordKind::kRestart);
}

void EpochsNeverGoBackwards::note_restart(NodeId process, const TraceRecord& record) {
  NodeEpochs& node = nodes_[process];
  if (record.a == 1 && !node.amnesia_since_highest) {
    node.amnesia_since_highest = true;
    node.amnesia_at = record.time;
  }
}

void EpochsNeverGoBackwards::on_record(const TraceRecord& record) {
  if (record.kind == RecordKind::kRestart) {  // a host record: every process of the host
    SIM_CHECK_LT(record.node, topology_->hosts(), "restart of a host outside the layout");
    for (ProcessId process : topology_->on_host(record.node)) note_restart(process, record);
    return;
  }
  SIM_CHECK_LT(record.node, nodes_.size(), "trace record for a process outside the layout");
  NodeEpochs& node = nodes_[record.node];
  const uint64_t epoch = record.a;
  if (!node.seen || epoch >= node.highest) {
    if (!node.seen || epoch > node.highest) node.highest_at = record.time;
    node.seen = true;
    node.highest = epoch;
    node.behind = false;
    node.amnesia_since_highest = false;
    return;
  }
  if (node.behind) return;  // this fall was reported already
  node.behind = true;
  const std::string what =
      record.kind == RecordKind::kBecameLeader
          ? absl::StrCat("became leader of epoch ", epoch)
          : absl::StrCat("followed ", topology_->process_name(record.peer), " in epoch ", epoch);
  const std::string why =
      node.amnesia_since_highest
          ? absl::StrCat("; it lost its durable state in an amnesia restart at ",
                         format_instant_readable(node.amnesia_at))
          : "";
  Violation violation{"epochs_never_go_backwards", CheckKind::kAlways, record.time,
                      {record.node}, epoch,
                      absl::StrCat(topology_->process_name(record.node), " ", what, " at ",
                                   format_instant_readable(record.time), " after epoch ",
                                   node.highest, " at ", format_instant_readable(node.highest_at),
                                   why)};
  violation.group = topology_->group_of(record.node);
  violations_.add(std::move(violation));
}

void EpochsNeverGoBackwards::collect(CheckResults& results) const {
  violations_.append_to(results);
}

}  // namespace electsim::sim::checks
