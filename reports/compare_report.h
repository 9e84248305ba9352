// What `electsim compare` prints and writes (issue 13): the summary table for people (text), and
// the same figures for machines (CSV, one row per variant; JSON, with the pairwise tests too).
// Times in the JSON and CSV are integer nanoseconds with the unit in the key, as in every other
// electsim JSON; the text shows milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/compare_summary.h"

namespace electsim::reports {

struct CompareReport {
  std::string version;        // "electsim 0.1.0 (commit ...)"
  std::string scenario;       // its name
  std::string scenario_path;  // as given
  uint64_t seed_first = 0;
  uint64_t seed_last = 0;
  std::optional<std::string> varied;  // the parameter of --vary; unset: a row per algorithm
  std::vector<std::string> overrides;  // --set, in the words of the command line
  std::vector<VariantSummary> rows;
  std::vector<PairComparison> pairs;
  // Per variant (same order as rows): its resolved parameters and listed failures.
  std::vector<std::vector<RunParam>> params;
  std::vector<std::vector<CompareFailure>> failures;
  Verdict verdict = Verdict::kPass;
};

// Builds the report from the variants (summaries, pairwise tests, verdict).
CompareReport make_compare_report(const std::vector<CompareVariant>& variants);

// The leader-change reasons that occurred in any row, in StepDownReason order.
std::vector<sim::StepDownReason> reasons_seen(const std::vector<VariantSummary>& rows);

// A table of the comparison, for text (aligned columns) and HTML alike.
struct CompareTable {
  std::string caption;  // what the table shows, one sentence
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  size_t left_columns = 1;         // the first columns hold names, left-aligned in text
  std::vector<size_t> also_left;   // other columns of words
};
// Recovery percentiles with their intervals, per row.
CompareTable recovery_table(const CompareReport& report);
// Leaderless time, leader changes by reason, overlaps, stale writes, messages per election and
// the failures with their first seeds, per row.
CompareTable leadership_table(const CompareReport& report);
// One row per pair: seeds, median difference, p, Holm's p, significance and the faster side.
CompareTable pairwise_table(const CompareReport& report);

// "171.9ms"; "-" for nothing. Exposed for the HTML page.
std::string compare_ms(sim::Duration duration);
// "171.9 [168.0..175.2]" for a percentile and its interval.
std::string percentile_cell(sim::Duration value, const std::optional<DurationInterval>& interval);
// "crashed 1000, higher_epoch_seen 3"; "-" when none.
std::string reasons_cell(const sim::checks::TransitionReasonCounts& reasons);
// "0" or "3 (first seed 17)".
std::string failures_cell(uint64_t count, const std::optional<uint64_t>& first_seed);
// "+561.7ms", "unrecovered" (+infinity), "-" (no seeds).
std::string difference_cell(const std::optional<double>& median_ns);

// "leader-crash-all, seeds 1..1000", with the path in brackets when it is not the name.
std::string compare_subject(const CompareReport& report);

// The tables for people: recovery, leadership, the pairwise tests, the failures listed, and
// the verdict line.
std::string compare_to_text(const CompareReport& report);
// "compare verdict: pass: 9 algorithms x 1000 seeds" (or the failures), one line.
std::string compare_verdict_line(const CompareReport& report);
// The per-variant table as CSV (RFC 4180: a header row, fields quoted where needed).
std::string compare_to_csv(const CompareReport& report);
nlohmann::ordered_json compare_to_json(const CompareReport& report);

}  // namespace electsim::reports
