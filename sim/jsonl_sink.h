// Streams the trace to a JSON Lines file, one object per record (DESIGN.md "Speed and memory":
// the full trace is written only when asked for, streamed). Memory is one fixed buffer plus the
// names it was given; records are formatted by hand because this runs for every event.
//
// The format is docs/TRACE.md's, version kTraceFormat. The first line is the header
// (`"kind": "header"`: format, electsim version and commit, scenario, seed, parameters); then one
// line per record with `t_ns` (true time), `kind` (record_kind_name) and the keys of that kind's
// struct (sim/trace_records.h), in its field order: processes and hosts by name, message types
// and timers by name with their numbers as `type_id` and `timer_id`, reasons and fault kinds by
// name; and `violation` lines as the checks find them.
//
// The sink writes to a stream its caller opened and closes: the command line hands it a
// temporary file that is renamed onto the target only when the run succeeded, or standard output
// (scenarios/outputs.h), so the sink itself never names, creates or replaces a file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "sim/layout.h"
#include "sim/message_type.h"
#include "sim/trace.h"
#include "sim/trace_fields.h"

namespace electsim::sim {

// The trace format's version (docs/TRACE.md). Version 1 was the untyped `node`/`peer`/`a`/`b`
// lines before issue 8.
inline constexpr int kTraceFormat = 2;

// What the header line says about the run (the runner fills it).
struct TraceHeader {
  std::string electsim_version;
  std::string commit;
  std::string scenario;       // the scenario's name
  std::string scenario_path;  // the file it was loaded from
  std::string algorithm;
  uint64_t seed = 0;
  // The resolved parameters as one JSON object, as the run's JSON writes them.
  std::string params_json = "{}";
};

// How ids become names. Everything is optional: without a layout, processes and hosts are
// "n1".. by id; without a family, a timer is named by its number; without fault names, a fault
// is "kind N" and has no label.
struct TraceNames {
  const Layout* layout = nullptr;        // read during start() only
  std::vector<FamilyId> process_families;  // by process id: whose timers it sets
  std::vector<std::string> fault_kinds;    // by fault kind code: "crash", "partition", ...
  std::vector<std::string> fault_labels;   // by index in the run's fault plan
};

// A violation as the checks found it, written as a `violation` line (sim/ does not see the
// checks' types; the runner converts).
struct TraceViolation {
  std::string_view check;     // "one_leader_per_epoch"
  std::string_view property;  // the check's kind: "always", "eventually" or "sometimes"
  Instant time;               // the true time the violation refers to
  std::span<const ProcessId> processes;
  GroupId group = kNoGroup;
  uint64_t epoch = 0;
  std::string_view detail;
};

class LineWriter;  // formats one line (jsonl_sink.cc)

class JsonlSink final : public TraceObserver {
 public:
  static constexpr size_t kBufferBytes = 64 * 1024;
  // No record formats longer than this: the longest fixed part is about 300 bytes, and a
  // fault's label is cut to kMaxLabelBytes.
  static constexpr size_t kMaxRecordBytes = 1024;
  static constexpr size_t kMaxLabelBytes = 256;

  // Writes to `stream`, which must outlive the sink; the sink does not close it.
  explicit JsonlSink(std::FILE* stream);
  ~JsonlSink() override = default;
  JsonlSink(const JsonlSink&) = delete;
  JsonlSink& operator=(const JsonlSink&) = delete;

  // Writes the header line and learns the names; call once, before the first record. A sink
  // that is never started writes records with the default names and no header (tests).
  void start(const TraceHeader& header, const TraceNames& names);
  void on_record(const TraceRecord& record) override;
  // Writes a `violation` line. Its `t_ns` is the latest record time the sink has seen (or the
  // violation's own time if later), so the file stays in time order even for a violation found
  // after the instant it refers to (a missed recovery bound); that instant is `violation_ns`.
  void on_violation(const TraceViolation& violation);
  // Writes the buffer out at the end of a run.
  void on_end(Instant end) override;

  // Writes what is buffered and returns the first write error of the run, whose message is the
  // system's reason ("No space left on device"). After an error the sink stops writing: the rest
  // of the trace could only be thrown away.
  absl::Status flush();
  // True once a write failed. Cheap (one load), so a runner can poll it after every event and
  // stop a long run whose trace can no longer be written.
  bool failed() const { return !status_.ok(); }

  uint64_t records_written() const { return records_; }
  // Bytes formatted so far, buffered or written.
  uint64_t bytes_formatted() const { return bytes_; }

 private:
  void write_buffer();
  void write_line(std::string_view line);
  void write_field(LineWriter& line, const TraceRecord& record, const FieldInfo& field);
  void write_process(LineWriter& line, ProcessId process) const;
  void write_host(LineWriter& line, HostId host) const;
  const std::string& message_type_text(MessageTypeId type);
  const std::string& timer_text(ProcessId process, uint32_t timer);

  // Names, when the layout is not the single-group one (where ids read n1..).
  std::vector<std::string> process_names_;
  std::vector<std::string> host_names_;
  std::vector<FamilyId> process_families_;
  std::vector<std::string> fault_kinds_;
  std::vector<std::string> fault_labels_json_;  // escaped and quoted, ready to copy
  // Name caches: each lookup in the family table takes a lock and builds a string. A handful of
  // entries (one per message type and timer seen), so an ordered map is as quick as any.
  std::map<MessageTypeId, std::string> message_type_names_;
  std::map<uint64_t, std::string> timer_names_;  // family << 32 | timer
  Instant last_time_;

  std::FILE* stream_;
  std::unique_ptr<char[]> buffer_;
  size_t used_ = 0;
  uint64_t records_ = 0;
  uint64_t bytes_ = 0;
  absl::Status status_;
};

}  // namespace electsim::sim
