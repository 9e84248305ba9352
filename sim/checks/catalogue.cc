// The names and descriptions of every check and goal, as `electsim list` and reports print them.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sim/checks/checks.h"

namespace electsim::sim::checks {

const std::vector<CheckInfo>& check_catalogue() {
  static const std::vector<CheckInfo> catalogue = {
      {"one_leader_per_epoch", CheckKind::kAlways,
       "no two nodes ever become leader of the same epoch"},
      {"exclusive_leadership", CheckKind::kAlways,
       "reports every interval of true time in which two nodes both believe they lead; a "
       "violation only in strict mode (lease algorithms), and then not where a resource fences "
       "the writes (fencing on or equal-ok)"},
      {"bounded_exclusivity", CheckKind::kAlways,
       "where the algorithm's profile promises a bound on how long a deposed leader keeps "
       "believing (Raft with check_quorum), an overlap longer than that bound, counted in the "
       "deposed leader's running time, is a violation"},
      {"epochs_never_go_backwards", CheckKind::kAlways,
       "the epoch a node reports never decreases, across crashes and restarts, amnesia ones "
       "included"},
      {"tokens_increase", CheckKind::kAlways,
       "across a group's leaderships ordered by epoch, the fencing token strictly increases"},
      {"unique_tokens", CheckKind::kAlways,
       "no two leaderships of a group (distinct process and epoch) hold the same token"},
      {"resource_never_goes_back", CheckKind::kAlways,
       "with fencing on or equal-ok, the resource never accepts a token lower than one it "
       "accepted for the group (with on, nor an equal token from another leadership)"},
      {"no_stale_write_accepted", CheckKind::kAlways,
       "the resource never accepts a write of a leadership after one of a newer leadership of "
       "the group; every such write counts in stale_writes_accepted, in every fencing mode"},
      {"writes_only_while_leading", CheckKind::kAlways,
       "every write sent to the resource comes from a process that believes, at that true time, "
       "that it leads its group with that epoch and token"},
      {"leader_completeness", CheckKind::kAlways,
       "a leader elected for epoch e holds every entry committed in a lower epoch: the log it "
       "won with ends at or after the newest such entry (algorithms that report their log)"},
      {"one_vote_per_epoch", CheckKind::kAlways,
       "a process gives binding support (a vote, a promise, a DoViewChange, ...) to at most one "
       "candidate per epoch, across restarts, amnesia ones included"},
      {"promises_never_go_backwards", CheckKind::kAlways,
       "a process never promises or accepts a ballot lower than one it promised before, across "
       "restarts, amnesia ones included"},
      {"leader_had_a_quorum", CheckKind::kAlways,
       "a leader of epoch e had binding support for e from a majority of its group's members "
       "when it was elected (algorithms whose profile reports support)"},
      {"follows_a_claimed_leader", CheckKind::kAlways,
       "a member follows a leader in epoch e only after that leader became leader of e (not "
       "judged for service-based algorithms)"},
      {"recovery", CheckKind::kEventually,
       "while a quorum is available, a leader that a majority (or every up node) follows within "
       "`recovery_within` of the latest fault, lasting until the next fault; with a nemesis, "
       "judged from the start of its quiet period"},
      {"stable_leader", CheckKind::kEventually,
       "the same rule with `stable_leader_within`, judged at all times while a quorum is "
       "available: catches livelock and deadlock under partial partitions"},
      {"sometimes", CheckKind::kSometimes,
       "every goal the scenario declares in `checks.sometimes` is reached at least once"},
  };
  return catalogue;
}

// The order matches the Goal enum in goals.h.
const std::vector<GoalInfo>& goal_catalogue() {
  static const std::vector<GoalInfo> catalogue = {
      {"leader_crashed", "a node crashed while it was leading"},
      {"new_leader_elected",
       "after a fault, a node became leader of an epoch higher than any before the first fault"},
      {"leader_isolated",
       "a link cut left a leader without two-way links to a majority of the cluster"},
      {"leader_paused", "a node was paused while it was leading"},
      {"node_restarted", "a crashed node restarted"},
      {"amnesia_restart", "a crashed node restarted without its durable state"},
      {"clock_changed", "a node's clock was skewed, drifted or jumped after the start"},
      {"partition_healed", "a partition fault ended, or a heal followed a partition"},
      {"fault_fired", "at least one scheduled or nemesis fault started"},
  };
  return catalogue;
}

bool is_known_goal(std::string_view name) {
  const auto& catalogue = goal_catalogue();
  return std::any_of(catalogue.begin(), catalogue.end(),
                     [&](const GoalInfo& info) { return info.name == name; });
}

std::string fault_code_name(uint64_t code) {
  static constexpr const char* kNames[] = {"crash",     "amnesia_crash", "restart",
                                           "pause",     "partition",     "link_fault",
                                           "heal",      "clock_offset",  "clock_drift",
                                           "clock_jump", "resign"};
  if (code < std::size(kNames)) return kNames[code];
  return absl::StrCat("fault kind ", code);
}

}  // namespace electsim::sim::checks
