// A host's local clock: an offset, a drift rate in parts per million, and jumps, all set by
// faults. Algorithms read only local time; checks judge in true time (DESIGN.md, "Time").
//
// The clock is piecewise linear in true time. Each segment starts at a true instant `base_true`
// showing `base_local`, and runs at (1'000'000 + drift_ppm) / 1'000'000 local ns per true ns:
//
//   local(t) = base_local + floor((t - base_true) * (1e6 + ppm) / 1e6)
//
// The inverse is exact in integers: the earliest true instant at which the clock shows at least
// a given local time (what a timer needs) is a ceiling division. 128-bit intermediates keep both
// exact for any run shorter than a few centuries.
#pragma once

#include <cstdint>

#include "sim/time.h"

namespace electsim::sim {

class LocalClock {
 public:
  static constexpr int64_t kPpmScale = 1'000'000;
  // Drift is limited so that a clock always moves forward in true time.
  static constexpr int64_t kMaxDriftPpm = 500'000;

  LocalClock() = default;

  // Local time at true instant `true_now` (which must not precede the current segment).
  LocalInstant local_at(Instant true_now) const {
    SIM_CHECK_GE(true_now, base_true_, "clock read before its current segment");
    if (drift_ppm_ == 0) return base_local_ + (true_now - base_true_);  // the common case, exact
    return local_at_drifting(true_now);
  }
  // The earliest true instant t >= `not_before` at which local_at(t) >= `local_target`.
  Instant true_when_local_reaches(LocalInstant local_target, Instant not_before) const;

  // Changes take effect at true instant `true_now` and keep the clock continuous, except jumps.
  void set_drift_ppm(Instant true_now, int64_t drift_ppm);
  // Sets the offset: from `true_now` on, local = true + offset (plus drift accumulated after).
  void set_offset(Instant true_now, Duration offset);
  // Moves the local clock forward (positive) or backward (negative) by `amount` at `true_now`.
  void jump(Instant true_now, Duration amount);

  int64_t drift_ppm() const { return drift_ppm_; }
  // The current offset local - true at `true_now`.
  Duration offset_at(Instant true_now) const {
    return Duration::nanoseconds(checked_sub(local_at(true_now).ns(), true_now.ns()));
  }

 private:
  void rebase(Instant true_now);
  LocalInstant local_at_drifting(Instant true_now) const;

  Instant base_true_;
  LocalInstant base_local_;
  int64_t drift_ppm_ = 0;
};

}  // namespace electsim::sim
