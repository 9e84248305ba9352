// Runs a scenario: builds the world for one seed, wires the algorithm, faults, nemesis, checks
// and trace sink, runs it, and turns what happened into a reports::RunResult. Sweeps are in
// scenarios/sweep.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reports/run_result.h"
#include "scenarios/scenario.h"
#include "sim/checks/checks.h"
#include "sim/jsonl_sink.h"
#include "sim/world.h"

namespace electsim::scenarios {

// Watches one run as it happens (electsim replay, scenarios/replay_window.h): told the world
// before its first event, then every record and every violation.
class RunWatcher : public sim::TraceObserver, public sim::checks::ViolationObserver {
 public:
  // The world as configured (its clocks set), and the run's fault labels by plan index.
  virtual void on_start(const sim::World& world, const std::vector<std::string>& fault_labels) = 0;
};

struct RunOptions {
  // Streams the full trace as JSON Lines (not owned; the caller opened its file, see
  // scenarios/outputs.h). If a write fails the run stops early and returns the sink's error.
  sim::JsonlSink* trace_sink = nullptr;
  bool keep_timeline = true;              // sweeps drop it to keep memory flat
  // Keep every timeline entry (up to LeadershipTimeline::kFullLimit) rather than the brief
  // head and the windows around violations.
  bool full_timeline = false;
  RunWatcher* watcher = nullptr;  // not owned
};

// A failed internal check (SIM_CHECK) during the run ends only this run: the result has verdict
// internal_error, the check's one-line message in `error` and the world's true time in
// `error_time`; any other exception thrown while the world runs (std::bad_alloc) too, its message
// prefixed "unexpected exception: ". An error status is an output that could not be written (the
// trace).
absl::StatusOr<reports::RunResult> run_scenario(const Scenario& scenario, uint64_t seed,
                                                const RunOptions& options);

// For sweep workers: as run_scenario, but an error status or any exception (bad_alloc) also
// becomes an internal_error result. Only building that result can still throw (out of memory
// again); the sweep worker keeps such an exception under its seed (scenarios/sweep.cc).
reports::RunResult run_scenario_as_result(const Scenario& scenario, uint64_t seed,
                                          const RunOptions& options);

// The result of a run that failed before it could say more: what the scenario and seed were, the
// one-line `error`, the true time it happened at, and how to reproduce it.
reports::RunResult internal_error_result(const Scenario& scenario, uint64_t seed,
                                         const std::string& error, sim::Instant time);

// "PROGRAM run PATH --seed N [--algorithm X] [--set 'k=v']...", quoted for a POSIX shell, with
// PROGRAM the binary as it was invoked (Scenario::program).
std::string reproduce_command(const Scenario& scenario, uint64_t seed);

// "electsim 0.1.0 (commit abc123def456)".
std::string version_line();

}  // namespace electsim::scenarios
