#include "sim/checks/host_clocks.h"

#include <algorithm>

#include "sim/check.h"

namespace electsim::sim::checks {

HostClocks::HostClocks(uint32_t hosts, Duration horizon, const std::vector<LocalClock>& initial)
    : hosts_(hosts), horizon_(horizon) {
  for (HostId host = 0; host < hosts && host < initial.size(); ++host) {
    hosts_[host].clock = initial[host];
    hosts_[host].slowest_ppm = std::min<int64_t>(0, initial[host].drift_ppm());
  }
}

KindMask HostClocks::kinds() {
  return mask_of(RecordKind::kPause) | mask_of(RecordKind::kResume) |
         mask_of(RecordKind::kCrash) | mask_of(RecordKind::kRestart) |
         mask_of(RecordKind::kClockChange);
}

void HostClocks::apply(const TraceRecord& record) {
  if ((kinds() & mask_of(record.kind)) == 0) return;
  SIM_CHECK_LT(record.node, hosts_.size(), "host record for a host outside the layout");
  Host& host = hosts_[record.node];
  switch (record.kind) {
    case RecordKind::kPause:
      if (!host.paused_since) host.paused_since = record.time;
      remember(host, record.time);
      return;
    case RecordKind::kResume:
    case RecordKind::kCrash:  // a crash ends a pause: the host is down, not frozen
      if (host.paused_since) host.excused = host.excused + (record.time - *host.paused_since);
      host.paused_since.reset();
      remember(host, record.time);
      return;
    case RecordKind::kClockChange: {
      // The same change the world made (sim/clock.h), so the step is the clock's own.
      const auto value = static_cast<int64_t>(record.b);
      const LocalInstant before = host.clock.local_at(record.time);
      if (record.a == static_cast<uint64_t>(ClockChange::kOffset)) {
        host.clock.set_offset(record.time, Duration::nanoseconds(value));
      } else if (record.a == static_cast<uint64_t>(ClockChange::kJump)) {
        host.clock.jump(record.time, Duration::nanoseconds(value));
      } else {
        host.clock.set_drift_ppm(record.time, value);
        host.slowest_ppm = std::min(host.slowest_ppm, value);
      }
      const Duration step = host.clock.local_at(record.time) - before;
      if (step < Duration::zero()) {
        host.excused = host.excused + (Duration::zero() - step);
        remember(host, record.time);
      }
      return;
    }
    default:
      return;
  }
}

Duration HostClocks::excused(HostId host, Instant now) const {
  const Host& state = hosts_[host];
  if (!state.paused_since) return state.excused;
  return state.excused + (now - *state.paused_since);
}

void HostClocks::remember(Host& host, Instant now) {
  host.history.push_back(Change{now, host.excused, host.paused_since.has_value()});
  // Keep one change at or before the horizon as the baseline for questions about it.
  while (host.history.size() > 1 && host.history[1].time <= now - horizon_) {
    host.history.pop_front();
  }
}

Duration HostClocks::excused_at(HostId host, Instant at) const {
  const Host& state = hosts_[host];
  const Change* last = nullptr;
  for (const Change& change : state.history) {  // a handful within the horizon
    if (change.time > at) break;
    last = &change;
  }
  if (last == nullptr) return Duration::zero();
  return last->paused ? last->excused + (at - last->time) : last->excused;
}

Duration HostClocks::stretched(HostId host, Duration bound) const {
  // A local duration L passes in L / (1 + ppm/1e6) of true time; for |ppm| far below a million
  // that is L + L x |ppm| / 1e6 to first order, plus a nanosecond per millisecond for the rest.
  const int64_t slow_ppm = -hosts_[host].slowest_ppm;
  if (slow_ppm == 0) return bound;
  const int64_t ns = bound.ns();
  const int64_t extra = ns / 1'000'000 * slow_ppm + (ns % 1'000'000) * slow_ppm / 1'000'000;
  return bound + Duration::nanoseconds(extra + ns / 1'000'000 + 1);
}

}  // namespace electsim::sim::checks
