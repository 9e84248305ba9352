// For the tests that compare electsim's runs with published per-trial data
// (fig16_distribution_test.cc, fig16_howard_test.cc): a sweep of a library scenario, and the
// two-sample Kolmogorov-Smirnov distance with its 5% critical value as scripts/experiments computes
// them for docs/EXPERIMENTS.md.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "reports/run_result.h"
#include "scenarios/scenario.h"
#include "scenarios/sweep.h"

namespace electsim::testing {

// Seeds 1..seeds of scenarios/library/NAME.yaml under `overrides`, on every core; empty (and a
// test failure) if the scenario does not load.
inline std::vector<reports::RunResult> library_sweep(const std::string& name,
                                                     const std::vector<std::string>& overrides,
                                                     uint64_t seeds) {
  scenarios::LoadOptions options;
  options.overrides = overrides;
  auto scenario = scenarios::load_scenario_file(
      std::string(ELECTSIM_SOURCE_DIR) + "/scenarios/library/" + name + ".yaml", options);
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  if (!scenario.ok()) return {};
  const int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return scenarios::collect_sweep(*scenario, scenarios::SeedRange{1, seeds}, jobs);
}

// sup over x of |F_a(x) - F_b(x)|, ties stepping together (scripts/experiments' ks_distance).
inline double ks_distance(std::vector<double> a, std::vector<double> b) {
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

// c(0.05) sqrt((n + m) / (n m)), c(0.05) = sqrt(-ln(0.025) / 2) = 1.358: 0.105 for 200 and 1000,
// 0.166 for 200 and 100.
inline double ks_critical_value(size_t n, size_t m) {
  return std::sqrt(-std::log(0.025) / 2) * std::sqrt(static_cast<double>(n + m) / (n * m));
}

}  // namespace electsim::testing
