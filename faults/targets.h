// Resolves a fault's targets against the world at the instant the fault fires: roles are read
// from World::leadership / leader_of, random picks are drawn from the injector's stream. Every
// target resolves to hosts (faults act on hosts): a process target means the host it runs on.
// With one group on N hosts, process i runs on host i, so the two readings agree.
#pragma once

#include <string>
#include <vector>

#include "faults/plan.h"
#include "sim/prng.h"
#include "sim/world.h"

namespace electsim::faults {

class TargetResolver {
 public:
  TargetResolver(const sim::World& world, sim::Rng& rng) : world_(world), rng_(rng) {}

  // Appends the nodes `target` names now (kAll names every node) to `nodes`, skipping nodes
  // already there. False if it names nobody; why_not() then says why, in a short phrase.
  bool resolve(const Target& target, std::vector<NodeId>* nodes);
  // The same for every target in order; false as soon as one names nobody.
  bool resolve(const Targets& targets, std::vector<NodeId>* nodes);
  // Like resolve, but an empty list names every node (link degradations, one-way cuts).
  bool resolve_or_all(const Targets& targets, std::vector<NodeId>* nodes);

  const std::string& why_not() const { return why_not_; }
  // Records why a fault names nobody (for checks made outside the resolver); returns false.
  bool fail(std::string reason);

 private:
  bool resolve_busiest_host(std::vector<NodeId>* nodes);
  // The up nodes that follow the current leader, in id order (empty if nobody leads).
  std::vector<NodeId> followers() const;

  const sim::World& world_;
  sim::Rng& rng_;
  std::string why_not_;
};

// Whether every process of `host` is a fenced resource: such a host is no "node" of the cluster.
// Random picks, `all` and the sides a partition forms implicitly leave it out, so that adding
// the resource to a scenario changes none of its faults' draws; a target that names it
// (resource_host, r1, its host name) and `isolate` (cut from every other host) still reach it.
bool runs_only_the_resource(const sim::World& world, sim::HostId host);
// The hosts that are not runs_only_the_resource, in id order.
std::vector<NodeId> cluster_hosts(const sim::World& world);

// Appends `node` unless it is already in `nodes` (keeps first-seen order).
void append_unique(std::vector<NodeId>* nodes, NodeId node);

}  // namespace electsim::faults
