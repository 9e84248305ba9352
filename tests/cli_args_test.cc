// The command line refuses what it cannot honour, with exit 64, one line on stderr naming the
// flag and the value (issue 7, "Command line"), and names the binary in reproduce commands as it
// was invoked. Built-in scenarios run by name; `check`, `--print-scenario` and `list --json`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "tests/cli_test_support.h"

namespace electsim {
namespace {

using testing::CommandResult;
using testing::run_electsim;
using testing::source_path;

const std::string kLeaderCrash = source_path("scenarios/library/raft-leader-crash.yaml");

std::string fingerprint_in(const std::string& report) {
  std::smatch match;
  return std::regex_search(report, match, std::regex("fingerprint ([0-9a-f]{16})"))
             ? match[1].str()
             : "";
}

std::string reproduce_in(const std::string& report) {
  std::smatch match;
  return std::regex_search(report, match, std::regex("reproduce   ([^\n]*)\n")) ? match[1].str()
                                                                                : "";
}

// Runs `command` with sh from `cwd`, as if pasted into a terminal, capturing what it printed.
CommandResult run_shell(const std::string& command, const std::filesystem::path& cwd,
                        const std::filesystem::path& scratch) {
  const auto script = scratch / "command.sh";
  std::ofstream(script) << "cd '" << cwd.string() << "' || exit 99\n" << command << "\n";
  const auto out = scratch / "shell-stdout.txt";
  const auto err = scratch / "shell-stderr.txt";
  const std::string line =
      "sh " + script.string() + " >" + out.string() + " 2>" + err.string() + " </dev/null";
  const int status = std::system(line.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = testing::read_text(out);
  result.err = testing::read_text(err);
  return result;
}

// Exit 64, nothing on stdout, exactly one line on stderr starting "electsim: " and holding
// every fragment.
void expect_usage_error(const CommandResult& result, const std::vector<std::string>& fragments) {
  EXPECT_EQ(result.exit_code, 64) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
  EXPECT_EQ(result.err.rfind("electsim: ", 0), 0u) << result.err;
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "one line: " << result.err;
  for (const std::string& fragment : fragments) {
    EXPECT_NE(result.err.find(fragment), std::string::npos) << fragment << " in " << result.err;
  }
}

TEST(CliArgs, SeedsOutsideTheRangeOrNotDecimalAreRefusedNamingFlagAndValue) {
  const auto dir = testing::temp_dir("args-seed");
  for (const std::string bad : {"-1", "+3", "18446744073709551616", "99999999999999999999999",
                                "1e3", "0x10", "", " 5", "5..6"}) {
    SCOPED_TRACE(bad);
    expect_usage_error(run_electsim("run " + kLeaderCrash + " --seed '" + bad + "'", dir),
                       {"--seed '" + bad + "'"});
  }
  for (const std::string bad : {"5..3", "-1..3", "1..18446744073709551616", "", "1..", "..4",
                                "1...3", "0x1..0x2"}) {
    SCOPED_TRACE(bad);
    expect_usage_error(run_electsim("sweep " + kLeaderCrash + " --seeds '" + bad + "'", dir),
                       {"--seeds '" + bad + "'"});
  }
  const auto reversed = run_electsim("sweep " + kLeaderCrash + " --seeds 5..3", dir);
  EXPECT_NE(reversed.err.find("5 is above 3"), std::string::npos) << reversed.err;
}

TEST(CliArgs, SeedsUseAllSixtyFourBits) {
  const auto dir = testing::temp_dir("args-seed-max");
  const auto run = run_electsim("run " + kLeaderCrash + " --quiet --seed 18446744073709551615", dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("seed 18446744073709551615 "), std::string::npos) << run.out;
  const auto sweep = run_electsim(
      "sweep " + kLeaderCrash + " --quiet --seeds 18446744073709551614..18446744073709551615", dir);
  EXPECT_EQ(sweep.exit_code, 0) << sweep.err;
}

TEST(CliArgs, SetErrorsAreCommandLineErrorsNamingTheFlag) {
  const auto dir = testing::temp_dir("args-set");
  expect_usage_error(run_electsim("run " + kLeaderCrash + " --set foo", dir),
                     {"--set foo: ", "PATH=VALUE"});
  expect_usage_error(run_electsim("run " + kLeaderCrash + " --set cluster.nodez=3", dir),
                     {"--set cluster.nodez: ", "unknown key 'nodez'", "did you mean 'nodes'?"});
  expect_usage_error(run_electsim("run " + kLeaderCrash + " --set checks.recovery_within=abc", dir),
                     {"--set checks.recovery_within=abc: ", "duration"});
  expect_usage_error(run_electsim("run " + kLeaderCrash + " --set cluster.nodes=many", dir),
                     {"--set cluster.nodes=many: ", "integer"});
  expect_usage_error(
      run_electsim("run " + kLeaderCrash + " --set algorithm.params.pre_vote=maybe", dir),
      {"--set algorithm.params.pre_vote=maybe: ", "true or false"});
  expect_usage_error(run_electsim("sweep " + kLeaderCrash + " --set 'duration=[1'", dir),
                     {"--set duration=[1: ", "YAML"});
  expect_usage_error(run_electsim("check " + kLeaderCrash + " --set =5", dir), {"--set =5: "});
}

TEST(CliArgs, AlgorithmMustBeNamedAndKnown) {
  const auto dir = testing::temp_dir("args-algorithm");
  expect_usage_error(run_electsim("run " + kLeaderCrash + " --algorithm ''", dir),
                     {"--algorithm: ", "got ''"});
  expect_usage_error(run_electsim("run " + kLeaderCrash + " --algorithm rafft", dir),
                     {"--algorithm rafft: ", "unknown algorithm 'rafft'", "did you mean 'raft'?"});
}

TEST(CliArgs, UnknownCommandIsNamedWithTheNearest) {
  const auto dir = testing::temp_dir("args-command");
  expect_usage_error(run_electsim("rnu " + kLeaderCrash, dir),
                     {"unknown command 'rnu'", "did you mean 'run'?"});
  expect_usage_error(run_electsim("frobnicate", dir),
                     {"unknown command 'frobnicate'", "run, sweep, check, list"});
  expect_usage_error(run_electsim("", dir), {"command"});
  expect_usage_error(run_electsim("run " + kLeaderCrash + " --no-such-flag", dir),
                     {"--no-such-flag"});
}

TEST(CliArgs, InvalidUtf8IsAScenarioErrorInTheFileAndAUsageErrorInAFlag) {
  const auto dir = testing::temp_dir("args-utf8");
  const auto file = dir / "bad-name.yaml";
  std::ofstream(file) << "version: 1\nname: \"ok\"\ndescription: caf\xc3 au lait\n";
  const auto in_file = run_electsim("run " + file.string(), dir);
  EXPECT_EQ(in_file.exit_code, 65) << in_file.err;
  EXPECT_EQ(in_file.err.rfind("electsim: " + file.string() + ":3:14: ", 0), 0u) << in_file.err;
  EXPECT_NE(in_file.err.find("not valid UTF-8 (byte 0xc3 at offset 3)"), std::string::npos)
      << in_file.err;
  EXPECT_EQ(in_file.err.find('\n'), in_file.err.size() - 1) << in_file.err;
  expect_usage_error(
      run_electsim("run " + kLeaderCrash + " --set \"$(printf 'name=n\\377')\" --json x.json", dir),
      {"--set: not valid UTF-8 (byte 0xff at offset 6)"});
  EXPECT_FALSE(std::filesystem::exists(dir / "x.json"));
}

TEST(CliArgs, ReproduceLineNamesTheBinaryAsInvokedAndReplaysWhenPasted) {
  const auto dir = testing::temp_dir("args-reproduce");
  const std::filesystem::path binary(ELECTSIM_BINARY);
  // From the repository root, as a user who built with scripts/setup types it: build/electsim.
  const std::filesystem::path root(ELECTSIM_SOURCE_DIR);
  const std::string invoked = std::filesystem::relative(binary, root).string();
  ASSERT_NE(invoked.find('/'), std::string::npos) << invoked;
  const auto first = run_shell(invoked +
                                   " run scenarios/library/raft-leader-crash.yaml --seed 7 "
                                   "--set 'algorithm.params.pre_vote=false'",
                               root, dir);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string reproduce = reproduce_in(first.out);
  EXPECT_EQ(reproduce, invoked +
                           " run scenarios/library/raft-leader-crash.yaml --seed 7 "
                           "--set algorithm.params.pre_vote=false");
  const auto pasted = run_shell(reproduce, root, dir);
  ASSERT_EQ(pasted.exit_code, 0) << pasted.err;
  EXPECT_FALSE(fingerprint_in(first.out).empty());
  EXPECT_EQ(fingerprint_in(pasted.out), fingerprint_in(first.out));
  // Found on PATH, the binary is named plainly.
  const auto on_path = run_shell("PATH='" + binary.parent_path().string() +
                                     "':$PATH electsim run raft-leader-crash --seed 7 "
                                     "--set 'algorithm.params.pre_vote=false'",
                                 dir, dir);
  ASSERT_EQ(on_path.exit_code, 0) << on_path.err;
  EXPECT_EQ(reproduce_in(on_path.out),
            "electsim run raft-leader-crash --seed 7 --set algorithm.params.pre_vote=false");
  EXPECT_EQ(fingerprint_in(on_path.out), fingerprint_in(first.out));
}

TEST(CliArgs, BuiltInScenariosRunByNameFromAnyDirectory) {
  const auto dir = testing::temp_dir("args-builtin");
  const auto by_name = run_electsim("run raft-leader-crash --seed 3", dir);
  const auto by_path = run_electsim("run " + kLeaderCrash + " --seed 3", dir);
  ASSERT_EQ(by_name.exit_code, 0) << by_name.err;
  EXPECT_EQ(fingerprint_in(by_name.out), fingerprint_in(by_path.out));
  EXPECT_NE(reproduce_in(by_name.out).find(" run raft-leader-crash --seed 3"), std::string::npos)
      << by_name.out;
  // A path that exists wins over a built-in name.
  std::ofstream(dir / "raft-leader-crash") << "version: 1\nname: local-file\nduration: 5s\n";
  const auto local = run_shell(std::string(ELECTSIM_BINARY) + " check raft-leader-crash", dir, dir);
  EXPECT_EQ(local.exit_code, 0) << local.err;
  EXPECT_EQ(local.out.rfind("ok: local-file, ", 0), 0u) << local.out;
  const auto typo = run_electsim("run raft-leader-crsh", dir);
  EXPECT_EQ(typo.exit_code, 65);
  EXPECT_NE(typo.err.find("did you mean 'raft-leader-crash'?"), std::string::npos) << typo.err;
  EXPECT_EQ(typo.err.find('\n'), typo.err.size() - 1) << typo.err;
}

TEST(CliArgs, CheckValidatesAndSummarizesInOneLine) {
  const auto dir = testing::temp_dir("args-check");
  const auto ok = run_electsim("check raft-leader-crash", dir);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "ok: raft-leader-crash, raft, 5 nodes, 60s, 2 faults, seeds 1..100\n");
  const auto changed =
      run_electsim("check " + kLeaderCrash + " --set cluster.nodes=7 --set seeds=4", dir);
  EXPECT_EQ(changed.out, "ok: raft-leader-crash, raft, 7 nodes, 60s, 2 faults, seed 4\n");
  const auto nemesis = run_electsim("check nemesis", dir);
  EXPECT_EQ(nemesis.exit_code, 0) << nemesis.err;
  EXPECT_NE(nemesis.out.find(", nemesis ("), std::string::npos) << nemesis.out;
  const auto file = dir / "bad.yaml";
  std::ofstream(file) << "version: 1\nduration: soon\n";
  const auto bad = run_electsim("check " + file.string(), dir);
  EXPECT_EQ(bad.exit_code, 65);
  EXPECT_EQ(bad.err.rfind("electsim: " + file.string() + ":2:11: ", 0), 0u) << bad.err;
  expect_usage_error(run_electsim("check " + kLeaderCrash + " --set duration=soon", dir),
                     {"--set duration=soon: "});
}

// Prints every built-in scenario as resolved, loads the printed text and prints it again.
TEST(CliArgs, PrintScenarioRoundTripsForEveryBuiltIn) {
  const auto dir = testing::temp_dir("args-print-all");
  const auto list = nlohmann::json::parse(run_electsim("list --json", dir).out);
  ASSERT_GE(list["builtin_scenarios"].size(), 10u);
  for (const auto& builtin : list["builtin_scenarios"]) {
    const std::string name = builtin["name"];
    SCOPED_TRACE(name);
    const auto printed = run_electsim("check --print-scenario " + name, dir);
    ASSERT_EQ(printed.exit_code, 0) << printed.err;
    const auto file = dir / (name + ".yaml");
    std::ofstream(file) << printed.out;
    const auto again = run_electsim("check --print-scenario " + file.string(), dir);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out, printed.out);
  }
}

// A printed scenario keeps algorithm.params_for, so --algorithm (and so compare) runs another
// algorithm from it with the file's tuning for that algorithm, not with its defaults.
TEST(CliArgs, PrintScenarioKeepsOtherAlgorithmsParameters) {
  const auto dir = testing::temp_dir("args-print-params-for");
  const auto printed = run_electsim("check --print-scenario leader-crash-all", dir);
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_NE(printed.out.find("params_for:"), std::string::npos) << printed.out;
  EXPECT_NE(printed.out.find("max_notification_interval: 2s"), std::string::npos) << printed.out;
  const auto file = dir / "printed.yaml";
  std::ofstream(file) << printed.out;
  for (const std::string algorithm : {"zab", "k8s-lease"}) {
    SCOPED_TRACE(algorithm);
    const std::string flags = " --algorithm " + algorithm + " --quiet --seed 3";
    const auto original = run_electsim("run leader-crash-all" + flags, dir);
    const auto reloaded = run_electsim("run " + file.string() + flags, dir);
    ASSERT_FALSE(fingerprint_in(original.out).empty()) << original.err;
    EXPECT_EQ(fingerprint_in(reloaded.out), fingerprint_in(original.out));
    // Switched to, its block is `params`; the other blocks stay under params_for.
    const auto switched = run_electsim("check --print-scenario leader-crash-all --algorithm " +
                                           algorithm, dir);
    ASSERT_EQ(switched.exit_code, 0) << switched.err;
    EXPECT_EQ(switched.out.find("\n    " + algorithm + ":"), std::string::npos) << switched.out;
    EXPECT_NE(switched.out.find("\n    ttl-lock:"), std::string::npos) << switched.out;
  }
}

TEST(CliArgs, PrintScenarioAppliesOverridesAndRunsToTheSameFingerprint) {
  const auto dir = testing::temp_dir("args-print");
  const std::string flags =
      " --algorithm raft --set cluster.nodes=7 --set algorithm.params.check_quorum=false"
      " --set 'faults=[{at: 5s, partition: {isolate: leader}, heal_after: 2s}]'";
  const auto printed = run_electsim("run raft-leader-crash --print-scenario" + flags, dir);
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_NE(printed.out.find("nodes: 7"), std::string::npos) << printed.out;
  EXPECT_NE(printed.out.find("check_quorum: false"), std::string::npos) << printed.out;
  EXPECT_NE(printed.out.find("heartbeat_interval: 75ms"), std::string::npos) << printed.out;
  EXPECT_NE(printed.out.find("isolate: leader"), std::string::npos) << printed.out;
  const auto file = dir / "resolved.yaml";
  std::ofstream(file) << printed.out;
  const auto original = run_electsim("run raft-leader-crash --quiet --seed 11" + flags, dir);
  const auto reloaded = run_electsim("run " + file.string() + " --quiet --seed 11", dir);
  ASSERT_FALSE(fingerprint_in(original.out).empty()) << original.err;
  EXPECT_EQ(fingerprint_in(reloaded.out), fingerprint_in(original.out));
  EXPECT_EQ(reloaded.exit_code, original.exit_code);
}

TEST(CliArgs, ListShowsBuiltInDescriptionsAndHasAJsonForm) {
  const auto dir = testing::temp_dir("args-list");
  const auto text = run_electsim("list", dir);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("raft-leader-crash"), std::string::npos);
  EXPECT_NE(text.out.find("The leader of a 5-node Raft cluster crashes at 10s"), std::string::npos)
      << text.out;
  EXPECT_EQ(text.out.find(" -\n"), std::string::npos) << text.out;
  const auto json_run = run_electsim("list --json", dir);
  ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
  const auto json = nlohmann::json::parse(json_run.out);
  EXPECT_EQ(json["algorithms"][0]["name"], "raft");
  bool has_election_timeout = false;
  for (const auto& param : json["algorithms"][0]["params"]) {
    has_election_timeout |= param["name"] == "election_timeout";
  }
  EXPECT_TRUE(has_election_timeout);
  for (const auto& builtin : json["builtin_scenarios"]) {
    const std::string description = builtin["description"];
    EXPECT_GT(description.size(), 20u) << builtin["name"];
    EXPECT_NE(description.substr(0, 1), ">") << builtin["name"];
  }
  bool has_nodes = false;
  for (const auto& key : json["scenario_keys"]) has_nodes |= key["path"] == "cluster.nodes";
  EXPECT_TRUE(has_nodes);
  EXPECT_FALSE(json["checks"].empty());
  EXPECT_FALSE(json["goals"].empty());
}

}  // namespace
}  // namespace electsim
