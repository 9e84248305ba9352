// Multi-Paxos' entry in the registry: its parameters, its check profile and its factory.
#pragma once

#include "algorithms/registry.h"

namespace electsim::algorithms::multipaxos {

AlgorithmInfo multipaxos_info();

}  // namespace electsim::algorithms::multipaxos
