// What bounded exclusivity excuses a deposed leader (internal to sim/checks): per host, the time
// it spent paused and the backward steps of its clock, cumulative, and the slowest drift its clock
// ran at. A bound like CheckQuorum's is kept by the leader's own timers on its own clock: a paused
// host runs no timer, a clock stepped back by X fires its timers X later in true time (the world
// keeps timers as local deadlines), and a slow clock stretches every timer.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/layout.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::sim::checks {

class HostClocks {
 public:
  explicit HostClocks(uint32_t hosts) : hosts_(hosts) {}

  static KindMask kinds();
  // Takes host records (pause, resume, crash, restart, clock changes); ignores the rest.
  void apply(const TraceRecord& record);

  // Paused time plus backward clock steps on `host` from the start of the run until `now`.
  Duration excused(HostId host, Instant now) const;
  // `bound` stretched by the slowest drift the host's clock has had, to first order.
  Duration stretched(HostId host, Duration bound) const;

 private:
  struct Host {
    std::optional<Instant> paused_since;
    Duration excused;          // closed pauses and backward steps so far
    int64_t offset_ns = 0;     // the clock's current offset (kOffset sets it)
    int64_t slowest_ppm = 0;   // the most negative drift seen, or 0
  };
  std::vector<Host> hosts_;
};

}  // namespace electsim::sim::checks
