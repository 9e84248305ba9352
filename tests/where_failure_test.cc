// Failures that say where (issue 8, item 8): a failed SIM_CHECK is reported with the values it
// compared, the seed, the true time and the reproduce command, in one line on standard error and
// in the JSON, through the real binary with the test-only check tripper; and a sweep worker that
// throws outside a run (std::bad_alloc, a failed check) names its seed and the sweep goes on.
#include <sys/wait.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "scenarios/sweep.h"
#include "sim/check.h"
#include "tests/algorithms/check_tripper.h"
#include "tests/cli_test_support.h"

namespace electsim {
namespace {

namespace fs = std::filesystem;

// Three Raft nodes without clock skew for 1 s: on a tripping seed n1 fails its check at 250 ms.
fs::path tripper_scenario(const fs::path& dir) {
  const fs::path path = dir / "tripper.yaml";
  std::ofstream(path) << "version: 1\nname: tripper\ncluster: {nodes: 3}\n"
                      << "algorithm: {name: " << testing::kCheckTripperName << "}\n"
                      << "duration: 1s\nseeds: 1..100\n";
  return path;
}

uint64_t first_tripping_seed() {
  for (uint64_t seed = 1;; ++seed) {
    if (testing::trips_on_seed(seed)) return seed;
  }
}

using Outcome = testing::CommandResult;

Outcome run_binary(const std::string& arguments, const fs::path& dir) {
  return testing::run_binary(ELECTSIM_TEST_ALGORITHMS_BINARY, arguments, dir);
}

// The lines of `text` that start with `prefix`.
std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> found;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, prefix)) found.emplace_back(line);
  }
  return found;
}

TEST(WhereFailures, TheRunPrintsOneLineOnStandardErrorThatSaysWhere) {
  const fs::path dir = testing::temp_dir("where-run");
  const uint64_t seed = first_tripping_seed();
  const Outcome outcome =
      run_binary(absl::StrCat("run ", tripper_scenario(dir).string(), " --seed ", seed), dir);
  EXPECT_EQ(outcome.exit_code, 70);
  const auto lines = lines_starting(outcome.err, "electsim: ");
  ASSERT_EQ(lines.size(), 1u) << outcome.err;
  const std::string& line = lines[0];
  EXPECT_TRUE(absl::StartsWith(
      line, absl::StrCat("electsim: internal_error in seed ", seed,
                         " at true time 0.250000000s: tests/algorithms/check_tripper.cc:")))
      << line;
  EXPECT_TRUE(absl::StrContains(line, "check 'draw_ != 0u' failed (0 vs 0)")) << line;
  EXPECT_TRUE(absl::StrContains(line, testing::kTripMessage)) << line;
  EXPECT_TRUE(absl::EndsWith(line, absl::StrCat("; reproduce: ", ELECTSIM_TEST_ALGORITHMS_BINARY,
                                                " run ", tripper_scenario(dir).string(),
                                                " --seed ", seed)))
      << line;
}

TEST(WhereFailures, QuietPrintsTheSameOneLine) {
  const fs::path dir = testing::temp_dir("where-quiet");
  const uint64_t seed = first_tripping_seed();
  const Outcome outcome = run_binary(
      absl::StrCat("run ", tripper_scenario(dir).string(), " --seed ", seed, " --quiet"), dir);
  EXPECT_EQ(outcome.exit_code, 70);
  EXPECT_TRUE(absl::StartsWith(outcome.out, absl::StrCat("internal_error in seed ", seed,
                                                         " at true time 0.250000000s: ")))
      << outcome.out;
  EXPECT_TRUE(absl::StrContains(outcome.out, absl::StrCat("--seed ", seed, "\n"))) << outcome.out;
}

TEST(WhereFailures, TheJsonCarriesTheValuesSeedTrueTimeAndReproduceCommand) {
  const fs::path dir = testing::temp_dir("where-json");
  const uint64_t seed = first_tripping_seed();
  const fs::path json_path = dir / "run.json";
  const Outcome outcome = run_binary(absl::StrCat("run ", tripper_scenario(dir).string(),
                                                  " --seed ", seed, " --json ", json_path.string()),
                                     dir);
  EXPECT_EQ(outcome.exit_code, 70) << outcome.err;
  const auto json = nlohmann::json::parse(testing::read_text(json_path));
  EXPECT_EQ(json["verdict"], "internal_error");
  EXPECT_EQ(json["seed"].get<uint64_t>(), seed);
  EXPECT_EQ(json["error_time_ns"].get<int64_t>(), testing::kTripAfter.ns());
  const std::string error = json["error"].get<std::string>();
  EXPECT_TRUE(absl::StrContains(error, "(0 vs 0)")) << error;
  EXPECT_TRUE(absl::StrContains(json["replay"].get<std::string>(), absl::StrCat("--seed ", seed)));
}

scenarios::Scenario load_tripper(const fs::path& dir) {
  testing::register_check_tripper();
  auto scenario = scenarios::load_scenario_file(tripper_scenario(dir).string(), {});
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return *scenario;
}

// A worker that throws outside the run: seed 3 runs out of memory, seed 5 fails a check, both
// after their run would have ended; every other seed passes.
reports::RunResult run_or_throw(uint64_t seed) {
  if (seed == 3) throw std::bad_alloc();
  if (seed == 5) SIM_CHECK_EQ(seed, 6u, "a check outside the run");
  reports::RunResult run;
  run.seed = seed;
  return run;
}

TEST(WhereFailures, ASweepWorkerThatThrowsNamesItsSeedAndTheSweepGoesOn) {
  const auto scenario = load_tripper(testing::temp_dir("where-worker"));
  for (int jobs : {1, 2}) {
    scenarios::SweepOptions options;
    options.jobs = jobs;
    options.run_seed_for_tests = run_or_throw;
    std::vector<reports::RunResult> runs;
    const auto outcome = scenarios::run_sweep(scenario, {1, 8}, options,
                                              [&](const reports::RunResult& run) {
                                                runs.push_back(run);
                                                return absl::OkStatus();
                                              });
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    ASSERT_EQ(runs.size(), 8u);
    for (uint64_t seed = 1; seed <= 8; ++seed) {
      const reports::RunResult& run = runs[seed - 1];
      EXPECT_EQ(run.seed, seed);
      const bool threw = seed == 3 || seed == 5;
      EXPECT_EQ(run.verdict,
                threw ? reports::Verdict::kInternalError : reports::Verdict::kPass);
      if (!threw) continue;
      EXPECT_TRUE(absl::StartsWith(run.error, absl::StrCat("seed ", seed, ": "))) << run.error;
      EXPECT_TRUE(absl::StrContains(run.reproduce, absl::StrCat("--seed ", seed)));
    }
    EXPECT_TRUE(absl::StrContains(runs[2].error, "bad_alloc")) << runs[2].error;
    EXPECT_TRUE(absl::StrContains(runs[4].error, "(5 vs 6): a check outside the run"))
        << runs[4].error;
  }
}

}  // namespace
}  // namespace electsim
