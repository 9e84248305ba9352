#include "reports/text_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace electsim::reports {
namespace {

std::string at(sim::Instant t) {
  return absl::StrFormat("%10.3fs", static_cast<double>(t.ns()) / 1e9);
}

std::string names(const std::vector<sim::NodeId>& nodes) {
  std::vector<std::string> out;
  for (sim::NodeId node : nodes) out.push_back(absl::StrCat("n", node + 1));
  return absl::StrJoin(out, ",");
}

std::string human(sim::Duration d) {
  // Milliseconds with one decimal read best in reports; exact values are in the JSON.
  if (d >= sim::Duration::seconds(10)) {
    return absl::StrFormat("%.2fs", static_cast<double>(d.ns()) / 1e9);
  }
  return absl::StrFormat("%.1fms", static_cast<double>(d.ns()) / 1e6);
}

}  // namespace

std::string run_to_text(const RunResult& run, const RunTextOptions& options) {
  std::string out;
  std::vector<std::string> params;
  for (const auto& [name, value] : run.params) params.push_back(absl::StrCat(name, "=", value));
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
  absl::StrAppend(&out, "\nleadership timeline (brief):\n");
  size_t shown = 0;
  for (const TimelineEntry& entry : run.timeline) {
    if (shown++ == options.max_timeline_lines) break;
    absl::StrAppend(&out, "  ", at(entry.time), "  ", entry.text, "\n");
  }
  const uint64_t hidden = run.timeline.size() - std::min(run.timeline.size(), shown) +
                          run.timeline_omitted;
  if (hidden > 0) absl::StrAppend(&out, "  ... and ", hidden, " more\n");
  absl::StrAppend(&out, "\nleader changes ", run.checks.leader_changes, "\n");
  std::vector<std::string> recovery;
  for (sim::Duration d : run.checks.recovery) recovery.push_back(human(d));
  absl::StrAppend(&out, "recovery  ", recovery.empty() ? "no disruption measured"
                                                       : absl::StrJoin(recovery, ", "));
  if (options.recovery_bound) {
    absl::StrAppend(&out, "   (bound ", sim::format_duration(*options.recovery_bound), ")");
  }
  absl::StrAppend(&out, "\n");
  absl::StrAppend(&out, "overlaps  ", run.checks.overlaps.size(),
                  " window(s) with two nodes leading at once\n");
  for (size_t i = 0; i < run.checks.overlaps.size() && i < 5; ++i) {
    const auto& o = run.checks.overlaps[i];
    absl::StrAppend(&out, "  ", at(o.start), "  ", names(o.nodes), " for ", human(o.duration),
                    "\n");
  }
  if (!run.checks.goals_reached.empty() || !run.checks.goals_missed.empty()) {
    absl::StrAppend(&out, "goals     reached: ", absl::StrJoin(run.checks.goals_reached, ", "));
    if (!run.checks.goals_missed.empty()) {
      absl::StrAppend(&out, "; MISSED: ", absl::StrJoin(run.checks.goals_missed, ", "));
    }
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out, "\nviolations ", run.checks.violations.size(), "\n");
  for (const auto& v : run.checks.violations) {
    absl::StrAppend(&out, "  ", at(v.time), "  ", v.check, ": ", v.detail, "\n");
  }
  absl::StrAppend(&out, "\nverdict     ", verdict_name(run.verdict), "\n");
  absl::StrAppend(&out, "fingerprint ", format_fingerprint(run.fingerprint), "  (", run.events,
                  " events, ", run.messages_delivered, " messages delivered, ",
                  sim::format_duration(run.sim_time), " simulated)\n");
  absl::StrAppend(&out, "reproduce   ", run.reproduce, "\n");
  return out;
}

}  // namespace electsim::reports
