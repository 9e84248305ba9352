// Link degradations (loss, duplication, reordering, extra delay, clogging) kept as layers on each
// link, so overlapping degradations compose: each heal takes off exactly its own layer, and the
// link is recomputed from the values it had before the first layer plus the layers still on it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "faults/partitions.h"
#include "faults/plan.h"
#include "sim/world.h"

namespace electsim::faults {

class LinkDegradations {
 public:
  // Over `hosts` hosts; a link keeps state only once a degradation touched it (no hosts² table).
  explicit LinkDegradations(uint32_t hosts);
  // Layers `degradation` (from fault number `fault`) on each link, over what is in force. A clog
  // holds the messages sent until now + clog.
  void apply(sim::World& world, size_t fault, std::span<const DirectedLink> links,
             const LinkDegradation& degradation);
  // Takes fault number `fault`'s layer off each link.
  void remove(sim::World& world, size_t fault, std::span<const DirectedLink> links);
  // How many degradations are layered on a link now.
  size_t layers(DirectedLink link) const;

 private:
  struct Layer {
    size_t fault = 0;
    std::optional<sim::Ratio> loss;
    std::optional<sim::Ratio> duplication;
    bool reorder = false;
    std::optional<sim::LatencyModel> extra_latency;
    std::optional<sim::Instant> clogged_until;
  };
  // The link's own values before the first layer came: the scenario's, or what a test set.
  struct Base {
    sim::Ratio loss;
    sim::Ratio duplication;
    bool may_reorder = false;
    sim::LatencyModel extra_latency;
    sim::Instant clogged_until;
  };
  struct Stack {
    Base base;
    std::vector<Layer> layers;  // in the order they came
  };

  void check(DirectedLink link) const;
  void recompute(sim::World& world, DirectedLink link, const Stack& stack) const;

  uint32_t hosts_;
  // Looked up by link only; never iterated, so its order cannot reach the simulation.
  std::map<DirectedLink, Stack> stacks_;
};

}  // namespace electsim::faults
