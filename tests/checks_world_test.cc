// The checks watching real worlds: deliberately broken algorithms (built here, for the test
// only) must be caught, and a simple correct one must pass, with faults injected through the
// world's own methods inside World::at callbacks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "sim/checks/checks.h"
#include "sim/world.h"
#include "tests/checks_test_util.h"

namespace electsim::sim::checks {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ms;
using testing::violations_of;

class FactoryOf final : public AlgorithmFactory {
 public:
  explicit FactoryOf(std::function<std::unique_ptr<Algorithm>(NodeId)> make)
      : make_(std::move(make)) {}
  std::unique_ptr<Algorithm> create(NodeId node) const override { return make_(node); }

 private:
  std::function<std::unique_ptr<Algorithm>(NodeId)> make_;
};

// ---- A simple correct toy: the lowest-id node that is alive leads ----
//
// Every node broadcasts a heartbeat each tick. A node that has heard from no lower id within
// `timeout` (and has been up for `timeout`, long enough to learn the current epoch) leads, in an
// epoch one above the highest it knows, persisted before it is announced. Nodes ignore claims
// older than the newest epoch they know. A leader steps down when a lower id leads; a leader
// that learns of a higher epoch led by a higher id re-claims above it. Like Bully, it has no
// quorum, so it is only "correct" without partitions that split opinions for long; the tests
// use it where that holds.
struct Heartbeat {
  uint64_t epoch;    // the epoch the sender leads, or the highest it knows
  uint64_t leading;  // 1 if the sender leads `epoch`
};

struct ToyOptions {
  Duration tick = Duration::milliseconds(20);
  Duration timeout = Duration::milliseconds(100);
};

class LowestIdLeader final : public Algorithm {
 public:
  static constexpr TimerId kTick = 0;
  explicit LowestIdLeader(ToyOptions options) : options_(options) {}

  void on_start(Context& context, const DurableState* restored) override {
    highest_epoch_ = restored != nullptr && !restored->empty() ? (*restored)[0] : 0;
    started_ = context.local_now();
    last_heard_.assign(context.members().size(), std::nullopt);
    context.set_timer(kTick, options_.tick);
  }

  void on_timer(Context& context, TimerId) override {
    maybe_lead(context);
    const Heartbeat heartbeat{leading_ ? led_epoch_ : highest_epoch_, leading_ ? 1u : 0u};
    for (NodeId peer : context.members())
      if (peer != context.self()) context.send(peer, heartbeat);
    context.set_timer(kTick, options_.tick);
  }

  void on_message(Context& context, NodeId from, const Payload& payload) override {
    const auto heartbeat = payload.as<Heartbeat>();
    last_heard_[from] = context.local_now();
    learn(context, heartbeat.epoch);
    // A claim older than the newest epoch known is stale: its leader has not heard yet.
    if (heartbeat.leading == 0 || heartbeat.epoch < highest_epoch_) return;
    if (from < context.self()) {
      if (leading_) {
        leading_ = false;
        context.report(sim::SteppedDown{StepDownReason::kResigned});
      }
      context.report(sim::Follows{from, heartbeat.epoch});
    } else if (leading_ && heartbeat.epoch > led_epoch_) {
      become_leader(context);
    }
  }

 private:
  bool alive(const Context& context, NodeId peer) const {
    return last_heard_[peer] && context.local_now() - *last_heard_[peer] <= options_.timeout;
  }
  void maybe_lead(Context& context) {
    if (leading_ || context.local_now() - started_ < options_.timeout) return;
    for (NodeId peer = 0; peer < context.self(); ++peer)
      if (alive(context, peer)) return;
    become_leader(context);
  }
  void become_leader(Context& context) {
    led_epoch_ = highest_epoch_ + 1;
    highest_epoch_ = led_epoch_;
    context.persist({highest_epoch_});
    leading_ = true;
    context.report(sim::Elected{led_epoch_, led_epoch_, std::nullopt, std::nullopt});
  }
  void learn(Context& context, uint64_t epoch) {
    if (epoch <= highest_epoch_) return;
    highest_epoch_ = epoch;
    context.persist({highest_epoch_});
  }

