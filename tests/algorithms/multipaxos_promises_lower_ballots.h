// A test-only Multi-Paxos whose acceptors promise any ballot, lower ones included, after they
// promised a higher one (issue 10, acceptance 4: "Paxos accepting a lower ballot after promising
// a higher one"). Two proposers can then both collect a majority, the lower one after the
// higher: the token checks (tokens_increase), and one leader per epoch where ballots repeat,
// must catch it.
#pragma once

namespace electsim::testing {

inline constexpr char kMultiPaxosPromisesLowerBallotsName[] = "multipaxos-promises-lower-ballots";

// Registers "multipaxos-promises-lower-ballots" (register_algorithm_for_tests).
void register_multipaxos_promises_lower_ballots();

}  // namespace electsim::testing
