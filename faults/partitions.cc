#include "faults/partitions.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "faults/describe.h"

namespace electsim::faults {
namespace {

using Links = std::vector<DirectedLink>;
using Kind = PartitionShape::Kind;

void add_link(Links* links, NodeId from, NodeId to) {
  if (from != to) links->emplace_back(from, to);
}

// Cuts every link between a node of `a` and a node of `b`, both ways.
void separate(Links* links, std::span<const NodeId> a, std::span<const NodeId> b) {
  for (NodeId x : a) {
    for (NodeId y : b) {
      add_link(links, x, y);
      add_link(links, y, x);
    }
  }
}

std::vector<NodeId> sorted(std::vector<NodeId> nodes) {
  std::sort(nodes.begin(), nodes.end());
  return nodes;
}

// The cluster's hosts (cluster_hosts: not the resource's own) not in `excluded`, in id order.
std::vector<NodeId> others(const sim::World& world, std::span<const NodeId> excluded) {
  std::vector<NodeId> rest;
  for (NodeId node : cluster_hosts(world)) {
    if (std::find(excluded.begin(), excluded.end(), node) == excluded.end()) rest.push_back(node);
  }
  return rest;
}

// How many other nodes `node` still exchanged messages with, in at least one direction, over a
// link that `links` cuts: what cutting it off really changes when other cuts are in force.
int peers_lost(const sim::World& world, const Links& links, NodeId node) {
  int lost = 0;
  for (NodeId peer : cluster_hosts(world)) {
    if (peer == node) continue;
    const bool out = world.network().is_up(node, peer) &&
                     std::binary_search(links.begin(), links.end(), DirectedLink{node, peer});
    const bool in = world.network().is_up(peer, node) &&
                    std::binary_search(links.begin(), links.end(), DirectedLink{peer, node});
    if (out || in) ++lost;
  }
  return lost;
}

// A host as a partition's picture names it: "n3", and "r1" for the fenced resource's own host
// beside a single group (sim/layout.h), which node_name alone would call n6.
std::string host_label(const sim::World& world, NodeId host) {
  if (world.layout().is_single_group() && runs_only_the_resource(world, host)) {
    return world.layout().host_name(host);
  }
  return node_name(host);
}

// "n1 n2 r1".
std::string host_labels(const sim::World& world, std::span<const NodeId> hosts) {
  if (hosts.empty()) return "nobody";
  std::vector<std::string> names;
  for (NodeId host : hosts) names.push_back(host_label(world, host));
  return absl::StrJoin(names, " ");
}

// "{n1,n2}": one side of a partition, as the groups, bridge and majority/minority pictures
// name it.
std::string side_picture(const sim::World& world, const std::vector<NodeId>& side) {
  std::vector<std::string> names;
  for (NodeId node : side) names.push_back(host_label(world, node));
  return absl::StrCat("{", absl::StrJoin(names, ","), "}");
}

std::optional<PartitionCut> plan_groups(const PartitionShape& shape, const sim::World& world,
                                        TargetResolver& resolver) {
  std::vector<int> group_of(world.hosts(), -1);
  std::vector<std::vector<NodeId>> sides;
  for (const Targets& group : shape.groups) {
    std::vector<NodeId> named;
    if (!resolver.resolve(group, &named)) return std::nullopt;
    std::vector<NodeId> side;
    for (NodeId node : named) {
      if (group_of[node] >= 0) continue;
      group_of[node] = static_cast<int>(sides.size());
      side.push_back(node);
    }
    if (!side.empty()) sides.push_back(sorted(std::move(side)));
  }
  std::vector<NodeId> unlisted;
  for (NodeId node : cluster_hosts(world)) {
    if (group_of[node] < 0) unlisted.push_back(node);
  }
  if (!unlisted.empty()) sides.push_back(unlisted);
  PartitionCut cut;
  for (size_t i = 0; i < sides.size(); ++i) {
    for (size_t j = i + 1; j < sides.size(); ++j) separate(&cut.links, sides[i], sides[j]);
  }
  std::vector<std::string> names;
  for (const auto& side : sides) names.push_back(side_picture(world, side));
  cut.picture = absl::StrCat("groups: ", absl::StrJoin(names, " | "), " cannot reach each other");
  return cut;
}

std::optional<PartitionCut> plan_isolate(const PartitionShape& shape, const sim::World& world,
                                         TargetResolver& resolver) {
  PartitionCut cut;
  if (!resolver.resolve(shape.members, &cut.nodes)) return std::nullopt;
  if (cut.nodes.empty()) {
    resolver.fail("isolate names no node");
    return std::nullopt;
  }
  // From every other host, the resource's own included: an isolated host reaches nothing.
  for (NodeId node : cut.nodes) {
    for (NodeId peer = 0; peer < world.hosts(); ++peer) {
      add_link(&cut.links, node, peer);
      add_link(&cut.links, peer, node);
    }
  }
  std::sort(cut.links.begin(), cut.links.end());
  const size_t everyone_else = cluster_hosts(world).size() - 1;
  if (cut.nodes.size() == 1) {
    cut.picture =
        absl::StrCat("isolate ", node_with_role(world, cut.nodes[0]), ": cut it off from ",
                     peers_lost(world, cut.links, cut.nodes[0]), " of ", everyone_else, " nodes");
  } else {
    std::vector<std::string> parts;
    for (NodeId node : cut.nodes) {
      parts.push_back(absl::StrCat(node_with_role(world, node), " off from ",
                                   peers_lost(world, cut.links, node), " of ", everyone_else,
                                   " nodes"));
    }
    cut.picture =
        absl::StrCat("isolate ", host_labels(world, cut.nodes), ": cut ",
                     absl::StrJoin(parts, ", "));
  }
  cut.nodes = sorted(std::move(cut.nodes));
  return cut;
}

std::optional<PartitionCut> plan_majority_minority(const PartitionShape& shape,
                                                   const sim::World& world,
                                                   TargetResolver& resolver) {
  const std::vector<NodeId> hosts = cluster_hosts(world);
  const auto size = static_cast<uint32_t>(hosts.size());
  // The largest minority: the majority side then holds exactly a bare quorum, the hardest case
  // for the side that must keep (or elect) a leader. A 2-node cluster has no minority, so the
  // target alone is cut off there (neither side is then a majority).
  const size_t minority_size = std::min<size_t>(std::max<size_t>(1, (size - 1) / 2), size - 1);
  std::vector<NodeId> minority;
  const Targets leader_only{Target{Target::Kind::kLeader, 0}};
  if (!resolver.resolve(shape.members.empty() ? leader_only : shape.members, &minority)) {
    return std::nullopt;
  }
  for (size_t i = 0; i < size && minority.size() < minority_size; ++i) {
    append_unique(&minority, hosts[i]);
  }
  minority.resize(std::min(minority.size(), minority_size));
  minority = sorted(std::move(minority));
  const std::vector<NodeId> majority = others(world, minority);
  PartitionCut cut;
  separate(&cut.links, minority, majority);
  cut.picture = absl::StrCat("majority_minority: minority ", side_picture(world, minority),
                             " cut off from majority ", side_picture(world, majority));
  if (const std::optional<NodeId> leader = world.current_leader()) {
    const bool in_minority = std::binary_search(minority.begin(), minority.end(), *leader);
    absl::StrAppend(&cut.picture, ", leader ", node_name(*leader), " in the ",
                    in_minority ? "minority" : "majority");
  }
  cut.nodes = minority;
  return cut;
}

std::optional<PartitionCut> plan_bridge(const PartitionShape& shape, const sim::World& world,
                                        TargetResolver& resolver) {
  std::vector<NodeId> bridge;
  if (!resolver.resolve(shape.bridge, &bridge)) return std::nullopt;
  bridge.resize(1);  // kAll would name every node; the first one is the bridge
  std::vector<NodeId> first_side;
  if (!shape.groups.empty() && !resolver.resolve(shape.groups[0], &first_side)) {
    return std::nullopt;
  }
  std::erase(first_side, bridge[0]);
  first_side = sorted(std::move(first_side));
  std::vector<NodeId> excluded = first_side;
  excluded.push_back(bridge[0]);
  const std::vector<NodeId> second_side = others(world, excluded);
  PartitionCut cut;
  separate(&cut.links, first_side, second_side);
  // Named as the bridge, not as the links it cuts: the point of the shape is the one node that
  // still sees both sides (Ongaro's thesis, 4.2.3; Jepsen's "bridge" nemesis).
  cut.picture = absl::StrCat("bridge: ", node_with_role(world, bridge[0]), " sees both ",
                             side_picture(world, first_side), " and ",
                             side_picture(world, second_side),
                             ", which cannot reach each other");
  cut.nodes = bridge;
  return cut;
}

std::optional<PartitionCut> plan_one_way(const PartitionShape& shape, const sim::World& world,
                                         TargetResolver& resolver) {
  std::vector<NodeId> senders;
  std::vector<NodeId> receivers;
  if (!resolver.resolve_or_all(shape.from, &senders) ||
      !resolver.resolve_or_all(shape.to, &receivers)) {
    return std::nullopt;
  }
  PartitionCut cut;
  for (NodeId from : senders) {
    for (NodeId to : receivers) add_link(&cut.links, from, to);
  }
  // "all" for a side that is every node, as the file would say it ("n4 -> all").
  const auto side = [&world](const std::vector<NodeId>& nodes) {
    return nodes.size() == cluster_hosts(world).size() ? std::string("all")
                                                       : host_labels(world, sorted(nodes));
  };
  cut.picture = absl::StrCat("one_way ", side(senders), " -> ", side(receivers), ": ",
                             cut.links.size(), " links cut in one direction only");
  cut.nodes = senders;
  for (NodeId node : receivers) append_unique(&cut.nodes, node);
  cut.nodes = sorted(std::move(cut.nodes));
  return cut;
}

std::optional<PartitionCut> plan_ring(const PartitionShape& shape, TargetResolver& resolver) {
  PartitionCut cut;
  std::vector<NodeId> ring;
  if (!resolver.resolve_or_all(shape.members, &ring)) return std::nullopt;
  const size_t size = ring.size();
  for (size_t i = 0; i < size; ++i) {
    for (size_t j = i + 1; j < size; ++j) {
      const bool neighbours = j == i + 1 || (i == 0 && j == size - 1);
      if (neighbours) continue;
      add_link(&cut.links, ring[i], ring[j]);
      add_link(&cut.links, ring[j], ring[i]);
    }
  }
  cut.picture = absl::StrCat("ring ", node_names(ring), ": ", cut.links.size() / 2,
                             " pairs of non-neighbours cut");
  cut.nodes = sorted(std::move(ring));
  return cut;
}

// How many other nodes `node` will still exchange messages with both ways once `links` are cut
// as well as whatever is cut already.
int peers_kept(const sim::World& world, const Links& links, NodeId node) {
  int kept = 0;
  for (NodeId peer : cluster_hosts(world)) {
    if (peer == node) continue;
    const bool out = world.network().is_up(node, peer) &&
                     !std::binary_search(links.begin(), links.end(), DirectedLink{node, peer});
    const bool in = world.network().is_up(peer, node) &&
                    !std::binary_search(links.begin(), links.end(), DirectedLink{peer, node});
    if (out && in) ++kept;
  }
  return kept;
}

// "n1<->n2, n3->n4": a pair cut both ways is written once. `links` is sorted.
std::string links_picture(const Links& links) {
  std::vector<std::string> names;
  for (const auto& [from, to] : links) {
    const bool reverse = std::binary_search(links.begin(), links.end(), DirectedLink{to, from});
    if (reverse && to < from) continue;  // written with its reverse
    names.push_back(absl::StrCat(node_name(from), reverse ? "<->" : "->", node_name(to)));
  }
  return names.empty() ? "none" : absl::StrJoin(names, ", ");
}

std::optional<PartitionCut> plan_links(const PartitionShape& shape, const sim::World& world,
                                       TargetResolver& resolver) {
  PartitionCut cut;
  for (const auto& [from_target, to_target] : shape.links) {
    std::vector<NodeId> senders;
    std::vector<NodeId> receivers;
    if (!resolver.resolve(from_target, &senders) || !resolver.resolve(to_target, &receivers)) {
      return std::nullopt;
    }
    for (NodeId from : senders) {
      for (NodeId to : receivers) {
        add_link(&cut.links, from, to);
        if (shape.both_ways) add_link(&cut.links, to, from);
      }
    }
  }
  std::sort(cut.links.begin(), cut.links.end());
  cut.links.erase(std::unique(cut.links.begin(), cut.links.end()), cut.links.end());
  for (const auto& [from, to] : cut.links) {
    append_unique(&cut.nodes, from);
    append_unique(&cut.nodes, to);
  }
  cut.nodes = sorted(std::move(cut.nodes));
  cut.picture = absl::StrCat("links ", links_picture(cut.links));
  // Partial partitions are about what the leader can still reach, so say it when one is hit.
  const std::optional<NodeId> leader = world.current_leader();
  if (leader && std::binary_search(cut.nodes.begin(), cut.nodes.end(), *leader)) {
    absl::StrAppend(&cut.picture, ": the leader ", node_name(*leader), " (epoch ",
                    world.leadership(*leader).epoch, ") keeps two-way links to ",
                    peers_kept(world, cut.links, *leader), " of ", cluster_hosts(world).size() - 1,
                    " nodes");
  }
  return cut;
}

}  // namespace

std::optional<PartitionCut> plan_partition(const PartitionShape& shape, const sim::World& world,
                                           TargetResolver& resolver) {
  std::optional<PartitionCut> cut;
  switch (shape.kind) {
    case Kind::kGroups:
      cut = plan_groups(shape, world, resolver);
      break;
    case Kind::kIsolate:
      cut = plan_isolate(shape, world, resolver);
      break;
    case Kind::kMajorityMinority:
      cut = plan_majority_minority(shape, world, resolver);
      break;
    case Kind::kBridge:
      cut = plan_bridge(shape, world, resolver);
      break;
    case Kind::kOneWay:
      cut = plan_one_way(shape, world, resolver);
      break;
    case Kind::kRing:
      cut = plan_ring(shape, resolver);
      break;
    case Kind::kLinks:
      cut = plan_links(shape, world, resolver);
      break;
  }
  if (!cut) return std::nullopt;
  std::sort(cut->links.begin(), cut->links.end());
  cut->links.erase(std::unique(cut->links.begin(), cut->links.end()), cut->links.end());
  if (cut->nodes.empty()) {
    for (const auto& [from, to] : cut->links) {
      append_unique(&cut->nodes, from);
      append_unique(&cut->nodes, to);
    }
    cut->nodes = sorted(std::move(cut->nodes));
  }
  return cut;
}

LinkCuts::LinkCuts(uint32_t hosts) : hosts_(hosts) {}

void LinkCuts::check(DirectedLink link) const {
  SIM_CHECK(link.first < hosts_ && link.second < hosts_ && link.first != link.second,
            "no such link");
}

uint32_t LinkCuts::count(DirectedLink link) const {
  check(link);
  auto it = cuts_.find(link);
  return it == cuts_.end() ? 0 : it->second.count;
}

void LinkCuts::cut(sim::World& world, std::span<const DirectedLink> links) {
  for (const DirectedLink& link : links) {
    check(link);
    Cut& cut = cuts_[link];
    if (cut.count++ > 0) continue;
    cut.was_up = world.network().is_up(link.first, link.second);
    world.set_link_up(link.first, link.second, false);
  }
}

void LinkCuts::restore(sim::World& world, std::span<const DirectedLink> links) {
  for (const DirectedLink& link : links) {
    check(link);
    auto it = cuts_.find(link);
    SIM_CHECK(it != cuts_.end() && it->second.count > 0, "restoring a link no partition cut");
    if (--it->second.count > 0) continue;
    const bool was_up = it->second.was_up;
    cuts_.erase(it);  // memory stays bounded by the links cut at once
    if (was_up) world.set_link_up(link.first, link.second, true);
  }
}

}  // namespace electsim::faults
