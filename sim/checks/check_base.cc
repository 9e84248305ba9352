#include "sim/checks/check_base.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace electsim::sim::checks {

void ViolationList::add(Violation violation) {
  if (observer_ != nullptr) observer_->on_violation(violation);
  if (kept_.size() < kMaxViolationsPerCheck) {
    kept_.push_back(std::move(violation));
  } else {
    ++dropped_;
  }
}

void ViolationList::append_to(CheckResults& results) const {
  results.violations.insert(results.violations.end(), kept_.begin(), kept_.end());
  results.violations_dropped += dropped_;
}

std::string node_name(NodeId node) {
  if (node == kNoNode) return "no node";
  return absl::StrCat("n", static_cast<uint64_t>(node) + 1);
}

std::string node_names(std::span<const NodeId> nodes) {
  std::string text;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (i > 0) text += (i + 1 == nodes.size()) ? " and " : ", ";
    text += node_name(nodes[i]);
  }
  return text;
}

KindMask fault_event_kinds() {
  return mask_of(RecordKind::kFaultStart) | mask_of(RecordKind::kFaultEnd) |
         mask_of(RecordKind::kCrash) | mask_of(RecordKind::kRestart) |
         mask_of(RecordKind::kPause) | mask_of(RecordKind::kResume) |
         mask_of(RecordKind::kLinkChange) | mask_of(RecordKind::kClockChange);
}

bool is_fault_event(const TraceRecord& record) {
  if ((fault_event_kinds() & mask_of(record.kind)) == 0) return false;
  return !(record.kind == RecordKind::kClockChange && record.time == Instant::zero());
}

namespace {

// "partition bridge n3 (fault #3)" with a label, else "fault #3 (partition)".
std::string fault_name(const TraceRecord& record, const std::vector<std::string>& fault_labels) {
  if (record.a < fault_labels.size() && !fault_labels[record.a].empty()) {
    return absl::StrCat(fault_labels[record.a], " (fault #", record.a, ")");
  }
  return absl::StrCat("fault #", record.a, " (", fault_code_name(record.b), ")");
}

}  // namespace

std::string describe_fault_event(const TraceRecord& record,
                                 const std::vector<std::string>& fault_labels) {
  const std::string at = absl::StrCat(" at ", format_instant_readable(record.time));
  const std::string node = node_name(record.node);
  // A heal and a resignation act at one instant: they neither start nor end.
  const bool instant = record.b == static_cast<uint64_t>(FaultCode::kHeal) ||
                       record.b == static_cast<uint64_t>(FaultCode::kResign);
  switch (record.kind) {
    case RecordKind::kFaultStart:
    case RecordKind::kFaultEnd:
      if (instant) return absl::StrCat(fault_name(record, fault_labels), at);
      return absl::StrCat(fault_name(record, fault_labels),
                          record.kind == RecordKind::kFaultStart ? " starting" : " ending", at);
    case RecordKind::kCrash:
      return absl::StrCat("the crash of ", node, at);
    case RecordKind::kRestart:
      return absl::StrCat(record.a == 1 ? "the amnesia restart of " : "the restart of ", node, at);
    case RecordKind::kPause:
      return absl::StrCat("the pause of ", node, at);
    case RecordKind::kResume:
      return absl::StrCat("the resumption of ", node, at);
    case RecordKind::kLinkChange:
      return absl::StrCat(record.a == 1 ? "restoring link " : "cutting link ", node, "->",
                          node_name(record.peer), at);
    case RecordKind::kClockChange:
      return absl::StrCat("a clock change on ", node, at);
    default:
      break;
  }
  return absl::StrCat("a ", std::string(record_kind_name(record.kind)), " record", at);
}

}  // namespace electsim::sim::checks
