// A scenario's per-algorithm parameter blocks (`algorithm.params_for`, docs/SCENARIOS.md,
// "Overrides"): `--algorithm NAME` runs NAME with the file's block for it instead of the file's
// `params`, `--set algorithm.params.X` still applies on top, and every block is checked against
// its algorithm's parameters with the file, line and column of what is wrong. The library's
// nemesis carries Zab's block, so `--algorithm zab` alone runs Zab at the network's timing.
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "algorithms/registry.h"
#include "scenarios/scenario.h"
#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Json = nlohmann::json;
using scenarios::LoadOptions;
using scenarios::Scenario;
using sim::Duration;

constexpr char kFile[] = "s.yaml";
// Lines 1-9; the zab block's keys start at column 11 of line 8.
constexpr char kScenario[] =
    "version: 1\n"
    "cluster: {nodes: 5}\n"
    "duration: 60s\n"
    "algorithm:\n"
    "  name: raft\n"
    "  params: {election_timeout: 150ms..300ms}\n"
    "  params_for:\n"
    "    zab: {tick_time: 100ms, max_notification_interval: 2s}\n"
    "    vr: {view_change_timeout: 400ms}\n";

absl::StatusOr<Scenario> load(const std::string& text, const LoadOptions& options = {}) {
  return scenarios::load_scenario_text(text, kFile, options);
}

Scenario load_ok(const std::string& text, const LoadOptions& options = {}) {
  auto scenario = load(text, options);
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return scenario.ok() ? *scenario : Scenario{};
}

std::string error_of(const std::string& text, const LoadOptions& options = {}) {
  auto scenario = load(text, options);
  EXPECT_FALSE(scenario.ok()) << "loaded without an error:\n" << text;
  return scenario.ok() ? "" : std::string(scenario.status().message());
}

LoadOptions selecting(const std::string& algorithm, std::vector<std::string> sets = {}) {
  LoadOptions options;
  options.algorithm_override = algorithm;
  options.overrides = std::move(sets);
  return options;
}

// The scenario with line 8 (zab's block) replaced.
std::string with_zab_block(const std::string& line) {
  std::string text = kScenario;
  const size_t start = text.find("    zab:");
  const size_t end = text.find('\n', start);
  return text.replace(start, end - start, line);
}

TEST(ZabParamsFor, AlgorithmFlagRunsTheFilesBlockForThatAlgorithm) {
  const Scenario zab = load_ok(kScenario, selecting("zab"));
  EXPECT_EQ(zab.algorithm, "zab");
  EXPECT_EQ(algorithms::get<Duration>(zab.params, "tick_time"), Duration::milliseconds(100));
  EXPECT_EQ(algorithms::get<Duration>(zab.params, "max_notification_interval"),
            Duration::seconds(2));
  // What the block does not give takes Zab's default.
  EXPECT_EQ(algorithms::get<int64_t>(zab.params, "init_limit"), 10);
  const Scenario vr = load_ok(kScenario, selecting("vr"));
  EXPECT_EQ(algorithms::get<sim::DurationRange>(vr.params, "view_change_timeout").lo,
            Duration::milliseconds(400));
}

TEST(ZabParamsFor, WithoutABlockTheAlgorithmRunsItsDefaults) {
  const Scenario multipaxos = load_ok(kScenario, selecting("multipaxos"));
  const Scenario defaults = load_ok("version: 1\nalgorithm: {name: multipaxos}\n");
  EXPECT_EQ(multipaxos.params, defaults.params);
}

TEST(ZabParamsFor, TheFilesOwnAlgorithmKeepsItsParamsAndIgnoresTheBlocks) {
  const Scenario raft = load_ok(kScenario);
  EXPECT_EQ(raft.algorithm, "raft");
  EXPECT_FALSE(raft.params.contains("tick_time"));
  EXPECT_EQ(algorithms::get<sim::DurationRange>(raft.params, "election_timeout").hi,
            Duration::milliseconds(300));
}

TEST(ZabParamsFor, SetStillOverridesTheSelectedAlgorithmsParameters) {
  const Scenario zab =
      load_ok(kScenario, selecting("zab", {"algorithm.params.tick_time=200ms"}));
  EXPECT_EQ(algorithms::get<Duration>(zab.params, "tick_time"), Duration::milliseconds(200));
  EXPECT_EQ(algorithms::get<Duration>(zab.params, "max_notification_interval"),
            Duration::seconds(2));  // the rest of the block still applies
  // A block edited on the command line is checked like one in the file, against the flag.
  const auto edited = load(kScenario, selecting("raft", {"algorithm.params_for.zab.tick=1s"}));
  ASSERT_FALSE(edited.ok());
  EXPECT_TRUE(scenarios::is_command_line_error(edited.status()));
  EXPECT_THAT(std::string(edited.status().message()),
              HasSubstr("unknown key 'tick' in the parameters of zab"));
}

