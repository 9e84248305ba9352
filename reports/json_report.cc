#include "reports/json_report.h"

#include <cstdio>
#include <fstream>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "sim/layout.h"

namespace electsim::reports {
namespace {

using Json = nlohmann::ordered_json;

Json node_names(const std::vector<sim::NodeId>& nodes) {
  Json names = Json::array();
  for (sim::NodeId node : nodes) names.push_back(absl::StrCat("n", node + 1));
  return names;
}

// Durations carry their unit in the key (DESIGN.md, "JSON of a run"): a duration or a duration
// range is written as integer nanoseconds under "<name>_ns"; every other type keeps its name.
std::string param_key(const RunParam& param) {
  const bool is_time = std::holds_alternative<sim::Duration>(param.value) ||
                       std::holds_alternative<sim::DurationRange>(param.value);
  return is_time ? absl::StrCat(param.name, "_ns") : param.name;
}

Json param_json(const ParamValue& value) {
  struct ToJson {
    Json operator()(bool flag) const { return flag; }
    Json operator()(int64_t number) const { return number; }
    Json operator()(sim::Duration duration) const { return duration.ns(); }
    Json operator()(const sim::DurationRange& range) const {
      return Json::array({range.lo.ns(), range.hi.ns()});
    }
    // A ratio as a number (0.01 for 1/100): the double nearest the ratio is exactly defined.
    Json operator()(const sim::Ratio& ratio) const {
      if (ratio.den == 0) return 0.0;
      return static_cast<double>(ratio.num) / static_cast<double>(ratio.den);
    }
    Json operator()(const std::vector<sim::NodeId>& nodes) const { return node_names(nodes); }
  };
  return std::visit(ToJson{}, value);
}

// Process names as the run's layout gives them: "g7.n2" with several groups, else "n2".
Json process_names(const RunResult& run, const std::vector<sim::NodeId>& nodes) {
  if (run.checks.layout == nullptr || run.checks.layout->is_single_group()) {
    return node_names(nodes);
  }
  Json names = Json::array();
  for (sim::NodeId node : nodes) {
    names.push_back(node < run.checks.layout->processes() ? run.checks.layout->process_name(node)
                                                          : absl::StrCat("n", node + 1));
  }
  return names;
}

bool has_several_groups(const RunResult& run) {
  return run.checks.layout != nullptr && run.checks.layout->groups() > 1;
}

std::string group_name(sim::GroupId group) {
  return group == sim::kNoGroup ? std::string() : sim::Layout::group_name(group);
}

// A process's name as the run's layout gives it ("n2", or "g7.n2" with several groups).
std::string process_name(const RunResult& run, sim::NodeId node) {
  return process_names(run, {node}).front().get<std::string>();
}

// `writes`: {sent, accepted, refused}; null when the run had no resource, so that nothing reads
// as a zero that nothing measured.
Json writes_json(const RunResult& run) {
  if (!run.checks.writes) return nullptr;
  const sim::checks::WriteFigures& writes = *run.checks.writes;
  return Json{{"sent", writes.sent}, {"accepted", writes.accepted}, {"refused", writes.refused}};
}

Json first_stale_write_json(const RunResult& run) {
  if (!run.checks.writes || !run.checks.writes->first_stale_write) return nullptr;
  const sim::checks::StaleWrite& stale = *run.checks.writes->first_stale_write;
  return Json{{"writer", process_name(run, stale.writer)},
              {"time_ns", stale.time.ns()},
              {"token", stale.token},
              {"newer_token", stale.newer_token},
              {"after_newer_ns", stale.after_newer.ns()},
              {"epoch", stale.epoch},
              {"newer_writer", process_name(run, stale.newer_writer)},
              {"newer_epoch", stale.newer_epoch}};
}

// Each reported group's tokens in epoch order: {"g1": [1, 2, 3]} (sim/checks/checks.h bounds
// how many groups and tokens), and how many earlier leaderships each list leaves out.
Json tokens_json(const RunResult& run) {
  Json tokens = Json::object();
  for (const sim::checks::GroupTokens& group : run.checks.tokens) {
    tokens[group_name(group.group)] = group.tokens;
  }
  return tokens;
}

Json tokens_omitted_json(const RunResult& run) {
  Json omitted = Json::object();
  for (const sim::checks::GroupTokens& group : run.checks.tokens) {
    if (group.omitted > 0) omitted[group_name(group.group)] = group.omitted;
  }
  return omitted;
}

// The group figures (issue 8, "Reports for many groups"); integer nanoseconds, unit in the key.
Json groups_json(const RunResult& run, const sim::checks::GroupFigures& figures) {
  Json worst = nullptr;
  if (figures.worst_group != sim::kNoGroup) {
    worst = Json{{"group", group_name(figures.worst_group)},
                 {"recovery_ns", figures.recovery_max.ns()},
                 {"leader_at_ns", figures.worst_group_leader_at.ns()},
                 {"reproduce", run.reproduce}};
  }
  return Json{{"count", figures.groups},
              {"max_leaderless", figures.max_leaderless},
              {"max_leaderless_at_ns", figures.max_leaderless_at.ns()},
              {"leaderless_at_end", figures.leaderless_at_end},
              {"leader_imbalance_at_end", figures.leader_imbalance_at_end},
              {"max_leader_imbalance", figures.max_leader_imbalance},
              {"max_leader_imbalance_at_ns", figures.max_leader_imbalance_at.ns()},
              {"leaders_per_host_at_end", figures.leaders_per_host_at_end},
              {"recovery_ns",
               Json{{"p50", figures.recovery_p50.ns()},
                    {"p99", figures.recovery_p99.ns()},
                    {"max", figures.recovery_max.ns()},
                    {"count", figures.recovered_windows}}},
              {"worst_group", worst},
              {"tokens", tokens_json(run)},
              {"tokens_omitted", tokens_omitted_json(run)},
              {"token_groups_omitted", run.checks.token_groups_omitted}};
}

Json timeline_json(const RunResult& run) {
  Json entries = Json::array();
  for (const TimelineEntry& entry : run.timeline) {
    entries.push_back(
        Json{{"time_ns", entry.time.ns()}, {"position", entry.position}, {"text", entry.text}});
  }
  return entries;
}

// `transitions`: each change of a group's leader, who led before (null at startup) and why that
// leadership ended (null if the previous leader still believed when the run ended).
Json transitions_json(const RunResult& run) {
  Json transitions = Json::array();
  for (const sim::checks::LeaderTransition& t : run.checks.transitions) {
    Json transition{
        {"time_ns", t.time.ns()},
        {"from", t.from == sim::kNoNode ? Json(nullptr) : Json(process_name(run, t.from))},
        {"to", process_name(run, t.to)},
        {"epoch", t.epoch},
        {"reason", t.reason ? Json(std::string(sim::step_down_reason_name(*t.reason)))
                            : Json(nullptr)},
        {"previous_ended_ns", t.previous_ended ? Json(t.previous_ended->ns()) : Json(nullptr)}};
    if (run.checks.groups) transition["group"] = group_name(t.group);
    transitions.push_back(std::move(transition));
  }
  return transitions;
}

// `transition_reasons`: how many transitions had each reason (only reasons that occurred), and
// `unresolved` for those whose previous leader never stepped down.
Json transition_reasons_json(const sim::checks::TransitionReasonCounts& counts) {
  Json reasons = Json::object();
  for (size_t i = 0; i < counts.by_reason.size(); ++i) {
    if (counts.by_reason[i] == 0) continue;
    reasons[std::string(sim::step_down_reason_name(static_cast<sim::StepDownReason>(i)))] =
        counts.by_reason[i];
  }
  if (counts.unresolved > 0) reasons["unresolved"] = counts.unresolved;
  return reasons;
}

// `alerts`: each firing of a scenario alert rule (sim/checks/leadership_watch.h), with its group
// only when the run has several.
Json alerts_json(const RunResult& run) {
  Json alerts = Json::array();
  if (!run.leadership) return alerts;
  for (const sim::checks::FiredAlert& alert : run.leadership->alerts) {
    Json fired{{"rule", alert.rule}, {"time_ns", alert.time.ns()}, {"detail", alert.detail}};
    if (run.checks.groups && alert.group != sim::kNoGroup) fired["group"] = group_name(alert.group);
    alerts.push_back(std::move(fired));
  }
  return alerts;
}

// `alerts_fired`: how often each of the scenario's rules fired, zero included, by rule name
// (empty without rules, null when nothing measured it).
Json alerts_fired_json(const RunResult& run) {
  if (!run.leadership) return nullptr;
  Json fired = Json::object();
  if (run.alert_rules.leader_changes) {
    fired[std::string(sim::checks::kLeaderChangesAlert)] = run.leadership->leader_changes_fired;
  }
  if (run.alert_rules.leaderless_longer_than) {
    fired[std::string(sim::checks::kLeaderlessAlert)] = run.leadership->leaderless_fired;
  }
  return fired;
}

// The leadership figures monitoring sees: null when nothing measured them.
void add_leadership_json(const RunResult& run, Json& json) {
  const auto& figures = run.leadership;
  json["leaderless_ns"] = figures ? Json(figures->leaderless.ns()) : Json(nullptr);
  json["overlap_ns"] = figures ? Json(figures->overlap.ns()) : Json(nullptr);
  json["leaders_at_end"] =
      figures ? process_names(run, figures->leading_at_end) : Json(nullptr);
}

Json percentiles_json(const Percentiles& p) {
  return Json{{"p50", p.p50.ns()},
              {"p90", p.p90.ns()},
              {"p99", p.p99.ns()},
              {"max", p.max.ns()},
              {"count", p.count},
              {"unrecovered", p.unrecovered},
              {"approximate", p.approximate},
              {"relative_error", p.approximate ? RecoveryDistribution::kRelativeError : 0.0}};
}

}  // namespace

Json run_to_json(const RunResult& run) {
  Json json;
  json["scenario"] = run.scenario;
  json["scenario_path"] = run.scenario_path;
  json["seed"] = run.seed;
  json["algorithm"] = run.algorithm;
  json["electsim_version"] = run.build.version;
  json["electsim_commit"] = run.build.commit;
  Json params = Json::object();
  for (const RunParam& param : run.params) params[param_key(param)] = param_json(param.value);
  json["params"] = params;
  json["fingerprint"] = format_fingerprint(run.fingerprint);
  json["verdict"] = std::string(verdict_name(run.verdict));
  const bool stopped = run.verdict == Verdict::kInternalError ||
                       run.verdict == Verdict::kBudgetExceeded;
  json["error"] = stopped ? Json(run.error) : Json(nullptr);
  json["error_time_ns"] = stopped ? Json(run.error_time.ns()) : Json(nullptr);
  Json violations = Json::array();
  for (const auto& v : run.checks.violations) {
    Json violation{{"check", v.check},
                   {"time_ns", v.time.ns()},
                   {"nodes", process_names(run, v.nodes)},
                   {"epoch", v.epoch},
                   {"detail", v.detail},
                   {"replay", run.reproduce}};
    if (run.checks.groups) violation["group"] = group_name(v.group);
    violations.push_back(std::move(violation));
  }
  json["violations"] = violations;
  json["leader_changes"] = run.checks.leader_changes;
  json["transitions"] = transitions_json(run);
  json["transitions_omitted"] = run.checks.transitions_omitted;
  json["transition_reasons"] = transition_reasons_json(run.checks.transition_reasons);
  Json recovery = Json::array();
  for (sim::Duration d : run.checks.recovery) recovery.push_back(d.ns());
  json["recovery_ns"] = recovery;
  json["unrecovered"] = run.checks.unrecovered;
  Json overlaps = Json::array();
  for (const auto& o : run.checks.overlaps) {
    Json overlap{{"nodes", process_names(run, o.nodes)},
                 {"start_ns", o.start.ns()},
                 {"duration_ns", o.duration.ns()}};
    if (run.checks.groups) overlap["group"] = group_name(o.group);
    overlaps.push_back(std::move(overlap));
  }
  json["overlaps"] = overlaps;
  add_leadership_json(run, json);
  if (run.checks.groups) json["groups"] = groups_json(run, *run.checks.groups);
  json["stale_writes_accepted"] =
      run.checks.writes ? Json(run.checks.writes->stale_writes_accepted) : Json(nullptr);
  json["first_stale_write"] = first_stale_write_json(run);
  json["writes"] = writes_json(run);
  // With several groups the tokens are in `groups` only, bounded there; one group's are here.
  if (!has_several_groups(run)) {
    json["tokens"] = tokens_json(run);
    json["tokens_omitted"] = tokens_omitted_json(run);
  }
  Json faults = Json::array();
  for (const auto& f : run.faults) {
    Json fault{{"label", f.label},
               {"start_ns", f.start.ns()},
               {"end_ns", f.end ? Json(f.end->ns()) : Json(nullptr)},
               {"skipped", f.skipped},
               {"effect", f.effect},
               {"nodes", node_names(f.nodes)},
               {"restart_skipped", f.restart_skipped}};
    faults.push_back(fault);
  }
  json["faults_fired"] = faults;
  json["nemesis_kinds"] = run.nemesis_kinds;
  json["goals_reached"] = run.checks.goals_reached;
  json["goals_missed"] = run.checks.goals_missed;
  json["alerts"] = alerts_json(run);
  json["alerts_omitted"] = run.leadership ? run.leadership->alerts_omitted : 0;
  json["alerts_fired"] = alerts_fired_json(run);
  json["messages"] = run.messages_delivered;
  json["messages_sent"] = run.messages_sent;
  if (run.election_messages_sent) json["election_messages"] = *run.election_messages_sent;
  json["messages_dropped"] = run.messages_dropped;
  json["events"] = run.events;
  json["sim_time_ns"] = run.sim_time.ns();
  json["timeline"] = timeline_json(run);
  json["timeline_omitted"] = run.timeline_omitted;
  json["replay"] = run.reproduce;
  return json;
}

std::string json_text(const Json& json, int indent) {
  return json.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

std::string sweep_json_opening(const SweepSummary& summary) {
  Json json;
  json["scenario"] = summary.scenario();
  json["algorithm"] = summary.algorithm();
  json["overrides"] = summary.overrides();
  json["requested_seed_first"] = summary.requested_first();
  json["requested_seed_last"] = summary.requested_last();
  if (summary.shard()) json["shard"] = *summary.shard();
  std::string text = json_text(json, 2);
  text.erase(text.size() - 2);  // the closing "\n}", reopened for the runs
  return text + ",\n  \"runs\": [";
}

std::string sweep_json_run(const RunResult& run, bool first) {
  return (first ? "\n    " : ",\n    ") + json_text(run_to_json(run));
}

std::string sweep_json_closing(SweepSummary& summary, bool any_runs, const Json& regression) {
  Json json;
  json["seeds"] = summary.seeds();
  json["seed_first"] = summary.seed_first();
  json["seed_last"] = summary.seed_last() ? Json(*summary.seed_last()) : Json(nullptr);
  json["interrupted"] = summary.interrupted();
  json["passed"] = summary.passed();
  json["failed"] = summary.failed();
  json["safety_failures"] = summary.safety_failures();
  json["liveness_failures"] = summary.liveness_failures();
  json["internal_errors"] = summary.internal_errors();
  json["budget_exceeded"] = summary.budget_exceeded();
  json["failing_seeds"] = summary.failing_seeds();
  json["failing_seeds_truncated"] = summary.failed() > summary.failing_seeds().size();
  Json failures = Json::array();
  for (const FailureNote& note : summary.failure_notes()) {
    failures.push_back(Json{{"seed", note.seed},
                            {"verdict", verdict_name(note.verdict)},
                            {"what", note.what},
                            {"time_ns", note.time.ns()},
                            {"replay", note.reproduce}});
  }
  json["failures"] = failures;
  json["verdict"] = std::string(verdict_name(sweep_verdict(summary)));
  json["recovery_ns"] = percentiles_json(summary.recovery());
  json["leader_changes"] = summary.leader_changes();
  json["messages"] = summary.messages_delivered();
  json["events"] = summary.events();
  // The fenced resource over the sweep; null when no run had a resource.
  const bool measured = summary.writes_measured();
  json["writes_accepted"] = measured ? Json(summary.writes_accepted()) : Json(nullptr);
  json["stale_writes_accepted"] = measured ? Json(summary.stale_writes_accepted()) : Json(nullptr);
  json["damaged_seeds"] = measured ? Json(summary.damaged_seeds()) : Json(nullptr);
  json["damaged_seed_count"] = measured ? Json(summary.damaged_seed_count()) : Json(nullptr);
  if (!regression.is_null()) json["regression"] = regression;
  // dump(2) opens with "{" and a newline; the runs' array closes first and the keys follow it.
  return (any_runs ? "\n  ]," : "],") + json_text(json, 2).substr(1) + "\n";
}

}  // namespace electsim::reports
