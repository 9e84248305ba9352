// Test-only broken variants for the fencing checks (issue 9, acceptance 3) that need the fenced
// resource runtime (algorithms/resource/, the fence-runtime branch):
//   raft-with-off-by-one-resource: Raft whose resource refuses a write only when
//     `token + 1 < highest` (a `<=` against highest - 1 where `<` against highest belongs), so
//     the leadership just before the newest still gets its writes in; resource_never_goes_back
//     must catch it with fencing on;
//   raft-writes-after-step-down: Raft whose deposed leader keeps sending writes with its old
//     token itself (Context::send to resources()); writes_only_while_leading must catch it.
#pragma once

namespace electsim::testing {

inline constexpr char kRaftWithOffByOneResourceName[] = "raft-with-off-by-one-resource";
inline constexpr char kRaftWritesAfterStepDownName[] = "raft-writes-after-step-down";

// Registers both (register_algorithm_for_tests).
void register_fencing_variants();

}  // namespace electsim::testing
