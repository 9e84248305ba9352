// Time without a leader (issue 13): how long each election group had no member that believed it
// led, in true time, summed over the groups. Not a check: it judges nothing, it measures. A
// member leads from its became_leader record until it steps down, follows another or its host
// crashes (the same reading as group_figures.cc); a paused leader still believes it leads.
// Measured twice: over the whole run (the first election included) and from the first fault
// event on, which is what a comparison of algorithms under the same faults wants.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "sim/checks/check_base.h"
#include "sim/checks/topology.h"

namespace electsim::sim::checks {

class LeaderlessTimeObserver final : public Check {
 public:
  explicit LeaderlessTimeObserver(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void on_end(Instant end) override;
  void collect(CheckResults& results) const override;

 private:
  void begin_leading(ProcessId process, Instant at);
  void end_leading(ProcessId process, Instant at);
  // Adds the time from `since` to `until` to the figures, the part after the first fault to
  // the second figure.
  void add_leaderless(Instant since, Instant until);

  std::shared_ptr<const Topology> topology_;
  std::vector<uint8_t> leading_;            // by process
  std::vector<uint32_t> leaders_in_group_;  // by group
  std::vector<Instant> leaderless_since_;   // by group: when its last leader stopped leading
  std::optional<Instant> first_fault_;
  LeaderlessTime figures_;
};

}  // namespace electsim::sim::checks
