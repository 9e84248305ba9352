// The node runtime (sim/world.h, DESIGN.md "Nodes"): a crash loses volatile state, pending
// timers and the messages in flight to the node; a restart rebuilds the algorithm from what it
// persisted (or from nothing, for an amnesia crash); a pause freezes the process while its clock
// runs on, and what arrived meanwhile is handled on resume, in arrival order.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "sim/world.h"
#include "tests/sim_test_support.h"

namespace electsim::sim {
namespace {

using test_support::at_ms;
using test_support::ms;
using test_support::RecordingObserver;
using test_support::Script;
using test_support::ScriptedFactory;

Link constant_link(Duration latency) {
  Link link;
  link.latency = LatencyModel::constant(latency);
  return link;
}

TEST(NodeRuntime, CrashDropsPendingTimers) {
  int starts = 0;
  Script script;
  script.on_start = [&starts](Context& context, const DurableState*) {
    ++starts;
    context.set_timer(0, ms(100));
    if (starts == 1) context.set_timer(1, ms(70));
  };
  ScriptedFactory factory({script});
  World world(1, 1, Link{}, factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.start();
  world.at(at_ms(50), [&world] { world.crash(0); });
  world.at(at_ms(60), [&world] { world.restart(0, /*amnesia=*/false); });
  world.run_until(at_ms(1000));
  EXPECT_EQ(starts, 2);
  // Only the restarted process's timer fires (at 60 + 100ms); neither of the first one's does.
  const auto timers = observer.of_kind(RecordKind::kTimer);
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0].time, at_ms(160));
  EXPECT_EQ(timers[0].a, 0u);
  ASSERT_EQ(observer.of_kind(RecordKind::kCrash).size(), 1u);
  EXPECT_EQ(observer.of_kind(RecordKind::kCrash)[0].time, at_ms(50));
  EXPECT_EQ(observer.of_kind(RecordKind::kRestart)[0].a, 0u);
  EXPECT_EQ(world.stats().timers_fired, 1u);
}

TEST(NodeRuntime, CrashStopNeverFiresAgain) {
  Script script;
  script.on_timer = [](Context&, TimerId) { ADD_FAILURE() << "a crashed node's timer fired"; };
  script.on_start = [](Context& context, const DurableState*) { context.set_timer(0, ms(100)); };
  ScriptedFactory factory({script});
  World world(1, 1, Link{}, factory);
  world.start();
  world.at(at_ms(99), [&world] { world.crash(0); });
  world.run_until(at_ms(1000));
  EXPECT_EQ(world.status(0), NodeStatus::kDown);
  EXPECT_EQ(world.algorithm(0), nullptr);
}

// Node 0 sends to node 1 at the start (arrives 10ms) and at 6ms and 8ms (arrive 16ms, 18ms).
// Node 1 crashes at 5ms and restarts at 7ms.
TEST(NodeRuntime, CrashDropsMessagesInFlightToTheOldProcess) {
  std::vector<uint64_t> received;
  Script sender;
  sender.on_start = [](Context& context, const DurableState*) {
    context.send(1, uint64_t{1});
    context.set_timer(0, ms(6));
    context.set_timer(1, ms(8));
  };
  sender.on_timer = [](Context& context, TimerId timer) {
    context.send(1, uint64_t{timer == 0 ? 2u : 3u});
  };
  Script receiver;
  receiver.on_message = [&received](Context&, NodeId from, const Payload& message) {
    EXPECT_EQ(from, 0u);
    received.push_back(message.as<uint64_t>());
  };
  ScriptedFactory factory({sender, receiver});
  World world(1, 2, constant_link(ms(10)), factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.start();
  world.at(at_ms(5), [&world] { world.crash(1); });
  world.at(at_ms(7), [&world] { world.restart(1, false); });
  world.run_until(at_ms(100));

  // Message 1 was addressed to the process that crashed: dropped on arrival, never handled.
  const auto drops = observer.of_kind(RecordKind::kDrop);
  ASSERT_EQ(drops.size(), 1u);
  EXPECT_EQ(drops[0].time, at_ms(10));
  EXPECT_EQ(drops[0].node, 1u);
  EXPECT_EQ(drops[0].peer, 0u);
  EXPECT_EQ(static_cast<DropReason>(drops[0].a), DropReason::kNodeDown);
  EXPECT_EQ(drops[0].b, observer.of_kind(RecordKind::kSend)[0].b);  // the same message id
  // Messages sent while node 1 was down or after its restart reach the new process: the network
  // does not know who is up, and they arrive after the restart.
  EXPECT_EQ(received, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(world.stats().messages_dropped, 1u);
  EXPECT_EQ(world.stats().messages_delivered, 2u);
}

TEST(NodeRuntime, MessagesToADownNodeAreDropped) {
  Script sender;
  sender.on_start = [](Context& context, const DurableState*) { context.set_timer(0, ms(20)); };
  sender.on_timer = [](Context& context, TimerId) { context.send(1, uint64_t{7}); };
  Script receiver;
  receiver.on_message = [](Context&, NodeId, const Payload&) { ADD_FAILURE() << "delivered"; };
  ScriptedFactory factory({sender, receiver});
  World world(1, 2, constant_link(ms(10)), factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.start();
  world.at(at_ms(1), [&world] { world.crash(1); });
  world.run_until(at_ms(100));
  const auto drops = observer.of_kind(RecordKind::kDrop);
  ASSERT_EQ(drops.size(), 1u);
  EXPECT_EQ(drops[0].time, at_ms(30));
  EXPECT_EQ(static_cast<DropReason>(drops[0].a), DropReason::kNodeDown);
}

// An algorithm with volatile state (a counter) and durable state (what it persists).
struct StartLog {
  std::vector<std::optional<DurableState>> restored;  // one entry per on_start
  std::vector<uint64_t> volatile_at_start;
};

class CountingAlgorithm final : public Algorithm {
 public:
  explicit CountingAlgorithm(StartLog& log) : log_(log) {}
  void on_start(Context& context, const DurableState* restored) override {
    log_.restored.push_back(restored ? std::optional<DurableState>(*restored) : std::nullopt);
    log_.volatile_at_start.push_back(counter_);
    if (restored == nullptr) context.persist(DurableState{1, 2, 3});
    context.set_timer(0, ms(10));
  }
  void on_message(Context&, NodeId, const Payload&) override {}
  void on_timer(Context& context, TimerId) override {
    counter_ += 5;
    context.persist(DurableState{counter_, 42});
    counter_ += 1000;  // never persisted: a crash must lose it
    context.set_timer(0, ms(10));
  }

 private:
  StartLog& log_;
  uint64_t counter_ = 0;
};

class CountingFactory final : public AlgorithmFactory {
 public:
  explicit CountingFactory(StartLog& log) : log_(log) {}
  std::unique_ptr<Algorithm> create(NodeId) const override {
    return std::make_unique<CountingAlgorithm>(log_);
  }

 private:
  StartLog& log_;
};

TEST(NodeRuntime, RestartRestoresOnlyPersistedState) {
  StartLog log;
  CountingFactory factory(log);
  World world(1, 1, Link{}, factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.start();
  // Timers fire at 10, 20, 30ms: persisted {5, 42}, {1010, 42}, {2015, 42}.
  world.at(at_ms(35), [&world] { world.crash(0); });
  world.at(at_ms(40), [&world] { world.restart(0, /*amnesia=*/false); });
  world.run_until(at_ms(45));

  ASSERT_EQ(log.restored.size(), 2u);
  EXPECT_FALSE(log.restored[0].has_value());  // first start: nothing
  ASSERT_TRUE(log.restored[1].has_value());
  EXPECT_EQ(*log.restored[1], (DurableState{2015, 42}));
  EXPECT_EQ(log.volatile_at_start, (std::vector<uint64_t>{0, 0}));
  ASSERT_NE(world.durable_state(0), nullptr);
  EXPECT_EQ(*world.durable_state(0), (DurableState{2015, 42}));
  // Persist records carry the number of words.
  const auto persists = observer.of_kind(RecordKind::kPersist);
  ASSERT_EQ(persists.size(), 4u);
  EXPECT_EQ(persists[0].a, 3u);
  EXPECT_EQ(persists[1].a, 2u);
}

TEST(NodeRuntime, AmnesiaRestartStartsFromNothing) {
  StartLog log;
  CountingFactory factory(log);
  World world(1, 1, Link{}, factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.start();
  world.at(at_ms(35), [&world] { world.crash(0); });
  world.at(at_ms(40), [&world] { world.restart(0, /*amnesia=*/true); });
  world.at(at_ms(41), [&world] { world.crash(0); });
  world.at(at_ms(42), [&world] { world.restart(0, /*amnesia=*/false); });
  world.run_until(at_ms(45));
  ASSERT_EQ(log.restored.size(), 3u);
  EXPECT_FALSE(log.restored[1].has_value());
  // The amnesia start persisted {1, 2, 3} again, and that is what the next restart sees.
  ASSERT_TRUE(log.restored[2].has_value());
  EXPECT_EQ(*log.restored[2], (DurableState{1, 2, 3}));
  const auto restarts = observer.of_kind(RecordKind::kRestart);
  ASSERT_EQ(restarts.size(), 2u);
  EXPECT_EQ(restarts[0].a, 1u);
  EXPECT_EQ(restarts[1].a, 0u);
}

TEST(NodeRuntime, AmnesiaClearsDurableState) {
  StartLog log;
  CountingFactory factory(log);
  World world(1, 1, Link{}, factory);
  world.start();
  world.at(at_ms(15), [&world] { world.crash(0); });
  world.run_until(at_ms(20));
  ASSERT_NE(world.durable_state(0), nullptr);
  world.restart(0, /*amnesia=*/true);
  // on_start ran with nothing and persisted its initial state afresh.
  ASSERT_EQ(log.restored.size(), 2u);
  EXPECT_FALSE(log.restored[1].has_value());
  EXPECT_EQ(*world.durable_state(0), (DurableState{1, 2, 3}));
}

// What node 1 handled, and when (true and local time).
LocalInstant local_ms(int64_t ms) { return LocalInstant::zero() + Duration::milliseconds(ms); }

struct Handled {
  std::string what;
  LocalInstant local;
  friend bool operator==(const Handled&, const Handled&) = default;
};

// Node 0 sends m1, m2, m3 at 0, 1, 2ms (arriving 10, 11, 12ms), m4 at 30ms (arrives 40ms) and
// m5 at 60ms (arrives 70ms). Node 1 sets a 20ms timer at start and is paused from 5 to 50ms.
struct PauseRun {
  std::vector<Handled> handled;
  std::vector<TraceRecord> delivers;
  std::vector<TraceRecord> timers;
  std::vector<TraceRecord> drops;
};

PauseRun run_pause(const std::function<void(World&)>& during_pause) {
  PauseRun run;
  Script sender;
  sender.on_start = [](Context& context, const DurableState*) {
    context.send(1, uint64_t{1});
    context.set_timer(0, ms(1));
  };
  sender.on_timer = [](Context& context, TimerId timer) {
    switch (timer) {
      case 0: context.send(1, uint64_t{2}); context.set_timer(1, ms(1)); break;
      case 1: context.send(1, uint64_t{3}); context.set_timer(2, ms(28)); break;
      case 2: context.send(1, uint64_t{4}); context.set_timer(3, ms(30)); break;
      case 3: context.send(1, uint64_t{5}); break;
      default: break;
    }
  };
  Script receiver;
  receiver.on_start = [](Context& context, const DurableState*) { context.set_timer(0, ms(20)); };
  receiver.on_message = [&run](Context& context, NodeId, const Payload& message) {
    run.handled.push_back({absl::StrCat("m", message.as<uint64_t>()), context.local_now()});
  };
  receiver.on_timer = [&run](Context& context, TimerId) {
    run.handled.push_back({"timer", context.local_now()});
  };
  ScriptedFactory factory({sender, receiver});
  World world(1, 2, constant_link(ms(10)), factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.start();
  world.at(at_ms(5), [&world] { world.pause(1); });
  world.at(at_ms(45), [&world, &during_pause] { during_pause(world); });
  world.at(at_ms(50), [&world] { world.resume(1); });
  world.run_until(at_ms(100));
  run.delivers = observer.of_kind(RecordKind::kDeliver);
  run.timers = observer.of_kind(RecordKind::kTimer, 1);
  run.drops = observer.of_kind(RecordKind::kDrop);
  return run;
}

TEST(NodeRuntime, PauseDelaysDeliveryAndKeepsArrivalOrder) {
  const PauseRun run = run_pause([](World&) {});
  // Everything that arrived during the pause is handled at resume, in arrival order, with the
  // timer (due at 20ms) between m3 (12ms) and m4 (40ms); the clock ran on during the pause.
  const std::vector<Handled> expected = {{"m1", local_ms(50)},    {"m2", local_ms(50)},
                                         {"m3", local_ms(50)},    {"timer", local_ms(50)},
                                         {"m4", local_ms(50)},    {"m5", local_ms(70)}};
  EXPECT_EQ(run.handled, expected);
  ASSERT_EQ(run.delivers.size(), 5u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(run.delivers[static_cast<size_t>(i)].time, at_ms(50));
  EXPECT_EQ(run.delivers[4].time, at_ms(70));
  ASSERT_EQ(run.timers.size(), 1u);
  EXPECT_EQ(run.timers[0].time, at_ms(50));
  EXPECT_EQ(static_cast<int64_t>(run.timers[0].b), at_ms(50).ns());
  EXPECT_TRUE(run.drops.empty());
}

TEST(NodeRuntime, ClockJumpDuringPauseDoesNotUnfireADueTimer) {
  // The timer came due at 20ms; a backward jump at 45ms does not take that back or reorder it.
  const PauseRun run = run_pause([](World& w) { w.jump_clock(1, ms(-40)); });
  ASSERT_EQ(run.handled.size(), 6u);
  EXPECT_EQ(run.handled[3].what, "timer");
  EXPECT_EQ(run.handled[3].local, LocalInstant::zero() + Duration::milliseconds(10));  // 50ms true, 40ms behind
  EXPECT_EQ(run.handled[4].what, "m4");
  EXPECT_EQ(run.timers.size(), 1u);
}

TEST(NodeRuntime, CrashDuringPauseDropsWhatWaited) {
  const PauseRun run = run_pause([](World& w) {
    w.crash(1);
    w.restart(1, false);
  });
  // m1..m4 waited in the paused process and die with it; the timer never fires for it. The
  // restarted process sets its own 20ms timer (fires at 65ms) and receives m5.
  ASSERT_EQ(run.drops.size(), 4u);
  for (const TraceRecord& drop : run.drops) {
    EXPECT_EQ(static_cast<DropReason>(drop.a), DropReason::kNodeDown);
    EXPECT_EQ(drop.time, at_ms(45));
  }
  const std::vector<Handled> expected = {{"timer", local_ms(65)}, {"m5", local_ms(70)}};
  EXPECT_EQ(run.handled, expected);
}

TEST(NodeRuntime, CrashOfTheLeaderStepsItDown) {
  Script leader;
  leader.on_start = [](Context& context, const DurableState*) { context.report(sim::Elected{3, 30, std::nullopt, std::nullopt}); };
  Script follower;
  follower.on_start = [](Context& context, const DurableState*) { context.report(sim::Follows{0, 3}); };
  ScriptedFactory factory({leader, follower});
  World world(1, 2, Link{}, factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  world.start();
  world.run_until(at_ms(1));
  ASSERT_TRUE(world.current_leader().has_value());
  EXPECT_EQ(*world.current_leader(), 0u);
  EXPECT_EQ(world.leadership(1).role, Role::kFollower);
  EXPECT_EQ(world.leadership(1).leader, 0u);
  world.crash(0);
  EXPECT_FALSE(world.current_leader().has_value());
  const auto steps = observer.of_kind(RecordKind::kSteppedDown);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(static_cast<StepDownReason>(steps[0].a), StepDownReason::kCrashed);
  EXPECT_EQ(steps[0].b, 3u);
  const auto led = observer.of_kind(RecordKind::kBecameLeader);
  ASSERT_EQ(led.size(), 1u);
  EXPECT_EQ(led[0].a, 3u);
  EXPECT_EQ(led[0].b, 30u);
}

TEST(NodeRuntime, StatusTransitions) {
  ScriptedFactory factory({Script{}});
  World world(1, 1, Link{}, factory);
  EXPECT_EQ(world.status(0), NodeStatus::kDown);  // not started yet
  world.start();
  world.run_until(at_ms(1));
  EXPECT_EQ(world.status(0), NodeStatus::kUp);
  world.pause(0);
  EXPECT_EQ(world.status(0), NodeStatus::kPaused);
  EXPECT_NE(world.algorithm(0), nullptr);
  world.resume(0);
  EXPECT_EQ(world.status(0), NodeStatus::kUp);
  world.crash(0);
  EXPECT_EQ(world.status(0), NodeStatus::kDown);
  world.restart(0, false);
  EXPECT_EQ(world.status(0), NodeStatus::kUp);
  EXPECT_EQ(factory.created(), 2);
}

}  // namespace
}  // namespace electsim::sim
