#include "reports/text_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "sim/layout.h"

namespace electsim::reports {
namespace {

// More recovery windows than this are summed up instead of listed.
constexpr size_t kRecoveryListLimit = 50;

std::string at(sim::Instant t) {
  return absl::StrFormat("%10.3fs", static_cast<double>(t.ns()) / 1e9);
}

// "n1,n2"; with several groups the layout's names, "g7.n1,g7.n2".
std::string names(const RunResult& run, const std::vector<sim::NodeId>& nodes) {
  const sim::Layout* layout = run.checks.layout.get();
  const bool classic = layout == nullptr || layout->is_single_group();
  std::vector<std::string> out;
  for (sim::NodeId node : nodes) {
    out.push_back(classic || node >= layout->processes() ? absl::StrCat("n", node + 1)
                                                         : layout->process_name(node));
  }
  return absl::StrJoin(out, ",");
}

std::string human(sim::Duration d) {
  // Milliseconds with one decimal read best in reports; exact values are in the JSON.
  if (d >= sim::Duration::seconds(10)) {
    return absl::StrFormat("%.2fs", static_cast<double>(d.ns()) / 1e9);
  }
  return absl::StrFormat("%.1fms", static_cast<double>(d.ns()) / 1e6);
}

// The short "groups" section of a run with several groups (issue 8, "Reports for many groups").
std::string groups_text(const RunResult& run, const sim::checks::GroupFigures& figures) {
  std::string out = absl::StrCat("groups    ", figures.groups, " election groups\n");
  absl::StrAppend(&out, "  without a leader: at most ", figures.max_leaderless);
  if (figures.max_leaderless > 0) {
    absl::StrAppend(&out, " at once (at ", sim::format_instant_readable(figures.max_leaderless_at),
                    ")");
  }
  absl::StrAppend(&out, ", ", figures.leaderless_at_end, " at the end\n");
  absl::StrAppend(&out, "  leaders per host: imbalance ", figures.leader_imbalance_at_end,
                  " at the end, at most ", figures.max_leader_imbalance);
  if (figures.max_leader_imbalance > 0) {
    absl::StrAppend(&out, " (at ",
                    sim::format_instant_readable(figures.max_leader_imbalance_at), ")");
  }
  absl::StrAppend(&out, "\n");
  if (figures.worst_group == sim::kNoGroup) {
    absl::StrAppend(&out, "  recovery: no group's recovery measured\n");
    return out;
  }
  absl::StrAppend(&out, "  recovery over ", figures.recovered_windows, " window(s): p50 ",
                  human(figures.recovery_p50), ", p99 ", human(figures.recovery_p99), ", max ",
                  human(figures.recovery_max), "\n");
  absl::StrAppend(&out, "  worst group: ", sim::Layout::group_name(figures.worst_group), " (",
                  human(figures.recovery_max), ", leader at ",
                  sim::format_instant_readable(figures.worst_group_leader_at), "); reproduce: ",
                  run.reproduce, "\n");
  return out;
}

// Violations shown inside the timeline, at their true time: as many as the timeline kept windows
// for (sim/checks/timeline.h keeps ten), so a marker never stands in a gap with nothing around it.
constexpr size_t kMaxTimelineMarkers = 10;

double seconds(sim::Instant t) { return static_cast<double>(t.ns()) / 1e9; }

std::string violation_marker(const sim::checks::Violation& violation) {
  // ">>>" in place of the indent, with the time in the entries' column.
  return absl::StrCat(">>>", absl::StrFormat("%9.3fs", seconds(violation.time)), "  VIOLATION ",
                      violation.check, ": ", violation.detail, "\n");
}

// " (startup 1, crashed 2, resigned 1)": why the leader changed, by reason, in the order of
// sim::StepDownReason; empty when nobody led.
std::string transition_reasons_text(const sim::checks::TransitionReasonCounts& counts) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < counts.by_reason.size(); ++i) {
    if (counts.by_reason[i] == 0) continue;
    const auto reason = static_cast<sim::StepDownReason>(i);
    parts.push_back(
        absl::StrCat(std::string(sim::step_down_reason_name(reason)), " ", counts.by_reason[i]));
  }
  if (counts.unresolved > 0) parts.push_back(absl::StrCat("unresolved ", counts.unresolved));
  if (parts.empty()) return "";
  return absl::StrCat(" (", absl::StrJoin(parts, ", "), ")");
}

std::string timeline_heading(const RunResult& run) {
  if (run.timeline_full) return "leadership timeline (full):\n";
  return absl::StrCat("leadership timeline (brief: the first ", run.timeline_limit,
                      " entries and those around each violation; --timeline full for all):\n");
}

