// Words for faults, shared by the injector and the nemesis: node and target names (n1 is id 0),
// default labels, and the small pieces the injector's effect sentences are made of.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "faults/plan.h"
#include "sim/network.h"
#include "sim/world.h"

namespace electsim::faults {

// "n3" for id 2.
std::string node_name(NodeId node);
// "n3 (leader of epoch 4)" if n3 is World::current_leader(), else "n3".
std::string node_with_role(const sim::World& world, NodeId node);
// "n1 n2 n3"; "nobody" for an empty list.
std::string node_names(std::span<const NodeId> nodes);
// "n3", "leader", "follower", "random follower", "random node", "all".
std::string target_name(const Target& target);
// Target names separated by spaces; `if_empty` for an empty list.
std::string targets_name(const Targets& targets, std::string_view if_empty = "all");

// "isolate", "majority_minority", ...: the names scenario files and nemesis specs use.
const char* shape_name(PartitionShape::Kind kind);
// Also accepts '-' for '_' ("one-way").
std::optional<PartitionShape::Kind> parse_shape_name(std::string_view name);

// "+150ms", "-1s", "+0s".
std::string signed_duration(sim::Duration duration);
// "+200ppm", "-50ppm".
std::string signed_ppm(int64_t ppm);
// "5ms", "5ms..10ms", "normal 5ms sd 3ms", "exponential 5ms".
std::string latency_name(const sim::LatencyModel& latency);

// A label for a fault that was written without one: "crash leader", "partition isolate n3",
// "clock drift n2 +200ppm". Labels name what the plan says, not what it hit when it fired.
std::string default_label(const Fault& fault);

}  // namespace electsim::faults
