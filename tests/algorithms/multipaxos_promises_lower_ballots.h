// A test-only Multi-Paxos whose acceptors promise any ballot, lower ones included, after they
// promised a higher one (issue 10, acceptance 4: "Paxos accepting a lower ballot after promising
// a higher one"). promises_never_go_backwards sees the lower promise itself, first in each of
// the 958 failing nemesis seeds of 1..1000; its followers then follow a lower ballot's leader
// after a higher one's, which epochs_never_go_backwards reports too (520 of them).
// tokens_increase cannot see it: a ballot is its own token, so tokens always rise with epochs.
#pragma once

namespace electsim::testing {

inline constexpr char kMultiPaxosPromisesLowerBallotsName[] = "multipaxos-promises-lower-ballots";

// Registers "multipaxos-promises-lower-ballots" (register_algorithm_for_tests).
void register_multipaxos_promises_lower_ballots();

}  // namespace electsim::testing
