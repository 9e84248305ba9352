#include "scenarios/cluster_layout.h"

#include <algorithm>

#include "sim/check.h"

namespace electsim::scenarios {
namespace {

using Placement = ClusterSpec::Placement;

bool runs_service_or_resource(const ClusterSpec& spec, sim::HostId host) {
  if (spec.resource_host == host) return true;
  return std::find(spec.service_hosts.begin(), spec.service_hosts.end(), host) !=
         spec.service_hosts.end();
}

sim::HostId member_host(const ClusterSpec& spec, const std::vector<sim::HostId>& hosts,
                        uint32_t group, uint32_t member, uint32_t members) {
  switch (spec.placement) {
    case Placement::kSpread:
      return hosts[(uint64_t{group} * members + member) % hosts.size()];
    case Placement::kPacked: return hosts[member];
    case Placement::kExplicit: return spec.hosts_of_groups[group][member];
  }
  return hosts[member];
}

void add_members(const ClusterSpec& spec, sim::Layout& layout) {
  const std::vector<sim::HostId> hosts = member_hosts(spec);
  const uint32_t members = members_per_group(spec);
  SIM_CHECK(spec.placement == Placement::kExplicit || members <= hosts.size(),
            "more members per group than member hosts");
  SIM_CHECK(
      spec.placement != Placement::kExplicit || spec.hosts_of_groups.size() == spec.group_count,
      "an explicit placement lists one host list per group");
  for (uint32_t group = 0; group < spec.group_count; ++group) {
    const sim::GroupId id = layout.add_group();
    for (uint32_t member = 0; member < members; ++member) {
      layout.add_process(sim::ProcessKind::kMember,
                         member_host(spec, hosts, group, member, members), id);
    }
  }
}

}  // namespace

std::vector<sim::HostId> member_hosts(const ClusterSpec& spec) {
  std::vector<sim::HostId> hosts;
  const uint32_t count = spec.nodes ? *spec.nodes : spec.hosts;
  for (sim::HostId host = 0; host < count; ++host) {
    if (!runs_service_or_resource(spec, host)) hosts.push_back(host);
  }
  return hosts;
}

uint32_t members_per_group(const ClusterSpec& spec) {
  if (spec.nodes) return *spec.nodes;
  if (spec.members) return *spec.members;
  if (spec.placement == Placement::kExplicit && !spec.hosts_of_groups.empty()) {
    return static_cast<uint32_t>(spec.hosts_of_groups.front().size());
  }
  return static_cast<uint32_t>(member_hosts(spec).size());
}

uint64_t process_count(const ClusterSpec& spec) {
  if (spec.nodes) return *spec.nodes + (spec.resource ? 1 : 0);
  return uint64_t{spec.group_count} * members_per_group(spec) + spec.service_hosts.size() +
         (spec.resource ? 1 : 0) + spec.clients;
}

// The resource's process, on its host or on a host of its own after the declared ones.
static void add_resource(const ClusterSpec& spec, sim::Layout& layout) {
  if (!spec.resource) return;
  const sim::HostId host = spec.resource_host ? *spec.resource_host : layout.add_host();
  layout.add_process(sim::ProcessKind::kResource, host);
}

sim::Layout build_layout(const ClusterSpec& spec) {
  if (spec.nodes) {
    sim::Layout layout = sim::Layout::single_group(*spec.nodes);
    add_resource(spec, layout);
    return layout;
  }
  SIM_CHECK(process_count(spec) <= sim::kMaxProcesses, "more processes than a run may hold");
  sim::Layout layout;
  for (uint32_t host = 0; host < spec.hosts; ++host) layout.add_host();
  add_members(spec, layout);
  for (const sim::HostId host : spec.service_hosts) {
    layout.add_process(sim::ProcessKind::kService, host);
  }
  add_resource(spec, layout);
  std::vector<sim::HostId> client_hosts = member_hosts(spec);
  if (client_hosts.empty()) {
    for (sim::HostId host = 0; host < spec.hosts; ++host) client_hosts.push_back(host);
  }
  for (uint32_t client = 0; client < spec.clients; ++client) {
    layout.add_process(sim::ProcessKind::kClient, client_hosts[client % client_hosts.size()]);
  }
  return layout;
}

}  // namespace electsim::scenarios
