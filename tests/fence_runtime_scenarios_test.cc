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
