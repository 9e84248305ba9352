// The invariant checkers: incremental observers of the trace, judged in true time (DESIGN.md,
// "Checks"; STYLE.md 9). Each check is named in plain words and is one of:
//   always      - safety: must hold at every instant;
//   eventually  - liveness within a bound, judged only while a quorum could make progress;
//   sometimes   - the run really reached the situation it was meant to test.
// They keep what they need (current leaders, open windows), never the whole history.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::sim::checks {

enum class CheckKind : uint8_t { kAlways, kEventually, kSometimes };

struct CheckInfo {
  std::string name;  // e.g. "one_leader_per_epoch"
  CheckKind kind;
  std::string description;
};
// Every check, in the order reports print them (for `electsim list`).
const std::vector<CheckInfo>& check_catalogue();

struct GoalInfo {
  std::string name;  // e.g. "leader_crashed"
  std::string description;
};
// Every *sometimes* goal a scenario may declare.
const std::vector<GoalInfo>& goal_catalogue();
// True if `name` is in goal_catalogue() (the scenario loader validates `checks.sometimes`).
bool is_known_goal(std::string_view name);

// The fault kind codes carried in the `b` field of kFaultStart / kFaultEnd records. sim/ cannot
// depend on faults/, so the codes are mirrored here: faults/plan.h's FaultKind must keep exactly
// this order (the injector records static_cast<uint64_t>(FaultKind)).
enum class FaultCode : uint64_t {
  kCrash = 0,
  kAmnesiaCrash = 1,
  kRestart = 2,
  kPause = 3,
  kPartition = 4,
  kLinkFault = 5,
  kHeal = 6,
  kClockOffset = 7,
  kClockDrift = 8,
  kClockJump = 9,
};
// "crash", "partition", ...; "fault kind <code>" for a code outside the list.
std::string fault_code_name(uint64_t code);

struct Violation {
  std::string check;
  CheckKind kind;
  Instant time;                // true time
  std::vector<NodeId> nodes;
  uint64_t epoch = 0;
  std::string detail;          // one sentence, with node names n1.. and human durations
};

// Told of each violation as a check finds it, during the run
// (CheckSuite::set_violation_observer).
// The violation's time may be earlier than the record that revealed it (a missed recovery bound
// is found at the first record after the bound).
class ViolationObserver {
 public:
  virtual ~ViolationObserver() = default;
  virtual void on_violation(const Violation& violation) = 0;
};

struct Overlap {               // two nodes believed they led at the same true time
  std::vector<NodeId> nodes;
  Instant start;
  Duration duration;
};

struct CheckConfig {
  uint32_t nodes = 0;
  std::optional<Duration> recovery_within;  // none: the recovery check is off
  // The recovery check reports no violation before this true time; it still measures every
  // window. A nemesis run sets it to the start of its quiet period: while random faults overlap,
  // the link graph can show a connected majority that Raft-like algorithms cannot use (its only
  // candidates have stale logs, as in Omni-Paxos' constrained election), so liveness is judged
  // once everything has healed.
  Instant recovery_judged_from;
  // The same rule judged at all times, with this bound, under the name "stable_leader": while
  // a quorum is available, a stable leader within the bound, whatever is in force (livelock and
  // deadlock detection under partial partitions). Its recovery times are reported only when
  // recovery_within is off, so that a window is never counted twice.
  std::optional<Duration> stable_leader_within;
  bool recovery_counts_all_up = false;      // all up nodes must follow, not just a majority
  std::vector<std::string> sometimes;       // goal names from goal_catalogue()
  // Strict exclusive leadership (for lease algorithms, whose whole point is that leaderships
  // never overlap in true time): every overlap is also an *always* violation. Off for Raft-like
  // algorithms, where a deposed leader that has not heard of its successor yet is normal.
  bool overlaps_are_violations = false;
  // The faults' labels by plan index ("partition bridge n3"), so that a violation blames a
  // fault by name; empty means faults are named by number and kind.
  std::vector<std::string> fault_labels;
};

struct CheckResults {
  std::vector<Violation> violations;   // in time order
  std::vector<Overlap> overlaps;       // in time order
  std::vector<Duration> recovery;      // one per recovered disruption window, in time order
  // Disruption windows after a fault that the run ended in without recovering: nobody led
  // stably, or leaders kept being deposed without a fault and the last one had led for less than
  // the recovery bound (a livelock cut off by the end). Never counted in `recovery`.
  uint64_t unrecovered = 0;
  uint64_t leader_changes = 0;         // became_leader records
  std::vector<std::string> goals_reached;
  std::vector<std::string> goals_missed;
  // Lists are bounded so memory stays flat in long runs: each check keeps its first 100
  // violations, and the first 1000 overlaps are kept; these count what was found beyond that.
  uint64_t violations_dropped = 0;
  uint64_t overlaps_dropped = 0;
  bool safety_violated() const;
  bool liveness_violated() const;      // eventually checks and missed sometimes goals
};

class CheckSuite {
 public:
  explicit CheckSuite(const CheckConfig& config);
  ~CheckSuite();
  CheckSuite(const CheckSuite&) = delete;
  CheckSuite& operator=(const CheckSuite&) = delete;

  // Registers every check as an observer of `trace` (only for the kinds each one needs).
  void attach(Trace& trace);
  // Valid after trace.end() was called.
  CheckResults results() const;
  // Shows every violation to `observer` as it is found (kept or not); nullptr stops it.
  void set_violation_observer(ViolationObserver* observer);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace electsim::sim::checks
