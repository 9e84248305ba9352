// Ballot numbers (Lamport, "Paxos Made Simple", 2001, section 2.5: "different proposers choose
// their numbers from disjoint sets of numbers"). A ballot is a pair (round, proposer), ordered by
// round and then by proposer, encoded in one uint64 so that the integer order is the pair order:
// round << 16 | (proposer's position in its group + 1). The low 16 bits are never zero, so ballot
// 0 means "none", and a group may have up to 65534 members. The encoded ballot is Multi-Paxos'
// epoch and its fencing token (DESIGN.md's table: "ballot | ballot").
#pragma once

#include <cstdint>

#include "sim/check.h"

namespace electsim::algorithms::multipaxos {

using Ballot = uint64_t;
inline constexpr Ballot kNoBallot = 0;
inline constexpr int kProposerBits = 16;
inline constexpr uint64_t kMaxProposers = (uint64_t{1} << kProposerBits) - 2;

constexpr Ballot make_ballot(uint64_t round, uint64_t member_position) {
  return (round << kProposerBits) | (member_position + 1);
}
constexpr uint64_t round_of(Ballot ballot) { return ballot >> kProposerBits; }

// The lowest ballot of `member_position` that is higher than `above`: the next round.
inline Ballot next_ballot(Ballot above, uint64_t member_position) {
  SIM_CHECK(member_position < kMaxProposers, "a group too large for 16-bit proposer ids");
  return make_ballot(round_of(above) + 1, member_position);
}

static_assert(make_ballot(1, 0) > make_ballot(0, 9), "the round decides first");
static_assert(make_ballot(2, 1) > make_ballot(2, 0), "then the proposer");

}  // namespace electsim::algorithms::multipaxos
