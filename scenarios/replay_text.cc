#include "scenarios/replay_text.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "faults/plan.h"
#include "sim/trace_fields.h"
#include "sim/trace_records.h"

namespace electsim::scenarios {
namespace {

// The record kind as a person says it; a resource write says its outcome.
std::string kind_words(const sim::TraceRecord& record) {
  using sim::RecordKind;
  switch (record.kind) {
    case RecordKind::kSend: return "sent";
    case RecordKind::kDeliver: return "delivered";
    case RecordKind::kDrop: return "dropped";
    case RecordKind::kDuplicate: return "duplicated";
    case RecordKind::kTimer: return "timer fired";
    case RecordKind::kCrash: return "host crashed";
    case RecordKind::kRestart: return "host restarted";
    case RecordKind::kPause: return "host paused";
    case RecordKind::kResume: return "host resumed";
    case RecordKind::kClockChange: return "clock changed";
    case RecordKind::kLinkChange: return "link changed";
    case RecordKind::kBecameLeader: return "became leader";
    case RecordKind::kFollows: return "follows";
    case RecordKind::kSteppedDown: return "stepped down";
    case RecordKind::kFaultStart: return "fault started";
    case RecordKind::kFaultEnd: return "fault ended";
    case RecordKind::kResourceWrite: return record.b != 0 ? "write accepted" : "write refused";
    case RecordKind::kPersist: return "persisted";
    case RecordKind::kReady: return "leader ready";
    case RecordKind::kLeaderLost: return "lost its leader";
    case RecordKind::kWriteSent: return "write sent";
    case RecordKind::kCommitted: return "committed";
    case RecordKind::kSupported: return "gave support";
    case RecordKind::kLeaderLogEnd: return "leader log end";
    case RecordKind::kCount: break;
  }
  return std::string(sim::record_kind_name(record.kind));
}

// One field's value in words; empty for a field that adds nothing (the group, which every
// process name already carries when there are several).
std::string field_value(const sim::TraceRecord& record, const sim::FieldInfo& field,
                        const ReplayNames& names) {
  using sim::FieldType;
  const uint64_t word = sim::slot_word(record, field.slot);
  switch (field.type) {
    case FieldType::kProcess: return names.process(static_cast<sim::ProcessId>(word));
    case FieldType::kHost: return names.host(static_cast<sim::HostId>(word));
    case FieldType::kGroup: return "";
    case FieldType::kMessageType:
      return sim::message_type_name(static_cast<sim::MessageTypeId>(word));
    case FieldType::kTimer: return names.timer(record.node, static_cast<uint32_t>(word));
    case FieldType::kUnsigned: return absl::StrCat(word);
    case FieldType::kSignedNanos: return seconds_text(static_cast<int64_t>(word));
    case FieldType::kSignedValue: return absl::StrCat(static_cast<int64_t>(word));
    case FieldType::kOptionalNanos:
      return word == sim::kAbsentNanos ? "none" : seconds_text(static_cast<int64_t>(word));
    case FieldType::kBool: return word != 0 ? "yes" : "no";
    case FieldType::kDropReason:
      return std::string(sim::drop_reason_name(static_cast<sim::DropReason>(word)));
    case FieldType::kStepDownReason:
      return std::string(sim::step_down_reason_name(static_cast<sim::StepDownReason>(word)));
    case FieldType::kLeaderLostReason:
      return std::string(sim::leader_lost_reason_name(static_cast<sim::LeaderLostReason>(word)));
    case FieldType::kClockChange:
      return std::string(sim::clock_change_name(static_cast<sim::ClockChange>(word)));
    case FieldType::kFaultKind: return ReplayNames::fault_kind(word);
    case FieldType::kFaultIndex: return names.fault(word);
    case FieldType::kSupportKind:
      return std::string(sim::support_kind_name(static_cast<sim::SupportKind>(word)));
  }
  return absl::StrCat(word);
}

// "-12.345ms": a record's distance from the violation, to the microsecond.
std::string offset_text(sim::Duration offset) {
  const int64_t ns = offset.ns();
  const int64_t magnitude = ns < 0 ? -ns : ns;
  return absl::StrFormat("%c%d.%06dms", ns < 0 ? '-' : '+', magnitude / 1'000'000,
                         magnitude % 1'000'000);
}

std::string violation_heading(const ReplayedViolation& replayed, size_t number, size_t total,
                              const ReplayNames& names) {
  const sim::checks::Violation& violation = replayed.violation;
  std::string nodes;
  for (const sim::NodeId node : violation.nodes) {
    absl::StrAppend(&nodes, nodes.empty() ? "" : ", ", names.process(node));
  }
  std::string text = absl::StrCat("violation ", number, " of ", total, ": ", violation.check,
                                  " at ", seconds_text(violation.time.ns()));
  if (violation.epoch != 0) absl::StrAppend(&text, ", epoch ", violation.epoch);
  if (!nodes.empty()) absl::StrAppend(&text, ", ", nodes);
  return absl::StrCat(text, "\n  ", violation.detail, "\n");
}

std::string faults_text(const ReplayedViolation& replayed, const ReplayNames& names) {
  if (replayed.faults.empty()) return "faults in force: none\n";
  std::string text = "faults in force:\n";
  for (const FaultInForce& fault : replayed.faults) {
    const std::string on =
        fault.host == sim::kNoHost ? "" : absl::StrCat(" on ", names.host(fault.host));
    absl::StrAppend(&text, "  ", names.fault(fault.index), " ",
                    ReplayNames::fault_kind(fault.kind_code), on, ", since ",
                    seconds_text(fault.started.ns()), "\n");
  }
  return text;
}

std::string clocks_text(const ReplayedViolation& replayed, const ReplayNames& names) {
  std::string text = "host clocks (local time; offset from true time; drift):\n";
  for (const HostClockReading& reading : replayed.clocks) {
    const sim::Instant at = reading.read_at.value_or(replayed.violation.time);
    const sim::Duration offset = sim::Duration::nanoseconds(reading.local.ns() - at.ns());
    absl::StrAppend(&text, "  ", names.host(reading.host), "  ", seconds_text(reading.local.ns()),
                    "  ", offset_text(offset), "  ", reading.drift_ppm, "ppm");
    if (reading.crashed) absl::StrAppend(&text, "  crashed");
    if (reading.paused) absl::StrAppend(&text, "  paused");
    if (reading.read_at) {
      absl::StrAppend(&text, "  (read at ", seconds_text(reading.read_at->ns()),
                      ", after a later clock change)");
    }
    absl::StrAppend(&text, "\n");
  }
  return text;
}

}  // namespace

ReplayNames::ReplayNames(const sim::Layout& layout, const std::string& algorithm,
                         std::vector<std::string> fault_labels)
    : layout_(layout), fault_labels_(std::move(fault_labels)) {
  // Members run the scenario's algorithm, the resource its own family; the rest idle and have
  // no named timers (0xffff is a family nobody registers: "timer N").
  process_families_.assign(layout.processes(), sim::FamilyId{0xffff});
  if (const sim::FamilyInfo* family = sim::find_family_by_name(algorithm)) {
    for (sim::ProcessId member : layout.of_kind(sim::ProcessKind::kMember)) {
      process_families_[member] = family->id;
    }
  }
  for (sim::ProcessId resource : layout.of_kind(sim::ProcessKind::kResource)) {
    process_families_[resource] = sim::families::kResource;
  }
}

std::string ReplayNames::process(sim::ProcessId process) const {
  if (process == sim::kNoNode) return "none";
  if (process >= layout_.processes()) return absl::StrCat("process ", process);
  return layout_.process_name(process);
}

std::string ReplayNames::host(sim::HostId host) const {
  if (host == sim::kNoHost) return "none";
  if (host >= layout_.hosts()) return absl::StrCat("host ", host);
  return layout_.host_name(host);
}

std::string ReplayNames::timer(sim::ProcessId process, uint32_t timer) const {
  const sim::FamilyId family =
      process < process_families_.size() ? process_families_[process] : sim::FamilyId{0xffff};
  return sim::timer_name(family, timer);
}

std::string ReplayNames::fault_kind(uint64_t code) {
  if (code > static_cast<uint64_t>(faults::FaultKind::kResign)) {
    return absl::StrCat("kind ", code);
  }
  return faults::fault_kind_name(static_cast<faults::FaultKind>(code));
}

std::string ReplayNames::fault(uint64_t index) const {
  if (index >= fault_labels_.size()) return absl::StrCat("#", index);
  return absl::StrCat("#", index, " (", fault_labels_[index], ")");
}

std::string seconds_text(int64_t ns) {
  const int64_t magnitude = ns < 0 ? -ns : ns;
  return absl::StrFormat("%s%d.%09ds", ns < 0 ? "-" : "", magnitude / 1'000'000'000,
                         magnitude % 1'000'000'000);
}

std::string replay_record_line(const sim::TraceRecord& record, sim::Instant violation_time,
                               const ReplayNames& names) {
  std::string line = absl::StrCat("  ", seconds_text(record.time.ns()), "  ",
                                  offset_text(record.time - violation_time), "  ",
                                  kind_words(record));
  if (record.kind < sim::RecordKind::kCount) {
    for (const sim::FieldInfo& field : sim::record_fields(record.kind)) {
      const std::string value = field_value(record, field, names);
      if (!value.empty()) absl::StrAppend(&line, " ", std::string(field.name), "=", value);
    }
  }
  return line + "\n";
}

std::string replayed_violation_text(const ReplayedViolation& replayed, size_t number,
                                    size_t total, sim::Duration window, const ReplayNames& names) {
  const sim::Instant time = replayed.violation.time;
  std::string text = violation_heading(replayed, number, total, names);
  absl::StrAppend(&text, faults_text(replayed, names), clocks_text(replayed, names));
  absl::StrAppend(&text, "events from ", seconds_text((time - window).ns()), " to ",
                  seconds_text((time + window).ns()), " (window ", sim::format_duration(window),
                  "):\n");
  if (replayed.before_truncated) {
    absl::StrAppend(&text, "  ... earlier events in the window left out (at most ",
                    ReplayWindow::kMaxRecordsPerSide, " are kept)\n");
  }
  // A violation found after its time (a missed bound) has records between the two in `before`:
  // they go after the marker, as their times say.
  for (const sim::TraceRecord& record : replayed.before) {
    if (record.time <= time) absl::StrAppend(&text, replay_record_line(record, time, names));
  }
  absl::StrAppend(&text, "  ---- ", seconds_text(time.ns()), "  violation: ",
                  replayed.violation.check, " ----\n");
  for (const sim::TraceRecord& record : replayed.before) {
    if (record.time > time) absl::StrAppend(&text, replay_record_line(record, time, names));
  }
  for (const sim::TraceRecord& record : replayed.after) {
    absl::StrAppend(&text, replay_record_line(record, time, names));
  }
  if (replayed.after_omitted > 0) {
    absl::StrAppend(&text, "  ... ", replayed.after_omitted,
                    " later events in the window left out\n");
  }
  return text;
}

}  // namespace electsim::scenarios
