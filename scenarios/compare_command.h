// `electsim compare` (DESIGN.md, "Runs, sweeps, CI"; issue 13; docs/COMPARE.md): several
// algorithms, or several values of one parameter, each run on the same seeds as a sweep would
// run them (scenarios/sweep.h, in parallel over --jobs), then compared side by side and seed by
// seed (reports/compare_summary.h).
//
// Paired: a seed gives every algorithm the same fault schedule. The scenario's faults and the
// nemesis draw from the seed's own "faults" and "nemesis" streams (faults/injector.cc,
// faults/nemesis.cc), never from a stream an algorithm or the network draws from, and the times
// and lengths of the faults are drawn before the run starts; so each fault fires at the same
// true time with the same kind for every algorithm. What a role target (`leader`, a follower, a
// random up node) resolves to is read from the run at that moment, so the node it hits can differ.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/command_line.h"
#include "scenarios/scenario.h"

namespace electsim::scenarios {

// One row of the comparison, before it runs: its label and the scenario it loads to.
struct CompareVariantSpec {
  std::string label;  // the algorithm, or the parameter value
  Scenario scenario;
};

// The variants of a compare command, each scenario loaded and checked. Errors come as they
// would from the loader (is_command_line_error: exit 64, else 65), a --vary value's named after
// --vary. With --algorithms all, an algorithm the scenario cannot run is left out and named in
// `skipped` ("zk-recipe: why").
absl::StatusOr<std::vector<CompareVariantSpec>> compare_variants(
    const CompareCommand& command, const std::string& program, std::vector<std::string>* skipped);

// Exit codes: as a sweep over every run of every variant: 0 pass, 1 a safety violation, 2 a
// liveness violation, 70 an internal error, 65 a budget exceeded (and a bad scenario), 64 bad
// flags (a --vary value included), 73/74 outputs. The table is printed in every case.
int command_compare(const CompareCommand& command, const std::string& program);

}  // namespace electsim::scenarios
