// The `cluster:` section: `nodes: N` (N hosts and one group of N), or hosts, election groups and
// their placement, service replicas, the fenced resource's host and clients (DESIGN.md, "Hosts and
// processes"). The checks here give each mistake its line and column; build_layout then only
// assembles what they let through.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scenarios/budget.h"
#include "scenarios/cluster_layout.h"
#include "scenarios/loader_internal.h"
#include "scenarios/suggest.h"

namespace electsim::scenarios::loader {
namespace {

using Placement = ClusterSpec::Placement;

// The most members one group may have. Per-peer state is sized by the group, so a group costs
// about members squared (a single group of 1,500 took 549 MB for 3 s of simulated Raft); many
// groups, not large ones, are what reaches sim::kMaxProcesses.
constexpr uint32_t kMaxGroupMembers = 1000;

// The keys that describe a cluster by its hosts; `nodes` is the short form that excludes them.
constexpr const char* kHostKeys[] = {"hosts", "groups", "service", "resource_host", "clients"};

// A count whose zero and whose excess each deserve their own sentence.
uint32_t read_count(const Reader& reader, const Cursor& at, std::string_view zero_message,
                    uint32_t limit, const std::string& what,
                    const std::string& holder = "a run may hold") {
  const std::string text = reader.scalar(at, "an integer");
  const int64_t value = read_int(reader, at, INT64_MIN, INT64_MAX);
  if (value == 0) reader.fail_value(at, zero_message);
  if (value < 0) reader.fail_value(at, absl::StrCat("expected a positive integer, got ", text));
  if (value > limit) {
    reader.fail_value(at, absl::StrCat(with_thousands(static_cast<uint64_t>(value)), " ", what,
                                       ", more than the ", with_thousands(limit), " ",
                                       holder));
  }
  return static_cast<uint32_t>(value);
}

// A list of distinct hosts (one scalar is a list of one).
std::vector<sim::HostId> read_host_list(const Reader& reader, const Cursor& at, uint32_t hosts,
                                        const std::string& within) {
  std::vector<Cursor> items;
  if (at.node.IsSequence()) {
    items = reader.items(at, "a list of hosts such as [h1, h2]");
  } else {
    items.push_back(at);
  }
  std::vector<sim::HostId> list;
  for (const Cursor& item : items) {
    const sim::HostId host = read_host(reader, item, hosts);
    if (std::find(list.begin(), list.end(), host) != list.end()) {
      reader.fail_value(item, absl::StrCat("h", host + 1, " is named twice in ", within));
    }
    list.push_back(host);
  }
  return list;
}

void read_service(const Reader& reader, const Cursor& cluster, ClusterSpec& spec) {
  auto service = reader.find(cluster, "service");
  if (!service) return;
  if (service->node.IsMap()) {
    reader.expect_schema_keys(*service);
    service = reader.find(*service, "hosts");
    if (!service) return;
  }
  spec.service_hosts = read_host_list(reader, *service, spec.hosts, "the service's hosts");
}

std::vector<std::vector<sim::HostId>> read_explicit_placement(const Reader& reader,
                                                              const Cursor& at,
                                                              const ClusterSpec& spec) {
  std::vector<std::vector<sim::HostId>> lists;
  for (const Cursor& item : reader.items(at, "a list of host lists, one per group")) {
    if (!item.node.IsSequence()) {
      reader.fail_value(item, absl::StrCat("expected a list of hosts for group g", lists.size() + 1,
                                           ", such as [h1, h2, h3], got ", describe(item.node)));
    }
    lists.push_back(read_host_list(reader, item, spec.hosts,
                                   absl::StrCat("group g", lists.size() + 1, "'s hosts")));
    const size_t expected = spec.members ? *spec.members : lists.front().size();
    if (lists.back().size() != expected) {
      reader.fail_value(item, absl::StrCat("group g", lists.size(), " lists ",
                                           lists.back().size(),
                                           lists.back().size() == 1 ? " host" : " hosts",
                                           ", but groups have ",
                                           expected, " members (one host per member)"));
    }
  }
  if (lists.empty()) reader.fail_value(at, "expected one host list per group, got an empty list");
  return lists;
}

void read_placement(const Reader& reader, const Cursor& at, ClusterSpec& spec) {
  if (at.node.IsSequence()) {
    spec.placement = Placement::kExplicit;
    spec.hosts_of_groups = read_explicit_placement(reader, at, spec);
    return;
  }
  const std::string name = reader.scalar(at, "spread, packed or a list of host lists");
  if (name == "spread") {
    spec.placement = Placement::kSpread;
  } else if (name == "packed") {
    spec.placement = Placement::kPacked;
  } else {
    reader.fail_value(at, absl::StrCat("unknown placement '", name,
                                       "'; expected spread, packed or a list of host lists, one "
                                       "per group",
                                       did_you_mean(name, {"spread", "packed"})));
  }
}

// An explicit placement gives the group count by its length; a count given too must agree.
void check_explicit_count(const Reader& reader, const Cursor& groups, ClusterSpec& spec) {
  const size_t lists = spec.hosts_of_groups.size();
  const auto count = reader.find(groups, "count");
  if (!count) {
    spec.group_count = static_cast<uint32_t>(lists);
    return;
  }
  if (lists != spec.group_count) {
    reader.fail_value(reader.require(groups, "placement"),
                      absl::StrCat("the placement lists ", lists, lists == 1 ? " group" : " groups",
                                   ", but cluster.groups.count is ", spec.group_count,
                                   "; give one host list per group"));
  }
}

// Spread and packed need a different member host for each member of a group.
void check_members_fit(const Reader& reader, const Cursor& site, const ClusterSpec& spec) {
  if (spec.placement == Placement::kExplicit) return;
  const std::vector<sim::HostId> hosts = member_hosts(spec);
  const uint32_t members = members_per_group(spec);
  const bool left_out = hosts.size() < spec.hosts;
  if (members == 0) {
    reader.fail_value(site, "no host is left for the members: every host runs a service or the "
                            "resource; add hosts to cluster.hosts");
  }
  if (members <= hosts.size()) return;
  reader.fail_value(site, absl::StrCat(
      "groups of ", members, " members need ", members, " different hosts, but only ",
      hosts.size(), hosts.size() == 1 ? " host runs" : " hosts run", " members",
      left_out ? " (hosts running a service or the resource are left out)" : "",
      "; give more hosts or fewer members"));
}

void read_groups(const Reader& reader, const Cursor& cluster, ClusterSpec& spec) {
  const auto groups = reader.find(cluster, "groups");
  if (!groups) return;
  reader.expect_map(*groups, "a mapping with count, members and placement");
  reader.expect_schema_keys(*groups);
  if (auto at = reader.find(*groups, "count")) {
    spec.group_count = read_count(reader, *at, "a cluster needs at least one group, got 0",
                                  sim::kMaxProcesses, "groups");
  }
  if (auto at = reader.find(*groups, "members")) {
    spec.members = read_count(reader, *at, "a group needs at least one member, got 0",
                              kMaxGroupMembers, "members", "a group may have");
  }
  if (auto at = reader.find(*groups, "placement")) {
    read_placement(reader, *at, spec);
    if (spec.placement == Placement::kExplicit) check_explicit_count(reader, *groups, spec);
  }
  const auto members = reader.find(*groups, "members");
  check_members_fit(reader, members ? *members : *groups, spec);
}

void check_process_count(const Reader& reader, const Cursor& cluster, const ClusterSpec& spec) {
  const uint64_t processes = process_count(spec);
  if (processes <= sim::kMaxProcesses) return;
  const auto groups = reader.find(cluster, "groups");
  const auto count = groups ? reader.find(*groups, "count") : std::nullopt;
  reader.fail(count ? *count : cluster,
              absl::StrCat("this cluster would run ", with_thousands(processes), " processes (",
                           spec.group_count, spec.group_count == 1 ? " group of " : " groups of ",
                           members_per_group(spec), " members, ", spec.service_hosts.size(),
                           " services, ", spec.resource_host ? 1 : 0, " resource, ",
                           spec.clients, " clients), more than the ",
                           with_thousands(sim::kMaxProcesses), " a run may hold"));
}

void read_by_hosts(const Reader& reader, const Cursor& cluster, ClusterSpec& spec) {
  spec.nodes.reset();
  spec.hosts = read_count(reader, reader.require(cluster, "hosts"),
                          "a cluster needs at least one host, got 0", sim::kMaxHosts, "hosts");
  read_service(reader, cluster, spec);
  if (auto at = reader.find(cluster, "resource_host")) {
    spec.resource_host = read_host(reader, *at, spec.hosts);
  }
  read_groups(reader, cluster, spec);
  if (!reader.find(cluster, "groups")) check_members_fit(reader, cluster, spec);
  if (auto at = reader.find(cluster, "clients")) {
    spec.clients = static_cast<uint32_t>(read_int(reader, *at, 0, sim::kMaxProcesses));
  }
  check_process_count(reader, cluster, spec);
}

// The first key that describes the cluster by hosts, if any.
std::optional<Cursor> first_host_key(const Reader& reader, const Cursor& cluster) {
  for (const auto& [key, value] : reader.entries(cluster)) {
    const std::string& name = key.node.Scalar();
    if (!value.node.IsDefined() || value.node.IsNull()) continue;
    if (std::find(std::begin(kHostKeys), std::end(kHostKeys), name) != std::end(kHostKeys)) {
      return key;
    }
  }
  return std::nullopt;
}

ClusterSpec read_spec(const Reader& reader, const Cursor& cluster, bool resource) {
  reader.expect_schema_keys(cluster);
  ClusterSpec spec;
  // cluster.resource_host asks for the resource too (read_cluster); counted from here on.
  spec.resource = resource || reader.find(cluster, "resource_host").has_value();
  const auto nodes = reader.find(cluster, "nodes");
  const std::optional<Cursor> by_hosts = first_host_key(reader, cluster);
  if (nodes && by_hosts) {
    reader.fail(*by_hosts, absl::StrCat("cluster.nodes and cluster.", by_hosts->node.Scalar(),
                                        " cannot be used together: nodes: N is the short form "
                                        "of N hosts running one group; describe the cluster "
                                        "with hosts (and groups) instead"));
  }
  if (nodes) {
    spec.nodes = static_cast<uint32_t>(read_int(reader, *nodes, 1, kMaxGroupMembers));
    return spec;
  }
  if (by_hosts && !reader.find(cluster, "hosts")) {
    reader.fail(*by_hosts, absl::StrCat("cluster.", by_hosts->node.Scalar(),
                                        " needs cluster.hosts: how many hosts (h1..hN) the "
                                        "processes run on"));
  }
  if (by_hosts) read_by_hosts(reader, cluster, spec);
  return spec;
}

}  // namespace

void read_cluster(const Reader& reader, const Cursor& top, Scenario& scenario) {
  const auto cluster = reader.find(top, "cluster");
  if (cluster) {
    reader.expect_map(*cluster, "a mapping such as {nodes: 5}");
    scenario.cluster = read_spec(reader, *cluster, scenario.resource.has_value());
  }
  // Placing the resource asks for one: with its settings' defaults unless `resource:` gives them.
  if (scenario.cluster.resource_host && !scenario.resource) scenario.resource = ResourceSpec{};
  scenario.cluster.resource = scenario.resource.has_value();  // also without a cluster section
  scenario.layout = build_layout(scenario.cluster);
  // One group's members for a single group (the resource beside it is no node); else every
  // process.
  scenario.nodes = scenario.layout.is_single_group()
                       ? static_cast<uint32_t>(scenario.layout.members(0).size())
                       : scenario.layout.processes();
}

}  // namespace electsim::scenarios::loader
