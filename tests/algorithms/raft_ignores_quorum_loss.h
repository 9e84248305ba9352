// A test-only Raft whose CheckQuorum is broken: its leader keeps leading after losing its
// majority (issue 8, acceptance 4). With check_quorum on, its profile promises bounded
// exclusivity like Raft's, so the bounded_exclusivity check must catch it.
#pragma once

namespace electsim::testing {

// Registers "raft-ignores-quorum-loss" (register_algorithm_for_tests).
void register_raft_ignores_quorum_loss();

}  // namespace electsim::testing
