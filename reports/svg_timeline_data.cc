#include "reports/svg_timeline_data.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sim/check.h"
#include "sim/trace_records.h"

namespace electsim::reports {
namespace {

constexpr uint32_t kNoLane = UINT32_MAX;
constexpr size_t kNoBand = SIZE_MAX;

}  // namespace

const char* lane_state_name(LaneState state) {
  switch (state) {
    case LaneState::kLeader: return "leader";
    case LaneState::kFollower: return "follower";
    case LaneState::kDown: return "down";
    case LaneState::kPaused: return "paused";
  }
  return "unknown";
}

TimelineRecorder::TimelineRecorder(const sim::Layout& layout, sim::Duration duration) {
  data_.processes = layout.processes();
  data_.groups = layout.groups();
  group_of_.assign(layout.processes(), sim::kNoGroup);
  for (sim::ProcessId process = 0; process < layout.processes(); ++process) {
    group_of_[process] = layout.process(process).group;
  }
  leads_.assign(layout.processes(), 0);
  leaders_in_group_.assign(layout.groups(), 0);
  choose_lanes(layout);
  if (layout.groups() > 1) {
    // Every group starts without a leader; the slices cover the planned duration (a run cut
    // short by its budget leaves the rest at the last value).
    leaderless_ = layout.groups();
    const int64_t slice_ns =
        std::max<int64_t>(1, (duration.ns() + static_cast<int64_t>(kLeaderlessBuckets) - 1) /
                                 static_cast<int64_t>(kLeaderlessBuckets));
    data_.leaderless_slice = sim::Duration::nanoseconds(slice_ns);
    data_.leaderless_max.assign(kLeaderlessBuckets, 0);
    data_.leaderless_max[0] = leaderless_;
  }
}

// The members of the first kMaxLaneGroups groups, then the services and the resource (clients
// idle and get none), at most kMaxLanes in all.
void TimelineRecorder::choose_lanes(const sim::Layout& layout) {
  lane_by_process_.assign(layout.processes(), kNoLane);
  lanes_by_host_.assign(layout.hosts(), {});
  auto add_lane = [&](sim::ProcessId process) {
    if (data_.lanes.size() >= kMaxLanes) return;
    const sim::ProcessSpec& spec = layout.process(process);
    const auto lane = static_cast<uint32_t>(data_.lanes.size());
    data_.lanes.push_back(TimelineLane{process, layout.process_name(process),
                                       std::string(sim::process_kind_name(spec.kind)),
                                       spec.group});
    lane_by_process_[process] = lane;
    lanes_by_host_[spec.host].push_back(lane);
  };
  const uint32_t shown_groups =
      std::min<uint32_t>(layout.groups(), static_cast<uint32_t>(kMaxLaneGroups));
  for (sim::GroupId group = 0; group < shown_groups; ++group) {
    for (const sim::ProcessId member : layout.members(group)) add_lane(member);
    if (data_.lanes.size() < kMaxLanes) data_.groups_with_lanes = group + 1;
  }
  for (const sim::ProcessKind kind : {sim::ProcessKind::kService, sim::ProcessKind::kResource}) {
    for (const sim::ProcessId process : layout.of_kind(kind)) add_lane(process);
  }
  progress_.assign(data_.lanes.size(), LaneProgress{});
}

sim::KindMask TimelineRecorder::kinds() {
  using sim::RecordKind;
  using sim::mask_of;
  return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kFollows) |
         mask_of(RecordKind::kSteppedDown) | mask_of(RecordKind::kLeaderLost) |
         mask_of(RecordKind::kCrash) | mask_of(RecordKind::kRestart) |
         mask_of(RecordKind::kPause) | mask_of(RecordKind::kResume) |
         mask_of(RecordKind::kFaultStart) | mask_of(RecordKind::kFaultEnd) |
         mask_of(RecordKind::kResourceWrite);
}

