// The `cluster:` section: hosts, election groups and their placement, service replicas, the
// fenced resource's host and clients, read into a sim::Layout (scenarios/cluster_layout.h); the
// targets that name them (h3, g7.n2, s1, leader of group 7, busiest_host, service_host); --set
// on the new keys; and the guarantee that every `nodes: N` file means Layout::single_group(N).
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/cluster_layout.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_text.h"

namespace electsim::scenarios {
namespace {

using faults::Target;
using sim::HostId;
using sim::ProcessKind;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kFile[] = "c.yaml";

absl::StatusOr<Scenario> load(const std::string& text, const LoadOptions& options = {}) {
  return load_scenario_text(text, kFile, options);
}

Scenario load_ok(const std::string& text, const LoadOptions& options = {}) {
  auto scenario = load(text, options);
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return scenario.ok() ? *scenario : Scenario{};
}

std::string error_of(const std::string& text, const LoadOptions& options = {}) {
  auto scenario = load(text, options);
  EXPECT_FALSE(scenario.ok()) << "loaded without an error:\n" << text;
  return scenario.ok() ? "" : std::string(scenario.status().message());
}

// A scenario whose cluster is `cluster` (a flow mapping), 10 s long.
std::string with_cluster(const std::string& cluster, const std::string& rest = "") {
  return "version: 1\nduration: 10s\ncluster: " + cluster + "\n" + rest;
}

// The host of each member of `group`, in member order.
std::vector<HostId> hosts_of(const sim::Layout& layout, sim::GroupId group) {
  std::vector<HostId> hosts;
  for (const sim::ProcessId member : layout.members(group)) {
    hosts.push_back(layout.process(member).host);
  }
  return hosts;
}

std::vector<HostId> hosts_of_kind(const sim::Layout& layout, ProcessKind kind) {
  std::vector<HostId> hosts;
  for (const sim::ProcessId process : layout.of_kind(kind)) {
    hosts.push_back(layout.process(process).host);
  }
  return hosts;
}

bool same_layout(const sim::Layout& a, const sim::Layout& b) {
  if (a.hosts() != b.hosts() || a.processes() != b.processes() || a.groups() != b.groups()) {
    return false;
  }
  for (sim::ProcessId id = 0; id < a.processes(); ++id) {
    const sim::ProcessSpec& x = a.process(id);
    const sim::ProcessSpec& y = b.process(id);
    if (x.kind != y.kind || x.host != y.host || x.group != y.group || x.index != y.index) {
      return false;
    }
  }
  return true;
}

// Placement ------------------------------------------------------------------------------------

TEST(ClusterLayout, NodesMeansOneGroupOnItsOwnHosts) {
  const Scenario scenario = load_ok(with_cluster("{nodes: 7}"));
  EXPECT_TRUE(same_layout(scenario.layout, sim::Layout::single_group(7)));
  EXPECT_TRUE(scenario.layout.is_single_group());
  EXPECT_EQ(scenario.nodes, 7u);
}

TEST(ClusterLayout, NoClusterMeansFiveNodes) {
  const Scenario scenario = load_ok("version: 1\n");
  EXPECT_TRUE(same_layout(scenario.layout, sim::Layout::single_group(5)));
  EXPECT_EQ(scenario.nodes, 5u);
}

TEST(ClusterLayout, HostsAloneIsOneGroupWithAMemberOnEachHost) {
  const Scenario scenario = load_ok(with_cluster("{hosts: 4}"));
  EXPECT_TRUE(same_layout(scenario.layout, sim::Layout::single_group(4)));
  EXPECT_EQ(scenario.nodes, 4u);
}

TEST(ClusterLayout, SpreadPutsMemberIOfGroupGOnHostGMPlusIModH) {
  const Scenario scenario =
      load_ok(with_cluster("{hosts: 5, groups: {count: 4, members: 3, placement: spread}}"));
  const sim::Layout& layout = scenario.layout;
  ASSERT_EQ(layout.groups(), 4u);
  EXPECT_EQ(layout.hosts(), 5u);
  EXPECT_EQ(layout.processes(), 12u);
  EXPECT_THAT(hosts_of(layout, 0), ElementsAre(0u, 1u, 2u));
  EXPECT_THAT(hosts_of(layout, 1), ElementsAre(3u, 4u, 0u));
  EXPECT_THAT(hosts_of(layout, 2), ElementsAre(1u, 2u, 3u));
  EXPECT_THAT(hosts_of(layout, 3), ElementsAre(4u, 0u, 1u));
  EXPECT_EQ(layout.majority(3), 2u);
  EXPECT_EQ(layout.process_name(layout.members(3)[1]), "g4.n2");
  EXPECT_FALSE(layout.is_single_group());
}

TEST(ClusterLayout, SpreadIsTheDefaultPlacement) {
  const Scenario spread =
      load_ok(with_cluster("{hosts: 5, groups: {count: 4, members: 3, placement: spread}}"));
  const Scenario plain = load_ok(with_cluster("{hosts: 5, groups: {count: 4, members: 3}}"));
  EXPECT_TRUE(same_layout(spread.layout, plain.layout));
}

TEST(ClusterLayout, PackedPutsEveryGroupOnTheFirstHosts) {
  const Scenario scenario =
      load_ok(with_cluster("{hosts: 5, groups: {count: 3, members: 2, placement: packed}}"));
  for (sim::GroupId group = 0; group < 3; ++group) {
    EXPECT_THAT(hosts_of(scenario.layout, group), ElementsAre(0u, 1u)) << group;
  }
  EXPECT_TRUE(scenario.layout.on_host(4).empty());
}

TEST(ClusterLayout, ExplicitPlacementListsEachGroupsHosts) {
  const Scenario scenario = load_ok(
      with_cluster("{hosts: 4, groups: {placement: [[h1, h2, h3], [h4, h3, h2]]}}"));
  ASSERT_EQ(scenario.layout.groups(), 2u);
  EXPECT_EQ(scenario.cluster.group_count, 2u);
  EXPECT_THAT(hosts_of(scenario.layout, 0), ElementsAre(0u, 1u, 2u));
  EXPECT_THAT(hosts_of(scenario.layout, 1), ElementsAre(3u, 2u, 1u));
}

TEST(ClusterLayout, ServiceResourceAndClientsAreProcessesOfTheirKind) {
  const Scenario scenario = load_ok(with_cluster(
      "{hosts: 6, groups: {count: 2, members: 3}, service: [h5], resource_host: h6, clients: 4}"));
  const sim::Layout& layout = scenario.layout;
  // Members stay off the service's and the resource's hosts.
  EXPECT_THAT(hosts_of(layout, 0), ElementsAre(0u, 1u, 2u));
  EXPECT_THAT(hosts_of(layout, 1), ElementsAre(3u, 0u, 1u));
  EXPECT_THAT(hosts_of_kind(layout, ProcessKind::kService), ElementsAre(4u));
  EXPECT_THAT(hosts_of_kind(layout, ProcessKind::kResource), ElementsAre(5u));
  // Clients go round-robin over the member hosts h1..h4.
  EXPECT_THAT(hosts_of_kind(layout, ProcessKind::kClient), ElementsAre(0u, 1u, 2u, 3u));
  EXPECT_EQ(layout.processes(), 6u + 1u + 1u + 4u);
  EXPECT_EQ(layout.members(0).size(), 3u);  // services and clients are no group's members
  EXPECT_EQ(layout.process(layout.of_kind(ProcessKind::kService)[0]).group, sim::kNoGroup);
  EXPECT_EQ(scenario.nodes, layout.processes());
}

TEST(ClusterLayout, ServiceMayBeAMappingWithHosts) {
  const Scenario list = load_ok(with_cluster("{hosts: 5, service: [h4, h5]}"));
  const Scenario map = load_ok(with_cluster("{hosts: 5, service: {hosts: [h4, h5]}}"));
  EXPECT_TRUE(same_layout(list.layout, map.layout));
  EXPECT_THAT(hosts_of_kind(map.layout, ProcessKind::kService), ElementsAre(3u, 4u));
  EXPECT_THAT(hosts_of(map.layout, 0), ElementsAre(0u, 1u, 2u));  // one group on h1..h3
}

TEST(ClusterLayout, BuildLayoutCountsWhatItBuilds) {
  ClusterSpec spec;
  spec.nodes.reset();
  spec.hosts = 9;
  spec.group_count = 1000;
  spec.members = 3;
  spec.clients = 20;
  spec.service_hosts = {8};
  EXPECT_EQ(process_count(spec), 3021u);
  EXPECT_EQ(member_hosts(spec).size(), 8u);
  const sim::Layout layout = build_layout(spec);
  EXPECT_EQ(layout.processes(), 3021u);
  EXPECT_EQ(layout.groups(), 1000u);
  EXPECT_EQ(layout.on_host(8).size(), 1u);  // the service alone
}

// The library -----------------------------------------------------------------------------------

// Every file written with `nodes: N` loads to exactly the classic layout: N hosts, one group of
// N, member i on host i; nothing else changes for them, but for the fenced resource on a host of
// its own after them when the file has a `resource:` section (issue 9).
TEST(ClusterLayout, EveryNodesFileInTheLibraryIsASingleGroup) {
  const auto dir = std::filesystem::path(ELECTSIM_SOURCE_DIR) / "scenarios" / "library";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    auto scenario = load_scenario_file(entry.path().string(), {});
    ASSERT_TRUE(scenario.ok()) << scenario.status();
    if (!scenario->cluster.nodes) continue;
    ++files;
    sim::Layout classic = sim::Layout::single_group(scenario->nodes);
    if (scenario->resource) classic.add_process(ProcessKind::kResource, classic.add_host());
    EXPECT_TRUE(same_layout(scenario->layout, classic)) << entry.path();
    EXPECT_TRUE(scenario->layout.is_single_group()) << entry.path();
  }
  EXPECT_GE(files, 10);
}

TEST(ClusterLayout, TheThousandGroupScenarioLoads) {
  auto scenario = load_scenario_file(
      std::string(ELECTSIM_SOURCE_DIR) + "/scenarios/library/partitions-raft-1000.yaml", {});
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  const sim::Layout& layout = scenario->layout;
  EXPECT_EQ(layout.hosts(), 9u);
  EXPECT_EQ(layout.groups(), 1000u);
  EXPECT_EQ(layout.processes(), 3000u);
  EXPECT_THAT(hosts_of(layout, 0), ElementsAre(0u, 1u, 2u));
  EXPECT_THAT(hosts_of(layout, 1), ElementsAre(3u, 4u, 5u));
  EXPECT_THAT(hosts_of(layout, 999), ElementsAre(0u, 1u, 2u));
  EXPECT_EQ(layout.on_host(0).size(), 334u);  // groups g1, g4, ..., g1000
  EXPECT_EQ(layout.on_host(8).size(), 333u);
  EXPECT_EQ(scenario->duration, sim::Duration::seconds(600));
  ASSERT_TRUE(scenario->nemesis.has_value());
  ASSERT_EQ(scenario->nemesis->kinds.size(), 1u);
  EXPECT_EQ(scenario->nemesis->kinds[0].kind, faults::FaultKind::kCrash);
  // About 20 host crashes over the nemesis's window.
  const sim::Duration window =
      scenario->duration - scenario->nemesis->start_after - scenario->nemesis->quiet_period;
  EXPECT_EQ(window.ns() / scenario->nemesis->kinds[0].mean_interval.ns(), 20);
}

// Targets ---------------------------------------------------------------------------------------

std::string crash(const std::string& target) {
  return "faults:\n  - {at: 1s, crash: " + target + "}\n";
}

constexpr char kMany[] =
    "{hosts: 6, groups: {count: 3, members: 3}, service: [h5], resource_host: h6, clients: 2}";

Target only_target(const std::string& cluster, const std::string& target) {
  const Scenario scenario = load_ok(with_cluster(cluster, crash(target)));
  EXPECT_EQ(scenario.faults.size(), 1u);
  if (scenario.faults.size() != 1 || scenario.faults[0].targets.size() != 1) return Target{};
  return scenario.faults[0].targets[0];
}

TEST(ClusterTargets, HostsGroupMembersAndProcessesOfEachKind) {
  EXPECT_EQ(only_target(kMany, "h3"), (Target{Target::Kind::kHost, 2, 0}));
  // Members come first in group order: g2.n3 is the sixth process.
  EXPECT_EQ(only_target(kMany, "g2.n3"), (Target{Target::Kind::kNode, 5, 0}));
  EXPECT_EQ(only_target(kMany, "s1"), (Target{Target::Kind::kNode, 9, 0}));
  EXPECT_EQ(only_target(kMany, "r1"), (Target{Target::Kind::kNode, 10, 0}));
  EXPECT_EQ(only_target(kMany, "c2"), (Target{Target::Kind::kNode, 12, 0}));
  EXPECT_EQ(only_target(kMany, "leader of group 3"),
            (Target{Target::Kind::kLeaderOfGroup, 0, 2}));
  EXPECT_EQ(only_target(kMany, "busiest_host"), (Target{Target::Kind::kBusiestHost, 0, 0}));
  EXPECT_EQ(only_target(kMany, "service_host"), (Target{Target::Kind::kServiceHost, 0, 0}));
  EXPECT_EQ(only_target(kMany, "random"), (Target{Target::Kind::kRandomNode, 0, 0}));
}

TEST(ClusterTargets, FaultLabelsUseTheLayoutsNames) {
  const Scenario scenario = load_ok(with_cluster(
      kMany, "faults:\n  - {at: 1s, partition: {isolate: [g2.n1, s1, h4]}, heal_after: 1s}\n"));
  ASSERT_EQ(scenario.faults.size(), 1u);
  EXPECT_THAT(scenario.faults[0].label, HasSubstr("isolate [g2.n1, s1, h4]"));
}

TEST(ClusterTargets, SingleGroupFilesKeepTheirNodeNames) {
  EXPECT_EQ(only_target("{nodes: 5}", "n3"), (Target{Target::Kind::kNode, 2, 0}));
  EXPECT_EQ(only_target("{nodes: 5}", "g1.n3"), (Target{Target::Kind::kNode, 2, 0}));
  EXPECT_EQ(only_target("{nodes: 5}", "leader"), (Target{Target::Kind::kLeader, 0, 0}));
  EXPECT_EQ(only_target("{nodes: 5}", "h5"), (Target{Target::Kind::kHost, 4, 0}));
  // One group beside a service: n2 is still the group's second member.
  EXPECT_EQ(only_target("{hosts: 4, service: [h4]}", "n2"), (Target{Target::Kind::kNode, 1, 0}));
}

TEST(ClusterTargets, NodeListParametersStillNameMembers) {
  const Scenario scenario = load_ok(
      "version: 1\ncluster: {nodes: 5}\nalgorithm: {name: raft, params: {lagging_nodes: [n2]}}\n");
  EXPECT_EQ(algorithms::get<algorithms::NodeList>(scenario.params, "lagging_nodes"),
            (algorithms::NodeList{1}));
}

TEST(ClusterTargets, WhatDoesNotExistIsNamedWithWhatDoes) {
  EXPECT_EQ(error_of(with_cluster(kMany, crash("h7"))),
            "c.yaml:5:21: faults[0].crash: host h7 does not exist; the cluster has h1..h6");
  EXPECT_EQ(error_of(with_cluster(kMany, crash("g4.n1"))),
            "c.yaml:5:21: faults[0].crash: group g4 does not exist; the cluster has g1..g3");
  EXPECT_EQ(error_of(with_cluster(kMany, crash("g1.n4"))),
            "c.yaml:5:21: faults[0].crash: member g1.n4 does not exist; the cluster has "
            "g1.n1..g1.n3");
  EXPECT_EQ(error_of(with_cluster(kMany, crash("leader of group 4"))),
            "c.yaml:5:21: faults[0].crash: group 4 does not exist; the cluster has groups 1..3");
  EXPECT_EQ(error_of(with_cluster(kMany, crash("s2"))),
            "c.yaml:5:21: faults[0].crash: service s2 does not exist; the cluster has s1 only");
  EXPECT_EQ(error_of(with_cluster("{nodes: 3}", crash("c1"))),
            "c.yaml:5:21: faults[0].crash: client c1 does not exist; the cluster has no client");
  EXPECT_THAT(error_of(with_cluster("{nodes: 3}", crash("service_host"))),
              HasSubstr("this cluster has no service"));
}

TEST(ClusterTargets, RolesOfTheOnlyGroupNeedOneGroup) {
  EXPECT_THAT(error_of(with_cluster(kMany, crash("leader"))),
              HasSubstr("'leader' names a role in the only group, but this cluster has 3 groups; "
                        "write 'leader of group N' (N in 1..3) or busiest_host"));
  EXPECT_THAT(error_of(with_cluster(kMany, crash("n2"))),
              HasSubstr("'n2' is ambiguous: this cluster has 3 groups; name a member as g1.n2 "
                        "or a host as h2"));
}

// Errors ----------------------------------------------------------------------------------------

TEST(ClusterErrors, EachMistakeAtItsLineAndColumn) {
  EXPECT_EQ(error_of(with_cluster("{hosts: 5, groups: {placement: sprad}}")),
            "c.yaml:3:41: cluster.groups.placement: unknown placement 'sprad'; expected spread, "
            "packed or a list of host lists, one per group; did you mean 'spread'?");
  EXPECT_EQ(error_of(with_cluster("{hosts: 2, groups: {count: 1, members: 3}}")),
            "c.yaml:3:49: cluster.groups.members: groups of 3 members need 3 different hosts, "
            "but only 2 hosts run members; give more hosts or fewer members");
  EXPECT_EQ(error_of(with_cluster("{hosts: 3, groups: {members: 0}}")),
            "c.yaml:3:39: cluster.groups.members: a group needs at least one member, got 0");
  EXPECT_EQ(error_of(with_cluster("{hosts: 3, groups: {count: 0}}")),
            "c.yaml:3:37: cluster.groups.count: a cluster needs at least one group, got 0");
  EXPECT_EQ(error_of(with_cluster("{hosts: 3, service: [h4]}")),
            "c.yaml:3:31: cluster.service[0]: host h4 does not exist; the cluster has h1..h3");
  EXPECT_EQ(error_of(with_cluster("{hosts: 3, resource_host: h9}")),
            "c.yaml:3:36: cluster.resource_host: host h9 does not exist; the cluster has h1..h3");
  EXPECT_EQ(error_of(with_cluster("{nodes: 3, hosts: 3}")),
            "c.yaml:3:21: cluster.nodes and cluster.hosts cannot be used together: nodes: N is "
            "the short form of N hosts running one group; describe the cluster with hosts (and "
            "groups) instead");
  EXPECT_EQ(error_of(with_cluster("{groups: {count: 2}}")),
            "c.yaml:3:11: cluster.groups needs cluster.hosts: how many hosts (h1..hN) the "
            "processes run on");
}

TEST(ClusterErrors, ExplicitPlacementsAreCheckedListByList) {
  EXPECT_EQ(error_of(with_cluster("{hosts: 3, groups: {count: 3, placement: [[h1, h2]]}}")),
            "c.yaml:3:51: cluster.groups.placement: the placement lists 1 group, but "
            "cluster.groups.count is 3; give one host list per group");
  EXPECT_EQ(error_of(with_cluster("{hosts: 3, groups: {placement: [[h1, h2], [h3]]}}")),
            "c.yaml:3:52: cluster.groups.placement[1]: group g2 lists 1 host, but groups have "
            "2 members (one host per member)");
  EXPECT_EQ(error_of(with_cluster("{hosts: 3, groups: {placement: [[h1, h1]]}}")),
            "c.yaml:3:47: cluster.groups.placement[0][1]: h1 is named twice in group g1's hosts");
}

TEST(ClusterErrors, TooManyHostsOrProcessesForARun) {
  EXPECT_EQ(error_of(with_cluster("{hosts: 20000}")),
            "c.yaml:3:18: cluster.hosts: 20,000 hosts, more than the 10,000 a run may hold");
  EXPECT_EQ(error_of(with_cluster("{hosts: 2000, groups: {members: 1001}}")),
            "c.yaml:3:42: cluster.groups.members: 1,001 members, more than the 1,000 a group "
            "may have");
  EXPECT_EQ(error_of(with_cluster("{nodes: 1001}")),
            "c.yaml:3:18: cluster.nodes: must be between 1 and 1000, got 1001");
  EXPECT_EQ(error_of(with_cluster("{hosts: 9, groups: {count: 5000, members: 3}}")),
            "c.yaml:3:37: this cluster would run 15,000 processes (5000 groups of 3 members, 0 "
            "services, 0 resource, 0 clients), more than the 10,000 a run may hold");
}

// --set and --print-scenario ----------------------------------------------------------------------

LoadOptions with_sets(std::vector<std::string> sets) {
  LoadOptions options;
  options.overrides = std::move(sets);
  return options;
}

TEST(ClusterOverrides, SetReachesTheNewKeys) {
  const std::string text = with_cluster("{hosts: 6, groups: {count: 2, members: 3}}");
  const Scenario scenario = load_ok(
      text, with_sets({"cluster.groups.count=10", "cluster.hosts=9", "cluster.clients=3",
                       "cluster.service=[h9]", "cluster.groups.placement=packed"}));
  EXPECT_EQ(scenario.layout.hosts(), 9u);
  EXPECT_EQ(scenario.layout.groups(), 10u);
  EXPECT_EQ(scenario.layout.of_kind(ProcessKind::kClient).size(), 3u);
  EXPECT_THAT(hosts_of_kind(scenario.layout, ProcessKind::kService), ElementsAre(8u));
  EXPECT_THAT(hosts_of(scenario.layout, 9), ElementsAre(0u, 1u, 2u));
}

TEST(ClusterOverrides, SetCanDescribeAClusterByHostsFromScratch) {
  const Scenario scenario =
      load_ok("version: 1\n", with_sets({"cluster.hosts=9", "cluster.groups.count=4",
                                         "cluster.groups.members=3"}));
  EXPECT_EQ(scenario.layout.groups(), 4u);
  EXPECT_THAT(hosts_of(scenario.layout, 3), ElementsAre(0u, 1u, 2u));
}

TEST(ClusterOverrides, ErrorsInASetAreTheFlags) {
  const auto status = load(with_cluster("{hosts: 3}"), with_sets({"cluster.groups.members=4"}));
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(is_command_line_error(status.status()));
  EXPECT_THAT(std::string(status.status().message()),
              StartsWith("--set cluster.groups.members=4: groups of 4 members need 4"));
}

TEST(ClusterPrint, PrintedScenarioLoadsToTheSameLayout) {
  const std::vector<std::string> clusters = {
      "{nodes: 4}",
      "{hosts: 4}",
      kMany,
      "{hosts: 5, groups: {count: 3, members: 2, placement: packed}, service: {hosts: [h5]}}",
      "{hosts: 4, groups: {placement: [[h1, h2, h3], [h4, h3, h2]]}, clients: 1}",
  };
  for (const std::string& cluster : clusters) {
    SCOPED_TRACE(cluster);
    const std::string text = with_cluster(cluster);
    const Scenario first = load_ok(text);
    auto printed = resolved_scenario_yaml(first, text, {});
    ASSERT_TRUE(printed.ok()) << printed.status();
    const Scenario second = load_ok(*printed);
    EXPECT_TRUE(same_layout(first.layout, second.layout)) << *printed;
    auto again = resolved_scenario_yaml(second, *printed, {});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *printed);
  }
}

TEST(ClusterPrint, CheckSummaryNamesGroupsAndHosts) {
  const Scenario scenario = load_ok(with_cluster(kMany));
  EXPECT_THAT(check_summary(scenario), HasSubstr("3 groups on 6 hosts (13 processes)"));
  EXPECT_THAT(check_summary(load_ok(with_cluster("{nodes: 3}"))), HasSubstr(", 3 nodes,"));
}

}  // namespace
}  // namespace electsim::scenarios
