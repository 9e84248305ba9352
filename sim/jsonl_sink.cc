#include "sim/jsonl_sink.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

#include "sim/check.h"
#include "sim/trace_records.h"

namespace electsim::sim {
namespace {

// Appends `text` to `out` as a quoted JSON string. Control characters are escaped, and bytes
// that are not valid UTF-8 (a scenario name with stray bytes) become U+FFFD, so a line is always
// valid JSON whatever a user wrote.
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      if (byte == '"' || byte == '\\') {
        out += '\\';
        out += static_cast<char>(byte);
      } else if (byte < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[byte >> 4];
        out += kHex[byte & 0xf];
      } else {
        out += static_cast<char>(byte);
      }
      ++i;
      continue;
    }
    const size_t length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 ? 2 : 0;
    bool valid = length != 0 && byte < 0xf5 && i + length <= text.size();
    for (size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    }
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\\ufffd";
      ++i;
    }
  }
  out += '"';
}

// A label cut to at most `limit` bytes, at a character boundary.
std::string_view cut_label(std::string_view label, size_t limit) {
  if (label.size() <= limit) return label;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(label[end]) & 0xc0) == 0x80) --end;
  return label.substr(0, end);
}

std::string default_name(char prefix, uint32_t id) {
  std::string name(1, prefix);
  name += std::to_string(uint64_t{id} + 1);
  return name;
}

}  // namespace

// Appends one JSON object to a buffer with room for kMaxRecordBytes. Every string it writes
// unescaped is one of our own identifiers (kind, reason, message and timer names) or was
// escaped when the sink started (fault labels).
class LineWriter {
 public:
  explicit LineWriter(char* out) : start_(out), pos_(out) {}

  void raw(std::string_view text) {
    std::memcpy(pos_, text.data(), text.size());
    pos_ += text.size();
  }
  void key(std::string_view name) {  // ,"name":
    *pos_++ = ',';
    *pos_++ = '"';
    raw(name);
    *pos_++ = '"';
    *pos_++ = ':';
  }
  void unsigned_number(uint64_t value) { pos_ = std::to_chars(pos_, pos_ + 20, value).ptr; }
  void signed_number(int64_t value) { pos_ = std::to_chars(pos_, pos_ + 20, value).ptr; }
  void string(std::string_view value) {
    *pos_++ = '"';
    raw(value);
    *pos_++ = '"';
  }
  void boolean(bool value) { raw(value ? "true" : "false"); }
  void null() { raw("null"); }
  // "n3" for id 2, written without building a string.
  void numbered_name(char prefix, uint32_t id) {
    *pos_++ = '"';
    *pos_++ = prefix;
    unsigned_number(uint64_t{id} + 1);
    *pos_++ = '"';
  }
  size_t size() const { return static_cast<size_t>(pos_ - start_); }

 private:
  char* start_;
  char* pos_;
};

JsonlSink::JsonlSink(std::FILE* stream) : stream_(stream), buffer_(new char[kBufferBytes]) {
  SIM_CHECK(stream_ != nullptr, "JsonlSink needs an open stream");
}

