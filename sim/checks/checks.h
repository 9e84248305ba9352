// The invariant checkers: incremental observers of the trace, judged in true time (DESIGN.md,
// "Checks"; STYLE.md 9). Each check is named in plain words and is one of:
//   always      - safety: must hold at every instant;
//   eventually  - liveness within a bound, judged only while a quorum could make progress;
//   sometimes   - the run really reached the situation it was meant to test.
// They keep what they need (current leaders, open windows), never the whole history.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/checks/profile.h"
#include "sim/clock.h"
#include "sim/fencing.h"
#include "sim/layout.h"
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
  kResign = 10,
};
// "crash", "partition", ...; "fault kind <code>" for a code outside the list.
std::string fault_code_name(uint64_t code);

struct Violation {
  std::string check;
  CheckKind kind;
  Instant time;                // true time
  std::vector<NodeId> nodes;   // processes (or hosts, for a host's fault)
  uint64_t epoch = 0;
  std::string detail;          // one sentence, with names n1.. (g7.n2 with several groups)
  GroupId group = kNoGroup;    // the election group it concerns, if one
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

struct Overlap {               // two members of a group believed they led at the same true time
  std::vector<NodeId> nodes;
  Instant start;
  Duration duration;
  GroupId group = kNoGroup;
};

struct CheckConfig {
  // The world's hosts, processes and groups. Unset means Layout::single_group(nodes): `nodes`
  // hosts and one group of `nodes` members, process i on host i.
  std::shared_ptr<const Layout> layout;
  uint32_t nodes = 0;
  // What the algorithm promises (its profile resolved for the run's parameters), and the
  // scenario's checks.exclusive, which may only tighten the profile's rule.
  CheckProfile profile;
  std::optional<ExclusivityRule> exclusive;
  // The longest one message can take on any link (latency, a fault's extra delay and clogging
  // included): bounded exclusivity adds it to the algorithm's own bound.
  Duration max_one_way_delay;
  // Each host's clock as the run starts, by host (the trace records no initial setup): bounded
  // exclusivity needs to know how far a later offset change steps a clock back. Empty means
  // clocks start true.
  std::vector<LocalClock> initial_clocks;
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
  // Kept for callers that predate profiles: true is the same as `exclusive = kStrict`.
  bool overlaps_are_violations = false;
  // The faults' labels by plan index ("partition bridge n3"), so that a violation blames a
  // fault by name; empty means faults are named by number and kind.
  std::vector<std::string> fault_labels;
  // The fenced resource's mode, or nullopt when the scenario has no resource (no writes: the
  // write checks are off and reports say writes were not measured). With `on` or `equal-ok`
  // the resource guards the data, so a strict overlap alone is no violation (see suite.cc).
  std::optional<FencingMode> fencing;
};

// One group's recovery: how long it took and when its leader appeared.
struct GroupRecoveryTime {
  GroupId group = kNoGroup;
  Duration time;
  Instant leader_at;
};

// What a run with several groups adds (CheckResults::groups). Times are true times.
struct GroupFigures {
  uint32_t groups = 0;
  // Groups in which no member believed it led: the most at once from the first fault on (before
  // it every group is still electing its first leader), when that was first reached, and at
  // the end of the run.
  uint32_t max_leaderless = 0;
  Instant max_leaderless_at;
  uint32_t leaderless_at_end = 0;
  // Leaders per host, over the hosts that run members: the imbalance (most minus fewest
  // leaderships on one host) at the end, and its maximum over the run with when.
  uint32_t leader_imbalance_at_end = 0;
  uint32_t max_leader_imbalance = 0;
  Instant max_leader_imbalance_at;
  std::vector<uint32_t> leaders_per_host_at_end;  // by host
  // The groups' recovery times over every recovered window of every group.
  uint64_t recovered_windows = 0;
  Duration recovery_p50;
  Duration recovery_p99;
  Duration recovery_max;
  // The group with the longest recovery (kNoGroup if none recovered), and when its leader came.
  GroupId worst_group = kNoGroup;
  Instant worst_group_leader_at;
};

// The first write the resource accepted from a leadership after it had accepted a write of a
// newer leadership of the same group (newer: a higher epoch; on equal epochs, elected later).
struct StaleWrite {
  NodeId writer = kNoNode;
  GroupId group = kNoGroup;
  uint64_t epoch = 0;
  uint64_t token = 0;
  Instant time;                 // true time the resource accepted it
  NodeId newer_writer = kNoNode;
  uint64_t newer_epoch = 0;
  uint64_t newer_token = 0;
  Duration after_newer;         // since the newer leadership's first accepted write
};

// The writes to the fenced resource (CheckResults::writes; absent without a resource).
struct WriteFigures {
  uint64_t sent = 0;      // write_sent records
  uint64_t accepted = 0;  // resource_write records, accepted
  uint64_t refused = 0;   // resource_write records, refused
  // The damage: every accepted write that was stale (see StaleWrite), in every fencing mode.
  uint64_t stale_writes_accepted = 0;
  std::optional<StaleWrite> first_stale_write;
};

// How many groups' tokens a run reports, and how many tokens per group: a run of 1,000 groups or
// of thousands of elections keeps a bounded report (the trace has every leadership).
inline constexpr size_t kMaxReportedTokenGroups = 100;
inline constexpr size_t kMaxReportedTokens = 1000;

// A group's fencing tokens, one per leadership in epoch order (CheckResults::tokens).
struct GroupTokens {
  GroupId group = kNoGroup;
  std::vector<uint64_t> tokens;  // the latest kMaxReportedTokens leaderships
  uint64_t omitted = 0;          // earlier leaderships not listed
};

// How many leadership transitions a run lists (CheckResults::transitions); beyond that they are
// only counted, by reason.
inline constexpr size_t kMaxReportedTransitions = 1000;

// A change of a group's leader (issue 11): `to` became leader of `epoch` at `time`, and `from`
// (kNoNode for the group's first leader) led before it. The reason is why `from`'s leadership
// ended: what it reported when it stepped down (crashed when its host crashed), or kStartup for
// the first leader. A leader elected while the previous one still believed (an overlap) gets
// its reason when that one steps down; nullopt if it never did before the run ended.
struct LeaderTransition {
  Instant time;  // true time the new leader was elected
  GroupId group = kNoGroup;
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  uint64_t epoch = 0;
  std::optional<StepDownReason> reason;
  std::optional<Instant> previous_ended;  // when `from` stepped down; nullopt at startup
};

// How many transitions had each reason, by StepDownReason, and how many never got one.
struct TransitionReasonCounts {
  static constexpr size_t kReasons = static_cast<size_t>(StepDownReason::kElectionStarted) + 1;
  std::array<uint64_t, kReasons> by_reason{};
  uint64_t unresolved = 0;
};

// The rule the checks apply: the profile's, tightened by checks.exclusive (and by
// overlaps_are_violations).
ExclusivityRule effective_exclusivity(const CheckConfig& config);

struct CheckResults {
  std::vector<Violation> violations;   // in time order
  std::vector<Overlap> overlaps;       // in time order
  std::vector<Duration> recovery;      // one per recovered disruption window, in time order
  // Disruption windows after a fault that the run ended in without recovering: nobody led
  // stably, or leaders kept being deposed without a fault and the last one had led for less than
  // the recovery bound (a livelock cut off by the end). Never counted in `recovery`.
  uint64_t unrecovered = 0;
  uint64_t leader_changes = 0;         // became_leader records
  // Each change of a group's leader and why (the first kMaxReportedTransitions, in time order),
  // how many more there were, and the count per reason of all of them.
  std::vector<LeaderTransition> transitions;
  uint64_t transitions_omitted = 0;
  TransitionReasonCounts transition_reasons;
  std::vector<std::string> goals_reached;
  std::vector<std::string> goals_missed;
  // Lists are bounded so memory stays flat in long runs: each check keeps its first 100
  // violations, and the first 1000 overlaps are kept; these count what was found beyond that.
  uint64_t violations_dropped = 0;
  uint64_t overlaps_dropped = 0;
  // With several groups: the group figures, and the layout (reports name processes g7.n2).
  std::optional<GroupFigures> groups;
  std::shared_ptr<const Layout> layout;
  // The fenced resource's writes and the damage; nullopt when the run had no resource.
  std::optional<WriteFigures> writes;
  // The tokens of the first kMaxReportedTokenGroups groups that had a leader, by group id;
  // token_groups_omitted counts the groups with leaders beyond those.
  std::vector<GroupTokens> tokens;
  uint64_t token_groups_omitted = 0;
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
