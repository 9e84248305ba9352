// A test-only algorithm that is deliberately nondeterministic (issue 12, acceptance 7): Raft,
// except that every process, when it starts, reads and bumps a counter global to the whole
// electsim process and sets a timer of 1 + counter % 7 milliseconds. The second run of a seed in
// the same process reads other counter values, so its trace differs: exactly the bug that
// `electsim sweep --check-determinism` exists to catch (state that outlives one world).
#pragma once

namespace electsim::testing {

inline constexpr char kGlobalCounterName[] = "test-global-counter";

// Adds "test-global-counter" (Raft's parameters) with algorithms::register_algorithm_for_tests.
void register_global_counter();

}  // namespace electsim::testing
