// A sweep's summary for people, and the report of a run that ended in an internal error.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "reports/run_result.h"
#include "reports/sweep_summary.h"

namespace electsim::reports {

struct SweepTextOptions {
  size_t max_failures = 10;  // failing seeds printed with their reproduce commands
  // Wall-clock seconds the sweep took: for people only, never in JSON (determinism).
  std::optional<double> wall_seconds;
};

// The whole summary; its last line is sweep_verdict_line().
std::string sweep_to_text(SweepSummary& summary, const SweepTextOptions& options);
// One line, what --quiet prints: "verdict pass: 100 seeds, 100 passed, 0 failed".
std::string sweep_verdict_line(const SweepSummary& summary);

// The report of a run that ended in internal_error or budget_exceeded: what failed, the true
// time, the seed and the reproduce command (STYLE.md 15).
std::string run_failure_to_text(const RunResult& run);

// The same in one line, for standard error and --quiet, where a failure must say where on its
// own: "internal_error in seed 7 at true time 0.250000000s: tests/...:38: check 'draw_ != 0u'
// failed (0 vs 0): ...; reproduce: electsim run tripper.yaml --seed 7".
std::string run_failure_line(const RunResult& run);

}  // namespace electsim::reports
