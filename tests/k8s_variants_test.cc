// Issue 11, acceptance 6, for k8s-lease: the planted bug of tests/algorithms/k8s_variants.h,
// through electsim_with_test_algorithms. A candidate that judges the lease expired from the
// record's renewTime (the holder's clock) plus LeaseDuration on its own clock is caught within
// 2,000 seeds by exclusive_leadership on a scenario with clock offsets, which the real
// k8s-lease (timing LeaseDuration from observedTime, its own clock only) passes on every seed:
// client-go's leaderelection is "tolerant to arbitrary clock skew" because it never compares
// two clocks.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/sweep_text_support.h"

namespace electsim::testing {
namespace {

using Json = nlohmann::json;

// Every host's clock starts up to 10s off true time (constant offsets, no drift); the leader is
// cut off from the API server at a random moment for 20s. No resource guards the data, so any
// overlap of two leaders is a violation (strict exclusivity).
std::string offsets_scenario(const std::string& algorithm) {
  return "version: 1\nname: k8s-offsets-" + algorithm + "\n"
         "cluster: {hosts: 4, service: [h4]}\n"
         "algorithm: {name: " + algorithm + "}\n"
         "network:\n  latency: {distribution: normal, mean: 5ms, stddev: 3ms, min: 1ms}\n"
         "clocks: {max_offset: 10s}\n"
         "duration: 60s\n"
         "faults:\n  - {at: 20s..30s, partition: {links: [[leader, service_host]], both_ways: "
         "true}, heal_after: 20s}\n";
}

Json sweep(const std::string& algorithm, int* exit_code) {
  return sweep_scenario_text("k8s-variants-" + algorithm, offsets_scenario(algorithm), exit_code);
}

TEST(K8sVariants, ObservedTime_RealElectorPassesEverySeedWithClockOffsets) {
  int exit_code = -1;
  const Json json = sweep("k8s-lease", &exit_code);
  EXPECT_EQ(exit_code, 0) << json.dump();
  EXPECT_EQ(json["failed"], 0);
  // The fault did fire: every seed handed over after the partition.
  for (const Json& run : json["runs"]) {
    EXPECT_GE(run["transition_reasons"].value("renew_deadline_exceeded", 0), 1)
        << "seed " << run["seed"] << ": " << run["transition_reasons"];
  }
}

TEST(K8sVariants, RenewTime_CandidateJudgingExpiryFromRenewTimeIsCaughtWithin2000Seeds) {
  int exit_code = -1;
  const Json json = sweep("k8s-lease-renew-time", &exit_code);
  EXPECT_EQ(exit_code, 1);
  ASSERT_FALSE(json["failing_seeds"].empty());
  const int first = json["failing_seeds"][0].get<int>();
  EXPECT_LE(first, 2000);
  RecordProperty("first_failing_seed", first);
  const Json& run = json["runs"][first - 1];
  bool exclusive = false;
  for (const Json& violation : run["violations"]) {
    exclusive = exclusive || violation["check"] == "exclusive_leadership";
  }
  EXPECT_TRUE(exclusive) << run.dump();
}

}  // namespace
}  // namespace electsim::testing
