// Through the real binary (issue 8, "What the last round noticed and left"): `--set` reaches list
// items by a zero-based index (`--set faults[1].at=12s`), refuses any index that names no item,
// and a file whose first YAML document is empty says so at the line where the content starts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "tests/cli_test_support.h"

namespace electsim {
namespace {

using testing::CommandResult;
using testing::run_electsim;

const std::string kLeaderCrash = testing::source_path("scenarios/library/raft-leader-crash.yaml");

CommandResult print_with(const std::string& sets, const std::string& dir_name) {
  return run_electsim("check --print-scenario " + kLeaderCrash + " " + sets,
                      testing::temp_dir(dir_name));
}

// Exit 64, nothing on stdout, and exactly the one stderr line `expected`.
void expect_flag_error(const CommandResult& result, const std::string& expected) {
  EXPECT_EQ(result.exit_code, 64) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
  EXPECT_EQ(result.err, "electsim: " + expected + "\n");
}

std::string reproduce_in(const std::string& report) {
  std::smatch match;
  return std::regex_search(report, match, std::regex("reproduce   ([^\n]*)\n")) ? match[1].str()
                                                                                : "";
}

std::string fingerprint_in(const std::string& report) {
  std::smatch match;
  return std::regex_search(report, match, std::regex("fingerprint ([0-9a-f]{16})"))
             ? match[1].str()
             : "";
}

TEST(CliSetLists, ItemsOfFaultsAndGoalsChangeThePrintedScenario) {
  const auto unchanged = print_with("", "set-lists-unchanged");
  ASSERT_EQ(unchanged.exit_code, 0) << unchanged.err;
  const auto changed = print_with(
      "--set 'faults[1].at=12s' --set 'faults[0].crash=n2' --set 'faults[1].heal_after=3s' "
      "--set 'checks.sometimes[1]=leader_isolated'",
      "set-lists-changed");
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_NE(unchanged.out.find("at: 30s"), std::string::npos) << unchanged.out;
  EXPECT_EQ(changed.out.find("at: 30s"), std::string::npos) << changed.out;
  EXPECT_NE(changed.out.find("at: 12s"), std::string::npos) << changed.out;
  EXPECT_NE(changed.out.find("heal_after: 3s"), std::string::npos) << changed.out;
  EXPECT_NE(changed.out.find("crash: n2"), std::string::npos) << changed.out;
  EXPECT_NE(changed.out.find("sometimes: [leader_crashed, leader_isolated]"), std::string::npos)
      << changed.out;
  // The other items are left as they were.
  EXPECT_NE(changed.out.find("restart_after: 5s"), std::string::npos) << changed.out;
}

TEST(CliSetLists, ALeadingZeroNamesTheSameItem) {
  const auto plain = print_with("--set 'faults[1].at=12s'", "set-lists-plain");
  const auto zeros = print_with("--set 'faults[001].at=12s'", "set-lists-zeros");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(zeros.out, plain.out);
}

// The reproduce command carries the override as it was given, quoted for the shell (brackets
// are glob characters), and replays the same run when pasted.
TEST(CliSetLists, ReproduceCommandCarriesTheItemOverride) {
  const auto dir = testing::temp_dir("set-lists-reproduce");
  const auto with_set =
      run_electsim("run " + kLeaderCrash + " --seed 7 --set 'faults[1].at=12s'", dir);
  ASSERT_EQ(with_set.exit_code, 0) << with_set.err;
  const std::string reproduce = reproduce_in(with_set.out);
  EXPECT_NE(reproduce.find(" --seed 7 --set 'faults[1].at=12s'"), std::string::npos) << reproduce;
  const auto pasted = run_electsim(reproduce.substr(reproduce.find(" run ") + 1), dir);
  ASSERT_EQ(pasted.exit_code, 0) << pasted.err;
  ASSERT_FALSE(fingerprint_in(with_set.out).empty());
  EXPECT_EQ(fingerprint_in(pasted.out), fingerprint_in(with_set.out));
  // The override took effect: the partition at 12s instead of 30s makes another run.
  const auto without = run_electsim("run " + kLeaderCrash + " --seed 7", dir);
  EXPECT_NE(fingerprint_in(without.out), fingerprint_in(with_set.out));
}

TEST(CliSetLists, AnIndexPastTheEndIsOutOfRange) {
  expect_flag_error(print_with("--set 'faults[5].at=1s'", "set-lists-range"),
                    "--set faults[5].at: faults has 2 items, index 5 is out of range (items "
                    "count from 0)");
  expect_flag_error(print_with("--set 'checks.sometimes[2]=leader_paused'", "set-lists-goals"),
                    "--set checks.sometimes[2]: checks.sometimes has 2 items, index 2 is out of "
                    "range (items count from 0); --set does not add items: replace the whole "
                    "list, as in --set 'checks.sometimes=[...]'");
}

TEST(CliSetLists, AppendingIsRefusedAndTheWholeListCanStillBeSet) {
  expect_flag_error(print_with("--set 'faults[2].at=1s'", "set-lists-append"),
                    "--set faults[2].at: faults has 2 items, index 2 is out of range (items "
                    "count from 0); --set does not add items: replace the whole list, as in "
                    "--set 'faults=[...]'");
  const auto whole = print_with("--set 'faults=[{at: 5s, crash: leader}]' --set 'faults[0].at=7s'",
                                "set-lists-whole");
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_NE(whole.out.find("at: 7s"), std::string::npos) << whole.out;
}

TEST(CliSetLists, AHostileIndexIsOutOfRangeNotAnOverflow) {
  expect_flag_error(print_with("--set 'faults[99999999999999999999].at=1s'", "set-lists-huge"),
                    "--set faults[99999999999999999999].at: faults has 2 items, index "
                    "99999999999999999999 is out of range (items count from 0)");
}

TEST(CliSetLists, IndexingWhatIsNotAListIsRefused) {
  expect_flag_error(print_with("--set 'cluster[0].nodes=3'", "set-lists-mapping"),
                    "--set cluster[0].nodes: cluster is not a list (its type is mapping), so it "
                    "has no items to index");
  // `crash` may be a list of targets, but this file gives one target.
  expect_flag_error(print_with("--set 'faults[0].crash[0]=n1'", "set-lists-scalar"),
                    "--set faults[0].crash[0]=n1: cannot index faults[0].crash, which the file "
                    "gives as 'leader', not a list");
  expect_flag_error(print_with("--set faults.at=1s", "set-lists-unindexed"),
                    "--set faults.at: faults is a list; name an item by its zero-based index, as "
                    "in --set faults[0].at=..., or replace it whole with --set 'faults=[...]'");
}

TEST(CliSetLists, MalformedIndexesAreRefused) {
  const std::string expected_tail =
      "': expected faults[N] with N an item's zero-based position, as in faults[0]";
  for (const std::string path :
       {"faults[x]", "faults[-1]", "faults[", "faults[]", "faults[1][0]", "faults[ 1]"}) {
    SCOPED_TRACE(path);
    const auto result = print_with("--set '" + path + ".at=1s'", "set-lists-malformed");
    expect_flag_error(result, "--set " + path + ".at: malformed index in '" + path + expected_tail);
  }
}

// A value error inside an item is the flag's, not the file's.
TEST(CliSetLists, AWrongValueInAnItemNamesTheFlag) {
  const auto result = print_with("--set 'faults[1].at=abc'", "set-lists-value");
  EXPECT_EQ(result.exit_code, 64) << result.err;
  EXPECT_EQ(result.err.rfind("electsim: --set faults[1].at=abc: expected a duration", 0), 0u)
      << result.err;
}

// A file whose first YAML document is empty: yaml-cpp reads only that document, and "empty
// scenario" would hide the content the user can see. The line is where the content starts.
TEST(CliSetLists, AnEmptyFirstDocumentNamesWhereTheNextStarts) {
  const auto dir = testing::temp_dir("set-lists-empty-first");
  const struct {
    const char* text;
    int line;
  } cases[] = {
      {"---\n---\nversion: 1\n...\n", 3},
      {"# comment\n---\n---\nversion: 1\n", 4},
      {"---\n...\n\nversion: 1\n", 4},
      {"--- # first\n--- {version: 1}\n", 2},
  };
  for (const auto& each : cases) {
    SCOPED_TRACE(each.text);
    const auto file = dir / "empty-first.yaml";
    std::ofstream(file) << each.text;
    const auto result = run_electsim("check " + file.string(), dir);
    EXPECT_EQ(result.exit_code, 65) << result.err;
    EXPECT_EQ(result.err, "electsim: " + file.string() + ":" + std::to_string(each.line) +
                              ":1: the first YAML document is empty and another one starts "
                              "here; a scenario is one document\n");
  }
}

TEST(CliSetLists, AnExplicitStartMarkerAndAnEmptyFileKeepTheirMeaning) {
  const auto dir = testing::temp_dir("set-lists-marker");
  const auto marked = dir / "marked.yaml";
  std::ofstream(marked) << "# a scenario\n---\n" << testing::read_text(kLeaderCrash);
  const auto loaded = run_electsim("check " + marked.string(), dir);
  EXPECT_EQ(loaded.exit_code, 0) << loaded.err;
  const auto empty = dir / "empty.yaml";
  std::ofstream(empty) << "---\n---\n";
  const auto result = run_electsim("check " + empty.string(), dir);
  EXPECT_EQ(result.exit_code, 65) << result.err;
  EXPECT_NE(result.err.find(":1:1: empty scenario"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace electsim
