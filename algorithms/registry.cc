#include "algorithms/registry.h"

#include <algorithm>

#include "algorithms/raft/raft_factory.h"

namespace electsim::algorithms {

const std::vector<AlgorithmInfo>& registry() {
  static const std::vector<AlgorithmInfo>* const kRegistry =
      new std::vector<AlgorithmInfo>{raft::raft_info()};
  return *kRegistry;
}

const AlgorithmInfo* find_algorithm(std::string_view name) {
  for (const AlgorithmInfo& info : registry())
    if (info.name == name) return &info;
  return nullptr;
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
