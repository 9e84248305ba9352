// scripts/determinism-check (issue 8, acceptance 3), run reduced: two copies of this build's
// binary agree on every library scenario over two seeds; two sweep JSON files that differ in one
// run's fingerprint fail the check, naming the scenario and the seed; bad usage exits 64.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ScriptsDeterminismCheck, TwoCopiesOfTheReleaseBinaryAgree) {
  const fs::path dir = temp_dir("determinism-copies");
  const fs::path first = dir / "electsim-a";
  const fs::path second = dir / "electsim-b";
  fs::copy_file(ELECTSIM_BINARY, first);
  fs::copy_file(ELECTSIM_BINARY, second);
  // Three seeds of the four raft-* scenarios, to keep this fast (CI runs them all, 200 seeds).
  const auto result = run_shell("scripts/determinism-check --seeds 3 --scenarios 'raft-*' '" +
                                     first.string() + "' '" + second.string() + "'",
                                 dir);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "determinism-check: raft-leader-crash: seeds 1..3 on 2 builds"))
      << result.out;
  EXPECT_TRUE(contains(result.out, "determinism-check: raft-fig16: seeds 1..3 on 2 builds"))
      << result.out;
  EXPECT_TRUE(contains(result.out, "determinism-check: raft-split-vote: seeds 1..3 on 2 builds"))
      << result.out;
  EXPECT_TRUE(
      contains(result.out, "determinism-check: raft-fig16-howard: seeds 1..3 on 2 builds"))
      << result.out;
  EXPECT_TRUE(contains(result.out, "same fingerprints and verdicts for 12 runs on 2 builds"))
      << result.out;
  EXPECT_FALSE(contains(result.out, "nemesis")) << result.out;
  EXPECT_FALSE(contains(result.out, "DIFFERENT")) << result.out;
}

// A sweep JSON as `electsim sweep --json` writes it: the opening, one run per line, the closing.
void write_sweep(const fs::path& path, const std::string& fingerprint_of_seed_2) {
  std::ofstream out(path);
  out << "{\n  \"scenario\": \"raft-leader-crash\",\n  \"algorithm\": \"raft\",\n  \"runs\": [";
  for (int seed = 1; seed <= 3; ++seed) {
    const std::string fingerprint = seed == 2 ? fingerprint_of_seed_2 : "00000000000000a" +
                                                                             std::to_string(seed);
    out << (seed == 1 ? "\n    " : ",\n    ") << "{\"scenario\":\"raft-leader-crash\",\"seed\":"
        << seed << ",\"fingerprint\":\"" << fingerprint
        << "\",\"verdict\":\"pass\",\"replay\":\"electsim run x.yaml --seed " << seed << "\"}";
  }
  out << "\n  ],\n  \"seeds\": 3,\n  \"verdict\": \"pass\"\n}\n";
}

TEST(ScriptsDeterminismCheck, TwoSweepsThatDifferFailNamingTheScenarioAndSeed) {
  const fs::path dir = temp_dir("determinism-differ");
  write_sweep(dir / "a.json", "1111111111111111");
  write_sweep(dir / "b.json", "2222222222222222");
  const auto differ = run_shell("scripts/determinism-check --compare '" +
                                     (dir / "a.json").string() + "' '" +
                                     (dir / "b.json").string() + "'",
                                 dir);
  EXPECT_EQ(differ.exit_code, 1) << differ.out << differ.err;
  EXPECT_TRUE(contains(differ.out, "DIFFERENT: scenario raft-leader-crash, seed 2\n")) << differ.out;
  EXPECT_TRUE(contains(differ.out, "fingerprint 1111111111111111")) << differ.out;
  EXPECT_TRUE(contains(differ.out, "fingerprint 2222222222222222")) << differ.out;
  EXPECT_TRUE(contains(differ.out, "electsim run x.yaml --seed 2")) << differ.out;

  // The same files compared with themselves agree: the failure above is the difference.
  const auto same = run_shell("scripts/determinism-check --compare '" +
                                   (dir / "a.json").string() + "' '" + (dir / "a.json").string() +
                                   "'",
                               dir);
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
}

TEST(ScriptsDeterminismCheck, BadUsageExits64AndHelpSaysWhatCiRuns) {
  const fs::path dir = temp_dir("determinism-usage");
  EXPECT_EQ(run_shell("scripts/determinism-check build/electsim", dir).exit_code, 64);
  EXPECT_EQ(run_shell("scripts/determinism-check --seeds 0 a b", dir).exit_code, 64);
  EXPECT_EQ(run_shell(std::string("scripts/determinism-check --scenarios 'no-such-*' ") +
                           ELECTSIM_BINARY + " " + ELECTSIM_BINARY,
                       dir)
                .exit_code,
            64);
  const auto help = run_shell("scripts/determinism-check --help", dir);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.out, "What CI runs")) << help.out;
  EXPECT_TRUE(contains(help.out, "-1000=3")) << help.out;
}

}  // namespace
}  // namespace electsim::testing
