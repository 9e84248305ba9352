// The runtime's writer and the fenced resource, in the kernel (issue 9): the world writes for
// every member that reports Elected (at once, then every write_every on its host's clock while
// it leads that epoch), stops when it steps down, crashes or leads another epoch, and holds the
// write timer through a pause like any timer; every write any process sends is traced as
// write_sent; the resource judges tokens per mode and keeps its highest token across a crash.
#include <gtest/gtest.h>

#include "algorithms/resource/resource.h"
#include "sim/trace_records.h"
#include "sim/world.h"
#include "tests/sim_test_support.h"

namespace electsim::sim {
namespace {

using algorithms::resource::accepts;
using algorithms::resource::FencedResourceFactory;
using algorithms::resource::GroupFence;
using test_support::at_ms;
using test_support::ms;
using test_support::RecordingObserver;
using test_support::Script;
using test_support::ScriptedFactory;

constexpr TimerId kLead = 0;
constexpr TimerId kStepDown = 1;

// Three members on h1..h3 and the resource r1 on a host of its own (h4).
Layout three_and_resource() {
  Layout layout = Layout::single_group(3);
  layout.add_process(ProcessKind::kResource, layout.add_host());
  return layout;
}

// n1 leads epoch `epoch` (token 10 x epoch) from 10ms on; it steps down at `step_down_ms`.
Script leader_script(uint64_t epoch, int64_t step_down_ms) {
  Script script;
  script.on_start = [](Context& context, const DurableState*) {
    if (context.self() == 0) context.set_timer(kLead, ms(10));
  };
  script.on_timer = [epoch, step_down_ms](Context& context, TimerId timer) {
    if (timer == kLead) {
      context.report(Elected{epoch, 10 * epoch, std::nullopt, std::nullopt});
      if (step_down_ms > 0) context.set_timer(kStepDown, ms(step_down_ms - 10));
    } else {
      context.report(SteppedDown{StepDownReason::kHigherEpochSeen});
    }
  };
  return script;
}

struct Fixture {
  explicit Fixture(Script script, FencingMode mode = FencingMode::kOn)
      : members({std::move(script)}), resource(mode) {}
  std::unique_ptr<World> world(Duration write_every = ms(100)) {
    Link link;
    link.latency = LatencyModel::constant(ms(1));
    auto made = std::make_unique<World>(1, three_and_resource(), link,
                                        AlgorithmFactories{&members, nullptr, &resource});
    made->enable_writes(write_every);
    made->trace().add_observer(&observer);
    return made;
  }
  ScriptedFactory members;
  FencedResourceFactory resource;
  RecordingObserver observer;
};

std::vector<int64_t> times_ms(const std::vector<TraceRecord>& records) {
  std::vector<int64_t> out;
  for (const TraceRecord& record : records) out.push_back(record.time.ns() / 1'000'000);
  return out;
}

TEST(Writer, WritesAtElectionThenEveryIntervalUntilItStepsDown) {
  Fixture fixture(leader_script(1, 330));
  auto world = fixture.world();
  world->start();
  world->run_until(at_ms(1000));
  const auto sent = fixture.observer.of_kind(RecordKind::kWriteSent);
  EXPECT_EQ(times_ms(sent), (std::vector<int64_t>{10, 110, 210, 310}));
  const WriteSent first = sent.front().as<WriteSent>();
  EXPECT_EQ(first.writer, 0u);
  EXPECT_EQ(first.resource, 3u);
  EXPECT_EQ(first.group, 0u);
  EXPECT_EQ(first.token, 10u);
  EXPECT_EQ(first.epoch, 1u);
  // Each one reached the resource and was accepted: the same token from the same leadership.
  const auto decided = fixture.observer.of_kind(RecordKind::kResourceWrite);
  ASSERT_EQ(decided.size(), 4u);
  for (const TraceRecord& record : decided) {
    const ResourceWritten written = record.as<ResourceWritten>();
    EXPECT_TRUE(written.accepted);
    EXPECT_EQ(written.resource, 3u);
    EXPECT_EQ(written.epoch, 1u);
  }
  // The write's send record carries the same message id, and is recorded just before it.
  const auto sends = fixture.observer.of_kind(RecordKind::kSend, 0);
  ASSERT_FALSE(sends.empty());
  EXPECT_EQ(sends.front().b, first.message);
}

TEST(Writer, StopsWhenTheHostCrashesAndAWriteTimerNeverOutlivesIt) {
  Fixture fixture(leader_script(1, 0));
  auto world = fixture.world();
  world->at(at_ms(250), [&] { world->crash(0); });
  world->at(at_ms(400), [&] { world->restart(0, false); });
  world->start();
  world->run_until(at_ms(1000));
  // 10, 110, 210 before the crash; after the restart it leads again at 410 (its script runs
  // anew) and writes from there.
  EXPECT_EQ(times_ms(fixture.observer.of_kind(RecordKind::kWriteSent)),
            (std::vector<int64_t>{10, 110, 210, 410, 510, 610, 710, 810, 910}));
}

TEST(Writer, APausedLeadersDueWriteGoesOutWhenItResumes) {
  Fixture fixture(leader_script(1, 0));
  auto world = fixture.world();
  world->at(at_ms(150), [&] { world->pause(0); });
  world->at(at_ms(480), [&] { world->resume(0); });
  world->start();
  world->run_until(at_ms(700));
  // Due at 210 while paused: it fires once at 480, and the next is 100ms after that.
  EXPECT_EQ(times_ms(fixture.observer.of_kind(RecordKind::kWriteSent)),
            (std::vector<int64_t>{10, 110, 480, 580, 680}));
  // The kernel's write timer is no algorithm timer: it leaves no timer record.
  for (const TraceRecord& record : fixture.observer.of_kind(RecordKind::kTimer)) {
    EXPECT_LT(record.a, kMaxTimers);
  }
}

TEST(Writer, ANewEpochReplacesTheOldLeadershipsWrites) {
  Script script = leader_script(1, 0);
  script.on_timer = [](Context& context, TimerId timer) {
    if (timer == kLead) {
      context.report(Elected{1, 10, std::nullopt, std::nullopt});
      context.set_timer(kStepDown, ms(140));
    } else {
      context.report(Elected{2, 20, std::nullopt, std::nullopt});  // re-elected in a later epoch
    }
  };
  Fixture fixture(script);
  auto world = fixture.world();
  world->start();
  world->run_until(at_ms(400));
  std::vector<std::pair<int64_t, uint64_t>> writes;  // (time, epoch)
  for (const TraceRecord& record : fixture.observer.of_kind(RecordKind::kWriteSent)) {
    writes.emplace_back(record.time.ns() / 1'000'000, record.as<WriteSent>().epoch);
  }
  EXPECT_EQ(writes, (std::vector<std::pair<int64_t, uint64_t>>{
                        {10, 1}, {110, 1}, {150, 2}, {250, 2}, {350, 2}}));
}

TEST(Writer, AWriteAnAlgorithmSendsItselfIsTracedToo) {
  Script script;
  script.on_start = [](Context& context, const DurableState*) {
    if (context.self() == 1) {
      context.send(context.resources().front(), ResourceWrite{0, 7, 70});
    }
  };
  Fixture fixture(script);
  auto world = fixture.world();
  world->start();
  world->run_until(at_ms(100));
  const auto sent = fixture.observer.of_kind(RecordKind::kWriteSent);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent.front().as<WriteSent>().writer, 1u);
  EXPECT_EQ(sent.front().as<WriteSent>().token, 70u);
  ASSERT_EQ(fixture.observer.of_kind(RecordKind::kResourceWrite).size(), 1u);
}

TEST(Resource, ModesJudgeTokensPerLeadership) {
  const GroupFence empty;
  const GroupFence fence{true, 5, /*writer=*/2, /*epoch=*/5};
  for (FencingMode mode : {FencingMode::kOff, FencingMode::kOn, FencingMode::kEqualOk}) {
    EXPECT_TRUE(accepts(mode, empty, 0, 1, 1)) << "the first write of a group";
    EXPECT_TRUE(accepts(mode, fence, 0, 6, 6)) << "a higher token";
  }
  EXPECT_TRUE(accepts(FencingMode::kOn, fence, 2, 5, 5)) << "the same leadership again";
  EXPECT_FALSE(accepts(FencingMode::kOn, fence, 1, 5, 5)) << "an equal token, another leader";
  EXPECT_FALSE(accepts(FencingMode::kOn, fence, 1, 4, 4));
  EXPECT_TRUE(accepts(FencingMode::kEqualOk, fence, 1, 5, 5));
  EXPECT_FALSE(accepts(FencingMode::kEqualOk, fence, 1, 4, 4));
  EXPECT_TRUE(accepts(FencingMode::kOff, fence, 1, 4, 4));
}

// Two leaderships write: n1 in epoch 2 (token 20) from 10ms, n2 in epoch 1 (token 10) later.
Script two_writers() {
  Script script;
  script.on_start = [](Context& context, const DurableState*) {
    if (context.self() == 0) context.send(context.resources().front(), ResourceWrite{0, 2, 20});
    if (context.self() == 1) context.set_timer(kLead, ms(500));
  };
  script.on_timer = [](Context& context, TimerId) {
    context.send(context.resources().front(), ResourceWrite{0, 1, 10});
  };
  return script;
}

std::vector<bool> outcomes(const RecordingObserver& observer) {
  std::vector<bool> out;
  for (const TraceRecord& record : observer.of_kind(RecordKind::kResourceWrite)) {
    out.push_back(record.as<ResourceWritten>().accepted);
  }
  return out;
}

TEST(Resource, ItsHighestTokenSurvivesACrashOfItsHostButNotAnAmnesiaRestart) {
  for (const bool amnesia : {false, true}) {
    Fixture fixture(two_writers());
    auto world = fixture.world();
    world->at(at_ms(100), [&] { world->crash(3); });
    world->at(at_ms(200), [&, amnesia] { world->restart(3, amnesia); });
    world->start();
    world->run_until(at_ms(1000));
    // The stale token 10 arrives after the restart: refused unless the disk was lost.
    EXPECT_EQ(outcomes(fixture.observer), (std::vector<bool>{true, amnesia}))
        << (amnesia ? "amnesia" : "durable");
  }
}

TEST(Resource, FencingOffAcceptsTheStaleToken) {
  Fixture fixture(two_writers(), FencingMode::kOff);
  auto world = fixture.world();
  world->start();
  world->run_until(at_ms(1000));
  EXPECT_EQ(outcomes(fixture.observer), (std::vector<bool>{true, true}));
}

}  // namespace
}  // namespace electsim::sim