// The kept entries in order, "... N entries omitted ..." where positions jump, and each
// violation marked between the entries before and after its true time.
std::string timeline_text(const RunResult& run) {
  std::string out = timeline_heading(run);
  const auto& violations = run.checks.violations;
  const size_t markers = std::min(violations.size(), kMaxTimelineMarkers);
  size_t next_marker = 0;
  uint64_t next_position = 0;
  for (const TimelineEntry& entry : run.timeline) {
    if (entry.position > next_position) {
      absl::StrAppend(&out, "  ... ", entry.position - next_position, " entries omitted ...\n");
    }
    for (; next_marker < markers && violations[next_marker].time < entry.time; ++next_marker) {
      absl::StrAppend(&out, violation_marker(violations[next_marker]));
    }
    absl::StrAppend(&out, "  ", at(entry.time), "  ", entry.text, "\n");
    next_position = entry.position + 1;
  }
  for (; next_marker < markers; ++next_marker) {
    absl::StrAppend(&out, violation_marker(violations[next_marker]));
  }
  const uint64_t after_last = run.timeline_omitted + run.timeline.size() - next_position;
  if (run.timeline_omitted > 0 && run.timeline_full) {
    absl::StrAppend(&out, "  ... and ", run.timeline_omitted,
                    " more, not kept: the full timeline stops at ", run.timeline_limit,
                    " entries (--trace FILE records everything)\n");
  } else if (after_last > 0) {
    absl::StrAppend(&out, "  ... and ", after_last, " more\n");
  }
  return out;
}

// The fenced resource's writes and the damage, or that nothing measured them.
std::string writes_text(const RunResult& run) {
  if (!run.checks.writes) {
    return "writes    not measured (the scenario has no resource)\n";
  }
  const sim::checks::WriteFigures& writes = *run.checks.writes;
  std::string out = absl::StrCat("writes    ", writes.sent, " sent, ", writes.accepted,
                                 " accepted, ", writes.refused, " refused; ",
                                 writes.stale_writes_accepted,
                                 " stale writes accepted (the damage)\n");
  if (writes.first_stale_write) {
    const sim::checks::StaleWrite& stale = *writes.first_stale_write;
    absl::StrAppend(&out, "  first stale write: ", names(run, {stale.writer}), " with token ",
                    stale.token, " at ", sim::format_instant_readable(stale.time), ", ",
                    human(stale.after_newer), " after the newer token ", stale.newer_token,
                    " was first accepted\n");
  }
  return out;
}

// One group's tokens in epoch order; with several groups they are in the JSON's `groups`.
constexpr size_t kTokensShown = 20;

std::string tokens_text(const RunResult& run) {
  const bool several_groups = run.checks.layout != nullptr && run.checks.layout->groups() > 1;
  if (several_groups || run.checks.tokens.empty()) return "";
  const sim::checks::GroupTokens& group = run.checks.tokens.front();
  const size_t shown = std::min(group.tokens.size(), kTokensShown);
  std::vector<uint64_t> last(group.tokens.end() - static_cast<std::ptrdiff_t>(shown),
                             group.tokens.end());
  const uint64_t earlier = group.omitted + (group.tokens.size() - shown);
  std::string out = "tokens    ";
  if (earlier > 0) absl::StrAppend(&out, "(", earlier, " earlier) ");
  return absl::StrCat(out, absl::StrJoin(last, " "), "   (by epoch)\n");
}

std::string error_text(const RunResult& run) {
  const bool internal = run.verdict == Verdict::kInternalError;
  if (!internal && run.verdict != Verdict::kBudgetExceeded) return "";
  return absl::StrCat("\n", internal ? "internal error" : "budget exceeded", " at ",
                      absl::StrFormat("%.3fs", seconds(run.error_time)), " (true time): ",
                      run.error, "\n");
}

std::string alert_rules_text(const sim::checks::AlertRules& rules) {
  std::vector<std::string> parts;
  if (rules.leader_changes) {
    parts.push_back(absl::StrCat("leader_changes more than ", rules.leader_changes->more_than,
                                 " within ", sim::format_duration(rules.leader_changes->within)));
  }
  if (rules.leaderless_longer_than) {
    parts.push_back(absl::StrCat("leaderless_longer_than ",
                                 sim::format_duration(*rules.leaderless_longer_than)));
  }
  return absl::StrJoin(parts, "; ");
}

// The scenario's alerts and when they fired; nothing when it has none. Alerts are observations:
// the verdict never depends on them.
std::string alerts_text(const RunResult& run) {
  if (!run.alert_rules.any() || !run.leadership) return "";
  const sim::checks::LeadershipFigures& figures = *run.leadership;
  const uint64_t fired = figures.leader_changes_fired + figures.leaderless_fired;
  std::string out = absl::StrCat("alerts    ", fired, " fired (", alert_rules_text(run.alert_rules),
                                 "; observations, not checks: the verdict ignores them)\n");
  for (const sim::checks::FiredAlert& alert : figures.alerts) {
    absl::StrAppend(&out, "  ", at(alert.time), "  ", alert.rule, ": ", alert.detail, "\n");
  }
  if (figures.alerts_omitted > 0) {
    absl::StrAppend(&out, "  ... and ", figures.alerts_omitted, " more\n");
  }
  return out;
}

}  // namespace

