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

namespace electsim::scenarios {
namespace {

constexpr uint64_t kSeeds = 200;

// Each seed's time from the crash to the new leader, in ms; a seed without one fails the test.
std::vector<double> our_times(const std::string& timeout, const std::string& duration,
                              const std::string& bound) {
  const std::string path = std::string(ELECTSIM_SOURCE_DIR) + "/scenarios/library/raft-fig16.yaml";
  LoadOptions options;
  options.overrides = {"algorithm.params.election_timeout=" + timeout, "duration=" + duration,
                       "checks.recovery_within=" + bound};
  auto scenario = load_scenario_file(path, options);
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  if (!scenario.ok()) return {};
  const int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<double> times;
  for (const reports::RunResult& run : collect_sweep(*scenario, SeedRange{1, kSeeds}, jobs)) {
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

// sup over x of |F_a(x) - F_b(x)|, ties stepping together (scripts/experiments' ks_distance).
double ks_distance(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  size_t i = 0;
  size_t j = 0;
  double distance = 0;
  while (i < a.size() && j < b.size()) {
    const double x = std::min(a[i], b[j]);
    while (i < a.size() && a[i] == x) ++i;
    while (j < b.size() && b[j] == x) ++j;
    distance = std::max(distance, std::abs(static_cast<double>(i) / a.size() -
                                           static_cast<double>(j) / b.size()));
  }
  return distance;
}

// c(0.05) sqrt((n + m) / (n m)), c(0.05) = sqrt(-ln(0.025) / 2) = 1.358: 0.105 for 200 and 1000.
double critical_value(size_t n, size_t m) {
  return std::sqrt(-std::log(0.025) / 2) * std::sqrt(static_cast<double>(n + m) / (n * m));
}

TEST(Fig16Distribution, TwoLinesAreIndistinguishableFromThePapersTrials) {
  const std::vector<double> paper_wide = paper_times("150-300");
  const std::vector<double> paper_short = paper_times("50-100");
  ASSERT_EQ(paper_wide.size(), 1000u);
  ASSERT_EQ(paper_short.size(), 1000u);
  const std::vector<double> wide = our_times("150ms..300ms", "4s", "2.5s");
  const std::vector<double> short_line = our_times("50ms..100ms", "2s", "0.8s");
  ASSERT_EQ(wide.size(), kSeeds);
  ASSERT_EQ(short_line.size(), kSeeds);
  const double critical = critical_value(kSeeds, 1000);
  EXPECT_NEAR(critical, 0.105, 0.001);
  EXPECT_LT(ks_distance(wide, paper_wide), critical);
  EXPECT_LT(ks_distance(short_line, paper_short), critical);
  // Control: the test tells lines apart; our 150-300 is not the paper's 150-155.
  EXPECT_GT(ks_distance(wide, paper_times("150-155")), critical);
}

}  // namespace
}  // namespace electsim::scenarios
