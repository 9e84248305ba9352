// Typed scalar values of a scenario file: durations, ratios, integers, latencies, node targets.
#include <algorithm>

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
      "leader", "follower", "random_follower", "random", "all"};
  return *kRoles;
}

std::string node_range(uint32_t nodes) {
  return nodes == 1 ? "n1 only" : absl::StrCat("n1..n", nodes);
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

Target read_target(const Reader& reader, const Cursor& at, uint32_t nodes) {
  const std::string text =
      reader.scalar(at, absl::StrCat("a node (", node_range(nodes), ") or a role"));
  if (text == "leader") return Target{Target::Kind::kLeader, 0};
  if (text == "follower") return Target{Target::Kind::kFollower, 0};
  if (text == "random_follower") return Target{Target::Kind::kRandomFollower, 0};
  if (text == "random") return Target{Target::Kind::kRandomNode, 0};
  if (text == "all") return Target{Target::Kind::kAll, 0};
  // "n3" or a bare "3"; SimpleAtoi alone would also take "+3" or " 3".
  std::string_view digits = text;
  if (digits.starts_with('n')) digits.remove_prefix(1);
  const bool only_digits = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  int64_t number = 0;
  if (!only_digits || !parse_int(digits, &number)) {
    reader.fail_value(at, absl::StrCat("expected a node (", node_range(nodes),
                                       ") or a role (leader, follower, random_follower, random, "
                                       "all), got '",
                                       text, "'", did_you_mean(text, role_names())));
  }
  if (number == 0) reader.fail_value(at, "node names start at n1 (node numbers are 1-based)");
  if (number > nodes) {
    reader.fail_value(at, absl::StrCat("node n", number, " does not exist; the cluster has ",
                                       node_range(nodes)));
  }
  return Target{Target::Kind::kNode, static_cast<sim::NodeId>(number - 1)};
}

void NodeTracker::add(const Reader& reader, const Cursor& at, const Target& target) {
  // Roles are resolved when the fault fires, so only names and exact repeats are caught here.
  for (const auto& [earlier, path] : seen_) {
    if (earlier == target) {
      reader.fail_value(at, absl::StrCat(format_target(target), " is named twice in ",
                                         within_, " (first at ", path, ")"));
    }
  }
  seen_.emplace_back(target, at.path);
}

faults::Targets read_targets(const Reader& reader, const Cursor& at, uint32_t nodes,
                             NodeTracker* tracker) {
  NodeTracker local("the list");
  NodeTracker& names = tracker != nullptr ? *tracker : local;
  faults::Targets targets;
  if (!at.node.IsSequence()) {
    targets.push_back(read_target(reader, at, nodes));
    names.add(reader, at, targets.back());
    return targets;
  }
  const std::vector<Cursor> items = reader.items(at, "a list of nodes");
  if (items.empty()) reader.fail_value(at, "expected at least one node, got an empty list");
  for (const Cursor& item : items) {
    const Target target = read_target(reader, item, nodes);
    if (target.kind == Target::Kind::kAll && items.size() > 1) {
      reader.fail_value(item, "'all' already names every node; write it alone");
    }
    names.add(reader, item, target);
    targets.push_back(target);
  }
  return targets;
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
  }
  return "?";
}

std::string format_targets(const faults::Targets& targets) {
  if (targets.size() == 1) return format_target(targets.front());
  std::vector<std::string> names;
  for (const Target& target : targets) names.push_back(format_target(target));
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
      {"normal", {"mean", "stddev"}, {"min"}},
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
      reader.fail(key, absl::StrCat("'", name, "' does not apply to a ", distribution,
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
    return sim::LatencyModel::normal(get("mean"), get("stddev"), get_or_zero("min"));
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
                          sim::format_duration(latency.b), ")");
    case Kind::kExponential:
      return absl::StrCat("exponential(", sim::format_duration(latency.a), ")");
  }
  return "?";
}

}  // namespace electsim::scenarios::loader
