#include "tests/algorithms/no_quorum_profile.h"

#include <utility>

#include "algorithms/raft/raft_factory.h"
#include "algorithms/registry.h"

namespace electsim::testing {

void register_no_quorum_profile() {
  algorithms::AlgorithmInfo info = algorithms::raft::raft_info();
  info.name = "raft-judged-without-quorum";
  info.summary = "tests only: Raft judged by the no-quorum ('none') progress model";
  info.profile.progress = sim::checks::ProgressModel::kNone;
  info.resolve_profile = [](const algorithms::Params& /*params*/) {
    sim::checks::CheckProfile profile;
    profile.progress = sim::checks::ProgressModel::kNone;
    profile.token = "term";
    return profile;
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace electsim::testing
