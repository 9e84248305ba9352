// TEMPORARY stub until Raft lands: replaced by raft.cc.
#include "algorithms/raft/raft_factory.h"
namespace electsim::algorithms::raft {
std::unique_ptr<sim::AlgorithmFactory> make_factory(const Params&, uint32_t) {
  SIM_CHECK(false, "raft is not implemented yet");
  return nullptr;
}
}  // namespace electsim::algorithms::raft
