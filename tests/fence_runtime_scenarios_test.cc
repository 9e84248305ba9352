// The three fencing scenarios of scenarios/library/ (issue 9): at their documented seeds the
// situation each is about really arises, read from the trace as `electsim run --trace` writes
// it: a write of an older leadership reaches the resource after a newer leadership's write was
// accepted. Fencing off (or equal-ok, for equal tokens) accepts it; on refuses it.
#include <algorithm>
#include <map>
#include <string>
#include <optional>
#include <utility>

#include <gtest/gtest.h>

#include "algorithms/raft/raft_factory.h"
#include "algorithms/registry.h"
#include "algorithms/resource/resource.h"
#include "tests/fence_runtime_test_support.h"

namespace electsim::testing {
namespace {

// A leadership: who led, and in which epoch.
using Leadership = std::pair<std::string, uint64_t>;

struct StaleWrite {
  Json write;              // the resource_write record of the older leadership's write
  Leadership newer;        // the leadership whose write the resource had accepted before it
};

// The writes that reached the resource after it had accepted a write of a leadership elected
// later than theirs (per group; a leadership's age is when its became_leader was recorded).
std::vector<StaleWrite> stale_writes(const std::vector<Json>& records) {
  std::map<Leadership, int64_t> elected_at;
  std::map<std::string, std::pair<Leadership, int64_t>> newest_accepted;  // by group
  std::vector<StaleWrite> stale;
  for (const Json& record : records) {
    if (record["kind"] == "became_leader") {
      const Leadership leader{record["process"].get<std::string>(),
                              record["epoch"].get<uint64_t>()};
      elected_at[leader] = record["t_ns"].get<int64_t>();
    }
    if (record["kind"] != "resource_write") continue;
    const Leadership writer{record["writer"].get<std::string>(), record["epoch"].get<uint64_t>()};
    const int64_t age = elected_at.at(writer);
    const std::string group = record["group"].get<std::string>();
    auto newest = newest_accepted.find(group);
    if (newest != newest_accepted.end() && newest->second.second > age) {
      stale.push_back(StaleWrite{record, newest->second.first});
    }
    if (record["accepted"] == true &&
        (newest == newest_accepted.end() || age > newest->second.second)) {
      newest_accepted[group] = {writer, age};
    }
  }
  return stale;
}

size_t count_accepted(const std::vector<StaleWrite>& writes, bool accepted) {
  return static_cast<size_t>(std::count_if(writes.begin(), writes.end(), [&](const auto& w) {
    return w.write["accepted"] == accepted;
  }));
}

// The partial partition the fencing scenarios need: the leader cut off from the other members
// but not from the resource, written with the resource's host as the bridge.
TEST(ResourcePartitions, TheBridgeKeepsTheCutOffLeaderWriting) {
  auto scenario = scenarios::load_scenario_text(
      "version: 1\ncluster: {nodes: 5}\nresource: {fencing: on}\nduration: 3s\nfaults:\n"
      "  - {at: 1s, partition: {bridge: resource_host, groups: [[leader], [follower]]}, "
      "heal_after: 1s}\n",
      "bridge.yaml", {});
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  const TracedRun run = run_traced(*scenario, 1);
  ASSERT_EQ(run.result.faults.size(), 1u);
  EXPECT_EQ(run.result.faults.front().effect,
            "partition bridge: r1 sees both {n1} and {n2,n3,n4,n5}, which cannot reach each "
            "other for 1s");
  const std::vector<Json> links = of_kind(run.records, "link_change");
  EXPECT_EQ(links.size(), 16u) << "n1 <-> n2..n5 cut and restored";
  for (const Json& link : links) {
    EXPECT_NE(link["from"].get<std::string>(), "r1");
    EXPECT_NE(link["to"].get<std::string>(), "r1");
  }
  size_t during = 0;  // the cut-off leader's writes that reached the resource meanwhile
  for (const Json& write : of_kind(run.records, "resource_write")) {
    const auto t = write["t_ns"].get<int64_t>();
    if (write["writer"] == "n1" && t > 1'100'000'000 && t < 2'000'000'000) ++during;
  }
  EXPECT_GE(during, 8u);
}

// A resource that refuses everything, brought by a test-only algorithm through
// AlgorithmInfo::make_resource_factory: the runner uses it instead of the built-in one.
class RefusingResource final : public algorithms::resource::FencedResource {
 public:
  RefusingResource() : FencedResource(sim::FencingMode::kOff) {}

