#include "scenarios/replay_window.h"

#include <algorithm>

#include "sim/check.h"
#include "sim/trace_records.h"
#include "sim/world.h"

namespace electsim::scenarios {

ReplayWindow::ReplayWindow(sim::Duration window) : window_(window) {
  SIM_CHECK(window_ > sim::Duration::zero(), "replay window must be positive");
}

void ReplayWindow::on_start(const sim::World& world,
                            const std::vector<std::string>& fault_labels) {
  // The clocks as the runner configured them (initial skew and drift); the trace's clock
  // records then say every change.
  hosts_.assign(world.hosts(), HostState{});
  for (sim::HostId host = 0; host < world.hosts(); ++host) hosts_[host].clock = world.clock(host);
  fault_labels_ = fault_labels;
}

void ReplayWindow::on_record(const sim::TraceRecord& record) {
  apply_host_record(record);
  collect_after(record);
  remember(record);
}

// The ring keeps what any later violation could need before it: the last `window` of records.
void ReplayWindow::remember(const sim::TraceRecord& record) {
  ring_.push_back(record);
  while (!ring_.empty() && ring_.front().time < record.time - window_) ring_.pop_front();
  if (ring_.size() > kMaxRecordsPerSide) {
    ring_cap_dropped_ = ring_.front().time;
    ring_.pop_front();
  }
}

void ReplayWindow::apply_host_record(const sim::TraceRecord& record) {
  using sim::RecordKind;
  if (record.kind == RecordKind::kFaultStart) {
    const auto started = record.as<sim::FaultStarted>();
    faults_[started.fault_index] = FaultTimes{started.fault, started.host, record.time, {}};
    return;
  }
  if (record.kind == RecordKind::kFaultEnd) {
    const auto ended = record.as<sim::FaultEnded>();
    if (auto it = faults_.find(ended.fault_index); it != faults_.end()) {
      it->second.ended = record.time;
    }
    return;
  }
  // Host records name hosts in `node`; anything else is not about a host's state.
  if (record.node >= hosts_.size()) return;
  HostState& host = hosts_[record.node];
  switch (record.kind) {
    case RecordKind::kCrash: host.crashed = true; return;
    case RecordKind::kRestart: host.crashed = false; host.paused = false; return;
    case RecordKind::kPause: host.paused = true; return;
    case RecordKind::kResume: host.paused = false; return;
    case RecordKind::kClockChange: {
      const auto changed = record.as<sim::ClockChanged>();
      const auto amount = sim::Duration::nanoseconds(changed.value);
      if (changed.change == sim::ClockChange::kDriftPpm) {
        host.clock.set_drift_ppm(record.time, changed.value);
      } else if (changed.change == sim::ClockChange::kOffset) {
        host.clock.set_offset(record.time, amount);
      } else {
        host.clock.jump(record.time, amount);
      }
      host.last_clock_change = record.time;
      return;
    }
    default: return;
  }
}

// Each violation still collecting takes the record until its time plus the window has passed.
void ReplayWindow::collect_after(const sim::TraceRecord& record) {
  auto still_collecting = [&](size_t index) {
    ReplayedViolation& replayed = violations_[index];
    if (record.time > replayed.violation.time + window_) return false;
    if (replayed.after.size() < kMaxRecordsPerSide) {
      replayed.after.push_back(record);
    } else {
      ++replayed.after_omitted;
    }
    return true;
  };
  std::erase_if(collecting_, [&](size_t index) { return !still_collecting(index); });
}

void ReplayWindow::on_violation(const sim::checks::Violation& violation) {
  if (violations_.size() >= kMaxViolations) {
    ++violations_omitted_;
    return;
  }
  ReplayedViolation replayed;
  replayed.violation = violation;
  const sim::Instant from = violation.time - window_;
  for (const sim::TraceRecord& record : ring_) {
    if (record.time >= from) replayed.before.push_back(record);
  }
  replayed.before_truncated = ring_cap_dropped_ && *ring_cap_dropped_ >= from;
  replayed.faults = faults_at(violation.time);
  replayed.clocks = clocks_at(violation.time);
  violations_.push_back(std::move(replayed));
  collecting_.push_back(violations_.size() - 1);
}

std::vector<FaultInForce> ReplayWindow::faults_at(sim::Instant time) const {
  std::vector<FaultInForce> in_force;
  for (const auto& [index, fault] : faults_) {
    if (fault.started > time || (fault.ended && *fault.ended <= time)) continue;
    const std::string label = index < fault_labels_.size() ? fault_labels_[index] : "";
    in_force.push_back(FaultInForce{index, fault.kind_code, fault.host, fault.started, label});
  }
  return in_force;
}

std::vector<HostClockReading> ReplayWindow::clocks_at(sim::Instant time) const {
  std::vector<HostClockReading> readings;
  readings.reserve(hosts_.size());
  for (sim::HostId id = 0; id < hosts_.size(); ++id) {
    const HostState& host = hosts_[id];
    HostClockReading reading{id, {}, host.clock.drift_ppm(), host.crashed, host.paused, {}};
    // The clock can be read only in its current segment, which starts at its last change.
    if (host.last_clock_change > time) reading.read_at = host.last_clock_change;
    reading.local = host.clock.local_at(reading.read_at.value_or(time));
    readings.push_back(reading);
  }
  return readings;
}

}  // namespace electsim::scenarios
