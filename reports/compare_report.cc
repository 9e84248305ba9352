#include "reports/compare_report.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "reports/json_report.h"

namespace electsim::reports {
namespace {

using Json = nlohmann::ordered_json;
using Row = std::vector<std::string>;

// Columns padded to their widest cell, two spaces apart: names and words left-aligned (the
// first `left` columns and those listed in `also_left`), numbers right-aligned.
std::string table_text(const Row& header, const std::vector<Row>& rows, size_t left,
                       const std::vector<size_t>& also_left) {
  auto is_left = [&](size_t column) {
    return column < left ||
           std::find(also_left.begin(), also_left.end(), column) != also_left.end();
  };
  std::vector<size_t> widths(header.size(), 0);
  auto widen = [&](const Row& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  };
  widen(header);
  for (const Row& row : rows) widen(row);
  auto line = [&](const Row& row) {
    std::string out = " ";
    for (size_t i = 0; i < row.size(); ++i) {
      const std::string pad(widths[i] - row[i].size(), ' ');
      absl::StrAppend(&out, " ", is_left(i) ? row[i] + pad : pad + row[i]);
      if (i + 1 < row.size()) out += " ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header);
  for (const Row& row : rows) out += line(row);
  return out;
}

std::string label_header(const CompareReport& report) {
  return report.varied ? *report.varied : "algorithm";
}

std::string count_text(uint64_t value) { return absl::StrCat(value); }

std::string p_text(double p) { return absl::StrFormat("%.3g", p); }

std::string messages_cell(const std::optional<double>& per_election) {
  return per_election ? absl::StrFormat("%.1f", *per_election) : "-";
}

std::string faster_text(const CompareReport& report, const PairComparison& pair) {
  if (!pair.significant) return "no";
  const std::optional<size_t> faster = faster_variant(pair);
  if (!faster) return "yes";
  return absl::StrCat("yes: ", report.rows[*faster].label, " faster");
}

std::string table_text(const CompareTable& table) {
  return absl::StrCat(table.caption, "\n",
                      table_text(table.header, table.rows, table.left_columns, table.also_left));
}

std::string failures_text(const CompareReport& report) {
  std::string out;
  for (size_t i = 0; i < report.rows.size(); ++i) {
    for (const CompareFailure& failure : report.failures[i]) {
      absl::StrAppend(&out, "  ", report.rows[i].label, " seed ", failure.seed, ": ",
                      verdict_name(failure.verdict), ": ", failure.what, "\n    reproduce: ",
                      failure.reproduce, "\n");
    }
  }
  if (out.empty()) return out;
  return absl::StrCat("failures (the first ", CompareVariant::kMaxFailures, " of each):\n", out);
}

Json optional_count(const std::optional<uint64_t>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json interval_json(const std::optional<DurationInterval>& interval) {
  if (!interval) return nullptr;
  return Json{{"low_ns", interval->low.ns()}, {"high_ns", interval->high.ns()}};
}

Json reasons_json(const sim::checks::TransitionReasonCounts& reasons) {
  Json json = Json::object();
  for (size_t i = 0; i < reasons.by_reason.size(); ++i) {
    const auto reason = static_cast<sim::StepDownReason>(i);
    json[std::string(sim::step_down_reason_name(reason))] = reasons.by_reason[i];
  }
  json["unresolved"] = reasons.unresolved;
  return json;
}

Json params_json(const std::vector<RunParam>& params) {
  Json json = Json::object();
  for (const RunParam& param : params) json[param.name] = param.text;
  return json;
}

Json row_json(const CompareReport& report, size_t index) {
  const VariantSummary& row = report.rows[index];
  Json failures = Json::array();
  for (const CompareFailure& failure : report.failures[index]) {
    failures.push_back({{"seed", failure.seed},
                        {"verdict", verdict_name(failure.verdict)},
                        {"what", failure.what},
                        {"replay", failure.reproduce}});
  }
  return Json{
      {"label", row.label},
      {"algorithm", row.algorithm},
      {"params", params_json(report.params[index])},
      {"runs", row.runs},
      {"recovery_ns",
       {{"windows", row.recovery.count},
        {"unrecovered", row.recovery.unrecovered},
        {"p50", row.recovery.p50.ns()},
        {"p50_interval", interval_json(row.p50_interval)},
        {"p90", row.recovery.p90.ns()},
        {"p90_interval", interval_json(row.p90_interval)},
        {"p99", row.recovery.p99.ns()},
        {"p99_interval", interval_json(row.p99_interval)},
        {"max", row.recovery.max.ns()}}},
      {"leaderless_ns", {{"per_run", row.leaderless_per_run.ns()},
                         {"total", row.leaderless_total.ns()}}},
      {"leader_changes", row.leader_changes},
      {"leader_changes_by_reason", reasons_json(row.reasons)},
      {"overlaps", {{"count", row.overlaps}, {"total_ns", row.overlap_length.ns()}}},
      {"stale_writes_accepted", optional_count(row.stale_writes)},
      {"messages_per_election",
       row.messages_per_election ? Json(*row.messages_per_election) : Json(nullptr)},
      {"safety_failures", row.safety_failures},
      {"first_safety_seed", optional_count(row.first_safety_seed)},
      {"liveness_failures", row.liveness_failures},
      {"first_liveness_seed", optional_count(row.first_liveness_seed)},
      {"internal_errors", row.internal_errors},
      {"budget_exceeded", row.budget_exceeded},
      {"failures", failures},
  };
}

Json median_json(const std::optional<double>& median) {
  if (!median) return nullptr;
  if (std::isinf(*median)) return *median > 0 ? "unrecovered" : "-unrecovered";
  return static_cast<int64_t>(std::llround(*median));
}

Json faster_json(const CompareReport& report, const PairComparison& pair) {
  const std::optional<size_t> faster = faster_variant(pair);
  return faster ? Json(report.rows[*faster].label) : Json(nullptr);
}

Json pairs_json(const CompareReport& report) {
  Json pairs = Json::array();
  for (const PairComparison& pair : report.pairs) {
    pairs.push_back({{"first", report.rows[pair.first].label},
                     {"second", report.rows[pair.second].label},
                     {"seeds", pair.seeds},
                     {"median_difference_ns", median_json(pair.median_difference_ns)},
                     {"statistic", pair.test.statistic},
                     {"exact", pair.test.exact},
                     {"p_value", pair.test.p_two_sided},
                     {"p_holm", pair.p_holm},
                     {"significant", pair.significant},
                     {"faster", faster_json(report, pair)}});
  }
  return Json{{"figure", "mean recovery per seed; a seed with an unrecovered window ranks slowest"},
              {"test", "wilcoxon_signed_rank"},
              {"correction", "holm"},
              {"significance_level", kSignificanceLevel},
              {"pairs", pairs}};
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string optional_text(const std::optional<uint64_t>& value) {
  return value ? absl::StrCat(*value) : "";
}

std::string interval_end(const std::optional<DurationInterval>& interval, bool low) {
  if (!interval) return "";
  return absl::StrCat(low ? interval->low.ns() : interval->high.ns());
}

}  // namespace

CompareTable recovery_table(const CompareReport& report) {
  CompareTable table;
  table.caption =
      "recovery in ms: percentiles over every recovered window of every run, [95% bootstrap "
      "interval, seeds resampled]";
  table.header = {label_header(report), "runs", "windows", "p50", "p90", "p99", "max",
                  "unrecovered"};
  for (const VariantSummary& row : report.rows) {
    const bool any = row.recovery.count > 0;
    table.rows.push_back({row.label, count_text(row.runs), count_text(row.recovery.count),
                          any ? percentile_cell(row.recovery.p50, row.p50_interval) : "-",
                          any ? percentile_cell(row.recovery.p90, row.p90_interval) : "-",
                          any ? percentile_cell(row.recovery.p99, row.p99_interval) : "-",
                          any ? percentile_cell(row.recovery.max, std::nullopt) : "-",
                          count_text(row.recovery.unrecovered)});
  }
  return table;
}

CompareTable leadership_table(const CompareReport& report) {
  CompareTable table;
  table.caption =
      "leadership: time without a leader from each run's first fault (mean per run); leader "
      "changes by why the previous leadership ended; true-time overlaps (count, total length); "
      "totals over all runs";
  table.header = {label_header(report), "leaderless/run", "changes", "by reason", "overlaps",
                  "overlap total", "stale writes", "msgs/election", "safety failures",
                  "liveness failures"};
  table.also_left = {3};
  for (const VariantSummary& row : report.rows) {
    table.rows.push_back(
        {row.label, compare_ms(row.leaderless_per_run), count_text(row.leader_changes),
         reasons_cell(row.reasons), count_text(row.overlaps), compare_ms(row.overlap_length),
         row.stale_writes ? count_text(*row.stale_writes) : "-",
         messages_cell(row.messages_per_election),
         failures_cell(row.safety_failures, row.first_safety_seed),
         failures_cell(row.liveness_failures, row.first_liveness_seed)});
  }
  return table;
}

CompareTable pairwise_table(const CompareReport& report) {
  CompareTable table;
  table.caption = absl::StrCat(
      "pairwise recovery, seed by seed: Wilcoxon signed-rank test on each seed's mean recovery "
      "(a seed with an unrecovered window ranks slowest); p-values adjusted by Holm's method over "
      "the ", report.pairs.size(), " pairs, significant at ",
      absl::StrFormat("%g%%", kSignificanceLevel * 100));
  table.header = {"first", "second", "seeds", "median second-first", "p", "p (Holm)",
                  "significant"};
  table.left_columns = 2;
  table.also_left = {6};
  for (const PairComparison& pair : report.pairs) {
    table.rows.push_back({report.rows[pair.first].label, report.rows[pair.second].label,
                          count_text(pair.seeds), difference_cell(pair.median_difference_ns),
                          pair.seeds > 0 ? p_text(pair.test.p_two_sided) : "-",
                          pair.seeds > 0 ? p_text(pair.p_holm) : "-", faster_text(report, pair)});
  }
  return table;
}

std::string compare_ms(sim::Duration duration) {
  return absl::StrFormat("%.1fms", static_cast<double>(duration.ns()) / 1e6);
}

std::string percentile_cell(sim::Duration value, const std::optional<DurationInterval>& interval) {
  const auto ms = [](sim::Duration d) { return static_cast<double>(d.ns()) / 1e6; };
  if (!interval) return absl::StrFormat("%.1f", ms(value));
  return absl::StrFormat("%.1f [%.1f..%.1f]", ms(value), ms(interval->low), ms(interval->high));
}

std::string reasons_cell(const sim::checks::TransitionReasonCounts& reasons) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < reasons.by_reason.size(); ++i) {
    if (reasons.by_reason[i] == 0) continue;
    parts.push_back(absl::StrCat(
        std::string(sim::step_down_reason_name(static_cast<sim::StepDownReason>(i))), " ",
        reasons.by_reason[i]));
  }
  if (reasons.unresolved > 0) parts.push_back(absl::StrCat("unresolved ", reasons.unresolved));
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

std::string failures_cell(uint64_t count, const std::optional<uint64_t>& first_seed) {
  if (count == 0 || !first_seed) return absl::StrCat(count);
  return absl::StrCat(count, " (first seed ", *first_seed, ")");
}

std::string difference_cell(const std::optional<double>& median_ns) {
  if (!median_ns) return "-";
  if (std::isinf(*median_ns)) return *median_ns > 0 ? "unrecovered" : "-unrecovered";
  return absl::StrFormat("%+.1fms", *median_ns / 1e6);
}

std::vector<sim::StepDownReason> reasons_seen(const std::vector<VariantSummary>& rows) {
  std::vector<sim::StepDownReason> seen;
  for (size_t i = 0; i < sim::checks::TransitionReasonCounts::kReasons; ++i) {
    const bool any = std::any_of(rows.begin(), rows.end(), [i](const VariantSummary& row) {
      return row.reasons.by_reason[i] > 0;
    });
    if (any) seen.push_back(static_cast<sim::StepDownReason>(i));
  }
  return seen;
}

CompareReport make_compare_report(const std::vector<CompareVariant>& variants) {
  CompareReport report;
  for (const CompareVariant& variant : variants) {
    report.rows.push_back(summarize_variant(variant));
    report.params.push_back(variant.params());
    report.failures.push_back(variant.failures());
  }
  report.pairs = compare_pairs(variants);
  report.verdict = compare_verdict(variants);
  return report;
}

std::string compare_subject(const CompareReport& report) {
  std::string out = report.scenario;
  if (report.scenario_path != report.scenario) {
    absl::StrAppend(&out, " (", report.scenario_path, ")");
  }
  absl::StrAppend(&out, ", seeds ", report.seed_first, "..", report.seed_last);
  return out;
}

std::string compare_verdict_line(const CompareReport& report) {
  uint64_t runs = 0, safety = 0, liveness = 0, other = 0;
  for (const VariantSummary& row : report.rows) {
    runs += row.runs;
    safety += row.safety_failures;
    liveness += row.liveness_failures;
    other += row.internal_errors + row.budget_exceeded;
  }
  const std::string kind = report.varied ? absl::StrCat("values of ", *report.varied)
                                         : std::string("algorithms");
  std::string line = absl::StrCat("compare verdict: ", verdict_name(report.verdict), ": ",
                                  report.rows.size(), " ", kind, " x seeds ", report.seed_first,
                                  "..", report.seed_last, ", ", runs, " runs");
  if (safety + liveness + other > 0) {
    absl::StrAppend(&line, ", ", safety, " safety and ", liveness, " liveness failures");
    if (other > 0) absl::StrAppend(&line, ", ", other, " not judged");
  }
  return line + "\n";
}

std::string compare_to_text(const CompareReport& report) {
  std::string out = absl::StrCat(report.version, "\ncompare ", compare_subject(report));
  if (!report.overrides.empty()) absl::StrAppend(&out, " ", absl::StrJoin(report.overrides, " "));
  absl::StrAppend(&out, ": every ", report.varied ? "value" : "algorithm",
                  " runs the same seeds, and a seed gives each the same fault schedule\n\n");
  absl::StrAppend(&out, table_text(recovery_table(report)), "\n",
                  table_text(leadership_table(report)), "\n");
  if (!report.pairs.empty()) absl::StrAppend(&out, table_text(pairwise_table(report)), "\n");
  const std::string failures = failures_text(report);
  if (!failures.empty()) absl::StrAppend(&out, failures, "\n");
  return out + compare_verdict_line(report);
}

std::string compare_to_csv(const CompareReport& report) {
  Row header{"variant", "algorithm", "runs",
             "recovery_windows", "unrecovered", "recovery_p50_ns", "recovery_p50_low_ns",
             "recovery_p50_high_ns", "recovery_p90_ns", "recovery_p90_low_ns",
             "recovery_p90_high_ns", "recovery_p99_ns", "recovery_p99_low_ns",
             "recovery_p99_high_ns", "recovery_max_ns", "leaderless_per_run_ns",
             "leaderless_total_ns", "leader_changes"};
  for (size_t i = 0; i < sim::checks::TransitionReasonCounts::kReasons; ++i) {
    header.push_back(absl::StrCat(
        "changes_", std::string(sim::step_down_reason_name(static_cast<sim::StepDownReason>(i)))));
  }
  for (const char* name :
       {"changes_unresolved", "overlaps", "overlap_total_ns", "stale_writes_accepted",
        "messages_per_election", "safety_failures", "first_safety_seed", "liveness_failures",
        "first_liveness_seed", "internal_errors", "budget_exceeded"}) {
    header.push_back(name);
  }
  std::string out = absl::StrJoin(header, ",") + "\r\n";
  for (const VariantSummary& row : report.rows) {
    Row cells{row.label, row.algorithm, count_text(row.runs), count_text(row.recovery.count),
              count_text(row.recovery.unrecovered)};
    const bool any = row.recovery.count > 0;
    for (const auto& [value, interval] :
         {std::pair{row.recovery.p50, row.p50_interval},
          std::pair{row.recovery.p90, row.p90_interval},
          std::pair{row.recovery.p99, row.p99_interval}}) {
      cells.push_back(any ? absl::StrCat(value.ns()) : "");
      cells.push_back(interval_end(interval, true));
      cells.push_back(interval_end(interval, false));
    }
    cells.push_back(any ? absl::StrCat(row.recovery.max.ns()) : "");
    cells.push_back(absl::StrCat(row.leaderless_per_run.ns()));
    cells.push_back(absl::StrCat(row.leaderless_total.ns()));
    cells.push_back(count_text(row.leader_changes));
    for (uint64_t count : row.reasons.by_reason) cells.push_back(count_text(count));
    cells.push_back(count_text(row.reasons.unresolved));
    cells.push_back(count_text(row.overlaps));
    cells.push_back(absl::StrCat(row.overlap_length.ns()));
    cells.push_back(optional_text(row.stale_writes));
    cells.push_back(row.messages_per_election ? absl::StrFormat("%.3f", *row.messages_per_election)
                                              : "");
    cells.push_back(count_text(row.safety_failures));
    cells.push_back(optional_text(row.first_safety_seed));
    cells.push_back(count_text(row.liveness_failures));
    cells.push_back(optional_text(row.first_liveness_seed));
    cells.push_back(count_text(row.internal_errors));
    cells.push_back(count_text(row.budget_exceeded));
    for (std::string& cell : cells) cell = csv_field(cell);
    out += absl::StrJoin(cells, ",") + "\r\n";
  }
  return out;
}

nlohmann::ordered_json compare_to_json(const CompareReport& report) {
  Json rows = Json::array();
  for (size_t i = 0; i < report.rows.size(); ++i) rows.push_back(row_json(report, i));
  return Json{{"electsim", report.version},
              {"scenario", report.scenario},
              {"scenario_path", report.scenario_path},
              {"seeds", {{"first", report.seed_first}, {"last", report.seed_last}}},
              {"varied", report.varied ? Json(*report.varied) : Json(nullptr)},
              {"overrides", report.overrides},
              {"verdict", verdict_name(report.verdict)},
              {"variants", rows},
              {"pairwise", pairs_json(report)}};
}

}  // namespace electsim::reports
