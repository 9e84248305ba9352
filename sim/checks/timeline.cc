#include "sim/checks/timeline.h"

#include "absl/strings/str_cat.h"
#include "sim/check.h"
#include "sim/trace_records.h"

namespace electsim::sim::checks {
namespace {

// Process faults (crash, restart, pause) already show on the timeline as the crash, restart
// and pause records they cause; listing their start as well would say everything twice.
bool is_process_fault(uint64_t code) {
  return code == static_cast<uint64_t>(FaultCode::kCrash) ||
         code == static_cast<uint64_t>(FaultCode::kAmnesiaCrash) ||
         code == static_cast<uint64_t>(FaultCode::kRestart) ||
         code == static_cast<uint64_t>(FaultCode::kPause);
}

}  // namespace

KindMask LeadershipTimeline::kinds() {
  return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kSteppedDown) |
         mask_of(RecordKind::kCrash) | mask_of(RecordKind::kRestart) |
         mask_of(RecordKind::kPause) | mask_of(RecordKind::kResume) |
         mask_of(RecordKind::kFaultStart) | mask_of(RecordKind::kFaultEnd) |
         mask_of(RecordKind::kResourceWrite);
}

bool LeadershipTimeline::make_write_entry(const TraceRecord& record, Entry* entry) {
  const ResourceWritten write = record.as<ResourceWritten>();
  *entry = Entry{record.time, write.writer};
  entry->epoch = write.epoch;
  entry->token = write.token;
  if (!write.accepted) {
    if (refused_writer_ == write.writer && refused_epoch_ == write.epoch) return false;
    refused_writer_ = write.writer;
    refused_epoch_ = write.epoch;
    entry->event = Event::kWriteRefused;
    return true;
  }
  if (stale_writer_ != write.writer || stale_time_ != record.time) return false;
  stale_writer_ = kNoNode;
  entry->event = Event::kStaleWriteAccepted;
  return true;
}

bool LeadershipTimeline::make_entry(const TraceRecord& record, Entry* entry) {
  *entry = Entry{record.time, record.node};
  switch (record.kind) {
    case RecordKind::kBecameLeader:
      entry->event = Event::kBecameLeader;
      entry->epoch = record.a;
      return true;
    case RecordKind::kSteppedDown:
      entry->event = Event::kSteppedDown;
      entry->reason = static_cast<StepDownReason>(record.a);
      entry->epoch = record.b;
      return true;
    case RecordKind::kCrash:
      entry->event = Event::kCrashed;
      return true;
    case RecordKind::kRestart:
      entry->event = Event::kRestarted;
      entry->amnesia = record.a == 1;
      return true;
    case RecordKind::kPause:
      entry->event = Event::kPaused;
      return true;
    case RecordKind::kResume:
      entry->event = Event::kResumed;
      return true;
    case RecordKind::kFaultStart:
    case RecordKind::kFaultEnd:
      if (is_process_fault(record.b)) return false;
      entry->event = record.kind == RecordKind::kFaultStart ? Event::kFaultStarted
                                                            : Event::kFaultEnded;
      entry->fault_index = record.a;
      entry->fault_code = record.b;
      return true;
    default:
      return false;
  }
}

void LeadershipTimeline::on_record(const TraceRecord& record) {
  Entry entry;
  const bool marked = record.kind == RecordKind::kResourceWrite ? make_write_entry(record, &entry)
                                                                : make_entry(record, &entry);
  if (!marked) return;
  entry.position = seen_++;
  if (entry.position < limit_) {
    // A violation inside the head is shown by the head itself; its window ends as usual.
    keep(entry);
    if (keep_after_ > 0) --keep_after_;
  } else if (keep_after_ > 0) {
    --keep_after_;
    keep(entry);
  } else {
    recent_.push_back(entry);
    if (recent_.size() > kWindowBefore) recent_.pop_front();
  }
}

void LeadershipTimeline::on_violation(const Violation& violation) {
  if (violation.check == "no_stale_write_accepted" && !violation.nodes.empty()) {
    stale_writer_ = violation.nodes.front();
    stale_time_ = violation.time;
  }
  if (windows_ == kMaxWindows) {
    ++windows_dropped_;
    return;
  }
  ++windows_;
  // The recent entries are all later than every kept one (they were not kept because no window
  // was open), so appending them keeps the list in position order.
  for (const Entry& entry : recent_) keep(entry);
  recent_.clear();
  keep_after_ = kWindowAfter;
}

void LeadershipTimeline::keep(const Entry& entry) {
  SIM_CHECK(entries_.empty() || entries_.back().position < entry.position,
            "timeline entries must be kept in position order");
  entries_.push_back(entry);
}

std::string LeadershipTimeline::describe(const Entry& entry, const Layout* layout) {
  return absl::StrCat(format_instant(entry.time), "  ", describe_event(entry, layout));
}

namespace {

// Crashes, restarts and pauses happen to hosts; the rest to processes (sim/trace.h).
bool names_a_host(LeadershipTimeline::Event event) {
  using Event = LeadershipTimeline::Event;
  return event == Event::kCrashed || event == Event::kRestarted || event == Event::kPaused ||
         event == Event::kResumed;
}

std::string entry_subject(const LeadershipTimeline::Entry& entry, const Layout* layout) {
  if (layout == nullptr || layout->is_single_group()) {
    return absl::StrCat("n", static_cast<uint64_t>(entry.node) + 1);
  }
  if (names_a_host(entry.event)) {
    return entry.node < layout->hosts() ? layout->host_name(entry.node)
                                        : absl::StrCat("host ", entry.node);
  }
  return entry.node < layout->processes() ? layout->process_name(entry.node)
                                          : absl::StrCat("process ", entry.node);
}

}  // namespace

std::string LeadershipTimeline::describe_event(const Entry& entry, const Layout* layout) {
  if (entry.event == Event::kFaultStarted || entry.event == Event::kFaultEnded) {
    return absl::StrCat("fault #", entry.fault_index, " (", fault_code_name(entry.fault_code),
                        entry.event == Event::kFaultStarted ? ") started" : ") ended");
  }
  std::string text = absl::StrCat(entry_subject(entry, layout), " ");
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
    case Event::kPaused:
      absl::StrAppend(&text, "paused");
      break;
    case Event::kResumed:
      absl::StrAppend(&text, "resumed");
      break;
    case Event::kWriteRefused:
      absl::StrAppend(&text, "wrote with token ", entry.token, " (epoch ", entry.epoch,
                      "): refused by the resource");
      break;
    case Event::kStaleWriteAccepted:
      absl::StrAppend(&text, "wrote with token ", entry.token, " (epoch ", entry.epoch,
                      "): STALE write accepted after a newer leadership's");
      break;
    case Event::kFaultStarted:
    case Event::kFaultEnded:
      break;  // handled above
  }
  return text;
}

std::string LeadershipTimeline::to_text() const {
  std::string text;
  uint64_t next = 0;
  for (const Entry& entry : entries_) {
    if (entry.position > next) {
      absl::StrAppend(&text, "... ", entry.position - next, " entries omitted ...\n");
    }
    absl::StrAppend(&text, describe(entry), "\n");
    next = entry.position + 1;
  }
  if (seen_ > next) absl::StrAppend(&text, "... and ", seen_ - next, " more\n");
  return text;
}

}  // namespace electsim::sim::checks
