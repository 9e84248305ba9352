// Helpers for the checks tests: a trace fed by hand, with the check suite attached.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/checks/checks.h"
#include "sim/trace.h"

namespace electsim::sim::checks::testing {

inline Instant ms(int64_t value) { return Instant::zero() + Duration::milliseconds(value); }

// Feeds records one by one, in true-time order, to a suite attached to a fresh trace.
class HandTrace {
 public:
  explicit HandTrace(const CheckConfig& config) : suite_(config) { suite_.attach(trace_); }

  HandTrace& at(int64_t time_ms) {
    now_ = ms(time_ms);
    return *this;
  }
  HandTrace& leader(NodeId node, uint64_t epoch) {
    return add(RecordKind::kBecameLeader, node, kNoNode, epoch, epoch);
  }
  HandTrace& follows(NodeId node, NodeId leader, uint64_t epoch) {
    return add(RecordKind::kFollows, node, leader, epoch, 0);
  }
  HandTrace& step_down(NodeId node, StepDownReason reason = StepDownReason::kResigned) {
    return add(RecordKind::kSteppedDown, node, kNoNode, static_cast<uint64_t>(reason), 0);
  }
  HandTrace& crash(NodeId node) { return add(RecordKind::kCrash, node, kNoNode, 0, 0); }
  HandTrace& restart(NodeId node, bool amnesia = false) {
    return add(RecordKind::kRestart, node, kNoNode, amnesia ? 1 : 0, 0);
  }
  HandTrace& pause(NodeId node) { return add(RecordKind::kPause, node, kNoNode, 0, 0); }
  HandTrace& resume(NodeId node) { return add(RecordKind::kResume, node, kNoNode, 0, 0); }
  HandTrace& link(NodeId from, NodeId to, bool up) {
    return add(RecordKind::kLinkChange, from, to, up ? 1 : 0, 0);
  }
  // Cuts (or restores) both directions between `node` and every other node.
  HandTrace& isolate(NodeId node, uint32_t nodes, bool cut = true) {
    for (NodeId other = 0; other < nodes; ++other) {
      if (other == node) continue;
      link(node, other, !cut);
      link(other, node, !cut);
    }
    return *this;
  }
  HandTrace& clock(NodeId node) { return add(RecordKind::kClockChange, node, kNoNode, 1, 5); }
  HandTrace& fault_start(uint64_t index, FaultCode code) {
    return add(RecordKind::kFaultStart, kNoNode, kNoNode, index, static_cast<uint64_t>(code));
  }
  HandTrace& fault_end(uint64_t index, FaultCode code) {
    return add(RecordKind::kFaultEnd, kNoNode, kNoNode, index, static_cast<uint64_t>(code));
  }
  HandTrace& send(NodeId from, NodeId to) { return add(RecordKind::kSend, from, to, 0, 0); }
  HandTrace& add(RecordKind kind, NodeId node, NodeId peer, uint64_t a, uint64_t b) {
    trace_.record(TraceRecord{now_, kind, node, peer, a, b});
    return *this;
  }

  CheckResults end(int64_t time_ms) {
    trace_.end(ms(time_ms));
    return suite_.results();
  }
  Trace& trace() { return trace_; }

 private:
  CheckSuite suite_;
  Trace trace_;
  Instant now_;
};

inline std::vector<Violation> violations_of(const CheckResults& results, const std::string& check) {
  std::vector<Violation> found;
  for (const Violation& violation : results.violations)
    if (violation.check == check) found.push_back(violation);
  return found;
}

// Every violation but those of `check`: for hand-written algorithms whose followers report
// Follows at the instant their leader claims the epoch (or while it is down), which
// follows_a_claimed_leader rightly reports, in tests about another check.
inline std::vector<Violation> violations_except(const CheckResults& results,
                                                const std::string& check) {
  std::vector<Violation> found;
  for (const Violation& violation : results.violations)
    if (violation.check != check) found.push_back(violation);
  return found;
}

inline CheckConfig config_for(uint32_t nodes) {
  CheckConfig config;
  config.nodes = nodes;
  return config;
}

}  // namespace electsim::sim::checks::testing
