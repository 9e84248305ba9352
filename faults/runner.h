// The injector's working state while a world runs: which faults are in force and what each one
// did, so that its end undoes exactly that (restarts the nodes it crashed, restores the links it
// cut, takes off its degradation layer, puts back the clock value it replaced).
//
// The actions that World::at holds share this state, which is why it lives behind a shared_ptr
// rather than in the Injector itself; it still refers to the Injector's plan, stream and fired
// list, so the Injector must outlive the run (its fired() list is read afterwards anyway).
//
// Trace records (sim/trace.h): kFaultStart when a fault fires, after its targets resolved and
// before it acts; kFaultEnd when it ends, after it undid what it did. Instantaneous actions
// (restart, heal) record both at the same instant. Crash-stops, pauses and partitions without a
// duration, and clock changes without a duration, never end. A skipped fault records nothing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "faults/degradations.h"
#include "faults/injector.h"
#include "faults/partitions.h"
#include "faults/plan.h"
#include "faults/targets.h"
#include "sim/world.h"

namespace electsim::faults {

class FaultRunner : public std::enable_shared_from_this<FaultRunner> {
 public:
  // `durations[i]` is fault i's length, already drawn from its range (none: it never ends).
  FaultRunner(sim::World& world, const std::vector<Fault>& plan, sim::Rng& rng,
              std::vector<FiredFault>& fired, std::vector<std::optional<Duration>> durations);

  // Fires fault number `index` now.
  void fire(size_t index);

 private:
  struct InForce {
    bool active = false;
    size_t fired_slot = 0;            // its entry in fired_
    std::vector<NodeId> nodes;        // processes or clocks it changed
    // A crash's: each node's World::incarnation just after this crash stopped it. The restart
    // revives a node only if no crash has come since (issue 8: crashes have incarnations).
    // A pause's: each node's pause count (pauses_) just after this pause froze it, likewise.
    std::vector<uint32_t> incarnations;
    std::vector<DirectedLink> links;  // links it cut or degraded
    std::vector<Duration> previous_offsets;
    std::vector<int64_t> previous_drifts;
  };

  // Each returns false when the fault names nobody it can act on (resolver.why_not() says why).
  bool fire_process(size_t index, TargetResolver& resolver, FiredFault& fired);
  bool fire_partition(size_t index, TargetResolver& resolver, FiredFault& fired);
  bool fire_link_fault(size_t index, TargetResolver& resolver, FiredFault& fired);
  void fire_heal(size_t index, FiredFault& fired);
  bool fire_clock(size_t index, TargetResolver& resolver, FiredFault& fired);
  bool fire_resign(size_t index, TargetResolver& resolver, FiredFault& fired);

  // The scheduled end of fault `index`; nothing if it already ended (a heal came first).
  void end(size_t index);
  void end_process(size_t index);
  void end_crash(size_t index);
  void end_pause(size_t index);
  void end_network(size_t index, bool by_heal);
  void end_clock(size_t index);

  // Records kFaultStart and marks the fault in force.
  void begin(size_t index, const std::vector<NodeId>& nodes);
  // Records kFaultEnd, marks the fault over, and appends `suffix` to its effect.
  void finish(size_t index, const std::string& suffix);
  void schedule_end(size_t index);
  // " for 10s": how long the fault has been in force.
  std::string lasted(size_t index) const;
  FiredFault& fired_of(size_t index) { return fired_[in_force_[index].fired_slot]; }

  sim::World& world_;
  const std::vector<Fault>& plan_;
  sim::Rng& rng_;
  std::vector<FiredFault>& fired_;
  std::vector<std::optional<Duration>> durations_;
  std::vector<InForce> in_force_;
  // When a fault last crashed each node: the reason a superseded restart gives.
  std::vector<sim::Instant> crashed_at_;
  // How many times a fault paused each node, and when last: a pause's resume ends only its own.
  std::vector<uint32_t> pauses_;
  std::vector<sim::Instant> paused_at_;
  LinkCuts cuts_;
  LinkDegradations degradations_;
};

}  // namespace electsim::faults
