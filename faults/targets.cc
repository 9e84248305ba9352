#include "faults/targets.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "faults/describe.h"

namespace electsim::faults {

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
      append_unique(nodes, target.node);
      return true;
    case Target::Kind::kLeader: {
      const std::optional<NodeId> leader = world_.current_leader();
      if (!leader) return fail("no node leads");
      append_unique(nodes, *leader);
      return true;
    }
    case Target::Kind::kFollower:
    case Target::Kind::kRandomFollower: {
      const std::vector<NodeId> candidates = followers();
      if (candidates.empty()) return fail("no up node follows a leader");
      const size_t pick =
          target.kind == Target::Kind::kFollower ? 0 : rng_.below(candidates.size());
      append_unique(nodes, candidates[pick]);
      return true;
    }
    case Target::Kind::kRandomNode: {
      std::vector<NodeId> candidates;
      for (NodeId node = 0; node < world_.size(); ++node) {
        if (world_.status(node) != sim::NodeStatus::kDown) candidates.push_back(node);
      }
      if (candidates.empty()) return fail("every node is down");
      append_unique(nodes, candidates[rng_.below(candidates.size())]);
      return true;
    }
    case Target::Kind::kAll:
      for (NodeId node = 0; node < world_.size(); ++node) append_unique(nodes, node);
      return true;
    case Target::Kind::kHost:
    case Target::Kind::kLeaderOfGroup:
    case Target::Kind::kBusiestHost:
    case Target::Kind::kServiceHost:
      return fail("host and group targets are not resolved yet (issue 8)");
  }
  return fail("unknown target kind");
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
