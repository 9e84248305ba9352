// The `faults:` schedule: each item is `at` plus exactly one action key, read into faults::Fault.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scenarios/loader_internal.h"
#include "scenarios/suggest.h"

namespace electsim::scenarios::loader {
namespace {

using faults::Fault;
using faults::FaultKind;
using faults::PartitionShape;
using faults::Target;
using faults::Targets;

const std::vector<std::string>& actions() {
  static const std::vector<std::string>* const kActions = new std::vector<std::string>{
      "crash", "restart", "pause", "partition", "link", "heal", "clock", "resign"};
  return *kActions;
}

// The keys each action takes besides `at` and itself.
std::vector<std::string> modifiers_of(std::string_view action) {
  if (action == "crash") return {"restart_after", "amnesia"};
  if (action == "restart") return {"amnesia"};
  if (action == "pause") return {"duration"};
  if (action == "partition" || action == "link") return {"heal_after"};
  return {};
}

bool is_action(std::string_view key) {
  return std::find(actions().begin(), actions().end(), key) != actions().end();
}

std::string after(const char* what, const std::optional<sim::DurationRange>& duration) {
  if (!duration) return "";
  return absl::StrCat(", ", what, " ", sim::format_duration_range(*duration));
}

// Finds the one action key of a fault and rejects keys that do not belong to it.
std::pair<Cursor, Cursor> find_action(const Reader& reader, const Cursor& item) {
  std::optional<std::pair<Cursor, Cursor>> action;
  for (const auto& [key, value] : reader.entries(item)) {
    if (!is_action(key.node.Scalar())) continue;
    if (action) {
      reader.fail(key, absl::StrCat("a fault has one action, but this one has '",
                                    action->first.node.Scalar(), "' and '", key.node.Scalar(),
                                    "'; write them as two faults"));
    }
    action.emplace(key, value);
  }
  const std::string list = absl::StrJoin(actions(), ", ");
  for (const auto& [key, value] : reader.entries(item)) {
    const std::string& name = key.node.Scalar();
    if (name == "at" || is_action(name)) continue;
    if (!action) {
      reader.fail(key, unknown_name("fault action", name, actions()));
    }
    const std::string& kind = action->first.node.Scalar();
    const std::vector<std::string> takes = modifiers_of(kind);
    if (std::find(takes.begin(), takes.end(), name) != takes.end()) continue;
    std::vector<std::string> all_keys = {"at", kind};
    all_keys.insert(all_keys.end(), takes.begin(), takes.end());
    reader.fail(key, absl::StrCat("'", name, "' does not apply to a ", kind,
                                  " fault, which takes ", absl::StrJoin(all_keys, ", "),
                                  did_you_mean(name, all_keys)));
  }
  if (!action) {
    reader.fail(item, absl::StrCat("a fault needs an action: one of ", list));
  }
  return *action;
}

// Process faults ------------------------------------------------------------------------------

void read_crash(const Reader& reader, const Cursor& item, const Cursor& value,
                const sim::Layout& layout, Fault& fault) {
  fault.targets = read_targets(reader, value, layout);
  if (auto amnesia = reader.find(item, "amnesia")) fault.amnesia = read_bool(reader, *amnesia);
  fault.kind = fault.amnesia ? FaultKind::kAmnesiaCrash : FaultKind::kCrash;
  if (auto restart = reader.find(item, "restart_after")) {
    fault.duration = read_duration_range(reader, *restart, Sign::kPositive);
  }
  fault.label =
      absl::StrCat(fault.amnesia ? "amnesia crash " : "crash ",
                   format_targets(fault.targets, layout), after("restart after", fault.duration));
}

void read_restart(const Reader& reader, const Cursor& item, const Cursor& value,
                  const sim::Layout& layout, Fault& fault) {
  fault.kind = FaultKind::kRestart;
  fault.targets = read_targets(reader, value, layout);
  if (auto amnesia = reader.find(item, "amnesia")) fault.amnesia = read_bool(reader, *amnesia);
  fault.label = absl::StrCat("restart ", format_targets(fault.targets, layout),
                             fault.amnesia ? " with amnesia" : "");
}

void read_pause(const Reader& reader, const Cursor& item, const Cursor& value,
                const sim::Layout& layout, Fault& fault) {
  fault.kind = FaultKind::kPause;
  fault.targets = read_targets(reader, value, layout);
  fault.duration = read_duration_range(reader, reader.require(item, "duration"), Sign::kPositive);
  fault.label = absl::StrCat("pause ", format_targets(fault.targets, layout), " for ",
                             sim::format_duration_range(*fault.duration));
}

void read_resign(const Reader& reader, const Cursor& value, const sim::Layout& layout,
                 Fault& fault) {
  fault.kind = FaultKind::kResign;
  fault.targets = read_targets(reader, value, layout);
  fault.label = absl::StrCat("resign ", format_targets(fault.targets, layout));
}

void read_heal(const Reader& reader, const Cursor& value, Fault& fault) {
  const std::string what = reader.scalar(value, "all");
  if (what != "all") {
    reader.fail_value(value, absl::StrCat("expected all (heal restores every link), got '", what,
                                          "'"));
  }
  fault.kind = FaultKind::kHeal;
  fault.label = "heal all";
}

void read_clock(const Reader& reader, const Cursor& value, const sim::Layout& layout,
                Fault& fault) {
  reader.expect_schema_keys(value);
  fault.targets = read_targets(reader, reader.require(value, "nodes"), layout);
  std::vector<Cursor> changes;
  for (const char* key : {"offset", "drift_ppm", "jump"}) {
    if (auto change = reader.find(value, key)) changes.push_back(*change);
  }
  if (changes.size() != 1) {
    reader.fail(changes.empty() ? value : changes[1],
                "a clock fault changes one thing: give exactly one of offset, drift_ppm, jump");
  }
  const Cursor& change = changes.front();
  const std::string who = format_targets(fault.targets, layout);
  if (change.path.ends_with(".drift_ppm")) {
    fault.kind = FaultKind::kClockDrift;
    fault.drift_ppm = read_int(reader, change, -max_drift_ppm(), max_drift_ppm());
    fault.label = absl::StrCat("clock ", who, " drift ", fault.drift_ppm, "ppm");
    return;
  }
  fault.clock_amount = read_duration(reader, change, Sign::kAny);
  if (change.path.ends_with(".offset")) {
    fault.kind = FaultKind::kClockOffset;
    fault.label = absl::StrCat("clock ", who, " offset ", sim::format_duration(fault.clock_amount));
    return;
  }
  if (fault.clock_amount == sim::Duration::zero()) {
    reader.fail_value(change, "a jump of 0 changes nothing");
  }
  fault.kind = FaultKind::kClockJump;
  fault.label = absl::StrCat("clock ", who, " jump ", sim::format_duration(fault.clock_amount));
}

// Partitions ----------------------------------------------------------------------------------

constexpr char kShapes[] =
    "isolate, groups, majority_minority, bridge (with groups), one_way, ring or links";

// A single node or role (not `all`) in a shape that needs one node per place.
Target read_one(const Reader& reader, const Cursor& at, const sim::Layout& layout,
                NodeTracker& tracker) {
  const Target target = read_target(reader, at, layout);
  if (target.kind == Target::Kind::kAll) reader.fail_value(at, "expected one node here, not all");
  tracker.add(reader, at, target);
  return target;
}

std::vector<Targets> read_groups(const Reader& reader, const Cursor& at, const sim::Layout& layout,
                                 NodeTracker& tracker) {
  std::vector<Targets> groups;
  for (const Cursor& group : reader.items(at, "a list of groups such as [[n1, n2], [n3]]")) {
    Targets members;
    if (group.node.IsSequence()) {
      for (const Cursor& item : reader.items(group, "a list of nodes")) {
        members.push_back(read_one(reader, item, layout, tracker));
      }
      if (members.empty()) reader.fail_value(group, "a group needs at least one node");
    } else {
      members.push_back(read_one(reader, group, layout, tracker));
    }
    groups.push_back(std::move(members));
  }
  if (groups.empty()) reader.fail_value(at, "expected at least one group, got an empty list");
  return groups;
}

std::string format_groups(const std::vector<Targets>& groups, const char* separator,
                          const sim::Layout& layout) {
  std::vector<std::string> parts;
  for (const Targets& group : groups) {
    parts.push_back(group.size() == 1 ? absl::StrCat("[", format_target(group[0], layout), "]")
                                      : format_targets(group, layout));
  }
  return absl::StrJoin(parts, separator);
}

void read_links(const Reader& reader, const Cursor& at, const sim::Layout& layout,
                PartitionShape& shape) {
  std::vector<std::string> labels;
  for (const Cursor& pair : reader.items(at, "a list of [from, to] pairs")) {
    const std::vector<Cursor> ends = reader.items(pair, "a pair [from, to]");
    if (ends.size() != 2) {
      reader.fail_value(pair, absl::StrCat("expected a pair [from, to], got ", ends.size(),
                                           " nodes"));
    }
    NodeTracker pair_tracker("the link", layout);  // a link joins two different nodes
    const Target from = read_one(reader, ends[0], layout, pair_tracker);
    const Target to = read_one(reader, ends[1], layout, pair_tracker);
    const auto link = std::make_pair(from, to);
    if (std::find(shape.links.begin(), shape.links.end(), link) != shape.links.end()) {
      reader.fail_value(pair, absl::StrCat("link ", format_target(from, layout), " -> ",
                                           format_target(to, layout), " is listed twice"));
    }
    shape.links.push_back(link);
  }
  if (shape.links.empty()) reader.fail_value(at, "expected at least one link, got an empty list");
}

std::string links_label(const PartitionShape& shape, const sim::Layout& layout) {
  std::vector<std::string> parts;
  for (const auto& [from, to] : shape.links) {
    parts.push_back(absl::StrCat(format_target(from, layout), shape.both_ways ? "<->" : "->",
                                 format_target(to, layout)));
  }
  return absl::StrCat("links ", absl::StrJoin(parts, ", "));
}

// Which shape a partition mapping names; bridge comes with groups.
Cursor find_shape(const Reader& reader, const Cursor& map) {
  const bool bridge = reader.find(map, "bridge").has_value();
  std::vector<Cursor> keys;
  for (const auto& [key, value] : reader.entries(map)) {
    const std::string& name = key.node.Scalar();
    if (name == "both_ways" || (bridge && name == "groups")) continue;
    keys.push_back(key);
  }
  if (keys.empty()) reader.fail(map, absl::StrCat("a partition needs a shape: ", kShapes));
  if (keys.size() > 1) {
    reader.fail(keys[1], absl::StrCat("a partition has one shape, but this one has '",
                                      keys[0].node.Scalar(), "' and '", keys[1].node.Scalar(),
                                      "'; write them as two faults"));
  }
  return keys.front();
}

std::string read_shape(const Reader& reader, const Cursor& map, const std::string& name,
                       const sim::Layout& layout, PartitionShape& shape) {
  using Kind = PartitionShape::Kind;
  NodeTracker tracker("the partition", layout);
  const Cursor value = reader.require(map, name);
  if (name == "isolate") {
    shape.kind = Kind::kIsolate;
    shape.members = read_targets(reader, value, layout, &tracker);
    return absl::StrCat("isolate ", format_targets(shape.members, layout));
  }
  if (name == "groups") {
    shape.kind = Kind::kGroups;
    shape.groups = read_groups(reader, value, layout, tracker);
    return absl::StrCat("groups ", format_groups(shape.groups, " | ", layout));
  }
  if (name == "bridge") {
    shape.kind = Kind::kBridge;
    shape.bridge = read_one(reader, value, layout, tracker);
    shape.groups = read_groups(reader, reader.require(map, "groups"), layout, tracker);
    if (shape.groups.size() != 2) {
      reader.fail_value(reader.require(map, "groups"),
                        absl::StrCat("a bridge joins exactly two groups, got ",
                                     shape.groups.size()));
    }
    return absl::StrCat("bridge ", format_target(shape.bridge, layout), " between ",
                        format_groups(shape.groups, " and ", layout));
  }
  if (name == "majority_minority") {
    shape.kind = Kind::kMajorityMinority;
    if (value.node.IsScalar() && value.node.Scalar() == "true") return "majority_minority";
    if (value.node.IsScalar() && value.node.Scalar() == "false") {
      reader.fail_value(value, "write majority_minority: true (the leader's side is the "
                               "minority) or name the minority's members");
    }
    shape.members = read_targets(reader, value, layout, &tracker);
    return absl::StrCat("majority_minority ", format_targets(shape.members, layout));
  }
  if (name == "one_way") {
    shape.kind = Kind::kOneWay;
    reader.expect_schema_keys(value);
    shape.from = read_targets(reader, reader.require(value, "from"), layout, &tracker);
    shape.to = read_targets(reader, reader.require(value, "to"), layout, &tracker);
    return absl::StrCat("one_way ", format_targets(shape.from, layout), " -> ",
                        format_targets(shape.to, layout));
  }
  if (name == "ring") {
    shape.kind = Kind::kRing;
    for (const Cursor& item : reader.items(value, "a list of at least 3 nodes")) {
      shape.members.push_back(read_one(reader, item, layout, tracker));
    }
    if (shape.members.size() < 3) {
      reader.fail_value(value, absl::StrCat("a ring needs at least 3 nodes, got ",
                                            shape.members.size()));
    }
    return absl::StrCat("ring ", format_targets(shape.members, layout));
  }
  shape.kind = Kind::kLinks;
  read_links(reader, value, layout, shape);
  return links_label(shape, layout);
}

void read_partition(const Reader& reader, const Cursor& item, const Cursor& value,
                    const sim::Layout& layout, Fault& fault) {
  fault.kind = FaultKind::kPartition;
  reader.expect_schema_keys(value);
  const Cursor shape_key = find_shape(reader, value);
  const std::string name = shape_key.node.Scalar();
  if (auto both = reader.find(value, "both_ways")) {
    if (name != "links") reader.fail_value(*both, "both_ways applies to the links shape only");
    fault.partition.both_ways = read_bool(reader, *both);
  }
  const std::string label = read_shape(reader, value, name, layout, fault.partition);
  if (auto heal = reader.find(item, "heal_after")) {
    fault.duration = read_duration_range(reader, *heal, Sign::kPositive);
  }
  fault.label = absl::StrCat("partition ", label, after("heal after", fault.duration));
}

// Link degradations ---------------------------------------------------------------------------

// `all` and an absent key both mean every node, which LinkDegradation writes as an empty list.
Targets read_link_ends(const Reader& reader, const Cursor& map, const char* key,
                       const sim::Layout& layout) {
  auto value = reader.find(map, key);
  if (!value) return {};
  Targets targets = read_targets(reader, *value, layout);
  if (targets.size() == 1 && targets[0].kind == Target::Kind::kAll) return {};
  return targets;
}

void read_link(const Reader& reader, const Cursor& item, const Cursor& value,
               const sim::Layout& layout, Fault& fault) {
  fault.kind = FaultKind::kLinkFault;
  reader.expect_schema_keys(value);
  faults::LinkDegradation& link = fault.link;
  link.from = read_link_ends(reader, value, "from", layout);
  link.to = read_link_ends(reader, value, "to", layout);
  std::vector<std::string> changes;
  if (auto at = reader.find(value, "loss")) {
    link.loss = read_ratio(reader, *at);
    changes.push_back(absl::StrCat("loss ", sim::format_ratio(*link.loss)));
  }
  if (auto at = reader.find(value, "duplication")) {
    link.duplication = read_ratio(reader, *at);
    changes.push_back(absl::StrCat("duplication ", sim::format_ratio(*link.duplication)));
  }
  if (auto at = reader.find(value, "reorder"); at && (link.reorder = read_bool(reader, *at))) {
    changes.push_back("reorder");
  }
  if (auto at = reader.find(value, "delay")) {
    link.extra_latency = read_latency(reader, *at);
    changes.push_back(absl::StrCat("delay ", format_latency(*link.extra_latency)));
  }
  if (auto at = reader.find(value, "clog")) {
    link.clog = read_duration(reader, *at, Sign::kPositive);
    changes.push_back(absl::StrCat("clog ", sim::format_duration(*link.clog)));
  }
  if (changes.empty()) {
    reader.fail(value, "a link fault must change something: give loss, duplication, "
                       "reorder: true, delay or clog");
  }
  if (auto heal = reader.find(item, "heal_after")) {
    fault.duration = read_duration_range(reader, *heal, Sign::kPositive);
  }
  const std::string from = link.from.empty() ? "all" : format_targets(link.from, layout);
  const std::string to = link.to.empty() ? "all" : format_targets(link.to, layout);
  fault.label = absl::StrCat("link ", from, " -> ", to, ": ", absl::StrJoin(changes, ", "),
                             after("heal after", fault.duration));
}

// One item ------------------------------------------------------------------------------------

Fault read_fault(const Reader& reader, const Cursor& item, const FaultContext& context) {
  reader.expect_map(item, "a fault: a mapping with 'at' and one action such as crash: leader");
  reader.expect_unique_keys(item);
  const auto [action_key, value] = find_action(reader, item);
  Fault fault;
  fault.source_line = item.mark.is_null() ? 0 : item.mark.line + 1;
  const Cursor at = reader.require(item, "at");
  fault.at = read_duration_range(reader, at, Sign::kNonNegative);
  if (fault.at.hi >= context.duration) {
    reader.fail_value(at, absl::StrCat("fault at ", sim::format_duration_range(fault.at),
                                       " is not before the end of the run (duration ",
                                       sim::format_duration(context.duration), ")"));
  }
  const std::string& action = action_key.node.Scalar();
  if (action == "crash") read_crash(reader, item, value, context.layout, fault);
  if (action == "restart") read_restart(reader, item, value, context.layout, fault);
  if (action == "pause") read_pause(reader, item, value, context.layout, fault);
  if (action == "partition") read_partition(reader, item, value, context.layout, fault);
  if (action == "link") read_link(reader, item, value, context.layout, fault);
  if (action == "heal") read_heal(reader, value, fault);
  if (action == "clock") read_clock(reader, value, context.layout, fault);
  if (action == "resign") read_resign(reader, value, context.layout, fault);
  return fault;
}

// The latest start of another heal that is certainly over before `heal` begins, if any: a
// partition that began before it is certainly healed by then. Precomputed once per heal so that
// checking every heal against every fault stays O(faults x heals), not cubic.
std::optional<sim::Duration> latest_heal_before(const std::vector<Fault>& faults, size_t heal) {
  std::optional<sim::Duration> latest;
  for (size_t k = 0; k < faults.size(); ++k) {
    const Fault& other = faults[k];
    if (k == heal || other.kind != FaultKind::kHeal || other.at.hi >= faults[heal].at.lo) continue;
    if (!latest || other.at.lo > *latest) latest = other.at.lo;
  }
  return latest;
}

// A heal must have something to undo (else the scenario does not test what its author meant):
// some partition or link fault that may have started before it and has not certainly ended,
// either by its own heal_after or by another heal in between.
bool may_be_in_force(const std::vector<Fault>& faults, size_t heal, size_t other,
                     const std::optional<sim::Duration>& heal_between_from) {
  const Fault& h = faults[heal];
  const Fault& f = faults[other];
  if (f.kind != FaultKind::kPartition && f.kind != FaultKind::kLinkFault) return false;
  const bool starts_before = f.at.lo < h.at.hi || (f.at.lo == h.at.hi && other < heal);
  if (!starts_before) return false;
  if (f.duration && f.at.hi + f.duration->hi <= h.at.lo) return false;
  return !(heal_between_from && *heal_between_from > f.at.hi);
}

void check_heals(const Reader& reader, const std::vector<Cursor>& items,
                 const std::vector<Fault>& faults, const FaultContext& context) {
  // Random network faults may be in force at any time.
  if (context.nemesis_touches_network) return;
  for (size_t heal = 0; heal < faults.size(); ++heal) {
    if (faults[heal].kind != FaultKind::kHeal) continue;
    bool any_before = false;
    bool in_force = false;
    const std::optional<sim::Duration> heal_between_from = latest_heal_before(faults, heal);
    for (size_t other = 0; other < faults.size(); ++other) {
      const FaultKind kind = faults[other].kind;
      if (kind != FaultKind::kPartition && kind != FaultKind::kLinkFault) continue;
      any_before = any_before || faults[other].at.lo <= faults[heal].at.hi;
      in_force = in_force || may_be_in_force(faults, heal, other, heal_between_from);
    }
    if (in_force) continue;
    reader.fail(reader.require(items[heal], "heal"),
                absl::StrCat("heal at ", sim::format_duration_range(faults[heal].at),
                             " has nothing to heal: ",
                             any_before ? "every earlier partition or link fault has healed by then"
                                        : "no partition or link fault comes before it"));
  }
}

}  // namespace

std::vector<Fault> read_faults(const Reader& reader, const Cursor& list,
                               const FaultContext& context) {
  const std::vector<Cursor> items = reader.items(list, "a list of faults");
  if (items.size() > kMaxFaults) {
    reader.fail(items[kMaxFaults],
                absl::StrCat("a scenario holds at most ", kMaxFaults, " faults; this is fault ",
                             kMaxFaults + 1, " (use a nemesis to draw many faults from the seed)"));
  }
  std::vector<Fault> faults;
  faults.reserve(items.size());
  for (const Cursor& item : items) faults.push_back(read_fault(reader, item, context));
  check_heals(reader, items, faults, context);
  return faults;
}

}  // namespace electsim::scenarios::loader
