// The `cluster:` section of a scenario turned into hosts, processes and groups (sim/layout.h).
// The loader validates a ClusterSpec against the file first; build_layout only assembles it.
#pragma once

#include <cstdint>
#include <vector>

#include "scenarios/scenario.h"
#include "sim/layout.h"

namespace electsim::scenarios {

// The hosts that spread and packed placements and clients use: every host that runs neither a
// service nor the resource, in host order. Keeping members off the service's hosts is what a
// deployment does (a ZooKeeper ensemble on its own machines), and what lets a fault take the
// service away without taking a group's member with it; an explicit placement may still put
// members anywhere.
std::vector<sim::HostId> member_hosts(const ClusterSpec& spec);

// How many members each group has: `members`, or one per member host when it is not given
// (the size of the first explicit list for an explicit placement).
uint32_t members_per_group(const ClusterSpec& spec);

// Every process the spec asks for, counted without building anything (the loader checks it
// against sim::kMaxProcesses before build_layout runs).
uint64_t process_count(const ClusterSpec& spec);

// The layout: hosts h1..hH; members group by group (g1.n1, g1.n2, ..., g2.n1, ...), then the
// service processes in the order listed, the resource, and the clients round-robin over the
// member hosts (over every host when none is free of a service or the resource). Process ids
// follow that order, so `cluster: {nodes: N}` and `cluster: {hosts: N}` both give
// Layout::single_group(N). With a resource (spec.resource) and no resource_host, the resource
// runs on a host of its own after the declared ones: host N + 1 of `nodes: N`, whose members
// keep n1..nN on h1..hN (Layout::is_single_group stays true). The spec must be valid (the loader's checks); a broken one is a
// SIM_CHECK.
sim::Layout build_layout(const ClusterSpec& spec);

}  // namespace electsim::scenarios
