// The scale-out recipes of scripts/ (issue 12, acceptance 1, at a smaller size):
// scripts/sweep-parallel runs shards with GNU parallel (scripts/setup installs it) and merges them
// into the unsharded sweep's bytes, exits 69 when parallel is missing and 64 on bad flags; the
// Kubernetes manifest scripts/k8s/sweep-job.yaml parses, its counts agree, and its shard and merge
// commands, run here as the pods would run them, give the unsharded sweep's bytes too.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "absl/strings/str_cat.h"
#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

namespace fs = std::filesystem;

std::string environment() {
  return absl::StrCat("ELECTSIM='", ELECTSIM_BINARY, "' ");
}

TEST(CiScaleSweepParallel, ThreeShardsGiveTheUnshardedSweepsBytesAndExitCode) {
  const auto dir = temp_dir("ci-sweep-parallel");
  const std::string flags = "nemesis-amnesia --seeds 1..24";
  const auto whole = run_electsim(absl::StrCat("sweep ", flags, " --quiet --json ",
                                               (dir / "whole.json").string()), dir);
  ASSERT_EQ(whole.exit_code, 1) << whole.err;  // 14 seeds violate safety
  const auto result = run_shell(absl::StrCat(environment(), "scripts/sweep-parallel --shards 3 ",
                                             "--out '", (dir / "out").string(), "' ", flags),
                                dir);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;  // the merge's verdict
  EXPECT_NE(result.out.find("verdict safety_violation: 24 seeds, 10 passed, 14 failed"),
            std::string::npos) << result.out;
  for (int k = 1; k <= 3; ++k) {
    EXPECT_TRUE(fs::exists(dir / "out" / absl::StrCat("shard-", k, ".json"))) << k;
  }
  EXPECT_TRUE(read_text(dir / "whole.json") == read_text(dir / "out" / "sweep.json"));
}

// --sshlogin goes to GNU parallel as is; ":" is parallel's name for this machine, so the ssh form
// of the command line runs here without an ssh server.
TEST(CiScaleSweepParallel, SshLoginIsPassedToParallel) {
  const auto dir = temp_dir("ci-sweep-parallel-ssh");
  const std::string flags = "raft-leader-crash --seeds 1..10";
  ASSERT_EQ(run_electsim(absl::StrCat("sweep ", flags, " --quiet --json ",
                                      (dir / "whole.json").string()), dir).exit_code, 0);
  const auto result = run_shell(absl::StrCat(environment(), "scripts/sweep-parallel --shards 2 ",
                                             "--sshlogin 2/: --out '", (dir / "out").string(),
                                             "' ", flags), dir);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(read_text(dir / "whole.json") == read_text(dir / "out" / "sweep.json"));
}

TEST(CiScaleSweepParallel, WithoutGnuParallelItSaysSoWithExit69) {
  const auto dir = temp_dir("ci-sweep-parallel-missing");
  const auto result = run_shell(absl::StrCat(environment(),
                                             "PARALLEL=no-such-parallel scripts/sweep-parallel "
                                             "raft-leader-crash --out '", (dir / "o").string(),
                                             "'"),
                                dir);
  EXPECT_EQ(result.exit_code, 69);
  EXPECT_EQ(result.err, "electsim: GNU parallel (no-such-parallel) is not installed: run "
                        "scripts/setup or apt-get install parallel\n");
  EXPECT_FALSE(fs::exists(dir / "o"));
}

TEST(CiScaleSweepParallel, BadFlagsExit64) {
  const auto dir = temp_dir("ci-sweep-parallel-flags");
  EXPECT_EQ(run_shell(environment() + "scripts/sweep-parallel --shards 0 raft-leader-crash", dir)
                .exit_code, 64);
  const auto json = run_shell(environment() +
                              "scripts/sweep-parallel raft-leader-crash --json x.json", dir);
  EXPECT_EQ(json.exit_code, 64);
  EXPECT_EQ(json.err, "electsim: sweep-parallel chooses --json itself; leave it out\n");
  EXPECT_EQ(run_shell(environment() + "scripts/sweep-parallel", dir).exit_code, 64);
}

