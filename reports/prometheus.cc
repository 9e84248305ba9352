#include "reports/prometheus.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sim/layout.h"

namespace electsim::reports {
namespace {

using sim::Duration;
using Labels = PrometheusWriter::Labels;

constexpr size_t kVerdicts = 5;  // Verdict's values

}  // namespace

// Election times run from about 10 ms to minutes, so the buckets span 10 ms to 5 min in a
// 1-2.5-5 series. At the short end, Figure 16 of the Raft paper (Ongaro and Ousterhout, USENIX
// ATC 2014, §9.3) has timeouts of 12-24 ms, whose elections need the 10/25/50 ms buckets; Raft's
// usual 150-300 ms land in 250/500 ms. In the middle, a Kubernetes Lease holder's successor waits
// out the lease duration, 15 s by default for Kubernetes' components (DefaultLeaseDuration, with
// RenewDeadline 10 s and RetryPeriod 2 s, in k8s.io/kubernetes pkg/client/leaderelectionconfig),
// which lands in 25 s.
// Above, 60 s to 300 s catch session timeouts and livelocked elections. client_golang's default
// buckets (prometheus.DefBuckets, 5 ms to 10 s) would put every lease recovery in +Inf.
const std::array<Duration, kRecoveryBuckets> kRecoveryBucketBounds = {
    Duration::milliseconds(10),  Duration::milliseconds(25),  Duration::milliseconds(50),
    Duration::milliseconds(100), Duration::milliseconds(250), Duration::milliseconds(500),
    Duration::seconds(1),        Duration::milliseconds(2500), Duration::seconds(5),
    Duration::seconds(10),       Duration::seconds(25),       Duration::seconds(60),
    Duration::seconds(120),      Duration::seconds(300),
};

std::string escape_label_value(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string seconds_text(int64_t nanoseconds) {
  constexpr int64_t kPerSecond = 1'000'000'000;
  const bool negative = nanoseconds < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(nanoseconds)
                                      : static_cast<uint64_t>(nanoseconds);
  std::string text = absl::StrCat(negative ? "-" : "", magnitude / kPerSecond);
  uint64_t fraction = magnitude % kPerSecond;
  if (fraction == 0) return text;
  std::string digits = std::to_string(fraction);
  digits.insert(0, 9 - digits.size(), '0');
  digits.erase(digits.find_last_not_of('0') + 1);
  return absl::StrCat(text, ".", digits);
}

namespace {

// One metric family being written: its HELP and TYPE lines once, then its samples.
class Family {
 public:
  Family(std::string& out, std::string_view name, std::string_view type, std::string_view help)
      : out_(out), name_(name) {
    absl::StrAppend(&out_, "# HELP ", std::string(name), " ", std::string(help), "\n",
                    "# TYPE ", std::string(name), " ", std::string(type), "\n");
  }
  void sample(std::string_view suffix, const Labels& labels, std::string_view value) {
    absl::StrAppend(&out_, name_, std::string(suffix));
    if (!labels.empty()) {
      out_ += '{';
      for (size_t i = 0; i < labels.size(); ++i) {
        absl::StrAppend(&out_, i == 0 ? "" : ",", labels[i].first, "=\"",
                        escape_label_value(labels[i].second), "\"");
      }
      out_ += '}';
    }
    absl::StrAppend(&out_, " ", std::string(value), "\n");
  }
  void sample(const Labels& labels, uint64_t value) { sample("", labels, absl::StrCat(value)); }

 private:
  std::string& out_;
  std::string name_;
};

Labels with(Labels labels, std::string name, std::string value) {
  labels.emplace_back(std::move(name), std::move(value));
  return labels;
}

}  // namespace

void PrometheusWriter::add_run(const RunResult& run, std::string_view variant) {
  Totals& totals = totals_[Key{run.scenario, run.algorithm, std::string(variant)}];
  ++totals.runs;
  ++totals.runs_by_verdict[static_cast<size_t>(run.verdict)];
  const sim::checks::TransitionReasonCounts& counts = run.checks.transition_reasons;
  for (size_t i = 0; i < counts.by_reason.size(); ++i) {
    totals.changes.by_reason[i] += counts.by_reason[i];
  }
  totals.changes.unresolved += counts.unresolved;
  for (const Duration recovery : run.checks.recovery) {
    const auto bucket = std::lower_bound(kRecoveryBucketBounds.begin(),
                                         kRecoveryBucketBounds.end(), recovery);
    if (bucket != kRecoveryBucketBounds.end()) {
      ++totals.recovery_buckets[static_cast<size_t>(bucket - kRecoveryBucketBounds.begin())];
    }
    ++totals.recovery_count;
    totals.recovery_sum_ns += recovery.ns();
  }
  totals.leader_changes_rule |= run.alert_rules.leader_changes.has_value();
  totals.leaderless_rule |= run.alert_rules.leaderless_longer_than.has_value();
  if (run.leadership) {
    ++totals.leadership_measured;
    totals.leaderless_ns += run.leadership->leaderless.ns();
    totals.overlap_ns += run.leadership->overlap.ns();
    totals.leader_changes_fired += run.leadership->leader_changes_fired;
    totals.leaderless_fired += run.leadership->leaderless_fired;
  }
  if (run.checks.writes) {
    ++totals.writes_measured;
    totals.stale_writes_accepted += run.checks.writes->stale_writes_accepted;
  }
  if (scope_ != MetricsScope::kOneRun) return;
  totals.run_info = {{"seed", absl::StrCat(run.seed)},
                     {"fingerprint", format_fingerprint(run.fingerprint)},
                     {"verdict", verdict_name(run.verdict)},
                     {"electsim_version", run.build.version}};
  if (!run.leadership || run.leadership->layout == nullptr) return;
  const sim::Layout* layout = run.leadership->layout.get();
  const std::vector<sim::ProcessId>& leading = run.leadership->leading_at_end;
  for (const sim::ProcessId member : layout->of_kind(sim::ProcessKind::kMember)) {
    totals.is_leader.push_back(Totals::LeaderGauge{
        sim::Layout::group_name(layout->process(member).group), layout->process_name(member),
        std::binary_search(leading.begin(), leading.end(), member)});
  }
}

template <class Write>
void PrometheusWriter::for_each(Write&& write) const {
  for (const auto& [key, totals] : totals_) {
    const auto& [scenario, algorithm, variant] = key;
    Labels labels{{"scenario", scenario}, {"algorithm", algorithm}};
    if (!variant.empty()) labels.emplace_back("variant", variant);
    write(labels, totals);
  }
}

// kOneRun: the run's identity and who led when it ended.
void PrometheusWriter::write_end_state(std::string& out) const {
  Family info(out, "electsim_run_info", "gauge",
              "The run these metrics describe: its seed, trace fingerprint, verdict and electsim "
              "version (always 1).");
  for_each([&](const Labels& labels, const Totals& totals) {
    Labels all = labels;
    all.insert(all.end(), totals.run_info.begin(), totals.run_info.end());
    info.sample(all, 1);
  });
  Family is_leader(out, "electsim_is_leader", "gauge",
                   "1 if the process believed it led its group when the run ended, else 0.");
  for_each([&](const Labels& labels, const Totals& totals) {
    for (const Totals::LeaderGauge& gauge : totals.is_leader) {
      is_leader.sample(with(with(labels, "group", gauge.group), "process", gauge.process),
                       gauge.leading ? 1 : 0);
    }
  });
}

void PrometheusWriter::write_runs(std::string& out) const {
  Family runs(out, "electsim_runs_total", "counter", "Runs, by verdict.");
  for_each([&](const Labels& labels, const Totals& totals) {
    for (size_t i = 0; i < kVerdicts; ++i) {
      runs.sample(with(labels, "verdict", verdict_name(static_cast<Verdict>(i))),
                  totals.runs_by_verdict[i]);
    }
  });
}

// Every reason in sim::StepDownReason's order, zeros included, so that the series exist before
// their first increase (a rule's increase() sees a counter's first value only as a start).
void PrometheusWriter::write_changes(std::string& out) const {
  Family changes(out, "electsim_leader_changes_total", "counter",
                 "Leaders elected, by why the previous leadership of the group ended (startup "
                 "for a group's first leader; unresolved if it still believed at the end).");
  for_each([&](const Labels& labels, const Totals& totals) {
    const auto& by_reason = totals.changes.by_reason;
    for (size_t i = 0; i < by_reason.size(); ++i) {
      const auto reason = static_cast<sim::StepDownReason>(i);
      changes.sample(with(labels, "reason", std::string(sim::step_down_reason_name(reason))),
                     by_reason[i]);
    }
    changes.sample(with(labels, "reason", "unresolved"), totals.changes.unresolved);
  });
}

void PrometheusWriter::write_times(std::string& out) const {
  Family leaderless(out, "electsim_leaderless_seconds_total", "counter",
                    "True time during which no member of a group believed it led, summed over "
                    "groups (from the start of each run).");
  for_each([&](const Labels& labels, const Totals& totals) {
    if (totals.runs == 0 || totals.leadership_measured != totals.runs) return;
    leaderless.sample("", labels, seconds_text(totals.leaderless_ns));
  });
  Family overlap(out, "electsim_overlap_seconds_total", "counter",
                 "True time during which two or more members of a group believed they led, "
                 "summed over groups.");
  for_each([&](const Labels& labels, const Totals& totals) {
    if (totals.runs == 0 || totals.leadership_measured != totals.runs) return;
    overlap.sample("", labels, seconds_text(totals.overlap_ns));
  });
}

void PrometheusWriter::write_recovery(std::string& out) const {
  Family recovery(out, "electsim_recovery_seconds", "histogram",
                  "How long each disruption took to recover: from the fault until a leader that "
                  "the recovery quorum follows (the run JSON's recovery_ns).");
  for_each([&](const Labels& labels, const Totals& totals) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kRecoveryBuckets; ++i) {
      cumulative += totals.recovery_buckets[i];
      recovery.sample("_bucket", with(labels, "le", seconds_text(kRecoveryBucketBounds[i].ns())),
                      absl::StrCat(cumulative));
    }
    recovery.sample("_bucket", with(labels, "le", "+Inf"), absl::StrCat(totals.recovery_count));
    recovery.sample("_sum", labels, seconds_text(totals.recovery_sum_ns));
    recovery.sample("_count", labels, absl::StrCat(totals.recovery_count));
  });
}

