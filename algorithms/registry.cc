#include "algorithms/registry.h"

#include <algorithm>
#include <deque>

#include "algorithms/bully/bully.h"
#include "algorithms/etcd_election/etcd_election.h"
#include "algorithms/k8s_lease/k8s_lease.h"
#include "algorithms/multipaxos/multipaxos_factory.h"
#include "algorithms/raft/raft_factory.h"
#include "algorithms/ttl_lock/ttl_lock.h"
#include "algorithms/vr/vr.h"
#include "algorithms/zab/zab.h"
#include "algorithms/zk_recipe/zk_recipe.h"

namespace electsim::algorithms {

const std::vector<AlgorithmInfo>& registry() {
  static const std::vector<AlgorithmInfo>* const kRegistry =
      new std::vector<AlgorithmInfo>{
          raft::raft_info(),           zab::zab_info(),
          multipaxos::multipaxos_info(), vr::vr_info(),
          bully::bully_info(),         zk_recipe::zk_recipe_info(),
          etcd_election::etcd_election_info(), k8s_lease::k8s_lease_info(),
          ttl_lock::ttl_lock_info()};
  return *kRegistry;
}

namespace {

// A deque, so that registering one more keeps earlier pointers valid.
std::deque<AlgorithmInfo>& test_registry() {
  static std::deque<AlgorithmInfo>* const kTestRegistry = new std::deque<AlgorithmInfo>();
  return *kTestRegistry;
}

}  // namespace

const AlgorithmInfo* find_algorithm(std::string_view name) {
  for (const AlgorithmInfo& info : registry())
    if (info.name == name) return &info;
  for (const AlgorithmInfo& info : test_registry())
    if (info.name == name) return &info;
  return nullptr;
}

void register_algorithm_for_tests(AlgorithmInfo info) {
  for (AlgorithmInfo& known : test_registry()) {
    if (known.name == info.name) {
      known = std::move(info);
      return;
    }
  }
  test_registry().push_back(std::move(info));
}

sim::checks::CheckProfile profile_for(const AlgorithmInfo& info, const Params& params) {
  return info.resolve_profile ? info.resolve_profile(params) : info.profile;
}

std::vector<std::string> planned_algorithms() {
  // DESIGN.md's contract names these; they arrive in later issues.
  std::vector<std::string> planned;
  for (const char* name : {"raft", "zab", "multipaxos", "vr", "bully", "zk-recipe",
                           "etcd-election", "k8s-lease", "ttl-lock"}) {
    if (find_algorithm(name) == nullptr) planned.emplace_back(name);
  }
  return planned;
}

}  // namespace electsim::algorithms
