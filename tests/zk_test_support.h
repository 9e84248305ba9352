// Shared by the zk-recipe and etcd-election tests (tests/zk_*, tests/etcd_*): a scenario written
// inline, run in-process with its trace kept (tests/fence_runtime_test_support.h), and the
// leadership records read back in true-time order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scenarios/scenario.h"
#include "tests/fence_runtime_test_support.h"

namespace electsim::testing {

// Three candidates on h1..h3, the service on h4: the layout of the lease scenarios.
inline std::string lease_scenario(const std::string& algorithm, const std::string& params,
                                  const std::string& duration, const std::string& faults) {
  return "version: 1\nname: lease-test\ncluster: {hosts: 4, service: [h4]}\n"
         "algorithm: {name: " + algorithm + ", params: {" + params + "}}\n"
         "network:\n  latency: {distribution: normal, mean: 5ms, stddev: 3ms, min: 1ms}\n"
         "duration: " + duration + "\n" + faults;
}

inline TracedRun run_inline(const std::string& yaml, uint64_t seed) {
  scenarios::LoadOptions options;
  auto scenario = scenarios::load_scenario_text(yaml, "inline.yaml", options);
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  if (!scenario.ok()) return {};
  return run_traced(*scenario, seed);
}

inline int64_t time_ns(const Json& record) { return record["t_ns"].get<int64_t>(); }

// The records of `kind` whose `field` is `value`.
inline std::vector<Json> where(const std::vector<Json>& records, const std::string& kind,
                               const std::string& field, const Json& value) {
  std::vector<Json> out;
  for (const Json& record : records) {
    if (record["kind"] == kind && record[field] == value) out.push_back(record);
  }
  return out;
}

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kMillisecond = 1'000'000;

}  // namespace electsim::testing
