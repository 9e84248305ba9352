// Leadership as production monitoring sees it (issue 13): measured from the trace in true time,
// the time each group spent without a leader, the time two or more of a group's members believed
// they led at once, who believed it led when the run ended, and the scenario's alert rules
// (`alerts:`) evaluated as the run goes. Not a check: it judges nothing, and an alert that fires
// never changes a run's verdict. It keeps a few words per process and group, and at most
// kMaxAlerts alerts, so a long run costs no more memory than a short one.
//
// "Believes it leads" is what the algorithm reported: from its became_leader record to its
// stepped_down record (a crash records stepped_down with reason crashed), or to a follows record
// if it went straight to following another. A paused leader still
// believes. A group is leaderless while none of its members believes, from true time zero on:
// the first election counts, as it would for a cluster that has just started.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/checks/check_base.h"
#include "sim/layout.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::sim::checks {

// `alerts.leader_changes`: fire when more than `more_than` leaders were elected, over all the
// run's groups, within any span of `within` true time.
struct LeaderChangesRule {
  uint64_t more_than = 0;
  Duration within;
  friend bool operator==(const LeaderChangesRule&, const LeaderChangesRule&) = default;
};

// The scenario's `alerts:` block (docs/SCENARIOS.md); both rules are optional.
struct AlertRules {
  std::optional<LeaderChangesRule> leader_changes;
  // `alerts.leaderless_longer_than`: fire when a group has had no leader for longer than this.
  std::optional<Duration> leaderless_longer_than;
  bool any() const { return leader_changes.has_value() || leaderless_longer_than.has_value(); }
  friend bool operator==(const AlertRules&, const AlertRules&) = default;
};

inline constexpr std::string_view kLeaderChangesAlert = "leader_changes";
inline constexpr std::string_view kLeaderlessAlert = "leaderless_longer_than";

// One firing of a rule: the condition became true at `time` (true time). A condition that stays
// true fires once; it fires again only after it was false in between.
struct FiredAlert {
  std::string rule;           // kLeaderChangesAlert or kLeaderlessAlert
  Instant time;
  GroupId group = kNoGroup;   // the leaderless group; kNoGroup for leader_changes (all groups)
  std::string detail;         // one sentence
};

struct LeadershipFigures {
  // Summed over the run's groups (group-seconds with several groups).
  Duration leaderless;
  // The part of `leaderless` after the run's first fault event (zero without one): what a
  // comparison of algorithms under the same faults wants, since it leaves out the first
  // election, which no fault caused (`electsim compare`'s "time without a leader").
  Duration leaderless_since_first_fault;
  // Time during which two or more members of one group believed they led, summed over groups.
  // Unlike CheckResults::overlaps (one window per pair of leaders, the first 1,000 listed) this
  // is exact and unbounded; the two agree whenever no three members lead at once.
  Duration overlap;
  std::vector<ProcessId> leading_at_end;  // in process order
  // The run's processes, so that a report can name every member, leading or not.
  std::shared_ptr<const Layout> layout;
  // The first kMaxAlerts firings found, in time order, and how many of each rule fired in all.
  std::vector<FiredAlert> alerts;
  uint64_t alerts_omitted = 0;
  uint64_t leader_changes_fired = 0;
  uint64_t leaderless_fired = 0;
};

class LeadershipWatch final : public TraceObserver {
 public:
  static constexpr size_t kMaxAlerts = 100;

  LeadershipWatch(std::shared_ptr<const Layout> layout, AlertRules rules);

  // A leader that reports Follows without stepping down first leads no more (World records no
  // stepped_down then); fault events mark where leaderless_since_first_fault starts.
  static KindMask kinds() {
    return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kSteppedDown) |
           mask_of(RecordKind::kFollows) | fault_event_kinds();
  }
  void attach(Trace& trace) { trace.add_observer(this, kinds()); }
  void on_record(const TraceRecord& record) override;
  void on_end(Instant end) override;

  // Complete once the trace has ended (on_end).
  const LeadershipFigures& figures() const { return figures_; }

 private:
  struct GroupState {
    uint32_t leaders = 0;  // members that believe they lead now
    Instant since;         // when `leaders` last changed
  };

  void begin_leading(ProcessId process, Instant at);
  void end_leading(ProcessId process, Instant at);
  // Adds the time since the group's last change to the leaderless or overlap total.
  void account(GroupState& group, Instant at);
  void leader_elected(Instant at);
  void leaderless_ended(GroupId group, Instant start, Instant end, bool run_ended);
  void fire(FiredAlert alert);

  std::shared_ptr<const Layout> layout_;
  AlertRules rules_;
  std::vector<uint8_t> leading_;     // by process
  std::vector<GroupState> groups_;
  // The election times of the last more_than + 1 leaders, oldest first.
  std::deque<Instant> recent_elections_;
  std::optional<Instant> first_fault_;
  LeadershipFigures figures_;
};

}  // namespace electsim::sim::checks
