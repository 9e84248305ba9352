// Sweeps a scenario given as text through the binary with the test-only algorithms, for the tests
// of planted bugs that need a scenario of their own (k8s_variants_test.cc, etcd_variants_test.cc).
#pragma once

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"

namespace electsim::testing {

// Writes `yaml` as NAME.yaml in a fresh temporary folder, sweeps it over seeds 1..20 and returns
// the sweep's JSON; the exit code goes to *exit_code.
inline nlohmann::json sweep_scenario_text(const std::string& name, const std::string& yaml,
                                          int* exit_code) {
  const auto dir = temp_dir(name);
  const auto scenario = dir / (name + ".yaml");
  std::ofstream(scenario) << yaml;
  const auto json_path = dir / "sweep.json";
  const CommandResult result =
      run_binary(ELECTSIM_TEST_ALGORITHMS_BINARY,
                 "sweep " + scenario.string() + " --seeds 1..20 --quiet --json " +
                     json_path.string(),
                 dir);
  *exit_code = result.exit_code;
  return nlohmann::json::parse(read_text(json_path));
}

}  // namespace electsim::testing
