#include "sim/checks/profile.h"

namespace electsim::sim::checks {

std::string_view progress_model_name(ProgressModel model) {
  switch (model) {
    case ProgressModel::kGroupMajority: return "group_majority";
    case ProgressModel::kServiceReachable: return "service_reachable";
    case ProgressModel::kNone: return "none";
  }
  return "unknown";
}

std::string_view exclusivity_rule_name(ExclusivityRule rule) {
  switch (rule) {
    case ExclusivityRule::kUntilSuperseded: return "until_superseded";
    case ExclusivityRule::kBounded: return "bounded";
    case ExclusivityRule::kStrict: return "strict";
  }
  return "unknown";
}

std::optional<ExclusivityRule> parse_exclusivity_rule(std::string_view name) {
  for (ExclusivityRule rule : {ExclusivityRule::kUntilSuperseded, ExclusivityRule::kBounded,
                               ExclusivityRule::kStrict}) {
    if (exclusivity_rule_name(rule) == name) return rule;
  }
  return std::nullopt;
}

}  // namespace electsim::sim::checks
