// Partition shapes as sets of directed links to cut (DESIGN.md, "Network": partitions are edge
// states, so any shape is possible), and the per-link cut count that lets overlapping partitions
// compose: a link comes back up only when no partition still in force cuts it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "faults/plan.h"
#include "faults/targets.h"
#include "sim/world.h"

namespace electsim::faults {

using DirectedLink = std::pair<NodeId, NodeId>;  // from -> to

struct PartitionCut {
  std::vector<DirectedLink> links;  // sorted, without duplicates or self-links
  std::vector<NodeId> nodes;        // the nodes the shape is about (isolated, minority, bridge...)
  // What it does, for the effect sentence: "isolate n2 (leader of epoch 1): cut it off from 4 of
  // 4 nodes", "majority_minority n1 n2 | n3 n4 n5, leader n1 in the minority".
  std::string picture;
};

// Resolves `shape` against the world as it is now and lists the links to cut. nullopt if one of
// its targets names nobody (resolver.why_not() says why). How each shape reads its fields:
//   groups             `groups`; nodes listed in no group form one more group together; a node
//                      listed twice stays in the first group that names it.
//   isolate            `members`: each is cut from every other node, both ways.
//   majority_minority  the minority has floor((N-1)/2) nodes (at least 1): `members` (the leader
//                      if empty) first, then the lowest-id others; everything else is the majority.
//   bridge             `groups[0]` is one side; every node that is neither on it nor the bridge is
//                      on the other side; `bridge` keeps its links to both sides.
//   one_way            links from each of `from` to each of `to`; an empty list means every node.
//   ring               `members` in order (every node in id order if empty) keep only the links
//                      to their two ring neighbours; nodes not in `members` keep all their links.
//                      A ring of 3 or fewer members is fully connected, so it cuts nothing: a
//                      chain of 3 is written with `links`.
//   links              exactly `links` (both directions if `both_ways`); kAll expands to every
//   node.
std::optional<PartitionCut> plan_partition(const PartitionShape& shape, const sim::World& world,
                                           TargetResolver& resolver);

class LinkCuts {
 public:
  // Over `hosts` hosts; a link keeps state only while some partition cuts it (no hosts² table).
  explicit LinkCuts(uint32_t hosts);
  // Cuts each link with World::set_link_up(false). A link that another partition already cuts
  // stays down, one count deeper.
  void cut(sim::World& world, std::span<const DirectedLink> links);
  // Takes back one cut of each link; the link comes up again when no cut is left on it, and only
  // if it was up when the first of those cuts came (a link someone else cut stays down).
  void restore(sim::World& world, std::span<const DirectedLink> links);
  uint32_t count(DirectedLink link) const;

 private:
  struct Cut {
    uint32_t count = 0;
    bool was_up = false;
  };
  void check(DirectedLink link) const;
  uint32_t hosts_;
  // Looked up by link only; never iterated, so its order cannot reach the simulation.
  std::map<DirectedLink, Cut> cuts_;
};

}  // namespace electsim::faults
