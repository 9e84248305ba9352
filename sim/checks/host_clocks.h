// What bounded exclusivity excuses a deposed leader (internal to sim/checks): per host, the time
// it spent paused and the backward steps of its clock, cumulative, and the slowest drift its clock
// ran at. A bound like CheckQuorum's is kept by the leader's own timers on its own clock: a paused
// host runs no timer, a clock stepped back by X fires its timers X later in true time (the world
// keeps timers as local deadlines), and a slow clock stretches every timer.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "sim/clock.h"
#include "sim/layout.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::sim::checks {

class HostClocks {
 public:
  // `horizon`: how far back excused_at() may be asked (older history is dropped).
  // `initial`: each host's clock at the start, by host (empty: true clocks).
  HostClocks(uint32_t hosts, Duration horizon, const std::vector<LocalClock>& initial = {});

  static KindMask kinds();
  // Takes host records (pause, resume, crash, restart, clock changes); ignores the rest.
  void apply(const TraceRecord& record);

  // Paused time plus backward clock steps on `host` from the start of the run until `now`.
  Duration excused(HostId host, Instant now) const;
  // The same until `at`, an earlier time no more than the horizon before the latest record.
  Duration excused_at(HostId host, Instant at) const;
  // `bound` stretched by the slowest drift the host's clock has had, to first order.
  Duration stretched(HostId host, Duration bound) const;

 private:
  // What excused() was after each change, with whether the host was paused from then on.
  struct Change {
    Instant time;
    Duration excused;
    bool paused;
  };
  struct Host {
    std::deque<Change> history;  // within the horizon, plus the last one before it
    std::optional<Instant> paused_since;
    Duration excused;          // closed pauses and backward steps so far
    LocalClock clock;          // the host's clock, rebuilt from its clock changes
    int64_t slowest_ppm = 0;   // the most negative drift seen, or 0
  };
  void remember(Host& host, Instant now);

  std::vector<Host> hosts_;
  Duration horizon_;
};

}  // namespace electsim::sim::checks
