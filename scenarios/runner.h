// Runs a scenario: builds the world for one seed, wires the algorithm, faults, nemesis, checks
// and trace sink, runs it, and turns what happened into a reports::RunResult. Sweeps run many
// seeds on several threads, each seed an independent world, results in seed order.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reports/run_result.h"
#include "scenarios/scenario.h"
#include "sim/jsonl_sink.h"

namespace electsim::scenarios {

struct RunOptions {
  // Streams the full trace as JSON Lines (not owned; the caller opened its file, see
  // scenarios/outputs.h). If a write fails the run stops early and returns the sink's error.
  sim::JsonlSink* trace_sink = nullptr;
  bool keep_timeline = true;              // sweeps drop it to keep memory flat
  // Keep every timeline entry (up to LeadershipTimeline::kFullLimit) rather than the brief
  // head and the windows around violations.
  bool full_timeline = false;
};

absl::StatusOr<reports::RunResult> run_scenario(const Scenario& scenario, uint64_t seed,
                                                const RunOptions& options);

// Runs seeds first..last on `jobs` threads; the result does not depend on `jobs`.
// `progress(done, total)` is called from worker threads (serialised) if given.
std::vector<reports::RunResult> run_sweep(const Scenario& scenario, uint64_t first,
                                          uint64_t last, int jobs,
                                          const std::function<void(uint64_t, uint64_t)>& progress);

// "PROGRAM run PATH --seed N [--algorithm X] [--set 'k=v']...", quoted for a POSIX shell, with
// PROGRAM the binary as it was invoked (Scenario::program).
std::string reproduce_command(const Scenario& scenario, uint64_t seed);

// "electsim 0.1.0 (commit abc123def456)".
std::string version_line();

}  // namespace electsim::scenarios
