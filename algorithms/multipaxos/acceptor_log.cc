#include "algorithms/multipaxos/acceptor_log.h"

#include <algorithm>

namespace electsim::algorithms::multipaxos {

sim::LogPosition AcceptorLog::newest() const {
  sim::LogPosition newest;
  for (uint64_t slot = 1; slot <= last_slot(); ++slot) {
    newest = std::max(newest, sim::LogPosition{ballots_[slot - 1], slot});
  }
  return newest;
}

bool AcceptorLog::accept_range(Ballot ballot, uint64_t first, uint64_t last) {
  SIM_CHECK(first >= 1, "slots are 1-based");
  if (first > chosen_through_ + 1) return false;
  for (uint64_t slot = std::max(first, chosen_through_ + 1); slot <= last; ++slot) {
    set(slot, ballot);
  }
  return true;
}

void AcceptorLog::propose_range(Ballot ballot, uint64_t first, uint64_t last) {
  SIM_CHECK(first >= 1 && first <= last_slot() + 1, "a leader's log has no gap");
  for (uint64_t slot = first; slot <= last; ++slot) set(slot, ballot);
}

void AcceptorLog::set(uint64_t slot, Ballot ballot) {
  if (slot > last_slot()) {
    SIM_CHECK(slot == last_slot() + 1, "an acceptor's log has no gap");
    ballots_.push_back(ballot);
  } else if (ballots_[slot - 1] == ballot) {
    return;
  } else {
    ballots_[slot - 1] = ballot;
  }
  first_unsaved_ = std::min(first_unsaved_, slot);
}

bool AcceptorLog::learn_chosen(uint64_t slot) {
  SIM_CHECK(slot <= last_slot(), "a slot is learned chosen only where the log has it");
  if (slot <= chosen_through_) return false;
  chosen_through_ = slot;
  return true;
}

void AcceptorLog::assign(std::span<const uint64_t> ballots, uint64_t chosen_through) {
  SIM_CHECK(chosen_through <= ballots.size(), "chosen past the log's end");
  ballots_.assign(ballots.begin(), ballots.end());
  chosen_through_ = chosen_through;
  mark_saved();
}

}  // namespace electsim::algorithms::multipaxos
