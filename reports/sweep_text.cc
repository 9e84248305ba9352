#include "reports/sweep_text.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace electsim::reports {
namespace {

// Milliseconds with one decimal read best in a summary; exact values are in the JSON.
std::string human(sim::Duration d) {
  if (d >= sim::Duration::seconds(10)) {
    return absl::StrFormat("%.2fs", static_cast<double>(d.ns()) / 1e9);
  }
  return absl::StrFormat("%.1fms", static_cast<double>(d.ns()) / 1e6);
}

std::string true_time(sim::Instant t) {
  return absl::StrFormat("%.9fs", static_cast<double>(t.ns()) / 1e9);
}

std::string seeds_line(const SweepSummary& summary) {
  const std::string requested =
      absl::StrCat(summary.requested_first(), "..", summary.requested_last());
  if (!summary.interrupted()) return absl::StrCat("seeds ", requested);
  if (!summary.seed_last()) {
    return absl::StrCat("seeds ", requested, ": interrupted before any seed finished");
  }
  return absl::StrCat("seeds ", summary.seed_first(), "..", *summary.seed_last(), " of ",
                      requested, " (interrupted: the summary covers the finished seeds ",
                      summary.seed_first(), "..", *summary.seed_last(), ")");
}

std::string counts_line(const SweepSummary& summary) {
  std::string line = absl::StrCat("passed ", summary.passed(), ", failed ", summary.failed(),
                                  " (", summary.safety_failures(), " safety, ",
                                  summary.liveness_failures(), " liveness");
  if (summary.internal_errors() > 0) {
    absl::StrAppend(&line, ", ", summary.internal_errors(), " internal errors");
  }
  if (summary.budget_exceeded() > 0) {
    absl::StrAppend(&line, ", ", summary.budget_exceeded(), " over budget");
  }
  return line + ")\n";
}

// "; 2 windows never recovered", or nothing when every window recovered.
std::string unrecovered_text(uint64_t unrecovered) {
  if (unrecovered == 0) return "";
  return absl::StrCat("; ", unrecovered, unrecovered == 1 ? " window" : " windows",
                      " never recovered");
}

std::string recovery_line(SweepSummary& summary) {
  const Percentiles p = summary.recovery();
  if (p.count == 0 && p.unrecovered == 0) return "recovery: no disruption measured\n";
  if (p.count == 0) {
    return absl::StrCat("recovery: no window recovered", unrecovered_text(p.unrecovered), "\n");
  }
  std::string line = absl::StrCat("recovery over ", p.count, " windows: p50 ", human(p.p50),
                                  ", p90 ", human(p.p90), ", p99 ", human(p.p99), ", max ",
                                  human(p.max));
  if (p.approximate) {
    absl::StrAppend(&line, absl::StrFormat(" (approximate: percentiles within %.2f%%)",
                                           RecoveryDistribution::kRelativeError * 100));
  }
  return line + unrecovered_text(p.unrecovered) + "\n";
}

// How many seeds' numbers a line lists before it says "and N more".
constexpr size_t kSeedsListed = 20;

// The fenced resource over the sweep: the writes accepted and the damage, with its seeds.
std::string writes_line(const SweepSummary& summary) {
  if (!summary.writes_measured()) return "writes: not measured (the scenario has no resource)\n";
  std::string line = absl::StrCat("writes: ", summary.writes_accepted(),
                                  " accepted; damage: ", summary.stale_writes_accepted(),
                                  " stale writes accepted");
  if (summary.damaged_seed_count() == 0) return line + "\n";
  const auto& seeds = summary.damaged_seeds();
  const size_t listed = std::min(seeds.size(), kSeedsListed);
  absl::StrAppend(&line, " in ", summary.damaged_seed_count(), " seeds (",
                  absl::StrJoin(seeds.begin(), seeds.begin() + static_cast<std::ptrdiff_t>(listed),
                                ", "));
  if (summary.damaged_seed_count() > listed) {
    absl::StrAppend(&line, " and ", summary.damaged_seed_count() - listed, " more");
  }
  return line + ")\n";
}

// The scenario's alert rules over the sweep; nothing when it has none.
std::string alerts_line(const SweepSummary& summary) {
  std::vector<std::string> parts;
  const auto part = [&parts](std::string_view rule, const SweepSummary::AlertTally& tally) {
    if (!tally.ruled) return;
    const char* times = tally.fired == 1 ? " time in " : " times in ";
    const char* seeds = tally.seeds == 1 ? " seed" : " seeds";
    parts.push_back(absl::StrCat(std::string(rule), " fired ", tally.fired, times, tally.seeds,
                                 seeds));
  };
  part(sim::checks::kLeaderChangesAlert, summary.leader_changes_alerts());
  part(sim::checks::kLeaderlessAlert, summary.leaderless_alerts());
  if (parts.empty()) return "";
  return absl::StrCat("alerts: ", absl::StrJoin(parts, "; "),
                      " (observations, not checks: the verdict ignores them)\n");
}

std::string failures_text(const SweepSummary& summary, size_t max_failures) {
  std::string out;
  size_t printed = 0;
  for (const FailureNote& note : summary.failure_notes()) {
    if (printed == max_failures) break;
    ++printed;
    absl::StrAppend(&out, "  seed ", note.seed, " ", verdict_name(note.verdict), " - ", note.what);
    if (note.verdict == Verdict::kInternalError || note.verdict == Verdict::kBudgetExceeded) {
      absl::StrAppend(&out, " (true time ", true_time(note.time), ")");
    }
    absl::StrAppend(&out, "\n    ", note.reproduce, "\n");
  }
  if (summary.failed() > printed) {
    absl::StrAppend(&out, "  ... ", summary.failed() - printed,
                    " more failing seeds (every run is in --json)\n");
  }
  return out;
}

}  // namespace

