#include "sim/clock.h"

namespace electsim::sim {
namespace {

using Int128 = __int128;

int64_t floor_div(Int128 a, Int128 b) {  // b > 0
  Int128 q = a / b;
  if ((a % b != 0) && (a < 0)) --q;
  return static_cast<int64_t>(q);
}
int64_t ceil_div(Int128 a, Int128 b) {  // b > 0
  Int128 q = a / b;
  if ((a % b != 0) && (a > 0)) ++q;
  return static_cast<int64_t>(q);
}

}  // namespace

LocalInstant LocalClock::local_at_drifting(Instant true_now) const {
  const Int128 elapsed = (true_now - base_true_).ns();
  const int64_t local_elapsed = floor_div(elapsed * (kPpmScale + drift_ppm_), kPpmScale);
  return base_local_ + Duration::nanoseconds(local_elapsed);
}

Instant LocalClock::true_when_local_reaches(LocalInstant local_target, Instant not_before) const {
  SIM_CHECK_GE(not_before, base_true_, "clock query before its current segment");
  if (local_at(not_before) >= local_target) return not_before;
  if (drift_ppm_ == 0) return base_true_ + (local_target - base_local_);  // rate 1: exact
  // Smallest e with floor(e * r / S) >= L  <=>  e * r >= L * S  <=>  e >= ceil(L * S / r).
  const Int128 local_needed = (local_target - base_local_).ns();
  const int64_t elapsed = ceil_div(local_needed * kPpmScale, kPpmScale + drift_ppm_);
  const Instant t = base_true_ + Duration::nanoseconds(elapsed);
  return t < not_before ? not_before : t;
}

void LocalClock::rebase(Instant true_now) {
  base_local_ = local_at(true_now);
  base_true_ = true_now;
}

void LocalClock::set_drift_ppm(Instant true_now, int64_t drift_ppm) {
  SIM_CHECK(drift_ppm > -kMaxDriftPpm && drift_ppm < kMaxDriftPpm, "drift out of range");
  rebase(true_now);
  drift_ppm_ = drift_ppm;
}

void LocalClock::set_offset(Instant true_now, Duration offset) {
  rebase(true_now);
  base_local_ = LocalInstant::from_ns(true_now.ns()) + offset;
}

void LocalClock::jump(Instant true_now, Duration amount) {
  rebase(true_now);
  base_local_ = base_local_ + amount;
}

}  // namespace electsim::sim