void JsonlSink::start(const TraceHeader& header, const TraceNames& names) {
  // A single group names its processes and hosts n1..nN by id; only a layout with more (groups,
  // or the resource beside a single group, "r1") needs the table.
  if (names.layout != nullptr && (!names.layout->is_single_group() ||
                                  names.layout->processes() > names.layout->members(0).size())) {
    const Layout& layout = *names.layout;
    process_names_.reserve(layout.processes());
    for (ProcessId id = 0; id < layout.processes(); ++id) {
      process_names_.push_back(layout.process_name(id));
    }
    host_names_.reserve(layout.hosts());
    for (HostId id = 0; id < layout.hosts(); ++id) host_names_.push_back(layout.host_name(id));
  }
  process_families_ = names.process_families;
  fault_kinds_ = names.fault_kinds;
  fault_labels_json_.clear();
  for (const std::string& label : names.fault_labels) {
    std::string quoted;
    append_json_string(quoted, cut_label(label, kMaxLabelBytes));
    if (quoted.size() > kMaxLabelBytes + 2) {  // escapes grew it; six bytes is the most per byte
      quoted.clear();
      append_json_string(quoted, cut_label(label, kMaxLabelBytes / 6));
    }
    fault_labels_json_.push_back(std::move(quoted));
  }

  std::string line = "{\"kind\":\"header\",\"trace_format\":";
  line += std::to_string(kTraceFormat);
  const std::pair<std::string_view, const std::string*> texts[] = {
      {"electsim", &header.electsim_version}, {"commit", &header.commit},
      {"scenario", &header.scenario},         {"scenario_path", &header.scenario_path},
      {"algorithm", &header.algorithm}};
  for (const auto& [key, text] : texts) {
    line += ",\"";
    line += key;
    line += "\":";
    append_json_string(line, *text);
  }
  line += ",\"seed\":" + std::to_string(header.seed);
  line += ",\"params\":" + (header.params_json.empty() ? std::string("{}") : header.params_json);
  line += "}\n";
  write_line(line);
}

void JsonlSink::write_process(LineWriter& line, ProcessId process) const {
  if (process == kNoNode) return line.null();
  if (process < process_names_.size()) return line.string(process_names_[process]);
  line.numbered_name('n', process);
}

void JsonlSink::write_host(LineWriter& line, HostId host) const {
  if (host == kNoHost) return line.null();
  if (host < host_names_.size()) return line.string(host_names_[host]);
  // A single-group trace names hosts as their processes, n1.., as it always has.
  line.numbered_name(host_names_.empty() ? 'n' : 'h', host);
}

const std::string& JsonlSink::message_type_text(MessageTypeId type) {
  auto it = message_type_names_.find(type);
  if (it == message_type_names_.end()) {
    it = message_type_names_.emplace(type, message_type_name(type)).first;
  }
  return it->second;
}

const std::string& JsonlSink::timer_text(ProcessId process, uint32_t timer) {
  // A process whose family nobody said gets FamilyId 0xffff, which no family registers, so its
  // timers read "timer N".
  const FamilyId family =
      process < process_families_.size() ? process_families_[process] : FamilyId{0xffff};
  const uint64_t key = (uint64_t{family} << 32) | timer;
  auto it = timer_names_.find(key);
  if (it == timer_names_.end()) it = timer_names_.emplace(key, timer_name(family, timer)).first;
  return it->second;
}

void JsonlSink::write_field(LineWriter& line, const TraceRecord& r, const FieldInfo& field) {
  const uint64_t word = slot_word(r, field.slot);
  line.key(field.name);
  switch (field.type) {
    case FieldType::kProcess: return write_process(line, static_cast<ProcessId>(word));
    case FieldType::kHost: return write_host(line, static_cast<HostId>(word));
    case FieldType::kGroup:
      if (word == kNoGroup) return line.null();
      return line.numbered_name('g', static_cast<GroupId>(word));
    case FieldType::kMessageType:
      line.string(message_type_text(static_cast<MessageTypeId>(word)));
      line.key("type_id");
      return line.unsigned_number(word);
    case FieldType::kTimer:
      line.string(timer_text(r.node, static_cast<uint32_t>(word)));
      line.key("timer_id");
      return line.unsigned_number(word);
    case FieldType::kUnsigned: return line.unsigned_number(word);
    case FieldType::kSignedNanos:
    case FieldType::kSignedValue: return line.signed_number(static_cast<int64_t>(word));
    case FieldType::kOptionalNanos:
      if (word == kAbsentNanos) return line.null();
      return line.signed_number(static_cast<int64_t>(word));
    case FieldType::kBool: return line.boolean(word != 0);
    case FieldType::kDropReason:
      return line.string(drop_reason_name(static_cast<DropReason>(word)));
    case FieldType::kStepDownReason:
      return line.string(step_down_reason_name(static_cast<StepDownReason>(word)));
    case FieldType::kLeaderLostReason:
      return line.string(leader_lost_reason_name(static_cast<LeaderLostReason>(word)));
    case FieldType::kClockChange:
      return line.string(clock_change_name(static_cast<ClockChange>(word)));
    case FieldType::kSupportKind:
      return line.string(support_kind_name(static_cast<SupportKind>(word)));
    case FieldType::kFaultKind:
      if (word < fault_kinds_.size()) return line.string(fault_kinds_[word]);
      line.raw("\"kind ");
      line.unsigned_number(word);
      return line.raw("\"");
    case FieldType::kFaultIndex:
      line.unsigned_number(word);
      if (word < fault_labels_json_.size()) {
        line.key("label");
        line.raw(fault_labels_json_[word]);
      }
      return;
  }
}

