// An acceptor's log of no-op entries: for each slot, the ballot under which it accepted that
// slot's value (Lamport, "Paxos Made Simple", 2001, section 3: one instance of consensus per
// slot), and how far it knows the slots are chosen. Slots are 1-based; the log has no gaps,
// because an acceptor takes a range of slots only if it knows every slot before the range is
// chosen (see accept_range).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "algorithms/multipaxos/ballot.h"
#include "sim/algorithm.h"
#include "sim/check.h"

namespace electsim::algorithms::multipaxos {

class AcceptorLog {
 public:
  uint64_t last_slot() const { return ballots_.size(); }
  uint64_t chosen_through() const { return chosen_through_; }
  Ballot ballot_at(uint64_t slot) const {
    SIM_CHECK(slot >= 1 && slot <= last_slot(), "slot outside the log");
    return ballots_[slot - 1];
  }

  // The newest entry in the order logs are compared in, (ballot, slot): the highest ballot
  // accepted, at the highest slot accepted under it. {0, 0} for an empty log.
  sim::LogPosition newest() const;

  // Phase 2b for the slots first..last under `ballot`. The slots up to chosen_through() are
  // chosen and stay as they are (their values are known); the rest of the range is accepted
  // under `ballot`. Refused (returns false, nothing changes) if the range starts after
  // chosen_through() + 1: the slots between would be a gap this acceptor cannot vouch for, and
  // the proposer resends from chosen_through() + 1.
  bool accept_range(Ballot ballot, uint64_t first, uint64_t last);

  // A leader's own log: every slot from first to last under `ballot`, filling what it lacks
  // (Paxos Made Simple, section 3: a new leader fills the gaps with no-ops).
  void propose_range(Ballot ballot, uint64_t first, uint64_t last);

  // Learns that every slot through `slot` is chosen. Returns true if that is news.
  bool learn_chosen(uint64_t slot);

  // The lowest slot whose ballot changed since mark_saved(), so that persisting writes only the
  // changed tail, as a log file is appended to.
  uint64_t first_unsaved() const { return first_unsaved_; }
  void mark_saved() { first_unsaved_ = last_slot() + 1; }
  std::span<const uint64_t> ballots() const { return ballots_; }
  void assign(std::span<const uint64_t> ballots, uint64_t chosen_through);

 private:
  void set(uint64_t slot, Ballot ballot);

  std::vector<Ballot> ballots_;  // ballots_[slot - 1]
  uint64_t chosen_through_ = 0;
  uint64_t first_unsaved_ = 1;
};

}  // namespace electsim::algorithms::multipaxos
