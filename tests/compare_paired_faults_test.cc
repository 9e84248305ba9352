// Issue 13: compare is paired because a seed gives every algorithm the same fault schedule.
// The nemesis draws its plan from the seed's "nemesis" stream and the injector its times from
// the "faults" stream, before the run and apart from every stream an algorithm or the network
// draws from (scenarios/compare_command.h). So for one seed, every algorithm sees the same faults
// fire at the same true times, with the same kinds and labels; only what a role target (the
// leader, a random up node) resolves to may differ, since it is read from the run.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_replace.h"
#include "algorithms/registry.h"
#include "scenarios/builtin_scenarios.h"
#include "scenarios/runner.h"

namespace electsim::scenarios {
namespace {

// The nemesis scenario on five members plus a coordination-service host, so that the lease
// recipes run it too.
std::string nemesis_for_every_algorithm() {
  const BuiltinScenario* nemesis = find_builtin_scenario("nemesis");
  EXPECT_NE(nemesis, nullptr);
  return absl::StrReplaceAll(nemesis->text, {{"cluster: {nodes: 5}",
                                              "cluster: {hosts: 6, service: [h6]}"},
                                             {"duration: 120s", "duration: 60s"},
                                             {"quiet_period: 30s", "quiet_period: 10s"}});
}

struct FiredFault {
  std::string label;
  int64_t start_ns;
  bool operator==(const FiredFault&) const = default;
};

std::vector<FiredFault> fired_faults(const reports::RunResult& run) {
  std::vector<FiredFault> faults;
  for (const reports::FaultRecord& fault : run.faults) {
    faults.push_back(FiredFault{fault.label, (fault.start - sim::Instant::zero()).ns()});
  }
  return faults;
}

// Runs `seed` with every registered algorithm and checks each saw raft's fault schedule.
void expect_same_schedule_for_every_algorithm(const std::string& text, uint64_t seed) {
  std::vector<FiredFault> reference;
  std::vector<std::string> reference_kinds;
  for (const algorithms::AlgorithmInfo& info : algorithms::registry()) {
    LoadOptions options;
    options.algorithm_override = info.name;
    auto scenario = load_scenario_text(text, "nemesis-6.yaml", options);
    ASSERT_TRUE(scenario.ok()) << info.name << ": " << scenario.status();
    RunOptions run_options;
    run_options.keep_timeline = false;
    auto run = run_scenario(*scenario, seed, run_options);
    ASSERT_TRUE(run.ok()) << run.status();
    ASSERT_NE(run->verdict, reports::Verdict::kInternalError) << info.name << run->error;
    const std::vector<FiredFault> faults = fired_faults(*run);
    if (reference.empty()) {
      // Enough faults fired to make the comparison mean something.
      ASSERT_GE(faults.size(), 5u) << "seed " << seed;
      reference = faults;
      reference_kinds = run->nemesis_kinds;
      continue;
    }
    EXPECT_EQ(faults, reference) << info.name << " saw another fault schedule than "
                                 << algorithms::registry().front().name << ", seed " << seed;
    EXPECT_EQ(run->nemesis_kinds, reference_kinds) << info.name << ", seed " << seed;
  }
}

// The nodes a fault hit are not compared: "crash the leader" crashes each algorithm's own leader.
TEST(ComparePairedFaults, EveryAlgorithmSeesTheSameFaultsAtTheSameTimesForOneSeed) {
  const std::string text = nemesis_for_every_algorithm();
  for (uint64_t seed = 1; seed <= 3; ++seed) expect_same_schedule_for_every_algorithm(text, seed);
}

}  // namespace
}  // namespace electsim::scenarios
