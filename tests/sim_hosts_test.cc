// Hosts and processes (issue 8): host faults act on every process of the host, each process keeps
// its own durable state, a message of another family fails loudly, and a world of 10,000
// processes builds and runs with memory that does not grow with hosts squared.
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "sim/layout.h"
#include "sim/world.h"
#include "tests/check_test_support.h"

namespace electsim::sim {
namespace {

// Persists its own id plus the number of starts, counts the timer ticks it handles, and sends
// one message to the next member of its group at every tick.
class Counter final : public Algorithm {
 public:
  explicit Counter(FamilyId family) : family_(family) {}
  FamilyId family() const override { return family_; }
  void on_start(Context& context, const DurableState* restored) override {
    starts_ = restored != nullptr ? (*restored)[1] + 1 : 1;
    restored_ = restored != nullptr;
    context.persist({context.self(), starts_});
    context.set_timer(0, Duration::milliseconds(10));
  }
  void on_message(Context&, ProcessId, const Payload&) override { ++received_; }
  void on_timer(Context& context, TimerId) override {
    ++ticks_;
    const auto members = context.members();
    for (ProcessId peer : members) {
      if (peer != context.self()) {
        context.send(peer, uint64_t{ticks_});
        break;
      }
    }
    context.set_timer(0, Duration::milliseconds(10));
  }
  uint64_t starts_ = 0;
  uint64_t ticks_ = 0;
  uint64_t received_ = 0;
  bool restored_ = false;

 private:
  FamilyId family_;
};

class CounterFactory final : public AlgorithmFactory {
 public:
  explicit CounterFactory(FamilyId family = families::kTestOnly) : family_(family) {}
  std::unique_ptr<Algorithm> create(ProcessId) const override {
    return std::make_unique<Counter>(family_);
  }