void PrometheusWriter::write_damage_and_alerts(std::string& out) const {
  Family stale(out, "electsim_stale_writes_accepted_total", "counter",
               "Writes the fenced resource accepted from a leadership after it had accepted a "
               "newer one's (only for scenarios with a resource).");
  for_each([&](const Labels& labels, const Totals& totals) {
    if (totals.runs == 0 || totals.writes_measured != totals.runs) return;
    stale.sample(labels, totals.stale_writes_accepted);
  });
  Family alerts(out, "electsim_alerts_fired_total", "counter",
                "Firings of the scenario's alert rules (alerts: in the scenario file); "
                "observations that never change a verdict.");
  for_each([&](const Labels& labels, const Totals& totals) {
    if (totals.leader_changes_rule) {
      alerts.sample(with(labels, "rule", std::string(sim::checks::kLeaderChangesAlert)),
                    totals.leader_changes_fired);
    }
    if (totals.leaderless_rule) {
      alerts.sample(with(labels, "rule", std::string(sim::checks::kLeaderlessAlert)),
                    totals.leaderless_fired);
    }
  });
}

std::string PrometheusWriter::text() const {
  std::string out;
  if (scope_ == MetricsScope::kOneRun) {
    write_end_state(out);
  } else {
    write_runs(out);
  }
  write_changes(out);
  write_times(out);
  write_recovery(out);
  write_damage_and_alerts(out);
  return out;
}

}  // namespace electsim::reports
