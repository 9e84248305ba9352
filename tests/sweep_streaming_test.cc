// Streaming sweeps in-process (scenarios/sweep.h): runs reach the consumer in seed order with no
// gaps whatever the number of jobs and the window, a stop leaves exactly a finished prefix, a
// consumer's error stops the sweep, and ranges at the ends of uint64_t work.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scenarios/scenario.h"
#include "scenarios/sweep.h"
#include "tests/cli_test_support.h"

namespace electsim::scenarios {
namespace {

constexpr uint64_t kMaxSeed = std::numeric_limits<uint64_t>::max();

// One Raft node for 1 s: a few events per seed, so many seeds run in little time.
Scenario tiny_scenario() {
  const auto dir = testing::temp_dir("sweep-streaming");
  const auto path = dir / "tiny.yaml";
  std::ofstream(path) << "version: 1\nname: tiny\ncluster: {nodes: 3}\n"
                         "algorithm: {name: raft}\nduration: 1s\nseeds: 1..10\n";
  auto scenario = load_scenario_file(path.string(), LoadOptions{});
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return *scenario;
}

struct Consumed {
  std::vector<uint64_t> seeds;
  std::vector<uint64_t> fingerprints;
};

absl::StatusOr<SweepOutcome> sweep_into(Consumed& consumed, SeedRange range,
                                        const SweepOptions& options) {
  static const Scenario scenario = tiny_scenario();
  return run_sweep(scenario, range, options, [&](const reports::RunResult& run) {
    consumed.seeds.push_back(run.seed);
    consumed.fingerprints.push_back(run.fingerprint);
    return absl::OkStatus();
  });
}

std::vector<uint64_t> seeds_from(uint64_t first, uint64_t count) {
  std::vector<uint64_t> seeds;
  for (uint64_t i = 0; i < count; ++i) seeds.push_back(first + i);
  return seeds;
}

TEST(SweepStreaming, RunsArriveInSeedOrderAndDoNotDependOnJobsOrWindow) {
  Consumed one;
  SweepOptions options;
  options.jobs = 1;
  ASSERT_TRUE(sweep_into(one, {5, 204}, options).ok());
  EXPECT_EQ(one.seeds, seeds_from(5, 200));
  for (const auto& [jobs, window] : {std::pair{3, 2}, std::pair{2, 1}, std::pair{4, 0}}) {
    Consumed many;
    options.jobs = jobs;
    options.window = static_cast<uint64_t>(window);
    auto outcome = sweep_into(many, {5, 204}, options);
    ASSERT_TRUE(outcome.ok());
    EXPECT_FALSE(outcome->stopped);
    EXPECT_EQ(many.seeds, one.seeds) << jobs << " jobs, window " << window;
    EXPECT_EQ(many.fingerprints, one.fingerprints) << jobs << " jobs, window " << window;
  }
}

TEST(SweepStreaming, AStopLeavesExactlyTheFinishedPrefix) {
  std::atomic<uint64_t> handed_out{0};
  SweepOptions options;
  options.jobs = 2;
  options.window = 4;
  // Asked once per seed handed out: the sweep stops after 30 seeds started.
  options.stop_requested = [&] { return ++handed_out > 30; };
  Consumed consumed;
  auto outcome = sweep_into(consumed, {0, kMaxSeed}, options);
  ASSERT_TRUE(outcome.ok());
  EXPECT_TRUE(outcome->stopped);
  EXPECT_EQ(consumed.seeds, seeds_from(0, 30));
}

TEST(SweepStreaming, AConsumersErrorStopsTheSweep) {
  static const Scenario scenario = tiny_scenario();
  SweepOptions options;
  options.jobs = 2;
  uint64_t consumed = 0;
  auto outcome = run_sweep(scenario, {1, kMaxSeed}, options, [&](const reports::RunResult&) {
    return ++consumed == 10 ? absl::DataLossError("disk full") : absl::OkStatus();
  });
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().message(), "disk full");
  EXPECT_EQ(consumed, 10u);
}

TEST(SweepStreaming, RangesAtTheTopOfUint64Finish) {
  SweepOptions options;
  options.jobs = 2;
  Consumed consumed;
  auto outcome = sweep_into(consumed, {kMaxSeed - 4, kMaxSeed}, options);
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(outcome->stopped);
  EXPECT_EQ(consumed.seeds, seeds_from(kMaxSeed - 4, 5));
  Consumed single;
  ASSERT_TRUE(sweep_into(single, {kMaxSeed, kMaxSeed}, options).ok());
  EXPECT_EQ(single.seeds, std::vector<uint64_t>{kMaxSeed});
}

}  // namespace
}  // namespace electsim::scenarios
