#include "scenarios/cli_list.h"

#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "algorithms/registry.h"
#include "scenarios/builtin_scenarios.h"
#include "scenarios/schema.h"
#include "sim/checks/checks.h"
#include "sim/checks/profile.h"
#include "sim/layout.h"

namespace electsim::scenarios {
namespace {

std::string kind_name(sim::checks::CheckKind kind) {
  switch (kind) {
    case sim::checks::CheckKind::kAlways: return "always";
    case sim::checks::CheckKind::kEventually: return "eventually";
    case sim::checks::CheckKind::kSometimes: return "sometimes";
  }
  return "";
}

// What each kind of process is, for `electsim list` (sim/layout.h).
std::string_view process_kind_doc(sim::ProcessKind kind) {
  switch (kind) {
    case sim::ProcessKind::kMember:
      return "a member of an election group: votes, may lead; only members count in a group's "
             "majority";
    case sim::ProcessKind::kService:
      return "a replica of the coordination service (ZooKeeper, etcd, the Kubernetes API) that "
             "the lease recipes run against; never counted in any group's majority";
    case sim::ProcessKind::kResource:
      return "the fenced resource (r1) that every leader writes to with its token, every "
             "resource.write_every while it leads; keeps each group's highest token durably and "
             "refuses stale ones by resource.fencing (on, equal-ok, off); never a voter";
    case sim::ProcessKind::kClient:
      return "sends requests and never votes";
  }
  return "";
}

// "2 x election_timeout.lo + ..." for a bounded rule, else nothing more to say.
std::string exclusivity_text(const sim::checks::CheckProfile& profile) {
  return profile.bound_formula.empty()
             ? std::string(sim::checks::exclusivity_rule_name(profile.exclusivity))
             : absl::StrCat(std::string(sim::checks::exclusivity_rule_name(profile.exclusivity)),
                            " (",
                            profile.bound_formula, ")");
}

nlohmann::json profile_json(const sim::checks::CheckProfile& profile) {
  return {{"progress", std::string(sim::checks::progress_model_name(profile.progress))},
          {"exclusivity", std::string(sim::checks::exclusivity_rule_name(profile.exclusivity))},
          {"bound_formula", profile.bound_formula},
          {"token", profile.token},
          {"reports_support", profile.reports_support}};
}

}  // namespace

std::string list_text() {
  std::string out = "ALGORITHMS (--algorithm NAME, algorithm.name)\n";
  for (const algorithms::AlgorithmInfo& info : algorithms::registry()) {
    absl::StrAppend(&out, "  ", info.name, ": ", info.summary, "\n");
    absl::StrAppend(&out, "    check profile: progress ",
                    std::string(sim::checks::progress_model_name(info.profile.progress)),
                    "; exclusivity ",
                    exclusivity_text(info.profile), "; token ", info.profile.token,
                    "; reports support: ", info.profile.reports_support ? "yes" : "no", "\n");
    for (const algorithms::ParamSpec& spec : info.params) {
      absl::StrAppend(&out, absl::StrFormat("    algorithm.params.%-26s %-15s default %-14s %s\n",
                                            spec.name, std::string(param_type_name(spec.type)),
                                            spec.default_text.empty() ? "(derived)"
                                                                      : spec.default_text,
                                            spec.doc));
    }
  }
  const auto planned = algorithms::planned_algorithms();
  if (!planned.empty()) {
    absl::StrAppend(&out, "  not implemented yet: ", absl::StrJoin(planned, ", "), "\n");
  }
  absl::StrAppend(&out, "\nPROCESS KINDS (what runs on a host)\n");
  for (sim::ProcessKind kind : sim::kAllProcessKinds) {
    absl::StrAppend(&out, absl::StrFormat("  %-10s %s\n", std::string(sim::process_kind_name(kind)),
                                          std::string(process_kind_doc(kind))));
  }
  absl::StrAppend(&out, "\nSCENARIO KEYS (docs/SCENARIOS.md has the full reference)\n");
  for (const KeyDoc& key : scenario_keys()) {
    absl::StrAppend(&out, absl::StrFormat("  %-44s %-16s default %-12s %s\n", key.path, key.type,
                                          key.default_text, key.doc));
  }
  absl::StrAppend(&out, "\nBUILT-IN SCENARIOS (scenarios/library; run by name: electsim run NAME)\n");
  for (const BuiltinScenario& scenario : builtin_scenarios()) {
    absl::StrAppend(&out, absl::StrFormat("  %-38s %s\n", scenario.name, scenario.description));
  }
  absl::StrAppend(&out, "\nCHECKS\n");
  for (const auto& check : sim::checks::check_catalogue()) {
    absl::StrAppend(&out, absl::StrFormat("  %-28s %-10s %s\n", check.name,
                                          kind_name(check.kind), check.description));
  }
  absl::StrAppend(&out, "\nSOMETIMES GOALS (checks.sometimes)\n");
  for (const auto& goal : sim::checks::goal_catalogue()) {
    absl::StrAppend(&out, absl::StrFormat("  %-28s %s\n", goal.name, goal.description));
  }
  return out;
}

std::string list_json() {
  nlohmann::json out;
  out["algorithms"] = nlohmann::json::array();
  for (const algorithms::AlgorithmInfo& info : algorithms::registry()) {
    nlohmann::json params = nlohmann::json::array();
    for (const algorithms::ParamSpec& spec : info.params) {
      params.push_back({{"name", spec.name},
                        {"type", std::string(param_type_name(spec.type))},
                        {"default", spec.default_text},  // "" when derived from others
                        {"doc", spec.doc},
                        {"min", spec.min},
                        {"max", spec.max}});
    }
    out["algorithms"].push_back(
        {{"name", info.name},
         {"summary", info.summary},
         {"params", std::move(params)},
         {"check_profile", profile_json(info.profile)}});
  }
  out["planned_algorithms"] = algorithms::planned_algorithms();
  out["process_kinds"] = nlohmann::json::array();
  for (sim::ProcessKind kind : sim::kAllProcessKinds) {
    out["process_kinds"].push_back({{"name", std::string(sim::process_kind_name(kind))},
                                    {"description", std::string(process_kind_doc(kind))}});
  }
  out["scenario_keys"] = nlohmann::json::array();
  for (const KeyDoc& key : scenario_keys()) {
    out["scenario_keys"].push_back(
        {{"path", key.path}, {"type", key.type}, {"default", key.default_text}, {"doc", key.doc}});
  }
  out["builtin_scenarios"] = nlohmann::json::array();
  for (const BuiltinScenario& scenario : builtin_scenarios()) {
    out["builtin_scenarios"].push_back(
        {{"name", scenario.name}, {"description", scenario.description}});
  }
  out["checks"] = nlohmann::json::array();
  for (const auto& check : sim::checks::check_catalogue()) {
    out["checks"].push_back({{"name", check.name},
                             {"kind", kind_name(check.kind)},
                             {"description", check.description}});
  }
  out["goals"] = nlohmann::json::array();
  for (const auto& goal : sim::checks::goal_catalogue()) {
    out["goals"].push_back({{"name", goal.name}, {"description", goal.description}});
  }
  return out.dump(2) + "\n";
}

}  // namespace electsim::scenarios