std::string sweep_verdict_line(const SweepSummary& summary) {
  std::string line = absl::StrCat("verdict ", verdict_name(sweep_verdict(summary)), ": ",
                                  summary.seeds(), " seeds, ", summary.passed(), " passed, ",
                                  summary.failed(), " failed");
  if (summary.interrupted()) absl::StrAppend(&line, ", interrupted");
  return line + "\n";
}

std::string sweep_to_text(SweepSummary& summary, const SweepTextOptions& options) {
  std::string out = absl::StrCat("scenario ", summary.scenario(), ", algorithm ",
                                 summary.algorithm(), ", ", seeds_line(summary), "\n");
  if (!summary.overrides().empty()) {
    absl::StrAppend(&out, "overrides ", absl::StrJoin(summary.overrides(), " "), "\n");
  }
  absl::StrAppend(&out, counts_line(summary), recovery_line(summary), writes_line(summary),
                  alerts_line(summary));
  absl::StrAppend(&out, failures_text(summary, options.max_failures));
  if (options.wall_seconds) {
    const double seconds = *options.wall_seconds;
    absl::StrAppend(&out, absl::StrFormat("took %.2fs of wall time", seconds));
    if (seconds > 0) {
      absl::StrAppend(&out, absl::StrFormat(" (%.0f seeds/s)",
                                            static_cast<double>(summary.seeds()) / seconds));
    }
    absl::StrAppend(&out, "\n");
  }
  return out + sweep_verdict_line(summary);
}

std::string run_failure_to_text(const RunResult& run) {
  std::string out = absl::StrCat("scenario  ", run.scenario, " (", run.scenario_path, "), seed ",
                                 run.seed, "\n");
  absl::StrAppend(&out, "algorithm ", run.algorithm, "\n\n");
  absl::StrAppend(&out, verdict_name(run.verdict), " at true time ", true_time(run.error_time),
                  ":\n  ", run.error, "\n\n");
  absl::StrAppend(&out, "verdict     ", verdict_name(run.verdict), "\n");
  absl::StrAppend(&out, "reproduce   ", run.reproduce, "\n");
  return out;
}

std::string run_failure_line(const RunResult& run) {
  return absl::StrCat(verdict_name(run.verdict), " in seed ", run.seed, " at true time ",
                      true_time(run.error_time), ": ", run.error, "; reproduce: ", run.reproduce);
}

}  // namespace electsim::reports
