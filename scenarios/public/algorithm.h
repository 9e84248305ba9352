// electsim/algorithm.h: the one header an election algorithm written outside electsim's tree
// includes (docs/LIBRARY.md). Installed by `cmake --install` as <electsim/algorithm.h>; in the
// tree it is scenarios/public/algorithm.h.
//
// An algorithm is a state machine (sim::Algorithm: on_start, on_message, on_timer) that acts only
// through its sim::Context (send, set_timer, persist, local_now, and the typed reports Elected,
// Follows, SteppedDown, LeaderLost, Committed, Supported), built per process by a
// sim::AlgorithmFactory. An algorithms::AlgorithmInfo names it, declares its parameters
// (algorithms::ParamSpec, read back with algorithms::get<T>) and its check profile
// (sim::checks::CheckProfile: what the checks hold it to). Messages are small trivially
// copyable structs (sim::Payload); an out-of-tree family may use any id from
// kFirstOutOfTreeFamily up, which no built-in algorithm will take.
#pragma once

#include "algorithms/registry.h"
#include "sim/algorithm.h"
#include "sim/checks/profile.h"
#include "sim/message_type.h"
#include "sim/payload.h"
#include "sim/time.h"

namespace electsim {

// Family ids below this are electsim's own (sim/message_type.h); ids from here up are left to
// algorithms outside the tree.
inline constexpr sim::FamilyId kFirstOutOfTreeFamily = 1000;

}  // namespace electsim