  ToyOptions options_;
  uint64_t highest_epoch_ = 0;
  uint64_t led_epoch_ = 0;
  bool leading_ = false;
  LocalInstant started_;
  std::vector<std::optional<LocalInstant>> last_heard_;
};

// ---- Broken algorithms ----

// Every node declares itself leader of epoch 1 at start.
class EveryoneLeadsEpochOne final : public Algorithm {
 public:
  void on_start(Context& context, const DurableState*) override { context.report(sim::Elected{1, 1, std::nullopt, std::nullopt}); }
  void on_message(Context&, NodeId, const Payload&) override {}
  void on_timer(Context&, TimerId) override {}
};

// Nobody ever leads.
class NeverElects final : public Algorithm {
 public:
  void on_start(Context&, const DurableState*) override {}
  void on_message(Context&, NodeId, const Payload&) override {}
  void on_timer(Context&, TimerId) override {}
};

// n1 leads and bumps its epoch every tick, persisting it; the others follow it at their own
// count. Restarted with its durable state it counts on; restarted with nothing it starts over,
// and its epoch goes backwards.
class TickingEpochs final : public Algorithm {
 public:
  void on_start(Context& context, const DurableState* restored) override {
    count_ = restored != nullptr && !restored->empty() ? (*restored)[0] : 0;
    context.set_timer(0, Duration::milliseconds(100));
  }
  void on_message(Context&, NodeId, const Payload&) override {}
  void on_timer(Context& context, TimerId) override {
    ++count_;
    context.persist({count_});
    if (context.self() == 0) {
      context.report(sim::Elected{count_, count_, std::nullopt, std::nullopt});
    } else {
      context.report(sim::Follows{0, count_});
    }
    context.set_timer(0, Duration::milliseconds(100));
  }

 private:
  uint64_t count_ = 0;
};

// Leadership rotates every `period` by the local clock: in round k, node k mod N leads epoch k
// and everyone follows it. Each leader is followed by all, then deposed with nothing failing.
class RotatingLeader final : public Algorithm {
 public:
  void on_start(Context& context, const DurableState*) override {
    context.set_timer(0, Duration::milliseconds(300));
  }
  void on_message(Context&, NodeId, const Payload&) override {}
  void on_timer(Context& context, TimerId) override {
    ++round_;
    const auto leader = static_cast<NodeId>(round_ % context.members().size());
    if (leader == context.self()) {
      context.report(sim::Elected{round_, round_, std::nullopt, std::nullopt});
    } else {
      context.report(sim::Follows{leader, round_});
    }
    context.set_timer(0, Duration::milliseconds(300));
  }

