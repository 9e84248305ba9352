// Sweeps: many seeds of one scenario, each seed an independent world, on several threads, handed
// to the caller in seed order as they finish. Memory does not grow with the number of seeds:
// workers take seeds from a counter and may run at most a window of seeds ahead of the oldest
// one the caller has not consumed yet; any range of uint64_t works, all 2^64 seeds too. A sweep
// runs a slice of a range (every seed, or one shard's every N-th seed: scenarios/seed_range.h).
//
// With check_determinism, every seed runs twice in the same process, as FoundationDB's unseed
// check does: the second run comes after other seeds of the sweep ran on the same worker, with a
// different heap state (a seed-dependent set of blocks is held while it runs), and may run on
// another thread. Different fingerprints make the seed an internal_error that names both.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "reports/run_result.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "scenarios/seed_range.h"

namespace electsim::scenarios {

struct SweepOptions {
  int jobs = 1;  // worker threads
  // How far workers may run ahead of the oldest seed not yet consumed; 0 means 16 per job
  // (at least 64). It bounds the results held at once, and so the memory.
  uint64_t window = 0;
  RunOptions run;  // for every seed (keep_timeline is usually false)
  // Polled before each seed is handed out; once true, no more seeds start, the ones running
  // finish and are consumed, and run_sweep returns with `stopped` set. For SIGINT/SIGTERM.
  std::function<bool()> stop_requested;
  // Run each seed twice and compare the fingerprints (see above). Costs twice the time.
  bool check_determinism = false;
  // For tests only: runs one seed in place of run_scenario_as_result, so that a test can make a
  // worker throw outside a run (the sweep must still name the seed).
  std::function<reports::RunResult(uint64_t seed)> run_seed_for_tests;
};

struct SweepOutcome {
  bool stopped = false;  // stop_requested ended the sweep before the last seed
};

// Runs every seed of `seeds` and calls consume(run) on the calling thread, in seed order, for
// each, starting at seeds.first with no gaps: after a stop, the runs consumed are exactly those
// of a shorter range. Results do not depend on `jobs`. A run that fails an internal check (or
// throws) is consumed as an internal_error result, and the sweep goes on; so is a seed whose
// worker threw outside the run (out of memory while building the result), its error starting
// "seed N: ". If consume returns an error, the sweep stops (running seeds finish and are
// discarded) and that error is returned.
absl::StatusOr<SweepOutcome> run_sweep(
    const Scenario& scenario, SeedRange seeds, const SweepOptions& options,
    const std::function<absl::Status(const reports::RunResult&)>& consume);
// The same over a slice: seeds come in slice order, first, first + stride, ...
absl::StatusOr<SweepOutcome> run_sweep_slice(
    const Scenario& scenario, SeedSlice seeds, const SweepOptions& options,
    const std::function<absl::Status(const reports::RunResult&)>& consume);

// The message of a seed whose two runs differed (check_determinism).
std::string nondeterminism_message(uint64_t seed, uint64_t first_fingerprint,
                                   uint64_t second_fingerprint);

// The scenario's command-line overrides as the user wrote them, for the sweep's summary:
// "--algorithm zab", "--set cluster.nodes=7".
std::vector<std::string> override_words(const Scenario& scenario);

// The runs of a small sweep, in seed order, for tests and experiments that want them all
// (memory grows with the number of seeds).
std::vector<reports::RunResult> collect_sweep(const Scenario& scenario, SeedRange seeds, int jobs);

}  // namespace electsim::scenarios
