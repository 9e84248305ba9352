#include "scenarios/run_page.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/recovery_distribution.h"
#include "reports/svg_timeline.h"
#include "scenarios/replay_text.h"

namespace electsim::scenarios {
namespace {

using reports::html_code;
using reports::html_escape;
using reports::html_paragraph;
using reports::html_preformatted;
using reports::html_table;

std::string instant_text(sim::Instant at) { return sim::format_instant_readable(at); }

std::string nodes_text(const Scenario& scenario, const std::vector<sim::NodeId>& nodes) {
  std::vector<std::string> names;
  for (const sim::NodeId node : nodes) {
    names.push_back(node < scenario.layout.processes() ? scenario.layout.process_name(node)
                                                       : absl::StrCat("process ", node));
  }
  return absl::StrJoin(names, ", ");
}

// Every recovery time when there are few; their percentiles when there are many (a run of many
// groups has thousands of windows).
std::string recovery_text(const sim::checks::CheckResults& checks) {
  constexpr size_t kListed = 12;
  if (checks.recovery.empty() && checks.unrecovered == 0) return "no disruption window measured";
  std::string text;
  if (checks.recovery.size() <= kListed) {
    std::vector<std::string> times;
    for (const sim::Duration time : checks.recovery) {
      times.push_back(sim::format_duration_readable(time));
    }
    text = times.empty() ? "none recovered" : absl::StrJoin(times, ", ");
  } else {
    const reports::Percentiles figures = reports::percentiles(checks.recovery);
    text = absl::StrCat(checks.recovery.size(), " windows: p50 ",
                        sim::format_duration_readable(figures.p50), ", p90 ",
                        sim::format_duration_readable(figures.p90), ", p99 ",
                        sim::format_duration_readable(figures.p99), ", max ",
                        sim::format_duration_readable(figures.max));
  }
  if (checks.unrecovered > 0) absl::StrAppend(&text, "; ", checks.unrecovered, " never recovered");
  return text;
}

std::string overlaps_text(const sim::checks::CheckResults& checks) {
  sim::Duration total = sim::Duration::zero();
  for (const sim::checks::Overlap& overlap : checks.overlaps) total = total + overlap.duration;
  const std::string over = checks.overlaps_dropped == 0
                               ? " in all)"
                               : absl::StrCat(" over the first ", checks.overlaps.size(), ")");
  return absl::StrCat(checks.overlaps.size() + checks.overlaps_dropped, " (",
                      sim::format_duration_readable(total), over);
}

// The verdict in words and colour, the reproduce command, and the run's figures.
std::string verdict_html(const reports::RunResult& result) {
  const bool passed = result.verdict == reports::Verdict::kPass;
  std::string html = absl::StrCat("<p class=\"verdict ", passed ? "pass" : "fail", "\">",
                                  html_escape(reports::verdict_name(result.verdict)), "</p>\n");
  if (!result.error.empty()) html += html_paragraph(result.error);
  absl::StrAppend(&html, "<p>Reproduce: ", html_code(result.reproduce), "</p>\n");
  const sim::checks::CheckResults& checks = result.checks;
  std::vector<std::vector<std::string>> rows = {
      {"scenario", absl::StrCat(result.scenario, " (", result.scenario_path, ")")},
      {"algorithm", result.algorithm},
      {"seed", absl::StrCat(result.seed)},
      {"fingerprint", reports::format_fingerprint(result.fingerprint)},
      {"violations", absl::StrCat(checks.violations.size() + checks.violations_dropped)},
      {"leader changes", absl::StrCat(checks.leader_changes)},
      {"recovery times", recovery_text(checks)},
      {"leadership overlaps", overlaps_text(checks)},
      {"messages sent", absl::StrCat(result.messages_sent)},
      {"events", absl::StrCat(result.events)},
      {"simulated time", sim::format_duration_readable(result.sim_time)}};
  if (checks.writes) {
    rows.push_back({"writes accepted / refused",
                    absl::StrCat(checks.writes->accepted, " / ", checks.writes->refused)});
    rows.push_back({"stale writes accepted", absl::StrCat(checks.writes->stale_writes_accepted)});
  }
  return html + html_table({"figure", "value"}, rows);
}

std::string timeline_html(const reports::RunResult& result, const RunPageRecorder& recorder) {
  return absl::StrCat(
      "<p>One lane per process; leaderships are coloured by epoch. Hover over a fault band or a "
      "violation mark for its description.</p>\n",
      reports::html_inline_svg(run_timeline_svg(result, recorder)));
}

std::string violation_table(const Scenario& scenario, const reports::RunResult& result) {
  std::vector<std::vector<std::string>> rows;
  for (const sim::checks::Violation& violation : result.checks.violations) {
    rows.push_back({violation.check, instant_text(violation.time),
                    nodes_text(scenario, violation.nodes),
                    violation.epoch == 0 ? "" : absl::StrCat(violation.epoch), violation.detail});
  }
  std::string html = html_table({"check", "true time", "processes", "epoch", "detail"}, rows);
  if (result.checks.violations_dropped > 0) {
    html += html_paragraph(absl::StrCat(result.checks.violations_dropped,
                                        " more violations were found and not kept."));
  }
  return html;
}

// Each violation the replay window kept: its reproduce command and the events around it, as
// `electsim replay` prints them.
std::string violations_html(const Scenario& scenario, const reports::RunResult& result,
                            const RunPageRecorder& recorder, const std::string& heading_tag) {
  if (result.checks.violations.empty()) return html_paragraph("No violation.");
  std::string html = violation_table(scenario, result);
  const ReplayWindow& replay = recorder.replay();
  const ReplayNames names(scenario.layout, scenario.algorithm, replay.fault_labels());
  const size_t total = replay.violations().size() + replay.violations_omitted();
  for (size_t i = 0; i < replay.violations().size(); ++i) {
    const ReplayedViolation& replayed = replay.violations()[i];
    absl::StrAppend(&html, "<", heading_tag, ">Violation ", i + 1, ": ",
                    html_escape(replayed.violation.check), " at ",
                    html_escape(instant_text(replayed.violation.time)), "</", heading_tag, ">\n",
                    html_paragraph(replayed.violation.detail), "<p>Reproduce: ",
                    html_code(result.reproduce), "</p>\n",
                    html_preformatted(replayed_violation_text(replayed, i + 1, total,
                                                              replay.window(), names)));
  }
  if (replay.violations_omitted() > 0) {
    html += html_paragraph(absl::StrCat("The events around ", replay.violations_omitted(),
                                        " later violations are not shown (the first ",
                                        ReplayWindow::kMaxViolations, " are)."));
  }
  return html;
}

std::string faults_html(const reports::RunResult& result) {
  if (result.faults.empty()) return html_paragraph("No fault in this run.");
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < result.faults.size(); ++i) {
    const reports::FaultRecord& fault = result.faults[i];
    rows.push_back({absl::StrCat(i), fault.label, fault.skipped ? "" : instant_text(fault.start),
                    fault.end ? instant_text(*fault.end) : "", fault.skipped ? "skipped" : "",
                    fault.effect});
  }
  return html_table({"#", "fault", "started", "ended", "", "effect"}, rows);
}

std::string events_html(const reports::RunResult& result) {
  std::vector<std::vector<std::string>> rows;
  for (const reports::TimelineEntry& entry : result.timeline) {
    rows.push_back({instant_text(entry.time), entry.text});
  }
  std::string html = html_table({"true time", "event"}, rows);
  if (result.timeline_omitted > 0) {
    html += html_paragraph(absl::StrCat(
        result.timeline_omitted, " more events are not listed: the list keeps the first ",
        result.timeline_limit, " and those around each violation (`run --timeline full` and "
        "`--trace` have them all)."));
  }
  return html;
}

std::vector<std::pair<std::string, std::string>> parameters_of(const reports::RunResult& result) {
  std::vector<std::pair<std::string, std::string>> parameters;
  for (const reports::RunParam& param : result.params) {
    parameters.emplace_back(param.name, param.text);
  }
  return parameters;
}

std::string parameters_html(const reports::RunResult& result) {
  std::vector<std::vector<std::string>> rows = {{"algorithm", result.algorithm},
                                                {"scenario file", result.scenario_path},
                                                {"seed", absl::StrCat(result.seed)}};
  for (const auto& [name, value] : parameters_of(result)) rows.push_back({name, value});
  return html_table({"parameter", "value"}, rows);
}

}  // namespace