std::optional<uint32_t> TimelineRecorder::lane_of(sim::ProcessId process) const {
  if (process >= lane_by_process_.size() || lane_by_process_[process] == kNoLane) {
    return std::nullopt;
  }
  return lane_by_process_[process];
}

void TimelineRecorder::on_record(const sim::TraceRecord& record) {
  using sim::RecordKind;
  switch (record.kind) {
    case RecordKind::kFaultStart:
    case RecordKind::kFaultEnd: on_fault_record(record); return;
    case RecordKind::kCrash:
    case RecordKind::kRestart:
    case RecordKind::kPause:
    case RecordKind::kResume: on_host_record(record); return;
    case RecordKind::kResourceWrite: on_write(record); return;
    default: break;
  }
  count_leaders(record);
  if (const auto lane = lane_of(record.node)) on_process_record(record, *lane);
}

void TimelineRecorder::open(OpenInterval& interval, sim::Instant at, uint64_t epoch) {
  interval = OpenInterval{true, at, epoch};
}

void TimelineRecorder::close(OpenInterval& interval, sim::Instant at, uint32_t lane,
                             LaneState state) {
  if (!interval.open) return;
  interval.open = false;
  if (data_.intervals.size() >= kMaxIntervals) {
    ++data_.intervals_omitted;
    return;
  }
  data_.intervals.push_back(LaneInterval{interval.start, at, lane, state, interval.epoch});
}

void TimelineRecorder::on_process_record(const sim::TraceRecord& record, uint32_t lane) {
  using sim::RecordKind;
  LaneProgress& progress = progress_[lane];
  switch (record.kind) {
    case RecordKind::kBecameLeader:
      close(progress.follower, record.time, lane, LaneState::kFollower);
      close(progress.leader, record.time, lane, LaneState::kLeader);
      open(progress.leader, record.time, record.as<sim::LeaderElected>().epoch);
      return;
    case RecordKind::kSteppedDown:
      close(progress.leader, record.time, lane, LaneState::kLeader);
      return;
    case RecordKind::kFollows:
      close(progress.follower, record.time, lane, LaneState::kFollower);
      open(progress.follower, record.time, record.as<sim::FollowsLeader>().epoch);
      return;
    case RecordKind::kLeaderLost:
      close(progress.follower, record.time, lane, LaneState::kFollower);
      return;
    default: return;
  }
}

// Keeps how many groups have no member that believes it leads.
void TimelineRecorder::count_leaders(const sim::TraceRecord& record) {
  if (data_.leaderless_max.empty() || record.node >= leads_.size()) return;
  const sim::GroupId group = group_of_[record.node];
  if (group == sim::kNoGroup || group >= leaders_in_group_.size()) return;
  const bool elected = record.kind == sim::RecordKind::kBecameLeader;
  const bool deposed = record.kind == sim::RecordKind::kSteppedDown;
  if (elected == deposed || leads_[record.node] == (elected ? 1 : 0)) return;
  leads_[record.node] = elected ? 1 : 0;
  uint32_t& leaders = leaders_in_group_[group];
  const bool was_leaderless = leaders == 0;
  leaders = elected ? leaders + 1 : leaders - 1;
  if (was_leaderless != (leaders == 0)) {
    set_leaderless(record.time, was_leaderless ? leaderless_ - 1 : leaderless_ + 1);
  }
}

// The slices between the last change and this one held the old value all along.
void TimelineRecorder::set_leaderless(sim::Instant at, uint32_t value) {
  const auto slice = std::min<size_t>(
      static_cast<size_t>(at.ns() / data_.leaderless_slice.ns()), kLeaderlessBuckets - 1);
  for (size_t between = last_slice_ + 1; between <= slice; ++between) {
    data_.leaderless_max[between] = std::max(data_.leaderless_max[between], leaderless_);
  }
  leaderless_ = value;
  data_.leaderless_max[slice] = std::max(data_.leaderless_max[slice], value);
  last_slice_ = slice;
}

