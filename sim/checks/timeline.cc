#include "sim/checks/timeline.h"

#include "absl/strings/str_cat.h"

namespace electsim::sim::checks {

KindMask LeadershipTimeline::kinds() {
  return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kSteppedDown) |
         mask_of(RecordKind::kCrash) | mask_of(RecordKind::kRestart);
}

void LeadershipTimeline::on_record(const TraceRecord& record) {
  Entry entry{record.time, record.node};
  switch (record.kind) {
    case RecordKind::kBecameLeader:
      entry.event = Event::kBecameLeader;
      entry.epoch = record.a;
      break;
    case RecordKind::kSteppedDown:
      entry.event = Event::kSteppedDown;
      entry.reason = static_cast<StepDownReason>(record.a);
      entry.epoch = record.b;
      break;
    case RecordKind::kCrash:
      entry.event = Event::kCrashed;
      break;
    case RecordKind::kRestart:
      entry.event = Event::kRestarted;
      entry.amnesia = record.a == 1;
      break;
    default:
      return;
  }
  if (entries_.size() < limit_) {
    entries_.push_back(entry);
  } else {
    ++more_;
  }
}

std::string LeadershipTimeline::describe(const Entry& entry) {
  return absl::StrCat(format_instant(entry.time), "  ", describe_event(entry));
}

std::string LeadershipTimeline::describe_event(const Entry& entry) {
  std::string text = absl::StrCat("n", static_cast<uint64_t>(entry.node) + 1, " ");
  switch (entry.event) {
    case Event::kBecameLeader:
      absl::StrAppend(&text, "became leader of epoch ", entry.epoch);
      break;
    case Event::kSteppedDown:
      absl::StrAppend(&text, "stepped down (", std::string(step_down_reason_name(entry.reason)),
                      ")");
      break;
    case Event::kCrashed:
      absl::StrAppend(&text, "crashed");
      break;
    case Event::kRestarted:
      absl::StrAppend(&text, entry.amnesia ? "restarted with nothing (amnesia)" : "restarted");
      break;
  }
  return text;
}

std::string LeadershipTimeline::to_text() const {
  std::string text;
  for (const Entry& entry : entries_) absl::StrAppend(&text, describe(entry), "\n");
  if (more_ > 0) absl::StrAppend(&text, "... and ", more_, " more\n");
  return text;
}

}  // namespace electsim::sim::checks
