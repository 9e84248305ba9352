// A test-only algorithm (issue 7, acceptance 5): Raft, except that on some seeds node n1 fails an
// internal check 250 ms into the run, as a user's algorithm with a bug would. Which seeds is a
// predicate of the seed that tests compute on their own (trips_on_seed), so a test knows the
// answer before it runs anything.
#pragma once

#include <cstdint>

#include "sim/time.h"

namespace electsim::testing {

inline constexpr char kCheckTripperName[] = "test-check-tripper";
// About one seed in kTripOneIn trips.
inline constexpr uint64_t kTripOneIn = 8;
// When the check fails, in n1's local time (true time too, in a scenario without clock skew).
inline constexpr sim::Duration kTripAfter = sim::Duration::milliseconds(250);
inline constexpr char kTripMessage[] = "the test algorithm trips on this seed";

// True if the check tripper fails its internal check on `seed`: n1's first draw from its own
// random stream, below kTripOneIn, is zero.
bool trips_on_seed(uint64_t seed);

// Adds "test-check-tripper" (Raft's parameters) with algorithms::register_algorithm_for_tests.
void register_check_tripper();

}  // namespace electsim::testing
