// parse_command_line as a function: what each flag parses to, and that refusals come back as
// data (exit 64, one line) instead of exiting the process.
#include "scenarios/command_line.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace electsim::scenarios {
namespace {

Command parse(std::vector<std::string> args) {
  args.insert(args.begin(), "electsim");
  return parse_command_line(args);
}

TEST(CommandLine, SeedTakesDecimalDigitsOnlyUpToTwoToTheSixtyFourMinusOne) {
  EXPECT_EQ(*parse_seed("0"), 0u);
  EXPECT_EQ(*parse_seed("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(*parse_seed("007"), 7u);
  for (const char* bad : {"", "-1", "+3", "18446744073709551616", "1e3", "0x10", " 1", "1 "}) {
    EXPECT_FALSE(parse_seed(bad).ok()) << bad;
  }
  const auto range = parse_seed_range("18446744073709551614..18446744073709551615");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->first, UINT64_MAX - 1);
  EXPECT_EQ(range->last, UINT64_MAX);
  EXPECT_EQ(parse_seed_range("9")->first, 9u);
  EXPECT_EQ(parse_seed_range("9")->last, 9u);
  for (const char* bad : {"5..3", "1..", "..1", "1...2", "a..b", ""}) {
    EXPECT_FALSE(parse_seed_range(bad).ok()) << bad;
  }
}

TEST(CommandLine, RunCollectsItsFlags) {
  const Command command = parse({"run", "x.yaml", "--seed", "42", "--set", "a.b=1", "--set",
                                 "c=2", "--algorithm", "raft", "--json", "out.json", "--quiet"});
  const auto* run = std::get_if<RunCommand>(&command);
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->scenario.scenario, "x.yaml");
  EXPECT_EQ(run->seed, 42u);
  EXPECT_EQ(run->scenario.overrides, (std::vector<std::string>{"a.b=1", "c=2"}));
  EXPECT_EQ(run->scenario.algorithm, "raft");
  EXPECT_EQ(run->output.json_path, "out.json");
  EXPECT_TRUE(run->output.quiet);
}

TEST(CommandLine, SweepCheckAndListParse) {
  const Command sweep = parse({"sweep", "x", "--seeds", "3..9", "--jobs", "2"});
  ASSERT_TRUE(std::holds_alternative<SweepCommand>(sweep));
  EXPECT_EQ(std::get<SweepCommand>(sweep).seeds->first, 3u);
  EXPECT_EQ(std::get<SweepCommand>(sweep).jobs, 2);
  const Command check = parse({"check", "x", "--print-scenario"});
  ASSERT_TRUE(std::holds_alternative<CheckCommand>(check));
  EXPECT_TRUE(std::get<CheckCommand>(check).scenario.print_scenario);
  const Command list = parse({"list", "--json"});
  ASSERT_TRUE(std::holds_alternative<ListCommand>(list));
  EXPECT_TRUE(std::get<ListCommand>(list).json);
}

TEST(CommandLine, RefusalsAreOneLineUsageErrors) {
  const std::vector<std::vector<std::string>> bad = {
      {},
      {"frobnicate"},
      {"run"},
      {"run", "x", "--seed", "-1"},
      {"run", "x", "--algorithm", ""},
      {"run", "x", "--bogus"},
      {"sweep", "x", "--seeds", "5..3"},
      {"sweep", "x", "--jobs", "0"},
      {"run", "x", "--set", "name=\xff"},
      {"list", "extra"},
  };
  for (const auto& args : bad) {
    const Command command = parse(args);
    const auto* finished = std::get_if<FinishedCommand>(&command);
    ASSERT_NE(finished, nullptr) << (args.empty() ? "" : args[0]);
    EXPECT_EQ(finished->exit_code, 64);
    EXPECT_EQ(finished->err.rfind("electsim: ", 0), 0u) << finished->err;
    EXPECT_EQ(finished->err.find('\n'), finished->err.size() - 1) << finished->err;
  }
}

TEST(CommandLine, HelpAndVersionFinishWithExitZero) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--help"}, {"--version"}, {"run", "--help"}}) {
    const Command command = parse(args);
    const auto* finished = std::get_if<FinishedCommand>(&command);
    ASSERT_NE(finished, nullptr);
    EXPECT_EQ(finished->exit_code, 0);
    EXPECT_FALSE(finished->out.empty());
  }
}

TEST(CommandLine, ReproduceNamesTheBinaryAsTyped) {
  EXPECT_EQ(invoked_program_name("build/electsim"), "build/electsim");
  EXPECT_EQ(invoked_program_name("./electsim"), "./electsim");
  EXPECT_EQ(invoked_program_name("electsim"), "electsim");
  EXPECT_EQ(invoked_program_name(""), "electsim");
}

}  // namespace
}  // namespace electsim::scenarios
