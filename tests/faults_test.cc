// Fault actions on processes, links and clocks (faults/injector.h): each shows its effect in the
// trace and its end restores what was there before.
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "faults/injector.h"
#include "tests/faults_test_support.h"

namespace electsim::faults {
namespace {

using namespace electsim::faults::testing;  // NOLINT: test vocabulary
using sim::NodeStatus;

constexpr uint64_t code(FaultKind kind) { return static_cast<uint64_t>(kind); }

TEST(FaultKinds, KeepTheCodesTheChecksMirror) {
  // sim/checks mirrors FaultKind by number; reordering the enum would silently break them.
  EXPECT_EQ(code(FaultKind::kCrash), 0u);
  EXPECT_EQ(code(FaultKind::kPause), 3u);
  EXPECT_EQ(code(FaultKind::kPartition), 4u);
  EXPECT_EQ(code(FaultKind::kHeal), 6u);
  EXPECT_EQ(code(FaultKind::kClockJump), 9u);
  EXPECT_STREQ(fault_kind_name(FaultKind::kAmnesiaCrash), "amnesia_crash");
}

// ---- Processes ----

TEST(CrashFault, CrashesTheLeaderAndRestartsItWithItsDurableState) {
  Cluster cluster(5);
  cluster.inject({fault_at(FaultKind::kCrash, 50, {role(Target::Kind::kLeader)}, 100)});
  cluster.run_to_ms(100);
  EXPECT_EQ(cluster.world().status(0), NodeStatus::kDown);
  EXPECT_FALSE(cluster.world().current_leader().has_value());
  const auto starts = cluster.recorder().of(RecordKind::kFaultStart);
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts[0].time, at_ms(50));
  EXPECT_EQ(starts[0].a, 0u);
  EXPECT_EQ(starts[0].b, code(FaultKind::kCrash));
  EXPECT_EQ(starts[0].node, 0u);
  ASSERT_EQ(cluster.recorder().of(RecordKind::kCrash, 0).size(), 1u);
  EXPECT_LT(cluster.recorder().first(RecordKind::kFaultStart),
            cluster.recorder().first(RecordKind::kCrash));

  cluster.run_to_ms(200);
  EXPECT_EQ(cluster.world().status(0), NodeStatus::kUp);
  const auto restarts = cluster.recorder().of(RecordKind::kRestart, 0);
  ASSERT_EQ(restarts.size(), 1u);
  EXPECT_EQ(restarts[0].time, at_ms(150));
  EXPECT_EQ(restarts[0].a, 0u);  // not an amnesia restart
  const auto ends = cluster.recorder().of(RecordKind::kFaultEnd);
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].time, at_ms(150));
  EXPECT_EQ(ends[0].b, code(FaultKind::kCrash));
  ASSERT_NE(cluster.world().durable_state(0), nullptr);
  EXPECT_EQ(*cluster.world().durable_state(0), sim::DurableState{2});  // its second start

  ASSERT_EQ(cluster.fired().size(), 1u);
  const FiredFault& fired = cluster.fired()[0];
  EXPECT_EQ(fired.label, "crash leader");
  EXPECT_EQ(fired.nodes, std::vector<sim::NodeId>{0});
  EXPECT_EQ(fired.start, at_ms(50));
  EXPECT_EQ(fired.end, at_ms(150));
  EXPECT_EQ(fired.effect, "crash n1 (leader of epoch 1), restarted after 100ms");
}

TEST(CrashFault, AmnesiaCrashRestartsWithNothing) {
  Cluster cluster(3);
  cluster.inject({fault_at(FaultKind::kAmnesiaCrash, 20, {node_target(2)}, 30)});
  cluster.run_to_ms(100);
  const auto restarts = cluster.recorder().of(RecordKind::kRestart, 2);
  ASSERT_EQ(restarts.size(), 1u);
  EXPECT_EQ(restarts[0].a, 1u);
  // It forgot its first start: the restarted instance persisted a count of 1 again.
  EXPECT_EQ(*cluster.world().durable_state(2), sim::DurableState{1});
  EXPECT_EQ(cluster.fired()[0].effect, "amnesia crash n3, restarted with nothing after 30ms");
}

