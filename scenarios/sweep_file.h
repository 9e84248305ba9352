// A sweep's JSON (reports/json_report.h, sweep_json_opening) read back one run at a time, in
// constant memory, for `electsim merge` and `electsim sweep --resume`. Each run is one line of
// the file; its text is kept exactly as written, so that copying it gives the same bytes, and
// the few values a SweepSummary needs are read from it.
//
// Errors are one line, "FILE:LINE: what" (the caller prefixes "electsim: "), with the status
// code kInvalidArgument: the file is not a sweep's JSON or is cut short (exit 65, as for any bad
// input file).
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "reports/run_result.h"

namespace electsim::scenarios {

// What the sweep was asked to run, from the file's opening keys.
struct SweepFileHeader {
  std::string scenario;
  std::string algorithm;
  std::vector<std::string> overrides;
  uint64_t requested_first = 0;
  uint64_t requested_last = 0;
  std::optional<std::string> shard;  // "K/N", for a shard's file
};

// One run read back.
struct SweepFileRun {
  int line = 0;
  std::string text;  // the run's JSON as written: one line, no indentation, no comma
  // The values SweepSummary::add reads (seed, verdict, error, violations' check, detail and
  // time, recovery, counts, reproduce command) and the regression gate's (whether each fault
  // fired or was skipped, the number of groups); everything else is left empty.
  reports::RunResult summary_fields;
  // What must be equal for all runs of one sweep: scenario, its path, algorithm, parameters and
  // the electsim build, as one JSON text.
  std::string identity;
};

// The closing keys that say whether the sweep finished.
struct SweepFileEnd {
  bool interrupted = false;
  std::optional<uint64_t> seed_last;
};

class SweepFileReader {
 public:
  // Opens `path` and reads its opening keys.
  static absl::StatusOr<std::unique_ptr<SweepFileReader>> open(const std::string& path);

  const std::string& path() const { return path_; }
  const SweepFileHeader& header() const { return header_; }
  // The next run, or nullopt after the last one (then end() holds the closing keys).
  absl::StatusOr<std::optional<SweepFileRun>> next_run();
  // Valid once next_run() returned nullopt.
  const SweepFileEnd& end() const { return end_; }

  // "FILE:LINE: what", as an invalid-argument status.
  absl::Status error_at(int line, const std::string& what) const;

 private:
  explicit SweepFileReader(std::string path) : path_(std::move(path)) {}
  absl::Status read_header();
  absl::Status read_end();

  std::string path_;
  std::ifstream in_;
  int line_ = 0;
  bool runs_done_ = false;
  SweepFileHeader header_;
  SweepFileEnd end_;
};

// "raft-leader-crash (raft --set a=b) seeds 1..100 shard 2/4", for messages.
std::string describe_sweep(const SweepFileHeader& header);
// Whether two files are of the same sweep: scenario, algorithm, overrides and requested range,
// and the shard too unless `ignore_shard` (the shards of one sweep, for merge).
bool same_sweep(const SweepFileHeader& a, const SweepFileHeader& b, bool ignore_shard);

// A run's identity (SweepFileRun::identity) from its JSON (reports::run_to_json).
std::string run_identity(const nlohmann::ordered_json& run);

}  // namespace electsim::scenarios
