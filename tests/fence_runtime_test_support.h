// Runs a scenario in-process and keeps its trace as parsed JSON Lines, for the fence-runtime
// tests (tests/fence_runtime_*): what a user sees with `electsim run --trace`.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scenarios/cluster_layout.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "sim/jsonl_sink.h"

namespace electsim::testing {

using Json = nlohmann::json;

struct TracedRun {
  reports::RunResult result;
  std::vector<Json> records;  // every line but the header
};

inline std::string library_path(const std::string& name) {
  return std::string(ELECTSIM_SOURCE_DIR) + "/scenarios/library/" + name + ".yaml";
}

inline scenarios::Scenario load_library(const std::string& name,
                                        std::vector<std::string> overrides = {}) {
  scenarios::LoadOptions options;
  options.overrides = std::move(overrides);
  auto scenario = scenarios::load_scenario_file(library_path(name), options);
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return *scenario;
}

// The scenario with its resource replaced (nullopt: none), its layout rebuilt to match.
inline scenarios::Scenario with_resource(scenarios::Scenario scenario,
                                         std::optional<scenarios::ResourceSpec> resource) {
  scenario.resource = resource;
  scenario.cluster.resource = resource.has_value();
  if (!resource) scenario.cluster.resource_host.reset();
  scenario.layout = scenarios::build_layout(scenario.cluster);
  return scenario;
}

inline TracedRun run_traced(const scenarios::Scenario& scenario, uint64_t seed) {
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* stream = open_memstream(&buffer, &size);
  TracedRun run;
  {
    sim::JsonlSink sink(stream);
    scenarios::RunOptions options;
    options.trace_sink = &sink;
    options.keep_timeline = false;
    auto result = scenarios::run_scenario(scenario, seed, options);
    EXPECT_TRUE(result.ok()) << result.status();
    if (result.ok()) run.result = *std::move(result);
  }
  std::fclose(stream);
  std::istringstream lines(std::string(buffer, size));
  std::free(buffer);
  for (std::string line; std::getline(lines, line);) {
    Json record = Json::parse(line);
    if (record["kind"] != "header") run.records.push_back(std::move(record));
  }
  return run;
}

inline std::vector<Json> of_kind(const std::vector<Json>& records, const std::string& kind) {
  std::vector<Json> out;
  for (const Json& record : records) {
    if (record["kind"] == kind) out.push_back(record);
  }
  return out;
}

}  // namespace electsim::testing
