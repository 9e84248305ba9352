// A test-only algorithm judged by the `none` progress model (a Bully-like profile: no quorum):
// Raft's behaviour under a profile that says every up member must follow one leader it reaches,
// whenever any member runs (issue 8, acceptance 4).
#pragma once

namespace electsim::testing {

// Registers "raft-judged-without-quorum" (register_algorithm_for_tests).
void register_no_quorum_profile();

}  // namespace electsim::testing