 protected:
  bool decide(const algorithms::resource::GroupFence& /*fence*/, sim::ProcessId /*writer*/,
              uint64_t /*epoch*/, uint64_t /*token*/) const override {
    return false;
  }
};

class RefusingResourceFactory final : public sim::AlgorithmFactory {
 public:
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId /*process*/) const override {
    return std::make_unique<RefusingResource>();
  }
};

TEST(ResourcePlugin, AnAlgorithmMayBringItsOwnResource) {
  algorithms::AlgorithmInfo info = algorithms::raft::raft_info();
  info.name = "raft-with-refusing-resource";
  info.make_resource_factory = [](sim::FencingMode) {
    return std::make_unique<RefusingResourceFactory>();
  };
  algorithms::register_algorithm_for_tests(std::move(info));
  scenarios::Scenario scenario = load_library("raft-leader-crash");
  scenario.algorithm = "raft-with-refusing-resource";
  const TracedRun run = run_traced(scenario, 1);
  const std::vector<Json> decided = of_kind(run.records, "resource_write");
  ASSERT_GT(decided.size(), 100u);
  for (const Json& write : decided) EXPECT_EQ(write["accepted"], false);
}

TEST(FencingPartitionedLeader, OffAcceptsTheOldTermsWritesAndOnRefusesThem) {
  const TracedRun off =
      run_traced(load_library("fencing-partitioned-leader", {"resource.fencing=off"}), 1);
  const std::vector<StaleWrite> damage = stale_writes(off.records);
  ASSERT_GE(damage.size(), 5u) << "the old leader kept writing after the new one's write";
  EXPECT_EQ(count_accepted(damage, true), damage.size()) << "fencing off accepts them all";
  const StaleWrite& first = damage.front();
  EXPECT_LT(first.write["token"].get<uint64_t>(), first.newer.second) << "an older term";
  EXPECT_NE(first.write["writer"].get<std::string>(), first.newer.first);

  const TracedRun on = run_traced(load_library("fencing-partitioned-leader"), 1);
  const std::vector<StaleWrite> refused = stale_writes(on.records);
  ASSERT_GE(refused.size(), 5u) << "the same writes reach the resource with fencing on";
  EXPECT_EQ(count_accepted(refused, false), refused.size()) << "fencing on refuses them all";
  EXPECT_EQ(on.result.verdict, reports::Verdict::kPass);
}

TEST(FencingPausedLeader, TheWokenLeadersWriteArrivesBehindTheNewLeaders) {
  const TracedRun off =
      run_traced(load_library("fencing-paused-leader", {"resource.fencing=off"}), 1);
  ASSERT_EQ(of_kind(off.records, "pause").size(), 1u);
  const std::vector<StaleWrite> damage = stale_writes(off.records);
  ASSERT_GE(damage.size(), 1u) << "the woken leader's write came after the new leader's";
  EXPECT_EQ(count_accepted(damage, true), damage.size());
  // It was sent after the pause ended: the write was due while the host was frozen.
  const auto resumed = of_kind(off.records, "resume").front()["t_ns"].get<int64_t>();
  const auto paused = of_kind(off.records, "pause").front()["t_ns"].get<int64_t>();
  EXPECT_GE(damage.front().write["t_ns"].get<int64_t>(), resumed);
  EXPECT_GT(resumed, paused);

  const TracedRun on = run_traced(load_library("fencing-paused-leader"), 1);
  const std::vector<StaleWrite> refused = stale_writes(on.records);
  ASSERT_GE(refused.size(), 1u);
  EXPECT_EQ(count_accepted(refused, false), refused.size());
}

TEST(FencingAmnesia, TwoLeadersOfOneTermBothGetInAtEqualOk) {
  const TracedRun equal_ok = run_traced(load_library("fencing-amnesia"), 149);
  // Two leaders of epoch 34: the one-leader-per-epoch check fires.
  EXPECT_EQ(equal_ok.result.verdict, reports::Verdict::kSafetyViolation);
  std::vector<StaleWrite> shared;
  for (const StaleWrite& stale : stale_writes(equal_ok.records)) {
    if (stale.write["token"].get<uint64_t>() == stale.newer.second) shared.push_back(stale);
  }
  ASSERT_GE(shared.size(), 3u) << "the older leadership's equal-token writes came after";
  EXPECT_EQ(count_accepted(shared, true), shared.size()) << "equal-ok accepts an equal token";
  EXPECT_EQ(shared.front().write["writer"].get<std::string>(), "n5");
  EXPECT_EQ(shared.front().newer, (Leadership{"n1", 34}));

  const TracedRun on =
      run_traced(load_library("fencing-amnesia", {"resource.fencing=on"}), 149);
  size_t refused_n1 = 0;
  for (const Json& write : of_kind(on.records, "resource_write")) {
    if (write["writer"] == "n1" && write["epoch"] == 34) {
      EXPECT_EQ(write["accepted"], false) << "an equal token from another leadership";
      ++refused_n1;
    }
  }
  EXPECT_GE(refused_n1, 3u);
}

}  // namespace
}  // namespace electsim::testing