void JsonlSink::on_record(const TraceRecord& r) {
  if (used_ + kMaxRecordBytes > kBufferBytes) write_buffer();
  last_time_ = std::max(last_time_, r.time);
  LineWriter line(buffer_.get() + used_);
  line.raw("{\"t_ns\":");
  line.signed_number(r.time.ns());
  line.key("kind");
  line.string(record_kind_name(r.kind));
  if (r.kind < RecordKind::kCount) {
    for (const FieldInfo& field : record_fields(r.kind)) write_field(line, r, field);
  }
  line.raw("}\n");
  SIM_CHECK(line.size() <= kMaxRecordBytes, "trace line longer than kMaxRecordBytes");
  used_ += line.size();
  bytes_ += line.size();
  ++records_;
}

void JsonlSink::on_violation(const TraceViolation& violation) {
  const Instant at = std::max(last_time_, violation.time);
  std::string line = "{\"t_ns\":" + std::to_string(at.ns()) + ",\"kind\":\"violation\",\"check\":";
  append_json_string(line, violation.check);
  line += ",\"property\":";
  append_json_string(line, violation.property);
  line += ",\"violation_ns\":" + std::to_string(violation.time.ns());
  line += ",\"processes\":[";
  for (size_t i = 0; i < violation.processes.size(); ++i) {
    if (i > 0) line += ',';
    const ProcessId process = violation.processes[i];
    append_json_string(line, process < process_names_.size() ? process_names_[process]
                                                             : default_name('n', process));
  }
  line += "],\"group\":";
  if (violation.group == kNoGroup) {
    line += "null";
  } else {
    append_json_string(line, default_name('g', violation.group));
  }
  line += ",\"epoch\":" + std::to_string(violation.epoch) + ",\"detail\":";
  append_json_string(line, violation.detail);
  line += "}\n";
  write_line(line);
}

void JsonlSink::on_end(Instant /*end*/) { write_buffer(); }

void JsonlSink::write_line(std::string_view text) {
  if (used_ + text.size() > kBufferBytes) write_buffer();
  bytes_ += text.size();
  if (text.size() > kBufferBytes) {  // a violation with a very long detail: write it directly
    if (!status_.ok()) return;
    errno = 0;
    if (std::fwrite(text.data(), 1, text.size(), stream_) != text.size()) {
      status_ = absl::UnavailableError(std::strerror(errno != 0 ? errno : EIO));
    }
    return;
  }
  std::memcpy(buffer_.get() + used_, text.data(), text.size());
  used_ += text.size();
}

void JsonlSink::write_buffer() {
  // After an error the rest of the run is formatted but not written; flush() reports it.
  if (used_ == 0 || !status_.ok()) {
    used_ = 0;
    return;
  }
  errno = 0;
  if (std::fwrite(buffer_.get(), 1, used_, stream_) != used_) {
    const int error = errno != 0 ? errno : EIO;
    status_ = absl::UnavailableError(std::strerror(error));
  }
  used_ = 0;
}

absl::Status JsonlSink::flush() {
  write_buffer();
  return status_;
}

}  // namespace electsim::sim
