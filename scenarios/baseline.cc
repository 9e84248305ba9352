#include "scenarios/baseline.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace electsim::scenarios {

absl::StatusOr<Baseline> read_baseline(const std::string& path) {
  // Unreadable is an I/O failure (74); readable but not a sweep is bad input (65).
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return absl::DataLossError(absl::StrCat("--baseline ", path, ": cannot read: is a folder"));
  }
  if (std::ifstream probe(path, std::ios::binary); !probe) {
    return absl::DataLossError(
        absl::StrCat("--baseline ", path, ": cannot read: ", std::strerror(errno)));
  }
  auto reader = SweepFileReader::open(path);
  if (!reader.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--baseline ", reader.status().message()));
  }
  Baseline baseline;
  baseline.path = path;
  baseline.header = (*reader)->header();
  while (true) {
    auto run = (*reader)->next_run();
    if (!run.ok()) return absl::InvalidArgumentError(absl::StrCat("--baseline ", run.status().message()));
    if (!*run) break;
    const reports::RunResult& fields = (*run)->summary_fields;
    if (!baseline.runs.empty() && fields.seed <= baseline.runs.back().seed) {
      return absl::InvalidArgumentError(
          absl::StrCat("--baseline ", (*reader)->error_at((*run)->line, "the runs are not in "
                                                                        "ascending seed order")
                                          .message()));
    }
    if (reports::gate_counts(fields)) baseline.runs.push_back(reports::gate_run_of(fields));
  }
  if (baseline.runs.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--baseline ", path, ": the sweep holds no judged run to compare with"));
  }
  return baseline;
}

absl::Status check_baseline_subject(const Baseline& baseline, const std::string& scenario,
                                    const std::string& algorithm) {
  if (baseline.header.scenario == scenario && baseline.header.algorithm == algorithm) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--baseline ", baseline.path, ": a sweep of ", baseline.header.scenario, " (",
      baseline.header.algorithm, "), not of ", scenario, " (", algorithm,
      "); give --allow-baseline-mismatch to compare them anyway"));
}

}  // namespace electsim::scenarios