TEST(CrashFault, WithoutADurationTheNodeStaysDown) {
  Cluster cluster(3);
  cluster.inject({fault_at(FaultKind::kCrash, 20, {node_target(1)})});
  cluster.run_to_ms(1000);
  EXPECT_EQ(cluster.world().status(1), NodeStatus::kDown);
  EXPECT_TRUE(cluster.recorder().of(RecordKind::kFaultEnd).empty());
  EXPECT_FALSE(cluster.fired()[0].end.has_value());
  EXPECT_EQ(cluster.fired()[0].effect, "crash n2, never restarted");
}

TEST(RestartFault, BringsACrashedNodeBackAndSkipsOneThatIsUp) {
  Cluster cluster(3);
  Fault restart = fault_at(FaultKind::kRestart, 40, {node_target(1)});
  cluster.inject({fault_at(FaultKind::kCrash, 10, {node_target(1)}), restart, restart});
  cluster.run_to_ms(100);
  EXPECT_EQ(cluster.world().status(1), NodeStatus::kUp);
  EXPECT_EQ(*cluster.world().durable_state(1), sim::DurableState{2});
  // The restart begins and ends at the same instant.
  const auto starts = cluster.recorder().of(RecordKind::kFaultStart);
  const auto ends = cluster.recorder().of(RecordKind::kFaultEnd);
  ASSERT_EQ(starts.size(), 2u);
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].a, 1u);
  EXPECT_EQ(ends[0].b, code(FaultKind::kRestart));
  EXPECT_EQ(ends[0].time, at_ms(40));
  ASSERT_EQ(cluster.fired().size(), 3u);
  EXPECT_EQ(cluster.fired()[1].effect, "restart n2 with its durable state");
  EXPECT_TRUE(cluster.fired()[2].skipped);
  EXPECT_EQ(cluster.fired()[2].effect, "restart n2: skipped, n2 is not down");
}

TEST(PauseFault, HoldsMessagesAndTimersUntilItEnds) {
  Cluster cluster(3);
  cluster.inject({fault_at(FaultKind::kPause, 25, {node_target(1)}, 30)});
  cluster.run_to_ms(40);
  EXPECT_EQ(cluster.world().status(1), NodeStatus::kPaused);
  cluster.run_to_ms(100);
  EXPECT_EQ(cluster.world().status(1), NodeStatus::kUp);
  // Pings sent at 30ms and 40ms arrive at 31ms and 41ms but are handled at the resume (55ms).
  int handled_at_resume = 0;
  for (const TraceRecord& deliver : cluster.recorder().of(RecordKind::kDeliver, 1)) {
    EXPECT_FALSE(deliver.time > at_ms(25) && deliver.time < at_ms(55));
    if (deliver.time == at_ms(55)) ++handled_at_resume;
  }
  EXPECT_EQ(handled_at_resume, 3);  // the pings of 30, 40 and 50ms
  // The clock ran on: the tick due at local 30ms fires at the resume and reads 55ms.
  bool late_tick = false;
  for (const TraceRecord& tick : cluster.recorder().of(RecordKind::kTimer, 1)) {
    if (tick.time == at_ms(55)) late_tick = tick.b == static_cast<uint64_t>(ms(55).ns());
  }
  EXPECT_TRUE(late_tick);
  EXPECT_EQ(cluster.fired()[0].effect, "pause n2 for 30ms");
  ASSERT_EQ(cluster.recorder().of(RecordKind::kFaultEnd).size(), 1u);
}

