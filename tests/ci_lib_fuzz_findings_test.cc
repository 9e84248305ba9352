// The fuzz target of the scenario loader (tests/fuzz/fuzz_scenario_loader.cc, issue 12,
// acceptance 6) replayed in the fast suite, without clang or libFuzzer: every finding kept in
// tests/fuzz/findings/ and every seed of its corpus (the built-in scenarios, as
// they are and behind a command-line first line) keeps the target's properties: the loader gives
// a scenario or an error, and a scenario that loads survives --print-scenario's round trip.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scenarios/builtin_scenarios.h"
#include "tests/cli_test_support.h"
#include "tests/fuzz/scenario_loader_input.h"

namespace electsim::testing {
namespace {

namespace fs = std::filesystem;

// The scenario loader's findings: those of the target before it read a command line
// (tests/fuzz/findings/*.yaml) and those since (tests/fuzz/findings/scenario_loader/).
std::vector<fs::path> findings() {
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::recursive_directory_iterator(source_path("tests/fuzz/findings"))) {
    if (entry.is_regular_file() && entry.path().extension() != ".md") {
      files.push_back(entry.path());
    }
  }
  return files;
}

TEST(CiLibFuzzFindings, EveryKeptFindingKeepsTheTargetsProperties) {
  const std::vector<fs::path> files = findings();
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    EXPECT_EQ(fuzz::check_scenario_input(read_text(file)), "") << file;
  }
}

TEST(CiLibFuzzFindings, TheBuiltInScenariosAreSeedsThatLoadAndRoundTrip) {
  for (const auto& builtin : scenarios::builtin_scenarios()) {
    const std::string text(builtin.text);
    ASSERT_TRUE(scenarios::load_scenario_text(text, "seed.yaml", {}).ok()) << builtin.name;
    EXPECT_EQ(fuzz::check_scenario_input(text), "") << builtin.name;
    // The corpus's second form: the file behind a command line that changes it.
    const std::string flagged = "#!run\t" + std::string(builtin.name) +
                                "\t--set\tduration=30s\t--algorithm\traft\n" + text;
    EXPECT_EQ(fuzz::check_scenario_input(flagged), "") << builtin.name;
  }
}

TEST(CiLibFuzzFindings, TheFirstLineCarriesTheCommandLineSplitAtTabs) {
  EXPECT_EQ(fuzz::command_line_of("#!run\tx\t--set\tduration=2s\nversion: 1\n"),
            (std::vector<std::string>{"electsim", "run", "x", "--set", "duration=2s"}));
  EXPECT_TRUE(fuzz::command_line_of("version: 1\n").empty());
}

}  // namespace
}  // namespace electsim::testing
