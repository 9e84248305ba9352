// What the leadership timeline picture of one run shows (reports/svg_timeline.h), recorded from
// the run's typed trace records as they happen (issue 13, "Pictures"): per process lane, when it
// led (and which epoch), followed, was down or paused; the faults in force; the fenced
// resource's accepted and refused writes; the violations; and, with several groups, how many
// groups had no leader over time.
//
// The recorder is a trace observer that a command attaches only when it draws a picture (`run
// --html`), so ordinary runs and sweeps pay nothing. Its memory is bounded whatever the run:
// lanes for at most kMaxLaneGroups groups and kMaxLanes processes, capped lists of intervals,
// writes, faults and violations (what the caps leave out is counted, and the picture says so),
// and the leaderless-groups curve kept as kLeaderlessBuckets maxima over equal slices of time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/checks/checks.h"
#include "sim/layout.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::reports {

enum class LaneState : uint8_t { kLeader, kFollower, kDown, kPaused };
const char* lane_state_name(LaneState state);  // "leader", "follower", "down", "paused"

struct TimelineLane {
  sim::ProcessId process = sim::kNoNode;
  std::string name;  // "n2", "g7.n2", "r1", as reports name processes
  std::string kind;  // "member", "service", "resource"
  sim::GroupId group = sim::kNoGroup;
};

struct LaneInterval {
  sim::Instant start;
  sim::Instant end;
  uint32_t lane = 0;
  LaneState state = LaneState::kLeader;
  uint64_t epoch = 0;  // led or followed (leader and follower intervals)
};

struct WriteMark {
  sim::Instant time;
  uint32_t lane = 0;
  bool accepted = false;
  uint64_t token = 0;
};

struct FaultBand {
  uint64_t index = 0;  // in the run's fault plan
  uint64_t kind_code = 0;
  sim::Instant start;
  std::optional<sim::Instant> end;  // none: in force until the run ended
  std::string label;                // "crash leader at 10s", or the fault's kind
};

struct ViolationMark {
  sim::Instant time;
  std::string check;
  std::string detail;
  std::vector<uint32_t> lanes;  // the lanes of the processes it names
};

struct TimelineData {
  std::vector<TimelineLane> lanes;
  uint32_t processes = 0;  // every process of the run (lanes are the shown ones)
  uint32_t groups = 0;
  uint32_t groups_with_lanes = 0;
  std::vector<LaneInterval> intervals;  // in the order they ended
  std::vector<WriteMark> writes;
  std::vector<FaultBand> faults;
  std::vector<ViolationMark> violations;
  uint64_t intervals_omitted = 0;
  uint64_t accepted_writes_omitted = 0;
  uint64_t refused_writes_omitted = 0;
  uint64_t faults_omitted = 0;
  uint64_t violations_omitted = 0;
  // With several groups: the most groups without a leader in each slice of `leaderless_slice`
  // from time zero (empty with one group).
  std::vector<uint32_t> leaderless_max;
  sim::Duration leaderless_slice;
  sim::Instant end;  // when the run ended
};

class TimelineRecorder final : public sim::TraceObserver, public sim::checks::ViolationObserver {
 public:
  static constexpr size_t kMaxLanes = 40;
  static constexpr size_t kMaxLaneGroups = 8;
  static constexpr size_t kMaxIntervals = 20'000;
  static constexpr size_t kMaxWritesOfEachOutcome = 2'000;
  static constexpr size_t kMaxFaults = 200;
  static constexpr size_t kMaxViolations = 100;
  static constexpr size_t kLeaderlessBuckets = 500;

  // `duration`: how long the run is planned to last (the leaderless curve's time slices).
  TimelineRecorder(const sim::Layout& layout, sim::Duration duration);

  // The labels of the run's faults by plan index (for the bands); unlabelled faults are named
  // by their kind.
  void set_fault_labels(std::vector<std::string> labels) { fault_labels_ = std::move(labels); }

  static sim::KindMask kinds();
  void on_record(const sim::TraceRecord& record) override;
  void on_end(sim::Instant end) override;
  void on_violation(const sim::checks::Violation& violation) override;

  // Complete after on_end().
  const TimelineData& data() const { return data_; }

 private:
  struct OpenInterval {
    bool open = false;
    sim::Instant start;
    uint64_t epoch = 0;
  };
  struct LaneProgress {
    OpenInterval leader, follower, down, paused;
  };

  void choose_lanes(const sim::Layout& layout);
  void on_process_record(const sim::TraceRecord& record, uint32_t lane);
  void on_host_record(const sim::TraceRecord& record);
  void on_fault_record(const sim::TraceRecord& record);
  void on_write(const sim::TraceRecord& record);
  void count_leaders(const sim::TraceRecord& record);
  void set_leaderless(sim::Instant at, uint32_t value);
  void open(OpenInterval& interval, sim::Instant at, uint64_t epoch = 0);
  void close(OpenInterval& interval, sim::Instant at, uint32_t lane, LaneState state);
  std::optional<uint32_t> lane_of(sim::ProcessId process) const;

  TimelineData data_;
  std::vector<LaneProgress> progress_;  // by lane
  std::vector<uint32_t> lane_by_process_;  // kNoLane for a process without a lane
  std::vector<std::vector<uint32_t>> lanes_by_host_;
  std::vector<sim::GroupId> group_of_;     // by process, for the leaderless count
  std::vector<uint8_t> leads_;             // by process: it believes it leads
  std::vector<uint32_t> leaders_in_group_;
  uint32_t leaderless_ = 0;
  size_t last_slice_ = 0;
  size_t accepted_writes_kept_ = 0;
  size_t refused_writes_kept_ = 0;
  std::vector<std::string> fault_labels_;
  std::vector<size_t> fault_band_by_index_;  // plan index -> index in data_.faults, or kNone
};

}  // namespace electsim::reports
