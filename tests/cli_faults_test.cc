// The real electsim binary (ELECTSIM_BINARY) on fault schedules: a malformed fault is reported as
// FILE:LINE:COLUMN on stderr with exit code 65 (DESIGN.md, "The outside contract"), and a sweep's
// reproduce command replays the failure it printed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace electsim {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_all(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A directory of its own for each test, so tests may run in parallel (ctest -j).
fs::path test_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::temp_directory_path() /
                       absl::StrCat("electsim_cli_", info->test_suite_name(), "_", info->name());
  fs::create_directories(dir);
  return dir;
}

// Runs `electsim ARGS` with stdout and stderr captured in files (the shell redirects them).
Outcome run_electsim(const std::string& args) {
  const fs::path dir = test_dir();
  const fs::path out = dir / "stdout.txt";
  const fs::path err = dir / "stderr.txt";
  const std::string command = absl::StrCat("'", ELECTSIM_BINARY, "' ", args, " >'", out.string(),
                                           "' 2>'", err.string(), "'");
  const int status = std::system(command.c_str());
  Outcome outcome;
  if (status != -1 && WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  outcome.out = read_all(out);
  outcome.err = read_all(err);
  return outcome;
}

// Writes a scenario whose fifth line is the one fault item given.
fs::path scenario_with_fault(const std::string& name, const std::string& fault) {
  const fs::path path = test_dir() / name;
  std::ofstream(path) << "version: 1\n"
                         "cluster: {nodes: 3}\n"
                         "duration: 10s\n"
                         "faults:\n"
                         "  - "
                      << fault << "\n";
  return path;
}

struct BadFault {
  const char* name;
  const char* fault;
  int column;           // where on line 5 the error points
  const char* message;  // a phrase the message must contain
};

TEST(CliFaults, MalformedFaultsGiveFileLineColumnAndExit65) {
  const BadFault cases[] = {
      {"unknown-kind.yaml", "{at: 1s, explode: n1}", 14,
       "unknown fault action 'explode'; expected one of crash"},
      {"node-twice.yaml", "{at: 1s, partition: {groups: [[n1, n2], [n3, n1]]}}", 50,
       "n1 is named twice in the partition"},
      {"negative-duration.yaml", "{at: 1s, partition: {isolate: n2}, heal_after: -1s}", 52,
       "must not be negative"},
      {"nothing-to-heal.yaml", "{at: 1s, heal: all}", 20, "heal at 1s has nothing to heal"},
  };
  for (const BadFault& bad : cases) {
    const fs::path path = scenario_with_fault(bad.name, bad.fault);
    const Outcome outcome = run_electsim(absl::StrCat("run '", path.string(), "' --seed 1"));
    EXPECT_EQ(outcome.exit_code, 65) << bad.name << ": " << outcome.err;
    const std::string where = absl::StrCat(path.string(), ":5:", bad.column, ": ");
    EXPECT_TRUE(absl::StrContains(outcome.err, where)) << bad.name << ": " << outcome.err;
    EXPECT_TRUE(absl::StrContains(outcome.err, bad.message)) << bad.name << ": " << outcome.err;
    // One line, and nothing ran.
    EXPECT_EQ(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1) << outcome.err;
    EXPECT_TRUE(outcome.out.find("verdict") == std::string::npos) << outcome.out;
  }
}

TEST(CliFaults, TheSweepsReproduceCommandReplaysItsViolation) {
  const std::string scenario =
      absl::StrCat(ELECTSIM_SOURCE_DIR, "/scenarios/library/nemesis-amnesia.yaml");
  const fs::path json = test_dir() / "sweep.json";
  const Outcome sweep = run_electsim(
      absl::StrCat("sweep '", scenario, "' --seeds 1..100 --jobs 2 --json '", json.string(), "'"));
  ASSERT_EQ(sweep.exit_code, 1) << sweep.out << sweep.err;
  // "  seed N safety_violation - CHECK: DETAIL\n    electsim run PATH --seed N\n"
  const std::string marker = " safety_violation - ";
  const size_t at = sweep.out.find(marker);
  ASSERT_NE(at, std::string::npos) << sweep.out;
  const size_t line_start = sweep.out.rfind("seed ", at);
  const std::string seed = sweep.out.substr(line_start + 5, at - (line_start + 5));
  const size_t detail_start = at + marker.size();
  const std::string violation =
      sweep.out.substr(detail_start, sweep.out.find('\n', at) - detail_start);
  const size_t command_start = sweep.out.find("electsim run ", at);
  const std::string command =
      sweep.out.substr(command_start, sweep.out.find('\n', command_start) - command_start);
  EXPECT_EQ(command, absl::StrCat("electsim run ", scenario, " --seed ", seed));

  // The sweep's fingerprint for that seed, from its JSON.
  const auto document = nlohmann::json::parse(read_all(json));
  std::string fingerprint;
  for (const auto& run : document["runs"]) {
    if (std::to_string(run["seed"].get<uint64_t>()) == seed) {
      fingerprint = run["fingerprint"].get<std::string>();
    }
  }
  ASSERT_EQ(fingerprint.size(), 16u) << "seed " << seed << " is in the sweep's JSON";

  const Outcome replay = run_electsim(command.substr(std::string("electsim ").size()));
  EXPECT_EQ(replay.exit_code, 1) << replay.err;
  EXPECT_TRUE(absl::StrContains(replay.out, absl::StrCat("fingerprint ", fingerprint)))
      << fingerprint << "\n"
      << replay.out;
  // The same first violation, word for word ("CHECK: DETAIL").
  EXPECT_TRUE(absl::StrContains(replay.out, violation)) << violation << "\n" << replay.out;
}

}  // namespace
}  // namespace electsim
