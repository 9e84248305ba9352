#include "reports/regression_gate.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace electsim::reports {
namespace {

using Json = nlohmann::ordered_json;

// The gate's figures, in the order of the table, with their JSON names and units.
struct GateFigure {
  Figure figure;
  const char* key;   // in the JSON
  bool is_time;      // nanoseconds, shown in milliseconds
};

const std::vector<GateFigure>& gate_figures() {
  static const std::vector<GateFigure>* const kFigures = new std::vector<GateFigure>{
      {{"recovery p50", Figure::Kind::kQuantile, 50}, "recovery_p50_ns", true},
      {{"recovery p99", Figure::Kind::kQuantile, 99}, "recovery_p99_ns", true},
      {{"elections per fault", Figure::Kind::kRatioOfTotals, 0}, "elections_per_fault", false},
      {{"messages per election", Figure::Kind::kRatioOfTotals, 0}, "messages_per_election",
       false},
  };
  return *kFigures;
}

// Each run's contribution to figure `index` of gate_figures().
std::vector<SeedFigures> seed_figures(const std::vector<GateRun>& runs, size_t index) {
  std::vector<SeedFigures> sample;
  sample.reserve(runs.size());
  for (const GateRun& run : runs) {
    SeedFigures seed;
    seed.seed = run.seed;
    switch (index) {
      case 0:
      case 1:
        for (int64_t ns : run.recovery_ns) seed.values.push_back(static_cast<double>(ns));
        break;
      case 2:
        seed.numerator = static_cast<double>(run.elections > run.groups ? run.elections -
                                                                              run.groups
                                                                        : 0);
        seed.denominator = static_cast<double>(run.faults);
        break;
      default:
        // A seed whose file predates the count is left out (a zero denominator is no value).
        seed.numerator = static_cast<double>(run.election_messages.value_or(0));
        seed.denominator = run.election_messages ? static_cast<double>(run.elections) : 0.0;
        break;
    }
    sample.push_back(std::move(seed));
  }
  return sample;
}

std::string value_text(const std::optional<double>& value, bool is_time) {
  if (!value) return "-";
  if (is_time) return absl::StrFormat("%.1fms", *value / 1e6);
  return absl::StrFormat("%.3f", *value);
}

std::string change_text(const std::optional<double>& change) {
  if (!change) return "-";
  return absl::StrFormat("%+.1f%%", *change * 100);
}

std::string interval_text(const FigureComparison& comparison) {
  if (!comparison.change_low || !comparison.change_high) return "-";
  return absl::StrCat(change_text(comparison.change_low), "..",
                      change_text(comparison.change_high));
}

std::string p_text(const std::optional<double>& p) {
  if (!p) return "-";
  return absl::StrFormat("%.3g", *p);
}

std::string percent_text(double share) { return absl::StrFormat("%g%%", share * 100); }

Json optional_json(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

// The rank test on per-seed values, a second opinion the verdict does not use.
Json rank_test_json(const FigureComparison& c) {
  return Json{{"test", c.paired ? "wilcoxon_signed_rank" : "mann_whitney"},
              {"statistic", c.rank_test.statistic},
              {"values", c.rank_test.count},
              {"exact", c.rank_test.exact},
              {"p_greater", c.rank_test.p_greater}};
}

}  // namespace

GateRun gate_run_of(const RunResult& run) {
  GateRun gate;
  gate.seed = run.seed;
  for (sim::Duration recovery : run.checks.recovery) gate.recovery_ns.push_back(recovery.ns());
  gate.elections = run.checks.leader_changes;
  gate.faults = static_cast<uint64_t>(std::count_if(
      run.faults.begin(), run.faults.end(), [](const FaultRecord& f) { return !f.skipped; }));
  gate.election_messages = run.election_messages_sent;
  gate.groups = run.checks.groups ? std::max<uint32_t>(run.checks.groups->groups, 1) : 1;
  return gate;
}

bool gate_counts(const RunResult& run) {
  return run.verdict != Verdict::kInternalError && run.verdict != Verdict::kBudgetExceeded;
}

bool GateResult::regression() const {
  return std::any_of(rows.begin(), rows.end(), [](const GateRow& row) { return row.regression; });
}

GateResult run_gate(const std::vector<GateRun>& baseline, const std::vector<GateRun>& now,
                    const GateSubject& subject, const GateOptions& options) {
  GateResult result;
  result.subject = subject;
  result.options = options;
  const auto& figures = gate_figures();
  for (size_t i = 0; i < figures.size(); ++i) {
    const std::vector<SeedFigures> before = seed_figures(baseline, i);
    const std::vector<SeedFigures> after = seed_figures(now, i);
    const Pairing pairing = pair_by_seed(before, after, options.comparison.min_paired_share);
    GateRow row;
    row.comparison = compare_figure(figures[i].figure, before, after, pairing, options.comparison);
    row.regression = is_regression(row.comparison, options.tolerance);
    result.paired = pairing.paired;
    result.seeds_baseline = pairing.baseline.size();
    result.seeds_now = pairing.now.size();
    result.rows.push_back(std::move(row));
  }
  return result;
}

std::string gate_verdict_line(const GateResult& result) {
  std::vector<std::string> worse;
  for (const GateRow& row : result.rows) {
    if (!row.regression) continue;
    worse.push_back(absl::StrCat(row.comparison.figure, " ", change_text(row.comparison.change),
                                 " (", interval_text(row.comparison), ")"));
  }
  const std::string against = absl::StrCat("against ", result.subject.baseline_path);
  if (worse.empty()) {
    return absl::StrCat("regression gate: pass ", against, " (tolerance ",
                        percent_text(result.options.tolerance), ")\n");
  }
  return absl::StrCat("regression gate: REGRESSION ", against, ": ", absl::StrJoin(worse, ", "),
                      "; tolerance ", percent_text(result.options.tolerance), "\n");
}

std::string gate_to_text(const GateResult& result) {
  const double confidence = result.options.comparison.confidence;
  std::string text = absl::StrCat(
      "baseline    ", result.subject.baseline_path, ": ", result.subject.baseline_description,
      "\ncompared    ",
      result.paired ? absl::StrCat("paired on ", result.seeds_now, " common seeds")
                    : absl::StrCat("unpaired: ", result.seeds_baseline, " baseline seeds, ",
                                   result.seeds_now, " seeds now"),
      "; tolerance ", percent_text(result.options.tolerance), "\n");
  const std::string interval_header = absl::StrCat(percent_text(confidence), " interval");
  absl::StrAppend(&text, absl::StrFormat("  %-22s %10s %10s %8s %18s %8s  %s\n", "figure",
                                         "baseline", "now", "change", interval_header, "p",
                                         "verdict"));
  const auto& figures = gate_figures();
  for (size_t i = 0; i < result.rows.size(); ++i) {
    const GateRow& row = result.rows[i];
    const FigureComparison& c = row.comparison;
    absl::StrAppend(&text, absl::StrFormat("  %-22s %10s %10s %8s %18s %8s  %s\n", c.figure,
                                           value_text(c.baseline, figures[i].is_time),
                                           value_text(c.now, figures[i].is_time),
                                           change_text(c.change), interval_text(c),
                                           p_text(c.p_not_larger),
                                           row.regression ? "WORSE" : "ok"));
  }
  return text + gate_verdict_line(result);
}

Json gate_to_json(const GateResult& result) {
  Json figures = Json::array();
  const auto& specs = gate_figures();
  for (size_t i = 0; i < result.rows.size(); ++i) {
    const FigureComparison& c = result.rows[i].comparison;
    figures.push_back(Json{{"figure", specs[i].key},
                           {"baseline", optional_json(c.baseline)},
                           {"now", optional_json(c.now)},
                           {"change", optional_json(c.change)},
                           {"change_low", optional_json(c.change_low)},
                           {"change_high", optional_json(c.change_high)},
                           {"p_value", optional_json(c.p_not_larger)},
                           {"rank_test", rank_test_json(c)},
                           {"regression", result.rows[i].regression}});
  }
  return Json{{"baseline", result.subject.baseline_path},
              {"baseline_sweep", result.subject.baseline_description},
              {"paired", result.paired},
              {"seeds_baseline", result.seeds_baseline},
              {"seeds_now", result.seeds_now},
              {"tolerance", result.options.tolerance},
              {"confidence", result.options.comparison.confidence},
              {"resamples", result.options.comparison.resamples},
              {"verdict", result.regression() ? "regression" : "pass"},
              {"figures", figures}};
}

}  // namespace electsim::reports