TEST(ZabParamsFor, AnUnknownAlgorithmIsAnErrorAtItsName) {
  const std::string text = with_zab_block("    zba: {tick_time: 100ms}");
  EXPECT_THAT(error_of(text),
              AllOf(StartsWith("s.yaml:8:5: algorithm.params_for.zba: unknown algorithm 'zba' "
                               "(built in: raft"),
                    HasSubstr("did you mean 'zab'?")));
}

TEST(ZabParamsFor, AnUnknownParameterIsAnErrorAtItsKeyEvenWhenTheBlockDoesNotRun) {
  const std::string text = with_zab_block("    zab: {tick_tme: 100ms}");
  const std::string expected =
      "s.yaml:8:11: unknown key 'tick_tme' in the parameters of zab; did you mean 'tick_time'?";
  EXPECT_EQ(error_of(text), expected);
  EXPECT_EQ(error_of(text, selecting("zab")), expected);
  EXPECT_EQ(error_of(text, selecting("vr")), expected);
}

TEST(ZabParamsFor, AMalformedValueIsAnErrorAtTheValue) {
  const std::string text = with_zab_block("    zab: {tick_time: soon}");
  EXPECT_THAT(error_of(text), StartsWith("s.yaml:8:22: "));
  EXPECT_THAT(error_of(text, selecting("zab")), StartsWith("s.yaml:8:22: "));
  // The algorithm's own relations between parameters are checked too.
  const std::string inverted =
      with_zab_block("    zab: {finalize_wait: 1s, max_notification_interval: 500ms}");
  EXPECT_THAT(error_of(inverted),
              StartsWith("s.yaml:8:57: parameter 'max_notification_interval' (500ms) must be "
                         "at least finalize_wait (1s)"));
}

TEST(ZabParamsFor, ABlockForTheFilesOwnAlgorithmIsAnError) {
  const std::string text = with_zab_block("    raft: {pre_vote: true}");
  EXPECT_EQ(error_of(text),
            "s.yaml:8:5: algorithm.params_for names 'raft', the scenario's own algorithm: its "
            "parameters go in algorithm.params");
}

TEST(ZabParamsFor, ParamsForMustMapAlgorithmsToMappings) {
  std::string list = kScenario;
  list = list.substr(0, list.find("  params_for:")) + "  params_for: [zab]\n";
  EXPECT_THAT(error_of(list), StartsWith("s.yaml:7:15: algorithm.params_for: expected a mapping "
                                         "of algorithm names to their parameters"));
  const std::string scalar_block = with_zab_block("    zab: fast");
  const std::string expected =
      "s.yaml:8:10: algorithm.params_for.zab: expected a mapping of parameter names to values, "
      "got 'fast'";
  EXPECT_EQ(error_of(scalar_block), expected);
  EXPECT_EQ(error_of(scalar_block, selecting("zab")), expected);
}

// Through the binary: exit 65 with the one-line error, and the run's report lists the block's
// values as the resolved parameters.
TEST(ZabParamsFor, TheBinaryReportsTheBlocksErrorsAndShowsItsParameters) {
  const auto dir = temp_dir("zab-params-for");
  std::ofstream(dir / "bad.yaml") << with_zab_block("    zab: {tick_tme: 100ms}");
  const CommandResult bad =
      run_electsim("run " + (dir / "bad.yaml").string() + " --algorithm zab", dir);
  EXPECT_EQ(bad.exit_code, 65) << bad.out << bad.err;
  EXPECT_THAT(bad.err,
              HasSubstr("bad.yaml:8:11: unknown key 'tick_tme' in the parameters of zab"));

  const CommandResult good = run_electsim(
      "run " + source_path("scenarios/library/nemesis.yaml") + " --algorithm zab --seed 1 " +
          "--json " + (dir / "run.json").string(),
      dir);
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_THAT(good.out, HasSubstr("algorithm zab: finalize_wait=200ms init_limit=10 "
                                  "max_notification_interval=2s sync_limit=5 tick_time=100ms"));
  const Json run = Json::parse(read_text(dir / "run.json"));
  EXPECT_EQ(run["algorithm"], "zab");
  EXPECT_EQ(run["params"]["tick_time_ns"].get<int64_t>(), 100'000'000);
  EXPECT_EQ(run["params"]["max_notification_interval_ns"].get<int64_t>(), 2'000'000'000);
}

}  // namespace
}  // namespace electsim::testing
