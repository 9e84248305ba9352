// Reports for people: a run's summary and a sweep's summary as plain text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/run_result.h"
#include "reports/sweep_summary.h"

namespace electsim::reports {

struct RunTextOptions {
  std::optional<sim::Duration> recovery_bound;  // printed beside recovery times
};
std::string run_to_text(const RunResult& run, const RunTextOptions& options);

// `runs` in seed order; prints at most `max_failures` failing seeds with reproduce commands.
std::string sweep_to_text(const SweepSummary& summary, const std::vector<RunResult>& runs,
                          size_t max_failures = 10);

}  // namespace electsim::reports
