#include "faults/degradations.h"

#include <algorithm>

namespace electsim::faults {

LinkDegradations::LinkDegradations(uint32_t hosts) : hosts_(hosts) {}

void LinkDegradations::check(DirectedLink link) const {
  SIM_CHECK(link.first < hosts_ && link.second < hosts_ && link.first != link.second,
            "no such link");
}

size_t LinkDegradations::layers(DirectedLink link) const {
  check(link);
  auto it = stacks_.find(link);
  return it == stacks_.end() ? 0 : it->second.layers.size();
}

void LinkDegradations::apply(sim::World& world, size_t fault, std::span<const DirectedLink> links,
                             const LinkDegradation& degradation) {
  Layer layer;
  layer.fault = fault;
  layer.loss = degradation.loss;
  layer.duplication = degradation.duplication;
  layer.reorder = degradation.reorder;
  layer.extra_latency = degradation.extra_latency;
  if (degradation.clog) layer.clogged_until = world.now() + *degradation.clog;
  for (const DirectedLink& link : links) {
    check(link);
    Stack& stack = stacks_[link];
    if (stack.layers.empty()) {
      const sim::Link& current = world.network().link(link.first, link.second);
      stack.base = Base{current.loss, current.duplication, current.may_reorder,
                        current.extra_latency, current.clogged_until};
    }
    stack.layers.push_back(layer);
    recompute(world, link, stack);
  }
}

void LinkDegradations::remove(sim::World& world, size_t fault,
                              std::span<const DirectedLink> links) {
  for (const DirectedLink& link : links) {
    check(link);
    auto it = stacks_.find(link);
    SIM_CHECK(it != stacks_.end(), "removing a degradation from a link that has none");
    std::vector<Layer>& layers = it->second.layers;
    const size_t before = layers.size();
    std::erase_if(layers, [fault](const Layer& layer) { return layer.fault == fault; });
    SIM_CHECK(layers.size() + 1 == before, "removing a degradation that is not on the link");
    recompute(world, link, it->second);
    if (layers.empty()) stacks_.erase(it);  // memory stays bounded by the links in force
  }
}

void LinkDegradations::recompute(sim::World& world, DirectedLink link,
                                 const Stack& stack) const {
  sim::Link& target = world.mutable_link(link.first, link.second);
  target.loss = stack.base.loss;
  target.duplication = stack.base.duplication;
  target.may_reorder = stack.base.may_reorder;
  target.extra_latency = stack.base.extra_latency;
  target.clogged_until = stack.base.clogged_until;
  // Later layers win for the values they set; a clog holds messages until the latest clog ends.
  for (const Layer& layer : stack.layers) {
    if (layer.loss) target.loss = *layer.loss;
    if (layer.duplication) target.duplication = *layer.duplication;
    if (layer.reorder) target.may_reorder = true;
    if (layer.extra_latency) target.extra_latency = *layer.extra_latency;
    if (layer.clogged_until) {
      target.clogged_until = std::max(target.clogged_until, *layer.clogged_until);
    }
  }
}

}  // namespace electsim::faults
