#include <algorithm>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "algorithms/registry.h"

namespace electsim::algorithms {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A bound as the user would write it: "1us", "1h", or a plain number for integers.
std::string format_bound(const ParamSpec& spec, int64_t ns) {
  if (spec.type != ParamType::kDuration && spec.type != ParamType::kDurationRange) {
    return absl::StrCat(ns);
  }
  constexpr int64_t kNanosPerMinute = 60'000'000'000;
  constexpr int64_t kNanosPerHour = 60 * kNanosPerMinute;
  if (ns != 0 && ns % kNanosPerHour == 0) return absl::StrCat(ns / kNanosPerHour, "h");
  if (ns != 0 && ns % kNanosPerMinute == 0) return absl::StrCat(ns / kNanosPerMinute, "m");
  return sim::format_duration(sim::Duration::nanoseconds(ns));
}

absl::Status out_of_range(const ParamSpec& spec, std::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(
      "parameter '", spec.name, "' must be between ", format_bound(spec, spec.min), " and ",
      format_bound(spec, spec.max), ", got '", std::string(text), "'"));
}

absl::StatusOr<NodeList> parse_node_list(std::string_view text, uint32_t nodes) {
  text = trim(text);
  if (text.starts_with('[') && text.ends_with(']')) text = trim(text.substr(1, text.size() - 2));
  NodeList list;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? "" : text.substr(comma + 1);
    if (item.starts_with('n')) item.remove_prefix(1);
    uint32_t number = 0;
    if (!absl::SimpleAtoi(absl::string_view(item.data(), item.size()), &number) || number == 0 ||
        number > nodes) {
      return absl::InvalidArgumentError(absl::StrCat("expected node names n1..n", nodes,
                                                     ", got '", std::string(item), "'"));
    }
    if (std::find(list.begin(), list.end(), number - 1) != list.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("node n", number, " is named twice in the list"));
    }
    list.push_back(number - 1);
  }
  return list;
}

}  // namespace

std::string_view param_type_name(ParamType type) {
  switch (type) {
    case ParamType::kBool: return "bool";
    case ParamType::kInt: return "integer";
    case ParamType::kDuration: return "duration";
    case ParamType::kDurationRange: return "duration range";
    case ParamType::kRatio: return "probability";
    case ParamType::kNodeList: return "node list";
  }
  return "unknown";
}

absl::StatusOr<ParamValue> parse_param(const ParamSpec& spec, std::string_view text,
                                       uint32_t nodes) {
  const std::string_view value = trim(text);
  auto wrap = [&](const absl::Status& status) {
    return absl::InvalidArgumentError(
        absl::StrCat("parameter '", spec.name, "': ", std::string(status.message())));
  };
  switch (spec.type) {
    case ParamType::kBool:
      if (value == "true") return ParamValue{true};
      if (value == "false") return ParamValue{false};
      return absl::InvalidArgumentError(absl::StrCat(
          "parameter '", spec.name, "' expects true or false, got '", std::string(value), "'"));
    case ParamType::kInt: {
      int64_t number = 0;
      if (!absl::SimpleAtoi(absl::string_view(value.data(), value.size()), &number)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "parameter '", spec.name, "' expects an integer, got '", std::string(value), "'"));
      }
      if (number < spec.min || number > spec.max) return out_of_range(spec, value);
      return ParamValue{number};
    }
    case ParamType::kDuration: {
      auto duration = sim::parse_duration(value);
      if (!duration.ok()) return wrap(duration.status());
      if (duration->ns() < spec.min || duration->ns() > spec.max) return out_of_range(spec, value);
      return ParamValue{*duration};
    }
    case ParamType::kDurationRange: {
      auto range = sim::parse_duration_range(value);
      if (!range.ok()) return wrap(range.status());
      if (range->lo.ns() < spec.min || range->hi.ns() > spec.max) return out_of_range(spec, value);
      return ParamValue{*range};
    }
    case ParamType::kRatio: {
      auto ratio = sim::parse_ratio(value);
      if (!ratio.ok()) return wrap(ratio.status());
      return ParamValue{*ratio};
    }
    case ParamType::kNodeList: {
      auto list = parse_node_list(value, nodes);
      if (!list.ok()) return wrap(list.status());
      return ParamValue{*list};
    }
  }
  return absl::InternalError("unknown parameter type");
}

std::string format_param(const ParamValue& value) {
  struct Formatter {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t n) const { return absl::StrCat(n); }
    std::string operator()(sim::Duration d) const { return sim::format_duration(d); }
    std::string operator()(const sim::DurationRange& r) const {
      return sim::format_duration_range(r);
    }
    std::string operator()(const sim::Ratio& r) const { return sim::format_ratio(r); }
    std::string operator()(const NodeList& list) const {
      std::vector<std::string> names;
      for (sim::NodeId node : list) names.push_back(absl::StrCat("n", node + 1));
      return absl::StrCat("[", absl::StrJoin(names, ", "), "]");
    }
  };
  return std::visit(Formatter{}, value);
}

absl::StatusOr<Params> resolve_params(const AlgorithmInfo& info, Params given, uint32_t nodes) {
  for (const auto& entry : given) {
    // Not a structured binding: clang 14 cannot capture one in a lambda.
    const std::string& name = entry.first;
    const bool known = std::any_of(info.params.begin(), info.params.end(),
                                   [&](const ParamSpec& spec) { return spec.name == name; });
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("algorithm '", info.name, "' has no parameter '", name, "'"));
    }
  }
  for (const ParamSpec& spec : info.params) {
    if (given.contains(spec.name) || spec.default_text.empty()) continue;
    auto value = parse_param(spec, spec.default_text, nodes);
    SIM_CHECK(value.ok(), "a built-in default does not parse");
    given.emplace(spec.name, *value);
  }
  if (info.resolve) {
    if (absl::Status status = info.resolve(given, nodes); !status.ok()) return status;
  }
  return given;
}

}  // namespace electsim::algorithms
