#include "faults/describe.h"
#include "faults/targets.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace electsim::faults {
namespace {

std::string partition_label(const PartitionShape& shape) {
  std::string label = absl::StrCat("partition ", shape_name(shape.kind));
  switch (shape.kind) {
    case PartitionShape::Kind::kGroups: {
      std::vector<std::string> groups;
      for (const Targets& group : shape.groups) groups.push_back(targets_name(group, "nobody"));
      absl::StrAppend(&label, " ", absl::StrJoin(groups, " | "));
      break;
    }
    case PartitionShape::Kind::kIsolate:
      absl::StrAppend(&label, " ", targets_name(shape.members, "nobody"));
      break;
    case PartitionShape::Kind::kMajorityMinority:
      absl::StrAppend(&label, " ", targets_name(shape.members, "leader"));
      break;
    case PartitionShape::Kind::kBridge:
      absl::StrAppend(&label, " ", target_name(shape.bridge));
      break;
    case PartitionShape::Kind::kOneWay:
      absl::StrAppend(&label, " ", targets_name(shape.from), " -> ", targets_name(shape.to));
      break;
    case PartitionShape::Kind::kRing:
      if (!shape.members.empty()) absl::StrAppend(&label, " ", targets_name(shape.members));
      break;
    case PartitionShape::Kind::kLinks: {
      const char* arrow = shape.both_ways ? "<->" : "->";
      std::vector<std::string> links;
      for (const auto& [from, to] : shape.links) {
        links.push_back(absl::StrCat(target_name(from), arrow, target_name(to)));
      }
      absl::StrAppend(&label, " ", absl::StrJoin(links, ", "));
      break;
    }
  }
  return label;
}

}  // namespace

std::string node_name(NodeId node) { return absl::StrCat("n", node + 1); }

std::string node_with_role(const sim::World& world, NodeId node) {
  // Faults act on hosts. With one group host i runs process i, so "n3 (leader of epoch 4)"
  // reads as before; with several groups a host is named h3 and says how many groups it leads.
  if (!world.layout().is_single_group()) {
    const size_t leads = world.groups_led_by(node).size();
    if (leads == 0) return world.layout().host_name(node);
    return absl::StrCat(world.layout().host_name(node), " (leading ", leads,
                        leads == 1 ? " group)" : " groups)");
  }
  // The fenced resource's own host beside a single group is named after it, "r1".
  if (runs_only_the_resource(world, node)) return world.layout().host_name(node);
  if (world.current_leader() != node) return node_name(node);
  return absl::StrCat(node_name(node), " (leader of epoch ", world.leadership(node).epoch, ")");
}

std::string node_names(std::span<const NodeId> nodes) {
  if (nodes.empty()) return "nobody";
  std::vector<std::string> names;
  names.reserve(nodes.size());
  for (NodeId node : nodes) names.push_back(node_name(node));
  return absl::StrJoin(names, " ");
}

std::string target_name(const Target& target) {
  switch (target.kind) {
    case Target::Kind::kNode:
      return node_name(target.node);
    case Target::Kind::kLeader:
      return "leader";
    case Target::Kind::kFollower:
      return "follower";
    case Target::Kind::kRandomFollower:
      return "random follower";
    case Target::Kind::kRandomNode:
      return "random node";
    case Target::Kind::kAll:
      return "all";
    case Target::Kind::kHost:
      return absl::StrCat("h", target.node + 1);
    case Target::Kind::kLeaderOfGroup:
      return absl::StrCat("leader of group ", target.group + 1);
    case Target::Kind::kBusiestHost:
      return "busiest host";
    case Target::Kind::kResourceHost:
      return "resource_host";
    case Target::Kind::kServiceHost:
      return "service host";
  }
  return "unknown";
}

std::string targets_name(const Targets& targets, std::string_view if_empty) {
  if (targets.empty()) return std::string(if_empty);
  std::vector<std::string> names;
  names.reserve(targets.size());
  for (const Target& target : targets) names.push_back(target_name(target));
  return absl::StrJoin(names, " ");
}

