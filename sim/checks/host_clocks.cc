#include "sim/checks/host_clocks.h"

#include <algorithm>

#include "sim/check.h"

namespace electsim::sim::checks {

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
      return;
    case RecordKind::kResume:
    case RecordKind::kCrash:  // a crash ends a pause: the host is down, not frozen
      if (host.paused_since) host.excused = host.excused + (record.time - *host.paused_since);
      host.paused_since.reset();
      return;
    case RecordKind::kClockChange: {
      const auto value = static_cast<int64_t>(record.b);
      int64_t step_ns = 0;
      if (record.a == static_cast<uint64_t>(ClockChange::kOffset)) {
        step_ns = value - host.offset_ns;
        host.offset_ns = value;
      } else if (record.a == static_cast<uint64_t>(ClockChange::kJump)) {
        step_ns = value;
      } else {
        host.slowest_ppm = std::min(host.slowest_ppm, value);
      }
      if (step_ns < 0) host.excused = host.excused + Duration::nanoseconds(-step_ns);
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
