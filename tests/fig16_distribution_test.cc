// Figure 16 as distributions (issue 13, acceptance 6): two lines of
// scenarios/library/raft-fig16.yaml, 200 seeds each, against the paper's per-trial data
// (docs/data/raft-fig16/ongaro-2014-fig16.csv) by the two-sample Kolmogorov-Smirnov distance, as
// scripts/experiments computes it for 1000 seeds per line. fig16_test.cc checks medians.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "reports/run_result.h"
#include "scenarios/scenario.h"
#include "scenarios/sweep.h"
#include "tests/published_data_support.h"

namespace electsim::scenarios {
namespace {

constexpr uint64_t kSeeds = 200;

// Each seed's time from the crash to the new leader, in ms; a seed without one fails the test.
std::vector<double> our_times(const std::string& timeout, const std::string& duration,
                              const std::string& bound) {
  std::vector<double> times;
  for (const reports::RunResult& run : testing::library_sweep(
           "raft-fig16",
           {"algorithm.params.election_timeout=" + timeout, "duration=" + duration,
            "checks.recovery_within=" + bound},
           kSeeds)) {
    EXPECT_FALSE(run.checks.recovery.empty()) << timeout << " seed " << run.seed;
    if (!run.checks.recovery.empty()) {
      times.push_back(static_cast<double>(run.checks.recovery.back().ns()) / 1e6);
    }
  }
  return times;
}

// The paper's trials of one line ("150-300"), in ms.
std::vector<double> paper_times(const std::string& line) {
  std::ifstream file(std::string(ELECTSIM_SOURCE_DIR) +
                     "/docs/data/raft-fig16/ongaro-2014-fig16.csv");
  std::vector<double> times;
  std::string row;
  std::getline(file, row);  // the header
  while (std::getline(file, row)) {
    if (row.rfind(line + ",", 0) != 0) continue;
    times.push_back(std::stod(row.substr(row.rfind(',') + 1)));
  }
  return times;
}

using testing::ks_critical_value;
using testing::ks_distance;

TEST(Fig16Distribution, TwoLinesAreIndistinguishableFromThePapersTrials) {
  const std::vector<double> paper_wide = paper_times("150-300");
  const std::vector<double> paper_short = paper_times("50-100");
  ASSERT_EQ(paper_wide.size(), 1000u);
  ASSERT_EQ(paper_short.size(), 1000u);
  const std::vector<double> wide = our_times("150ms..300ms", "4s", "2.5s");
  const std::vector<double> short_line = our_times("50ms..100ms", "2s", "0.8s");
  ASSERT_EQ(wide.size(), kSeeds);
  ASSERT_EQ(short_line.size(), kSeeds);
  const double critical = ks_critical_value(kSeeds, 1000);
  EXPECT_NEAR(critical, 0.105, 0.001);
  EXPECT_LT(ks_distance(wide, paper_wide), critical);
  EXPECT_LT(ks_distance(short_line, paper_short), critical);
  // Control: the test tells lines apart; our 150-300 is not the paper's 150-155.
  EXPECT_GT(ks_distance(wide, paper_times("150-155")), critical);
}

}  // namespace
}  // namespace electsim::scenarios
