// Test-only broken variants of Multi-Paxos' support rules (issue 14, acceptance 1: "for each
// consensus algorithm ..., one broken variant of its support rule"), each caught by the check
// named for the rule it breaks (tests/multipaxos_support_variants_test.cc):
// - multipaxos-accepts-below-promise: an acceptor that checks an Accept against the ballot it
//   last accepted instead of the one it promised (Paxos Made Simple 2.2, phase 2(b): it accepts
//   "unless it has already responded to a prepare request having a number greater than n"),
//   so it takes a deposed leader's Accept after promising a higher ballot:
//   promises_never_go_backwards.
// - multipaxos-counts-promises-twice: a proposer that counts every Promise it receives, so a
//   duplicated one counts twice towards its majority: leader_had_a_quorum, at the election.
#pragma once

namespace electsim::testing {

inline constexpr char kMultiPaxosAcceptsBelowPromiseName[] = "multipaxos-accepts-below-promise";
inline constexpr char kMultiPaxosCountsPromisesTwiceName[] = "multipaxos-counts-promises-twice";

// Registers both (register_algorithm_for_tests).
void register_multipaxos_support_variants();

}  // namespace electsim::testing
