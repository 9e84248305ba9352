#include "sim/jsonl_sink.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

#include "sim/check.h"

namespace electsim::sim {
namespace {

// Appends one JSON object to a buffer with room for kMaxRecordBytes. Every string it writes is
// one of our own identifiers (kind and reason names), so nothing needs escaping.
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
  void node(NodeId id) {  // users see n1..nN; n1 is id 0
    if (id == kNoNode) {
      raw("null");
      return;
    }
    raw("\"n");
    unsigned_number(uint64_t{id} + 1);
    *pos_++ = '"';
  }
  size_t size() const { return static_cast<size_t>(pos_ - start_); }

 private:
  char* start_;
  char* pos_;
};

void write_clock_change(LineWriter& line, const TraceRecord& r) {
  const auto value = static_cast<int64_t>(r.b);  // ppm or ns, stored as two's complement
  switch (static_cast<ClockChange>(r.a)) {
    case ClockChange::kDriftPpm:
      line.key("change");
      line.string("drift");
      line.key("drift_ppm");
      break;
    case ClockChange::kOffset:
      line.key("change");
      line.string("offset");
      line.key("offset_ns");
      break;
    case ClockChange::kJump:
      line.key("change");
      line.string("jump");
      line.key("jump_ns");
      break;
    default:
      line.key("change");
      line.unsigned_number(r.a);
      line.key("value");
      break;
  }
  line.signed_number(value);
}

// The keys each kind carries beyond time, kind, node and peer (see jsonl_sink.h).
void write_details(LineWriter& line, const TraceRecord& r) {
  switch (r.kind) {
    case RecordKind::kSend:
    case RecordKind::kDeliver:
    case RecordKind::kDuplicate:
      line.key("type");
      line.unsigned_number(r.a);
      line.key("message");
      line.unsigned_number(r.b);
      return;
    case RecordKind::kDrop:
      line.key("reason");
      line.string(drop_reason_name(static_cast<DropReason>(r.a)));
      line.key("message");
      line.unsigned_number(r.b);
      return;
    case RecordKind::kTimer:
      line.key("timer");
      line.unsigned_number(r.a);
      line.key("local_ns");
      line.signed_number(static_cast<int64_t>(r.b));
      return;
    case RecordKind::kRestart:
      line.key("amnesia");
      line.boolean(r.a != 0);
      return;
    case RecordKind::kResume:
      line.key("inbox");
      line.unsigned_number(r.a);
      return;
    case RecordKind::kClockChange:
      write_clock_change(line, r);
      return;
    case RecordKind::kLinkChange:
      line.key("up");
      line.boolean(r.a != 0);
      return;
    case RecordKind::kBecameLeader:
      line.key("epoch");
      line.unsigned_number(r.a);
      line.key("token");
      line.unsigned_number(r.b);
      return;
    case RecordKind::kFollows:
      line.key("leader");
      line.node(r.peer);
      line.key("epoch");
      line.unsigned_number(r.a);
      return;
    case RecordKind::kSteppedDown:
      line.key("reason");
      line.string(step_down_reason_name(static_cast<StepDownReason>(r.a)));
      line.key("epoch");
      line.unsigned_number(r.b);
      return;
    case RecordKind::kFaultStart:
    case RecordKind::kFaultEnd:
      line.key("fault");
      line.unsigned_number(r.a);
      line.key("code");
      line.unsigned_number(r.b);
      return;
    case RecordKind::kResourceWrite:
      line.key("token");
      line.unsigned_number(r.a);
      line.key("accepted");
      line.boolean(r.b != 0);
      return;
    case RecordKind::kPersist:
      line.key("words");
      line.unsigned_number(r.a);
      return;
    case RecordKind::kReady:
      line.key("epoch");
      line.unsigned_number(r.a);
      return;
    case RecordKind::kLeaderLost:
      line.key("reason");
      line.string(leader_lost_reason_name(static_cast<LeaderLostReason>(r.a)));
      line.key("epoch");
      line.unsigned_number(r.b);
      return;
    case RecordKind::kCrash:
    case RecordKind::kPause:
      return;
    case RecordKind::kCount:
      break;
  }
  line.key("a");
  line.unsigned_number(r.a);
  line.key("b");
  line.unsigned_number(r.b);
}

}  // namespace

JsonlSink::JsonlSink(std::FILE* stream) : stream_(stream), buffer_(new char[kBufferBytes]) {
  SIM_CHECK(stream_ != nullptr, "JsonlSink needs an open stream");
}

void JsonlSink::on_record(const TraceRecord& r) {
  if (used_ + kMaxRecordBytes > kBufferBytes) write_buffer();
  LineWriter line(buffer_.get() + used_);
  line.raw("{\"t_ns\":");
  line.signed_number(r.time.ns());
  line.key("kind");
  line.string(record_kind_name(r.kind));
  line.key("node");
  line.node(r.node);
  line.key("peer");
  line.node(r.peer);
  write_details(line, r);
  line.raw("}\n");
  SIM_CHECK(line.size() <= kMaxRecordBytes, "trace line longer than kMaxRecordBytes");
  used_ += line.size();
  bytes_ += line.size();
  ++records_;
}

void JsonlSink::on_end(Instant /*end*/) { write_buffer(); }

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