// A host's crash, restart, pause or resume shows on the lanes of its processes. A restart also
// ends a pause: the host comes back running.
void TimelineRecorder::on_host_record(const sim::TraceRecord& record) {
  using sim::RecordKind;
  if (record.node >= lanes_by_host_.size()) return;
  for (const uint32_t lane : lanes_by_host_[record.node]) {
    LaneProgress& progress = progress_[lane];
    switch (record.kind) {
      case RecordKind::kCrash:
        close(progress.paused, record.time, lane, LaneState::kPaused);
        if (!progress.down.open) open(progress.down, record.time);
        break;
      case RecordKind::kRestart:
        close(progress.down, record.time, lane, LaneState::kDown);
        close(progress.paused, record.time, lane, LaneState::kPaused);
        break;
      case RecordKind::kPause:
        if (!progress.paused.open) open(progress.paused, record.time);
        break;
      case RecordKind::kResume:
        close(progress.paused, record.time, lane, LaneState::kPaused);
        break;
      default: break;
    }
  }
}

void TimelineRecorder::on_fault_record(const sim::TraceRecord& record) {
  const bool started = record.kind == sim::RecordKind::kFaultStart;
  const uint64_t index = started ? record.as<sim::FaultStarted>().fault_index
                                 : record.as<sim::FaultEnded>().fault_index;
  // Plan indices are small (a scenario's faults plus the nemesis's), but bound the table.
  if (index >= 100'000) return;
  if (fault_band_by_index_.size() <= index) fault_band_by_index_.resize(index + 1, kNoBand);
  if (!started) {
    const size_t band = fault_band_by_index_[index];
    if (band != kNoBand) data_.faults[band].end = record.time;
    return;
  }
  if (data_.faults.size() >= kMaxFaults) {
    ++data_.faults_omitted;
    return;
  }
  const uint64_t kind_code = record.as<sim::FaultStarted>().fault;
  std::string label = index < fault_labels_.size() && !fault_labels_[index].empty()
                          ? fault_labels_[index]
                          : sim::checks::fault_code_name(kind_code);
  fault_band_by_index_[index] = data_.faults.size();
  data_.faults.push_back(FaultBand{index, kind_code, record.time, std::nullopt, std::move(label)});
}

void TimelineRecorder::on_write(const sim::TraceRecord& record) {
  const auto write = record.as<sim::ResourceWritten>();
  const auto lane = lane_of(write.writer);
  if (!lane) return;
  size_t& kept = write.accepted ? accepted_writes_kept_ : refused_writes_kept_;
  if (kept >= kMaxWritesOfEachOutcome) {
    ++(write.accepted ? data_.accepted_writes_omitted : data_.refused_writes_omitted);
    return;
  }
  ++kept;
  data_.writes.push_back(WriteMark{record.time, *lane, write.accepted, write.token});
}

void TimelineRecorder::on_violation(const sim::checks::Violation& violation) {
  if (data_.violations.size() >= kMaxViolations) {
    ++data_.violations_omitted;
    return;
  }
  ViolationMark mark{violation.time, violation.check, violation.detail, {}};
  for (const sim::NodeId node : violation.nodes) {
    if (const auto lane = lane_of(node)) mark.lanes.push_back(*lane);
  }
  data_.violations.push_back(std::move(mark));
}

void TimelineRecorder::on_end(sim::Instant end) {
  data_.end = end;
  for (uint32_t lane = 0; lane < progress_.size(); ++lane) {
    LaneProgress& progress = progress_[lane];
    close(progress.leader, end, lane, LaneState::kLeader);
    close(progress.follower, end, lane, LaneState::kFollower);
    close(progress.down, end, lane, LaneState::kDown);
    close(progress.paused, end, lane, LaneState::kPaused);
  }
  if (!data_.leaderless_max.empty()) set_leaderless(end, leaderless_);
}

}  // namespace electsim::reports
