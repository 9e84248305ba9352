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
// The file is written as PATH.tmp and renamed to PATH by finish(), so PATH is never a
// half-written trace; a sink destroyed without finish() removes its temporary file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sim/trace.h"

namespace electsim::sim {

class JsonlSink final : public TraceObserver {
 public:
  static constexpr size_t kBufferBytes = 64 * 1024;
  // No record formats longer than this (the longest is about 200 bytes).
  static constexpr size_t kMaxRecordBytes = 512;

  // Creates PATH.tmp for writing.
  static absl::StatusOr<std::unique_ptr<JsonlSink>> open(const std::string& path);
  ~JsonlSink() override;
  JsonlSink(const JsonlSink&) = delete;
  JsonlSink& operator=(const JsonlSink&) = delete;

  void on_record(const TraceRecord& record) override;
  // Writes the buffer out at the end of a run (the file is still temporary).
  void on_end(Instant end) override;

  // Writes what is buffered, closes the file and renames it to PATH. Returns the first I/O error
  // of the whole run, in which case PATH is left untouched and the temporary file is removed.
  absl::Status finish();

  uint64_t records_written() const { return records_; }
  // Bytes formatted so far, buffered or written.
  uint64_t bytes_formatted() const { return bytes_; }
  const std::string& path() const { return path_; }
  std::string temporary_path() const { return path_ + ".tmp"; }

 private:
  JsonlSink(std::string path, std::FILE* file);
  void write_buffer();
  void fail(const char* what);
  void discard();

  std::string path_;
  std::FILE* file_;
  std::unique_ptr<char[]> buffer_;
  size_t used_ = 0;
  uint64_t records_ = 0;
  uint64_t bytes_ = 0;
  absl::Status status_;
  bool finished_ = false;
};

}  // namespace electsim::sim
