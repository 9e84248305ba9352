// `electsim shrink SCENARIO --seed N -o minimal.yaml`: from a failing run, a smaller explicit
// fault schedule that still fails the same check (the first violation's), written as an
// ordinary scenario file with `nemesis: null`.
//
// The search is delta debugging (Zeller & Hildebrandt, "Simplifying and Isolating
// Failure-Inducing Input", IEEE TSE 28(2), 2002: ddmin): the faults the run fired before its
// first violation, then ddmin's removal of halves, quarters, ... down to one fault at a time;
// then every pair of the remaining faults removed together (ddmin stops at 1-minimal, and in a
// chaotic run two faults can each matter only while the other is there); then each remaining
// fault's length halved while the run still fails; those three repeated while a round removes a
// fault; then the run cut short after the last fault's end and the violation. Every candidate runs once, with the same seed,
// and the search stops after `max_runs` runs. The latencies, timeouts and clocks are still drawn
// from the seed, so the minimal file fails with that seed (its `seeds:` is that seed).
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "scenarios/command_line.h"
#include "scenarios/scenario.h"

namespace electsim::scenarios {

inline constexpr int kDefaultShrinkRuns = 500;

struct ShrinkResult {
  bool failed = false;      // false: the seed passes, and there is nothing to shrink
  std::string check;        // the first violation's check, which every candidate must fail
  size_t faults_before = 0;  // the file's faults plus the nemesis's drawn ones
  size_t faults_after = 0;
  sim::Duration duration_before;
  sim::Duration duration_after;
  int runs = 0;             // including the first run of the original scenario
  Scenario minimal;         // explicit faults, no nemesis, seeds: the seed
};

// Deterministic: the same scenario, seed and max_runs give the same result.
ShrinkResult shrink_scenario(const Scenario& scenario, uint64_t seed, int max_runs);

// The minimal scenario as a file: a header comment (how it was made, and the command that
// replays it) and the YAML of scenario_text.h with `faults:` explicit and `nemesis: null`.
absl::StatusOr<std::string> minimal_scenario_file(const ShrinkResult& result,
                                                  const Scenario& original, uint64_t seed,
                                                  const std::string& source_text,
                                                  const std::string& output_path);

// The command: exit 0 when the minimal file was written or the seed passes (nothing written).
int command_shrink(const ShrinkCommand& command, const std::string& program);

}  // namespace electsim::scenarios
