// A test-only Multi-Paxos whose acceptors promise any ballot, lower ones included, after they
// promised a higher one (issue 10, acceptance 4: "Paxos accepting a lower ballot after promising
// a higher one"). Its followers then follow a lower ballot's leader after a higher one's:
// epochs_never_go_backwards catches it (518 of nemesis seeds 1..1000; issue 14's
// promises_never_go_backwards will see the lower promise itself). tokens_increase cannot: a
// ballot is its own token, so tokens always rise with epochs.
#pragma once

namespace electsim::testing {

inline constexpr char kMultiPaxosPromisesLowerBallotsName[] = "multipaxos-promises-lower-ballots";

// Registers "multipaxos-promises-lower-ballots" (register_algorithm_for_tests).
void register_multipaxos_promises_lower_ballots();

}  // namespace electsim::testing
