// What an algorithm promises, as the checks judge it (DESIGN.md, "Algorithms": each algorithm
// declares a check profile in the registry). The profile lives here, in sim/, so that the checks
// can use it; algorithms/registry.h hands one to every algorithm.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/time.h"

namespace electsim::sim::checks {

// When a group could make progress, so that the liveness checks judge it.
enum class ProgressModel : uint8_t {
  // Some alive member has two-way links to a majority of its group's alive members (itself
  // included): Raft, Zab, Multi-Paxos, VR. Services, resources and clients never count.
  kGroupMajority,
  // Some alive member has a two-way link to an alive service process: the lease recipes, whose
  // candidates win by talking to the coordination service, not to each other.
  kServiceReachable,
  // No precondition: an algorithm without a quorum (Bully) is judged at all times, and a group
  // has recovered when every alive member follows one leader that it reaches two-way.
  kNone,
};

// Whether two members of a group may both believe they lead at the same true time. Ordered from
// loose to strict: a scenario may only move a profile to the right (checks.exclusive).
enum class ExclusivityRule : uint8_t {
  // Overlaps are reported, not violations: a deposed leader believes until it hears of its
  // successor (plain Raft).
  kUntilSuperseded,
  // The algorithm declares a bound on how long a deposed leader keeps believing; an overlap
  // longer than that is an *always* violation (`bounded_exclusivity`).
  kBounded,
  // Every true-time overlap is an *always* violation (leases without a fenced resource).
  kStrict,
};

std::string_view progress_model_name(ProgressModel model);        // "group_majority", ...
std::string_view exclusivity_rule_name(ExclusivityRule rule);     // "until_superseded", ...
// The inverse; nullopt for an unknown name.
std::optional<ExclusivityRule> parse_exclusivity_rule(std::string_view name);

struct CheckProfile {
  ProgressModel progress = ProgressModel::kGroupMajority;
  ExclusivityRule exclusivity = ExclusivityRule::kUntilSuperseded;
  // With kBounded: how long a deposed leader may keep believing, from the moment its successor
  // was elected, by the algorithm's own timers (resolved from its parameters). The checks add the
  // network's maximum one-way delay (CheckConfig::max_one_way_delay).
  Duration exclusivity_bound;
  // How the bound follows from the parameters, for `electsim list` and the violation detail:
  // "2 x election_timeout.lo + the network's maximum one-way delay".
  std::string bound_formula;
  // What the epoch and the fencing token are: "term".
  std::string token;
  // The algorithm reports the support it gives (sim/algorithm.h, Supported): its votes,
  // promises, DoViewChanges. Only then can leader_had_a_quorum count a leader's supporters; an
  // algorithm that says nothing about support is not judged by what it did not say.
  bool reports_support = false;
};

}  // namespace electsim::sim::checks
