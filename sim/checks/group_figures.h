// The figures of a run with several election groups (internal to sim/checks; issue 8, "Reports
// for many groups"): how many groups had no leader, how leaderships spread over hosts, and the
// groups' recovery times. Kept incrementally: a leadership record costs O(1), a host's crash
// O(processes on it); nothing loops over all groups per record.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/checks/check_base.h"
#include "sim/checks/topology.h"

namespace electsim::sim::checks {

class GroupFiguresObserver final : public Check {
 public:
  explicit GroupFiguresObserver(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void on_end(Instant end) override;
  void collect(CheckResults& results) const override;

  // Recovery times by group, from the recovery check, for the percentiles and the worst group.
  void set_recoveries(const std::vector<GroupRecoveryTime>* recoveries) {
    recoveries_ = recoveries;
  }

 private:
  void begin_leading(ProcessId process, Instant at);
  void end_leading(ProcessId process, Instant at);
  void move_host_count(HostId host, bool up, Instant at);
  void note_leaderless(Instant at);

  std::shared_ptr<const Topology> topology_;
  std::vector<uint8_t> leading_;            // by process
  std::vector<uint32_t> leaders_in_group_;  // by group
  uint32_t leaderless_;
  bool fault_seen_ = false;
  GroupFigures figures_;
  // Leaders per host, over the hosts that run members: each host's count, how many hosts have
  // each count, and the current extremes (counts move by one, so extremes move in O(1)).
  std::vector<uint32_t> on_host_;
  std::vector<uint8_t> member_host_;
  std::vector<uint32_t> hosts_with_;
  uint32_t max_ = 0;
  uint32_t min_ = 0;
  const std::vector<GroupRecoveryTime>* recoveries_ = nullptr;
};

}  // namespace electsim::sim::checks
