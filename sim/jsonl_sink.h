// Streams the trace to a JSON Lines file, one object per record (DESIGN.md "Speed and memory":
// the full trace is written only when asked for, streamed). Memory is one fixed buffer however
// long the run is; records are formatted by hand because this runs for every event.
//
// Each line has `t_ns` (true time), `kind` (record_kind_name), `node` and `peer` ("n1".. or
// null), then the keys that kind carries:
//   send, deliver, duplicate: type, message      drop: reason, message
//   timer: timer, local_ns                       restart: amnesia       resume: inbox
//   clock_change: change ("drift", "offset" or "jump") and drift_ppm, offset_ns or jump_ns
//   link_change: up                              became_leader: epoch, token
//   follows: leader, epoch                       stepped_down: reason, epoch
//   fault_start, fault_end: fault, code          resource_write: token, accepted
//   persist: words                               crash, pause: nothing more
//
// The sink writes to a stream its caller opened and closes: the command line hands it a
// temporary file that is renamed onto the target only when the run succeeded, or standard output
// (scenarios/outputs.h), so the sink itself never names, creates or replaces a file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>

#include "absl/status/status.h"
#include "sim/trace.h"

namespace electsim::sim {

class JsonlSink final : public TraceObserver {
 public:
  static constexpr size_t kBufferBytes = 64 * 1024;
  // No record formats longer than this (the longest is about 200 bytes).
  static constexpr size_t kMaxRecordBytes = 512;

  // Writes to `stream`, which must outlive the sink; the sink does not close it.
  explicit JsonlSink(std::FILE* stream);
  ~JsonlSink() override = default;
  JsonlSink(const JsonlSink&) = delete;
  JsonlSink& operator=(const JsonlSink&) = delete;

  void on_record(const TraceRecord& record) override;
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

  std::FILE* stream_;
  std::unique_ptr<char[]> buffer_;
  size_t used_ = 0;
  uint64_t records_ = 0;
  uint64_t bytes_ = 0;
  absl::Status status_;
};

}  // namespace electsim::sim
