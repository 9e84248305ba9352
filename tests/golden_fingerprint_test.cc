// Determinism across builds (STYLE.md 7): the same scenario and seed must give the same trace
// fingerprint on every run and every build type. CI runs this suite twice, in a Release (-O3)
// build and in a sanitizer build (-O2 with ASan and UBSan), against the same pinned values, so a
// build-dependent run (uninitialised memory, unspecified evaluation order, a libm difference)
// fails one of them.
//
// A deliberate change of behaviour changes these values: regenerate them with
//   ELECTSIM_REWRITE_GOLDEN=1 build/electsim_tests --gtest_filter='GoldenFingerprint.*'
// and say why in the commit.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "reports/run_result.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"

namespace electsim {
namespace {

const std::string kGoldenFile = std::string(ELECTSIM_SOURCE_DIR) + "/tests/golden/fingerprints.txt";

struct Case {
  std::string scenario;
  uint64_t seed;
  std::vector<std::string> overrides;
  std::string key() const {
    std::string key = scenario + " " + std::to_string(seed);
    for (const auto& o : overrides) key += " " + o;
    return key;
  }
};

const std::vector<Case>& cases() {
  static const auto* const kCases = new std::vector<Case>{
      {"raft-leader-crash", 1, {}},
      {"raft-leader-crash", 2, {"algorithm.params.pre_vote=false"}},
      {"raft-fig16", 1, {}},
      // A normal delay redrawn below its minimum, and Howard's simulator's rules.
      {"raft-fig16-howard", 1, {}},
      {"raft-fig16-howard", 2,
       {"algorithm.params.election_timeout=150ms..151ms",
        "algorithm.params.candidate_election_timeout=23ms..46ms"}},
      {"nemesis", 1, {}},
      {"nemesis", 2, {}},
      {"partial-howard-abraham-1", 1, {}},
  };
  return *kCases;
}

std::string fingerprint_of(const Case& c) {
  scenarios::LoadOptions options;
  options.overrides = c.overrides;
  auto scenario = scenarios::load_scenario_file(
      std::string(ELECTSIM_SOURCE_DIR) + "/scenarios/library/" + c.scenario + ".yaml", options);
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  if (!scenario.ok()) return "";
  auto run = scenarios::run_scenario(*scenario, c.seed, {});
  EXPECT_TRUE(run.ok()) << run.status();
  return run.ok() ? reports::format_fingerprint(run->fingerprint) : "";
}

std::map<std::string, std::string> read_golden() {
  std::map<std::string, std::string> golden;
  std::ifstream in(kGoldenFile);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t bar = line.rfind(" = ");
    if (bar != std::string::npos) golden[line.substr(0, bar)] = line.substr(bar + 3);
  }
  return golden;
}

TEST(GoldenFingerprint, LibraryScenariosMatchThePinnedFingerprints) {
  const char* rewrite = std::getenv("ELECTSIM_REWRITE_GOLDEN");
  if (rewrite != nullptr && std::string(rewrite) == "1") {
    std::ofstream out(kGoldenFile);
    out << "# scenario seed [overrides] = trace fingerprint; see tests/golden_fingerprint_test.cc\n";
    for (const Case& c : cases()) out << c.key() << " = " << fingerprint_of(c) << "\n";
    GTEST_SKIP() << "rewrote " << kGoldenFile;
  }
  const auto golden = read_golden();
  ASSERT_EQ(golden.size(), cases().size()) << "regenerate " << kGoldenFile;
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.key());
    const auto it = golden.find(c.key());
    ASSERT_NE(it, golden.end());
    EXPECT_EQ(fingerprint_of(c), it->second);
  }
}

}  // namespace
}  // namespace electsim