 private:
  uint64_t round_ = 0;
};

// ---- Running a world with the suite attached ----

CheckResults run_world(const AlgorithmFactory& factory, uint32_t nodes, const CheckConfig& config,
                       Instant end, const std::function<void(World&)>& faults = {}) {
  World world(/*seed=*/7, nodes, Link{}, factory);
  CheckSuite suite(config);
  suite.attach(world.trace());
  world.start();
  if (faults) faults(world);
  world.run_until(end);
  return suite.results();
}

CheckConfig config_with(uint32_t nodes, std::optional<int64_t> bound_ms = std::nullopt) {
  CheckConfig config;
  config.nodes = nodes;
  if (bound_ms) config.recovery_within = Duration::milliseconds(*bound_ms);
  return config;
}

const FactoryOf& toy(ToyOptions options = {}) {
  static std::vector<std::unique_ptr<FactoryOf>> keep;  // factories outlive their worlds
  keep.push_back(std::make_unique<FactoryOf>(
      [options](NodeId) { return std::make_unique<LowestIdLeader>(options); }));
  return *keep.back();
}

TEST(ChecksOnAWorld, TwoLeadersInOneEpochAreCaught) {
  const FactoryOf factory([](NodeId) { return std::make_unique<EveryoneLeadsEpochOne>(); });
  const CheckResults results = run_world(factory, 3, config_with(3), ms(1000));
  const auto found = violations_of(results, "one_leader_per_epoch");
  ASSERT_EQ(found.size(), 2u);  // n2 and n3 each claim n1's epoch
  EXPECT_EQ(found[0].time, ms(0));
  EXPECT_THAT(found[0].nodes, ElementsAre(0u, 1u));
  EXPECT_THAT(found[1].nodes, ElementsAre(0u, 2u));
  EXPECT_EQ(results.leader_changes, 3u);
  EXPECT_TRUE(results.safety_violated());
  // Three nodes leading the whole second: three overlapping pairs, each as long as the run.
  ASSERT_EQ(results.overlaps.size(), 3u);
  for (const Overlap& overlap : results.overlaps) EXPECT_EQ(overlap.duration, Duration::seconds(1));
}

TEST(ChecksOnAWorld, TheToyPassesEveryCheckThroughACrashAndARestart) {
  CheckConfig config = config_with(5, 1000);
  config.sometimes = {"leader_crashed", "new_leader_elected", "node_restarted"};
  const CheckResults results = run_world(toy(), 5, config, ms(6000), [](World& world) {
    world.at(ms(2000), [&world] { world.crash(0); });
    world.at(ms(4000), [&world] { world.restart(0, /*amnesia=*/false); });
  });
  EXPECT_TRUE(results.violations.empty()) << results.violations[0].detail;
  EXPECT_FALSE(results.safety_violated());
  EXPECT_FALSE(results.liveness_violated());
  EXPECT_TRUE(results.goals_missed.empty());
  // n1, then n2 after the crash, then n1 again after its restart.
  EXPECT_EQ(results.leader_changes, 3u);
  // Two disruptions: the crash (n2 takes over once n1 is silent for 100ms) and the restart
  // (n1 takes back over once it has been up for 100ms).
  ASSERT_EQ(results.recovery.size(), 2u);
  for (Duration recovery : results.recovery) {
    EXPECT_GT(recovery, Duration::milliseconds(100));
    EXPECT_LT(recovery, Duration::milliseconds(200));
  }
}

TEST(ChecksOnAWorld, TooSlowAFailureDetectorFailsRecovery) {
  ToyOptions slow;
  slow.timeout = Duration::seconds(2);
  const CheckResults results = run_world(toy(slow), 3, config_with(3, 500), ms(8000),
                                         [](World& world) {
                                           world.at(ms(3000), [&world] { world.crash(0); });
                                         });
  // The startup election also takes 2s: judged against the bound, not reported as recovery.
  const auto found = violations_of(results, "recovery");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].time, ms(500));
  EXPECT_THAT(found[0].detail, HasSubstr("after the start of the run"));
  EXPECT_EQ(found[1].time, ms(3500));
  EXPECT_THAT(found[1].detail, HasSubstr("after the crash of n1 at 3s"));
  ASSERT_EQ(results.recovery.size(), 1u);
  EXPECT_GT(results.recovery[0], Duration::seconds(2));
  EXPECT_TRUE(results.liveness_violated());
  EXPECT_FALSE(results.safety_violated());
}

