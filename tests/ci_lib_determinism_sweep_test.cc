// Issue 12, acceptance 7: `--check-determinism` over 1,000 seeds of every library scenario finds
// no seed whose two runs differ (each seed runs twice in one process, the second time after
// other seeds and with another heap state: docs/CI.md, "Determinism self-check"). Long: ctest
// runs it as the slow test determinism_1000 (ELECTSIM_DETERMINISM_1000=1). It prints, per
// scenario, the seeds, the wall time and the seeds per second (two runs each).
//
// Seeds: 1..1000, or ELECTSIM_DETERMINISM_SEEDS; the scenarios whose name ends in -1000 (1,000
// groups for ten simulated minutes, seconds per seed) take ELECTSIM_DETERMINISM_SEEDS_1000
// (default 20), as scripts/determinism-check does for its cross-build runs.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "scenarios/builtin_scenarios.h"
#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

uint64_t seeds_from(const char* variable, uint64_t fallback) {
  const char* text = std::getenv(variable);
  return text == nullptr ? fallback : std::strtoull(text, nullptr, 10);
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TEST(CiLibDeterminism1000, EveryLibraryScenarioRunsTheSameTwiceInOneProcess) {
  if (std::getenv("ELECTSIM_DETERMINISM_1000") == nullptr) {
    GTEST_SKIP() << "runs as the slow ctest test determinism_1000";
  }
  const uint64_t seeds = seeds_from("ELECTSIM_DETERMINISM_SEEDS", 1000);
  const uint64_t seeds_1000 = seeds_from("ELECTSIM_DETERMINISM_SEEDS_1000", 20);
  const auto dir = temp_dir("ci-lib-determinism");
  const auto all_start = std::chrono::steady_clock::now();
  for (const auto& builtin : scenarios::builtin_scenarios()) {
    const uint64_t count = ends_with(builtin.name, "-1000") ? seeds_1000 : seeds;
    const auto start = std::chrono::steady_clock::now();
    const auto result = run_electsim("sweep " + builtin.name + " --seeds 1.." +
                                         std::to_string(count) +
                                         " --check-determinism --jobs 2 --quiet", dir);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("determinism %-40s %5llu seeds %8.1f s %8.1f seeds/s exit %d\n",
                builtin.name.c_str(), static_cast<unsigned long long>(count), seconds,
                static_cast<double>(count) / seconds, result.exit_code);
    // A verdict (the library holds violations and livelocks on purpose), never exit 70.
    EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 1 || result.exit_code == 2 ||
                result.exit_code == 65)
        << builtin.name << " exit " << result.exit_code << "\n" << result.err;
    EXPECT_EQ(result.err.find("fingerprint"), std::string::npos) << builtin.name << result.err;
  }
  std::printf("determinism total %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - all_start)
                  .count());
}

}  // namespace
}  // namespace electsim::testing