TEST(Targets, LeaderIsSkippedWhenNobodyLeads) {
  Cluster cluster(3, /*reports_leadership=*/false);
  cluster.inject({fault_at(FaultKind::kCrash, 10, {role(Target::Kind::kLeader)}, 10)});
  cluster.run_to_ms(100);
  ASSERT_EQ(cluster.fired().size(), 1u);
  EXPECT_TRUE(cluster.fired()[0].skipped);
  EXPECT_EQ(cluster.fired()[0].effect, "crash leader: skipped, no node leads");
  EXPECT_TRUE(cluster.recorder().of(RecordKind::kFaultStart).empty());
  EXPECT_TRUE(cluster.recorder().of(RecordKind::kCrash).empty());
}

TEST(Targets, FollowerIsTheLowestIdUpFollower) {
  Cluster cluster(4);
  cluster.inject({fault_at(FaultKind::kCrash, 10, {node_target(1)}),
                  fault_at(FaultKind::kPause, 20, {role(Target::Kind::kFollower)}),
                  fault_at(FaultKind::kCrash, 30, {role(Target::Kind::kFollower)})});
  cluster.run_to_ms(50);
  // n2 is down; n3 is the lowest follower; once paused, it no longer counts as up.
  EXPECT_EQ(cluster.fired()[1].nodes, std::vector<sim::NodeId>{2});
  EXPECT_EQ(cluster.fired()[2].nodes, std::vector<sim::NodeId>{3});
}

TEST(Targets, RandomFollowerIsNeverTheLeaderAndVariesWithTheSeed) {
  std::set<sim::NodeId> hit;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Cluster cluster(5);
    cluster.inject({fault_at(FaultKind::kPause, 10, {role(Target::Kind::kRandomFollower)}, 5)},
                   seed);
    cluster.run_to_ms(20);
    ASSERT_EQ(cluster.fired()[0].nodes.size(), 1u);
    EXPECT_NE(cluster.fired()[0].nodes[0], 0u);
    hit.insert(cluster.fired()[0].nodes[0]);
  }
  EXPECT_GE(hit.size(), 3u);
}

TEST(Targets, RandomNodeIsNeverADownNode) {
  Cluster cluster(3);
  cluster.inject({fault_at(FaultKind::kCrash, 10, {node_target(0), node_target(2)}),
                  fault_at(FaultKind::kPause, 20, {role(Target::Kind::kRandomNode)})});
  cluster.run_to_ms(30);
  EXPECT_EQ(cluster.fired()[1].nodes, std::vector<sim::NodeId>{1});
}

TEST(Targets, AllHitsEveryNodeOnceEvenWhenNamedTwice) {
  Cluster cluster(4);
  cluster.inject(
      {fault_at(FaultKind::kPause, 10,
                {role(Target::Kind::kAll), node_target(2), role(Target::Kind::kLeader)}, 10)});
  cluster.run_to_ms(15);
  EXPECT_EQ(cluster.recorder().of(RecordKind::kPause).size(), 4u);
  EXPECT_EQ(cluster.fired()[0].nodes, (std::vector<sim::NodeId>{0, 1, 2, 3}));
  cluster.run_to_ms(30);
  EXPECT_EQ(cluster.recorder().of(RecordKind::kResume).size(), 4u);
}

// ---- Links ----

Fault link_fault(int64_t at, int64_t length, Targets from, Targets to) {
  Fault fault = fault_at(FaultKind::kLinkFault, at, {}, length);
  fault.link.from = std::move(from);
  fault.link.to = std::move(to);
  return fault;
}

TEST(LinkFault, LossDropsMessagesUntilItHeals) {
  Cluster cluster(3);
  Fault lossy = link_fault(15, 30, {node_target(0)}, {});
  lossy.link.loss = sim::Ratio{1, 1};
  cluster.inject({lossy});
  cluster.run_to_ms(44);
  EXPECT_EQ(cluster.network().link(0, 1).loss, (sim::Ratio{1, 1}));
  EXPECT_TRUE(cluster.network().link(1, 0).loss.is_zero());  // only links out of n1
  // The pings of 20, 30 and 40ms to both peers are lost.
  int lost = 0;
  for (const TraceRecord& drop : cluster.recorder().of(RecordKind::kDrop)) {
    if (drop.a == static_cast<uint64_t>(sim::DropReason::kLoss)) ++lost;
  }
  EXPECT_EQ(lost, 6);
  cluster.run_to_ms(100);
  EXPECT_TRUE(cluster.network().link(0, 1).loss.is_zero());
  EXPECT_TRUE(cluster.network().link(0, 2).loss.is_zero());
  EXPECT_EQ(cluster.recorder().of(RecordKind::kDrop).size(), 6u);  // pings flow again
  // Whole percentages read as people write loss rates.
  EXPECT_EQ(cluster.fired()[0].effect, "link fault n1 -> all: loss 100% on 2 links for 30ms");
}

