// electsim/gtest.h: a GoogleTest adapter for algorithms written outside electsim's tree
// (docs/LIBRARY.md). Installed by `cmake --install` as <electsim/gtest.h>; in the tree it is
// scenarios/public/gtest.h. Header-only: link electsim::electsim and GTest::gtest_main.
//
//   TEST(MyElection, OneLeaderPerEpoch) {
//     EXPECT_TRUE(electsim::Property(my_algorithm())
//                     .scenario_file("nemesis")              // a path or a built-in scenario
//                     .seeds(1, 200)
//                     .checks({"one_leader_per_epoch"})       // none named: every check
//                     .holds());
//   }
//
// On failure the message gives the failing seed, the check, its detail and true time, the fault
// schedule shrunk to a minimal scenario file, and the command that replays that seed alone:
// this test binary, filtered to this test, with ELECTSIM_SEEDS=N (which, when set, replaces the
// seeds of every property: "N" or "A..B").
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/command_line.h"
#include "scenarios/property_check.h"

namespace electsim {

class Property {
 public:
  explicit Property(algorithms::AlgorithmInfo algorithm) : algorithm_(std::move(algorithm)) {}

  // A scenario file's path, or a built-in scenario's name (`electsim list`).
  Property& scenario_file(std::string path) {
    spec_.scenario_path = std::move(path);
    return *this;
  }
  Property& scenario_yaml(std::string text) {
    spec_.scenario_text = std::move(text);
    return *this;
  }
  Property& seeds(uint64_t first, uint64_t last) {
    spec_.seeds = {first, last};
    return *this;
  }
  Property& checks(std::vector<std::string> names) {
    spec_.checks = std::move(names);
    return *this;
  }
  // "PATH=VALUE", as `electsim --set` takes it.
  Property& set(std::string override_text) {
    spec_.overrides.push_back(std::move(override_text));
    return *this;
  }
  Property& shrink_runs(int runs) {
    spec_.shrink_runs = runs;
    return *this;
  }

  // Runs the seeds (ELECTSIM_SEEDS, if set, instead of those given).
  scenarios::PropertyOutcome run() const {
    auto spec = effective_spec();
    if (!spec.ok()) {
      scenarios::PropertyOutcome outcome;
      outcome.status = spec.status();
      return outcome;
    }
    return scenarios::check_property(algorithm_, *spec);
  }
  // The failure's whole account ("" when the property holds).
  std::string describe(const scenarios::PropertyOutcome& outcome) const {
    const scenarios::PropertySpec spec = effective_spec().value_or(spec_);
    const uint64_t seed = outcome.failure ? outcome.failure->seed : spec.seeds.first;
    return scenarios::describe_outcome(outcome, spec, algorithm_.name, replay_command(seed));
  }
  ::testing::AssertionResult holds() const {
    const scenarios::PropertyOutcome outcome = run();
    if (outcome.holds()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << describe(outcome);
  }

  // "ELECTSIM_SEEDS=N /path/to/test_binary --gtest_filter=Suite.Test".
  static std::string replay_command(uint64_t seed) {
    std::error_code error;
    std::string binary = std::filesystem::read_symlink("/proc/self/exe", error).string();
    if (error) binary = "TEST_BINARY";
    std::string filter;
    if (const auto* test = ::testing::UnitTest::GetInstance()->current_test_info()) {
      filter = std::string(" --gtest_filter=") + test->test_suite_name() + "." + test->name();
    }
    return "ELECTSIM_SEEDS=" + std::to_string(seed) + " " + binary + filter;
  }

 private:
  // The spec with ELECTSIM_SEEDS applied.
  absl::StatusOr<scenarios::PropertySpec> effective_spec() const {
    scenarios::PropertySpec spec = spec_;
    const char* seeds = std::getenv("ELECTSIM_SEEDS");
    if (seeds == nullptr || *seeds == '\0') return spec;
    auto range = scenarios::parse_seed_range(seeds);
    if (!range.ok()) {
      return absl::InvalidArgumentError(std::string("ELECTSIM_SEEDS: ") +
                                        std::string(range.status().message()));
    }
    spec.seeds = *range;
    return spec;
  }

  algorithms::AlgorithmInfo algorithm_;
  scenarios::PropertySpec spec_;
};

}  // namespace electsim
