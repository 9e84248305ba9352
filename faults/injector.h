// Turns a fault plan into actions on a running world, at their times, and records what each
// fault really did (coverage): which nodes and links it hit, for how long.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "faults/plan.h"
#include "sim/layout.h"
#include "sim/world.h"

namespace electsim::faults {

struct FiredFault {
  size_t index = 0;            // position in the plan
  std::string label;           // the plan's label
  sim::Instant start;
  std::optional<sim::Instant> end;  // when it healed / the node restarted / the pause ended
  bool skipped = false;        // its target did not exist when it fired (e.g. no leader)
  // A crash whose scheduled restart left at least one of its nodes alone, because the node was
  // no longer down from this crash (restarted by something else, perhaps crashed again since);
  // the effect says which node and why.
  bool restart_skipped = false;
  // One sentence on what it hit: "partition cut the leader n3 off from 3 of 4 nodes for 12.3s".
  std::string effect;
  std::vector<sim::NodeId> nodes;  // the nodes it hit
};

class FaultRunner;
class TriggerWatch;

class Injector {
 public:
  // `seed` feeds the injector's own stream ("faults"), used for `at` ranges and random targets.
  Injector(sim::World& world, std::vector<Fault> plan, uint64_t seed);
  ~Injector();
  Injector(const Injector&) = delete;
  Injector& operator=(const Injector&) = delete;
  // Schedules every fault with World::at. Call once, before running the world.
  void schedule();
  // Valid after the run; faults that never fired (past the end of the run) are absent.
  const std::vector<FiredFault>& fired() const { return fired_; }
  const std::vector<Fault>& plan() const { return plan_; }

 private:
  // Arms each targeted fault at its drawn time (faults/trigger_watch.h).
  void schedule_targeted(const std::shared_ptr<FaultRunner>& runner,
                         const std::vector<sim::Instant>& times);

  sim::World& world_;
  std::vector<Fault> plan_;
  sim::Rng rng_;
  std::vector<FiredFault> fired_;
  // Arms the targeted faults (Trigger) and fires them when the trace shows their moment.
  std::unique_ptr<TriggerWatch> trigger_watch_;
};

// Draws a random fault plan from the seed (the nemesis). Faults are spread over
// [start_after, duration - quiet_period); everything is healed before the quiet period begins.
// With `swarm`, the seed also decides which kinds are enabled (each with probability 1/2, at
// least one). `enabled` receives the names of the kinds that were enabled for this seed.
std::vector<Fault> draw_nemesis_plan(const NemesisSpec& nemesis, uint32_t nodes,
                                     sim::Duration run_duration, uint64_t seed,
                                     std::vector<std::string>* enabled);
// The same over hosts and groups. One group on its own hosts (`cluster: {nodes: N}`) draws
// exactly the plan above. With several groups the nemesis draws over hosts (its partitions cut
// hosts apart, its named targets are hosts), and `minority` means every group keeps a majority
// of its members up: max_hosts_down_keeping_majorities below.
std::vector<Fault> draw_nemesis_plan(const NemesisSpec& nemesis, const sim::Layout& layout,
                                     sim::Duration run_duration, uint64_t seed,
                                     std::vector<std::string>* enabled);

// The most hosts that may be down (crashed or paused) at once so that no group loses its
// majority, whichever hosts they are: the largest k such that, in every group, the k hosts
// holding most of its members hold at most (members - 1) / 2 of them. Hosts that run no member
// (services, resources, clients) never count. One group of N on N hosts gives (N - 1) / 2, the
// nemesis's default limit; the runner passes this as the limit when a layout has several groups
// (the nemesis keeps its own draws, which take hosts out one per fault).
int max_hosts_down_keeping_majorities(const sim::Layout& layout);

}  // namespace electsim::faults
