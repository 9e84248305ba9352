// The process that does nothing: what service, resource and client processes run until their
// own algorithms exist (the fenced resource, the coordination service and the lease recipes
// come in later issues). It occupies its host, goes down and comes back with it, and takes no
// part in any election, so a scenario can already place those processes and see that they never
// count in a group's majority. A message sent to it fails loudly (another family's message).
#pragma once

#include <memory>

#include "sim/algorithm.h"

namespace electsim::algorithms {

class IdleProcess final : public sim::Algorithm {
 public:
  void on_start(sim::Context& /*context*/, const sim::DurableState* /*restored*/) override {}
  void on_message(sim::Context& /*context*/, sim::NodeId /*from*/,
                  const sim::Payload& /*message*/) override {}
  void on_timer(sim::Context& /*context*/, sim::TimerId /*timer*/) override {}
};

class IdleProcessFactory final : public sim::AlgorithmFactory {
 public:
  std::unique_ptr<sim::Algorithm> create(sim::NodeId /*process*/) const override {
    return std::make_unique<IdleProcess>();
  }
};

}  // namespace electsim::algorithms