// The manifest's three objects, by kind and name.
struct Manifest {
  YAML::Node volume;
  YAML::Node shards;
  YAML::Node merge;
};

Manifest load_manifest() {
  const auto documents = YAML::LoadAllFromFile(source_path("scripts/k8s/sweep-job.yaml"));
  EXPECT_EQ(documents.size(), 3u);
  Manifest manifest;
  for (const auto& document : documents) {
    const std::string name = document["metadata"]["name"].as<std::string>();
    if (name == "electsim-results") manifest.volume = document;
    if (name == "electsim-sweep") manifest.shards = document;
    if (name == "electsim-merge") manifest.merge = document;
  }
  return manifest;
}

std::string env_value(const YAML::Node& container, const std::string& name) {
  for (const auto& variable : container["env"]) {
    if (variable["name"].as<std::string>() == name) return variable["value"].as<std::string>();
  }
  ADD_FAILURE() << "no env " << name;
  return "";
}

// `sh -c SCRIPT` as a container's command: the script.
std::string shell_script(const YAML::Node& container) {
  const auto command = container["command"].as<std::vector<std::string>>();
  EXPECT_EQ(command.size(), 3u);
  EXPECT_EQ(command[0], "sh");
  EXPECT_EQ(command[1], "-c");
  return command.back();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

TEST(CiScaleKubernetes, TheIndexedJobsCountsAgreeAndItsPodsMergeToTheUnshardedBytes) {
  const Manifest manifest = load_manifest();
  ASSERT_TRUE(manifest.volume && manifest.shards && manifest.merge);
  EXPECT_EQ(manifest.volume["kind"].as<std::string>(), "PersistentVolumeClaim");
  const YAML::Node spec = manifest.shards["spec"];
  EXPECT_EQ(manifest.shards["kind"].as<std::string>(), "Job");
  EXPECT_EQ(spec["completionMode"].as<std::string>(), "Indexed");
  const int shards = spec["completions"].as<int>();
  EXPECT_EQ(spec["parallelism"].as<int>(), shards);
  const YAML::Node shard_container = spec["template"]["spec"]["containers"][0];
  EXPECT_EQ(std::stoi(env_value(shard_container, "SHARDS")), shards);
  const std::string scenario = env_value(shard_container, "SCENARIO");
  const YAML::Node merge_container = manifest.merge["spec"]["template"]["spec"]["containers"][0];
  const std::string merge_script = shell_script(merge_container);
  for (int k = 1; k <= shards; ++k) {
    EXPECT_NE(merge_script.find(absl::StrCat("/results/shard-", k, ".json")), std::string::npos);
  }

  // Each pod's script, run here with a small seed range: `electsim` on PATH, /results a folder.
  const auto dir = temp_dir("ci-k8s");
  const std::string results = (dir / "results").string();
  fs::create_directories(results);
  const std::string path = absl::StrCat("PATH='", fs::path(ELECTSIM_BINARY).parent_path().string(),
                                        "':\"$PATH\" ");
  const std::string shard_script = replace_all(shell_script(shard_container), "/results", results);
  for (int index = 0; index < shards; ++index) {
    const auto pod = run_shell(absl::StrCat(path, "SCENARIO=", scenario, " SEEDS=1..13 SHARDS=",
                                            shards, " JOB_COMPLETION_INDEX=", index, " sh -c '",
                                            shard_script, "'"), dir);
    EXPECT_EQ(pod.exit_code, 0) << pod.err;
  }
  const auto merged = run_shell(absl::StrCat(path, "sh -c '",
                                             replace_all(merge_script, "/results", results), "'"),
                                dir);
  EXPECT_EQ(merged.exit_code, 0) << merged.err;
  const auto whole = run_shell(absl::StrCat(path, "electsim sweep ", scenario,
                                            " --seeds 1..13 --quiet --json '",
                                            (dir / "whole.json").string(), "'"), dir);
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_TRUE(read_text(dir / "whole.json") == read_text(fs::path(results) / "sweep.json"));
}

}  // namespace
}  // namespace electsim::testing
