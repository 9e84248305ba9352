// Reports for people: a run's summary and a sweep's summary as plain text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/run_result.h"

namespace electsim::reports {

struct RunTextOptions {
  std::optional<sim::Duration> recovery_bound;  // printed beside recovery times
};
std::string run_to_text(const RunResult& run, const RunTextOptions& options);

// A sweep's summary is in reports/sweep_text.h.

}  // namespace electsim::reports
