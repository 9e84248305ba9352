#include "tests/algorithms/multipaxos_support_variants.h"

#include <memory>
#include <utility>

#include "algorithms/multipaxos/multipaxos.h"
#include "algorithms/multipaxos/multipaxos_factory.h"
#include "algorithms/registry.h"

namespace electsim::testing {
namespace {

using algorithms::multipaxos::MultiPaxosFactory;
using algorithms::multipaxos::MultiPaxosOptions;

// The correct algorithm's options from the resolved parameters, with one rule broken.
template <bool MultiPaxosOptions::*kBroken>
std::unique_ptr<sim::AlgorithmFactory> make_broken_factory(const algorithms::Params& params,
                                                           uint32_t nodes) {
  const auto factory = algorithms::multipaxos::make_factory(params, nodes);
  MultiPaxosOptions options = static_cast<const MultiPaxosFactory&>(*factory).options();
  options.*kBroken = true;
  return std::make_unique<MultiPaxosFactory>(options);
}

template <bool MultiPaxosOptions::*kBroken>
void register_variant(const char* name, const char* summary) {
  algorithms::AlgorithmInfo info = algorithms::multipaxos::multipaxos_info();
  info.name = name;
  info.summary = summary;
  info.make_factory = make_broken_factory<kBroken>;
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace

void register_multipaxos_support_variants() {
  register_variant<&MultiPaxosOptions::accepts_below_promise>(
      kMultiPaxosAcceptsBelowPromiseName,
      "tests only: Multi-Paxos whose acceptors take an Accept below the ballot they promised");
  register_variant<&MultiPaxosOptions::counts_duplicate_promises>(
      kMultiPaxosCountsPromisesTwiceName,
      "tests only: Multi-Paxos whose proposers count a duplicated Promise twice");
}

}  // namespace electsim::testing
