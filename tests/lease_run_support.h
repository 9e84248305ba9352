// One library lease scenario run through the real binary with fencing on or off, and its JSON
// report: what tests/zk_scenarios_test.cc and tests/etcd_scenarios_test.cc check (issue 11,
// acceptance 2, the user's view).
#pragma once

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"

namespace electsim::testing {

struct LeaseRun {
  int exit_code = -1;
  nlohmann::json json;
  std::set<std::string> checks;  // the checks named in `violations`
  std::string printed;
};

// `prefix` keeps the temporary folders of different test files apart.
inline LeaseRun run_lease(const std::string& prefix, const std::string& scenario, int seed,
                          const std::string& fencing) {
  const auto dir = temp_dir(prefix + "-" + scenario + "-" + fencing + "-" + std::to_string(seed));
  const auto json_path = dir / "run.json";
  const CommandResult result = run_electsim(
      "run " + source_path("scenarios/library/" + scenario + ".yaml") + " --seed " +
          std::to_string(seed) + " --set resource.fencing=" + fencing + " --json " +
          json_path.string(),
      dir);
  LeaseRun run;
  run.exit_code = result.exit_code;
  run.printed = result.out + result.err;
  run.json = nlohmann::json::parse(read_text(json_path));
  for (const nlohmann::json& violation : run.json["violations"]) {
    run.checks.insert(violation["check"].get<std::string>());
  }
  return run;
}

}  // namespace electsim::testing
