#include "tests/algorithms/multipaxos_promises_lower_ballots.h"

#include <utility>

#include "algorithms/multipaxos/multipaxos.h"
#include "algorithms/multipaxos/multipaxos_factory.h"
#include "algorithms/registry.h"

namespace electsim::testing {

void register_multipaxos_promises_lower_ballots() {
  algorithms::AlgorithmInfo info = algorithms::multipaxos::multipaxos_info();
  info.name = kMultiPaxosPromisesLowerBallotsName;
  info.summary =
      "tests only: Multi-Paxos whose acceptors promise a lower ballot after a higher one";
  info.make_factory = algorithms::multipaxos::make_factory_promising_lower_ballots;
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace electsim::testing
