// The checks' own model of who can talk to whom (internal to sim/checks), rebuilt from
// kLinkChange records (every link starts up; links join hosts, and two processes on one host are
// always connected) and from which hosts are alive (up, not paused).
//
// Whether a group could make progress follows its algorithm's progress model (profile.h):
// - group_majority follows how Raft makes progress: a leader must exchange messages with a
//   majority directly, since Raft has no relaying (Ongaro & Ousterhout 2014, section 5.2-5.3). So
//   a group's quorum is available when some alive member has two-way up links to at least
//   majority - 1 other alive members of its group: that member and those peers are a majority it
//   could lead. Service, resource and client processes never count.
// - service_reachable: some alive member has a two-way link to an alive service process.
// - none: some member is alive (an algorithm without a quorum is judged whenever anyone runs).
//
// Counts are kept up to date per change, never recomputed from scratch: a link change between
// hosts A and B costs O(processes on A and B x group size), a host's status change
// O(processes on it x group size) (and, when it runs a service, O(members) for service_reachable).
// Down links are kept as a set of exceptions, so 10,000 hosts need no table of 10^8 links.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/container/btree_set.h"
#include "sim/checks/profile.h"
#include "sim/checks/topology.h"

namespace electsim::sim::checks {

class LinkModel {
 public:
  LinkModel(std::shared_ptr<const Topology> topology, ProgressModel model);
  // One group of `nodes` members, process i on host i, judged by group majority (tests).
  explicit LinkModel(uint32_t nodes);

  const Topology& topology() const { return *topology_; }
  uint32_t majority(GroupId group = 0) const { return topology_->layout().majority(group); }

  // The directed link between two hosts went up or down.
  void set_link(HostId from, HostId to, bool up);
  // The host became alive (up and running) or not (down or paused).
  void set_alive(HostId host, bool alive);

  bool is_up(HostId from, HostId to) const {
    return from == to || !down_.contains(key(from, to));
  }
  bool two_way(HostId a, HostId b) const { return is_up(a, b) && is_up(b, a); }
  // Between the hosts of two processes.
  bool processes_two_way(ProcessId a, ProcessId b) const {
    return two_way(topology_->host_of(a), topology_->host_of(b));
  }
  bool host_alive(HostId host) const { return host_alive_[host] != 0; }
  bool alive(ProcessId process) const { return host_alive(topology_->host_of(process)); }
  // Other members of the process's group with two-way up links to it, whether alive or not.
  uint32_t neighbours(ProcessId member) const { return neighbours_[member]; }
  // Alive other members of its group with two-way up links to it.
  uint32_t alive_neighbours(ProcessId member) const { return alive_neighbours_[member]; }

  // Whether the group could make progress, by the model.
  bool quorum_available(GroupId group = 0) const;
  // The members that could make progress: for group_majority the lowest-id qualifying member and
  // its alive two-way neighbours in the group, sorted; for the others, the qualifying members.
  // Empty if none. O(group size^2).
  std::vector<NodeId> quorum(GroupId group = 0) const;

 private:
  static uint64_t key(HostId from, HostId to) { return uint64_t{from} << 32 | to; }
  bool qualifies(ProcessId member) const;
  // Applies a change to one member's counts, keeping its group's qualifying count in step.
  template <class Change>
  void update_member(ProcessId member, Change change);
  void adjust_pair(ProcessId a, ProcessId b, int delta_if_alive, bool neighbours_too);
  void link_two_way_changed(HostId a, HostId b, bool now_two_way);

  std::shared_ptr<const Topology> topology_;
  ProgressModel model_;
  absl::btree_set<uint64_t> down_;            // directed host links that are down
  std::vector<uint8_t> host_alive_;
  std::vector<uint32_t> services_on_host_;    // alive or not
  std::vector<uint32_t> neighbours_;          // by process; members only
  std::vector<uint32_t> alive_neighbours_;    // by process; members only
  std::vector<uint32_t> reachable_services_;  // by process; alive services it reaches two-way
  std::vector<uint32_t> qualifying_;          // by group: alive members that qualify
};

}  // namespace electsim::sim::checks
