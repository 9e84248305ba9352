// Targeted faults (faults/plan.h, Trigger). Jepsen aims its faults at the nodes that matter
// (jepsen-io/jepsen, jepsen/src/jepsen/nemesis/combined.clj: a partition may target
// `:primaries`, the nodes the database reports as leaders); electsim also aims them at the
// moments that matter, which it can see in its own trace: a crash right after a process granted
// its vote, a partition that cuts a leader off just after it won, a pause of a new leader.
// A targeted fault is armed at its drawn time; the watch reads the trace's typed reports and,
// at the first one that matches an armed fault's trigger, fires that fault on the process that
// reported it one nanosecond later (kAfterTheMoment: after the report's own handler has
// finished, never from inside it).
//
// Deterministic: what fires, when and on whom depends only on the plan (drawn from the seed's
// nemesis stream) and on the run's own trace records, which are themselves deterministic.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <vector>

#include "faults/plan.h"
#include "sim/trace.h"
#include "sim/world.h"

namespace electsim::faults {

class FaultRunner;

class TriggerWatch final : public sim::TraceObserver {
 public:
  // `plan` is the injector's own; the watch writes each targeted fault's targets into it when
  // its trigger fires, just before the runner fires it.
  TriggerWatch(sim::World& world, std::vector<Fault>& plan, std::shared_ptr<FaultRunner> runner);

  // How long after its moment a targeted fault fires.
  static constexpr sim::Duration kAfterTheMoment = sim::Duration::nanoseconds(1);

  // The trace kinds the watch reads.
  static sim::KindMask kinds();

  // Arms fault `index` now, until now + its armed_for.
  void arm(size_t index);
  void on_record(const sim::TraceRecord& record) override;

 private:
  struct Armed {
    size_t index = 0;
    sim::Instant until;
  };
  bool matches(const Fault& fault, const sim::TraceRecord& record) const;
  void aim(Fault& fault, sim::NodeId process) const;

  sim::World& world_;
  std::vector<Fault>& plan_;
  std::shared_ptr<FaultRunner> runner_;
  // In arming order: the earliest armed fault that matches takes the event.
  std::deque<Armed> armed_;
};

}  // namespace electsim::faults