TEST(LinkFault, DuplicationCopiesMessages) {
  Cluster cluster(2);
  Fault copies = link_fault(15, 30, {}, {});
  copies.link.duplication = sim::Ratio{1, 1};
  cluster.inject({copies});
  cluster.run_to_ms(100);
  // Three pings (20, 30, 40ms) each got a copy.
  EXPECT_EQ(cluster.recorder().of(RecordKind::kDuplicate).size(), 3u);
  EXPECT_TRUE(cluster.network().link(0, 1).duplication.is_zero());
}

// The true time each message to `node` was delivered, by the time it was sent.
std::vector<std::pair<Instant, Instant>> send_and_delivery(const Recorder& recorder,
                                                           sim::NodeId node) {
  std::vector<std::pair<Instant, Instant>> pairs;
  for (const TraceRecord& send : recorder.of(RecordKind::kSend)) {
    if (send.peer != node) continue;
    for (const TraceRecord& deliver : recorder.of(RecordKind::kDeliver, node)) {
      if (deliver.b == send.b) pairs.emplace_back(send.time, deliver.time);
    }
  }
  return pairs;
}

TEST(LinkFault, ExtraLatencyDelaysDeliveryThenGoesAway) {
  Cluster cluster(2);
  Fault slow = link_fault(15, 30, {node_target(0)}, {node_target(1)});
  slow.link.extra_latency = sim::LatencyModel::constant(ms(20));
  cluster.inject({slow});
  cluster.run_to_ms(100);
  int delayed = 0;
  for (const auto& [sent, delivered] : send_and_delivery(cluster.recorder(), 1)) {
    if (sent >= at_ms(15) && sent < at_ms(45)) {
      EXPECT_EQ(delivered - sent, ms(21));
      ++delayed;
    }
    // The link is FIFO, so the ping of 50ms waits behind the delayed one of 40ms (61ms).
    if (sent < at_ms(15) || sent >= at_ms(70)) {
      EXPECT_EQ(delivered - sent, ms(1));
    }
  }
  EXPECT_EQ(delayed, 3);
  EXPECT_EQ(cluster.network().link(0, 1).extra_latency.a, Duration::zero());
}

TEST(LinkFault, ClogHoldsMessagesUntilTheClogEnds) {
  Cluster cluster(2);
  Fault clog = link_fault(15, 100, {node_target(0)}, {node_target(1)});
  clog.link.clog = ms(25);
  cluster.inject({clog});
  cluster.run_to_ms(60);
  const auto pairs = send_and_delivery(cluster.recorder(), 1);
  ASSERT_EQ(pairs.size(), 5u);  // sent at 10, 20, 30, 40, 50ms
  EXPECT_EQ(pairs[0].second, at_ms(11));
  EXPECT_EQ(pairs[1].second, at_ms(41));  // held until 40ms, then the 1ms latency
  EXPECT_EQ(pairs[2].second, at_ms(41));
  EXPECT_EQ(pairs[3].second, at_ms(41));
  EXPECT_EQ(pairs[4].second, at_ms(51));
}

TEST(LinkFault, ReorderingIsOnlyWhileInForce) {
  Cluster cluster(2);
  Fault reorder = link_fault(15, 30, {}, {});
  reorder.link.reorder = true;
  cluster.inject({reorder});
  cluster.run_to_ms(20);
  EXPECT_TRUE(cluster.network().link(0, 1).may_reorder);
  EXPECT_TRUE(cluster.network().link(1, 0).may_reorder);
  cluster.run_to_ms(50);
  EXPECT_FALSE(cluster.network().link(0, 1).may_reorder);
}