RunPageRecorder::RunPageRecorder(const Scenario& scenario)
    : timeline_(scenario.layout, scenario.duration),
      replay_(kReplayWindow),
      timeline_kinds_(reports::TimelineRecorder::kinds()) {}

void RunPageRecorder::on_start(const sim::World& world,
                               const std::vector<std::string>& fault_labels) {
  timeline_.set_fault_labels(fault_labels);
  replay_.on_start(world, fault_labels);
}

void RunPageRecorder::on_record(const sim::TraceRecord& record) {
  if (timeline_kinds_ & sim::mask_of(record.kind)) timeline_.on_record(record);
  replay_.on_record(record);
}

void RunPageRecorder::on_end(sim::Instant end) {
  timeline_.on_end(end);
  replay_.on_end(end);
}

void RunPageRecorder::on_violation(const sim::checks::Violation& violation) {
  timeline_.on_violation(violation);
  replay_.on_violation(violation);
}

std::string run_timeline_svg(const reports::RunResult& result, const RunPageRecorder& recorder) {
  return reports::leadership_timeline_svg(
      recorder.timeline(), absl::StrCat("Leadership timeline: ", result.scenario, ", seed ",
                                        result.seed, " (", result.algorithm, ")"));
}

reports::HtmlSection run_section(const Scenario& scenario, const reports::RunResult& result,
                                 const RunPageRecorder& recorder, std::string_view heading) {
  std::string body = verdict_html(result);
  absl::StrAppend(&body, "<h3>Timeline</h3>\n", timeline_html(result, recorder),
                  "<h3>Violations</h3>\n", violations_html(scenario, result, recorder, "h4"),
                  "<h3>Faults</h3>\n", faults_html(result));
  return reports::HtmlSection{std::string(heading), std::string(heading), std::move(body)};
}

