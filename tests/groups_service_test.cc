// Issue 8, acceptance 5: service and client processes never count in a group's majority, in the
// checks or in the nemesis' "at most a minority down" rule. Runs the real binary on scenarios
// with service hosts (their processes idle until the coordination service exists).
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "faults/injector.h"
#include "tests/cli_test_support.h"

namespace electsim {
namespace {

using nlohmann::json;
using testing::CommandResult;
using testing::read_text;
using testing::run_electsim;
using testing::temp_dir;

// One group of 3 members on h1..h3 and two service replicas on h4 and h5: 5 processes. With
// both service hosts down and then the leader's host crashed, 2 of the 5 processes are up: not a
// majority of the processes, but 2 of the group's 3 members, which is the group's majority. So
// the recovery check must open a window at the crash and measure a recovery; a rule that counted
// the services would see no quorum and measure nothing.
constexpr const char* kScenario = R"(version: 1
name: services-do-not-vote
cluster:
  hosts: 5
  groups: {count: 1, members: 3, placement: [[h1, h2, h3]]}
  service: [h4, h5]
algorithm: {name: raft}
duration: 30s
faults:
  - {at: 5s, crash: [h4, h5]}
  - {at: 10s, crash: leader of group 1}
checks: {recovery_within: 3s}
)";

TEST(GroupsService, ServicesDownDoNotTakeAGroupsQuorumAway) {
  const auto dir = temp_dir("groups_service");
  {
    std::ofstream file(dir / "services.yaml");
    file << kScenario;
  }
  const CommandResult result = run_electsim(
      "run " + (dir / "services.yaml").string() + " --seed 1 --json " + (dir / "run.json").string() +
          " --quiet",
      dir);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const json run = json::parse(read_text(dir / "run.json"));
  EXPECT_EQ(run["verdict"], "pass");
  // The crash of the leader at 10s opened a window that closed: a recovery was measured, after
  // the first election (which is never reported as a recovery).
  ASSERT_EQ(run["recovery_ns"].size(), 1u) << run.dump();
  EXPECT_LT(run["recovery_ns"][0].get<int64_t>(), 3'000'000'000);
  ASSERT_EQ(run["faults_fired"].size(), 2u) << run["faults_fired"].dump();
  for (const json& fault : run["faults_fired"]) {
    EXPECT_FALSE(fault.value("skipped", false)) << fault.dump();
  }
}

TEST(GroupsService, TheNemesisLimitIgnoresServiceAndClientHosts) {
  // Two groups of 3 spread over 6 member hosts, one service host and four clients on the member
  // hosts: each group loses its majority with 2 of its hosts down, so one host at a time; the
  // service host and the clients do not lower or raise that.
  sim::Layout layout;
  for (int i = 0; i < 7; ++i) layout.add_host();
  for (sim::GroupId g = 0; g < 2; ++g) {
    const sim::GroupId group = layout.add_group();
    for (sim::HostId h = 0; h < 3; ++h) {
      layout.add_process(sim::ProcessKind::kMember, g * 3 + h, group);
    }
  }
  EXPECT_EQ(faults::max_hosts_down_keeping_majorities(layout), 1);
  layout.add_process(sim::ProcessKind::kService, 6);
  for (sim::HostId h = 0; h < 4; ++h) layout.add_process(sim::ProcessKind::kClient, h);
  EXPECT_EQ(faults::max_hosts_down_keeping_majorities(layout), 1);
}

}  // namespace
}  // namespace electsim
