#include "tests/algorithms/raft_ignores_quorum_loss.h"

#include <utility>

#include "algorithms/raft/raft.h"
#include "algorithms/raft/raft_factory.h"
#include "algorithms/registry.h"

namespace electsim::testing {

void register_raft_ignores_quorum_loss() {
  algorithms::AlgorithmInfo info = algorithms::raft::raft_info();
  info.name = "raft-ignores-quorum-loss";
  info.summary = "tests only: Raft whose CheckQuorum leader never steps down on losing its majority";
  info.make_factory = algorithms::raft::make_factory_ignoring_quorum_loss;
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace electsim::testing
