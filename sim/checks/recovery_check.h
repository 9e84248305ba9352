// recovery (eventually, internal to sim/checks): after a disruption, a stable leader within the
// bound, and no further leadership change while nothing fails (DESIGN.md, "Checks"). Judged per
// election group: everything below is about one group, its members and its quorum; faults are
// the world's, so a fault event gives every group a fresh reference (O(groups) per fault event,
// which are rare; a leadership record touches only its own group).
//
// With the `none` progress model (an algorithm without a quorum, as Bully), a group is judged
// whenever any member runs, by the algorithm's own rule: every *side* (a connected component of
// the up members over two-way links) has its highest id as leader, and every other member of
// the side follows it at its epoch over a direct two-way link. That is what Garcia-Molina 1982's
// Bully reaches in each side of a partition: the highest live id that everyone can reach leads
// and all others know it. (Two sides leading at once is no liveness failure; it is the overlap
// that exclusive_leadership reports.)
//
// A *stable leader* is a node L, up and not paused, leading at epoch e, that enough up nodes
// follow at (L, e) over two-way up links: L plus those followers are a majority of the cluster,
// or, with `count_all_up`, every up node. (A follower that L cannot reach does not count, so a
// leader cut off by a partition stops being stable at the cut, whatever its followers believe.) Judging is fair only while a quorum could make progress
// (LinkModel::quorum_available). Whenever a quorum is available and no stable leader exists, a
// disruption *window* is open. Its reference time is the latest fault event (see
// is_fault_event), or the time the quorum became available if that is later, or the start of
// the run before any fault. One stable leader replaced directly by another also opens a window
// (and it is pending at once). The window closes when a stable leader appears and lasts, unchanged,
// until the next fault event or the end of the run; a leader deposed before that does not count
// and the window stays judged from the same reference, which is how livelock is caught. More
// than the bound from the reference without a lasting stable leader, while a quorum is
// available, is a violation. Every closed window after the first fault adds one recovery time
// (leader appeared - reference); the initial election is judged but not reported as one.
// Violations may be held back until a given time (a nemesis' quiet period): windows are still
// measured before it, and a window still open then is judged at once against its reference.
// A window still open when the run ends is a recovery time only if its leader lasted (no leader
// was deposed in it, or the last one had led for the bound); otherwise it is *unrecovered*,
// counted apart and never a recovery time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/checks/check_base.h"
#include "sim/checks/cluster_view.h"
#include "sim/checks/link_model.h"
#include "sim/checks/topology.h"

namespace electsim::sim::checks {

class RecoveryCheck final : public Check {
 public:
  // `name` is the check's name in violations ("recovery" or "stable_leader"); with
  // `record_times` false it measures no recovery times; before `judged_from` it reports nothing.
  RecoveryCheck(std::shared_ptr<const Topology> topology, ProgressModel model, Duration bound,
                bool count_all_up, std::string name = "recovery", bool record_times = true,
                Instant judged_from = Instant::zero());

  // Names for the faults by plan index (CheckConfig::fault_labels), used in violation details.
  void set_fault_labels(std::vector<std::string> labels) { fault_labels_ = std::move(labels); }

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void on_end(Instant end) override;
  void collect(CheckResults& results) const override;

  // Every recovery time with its group and when the leader appeared, for the group figures.
  const std::vector<GroupRecoveryTime>& group_recoveries() const { return group_recoveries_; }
  bool records_times() const { return record_times_; }

 private:
  struct StableLeader {
    NodeId leader;
    uint64_t epoch;
    // With the `none` model: the leaders and epochs of the other sides, folded, so that a change
    // on any side is a change of the group's leadership (0 with the other models).
    uint64_t other_sides = 0;
    friend bool operator==(const StableLeader&, const StableLeader&) = default;
  };
  // One group's state: its quorum and its open disruption window, if any.
  struct Group {
    bool quorum = true;
    Instant quorum_since;
    std::optional<StableLeader> stable;
    bool open = false;
    Instant reference;
    std::string reference_text;   // "the crash of n1 at 10s"
    bool after_fault = false;     // a recovery time is recorded when it closes
    Instant opened_at;
    bool reported = false;
    std::optional<Instant> pending_since;  // a stable leader appeared then; does it last?
    uint32_t deposed = 0;                  // stable leaders in this window that did not last
  };

  void on_fault_event(const TraceRecord& record);
  void apply_fault_event(const TraceRecord& record);
  std::optional<StableLeader> find_stable_leader(GroupId group) const;
  // The `none` model's rule: every side has its highest live id as leader (see the header).
  std::optional<StableLeader> find_stable_sides(GroupId group) const;
  // Whether `node`'s side (the up members it reaches over two-way links, step by step) is led by
  // its highest id and followed by every other member of it; labels the side in side_of_.
  bool side_is_led_by_highest(GroupId group, ProcessId node, uint32_t side) const;
  void note_fault(const TraceRecord& record);
  void update_window(GroupId group, Instant now);
  void open_window(GroupId group, Instant now);
  void confirm_pending(GroupId group);
  void judge(GroupId group, Instant now);

  std::shared_ptr<const Topology> topology_;
  ProgressModel model_;
  ClusterView view_;
  LinkModel links_;
  Duration bound_;
  bool count_all_up_;
  std::string name_;
  bool record_times_;
  Instant judged_from_;

  bool any_fault_ = false;
  TraceRecord last_fault_{};
  std::vector<Group> groups_;
  mutable std::vector<uint32_t> followers_;  // by process; scratch for find_stable_leader
  mutable std::vector<uint32_t> side_of_;    // by process; scratch for find_stable_sides
  mutable std::vector<ProcessId> side_;      // scratch: the members of one side

  std::vector<Duration> recovery_;
  std::vector<GroupRecoveryTime> group_recoveries_;
  uint64_t unrecovered_ = 0;  // windows the run ended in (see CheckResults::unrecovered)
  std::vector<std::string> fault_labels_;
};

}  // namespace electsim::sim::checks
