// `electsim sweep --baseline OLD.json`: the earlier sweep the regression gate compares with
// (reports/regression_gate.h), read from the JSON `sweep --json` wrote, one run at a time.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reports/regression_gate.h"
#include "scenarios/sweep_file.h"

namespace electsim::scenarios {

struct Baseline {
  std::string path;
  SweepFileHeader header;
  std::vector<reports::GateRun> runs;  // in seed order; runs that were not judged left out
};

// Reads the baseline. Errors are one line naming the file, for "electsim: " to prefix: a file
// that cannot be read is kDataLoss (exit 74), one that is not a sweep's JSON (or is cut short,
// or holds no judged run) kInvalidArgument (exit 65).
absl::StatusOr<Baseline> read_baseline(const std::string& path);

// Whether the baseline is a sweep of the same scenario and algorithm as this sweep; if not, the
// line that says so (kInvalidArgument), which suggests the flag that compares them anyway.
absl::Status check_baseline_subject(const Baseline& baseline, const std::string& scenario,
                                    const std::string& algorithm);

}  // namespace electsim::scenarios
