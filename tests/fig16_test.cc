// A reduced Figure 16 (Raft paper, Ongaro & Ousterhout 2014, section 9.3): the built-in scenario
// scenarios/library/raft-fig16.yaml, run in-process through the runner for 200 seeds per line
// instead of 1000. The expected medians are the paper's (docs/fig16-reference.tsv, from its
// published per-trial data); scripts/fig16 runs the full figure.
#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "reports/run_result.h"
#include "scenarios/scenario.h"
#include "scenarios/sweep.h"

namespace electsim::scenarios {
namespace {

constexpr uint64_t kSeeds = 200;

struct Line {
  std::string timeout;  // election_timeout as written in the scenario
  std::string duration;
  std::string bound;    // checks.recovery_within
};

// The recovery time of every seed in ms, sorted. A seed that did not elect a lasting new leader
// fails the test.
std::vector<double> sweep(const Line& line) {
  const std::string path = std::string(ELECTSIM_SOURCE_DIR) + "/scenarios/library/raft-fig16.yaml";
  LoadOptions options;
  options.overrides = {"algorithm.params.election_timeout=" + line.timeout,
                       "duration=" + line.duration, "checks.recovery_within=" + line.bound};
  auto scenario = load_scenario_file(path, options);
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  if (!scenario.ok()) return {};
  const int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const auto runs = collect_sweep(*scenario, SeedRange{1, kSeeds}, jobs);
  std::vector<double> recovery;
  for (const reports::RunResult& run : runs) {
    EXPECT_EQ(run.verdict, reports::Verdict::kPass) << line.timeout << " seed " << run.seed;
    if (run.checks.recovery.empty()) continue;
    recovery.push_back(static_cast<double>(run.checks.recovery.back().ns()) / 1e6);
  }
  EXPECT_EQ(recovery.size(), kSeeds) << line.timeout << ": every seed elects a new leader";
  std::sort(recovery.begin(), recovery.end());
  return recovery;
}

// Nearest rank, as electsim and docs/fig16-reference.tsv compute it.
double median(const std::vector<double>& sorted) {
  return sorted.empty() ? 0 : sorted[(sorted.size() + 1) / 2 - 1];
}

// The scaled lines: the paper's medians are 30 ms (12-24) and 171 ms (150-300).
TEST(Fig16, MediansOfTheScaledLinesAreWithin30PercentOfThePaper) {
  const double fast = median(sweep({"12ms..24ms", "2s", "0.8s"}));
  EXPECT_NEAR(fast, 30.0, 0.3 * 30.0);
  const double conservative = median(sweep({"150ms..300ms", "4s", "2.5s"}));
  EXPECT_NEAR(conservative, 171.2, 0.3 * 171.2);
}

// The contested lines: 5 ms of randomness leave many split votes (paper median 287 ms), 25 ms
// few (141 ms); the recovery from a crash is never faster than half the minimum timeout.
TEST(Fig16, FiveMillisecondsOfRandomnessSplitMoreVotesThanTwentyFive) {
  const std::vector<double> narrow = sweep({"150ms..155ms", "10s", "8s"});
  const std::vector<double> wide = sweep({"150ms..175ms", "4s", "2.5s"});
  EXPECT_GT(median(narrow), 1.3 * median(wide));
  EXPECT_NEAR(median(narrow), 287.3, 0.3 * 287.3);
  ASSERT_FALSE(wide.empty());
  EXPECT_GE(wide.front(), 75.0) << "no election before the followers' timers can expire";
}

}  // namespace
}  // namespace electsim::scenarios
