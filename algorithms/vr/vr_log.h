// Viewstamped Replication's log of no-op entries (Liskov & Cowling 2012, section 4: "log", an
// array of entries; "op-number", the position of the most recently received request). The
// simulator elects primaries, it does not execute operations, so an entry's only content is the
// view in which a primary appended it. Op-number 0 is a sentinel of view 0 that every log has,
// so "the entry before the first" always exists (ops are numbered from 1, as in the paper).
//
// Views along a log never decrease: a replica only ever adopts a whole log from a view's primary
// (StartView) or appends that primary's entries in order (Prepare).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/check.h"

namespace electsim::algorithms::vr {

class VrLog {
 public:
  VrLog() : views_(1, 0) {}

  uint64_t op_number() const { return views_.size() - 1; }
  uint64_t last_view() const { return views_.back(); }
  uint64_t view_at(uint64_t op) const {
    SIM_CHECK(op <= op_number(), "op-number past the end of the log");
    return views_[op];
  }

  void append(uint64_t view) {
    SIM_CHECK(view >= last_view(), "views never decrease along a log");
    views_.push_back(view);
    first_unsaved_ = std::min(first_unsaved_, op_number());
  }
  // Drops every entry after `op` (a no-op if the log is that short already).
  void truncate(uint64_t op) {
    if (op >= op_number()) return;
    views_.resize(op + 1);
    first_unsaved_ = std::min(first_unsaved_, op + 1);
  }

  // The number of consecutive entries from `from` (1 <= from <= op_number) that share its view,
  // capped at `max`: what one Prepare or NewState carries.
  uint64_t run_length(uint64_t from, uint64_t max) const {
    SIM_CHECK(from >= 1 && from <= op_number(), "run starts outside the log");
    uint64_t length = 0;
    while (length < max && from + length <= op_number() && views_[from + length] == views_[from]) {
      ++length;
    }
    return length;
  }

  // Persistence: the views of ops 1..op_number, and the lowest op changed since mark_saved().
  std::span<const uint64_t> entry_views() const {
    return std::span<const uint64_t>(views_).subspan(1);
  }
  uint64_t first_unsaved() const { return std::min(first_unsaved_, op_number() + 1); }
  void mark_saved() { first_unsaved_ = op_number() + 1; }
  // Replaces the log (every entry counts as changed).
  void assign(std::span<const uint64_t> entry_views) {
    SIM_CHECK(std::is_sorted(entry_views.begin(), entry_views.end()),
              "views never decrease along a log");
    views_.assign(1, 0);
    views_.insert(views_.end(), entry_views.begin(), entry_views.end());
    first_unsaved_ = 1;
  }

 private:
  std::vector<uint64_t> views_;  // views_[op] is the view of the entry at op-number op
  uint64_t first_unsaved_ = 1;
};

}  // namespace electsim::algorithms::vr
