// Typed scalar values of a scenario file: durations, ratios, integers, latencies, node targets.
#include <algorithm>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scenarios/loader_internal.h"
#include "scenarios/suggest.h"
#include "scenarios/utf8.h"
#include "sim/clock.h"

namespace electsim::scenarios::loader {
namespace {

using faults::Target;

constexpr std::string_view kDurationExample = "a duration such as 150ms";

bool parse_int(std::string_view text, int64_t* value) {
  return absl::SimpleAtoi(absl::string_view(text.data(), text.size()), value);
}

// The longest time a scenario may name: its duration, a fault's time, a latency, a clock
// offset. A run needs events in proportion to its duration, which the event budget judges; this
// bound keeps every sum of times far from int64 overflow (292 years) and catches a typo such as
// `duration: 9223372036854775807ns` with a message in units.
constexpr sim::Duration kMaxScenarioTime = sim::Duration::seconds(720 * 3600);
constexpr char kMaxScenarioTimeText[] = "720h (30 days)";

void check_sign(const Reader& reader, const Cursor& at, sim::Duration value, Sign sign) {
  if (sign == Sign::kPositive && value <= sim::Duration::zero()) {
    reader.fail_value(at, absl::StrCat("must be a positive duration, got '",
                                       sim::format_duration(value), "'"));
  }
  if (value > kMaxScenarioTime || value < sim::Duration::zero() - kMaxScenarioTime) {
    reader.fail_value(at, absl::StrCat("must be at most ", kMaxScenarioTimeText,
                                       sign == Sign::kAny ? " either way" : "", ", got '",
                                       at.node.Scalar(), "'"));
  }
}

// A range written lo..hi whose ends may be negative (clock offsets and jumps).
sim::DurationRange parse_signed_range(const Reader& reader, const Cursor& at,
                                      const std::string& text) {
  auto fail_with = [&](const absl::Status& status) {
    reader.fail_value(at, std::string(status.message()));
  };
  const size_t dots = text.find("..", 1);
  if (dots == std::string::npos) {
    auto single = sim::parse_duration(text, /*allow_negative=*/true);
    if (!single.ok()) fail_with(single.status());
    return {*single, *single};
  }
  auto lo = sim::parse_duration(std::string_view(text).substr(0, dots), true);
  if (!lo.ok()) fail_with(lo.status());
  auto hi = sim::parse_duration(std::string_view(text).substr(dots + 2), true);
  if (!hi.ok()) fail_with(hi.status());
  if (*lo > *hi) {
    reader.fail_value(at, absl::StrCat("expected a range lo..hi with lo <= hi, got '", text, "'"));
  }
  return {*lo, *hi};
}

const std::vector<std::string>& role_names() {
  static const std::vector<std::string>* const kRoles = new std::vector<std::string>{
      "leader", "follower", "random_follower", "random", "all", "busiest_host", "service_host",
      "resource_host"};
  return *kRoles;
}

}  // namespace

int64_t max_drift_ppm() { return sim::LocalClock::kMaxDriftPpm - 1; }

std::string read_string(const Reader& reader, const Cursor& at) {
  std::string text = reader.scalar(at, "a string");
  // Strings reach JSON reports, whose writer refuses invalid UTF-8.
  if (const std::optional<size_t> bad = first_invalid_utf8(text)) {
    reader.fail_value(at, invalid_utf8_message(text, *bad));
  }
  return text;
}

bool read_bool(const Reader& reader, const Cursor& at) {
  const std::string text = reader.scalar(at, "true or false");
  if (text == "true") return true;
  if (text == "false") return false;
  reader.fail_value(at, absl::StrCat("expected true or false, got '", text, "'"));
}

int64_t read_int(const Reader& reader, const Cursor& at, int64_t lo, int64_t hi) {
  const std::string text = reader.scalar(at, "an integer");
  int64_t value = 0;
  if (!parse_int(text, &value)) {
    reader.fail_value(at, absl::StrCat("expected an integer, got '", text, "'"));
  }
  if (value < lo || value > hi) {
    reader.fail_value(at, absl::StrCat("must be between ", lo, " and ", hi, ", got ", value));
  }
  return value;
}

std::pair<int64_t, int64_t> read_int_range(const Reader& reader, const Cursor& at, int64_t lo,
                                           int64_t hi) {
  const std::string text = reader.scalar(at, "an integer or a range lo..hi");
  // Skip the first character so that a leading minus sign is not taken for part of "..".
  const size_t dots = text.find("..", 1);
  int64_t first = 0;
  int64_t last = 0;
  const bool ok = dots == std::string::npos
                      ? parse_int(text, &first) && (last = first, true)
                      : parse_int(text.substr(0, dots), &first) &&
                            parse_int(text.substr(dots + 2), &last);
  if (!ok) {
    reader.fail_value(at,
                      absl::StrCat("expected an integer or a range lo..hi such as -100..100, got '",
                                   text, "'"));
  }
  if (first > last) {
    reader.fail_value(at, absl::StrCat("expected a range lo..hi with lo <= hi, got '", text, "'"));
  }
  if (first < lo || last > hi) {
    reader.fail_value(at,
                      absl::StrCat("must be between ", lo, " and ", hi, ", got '", text, "'"));
  }
  return {first, last};
}

sim::Duration read_duration(const Reader& reader, const Cursor& at, Sign sign) {
  const std::string text = reader.scalar(at, kDurationExample);
  auto value = sim::parse_duration(text, sign == Sign::kAny);
  if (!value.ok()) reader.fail_value(at, std::string(value.status().message()));
  check_sign(reader, at, *value, sign);
  return *value;
}

sim::DurationRange read_duration_range(const Reader& reader, const Cursor& at, Sign sign) {
  const std::string text = reader.scalar(at, "a duration or a range such as 150ms..300ms");
  sim::DurationRange range;
  if (sign == Sign::kAny) {
    range = parse_signed_range(reader, at, text);
  } else {
    auto parsed = sim::parse_duration_range(text);
    if (!parsed.ok()) reader.fail_value(at, std::string(parsed.status().message()));
    range = *parsed;
  }
  check_sign(reader, at, range.lo, sign);
  check_sign(reader, at, range.hi, sign);
  return range;
}

sim::Ratio read_ratio(const Reader& reader, const Cursor& at) {
  const std::string text = reader.scalar(at, "a probability such as 0.01, 1% or 1/100");
  auto value = sim::parse_ratio(text);
  if (!value.ok()) reader.fail_value(at, std::string(value.status().message()));
  return *value;
}

// Target parsing ----------------------------------------------------------------------------

namespace {

constexpr std::string_view kLeaderOfGroup = "leader of group ";

std::string range_text(const std::string& prefix, uint32_t count) {
  if (count == 0) return "none";
  return count == 1 ? absl::StrCat(prefix, "1 only") : absl::StrCat(prefix, "1..", prefix, count);
}

// What a target may name in this layout, for messages: "a node (n1..n5) or a role".
std::string expected_targets(const sim::Layout& layout) {
  if (layout.is_single_group()) {
    return absl::StrCat("a node (", range_text("n", layout.processes()), ") or a role");
  }
  return absl::StrCat("a host (", range_text("h", layout.hosts()), "), a process (",
                      layout.groups() == 1 ? "n1 or g1.n1" : "g1.n1", ", s1, r1, c1) or a role");
}

// The number after `prefix` in `text` ("n3" -> 3), or nullopt when the rest is not digits.
std::optional<int64_t> numbered(std::string_view text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return std::nullopt;
  text.remove_prefix(prefix.size());
  const bool only_digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  int64_t number = 0;
  if (!only_digits || !parse_int(text, &number)) return std::nullopt;
  return number;
}

// Checks a 1-based number against how many exist; returns its 0-based id.
uint32_t checked_index(const Reader& reader, const Cursor& at, const std::string& prefix,
                       int64_t number, uint32_t count, const std::string& what) {
  if (number == 0) {
    reader.fail_value(at,
                      absl::StrCat(what, " names start at ", prefix, "1 (numbers are 1-based)"));
  }
  if (number > count) {
    reader.fail_value(
        at, absl::StrCat(what, " ", prefix, number, " does not exist; the cluster has ",
                         count == 0 ? absl::StrCat("no ", what) : range_text(prefix, count)));
  }
  return static_cast<uint32_t>(number - 1);
}

// "g7.n2": member 2 of group 7, as a process id.
std::optional<Target> read_group_member(const Reader& reader, const Cursor& at,
                                        const std::string& text, const sim::Layout& layout) {
  const size_t dot = text.find('.');
  if (dot == std::string::npos) return std::nullopt;
  const auto group = numbered(std::string_view(text).substr(0, dot), "g");
  const auto member = numbered(std::string_view(text).substr(dot + 1), "n");
  if (!group || !member) return std::nullopt;
  const uint32_t g = checked_index(reader, at, "g", *group, layout.groups(), "group");
  const auto members = layout.members(g);
  const uint32_t i = checked_index(reader, at, absl::StrCat("g", *group, ".n"), *member,
                                   static_cast<uint32_t>(members.size()), "member");
  return Target{Target::Kind::kNode, members[i], 0};
}

// "s1", "r1", "c4": a service, resource or client process by its index among its kind.
std::optional<Target> read_kind_process(const Reader& reader, const Cursor& at,
                                        const std::string& text, const sim::Layout& layout) {
  struct Prefix {
    const char* letter;
    sim::ProcessKind kind;
    const char* what;
  };
  constexpr Prefix kPrefixes[] = {{"s", sim::ProcessKind::kService, "service"},
                                  {"r", sim::ProcessKind::kResource, "resource"},
                                  {"c", sim::ProcessKind::kClient, "client"}};
  for (const Prefix& prefix : kPrefixes) {
    const auto number = numbered(text, prefix.letter);
    if (!number) continue;
    const auto processes = layout.of_kind(prefix.kind);
    const uint32_t i = checked_index(reader, at, prefix.letter, *number,
                                     static_cast<uint32_t>(processes.size()), prefix.what);
    return Target{Target::Kind::kNode, processes[i], 0};
  }
  return std::nullopt;
}

// "leader of group 7".
std::optional<Target> read_leader_of_group(const Reader& reader, const Cursor& at,
                                           const std::string& text, const sim::Layout& layout) {
  if (!text.starts_with(kLeaderOfGroup)) return std::nullopt;
  const auto number = numbered(std::string_view(text).substr(kLeaderOfGroup.size()), "");
  if (!number) {
    reader.fail_value(at, absl::StrCat("expected 'leader of group N' with N a group number (",
                                       range_text("", layout.groups()), "), got '", text, "'"));
  }
  if (*number == 0 || *number > layout.groups()) {
    reader.fail_value(at, absl::StrCat("group ", *number, " does not exist; the cluster has ",
                                       layout.groups() == 1 ? "group 1 only"
                                                            : absl::StrCat("groups 1..",
                                                                           layout.groups())));
  }
  return Target{Target::Kind::kLeaderOfGroup, 0, static_cast<uint32_t>(*number - 1)};
}

// "n3" or a bare "3": member 3 of the only group.
std::optional<Target> read_single_group_member(const Reader& reader, const Cursor& at,
                                               const std::string& text,
                                               const sim::Layout& layout) {
  auto number = numbered(text, "n");
  if (!number) number = numbered(text, "");
  if (!number) return std::nullopt;
  if (layout.groups() != 1) {
    reader.fail_value(at, absl::StrCat("'", text, "' is ambiguous: this cluster has ",
                                       layout.groups(), " groups; name a member as g1.n",
                                       *number, " or a host as h", *number));
  }
  const auto members = layout.members(0);
  if (*number == 0) reader.fail_value(at, "node names start at n1 (node numbers are 1-based)");
  if (*number > static_cast<int64_t>(members.size())) {
    reader.fail_value(at, absl::StrCat("node n", *number, " does not exist; the cluster has ",
                                       range_text("n", static_cast<uint32_t>(members.size()))));
  }
  return Target{Target::Kind::kNode, members[static_cast<size_t>(*number - 1)], 0};
}

// leader, follower and random_follower mean the only group's.
void check_role_has_one_group(const Reader& reader, const Cursor& at, const std::string& role,
                              const sim::Layout& layout) {
  if (layout.groups() == 1) return;
  reader.fail_value(at, absl::StrCat("'", role, "' names a role in the only group, but this "
                                     "cluster has ", layout.groups(),
                                     " groups; write 'leader of group N' (N in ",
                                     range_text("", layout.groups()), ") or busiest_host"));
}

}  // namespace

sim::HostId read_host(const Reader& reader, const Cursor& at, uint32_t hosts) {
  const std::string text = reader.scalar(at, "a host such as h1");
  const auto number = numbered(text, "h");
  if (!number) {
    reader.fail_value(at, absl::StrCat("expected a host (", range_text("h", hosts), "), got '",
                                       text, "'"));
  }
  return checked_index(reader, at, "h", *number, hosts, "host");
}

Target read_target(const Reader& reader, const Cursor& at, const sim::Layout& layout) {
  const std::string text = reader.scalar(at, expected_targets(layout));
  if (text == "leader" || text == "follower" || text == "random_follower") {
    check_role_has_one_group(reader, at, text, layout);
  }
  if (text == "leader") return Target{Target::Kind::kLeader, 0, 0};
  if (text == "follower") return Target{Target::Kind::kFollower, 0, 0};
  if (text == "random_follower") return Target{Target::Kind::kRandomFollower, 0, 0};
  if (text == "random") return Target{Target::Kind::kRandomNode, 0, 0};
  if (text == "all") return Target{Target::Kind::kAll, 0, 0};
  if (text == "busiest_host") return Target{Target::Kind::kBusiestHost, 0, 0};
  if (text == "service_host") {
    if (layout.of_kind(sim::ProcessKind::kService).empty()) {
      reader.fail_value(at, "service_host names a host running a service, and this cluster has "
                            "no service (cluster.service lists its hosts)");
    }
    return Target{Target::Kind::kServiceHost, 0, 0};
  }
  if (text == "resource_host") {
    if (layout.of_kind(sim::ProcessKind::kResource).empty()) {
      reader.fail_value(at, "resource_host names the fenced resource's host, and this scenario "
                            "has no resource (add a `resource:` section)");
    }
    return Target{Target::Kind::kResourceHost, 0, 0};
  }
  if (auto target = read_leader_of_group(reader, at, text, layout)) return *target;
  if (numbered(text, "h"))
    return Target{Target::Kind::kHost, read_host(reader, at, layout.hosts()), 0};
  if (auto target = read_group_member(reader, at, text, layout)) return *target;
  if (auto target = read_kind_process(reader, at, text, layout)) return *target;
  if (auto target = read_single_group_member(reader, at, text, layout)) return *target;
  reader.fail_value(at, absl::StrCat("expected ", expected_targets(layout),
                                     " (leader, follower, random_follower, random, all, "
                                     "leader of group N, busiest_host, service_host, resource_host), got '",
                                     text, "'", did_you_mean(text, role_names())));
}

void NodeTracker::add(const Reader& reader, const Cursor& at, const Target& target) {
  // Roles are resolved when the fault fires, so only names and exact repeats are caught here.
  for (const auto& [earlier, path] : seen_) {
    if (earlier == target) {
      reader.fail_value(at, absl::StrCat(format_target(target, *layout_), " is named twice in ",
                                         within_, " (first at ", path, ")"));
    }
  }
  seen_.emplace_back(target, at.path);
}

faults::Targets read_targets(const Reader& reader, const Cursor& at, const sim::Layout& layout,
                             NodeTracker* tracker) {
  NodeTracker local("the list", layout);
  NodeTracker& names = tracker != nullptr ? *tracker : local;
  faults::Targets targets;
  if (!at.node.IsSequence()) {
    targets.push_back(read_target(reader, at, layout));
    names.add(reader, at, targets.back());
    return targets;
  }
  const std::vector<Cursor> items = reader.items(at, "a list of nodes");
  if (items.empty()) reader.fail_value(at, "expected at least one node, got an empty list");
  for (const Cursor& item : items) {
    const Target target = read_target(reader, item, layout);
    if (target.kind == Target::Kind::kAll && items.size() > 1) {
      reader.fail_value(item, "'all' already names every node; write it alone");
    }
    names.add(reader, item, target);
    targets.push_back(target);
  }
  return targets;
}

std::string format_target(const Target& target, const sim::Layout& layout) {
  if (target.kind == Target::Kind::kNode && target.node < layout.processes()) {
    return layout.process_name(target.node);
  }
  return format_target(target);
}

std::string format_target(const Target& target) {
  switch (target.kind) {
    case Target::Kind::kNode: return node_name(target.node);
    case Target::Kind::kLeader: return "leader";
    case Target::Kind::kFollower: return "follower";
    case Target::Kind::kRandomFollower: return "random_follower";
    case Target::Kind::kRandomNode: return "random";
    case Target::Kind::kAll: return "all";
    case Target::Kind::kHost: return absl::StrCat("h", target.node + 1);
    case Target::Kind::kLeaderOfGroup: return absl::StrCat("leader of group ", target.group + 1);
    case Target::Kind::kBusiestHost: return "busiest_host";
    case Target::Kind::kServiceHost: return "service_host";
    case Target::Kind::kResourceHost: return "resource_host";
  }
  return "?";
}

std::string format_targets(const faults::Targets& targets, const sim::Layout& layout) {
  if (targets.size() == 1) return format_target(targets.front(), layout);
  std::vector<std::string> names;
  for (const Target& target : targets) names.push_back(format_target(target, layout));
  return absl::StrCat("[", absl::StrJoin(names, ", "), "]");
}

// Latency ------------------------------------------------------------------------------------

namespace {

struct LatencyFields {
  const char* distribution;
  std::vector<std::string> required;
  std::vector<std::string> optional;
};

const std::vector<LatencyFields>& latency_fields() {
  static const std::vector<LatencyFields>* const kFields = new std::vector<LatencyFields>{
      {"constant", {"value"}, {}},
      {"uniform", {"min", "max"}, {}},
      {"normal", {"mean", "stddev"}, {"min", "below_min"}},
      {"exponential", {"mean"}, {"min"}},
  };
  return *kFields;
}

sim::LatencyModel read_latency_map(const Reader& reader, const Cursor& at) {
  reader.expect_schema_keys(at);
  const std::string distribution =
      reader.find(at, "distribution") ? read_string(reader, reader.require(at, "distribution"))
                                      : "constant";
  const auto& all = latency_fields();
  auto fields = std::find_if(all.begin(), all.end(), [&](const LatencyFields& f) {
    return distribution == f.distribution;
  });
  if (fields == all.end()) {
    std::vector<std::string> names;
    for (const LatencyFields& f : all) names.emplace_back(f.distribution);
    reader.fail_value(reader.require(at, "distribution"),
                      absl::StrCat("unknown distribution '", distribution,
                                   "'; expected constant, uniform, normal or exponential",
                                   did_you_mean(distribution, names)));
  }
  for (const auto& [key, value] : reader.entries(at)) {
    const std::string& name = key.node.Scalar();
    if (name == "distribution") continue;
    const bool applies =
        std::find(fields->required.begin(), fields->required.end(), name) !=
            fields->required.end() ||
        std::find(fields->optional.begin(), fields->optional.end(), name) != fields->optional.end();
    if (!applies) {
      std::vector<std::string> takes = fields->required;
      takes.insert(takes.end(), fields->optional.begin(), fields->optional.end());
      reader.fail(key, absl::StrCat("'", name, "' does not apply to ",
                                    distribution == "exponential" ? "an " : "a ", distribution,
                                    " latency; it takes ", absl::StrJoin(takes, ", ")));
    }
  }
  auto get = [&](const char* key) {
    return read_duration(reader, reader.require(at, key), Sign::kNonNegative);
  };
  auto get_or_zero = [&](const char* key) {
    auto value = reader.find(at, key);
    return value ? read_duration(reader, *value, Sign::kNonNegative) : sim::Duration::zero();
  };
  if (distribution == "constant") return sim::LatencyModel::constant(get("value"));
  if (distribution == "uniform") {
    const sim::Duration lo = get("min");
    const sim::Duration hi = get("max");
    if (lo > hi) {
      reader.fail_value(reader.require(at, "max"),
                        absl::StrCat("max (", sim::format_duration(hi), ") is below min (",
                                     sim::format_duration(lo), ")"));
    }
    return sim::LatencyModel::uniform(lo, hi);
  }
  if (distribution == "normal") {
    const sim::Duration mean = get("mean");
    const sim::Duration stddev = get("stddev");
    const sim::Duration min = get_or_zero("min");
    bool redraw = false;
    if (auto below = reader.find(at, "below_min")) {
      const std::string how = read_string(reader, *below);
      if (how != "raise" && how != "redraw") {
        reader.fail_value(*below, absl::StrCat("unknown below_min '", how,
                                               "'; expected raise or redraw",
                                               did_you_mean(how, {"raise", "redraw"})));
      }
      redraw = how == "redraw";
      // Redrawing must succeed often enough to be bounded: above mean + 2 sd fewer than 2.3% of
      // draws are kept, and sim::Rng gives up (and takes min) after kMaxRedraws tries.
      if (redraw && min > mean + stddev * 2) {
        reader.fail_value(reader.require(at, "min"),
                          absl::StrCat("with below_min: redraw, min (", sim::format_duration(min),
                                       ") must be at most mean + 2 x stddev (",
                                       sim::format_duration(mean + stddev * 2),
                                       "), or almost every draw would be drawn again"));
      }
    }
    return sim::LatencyModel::normal(mean, stddev, min, redraw);
  }
  return sim::LatencyModel::exponential(get("mean"), get_or_zero("min"));
}

}  // namespace

sim::LatencyModel read_latency(const Reader& reader, const Cursor& at) {
  if (at.node.IsMap()) return read_latency_map(reader, at);
  const std::string text = reader.scalar(
      at, "a latency: a duration, a range lo..hi, or a mapping with 'distribution'");
  if (text.find("..") != std::string::npos) {
    const sim::DurationRange range = read_duration_range(reader, at, Sign::kNonNegative);
    return sim::LatencyModel::uniform(range.lo, range.hi);
  }
  return sim::LatencyModel::constant(read_duration(reader, at, Sign::kNonNegative));
}

std::string format_latency(const sim::LatencyModel& latency) {
  using Kind = sim::LatencyModel::Kind;
  switch (latency.kind) {
    case Kind::kConstant: return sim::format_duration(latency.a);
    case Kind::kUniform:
      return absl::StrCat(sim::format_duration(latency.a), "..", sim::format_duration(latency.b));
    case Kind::kNormal:
      return absl::StrCat("normal(", sim::format_duration(latency.a), ", ",
                          sim::format_duration(latency.b),
                          latency.redraw_below_min
                              ? absl::StrCat(", redrawn below ", sim::format_duration(latency.min))
                              : "",
                          ")");
    case Kind::kExponential:
      return absl::StrCat("exponential(", sim::format_duration(latency.a), ")");
  }
  return "?";
}

}  // namespace electsim::scenarios::loader
