#include "faults/targets.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "faults/describe.h"

namespace electsim::faults {

bool runs_only_the_resource(const sim::World& world, sim::HostId host) {
  const auto processes = world.layout().on_host(host);
  return !processes.empty() && std::all_of(processes.begin(), processes.end(), [&](NodeId p) {
    return world.layout().process(p).kind == sim::ProcessKind::kResource;
  });
}

std::vector<NodeId> cluster_hosts(const sim::World& world) {
  std::vector<NodeId> hosts;
  for (sim::HostId host = 0; host < world.hosts(); ++host) {
    if (!runs_only_the_resource(world, host)) hosts.push_back(host);
  }
  return hosts;
}

void append_unique(std::vector<NodeId>* nodes, NodeId node) {
  if (std::find(nodes->begin(), nodes->end(), node) == nodes->end()) nodes->push_back(node);
}

bool TargetResolver::fail(std::string reason) {
  why_not_ = std::move(reason);
  return false;
}

std::vector<NodeId> TargetResolver::followers() const {
  std::vector<NodeId> result;
  const std::optional<NodeId> leader = world_.current_leader();
  if (!leader) return result;
  for (NodeId node = 0; node < world_.size(); ++node) {
    const sim::Leadership& leadership = world_.leadership(node);
    if (node != *leader && world_.status(node) == sim::NodeStatus::kUp &&
        leadership.role == sim::Role::kFollower && leadership.leader == *leader) {
      result.push_back(node);
    }
  }
  return result;
}

bool TargetResolver::resolve(const Target& target, std::vector<NodeId>* nodes) {
  switch (target.kind) {
    case Target::Kind::kNode:
      // The loader checks names against the cluster size; a plan built by hand may not.
      if (target.node >= world_.size()) {
        return fail(absl::StrCat(node_name(target.node), " is not in a cluster of ", world_.size(),
                                 " nodes"));
      }
      append_unique(nodes, world_.host_of(target.node));  // a process means its host
      return true;
    case Target::Kind::kLeader: {
      // With several groups, `leader` is the leader of group 1 (faults/describe.cc says so).
      const std::optional<NodeId> leader = world_.current_leader();
      if (!leader) return fail("no node leads");
      append_unique(nodes, world_.host_of(*leader));
      return true;
    }
    case Target::Kind::kFollower:
    case Target::Kind::kRandomFollower: {
      const std::vector<NodeId> candidates = followers();
      if (candidates.empty()) return fail("no up node follows a leader");
      const size_t pick =
          target.kind == Target::Kind::kFollower ? 0 : rng_.below(candidates.size());
      append_unique(nodes, world_.host_of(candidates[pick]));
      return true;
    }
    case Target::Kind::kRandomNode: {
      std::vector<NodeId> candidates;
      for (NodeId host : cluster_hosts(world_)) {
        if (world_.host_status(host) != sim::NodeStatus::kDown) candidates.push_back(host);
      }
      if (candidates.empty()) return fail("every node is down");
      append_unique(nodes, candidates[rng_.below(candidates.size())]);
      return true;
    }
    case Target::Kind::kAll:
      for (NodeId host : cluster_hosts(world_)) append_unique(nodes, host);
      return true;
    case Target::Kind::kResourceHost: {
      const auto resources = world_.layout().of_kind(sim::ProcessKind::kResource);
      if (resources.empty()) return fail("this cluster has no resource");
      append_unique(nodes, world_.host_of(resources.front()));
      return true;
    }
    case Target::Kind::kHost:
      if (target.node >= world_.hosts()) {
        return fail(absl::StrCat("h", target.node + 1, " is not one of ", world_.hosts(), " hosts"));
      }
      append_unique(nodes, target.node);
      return true;
    case Target::Kind::kLeaderOfGroup: {
      if (target.group >= world_.layout().groups()) {
        return fail(absl::StrCat("there is no group ", target.group + 1));
      }
      const std::optional<NodeId> leader = world_.leader_of(target.group);
      if (!leader) return fail(absl::StrCat("nobody leads group ", target.group + 1));
      append_unique(nodes, world_.host_of(*leader));
      return true;
    }
    case Target::Kind::kBusiestHost:
      return resolve_busiest_host(nodes);
    case Target::Kind::kServiceHost:
      for (NodeId service : world_.layout().of_kind(sim::ProcessKind::kService)) {
        if (world_.status(service) == sim::NodeStatus::kUp) {
          append_unique(nodes, world_.host_of(service));
          return true;
        }
      }
      return fail("no service replica is up");
  }
  return fail("unknown target kind");
}

// The host that leads the most groups, lowest id on ties; none if no group has a leader.
bool TargetResolver::resolve_busiest_host(std::vector<NodeId>* nodes) {
  size_t most = 0;
  sim::HostId busiest = sim::kNoHost;
  for (sim::HostId host = 0; host < world_.hosts(); ++host) {
    const size_t led = world_.groups_led_by(host).size();
    if (led > most) {
      most = led;
      busiest = host;
    }
  }
  if (busiest == sim::kNoHost) return fail("no group has a leader");
  append_unique(nodes, busiest);
  return true;
}

bool TargetResolver::resolve(const Targets& targets, std::vector<NodeId>* nodes) {
  for (const Target& target : targets) {
    if (!resolve(target, nodes)) return false;
  }
  return true;
}

bool TargetResolver::resolve_or_all(const Targets& targets, std::vector<NodeId>* nodes) {
  if (targets.empty()) return resolve(Target{Target::Kind::kAll, 0}, nodes);
  return resolve(targets, nodes);
}

}  // namespace electsim::faults
