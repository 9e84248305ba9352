// electsim as a library (issue 12, acceptance 5): `cmake --install` into a temporary prefix gives
// a CMake package, and examples/out-of-tree/ (an algorithm outside the tree, with a planted
// violation) configures, builds and runs against it: its GoogleTest passes with the correct
// version and reports the planted violation with the seed, the shrunk schedule and a replay
// command that, run, replays that seed alone. The test-only algorithms are not in the prefix.
// Runs as the ctest test ci_lib_out_of_tree (ELECTSIM_OUT_OF_TREE=1; it compiles the example).
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

namespace fs = std::filesystem;

bool enabled() {
  const char* flag = std::getenv("ELECTSIM_OUT_OF_TREE");
  return flag != nullptr && std::string(flag) == "1";
}

// Every file under `prefix`, as paths relative to it, one per line.
std::string installed_files(const fs::path& prefix) {
  std::string files;
  for (const auto& entry : fs::recursive_directory_iterator(prefix)) {
    if (entry.is_regular_file()) files += fs::relative(entry.path(), prefix).string() + "\n";
  }
  return files;
}

// Configures and builds the example against `prefix`, with this build's compiler and
// sanitizer flags (an ASan build's archives need the ASan runtime), through ccache if present.
CommandResult build_example(const fs::path& prefix, const fs::path& build,
                            const fs::path& logs) {
  const std::string launcher =
      "$(command -v ccache >/dev/null && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)";
  const std::string configure =
      std::string(ELECTSIM_CMAKE) + " -S " + source_path("examples/out-of-tree") + " -B " +
      build.string() + " -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=" +
      prefix.string() + " -DCMAKE_CXX_COMPILER=" + ELECTSIM_CXX_COMPILER +
      " '-DCMAKE_CXX_FLAGS=" + ELECTSIM_EXAMPLE_CXX_FLAGS + "' " + launcher;
  return run_shell(configure + " && " + ELECTSIM_CMAKE + " --build " + build.string(), logs);
}

TEST(CiLibOutOfTree, InstallsAPackageThatTheExampleBuildsAndTestsAgainst) {
  if (!enabled()) GTEST_SKIP() << "runs as the ctest test ci_lib_out_of_tree";
  const fs::path dir = temp_dir("ci-lib-out-of-tree");
  const fs::path prefix = dir / "prefix";
  const auto install = run_shell(std::string(ELECTSIM_CMAKE) + " --install " +
                                     ELECTSIM_BUILD_DIR + " --prefix " + prefix.string(), dir);
  ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
  const std::string files = installed_files(prefix);
  for (const char* expected :
       {"include/electsim/algorithm.h\n", "include/electsim/gtest.h\n",
        "include/electsim/sim/algorithm.h\n", "include/electsim/scenarios/property_check.h\n",
        "lib/cmake/electsim/electsimConfig.cmake\n", "lib/libelectsim_scenarios.a\n",
        "bin/electsim\n"}) {
    EXPECT_NE(files.find(expected), std::string::npos) << expected << " not in\n" << files;
  }
  for (const char* test_only : {"tests/", "test_algorithms", "with_test_algorithms"}) {
    EXPECT_EQ(files.find(test_only), std::string::npos) << test_only << " installed:\n" << files;
  }

  const auto built = build_example(prefix, dir / "build", dir);
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  const std::string binary = (dir / "build" / "toy_election_test").string();
  const auto tested = run_binary(binary, "", dir);
  ASSERT_EQ(tested.exit_code, 0) << tested.out << tested.err;
  EXPECT_NE(tested.out.find("[  PASSED  ] 2 tests"), std::string::npos) << tested.out;
  const std::regex caught(
      "toy-election-no-votes under property.yaml fails one_leader_per_epoch with seed (\\d+)");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(tested.out, match, caught)) << tested.out;
  const std::string replay = "ELECTSIM_SEEDS=" + match[1].str() + " " + binary +
                             " --gtest_filter=ToyElection.WithoutVotesTwoNodesLeadTheSameEpoch"
                             "AndTheAdapterSaysHowToReplayIt";
  EXPECT_NE(tested.out.find("replay: " + replay), std::string::npos) << tested.out;
  // The replay command runs that seed alone, and it fails again.
  const auto replayed = run_shell(replay, dir);
  ASSERT_EQ(replayed.exit_code, 0) << replayed.out << replayed.err;
  EXPECT_NE(replayed.out.find("with seed " + match[1].str() + " (safety_violation, seed 1 of 1"),
            std::string::npos) << replayed.out;
}

}  // namespace
}  // namespace electsim::testing
