// Timers in the world (sim/world.h): a timer is set for a LOCAL duration, so when a fault
// changes the node's clock while the timer is pending, it fires at the true instant the local
// clock reaches the deadline. Expected instants are worked out by hand from the clock formula
// local(t) = base_local + floor((t - base_true) * (1e6 + ppm) / 1e6) (sim/clock.h).
#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "sim/world.h"
#include "tests/sim_test_support.h"

namespace electsim::sim {
namespace {

using test_support::at_ms;
using test_support::ms;
using test_support::RecordingObserver;
using test_support::Script;
using test_support::ScriptedFactory;

// The first true elapsed ns at which a clock running at (1e6 + ppm) / 1e6 has advanced by
// `local_ns`: ceil(local_ns * 1e6 / (1e6 + ppm)).
int64_t true_ns_for_local(int64_t local_ns, int64_t ppm) {
  const int64_t numerator = local_ns * 1'000'000;
  const int64_t rate = 1'000'000 + ppm;
  return numerator / rate + (numerator % rate != 0 ? 1 : 0);
}

// One node sets timer 0 for 100ms of local time at start; `fault` runs at `fault_at` true
// time. Returns the timer records the run produced.
struct TimerRun {
  std::vector<TraceRecord> timers;
  std::vector<LocalInstant> local_seen_in_handler;
};

TimerRun run_with_fault(Instant fault_at, const std::function<void(World&)>& fault) {
  TimerRun run;
  Script script;
  script.on_start = [](Context& context, const DurableState*) { context.set_timer(0, ms(100)); };
  script.on_timer = [&run](Context& context, TimerId) {
    run.local_seen_in_handler.push_back(context.local_now());
  };
  ScriptedFactory factory({script});
  World world(1, 1, Link{}, factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.start();
  world.at(fault_at, [&world, &fault] { fault(world); });
  world.run_until(at_ms(1000));
  run.timers = observer.of_kind(RecordKind::kTimer);
  return run;
}

void expect_fires_once_at(const TimerRun& run, Instant true_time, Instant local_time) {
  ASSERT_EQ(run.timers.size(), 1u);
  EXPECT_EQ(run.timers[0].time, true_time) << "fired at " << run.timers[0].time.ns();
  EXPECT_EQ(run.timers[0].a, 0u);
  EXPECT_EQ(static_cast<int64_t>(run.timers[0].b), local_time.ns());
  ASSERT_EQ(run.local_seen_in_handler.size(), 1u);
  EXPECT_EQ(run.local_seen_in_handler[0].ns(), local_time.ns());
}

TEST(WorldTimers, FiresAfterItsLocalDurationWithoutFaults) {
  const TimerRun run = run_with_fault(at_ms(500), [](World&) {});
  expect_fires_once_at(run, at_ms(100), at_ms(100));
}

TEST(WorldTimers, FasterDriftWhilePendingFiresEarlier) {
  // At true 40ms the clock shows 40ms; 60ms of local time remain, at 1.25 local ns per true ns.
  const TimerRun run = run_with_fault(at_ms(40), [](World& w) { w.set_clock_drift(0, 250'000); });
  expect_fires_once_at(run, at_ms(40) + Duration::nanoseconds(true_ns_for_local(60'000'000, 250'000)),
                       at_ms(100));
  EXPECT_EQ(run.timers[0].time, at_ms(88));  // 60 / 1.25 = 48
}

TEST(WorldTimers, SlowerDriftWhilePendingFiresLater) {
  const TimerRun run = run_with_fault(at_ms(40), [](World& w) { w.set_clock_drift(0, -200'000); });
  expect_fires_once_at(run, at_ms(115), at_ms(100));  // 60 / 0.8 = 75
}

TEST(WorldTimers, RealisticDriftWhilePendingIsExactToTheNanosecond) {
  const TimerRun run = run_with_fault(at_ms(40), [](World& w) { w.set_clock_drift(0, 100); });
  // ceil(60e6 * 1e6 / 1'000'100) = ceil(59'994'000.59...) = 59'994'001.
  const Instant expected = at_ms(40) + Duration::nanoseconds(59'994'001);
  EXPECT_EQ(expected.ns(), 40'000'000 + true_ns_for_local(60'000'000, 100));
  // The clock shows floor(59'994'001 * 1.0001) = 60'000'000.4 -> exactly 100ms local.
  expect_fires_once_at(run, expected, at_ms(100));
}

TEST(WorldTimers, TwoDriftChangesWhilePending) {
  Script script;
  script.on_start = [](Context& context, const DurableState*) { context.set_timer(0, ms(100)); };
  ScriptedFactory factory({script});
  World world(1, 1, Link{}, factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.start();
  world.at(at_ms(40), [&world] { world.set_clock_drift(0, 250'000); });
  // By true 60ms the clock shows 40 + 20 * 1.25 = 65ms; 35ms local remain at 0.8 -> 43.75ms.
  world.at(at_ms(60), [&world] { world.set_clock_drift(0, -200'000); });
  world.run_until(at_ms(1000));
  const auto timers = observer.of_kind(RecordKind::kTimer);
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0].time, at_ms(60) + Duration::microseconds(43'750));
}

TEST(WorldTimers, ForwardJumpFiresEarlier) {
  // +30ms at true 40ms: the clock shows 70ms, 30ms remain.
  const TimerRun run = run_with_fault(at_ms(40), [](World& w) { w.jump_clock(0, ms(30)); });
  expect_fires_once_at(run, at_ms(70), at_ms(100));
}

TEST(WorldTimers, ForwardJumpPastTheDeadlineFiresImmediately) {
  const TimerRun run = run_with_fault(at_ms(40), [](World& w) { w.jump_clock(0, ms(200)); });
  expect_fires_once_at(run, at_ms(40), at_ms(240));
}

TEST(WorldTimers, BackwardJumpFiresLater) {
  // -30ms at true 40ms: the clock shows 10ms, 90ms remain.
  const TimerRun run = run_with_fault(at_ms(40), [](World& w) { w.jump_clock(0, ms(-30)); });
  expect_fires_once_at(run, at_ms(130), at_ms(100));
}

TEST(WorldTimers, OffsetChangeMovesTheDeadline) {
  const TimerRun run = run_with_fault(at_ms(40), [](World& w) { w.set_clock_offset(0, ms(20)); });
  expect_fires_once_at(run, at_ms(80), at_ms(100));
}

TEST(WorldTimers, DriftSetBeforeTheTimerApplies) {
  Script script;
  script.on_start = [](Context& context, const DurableState*) { context.set_timer(0, ms(100)); };
  ScriptedFactory factory({script});
  World world(1, 1, Link{}, factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.set_clock_drift(0, -100);
  world.start();
  world.run_until(at_ms(1000));
  const auto timers = observer.of_kind(RecordKind::kTimer);
  ASSERT_EQ(timers.size(), 1u);
  // ceil(1e8 * 1e6 / 999'900) = ceil(100'010'001.0001) = 100'010'002.
  EXPECT_EQ(timers[0].time.ns(), 100'010'002);
  EXPECT_EQ(timers[0].time.ns(), true_ns_for_local(100'000'000, -100));
}

// Work between chunks of a run: the world has peeked at the pending timer (due at 100ms) when
// run_until(50ms) returns; a fault scheduled before it must still be accepted and ordered.
TEST(WorldTimers, ChunkedRunAcceptsFaultsBetweenChunks) {
  Script script;
  script.on_start = [](Context& context, const DurableState*) { context.set_timer(0, ms(100)); };
  ScriptedFactory factory({script});
  World world(1, 1, Link{}, factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.start();
  world.run_until(at_ms(50));
  world.at(at_ms(60), [&world] { world.jump_clock(0, ms(20)); });
  world.set_clock_drift(0, 250'000);  // directly, at true 50ms: 50ms local remain at 1.25x
  world.run_until(at_ms(1000));
  const auto timers = observer.of_kind(RecordKind::kTimer);
  ASSERT_EQ(timers.size(), 1u);
  // 50 -> 60ms true: local 50 -> 62.5; the jump makes it 82.5; 17.5ms local remain -> 14ms.
  EXPECT_EQ(timers[0].time, at_ms(74));
}

// Timer 1 acts on timer 0 while it is pending.
std::vector<TraceRecord> run_timer_script(const std::function<void(Context&)>& at_ten_ms) {
  Script script;
  script.on_start = [](Context& context, const DurableState*) {
    context.set_timer(0, ms(100));
    context.set_timer(1, ms(10));
  };
  script.on_timer = [&at_ten_ms](Context& context, TimerId timer) {
    if (timer == 1) at_ten_ms(context);
  };
  ScriptedFactory factory({script});
  World world(1, 1, Link{}, factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.start();
  world.run_until(at_ms(1000));
  std::vector<TraceRecord> timer0;
  for (const TraceRecord& r : observer.of_kind(RecordKind::kTimer))
    if (r.a == 0) timer0.push_back(r);
  return timer0;
}

TEST(WorldTimers, ResetLaterFiresOnceAtTheNewDeadline) {
  const auto fired = run_timer_script([](Context& c) { c.set_timer(0, ms(150)); });
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].time, at_ms(160));
}

TEST(WorldTimers, ResetEarlierFiresOnceAtTheNewDeadline) {
  const auto fired = run_timer_script([](Context& c) { c.set_timer(0, ms(20)); });
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].time, at_ms(30));
}

TEST(WorldTimers, CancelledTimerNeverFires) {
  EXPECT_TRUE(run_timer_script([](Context& c) { c.cancel_timer(0); }).empty());
}

TEST(WorldTimers, CancelThenSetFiresAtTheNewDeadline) {
  const auto fired = run_timer_script([](Context& c) {
    c.cancel_timer(0);
    c.set_timer(0, ms(500));
  });
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].time, at_ms(510));
}

TEST(WorldTimers, RangeTimerDrawsWithinTheRange) {
  Script script;
  script.on_start = [](Context& context, const DurableState*) {
    context.set_timer(0, ms(150), ms(300));
  };
  script.on_timer = [](Context& context, TimerId) { context.set_timer(0, ms(150), ms(300)); };
  ScriptedFactory factory({script});
  World world(9, 3, Link{}, factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.start();
  world.run_until(at_ms(60'000));
  for (NodeId node = 0; node < 3; ++node) {
    const auto fired = observer.of_kind(RecordKind::kTimer, node);
    ASSERT_GT(fired.size(), 150u);
    Instant previous = Instant::zero();
    std::vector<int64_t> gaps;
    for (const TraceRecord& r : fired) {
      const Duration gap = r.time - previous;
      ASSERT_GE(gap, ms(150));
      ASSERT_LE(gap, ms(300));
      gaps.push_back(gap.ns());
      previous = r.time;
    }
    std::sort(gaps.begin(), gaps.end());
    EXPECT_LT(gaps.front(), ms(160).ns());  // the draws spread over the range
    EXPECT_GT(gaps.back(), ms(290).ns());
  }
  // Each node draws from its own stream.
  EXPECT_NE(observer.of_kind(RecordKind::kTimer, 0)[0].time,
            observer.of_kind(RecordKind::kTimer, 1)[0].time);
}

// A node's random draws come from its own stream: another node drawing more does not shift them.
std::vector<uint64_t> node1_draws_when_node0_draws(int node0_draws) {
  std::vector<uint64_t> seen;
  Script node0;
  node0.on_start = [node0_draws](Context& context, const DurableState*) {
    for (int i = 0; i < node0_draws; ++i) context.rng().next();
    context.set_timer(0, ms(1), ms(1000));
  };
  Script node1;
  node1.on_start = [&seen](Context& context, const DurableState*) {
    for (int i = 0; i < 5; ++i) seen.push_back(context.rng().next());
  };
  ScriptedFactory factory({node0, node1});
  World world(77, 2, Link{}, factory);
  world.start();
  world.run_until(at_ms(10));
  return seen;
}

TEST(WorldRandomness, NodeStreamsAreIndependent) {
  const auto alone = node1_draws_when_node0_draws(0);
  ASSERT_EQ(alone.size(), 5u);
  EXPECT_EQ(node1_draws_when_node0_draws(1000), alone);
}

}  // namespace
}  // namespace electsim::sim
