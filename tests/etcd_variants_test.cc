// Issue 11, acceptance 6, for etcd-election: the planted bug of tests/algorithms/etcd_variants.h
// (a Campaign that does not wait for the keys created before its own to be deleted) is caught
// within 2,000 seeds, through electsim_with_test_algorithms, on a scenario the real recipe
// passes on every one of those seeds.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/sweep_text_support.h"

namespace electsim::testing {
namespace {

using Json = nlohmann::json;

// Three candidates campaign at once; the leader crashes at a random moment and comes back. No
// resource fences the data: any overlap is a violation.
std::string crash_scenario(const std::string& algorithm) {
  return "version: 1\nname: etcd-crash-" + algorithm + "\n"
         "cluster: {hosts: 4, service: [h4]}\n"
         "algorithm: {name: " + algorithm + ", params: {ttl: 6s}}\n"
         "network:\n  latency: {distribution: normal, mean: 5ms, stddev: 3ms, min: 1ms}\n"
         "duration: 30s\n"
         "faults:\n  - {at: 5s..10s, crash: leader, restart_after: 2s}\n";
}

Json sweep(const std::string& algorithm, int* exit_code) {
  return sweep_scenario_text("etcd-variants-" + algorithm, crash_scenario(algorithm), exit_code);
}

TEST(EtcdVariants, WaitDeletes_RealCampaignPassesEverySeed) {
  int exit_code = -1;
  const Json json = sweep("etcd-election", &exit_code);
  EXPECT_EQ(exit_code, 0) << json.dump();
  EXPECT_EQ(json["failed"], 0);
}

TEST(EtcdVariants, WaitDeletes_CampaignThatDoesNotWaitIsCaughtWithin2000Seeds) {
  int exit_code = -1;
  const Json json = sweep("etcd-election-no-wait", &exit_code);
  EXPECT_EQ(exit_code, 1);
  ASSERT_FALSE(json["failing_seeds"].empty());
  EXPECT_LE(json["failing_seeds"][0].get<int>(), 2000);
  const Json& run = json["runs"][json["failing_seeds"][0].get<int>() - 1];
  bool exclusive = false;
  for (const Json& violation : run["violations"]) {
    exclusive = exclusive || violation["check"] == "exclusive_leadership";
  }
  EXPECT_TRUE(exclusive) << run.dump();
}

}  // namespace
}  // namespace electsim::testing
