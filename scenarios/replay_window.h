// What `electsim replay` keeps of a run (scenarios/replay_command.h): for each violation, the
// records in a window of true time before and after it, the faults in force at its time and each
// host's clock then. Memory stays bounded whatever the run's length: a ring holds the last
// `window` of records, each violation collects records only until its time plus the window, and
// every list has a cap (the records beyond it are counted, not kept).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/runner.h"
#include "sim/checks/checks.h"
#include "sim/clock.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::scenarios {

// A fault that had started and not yet ended at a violation's time.
struct FaultInForce {
  uint64_t index = 0;       // in the run's fault plan
  uint64_t kind_code = 0;   // faults::FaultKind
  sim::HostId host = sim::kNoHost;
  sim::Instant started;
  std::string label;        // as the checks name it ("crash leader at 10s"), or empty
};

// One host's clock, read at a violation's true time.
struct HostClockReading {
  sim::HostId host = 0;
  sim::LocalInstant local;
  int64_t drift_ppm = 0;
  bool crashed = false;  // as found when the violation was reported
  bool paused = false;
  // Set when the clock changed between the violation's time and its discovery (a late-found
  // liveness violation): the reading is then at this later time, the clock's current segment.
  std::optional<sim::Instant> read_at;
};

struct ReplayedViolation {
  sim::checks::Violation violation;
  std::vector<sim::TraceRecord> before;  // from its time minus the window until it was found
  std::vector<sim::TraceRecord> after;   // from then until its time plus the window
  // Records in the window that the caps left out (before: the ring's oldest).
  bool before_truncated = false;
  uint64_t after_omitted = 0;
  std::vector<FaultInForce> faults;
  std::vector<HostClockReading> clocks;
};

class ReplayWindow final : public RunWatcher {
 public:
  // The most records kept on either side of one violation, and the most violations kept.
  static constexpr size_t kMaxRecordsPerSide = 2000;
  static constexpr size_t kMaxViolations = 10;

  explicit ReplayWindow(sim::Duration window);

  void on_start(const sim::World& world, const std::vector<std::string>& fault_labels) override;
  void on_record(const sim::TraceRecord& record) override;
  void on_violation(const sim::checks::Violation& violation) override;

  const std::vector<ReplayedViolation>& violations() const { return violations_; }
  // Violations found beyond kMaxViolations (reported by the checks all the same).
  uint64_t violations_omitted() const { return violations_omitted_; }
  sim::Duration window() const { return window_; }
  const std::vector<std::string>& fault_labels() const { return fault_labels_; }

 private:
  struct HostState {
    sim::LocalClock clock;
    sim::Instant last_clock_change;
    bool crashed = false;
    bool paused = false;
  };
  struct FaultTimes {
    uint64_t kind_code = 0;
    sim::HostId host = sim::kNoHost;
    sim::Instant started;
    std::optional<sim::Instant> ended;
  };

  void remember(const sim::TraceRecord& record);
  void apply_host_record(const sim::TraceRecord& record);
  void collect_after(const sim::TraceRecord& record);
  std::vector<FaultInForce> faults_at(sim::Instant time) const;
  std::vector<HostClockReading> clocks_at(sim::Instant time) const;

  sim::Duration window_;
  std::deque<sim::TraceRecord> ring_;  // the last `window` of records, at most the cap
  std::optional<sim::Instant> ring_cap_dropped_;  // the latest record the cap pushed out
  std::vector<HostState> hosts_;
  std::map<uint64_t, FaultTimes> faults_;  // by plan index; as many as the plan has faults
  std::vector<std::string> fault_labels_;
  std::vector<ReplayedViolation> violations_;
  std::vector<size_t> collecting_;  // indices into violations_ still collecting `after`
  uint64_t violations_omitted_ = 0;
};

}  // namespace electsim::scenarios
