// The `resign` fault kind in scenario files (issue 11, acceptance 1): `resign: leader` (or a
// leader of a group, or named nodes) in the schedule, `resign: {every: ...}` in the nemesis, and
// the mistakes, each one line FILE:LINE:COLUMN (1-based, counted by hand), exit 65 through the
// binary.
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "faults/injector.h"
#include "scenarios/scenario.h"
#include "tests/cli_test_support.h"

namespace electsim::scenarios {
namespace {

using faults::FaultKind;
using faults::Target;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kFile[] = "s.yaml";
// Three lines every case starts from, so that `faults:` is line 4 and its first item line 5.
constexpr char kHead[] = "version: 1\ncluster: {nodes: 5}\nduration: 60s\n";

std::string error_of(const std::string& text) {
  const auto scenario = load_scenario_text(text, kFile, LoadOptions{});
  EXPECT_FALSE(scenario.ok()) << "loaded without an error:\n" << text;
  if (scenario.ok()) return "";
  EXPECT_EQ(scenario.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(scenario.status().message());
}

TEST(LeaseResignLoader, ResignLeaderReadsAsAResignationOfTheLeader) {
  const auto scenario = load_scenario_text(
      std::string(kHead) + "faults:\n  - {at: 10s, resign: leader}\n  - {at: 20s, resign: [n2]}\n",
      kFile, LoadOptions{});
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  ASSERT_EQ(scenario->faults.size(), 2u);
  EXPECT_EQ(scenario->faults[0].kind, FaultKind::kResign);
  EXPECT_EQ(scenario->faults[0].targets, (faults::Targets{Target{Target::Kind::kLeader, 0}}));
  EXPECT_EQ(scenario->faults[0].label, "resign leader");
  EXPECT_FALSE(scenario->faults[0].duration.has_value()) << "it acts at one instant";
  EXPECT_EQ(scenario->faults[1].targets, (faults::Targets{Target{Target::Kind::kNode, 1}}));
  EXPECT_EQ(std::string(faults::fault_kind_name(FaultKind::kResign)), "resign");
}

TEST(LeaseResignLoader, ResignTakesNoDuration) {
  EXPECT_THAT(error_of(std::string(kHead) +
                       "faults:\n  - {at: 10s, resign: leader, duration: 5s}\n"),
              StartsWith("s.yaml:5:31: 'duration' does not apply to a resign fault, which takes "
                         "at, resign"));
}

TEST(LeaseResignLoader, ResignOfAnUnknownNodeIsRefused) {
  const std::string message = error_of(std::string(kHead) + "faults:\n  - {at: 10s, resign: n9}\n");
  EXPECT_THAT(message, StartsWith("s.yaml:5:23: "));
  EXPECT_THAT(message, HasSubstr("n9"));
}

TEST(LeaseResignLoader, ResignIsOneActionOfItsFault) {
  EXPECT_THAT(error_of(std::string(kHead) +
                       "faults:\n  - {at: 10s, resign: leader, crash: n2}\n"),
              StartsWith("s.yaml:5:31: a fault has one action, but this one has 'resign' and "
                         "'crash'"));
}

TEST(LeaseResignLoader, TheNemesisDrawsResignationsOfTheLeader) {
  const auto scenario = load_scenario_text(
      std::string(kHead) + "nemesis: {kinds: {resign: {every: 10s}}}\n", kFile, LoadOptions{});
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  ASSERT_EQ(scenario->nemesis->kinds.size(), 1u);
  EXPECT_EQ(scenario->nemesis->kinds[0].kind, FaultKind::kResign);
  const std::vector<faults::Fault> plan = faults::draw_nemesis_plan(
      *scenario->nemesis, 5, sim::Duration::seconds(60), /*seed=*/7, nullptr);
  ASSERT_GE(plan.size(), 2u) << "about six in 60s at a mean of 10s";
  for (const faults::Fault& fault : plan) {
    EXPECT_EQ(fault.kind, FaultKind::kResign);
    EXPECT_EQ(fault.targets, (faults::Targets{Target{Target::Kind::kLeader, 0}}));
    EXPECT_FALSE(fault.duration.has_value());
  }
}

TEST(LeaseResignLoader, ANemesisResignationTakesNoDuration) {
  const std::string message = error_of(
      std::string(kHead) + "nemesis:\n  kinds: {resign: {every: 30s, duration: 1s..2s}}\n");
  EXPECT_THAT(message, StartsWith("s.yaml:5:32: "));
  EXPECT_THAT(message, HasSubstr("duration"));
}

TEST(LeaseResignLoader, TheBinaryExits65WithFileLineAndColumn) {
  const auto dir = testing::temp_dir("lease-resign-loader");
  const auto file = dir / "r.yaml";
  std::ofstream(file) << kHead << "faults:\n  - {at: 10s, resign: leader, duration: 5s}\n";
  const testing::CommandResult result = testing::run_electsim("check " + file.string(), dir);
  EXPECT_EQ(result.exit_code, 65) << result.err;
  EXPECT_EQ(result.err.rfind("electsim: " + file.string() + ":5:31: ", 0), 0u) << result.err;
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "one line: " << result.err;
}

}  // namespace
}  // namespace electsim::scenarios