reports::HtmlSection run_section(const Scenario& scenario, uint64_t seed,
                                 std::string_view heading) {
  RunPageRecorder recorder(scenario);
  RunOptions options;
  options.watcher = &recorder;
  const auto result = run_scenario(scenario, seed, options);
  if (!result.ok()) {
    return reports::HtmlSection{std::string(heading), std::string(heading),
                                html_paragraph(absl::StrCat("The run could not finish: ",
                                                            result.status().message()))};
  }
  return run_section(scenario, *result, recorder, heading);
}

std::string run_page_html(const Scenario& scenario, const reports::RunResult& result,
                          const RunPageRecorder& recorder) {
  reports::HtmlPage page;
  page.title = absl::StrCat("electsim run: ", result.scenario, ", seed ", result.seed, " (",
                            result.algorithm, ")");
  page.build = result.build;
  page.parameters = parameters_of(result);
  page.sections = {
      {"verdict", "Verdict", verdict_html(result)},
      {"timeline", "Leadership timeline", timeline_html(result, recorder)},
      {"violations", "Violations", violations_html(scenario, result, recorder, "h3")},
      {"faults", "Faults", faults_html(result)},
      {"events", "Leadership events", events_html(result)},
      {"parameters", "Resolved parameters", parameters_html(result)}};
  return reports::render_html_page(page);
}

}  // namespace electsim::scenarios
