#include "scenarios/fault_yaml.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "scenarios/loader_internal.h"
#include "sim/time.h"

namespace electsim::scenarios {
namespace {

using faults::Fault;
using faults::FaultKind;
using faults::PartitionShape;
using faults::Target;
using faults::Targets;

std::string range_text(const sim::DurationRange& range) {
  if (range.lo == range.hi) return sim::format_duration(range.lo);
  return sim::format_duration_range(range);
}

YAML::Node flow_sequence() {
  YAML::Node node(YAML::NodeType::Sequence);
  node.SetStyle(YAML::EmitterStyle::Flow);
  return node;
}

YAML::Node flow_map() {
  YAML::Node node(YAML::NodeType::Map);
  node.SetStyle(YAML::EmitterStyle::Flow);
  return node;
}

YAML::Node target_yaml(const Target& target, const sim::Layout& layout) {
  return YAML::Node(loader::format_target(target, layout));
}

// One target as a scalar (`crash: leader`), several as a list (`isolate: [n1, n2]`).
YAML::Node targets_yaml(const Targets& targets, const sim::Layout& layout,
                        bool always_a_list = false) {
  if (targets.size() == 1 && !always_a_list) return target_yaml(targets.front(), layout);
  YAML::Node list = flow_sequence();
  for (const Target& target : targets) list.push_back(target_yaml(target, layout));
  return list;
}

YAML::Node groups_yaml(const std::vector<Targets>& groups, const sim::Layout& layout) {
  YAML::Node list = flow_sequence();
  for (const Targets& group : groups) list.push_back(targets_yaml(group, layout, true));
  return list;
}

YAML::Node partition_yaml(const PartitionShape& shape, const sim::Layout& layout) {
  using Kind = PartitionShape::Kind;
  YAML::Node map = flow_map();
  switch (shape.kind) {
    case Kind::kGroups: map["groups"] = groups_yaml(shape.groups, layout); break;
    case Kind::kIsolate: map["isolate"] = targets_yaml(shape.members, layout, true); break;
    case Kind::kMajorityMinority:
      // No members: the leader's side is the minority, chosen when the fault fires.
      if (shape.members.empty()) {
        map["majority_minority"] = true;
      } else {
        map["majority_minority"] = targets_yaml(shape.members, layout, true);
      }
      break;
    case Kind::kBridge:
      map["bridge"] = target_yaml(shape.bridge, layout);
      map["groups"] = groups_yaml(shape.groups, layout);
      break;
    case Kind::kOneWay: {
      YAML::Node ends = flow_map();
      ends["from"] = targets_yaml(shape.from, layout, true);
      ends["to"] = targets_yaml(shape.to, layout, true);
      map["one_way"] = ends;
      break;
    }
    case Kind::kRing: map["ring"] = targets_yaml(shape.members, layout, true); break;
    case Kind::kLinks: {
      YAML::Node pairs = flow_sequence();
      for (const auto& [from, to] : shape.links) {
        pairs.push_back(targets_yaml({from, to}, layout, true));
      }
      map["links"] = pairs;
      if (shape.both_ways) map["both_ways"] = true;
      break;
    }
  }
  return map;
}

YAML::Node link_yaml(const faults::LinkDegradation& link, const sim::Layout& layout) {
  YAML::Node map = flow_map();
  // An empty end is every node, which the loader reads from an absent key.
  if (!link.from.empty()) map["from"] = targets_yaml(link.from, layout, true);
  if (!link.to.empty()) map["to"] = targets_yaml(link.to, layout, true);
  if (link.loss) map["loss"] = sim::format_ratio(*link.loss);
  if (link.duplication) map["duplication"] = sim::format_ratio(*link.duplication);
  if (link.reorder) map["reorder"] = true;
  if (link.extra_latency) map["delay"] = loader::format_latency(*link.extra_latency);
  if (link.clog) map["clog"] = sim::format_duration(*link.clog);
  return map;
}

YAML::Node clock_yaml(const Fault& fault, const sim::Layout& layout) {
  YAML::Node map = flow_map();
  map["nodes"] = targets_yaml(fault.targets, layout);
  if (fault.kind == FaultKind::kClockDrift) map["drift_ppm"] = fault.drift_ppm;
  if (fault.kind == FaultKind::kClockOffset) {
    map["offset"] = sim::format_duration(fault.clock_amount);
  }
  if (fault.kind == FaultKind::kClockJump) map["jump"] = sim::format_duration(fault.clock_amount);
  return map;
}

// The action and its length, under the key the loader expects for each kind.
void add_action(YAML::Node& item, const Fault& fault, const sim::Layout& layout) {
  const auto duration = [&] { return range_text(*fault.duration); };
  switch (fault.kind) {
    case FaultKind::kCrash:
    case FaultKind::kAmnesiaCrash:
      item["crash"] = targets_yaml(fault.targets, layout);
      if (fault.kind == FaultKind::kAmnesiaCrash) item["amnesia"] = true;
      if (fault.duration) item["restart_after"] = duration();
      return;
    case FaultKind::kRestart:
      item["restart"] = targets_yaml(fault.targets, layout);
      if (fault.amnesia) item["amnesia"] = true;
      return;
    case FaultKind::kPause:
      item["pause"] = targets_yaml(fault.targets, layout);
      item["duration"] = duration();
      return;
    case FaultKind::kPartition:
      item["partition"] = partition_yaml(fault.partition, layout);
      if (fault.duration) item["heal_after"] = duration();
      return;
    case FaultKind::kLinkFault:
      item["link"] = link_yaml(fault.link, layout);
      if (fault.duration) item["heal_after"] = duration();
      return;
    case FaultKind::kHeal: item["heal"] = "all"; return;
    case FaultKind::kClockOffset:
    case FaultKind::kClockDrift:
    case FaultKind::kClockJump: item["clock"] = clock_yaml(fault, layout); return;
    case FaultKind::kResign: item["resign"] = targets_yaml(fault.targets, layout); return;
  }
}

}  // namespace

YAML::Node faults_to_yaml(const std::vector<Fault>& plan, const sim::Layout& layout) {
  YAML::Node list(YAML::NodeType::Sequence);
  for (const Fault& fault : plan) {
    YAML::Node item = flow_map();
    item["at"] = range_text(fault.at);
    add_action(item, fault, layout);
    list.push_back(item);
  }
  return list;
}

}  // namespace electsim::scenarios
