// Raft's log of no-op entries (paper 5.3, 5.4.1). The simulator only elects leaders, so an
// entry's content does not matter; its term does, because the vote rule compares logs by the
// term and index of their last entries. Index 0 is a sentinel of term 0 that every log has, so
// "the entry before the first" always exists (as in the paper, where logs start at index 1).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/check.h"

namespace electsim::algorithms::raft {

class RaftLog {
 public:
  // A log holding `entries` entries of term 0 (after the sentinel).
  explicit RaftLog(uint64_t entries = 0) : terms_(entries + 1, 0) {}

  uint64_t last_index() const { return terms_.size() - 1; }
  uint64_t last_term() const { return terms_.back(); }
  uint64_t term_at(uint64_t index) const {
    SIM_CHECK(index <= last_index(), "log index past the last entry");
    return terms_[index];
  }

  // Paper 5.4.1: another log, whose last entry is (last_log_term, last_log_index), is at least
  // as up-to-date as this one if its last term is later, or the terms are equal and it is at
  // least as long.
  bool other_is_up_to_date(uint64_t last_log_term, uint64_t last_log_index) const {
    if (last_log_term != last_term()) return last_log_term > last_term();
    return last_log_index >= last_index();
  }

  // Appends one entry (a leader's no-op, thesis 6.4).
  void append(uint64_t term) {
    SIM_CHECK(term >= last_term(), "entries' terms never decrease along a log");
    terms_.push_back(term);
    first_unsaved_ = std::min(first_unsaved_, last_index());
  }

  // The lowest index whose entry changed since mark_saved() (last_index() + 1 if none), so that
  // persisting writes only the changed tail, as a log file is appended to.
  uint64_t first_unsaved() const { return std::min(first_unsaved_, last_index() + 1); }
  void mark_saved() { first_unsaved_ = last_index() + 1; }

  // Follower side of AppendEntries (paper 5.3, Figure 2, receiver steps 3-4): `count` entries of
  // term `term` go after `prev_index`. An existing entry that conflicts (same index, other term)
  // is deleted with all that follow it; entries already present are kept, so a stale or
  // duplicated AppendEntries never shortens the log. Returns true if the log changed.
  bool merge(uint64_t prev_index, uint64_t term, uint64_t count);

  // The number of consecutive entries from `from` (<= last_index) that share its term, capped at
  // `max`: what one AppendEntries can carry as a run.
  uint64_t run_length(uint64_t from, uint64_t max) const;

  // The terms of entries 1..last_index, for persistence.
  std::span<const uint64_t> entry_terms() const {
    return std::span<const uint64_t>(terms_).subspan(1);
  }
  // Replaces the log with entries of the given terms (at indexes 1, 2, ...).
  void assign(std::span<const uint64_t> entry_terms);

 private:
  std::vector<uint64_t> terms_;
  uint64_t first_unsaved_ = 1;  // terms_[i] is the term of the entry at index i
};

}  // namespace electsim::algorithms::raft