 private:
  FamilyId family_;
};

// Two groups of two over three hosts: g1 on h1,h2 and g2 on h1,h3, so h1 runs one member of each.
Layout two_groups_sharing_h1() {
  Layout layout;
  for (int i = 0; i < 3; ++i) layout.add_host();
  const GroupId g1 = layout.add_group();
  const GroupId g2 = layout.add_group();
  layout.add_process(ProcessKind::kMember, 0, g1);  // process 0
  layout.add_process(ProcessKind::kMember, 1, g1);  // process 1
  layout.add_process(ProcessKind::kMember, 0, g2);  // process 2
  layout.add_process(ProcessKind::kMember, 2, g2);  // process 3
  return layout;
}

Counter& counter(World& world, ProcessId process) {
  return *static_cast<Counter*>(world.algorithm(process));
}

Instant at_ms(int64_t ms) { return Instant::zero() + Duration::milliseconds(ms); }

TEST(Hosts, ACrashStopsEveryProcessOfTheHostAndEachRestartsFromItsOwnState) {
  const CounterFactory factory;
  World world(1, two_groups_sharing_h1(), Link{}, AlgorithmFactories{&factory});
  world.start();
  world.run_until(at_ms(5));
  world.crash(0);
  EXPECT_EQ(world.algorithm(0), nullptr);
  EXPECT_EQ(world.algorithm(2), nullptr);
  EXPECT_NE(world.algorithm(1), nullptr);  // other hosts run on
  EXPECT_EQ(world.status(0), NodeStatus::kDown);
  EXPECT_EQ(world.status(2), NodeStatus::kDown);
  EXPECT_EQ(world.incarnation(0), 1u);
  world.run_until(at_ms(50));
  world.restart(0, /*amnesia=*/false);
  for (ProcessId process : {ProcessId{0}, ProcessId{2}}) {
    EXPECT_TRUE(counter(world, process).restored_);
    EXPECT_EQ(counter(world, process).starts_, 2u);
    ASSERT_NE(world.durable_state(process), nullptr);
    EXPECT_EQ((*world.durable_state(process))[0], process);  // its own state, not its neighbour's
  }
  world.crash(0);
  world.restart(0, /*amnesia=*/true);
  EXPECT_FALSE(counter(world, 0).restored_);
  EXPECT_EQ(counter(world, 2).starts_, 1u);
}

TEST(Hosts, APauseFreezesEveryProcessOfTheHost) {
  const CounterFactory factory;
  World world(1, two_groups_sharing_h1(), Link{}, AlgorithmFactories{&factory});
  world.start();
  world.run_until(at_ms(15));
  const uint64_t ticks_0 = counter(world, 0).ticks_;
  const uint64_t ticks_2 = counter(world, 2).ticks_;
  const uint64_t ticks_1 = counter(world, 1).ticks_;
  world.pause(0);
  world.run_until(at_ms(100));
  EXPECT_EQ(counter(world, 0).ticks_, ticks_0);
  EXPECT_EQ(counter(world, 2).ticks_, ticks_2);
  EXPECT_GT(counter(world, 1).ticks_, ticks_1 + 5);  // host h2 is not paused
  world.resume(0);
  EXPECT_EQ(counter(world, 0).ticks_, ticks_0 + 1);  // the timer that came due, handled once
  EXPECT_EQ(counter(world, 2).ticks_, ticks_2 + 1);
}

TEST(Hosts, ProcessesOfOneHostTalkOverALoopbackThatPartitionsDoNotCut) {
  Layout layout;
  layout.add_host();
  layout.add_host();
  const GroupId group = layout.add_group();
  layout.add_process(ProcessKind::kMember, 0, group);
  layout.add_process(ProcessKind::kMember, 0, group);
  const CounterFactory factory;
  World world(1, layout, Link{}, AlgorithmFactories{&factory});
  world.start();
  world.run_until(at_ms(100));
  EXPECT_GT(counter(world, 1).received_, 5u);
}

using HostsCheckTest = ::testing::Test;

TEST_F(HostsCheckTest, AMessageOfAnotherFamilyFailsNamingBoth) {
  // Group 1 speaks pingpong's family, group 2 Raft's; the test-only sender crosses over.
  Layout layout;
  layout.add_host();
  layout.add_host();
  const GroupId group = layout.add_group();
  layout.add_process(ProcessKind::kMember, 0, group);
  layout.add_process(ProcessKind::kMember, 1, group);
  const CounterFactory pingpong(families::kPingPong);
  World world(1, layout, Link{}, AlgorithmFactories{&pingpong});
  world.start();
  // Counter sends a bare uint64_t, whose type id is family kTestOnly: a pingpong process
  // receiving it must fail, naming the process, its family, the message and the sender.
  EXPECT_CHECK_FAILS(world.run_until(at_ms(100)), "received family 0 message 0 from n1");
}

TEST_F(HostsCheckTest, AProcessOfAKindWithoutAFactoryIsRefused) {
  Layout layout;
  layout.add_host();
  const GroupId group = layout.add_group();
  layout.add_process(ProcessKind::kMember, 0, group);
  layout.add_process(ProcessKind::kService, 0);
  const CounterFactory factory;
  EXPECT_CHECK_FAILS(World(1, layout, Link{}, AlgorithmFactories{&factory}),
                     "no algorithm factory");
}

TEST(Hosts, LeadershipIsPerGroup) {
  const CounterFactory factory;
  World world(1, two_groups_sharing_h1(), Link{}, AlgorithmFactories{&factory});
  world.start();
  world.run_until(at_ms(1));
  EXPECT_FALSE(world.leader_of(0).has_value());
  EXPECT_TRUE(world.groups_led_by(0).empty());
}

TEST(Hosts, TenThousandProcessesOnTenThousandHostsBuildAndRun) {
  Layout layout;
  for (uint32_t i = 0; i < kMaxProcesses; ++i) layout.add_host();
  for (uint32_t g = 0; g < kMaxProcesses / 2; ++g) {
    const GroupId group = layout.add_group();
    layout.add_process(ProcessKind::kMember, 2 * g, group);
    layout.add_process(ProcessKind::kMember, 2 * g + 1, group);
  }
  const CounterFactory factory;
  World world(1, layout, Link{}, AlgorithmFactories{&factory});
  world.start();
  world.run_until(at_ms(35));
  EXPECT_GT(world.stats().messages_delivered, 2u * kMaxProcesses);
  // Only the links in use have state: one per direction of each group, not 10^8.
  EXPECT_EQ(world.network().links_allocated(), kMaxProcesses);
}

}  // namespace
}  // namespace electsim::sim