TEST(LinkFault, OverlappingDegradationsRestoreInAnyOrder) {
  const sim::Ratio half{1, 2};
  const sim::Ratio all{1, 1};
  for (const bool outer_ends_last : {true, false}) {
    Cluster cluster(2);
    Fault outer = link_fault(10, outer_ends_last ? 90 : 40, {node_target(0)}, {});
    outer.link.loss = half;
    Fault inner = link_fault(20, outer_ends_last ? 30 : 80, {node_target(0)}, {});
    inner.link.loss = all;
    cluster.inject({outer, inner});
    cluster.run_to_ms(30);
    EXPECT_EQ(cluster.network().link(0, 1).loss, all);  // the later layer wins
    cluster.run_to_ms(60);
    // Whichever ended first, the one still in force decides the loss.
    EXPECT_EQ(cluster.network().link(0, 1).loss, outer_ends_last ? half : all);
    cluster.run_to_ms(110);
    EXPECT_TRUE(cluster.network().link(0, 1).loss.is_zero());
  }
}

// ---- Heal ----

TEST(HealFault, EndsEveryPartitionAndLinkFaultInForce) {
  Cluster cluster(3);
  Fault isolate = fault_at(FaultKind::kPartition, 10);
  isolate.partition.kind = PartitionShape::Kind::kIsolate;
  isolate.partition.members = {node_target(1)};
  Fault timed_isolate = isolate;
  timed_isolate.partition.members = {node_target(2)};
  timed_isolate.duration = sim::DurationRange{ms(100), ms(100)};
  Fault lossy = link_fault(10, 500, {}, {});
  lossy.link.loss = sim::Ratio{1, 1};
  cluster.inject({isolate, timed_isolate, lossy, fault_at(FaultKind::kHeal, 50)});
  cluster.run_to_ms(40);
  EXPECT_EQ(cluster.network().strongly_connected_groups().size(), 3u);
  cluster.run_to_ms(50);
  EXPECT_EQ(cluster.network().strongly_connected_groups().size(), 1u);
  EXPECT_TRUE(cluster.network().link(0, 1).loss.is_zero());
  const auto ends = cluster.recorder().of(RecordKind::kFaultEnd);
  ASSERT_EQ(ends.size(), 4u);  // three ended by the heal, then the heal itself
  EXPECT_EQ(ends[3].a, 3u);
  for (const TraceRecord& end : ends) EXPECT_EQ(end.time, at_ms(50));
  // The partition's own heal and the link fault's own end come later and do nothing.
  cluster.run_to_ms(600);
  EXPECT_EQ(cluster.recorder().of(RecordKind::kFaultEnd).size(), 4u);
  EXPECT_EQ(cluster.fired()[3].effect,
            "heal: ended partition isolate n2; partition isolate n3; link fault all -> all");
  // n3's link to n2 was already cut by the first partition, so this one only cut it from n1.
  EXPECT_EQ(cluster.fired()[1].effect,
            "partition isolate n3: cut it off from 1 of 2 nodes for 40ms (until a heal)");
}

// ---- Clocks ----

// The true-time gaps between consecutive ticks of `node` that fired in [from, to].
std::vector<Duration> tick_gaps(const Recorder& recorder, sim::NodeId node, Instant from,
                                Instant to) {
  std::vector<Duration> gaps;
  std::optional<Instant> previous;
  for (const TraceRecord& tick : recorder.of(RecordKind::kTimer, node)) {
    if (tick.time < from || tick.time > to) continue;
    if (previous) gaps.push_back(tick.time - *previous);
    previous = tick.time;
  }
  return gaps;
}

