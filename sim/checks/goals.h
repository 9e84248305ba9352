// The *sometimes* goals (internal to sim/checks): did the run really reach the situation it was
// meant to test? A run that passed because the fault never fired proves nothing (STYLE.md 9).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/checks/check_base.h"
#include "sim/checks/cluster_view.h"
#include "sim/checks/link_model.h"
#include "sim/checks/topology.h"

namespace electsim::sim::checks {

enum class Goal : uint8_t {
  kLeaderCrashed,
  kNewLeaderElected,
  kLeaderIsolated,
  kLeaderPaused,
  kNodeRestarted,
  kAmnesiaRestart,
  kClockChanged,
  kPartitionHealed,
  kFaultFired,
  kCount,
};

class SometimesGoals final : public Check {
 public:
  // `declared` are names from goal_catalogue(); an unknown name is a bug in the caller (the
  // scenario loader validates them with is_known_goal).
  SometimesGoals(std::shared_ptr<const Topology> topology,
                 const std::vector<std::string>& declared);

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void on_end(Instant end) override;
  void collect(CheckResults& results) const override;

  bool reached(Goal goal) const { return reached_[static_cast<size_t>(goal)]; }

 private:
  void reach(Goal goal) { reached_[static_cast<size_t>(goal)] = true; }
  void before_apply(const TraceRecord& record);
  void after_apply(const TraceRecord& record);
  bool cut_off_from_majority(NodeId node) const;
  bool host_leads(HostId host) const;       // some process on the host is leading
  bool host_cut_off(HostId host) const;     // a leader on the host lost two-way links to a majority

  std::shared_ptr<const Topology> topology_;
  std::vector<Goal> declared_;
  ClusterView view_;
  LinkModel links_;
  std::array<bool, static_cast<size_t>(Goal::kCount)> reached_{};
  bool fault_seen_ = false;
  std::vector<uint64_t> highest_epoch_;        // by group: highest epoch reported so far
  std::vector<uint64_t> highest_before_fault_; // ... before the first fault event
  bool partition_started_ = false;
  Instant end_;
  bool ended_ = false;
};

}  // namespace electsim::sim::checks
