// The world's budget guard (sim/world.h, RunBudget): a run stops at the event that would go over
// its event budget, or soon after its queue holds more than the pending budget, and says which;
// without a budget nothing changes.
#include <gtest/gtest.h>

#include "sim/world.h"
#include "tests/sim_test_support.h"

namespace electsim::sim {
namespace {

using test_support::at_ms;
using test_support::ms;
using test_support::Script;
using test_support::ScriptedFactory;

// Two nodes that answer every message at once over a zero-latency link: time never advances,
// so only the budget ends the run (a loop the simulated-time limit alone cannot stop).
Script ping_pong_forever() {
  Script script;
  script.on_start = [](Context& context, const DurableState*) {
    if (context.self() == 0) context.send(1, Payload::of(uint64_t{1}), 0);
  };
  script.on_message = [](Context& context, NodeId from, const Payload& message) {
    context.send(from, message, 0);
  };
  return script;
}

// Every message is answered twice: the queue doubles each round trip.
Script flood() {
  Script script = ping_pong_forever();
  script.on_message = [](Context& context, NodeId from, const Payload& message) {
    context.send(from, message, 0);
    context.send(from, message, 0);
  };
  return script;
}

Link instant_link() {
  Link link;
  link.latency = LatencyModel::constant(Duration::zero());
  return link;
}

TEST(WorldBudget, StopsAtTheEventBudgetWithoutMovingTime) {
  ScriptedFactory factory({ping_pong_forever()});
  World world(1, 2, instant_link(), factory);
  world.set_budget(RunBudget{1000, UINT64_MAX});
  world.start();
  world.run_until(at_ms(1000));
  EXPECT_EQ(world.budget_exceeded(), BudgetExceeded::kEvents);
  EXPECT_EQ(world.stats().events, 1000u);
  EXPECT_EQ(world.now(), Instant::zero());  // stopped where it was, not at the end
}

TEST(WorldBudget, StopsSoonAfterThePendingBudget) {
  ScriptedFactory factory({flood()});
  World world(1, 2, instant_link(), factory);
  world.set_budget(RunBudget{UINT64_MAX, 10'000});
  world.start();
  world.run_until(at_ms(1000));
  EXPECT_EQ(world.budget_exceeded(), BudgetExceeded::kPending);
  // Looked at every 256 events, each of which adds one event here.
  EXPECT_LT(world.stats().events, 10'000u + 2 * 256u);
}

TEST(WorldBudget, ARunWithinItsBudgetEndsNormally) {
  Script script;
  script.on_start = [](Context& context, const DurableState*) { context.set_timer(0, ms(10)); };
  script.on_timer = [](Context& context, TimerId) { context.set_timer(0, ms(10)); };
  ScriptedFactory factory({script});
  World world(1, 1, Link{}, factory);
  world.set_budget(RunBudget{1000, 1000});
  world.start();
  world.run_until(at_ms(1000));
  EXPECT_EQ(world.budget_exceeded(), BudgetExceeded::kNone);
  EXPECT_EQ(world.now(), at_ms(1000));
  EXPECT_EQ(world.stats().timers_fired, 100u);
}

}  // namespace
}  // namespace electsim::sim
