// Raft's entry in the registry: its parameters and its factory.
#pragma once

#include "algorithms/registry.h"

namespace electsim::algorithms::raft {

AlgorithmInfo raft_info();

}  // namespace electsim::algorithms::raft
