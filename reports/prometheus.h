// Leadership metrics in the Prometheus text exposition format, version 0.0.4 (`--metrics FILE`;
// docs/METRICS.md). The format is the one at prometheus.io/docs/instrumenting/exposition_formats
// ("Text format details"): one `# HELP` and one `# TYPE` line per metric family, all of a
// family's samples together, label values escaped (\ as \\, " as \", a line feed as \n), and no
// timestamps, so the same runs always give the same bytes.
//
// Every sample carries `scenario` and `algorithm` labels (and `variant` for a parameter value
// of `compare --vary`). A file holds the metrics of runs summed per label set, and every file
// gives a family the same HELP and TYPE, so files of different scenarios or algorithms can be
// served side by side (node_exporter's textfile collector reads every *.prom file of its folder,
// takes no timestamps, and asks for files written aside and renamed into place, as
// scenarios/outputs.h does: prometheus/node_exporter README.md, "Textfile Collector"). What a
// file exports:
//   - MetricsScope::kOneRun (`run --metrics`): the run's end state too, electsim_is_leader per
//     member and electsim_run_info (seed, fingerprint, verdict);
//   - MetricsScope::kManyRuns (`sweep --metrics`, and `compare`): sums over the runs, and
//     electsim_runs_total by verdict instead; who led at the end of many runs means nothing.
// A figure no run measured is not exported: electsim_stale_writes_accepted_total needs a fenced
// resource, and the leaderless and overlap totals need every run's leadership figures.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "reports/run_result.h"

namespace electsim::reports {

enum class MetricsScope : uint8_t { kOneRun, kManyRuns };

// The recovery histogram's upper bounds (see prometheus.cc for why these).
inline constexpr size_t kRecoveryBuckets = 14;
extern const std::array<sim::Duration, kRecoveryBuckets> kRecoveryBucketBounds;

class PrometheusWriter {
 public:
  explicit PrometheusWriter(MetricsScope scope) : scope_(scope) {}

  // Adds a run to its (scenario, algorithm)'s totals. kOneRun expects one run in all. A
  // comparison of parameter values (`compare --vary`) names each value in `variant`
  // ("election_timeout=12ms..24ms"), which becomes a `variant` label and keeps the values apart.
  void add_run(const RunResult& run, std::string_view variant = "");
  // The whole exposition, ending in a line feed; the families have HELP and TYPE even with no
  // samples.
  std::string text() const;

  using Labels = std::vector<std::pair<std::string, std::string>>;

 private:
  // What the runs of one (scenario, algorithm) add up to.
  struct Totals {
    uint64_t runs = 0;
    std::array<uint64_t, 5> runs_by_verdict{};  // by Verdict
    sim::checks::TransitionReasonCounts changes;
    std::array<uint64_t, kRecoveryBuckets> recovery_buckets{};  // not cumulative
    uint64_t recovery_count = 0;
    int64_t recovery_sum_ns = 0;
    uint64_t leadership_measured = 0;  // runs with leadership figures
    int64_t leaderless_ns = 0;
    int64_t overlap_ns = 0;
    uint64_t leader_changes_fired = 0;
    uint64_t leaderless_fired = 0;
    uint64_t writes_measured = 0;  // runs with a fenced resource
    uint64_t stale_writes_accepted = 0;
    bool leader_changes_rule = false;  // whether any run had the alert rule
    bool leaderless_rule = false;
    // kOneRun: the run's identity and each member's end state.
    std::vector<std::pair<std::string, std::string>> run_info;  // label name, value
    struct LeaderGauge {
      std::string group;
      std::string process;
      bool leading = false;
    };
    std::vector<LeaderGauge> is_leader;
  };
  using Key = std::tuple<std::string, std::string, std::string>;  // scenario, algorithm, variant

  template <class Write>
  void for_each(Write&& write) const;
  void write_end_state(std::string& out) const;
  void write_runs(std::string& out) const;
  void write_changes(std::string& out) const;
  void write_times(std::string& out) const;
  void write_recovery(std::string& out) const;
  void write_damage_and_alerts(std::string& out) const;

  MetricsScope scope_;
  std::map<Key, Totals> totals_;  // ordered: the output never depends on the order runs came
};

// A label value escaped for the exposition format.
std::string escape_label_value(std::string_view value);
// Integer nanoseconds as exact decimal seconds: 1500000000 is "1.5", 1 is "0.000000001".
std::string seconds_text(int64_t nanoseconds);

}  // namespace electsim::reports
