// Registers a test-only algorithm that is the real Raft wrapped by `Wrapper` (a
// ForwardingAlgorithm that breaks one rule): the broken Rafts of support_variants.cc and
// planted_raft_bugs.cc share this.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>

#include "algorithms/raft/raft_factory.h"
#include "algorithms/registry.h"
#include "tests/algorithms/forwarding_context.h"

namespace electsim::testing {

template <class Wrapper>
void register_wrapped_raft(const char* name, const char* summary) {
  algorithms::AlgorithmInfo info = algorithms::raft::raft_info();
  info.name = name;
  info.summary = summary;
  auto make_raft = info.make_factory;
  info.make_factory = [make_raft](const algorithms::Params& params, uint32_t nodes) {
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<WrappingFactory<Wrapper>>(make_raft(params, nodes)));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace electsim::testing