const char* shape_name(PartitionShape::Kind kind) {
  switch (kind) {
    case PartitionShape::Kind::kGroups:
      return "groups";
    case PartitionShape::Kind::kIsolate:
      return "isolate";
    case PartitionShape::Kind::kMajorityMinority:
      return "majority_minority";
    case PartitionShape::Kind::kBridge:
      return "bridge";
    case PartitionShape::Kind::kOneWay:
      return "one_way";
    case PartitionShape::Kind::kRing:
      return "ring";
    case PartitionShape::Kind::kLinks:
      return "links";
  }
  return "unknown";
}

std::optional<PartitionShape::Kind> parse_shape_name(std::string_view name) {
  // Accept "one-way" as well as "one_way": both spellings appear in the literature.
  std::string normalized(name);
  for (char& c : normalized) {
    if (c == '-') c = '_';
  }
  constexpr PartitionShape::Kind kShapes[] = {PartitionShape::Kind::kGroups,
                                              PartitionShape::Kind::kIsolate,
                                              PartitionShape::Kind::kMajorityMinority,
                                              PartitionShape::Kind::kBridge,
                                              PartitionShape::Kind::kOneWay,
                                              PartitionShape::Kind::kRing,
                                              PartitionShape::Kind::kLinks};
  for (PartitionShape::Kind shape : kShapes) {
    if (normalized == shape_name(shape)) return shape;
  }
  return std::nullopt;
}

std::string signed_duration(sim::Duration duration) {
  const bool negative = duration < sim::Duration::zero();
  return absl::StrCat(negative ? "" : "+", sim::format_duration_readable(duration));
}

std::string signed_ppm(int64_t ppm) { return absl::StrCat(ppm < 0 ? "" : "+", ppm, "ppm"); }

std::string latency_name(const sim::LatencyModel& latency) {
  using Kind = sim::LatencyModel::Kind;
  switch (latency.kind) {
    case Kind::kConstant:
      return sim::format_duration(latency.a);
    case Kind::kUniform:
      return absl::StrCat(sim::format_duration(latency.a), "..", sim::format_duration(latency.b));
    case Kind::kNormal:
      return absl::StrCat("normal ", sim::format_duration(latency.a), " sd ",
                          sim::format_duration(latency.b),
                          latency.redraw_below_min ? " (redrawn below min)" : "");
    case Kind::kExponential:
      return absl::StrCat("exponential ", sim::format_duration(latency.a));
  }
  return "unknown";
}

std::string default_label(const Fault& fault) {
  const std::string who = targets_name(fault.targets, "nobody");
  switch (fault.kind) {
    case FaultKind::kCrash:
      return absl::StrCat("crash ", who);
    case FaultKind::kAmnesiaCrash:
      return absl::StrCat("amnesia crash ", who);
    case FaultKind::kRestart:
      return absl::StrCat(fault.amnesia ? "amnesia restart " : "restart ", who);
    case FaultKind::kPause:
      return absl::StrCat("pause ", who);
    case FaultKind::kPartition:
      return partition_label(fault.partition);
    case FaultKind::kLinkFault:
      return absl::StrCat("link fault ", targets_name(fault.link.from), " -> ",
                          targets_name(fault.link.to));
    case FaultKind::kHeal:
      return "heal";
    case FaultKind::kClockOffset:
      return absl::StrCat("clock offset ", who, " ", signed_duration(fault.clock_amount));
    case FaultKind::kClockDrift:
      return absl::StrCat("clock drift ", who, " ", signed_ppm(fault.drift_ppm));
    case FaultKind::kClockJump:
      return absl::StrCat("clock jump ", who, " ", signed_duration(fault.clock_amount));
    case FaultKind::kResign:
      return absl::StrCat("resign ", who);
  }
  return fault_kind_name(fault.kind);
}

}  // namespace electsim::faults
