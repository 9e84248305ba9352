#include "algorithms/raft/raft_log.h"

#include <algorithm>

namespace electsim::algorithms::raft {

bool RaftLog::merge(uint64_t prev_index, uint64_t term, uint64_t count) {
  SIM_CHECK(prev_index <= last_index(), "merge after a gap in the log");
  bool changed = false;
  for (uint64_t index = prev_index + 1; index <= prev_index + count; ++index) {
    if (index <= last_index()) {
      if (terms_[index] == term) continue;
      terms_.resize(index);  // paper 5.3: delete the conflicting entry and all that follow it
      first_unsaved_ = std::min(first_unsaved_, index);
    }
    append(term);
    changed = true;
  }
  return changed;
}

uint64_t RaftLog::run_length(uint64_t from, uint64_t max) const {
  SIM_CHECK(from >= 1 && from <= last_index(), "run starts outside the log");
  const uint64_t term = terms_[from];
  uint64_t length = 0;
  while (length < max && from + length <= last_index() && terms_[from + length] == term) {
    ++length;
  }
  return length;
}

void RaftLog::assign(std::span<const uint64_t> entry_terms) {
  SIM_CHECK(std::is_sorted(entry_terms.begin(), entry_terms.end()),
            "entries' terms never decrease along a log");
  terms_.assign(1, 0);
  terms_.insert(terms_.end(), entry_terms.begin(), entry_terms.end());
  first_unsaved_ = 1;
}

}  // namespace electsim::algorithms::raft