std::string run_to_text(const RunResult& run, const RunTextOptions& options) {
  std::string out;
  std::vector<std::string> params;
  for (const RunParam& param : run.params) {
    params.push_back(absl::StrCat(param.name, "=", param.text));
  }
  absl::StrAppend(&out, "scenario  ", run.scenario, " (", run.scenario_path, "), seed ", run.seed,
                  "\n");
  absl::StrAppend(&out, "algorithm ", run.algorithm, ": ", absl::StrJoin(params, " "), "\n");
  if (!run.nemesis_kinds.empty()) {
    absl::StrAppend(&out, "nemesis   enabled kinds: ", absl::StrJoin(run.nemesis_kinds, ", "),
                    "\n");
  }
  if (!run.faults.empty()) {
    absl::StrAppend(&out, "\nfaults fired (", run.faults.size(), "):\n");
    for (const FaultRecord& fault : run.faults) {
      // A skipped fault's effect already names it and says why: "crash leader: skipped, no node
      // leads".
      absl::StrAppend(&out, "  ", at(fault.start), "  ", fault.effect, "\n");
    }
  }
  absl::StrAppend(&out, "\n", timeline_text(run));
  absl::StrAppend(&out, "\nleader changes ", run.checks.leader_changes,
                  transition_reasons_text(run.checks.transition_reasons), "\n");
  std::vector<std::string> recovery;
  for (sim::Duration d : run.checks.recovery) recovery.push_back(human(d));
  const uint64_t unrecovered = run.checks.unrecovered;
  if (recovery.empty()) {
    absl::StrAppend(&out, "recovery  ", unrecovered == 0 ? "no disruption measured"
                                                         : "no window recovered");
  } else if (recovery.size() <= kRecoveryListLimit) {
    absl::StrAppend(&out, "recovery  ", absl::StrJoin(recovery, ", "));
  } else {
    // Many groups give thousands of windows: the groups section has their percentiles.
    std::vector<sim::Duration> sorted = run.checks.recovery;
    std::sort(sorted.begin(), sorted.end());
    absl::StrAppend(&out, "recovery  ", sorted.size(), " windows, median ",
                    human(sorted[(sorted.size() - 1) / 2]), ", max ", human(sorted.back()));
  }
  if (unrecovered > 0) {
    absl::StrAppend(&out, "; ", unrecovered, unrecovered == 1 ? " window" : " windows",
                    " never recovered");
  }
  if (options.recovery_bound) {
    absl::StrAppend(&out, "   (bound ", sim::format_duration(*options.recovery_bound), ")");
  }
  absl::StrAppend(&out, "\n");
  absl::StrAppend(&out, "overlaps  ", run.checks.overlaps.size(),
                  " window(s) with two nodes leading at once\n");
  for (size_t i = 0; i < run.checks.overlaps.size() && i < 5; ++i) {
    const auto& o = run.checks.overlaps[i];
    absl::StrAppend(&out, "  ", at(o.start), "  ", names(run, o.nodes), " for ", human(o.duration),
                    "\n");
  }
  absl::StrAppend(&out, writes_text(run), tokens_text(run));
  if (run.checks.groups) absl::StrAppend(&out, groups_text(run, *run.checks.groups));
  if (!run.checks.goals_reached.empty() || !run.checks.goals_missed.empty()) {
    absl::StrAppend(&out, "goals     reached: ", absl::StrJoin(run.checks.goals_reached, ", "));
    if (!run.checks.goals_missed.empty()) {
      absl::StrAppend(&out, "; MISSED: ", absl::StrJoin(run.checks.goals_missed, ", "));
    }
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out, alerts_text(run));
  absl::StrAppend(&out, "\nviolations ", run.checks.violations.size(), "\n");
  for (const auto& v : run.checks.violations) {
    absl::StrAppend(&out, "  ", at(v.time), "  ", v.check, ": ", v.detail, "\n");
  }
  absl::StrAppend(&out, error_text(run));
  absl::StrAppend(&out, "\nverdict     ", verdict_name(run.verdict), "\n");
  absl::StrAppend(&out, "fingerprint ", format_fingerprint(run.fingerprint), "  (", run.events,
                  " events, ", run.messages_delivered, " messages delivered, ",
                  sim::format_duration(run.sim_time), " simulated)\n");
  absl::StrAppend(&out, "reproduce   ", run.reproduce, "\n");
  return out;
}

}  // namespace electsim::reports