TEST(ClockFault, DriftSpeedsTimersUpInTrueTimeUntilReverted) {
  Cluster cluster(2);
  Fault drift = fault_at(FaultKind::kClockDrift, 25, {node_target(1)}, 100);
  drift.drift_ppm = 100'000;  // the clock runs 10% fast
  cluster.inject({drift});
  cluster.run_to_ms(300);
  // 10ms of local time pass in 10ms / 1.1 = 9.0909...ms of true time.
  const auto fast = tick_gaps(cluster.recorder(), 1, at_ms(40), at_ms(120));
  ASSERT_GE(fast.size(), 7u);
  for (Duration gap : fast) {
    EXPECT_GE(gap.ns(), 9'090'909);
    EXPECT_LE(gap.ns(), 9'090'911);
  }
  for (Duration gap : tick_gaps(cluster.recorder(), 1, at_ms(140), at_ms(300))) {
    EXPECT_EQ(gap, ms(10));
  }
  EXPECT_EQ(cluster.world().clock(1).drift_ppm(), 0);
  const auto changes = cluster.recorder().of(RecordKind::kClockChange, 1);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].b, 100'000u);
  EXPECT_EQ(changes[1].b, 0u);
  EXPECT_EQ(cluster.fired()[0].effect,
            "clock n2 drift +100000ppm (was +0ppm), reverted after 100ms");
}

TEST(ClockFault, OffsetFiresAPendingTimerEarlierUntilReverted) {
  Cluster cluster(2);
  Fault skew = fault_at(FaultKind::kClockOffset, 15, {node_target(1)}, 50);
  skew.clock_amount = ms(5);
  cluster.inject({skew});
  cluster.run_to_ms(16);
  // The tick due at local 20ms fires at true 15ms, when the clock is set 5ms ahead.
  const auto ticks = cluster.recorder().of(RecordKind::kTimer, 1);
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[1].time, at_ms(15));
  EXPECT_EQ(ticks[1].b, static_cast<uint64_t>(ms(20).ns()));
  EXPECT_EQ(cluster.world().clock(1).offset_at(at_ms(16)), ms(5));
  cluster.run_to_ms(70);
  EXPECT_EQ(cluster.world().clock(1).offset_at(at_ms(70)), Duration::zero());
  EXPECT_EQ(cluster.fired()[0].effect, "clock n2 offset +5ms (was +0s), reverted after 50ms");
}

TEST(ClockFault, JumpBackDelaysAPendingTimerAndIsNotUndone) {
  Cluster cluster(2);
  Fault jump = fault_at(FaultKind::kClockJump, 15, {node_target(1)}, 20);
  jump.clock_amount = ms(-5);
  cluster.inject({jump});
  cluster.run_to_ms(100);
  // At true 15ms the clock reads 10ms again, so the tick due at local 20ms fires at true 25ms.
  const auto ticks = cluster.recorder().of(RecordKind::kTimer, 1);
  ASSERT_GE(ticks.size(), 2u);
  EXPECT_EQ(ticks[1].time, at_ms(25));
  EXPECT_EQ(cluster.world().clock(1).offset_at(at_ms(100)), ms(-5));
  const auto ends = cluster.recorder().of(RecordKind::kFaultEnd);
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_EQ(ends[0].time, at_ms(35));
}

// ---- Reproducibility ----

TEST(Injector, RangesAndRandomTargetsAreReproducibleFromTheSeed) {
  auto run = [](uint64_t seed) {
    Cluster cluster(5);
    Fault pause = fault_at(FaultKind::kPause, 0, {role(Target::Kind::kRandomNode)});
    pause.at = sim::DurationRange{ms(10), ms(90)};
    pause.duration = sim::DurationRange{ms(5), ms(50)};
    cluster.inject({pause, pause, pause}, seed);
    cluster.run_to_ms(200);
    std::vector<std::string> effects;
    for (const FiredFault& fired : cluster.fired()) {
      effects.push_back(sim::format_instant(fired.start) + " " + fired.effect);
    }
    return std::make_pair(cluster.world().trace().fingerprint(), effects);
  };
  EXPECT_EQ(run(3), run(3));
  EXPECT_NE(run(3).second, run(4).second);
}

}  // namespace
}  // namespace electsim::faults