TEST(ChecksOnAWorld, AnAlgorithmThatNeverElectsFailsRecovery) {
  const FactoryOf factory([](NodeId) { return std::make_unique<NeverElects>(); });
  const CheckResults results = run_world(factory, 3, config_with(3, 1000), ms(3000));
  const auto found = violations_of(results, "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(1000));
  EXPECT_THAT(found[0].nodes, ElementsAre(0u, 1u, 2u));
}

TEST(ChecksOnAWorld, NoRecoveryIsDemandedWhileAMajorityIsDown) {
  const FactoryOf factory([](NodeId) { return std::make_unique<NeverElects>(); });
  // Crashed before the bound ran out, down until the end: never judged.
  const CheckResults results = run_world(factory, 3, config_with(3, 1000), ms(10000),
                                         [](World& world) {
                                           world.at(ms(500), [&world] {
                                             world.crash(0);
                                             world.crash(1);
                                           });
                                         });
  EXPECT_TRUE(results.violations.empty());
}

TEST(ChecksOnAWorld, LeadersThatKeepChangingWithoutFaultsAreALivelock) {
  const FactoryOf factory([](NodeId) { return std::make_unique<RotatingLeader>(); });
  const CheckResults results = run_world(factory, 3, config_with(3, 1000), ms(5000));
  const auto found = violations_of(results, "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(1000));
  EXPECT_THAT(found[0].detail, HasSubstr("elected meanwhile but deposed without a fault"));
  EXPECT_TRUE(results.recovery.empty());
  // Each handover is clean, so the rotation breaks no safety check but one: followers report
  // Follows at the instant the new leader claims its epoch, some before it.
  for (const Violation& violation :
       testing::violations_except(results, "follows_a_claimed_leader")) {
    EXPECT_NE(violation.kind, CheckKind::kAlways) << violation.check << ": " << violation.detail;
  }
  EXPECT_TRUE(results.overlaps.empty());
}

TEST(ChecksOnAWorld, EpochsGoBackwardsAfterAnAmnesiaRestartButNotADurableOne) {
  const FactoryOf factory([](NodeId) { return std::make_unique<TickingEpochs>(); });
  for (const bool amnesia : {false, true}) {
    const CheckResults results =
        run_world(factory, 3, config_with(3), ms(3000), [amnesia](World& world) {
          world.at(ms(1050), [&world] { world.crash(0); });
          world.at(ms(2050), [&world, amnesia] { world.restart(0, amnesia); });
        });
    const auto found = violations_of(results, "epochs_never_go_backwards");
    if (!amnesia) {
      // The followers follow n1's next epoch while n1 is down, which follows_a_claimed_leader
      // reports; nothing else may fire.
      EXPECT_TRUE(testing::violations_except(results, "follows_a_claimed_leader").empty());
      continue;
    }
    // n1 led epoch 10 before the crash and epoch 1 at 2.15s, after restarting with nothing.
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].time, ms(2150));
    EXPECT_THAT(found[0].nodes, ElementsAre(0u));
    EXPECT_THAT(found[0].detail, HasSubstr("became leader of epoch 1 at 2.15s after epoch 10"));
    EXPECT_THAT(found[0].detail, HasSubstr("amnesia restart at 2.05s"));
    EXPECT_TRUE(violations_of(results, "one_leader_per_epoch").empty());
  }
}

TEST(ChecksOnAWorld, AnIsolatedLeaderOverlapsItsSuccessor) {
  // n1 is cut off at 1s and leads on alone in epoch 1; n2 is elected in epoch 2 by the side that
  // still talks; the cut heals at 2s and n1 re-claims leadership above n2's epoch.
  auto isolate_n1 = [](World& world) {
    world.at(ms(1000), [&world] {
      for (NodeId other = 1; other < 3; ++other) {
        world.set_link_up(0, other, false);
        world.set_link_up(other, 0, false);
      }
    });
    world.at(ms(2000), [&world] { world.heal_all_links(); });
  };
  for (const bool strict : {false, true}) {
    CheckConfig config = config_with(3, 1000);
    config.overlaps_are_violations = strict;
    config.sometimes = {"leader_isolated"};
    const CheckResults results = run_world(toy(), 3, config, ms(4000), isolate_n1);
    ASSERT_EQ(results.overlaps.size(), 1u);
    EXPECT_THAT(results.overlaps[0].nodes, ElementsAre(0u, 1u));
    // n2 waited for n1 to be silent for the timeout (100ms), checked every tick (20ms).
    EXPECT_GE(results.overlaps[0].start, ms(1100));
    EXPECT_LE(results.overlaps[0].start, ms(1120));
    EXPECT_GT(results.overlaps[0].duration, Duration::milliseconds(800));
    EXPECT_THAT(results.goals_reached, ElementsAre("leader_isolated"));
    EXPECT_TRUE(violations_of(results, "one_leader_per_epoch").empty());
    EXPECT_TRUE(violations_of(results, "recovery").empty());
    EXPECT_EQ(results.safety_violated(), strict);
    EXPECT_EQ(violations_of(results, "exclusive_leadership").size(), strict ? 1u : 0u);
    // Recovered twice: n2 after the cut, n1 again after the heal.
    EXPECT_EQ(results.recovery.size(), 2u);
  }
}

}  // namespace
}  // namespace electsim::sim::checks
