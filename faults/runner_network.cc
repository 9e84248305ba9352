// Network faults: partitions, link degradations, and the heal that ends whatever is in force.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "faults/describe.h"
#include "faults/runner.h"

namespace electsim::faults {
namespace {

// "all" when `nodes` is every node of the world, else their names.
std::string nodes_or_all(const std::vector<NodeId>& nodes, uint32_t world_size) {
  return nodes.size() == world_size ? "all" : node_names(nodes);
}

// "30%" when the ratio is a whole percentage (how people write loss rates), else "1/3".
std::string ratio_name(const sim::Ratio& ratio) {
  const unsigned __int128 hundred_times = static_cast<unsigned __int128>(ratio.num) * 100;
  if (ratio.den != 0 && hundred_times % ratio.den == 0) {
    return absl::StrCat(static_cast<uint64_t>(hundred_times / ratio.den), "%");
  }
  return sim::format_ratio(ratio);
}

std::string degradation_settings(const LinkDegradation& link) {
  std::vector<std::string> parts;
  if (link.loss) parts.push_back(absl::StrCat("loss ", ratio_name(*link.loss)));
  if (link.duplication) {
    parts.push_back(absl::StrCat("duplication ", ratio_name(*link.duplication)));
  }
  if (link.reorder) parts.push_back("reordering");
  if (link.extra_latency) {
    parts.push_back(absl::StrCat("delay +", latency_name(*link.extra_latency)));
  }
  if (link.clog) parts.push_back(absl::StrCat("clog ", sim::format_duration(*link.clog)));
  if (parts.empty()) return "no change";
  return absl::StrJoin(parts, ", ");
}

}  // namespace

bool FaultRunner::fire_partition(size_t index, TargetResolver& resolver, FiredFault& fired) {
  std::optional<PartitionCut> cut = plan_partition(plan_[index].partition, world_, resolver);
  if (!cut) return false;
  fired.nodes = cut->nodes;
  fired.effect = absl::StrCat("partition ", cut->picture);
  begin(index, cut->nodes);
  cuts_.cut(world_, cut->links);
  in_force_[index].links = std::move(cut->links);
  schedule_end(index);
  return true;
}

bool FaultRunner::fire_link_fault(size_t index, TargetResolver& resolver, FiredFault& fired) {
  const LinkDegradation& degradation = plan_[index].link;
  std::vector<NodeId> senders;
  std::vector<NodeId> receivers;
  if (!resolver.resolve_or_all(degradation.from, &senders) ||
      !resolver.resolve_or_all(degradation.to, &receivers)) {
    return false;
  }
  std::sort(senders.begin(), senders.end());
  std::sort(receivers.begin(), receivers.end());
  std::vector<DirectedLink> links;
  std::vector<NodeId> touched;
  for (NodeId from : senders) {
    for (NodeId to : receivers) {
      if (from == to) continue;
      links.emplace_back(from, to);
      append_unique(&touched, from);
      append_unique(&touched, to);
    }
  }
  if (links.empty()) return resolver.fail("no link runs from the senders to the receivers");
  std::sort(touched.begin(), touched.end());
  fired.nodes = touched;
  fired.effect =
      absl::StrCat("link fault ", nodes_or_all(senders, cluster_hosts(world_).size()), " -> ",
                   nodes_or_all(receivers, cluster_hosts(world_).size()), ": ",
                   degradation_settings(degradation),
                   " on ", links.size(), links.size() == 1 ? " link" : " links");
  begin(index, touched);
  degradations_.apply(world_, index, links, degradation);
  in_force_[index].links = std::move(links);
  schedule_end(index);
  return true;
}

void FaultRunner::fire_heal(size_t index, FiredFault& fired) {
  begin(index, {});
  std::vector<std::string> ended;
  for (size_t other = 0; other < plan_.size(); ++other) {
    const FaultKind kind = plan_[other].kind;
    if (!in_force_[other].active) continue;
    if (kind != FaultKind::kPartition && kind != FaultKind::kLinkFault) continue;
    end_network(other, /*by_heal=*/true);
    ended.push_back(plan_[other].label);
  }
  if (ended.empty()) {
    fired.effect = "heal: no partition or link fault was in force";
  } else {
    fired.effect = absl::StrCat("heal: ended ", absl::StrJoin(ended, "; "));
  }
  finish(index, "");
}

void FaultRunner::end_network(size_t index, bool by_heal) {
  const std::vector<DirectedLink>& links = in_force_[index].links;
  if (plan_[index].kind == FaultKind::kPartition) {
    cuts_.restore(world_, links);
  } else {
    degradations_.remove(world_, index, links);
  }
  finish(index, absl::StrCat(" for ", lasted(index), by_heal ? " (until a heal)" : ""));
}

}  // namespace electsim::faults
