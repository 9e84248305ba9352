// A scenario: the cluster, the algorithm and its parameters, the network, clocks, faults and
// checks of a run, as loaded from a versioned YAML file (DESIGN.md, "The outside contract").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "algorithms/registry.h"
#include "faults/plan.h"
#include "sim/layout.h"
#include "sim/network.h"
#include "sim/checks/leadership_watch.h"
#include "sim/checks/profile.h"
#include "sim/fencing.h"
#include "sim/time.h"

namespace electsim::scenarios {

struct NetworkSpec {
  sim::LatencyModel latency = sim::LatencyModel::constant(sim::Duration::milliseconds(1));
  sim::Ratio loss;
  sim::Ratio duplication;
  bool reorder = false;
};

struct ClockSpec {
  // Each node's drift rate is drawn uniformly from this range (ppm), its initial offset from
  // [-max_offset, +max_offset].
  int64_t drift_ppm_min = 0;
  int64_t drift_ppm_max = 0;
  sim::Duration max_offset;
};

// Which nodes must follow a leader before the cluster counts as recovered.
enum class RecoveryQuorum : uint8_t {
  kMajority,  // a majority of all nodes (the leader included) - the default
  kAllUp,     // every node that is not down (Raft paper Figure 16's measure)
};

struct ChecksSpec {
  std::optional<sim::Duration> recovery_within;  // none: the recovery check is off
  RecoveryQuorum recovery_quorum = RecoveryQuorum::kMajority;
  // How soon a leader is due while a partial partition lasts (issue 4's livelock detection).
  std::optional<sim::Duration> stable_leader_within;
  std::vector<std::string> sometimes;  // goal names, see checks
  // checks.exclusive: tightens the algorithm's exclusivity rule (never loosens it).
  std::optional<sim::checks::ExclusivityRule> exclusive;
};

// The `cluster:` section as the file (and --set) wrote it, kept so that --print-scenario can write
// it back; the loader turns it into Scenario::layout (cluster_layout.h).
struct ClusterSpec {
  enum class Placement : uint8_t {
    kSpread,    // member i of group g on member host (g * members + i) % member hosts
    kPacked,    // every group on the first `members` member hosts
    kExplicit,  // `hosts_of_groups[g]` lists group g's hosts, one per member
  };
  // `nodes: N` (the classic form): N hosts and one group of N, member i on host i. The other
  // fields are then unused.
  std::optional<uint32_t> nodes = 5;
  uint32_t hosts = 0;
  uint32_t group_count = 1;
  std::optional<uint32_t> members;  // unset: one member per member host
  Placement placement = Placement::kSpread;
  std::vector<std::vector<sim::HostId>> hosts_of_groups;  // kExplicit only
  std::vector<sim::HostId> service_hosts;                 // one service process on each
  // The fenced resource's host when the scenario has one (Scenario::resource). Unset: a host of
  // its own after the others (host N after the members' h1..hN for `nodes: N`).
  std::optional<sim::HostId> resource_host;
  bool resource = false;  // whether the layout has the fenced resource (Scenario::resource)
  uint32_t clients = 0;  // round-robin over the member hosts
};

// The event budget of a run unless --max-events says otherwise: about 5 to 10 seconds of
// processing at the 10 to 20 million events a second measured on a Raft run, and 5,000 times
// what the largest library scenario needs (18,631 events, nemesis-amnesia.yaml).
inline constexpr uint64_t kDefaultMaxEvents = 100'000'000;

// The `resource:` section (issue 9): the fenced resource that every leader writes to.
struct ResourceSpec {
  sim::FencingMode fencing = sim::FencingMode::kOn;
  // How often a leader writes, on its own host's clock; the first write goes out when it is
  // elected.
  sim::Duration write_every = sim::Duration::milliseconds(100);
};

struct Scenario {
  std::string path;  // as given by the user
  int version = 1;
  std::string name;
  std::string description;
  // How the file wrote `cluster:`, and the hosts, processes and groups it means.
  ClusterSpec cluster;
  sim::Layout layout = sim::Layout::single_group(5);
  // Compatibility for the users that predate layouts (the runner's World, the budget): the
  // number of processes, which for `nodes: N` (one group of N on N hosts) is N, the resource
  // beside them not counted.
  uint32_t nodes = 5;
  std::string algorithm = "raft";
  algorithms::Params params;  // resolved: every parameter has a value
  // algorithm.params_for: the parameters of other algorithms, by name, resolved as `params` is;
  // --algorithm NAME has already put NAME's block in place of `params` (and out of this map).
  // Kept so that --print-scenario prints them and a printed scenario compares as its file does.
  std::map<std::string, algorithms::Params> params_for;
  NetworkSpec network;
  ClockSpec clocks;
  // Present when the file has a `resource:` section (or cluster.resource_host): the layout then
  // runs the fenced resource and leaders write to it. Absent: no resource, no writes.
  std::optional<ResourceSpec> resource;
  sim::Duration duration = sim::Duration::seconds(60);
  std::vector<faults::Fault> faults;
  std::optional<faults::NemesisSpec> nemesis;
  ChecksSpec checks;
  // `alerts:`: conditions reported when they fire during a run; they never change a verdict.
  sim::checks::AlertRules alerts;
  uint64_t seed_first = 1;
  uint64_t seed_last = 1;
  // The --set overrides and --algorithm that were applied, for the reproduce command.
  std::vector<std::string> overrides;
  std::optional<std::string> algorithm_override;
  // The binary as the reproduce command names it: argv[0] when it holds a slash
  // ("build/electsim"), "electsim" when it was found on PATH (command_line.h).
  std::string program = "electsim";
  // The event budget of each run (--max-events); see scenarios/budget.h.
  uint64_t max_events = kDefaultMaxEvents;
};

struct LoadOptions {
  std::vector<std::string> overrides;             // "path=value", as given to --set
  std::optional<std::string> algorithm_override;  // --algorithm NAME
  // The loader refuses a scenario whose estimated need is over this (--max-events).
  uint64_t max_events = kDefaultMaxEvents;
};

// Loads and validates a scenario file. Errors are InvalidArgument with one line:
// "FILE:LINE:COLUMN: what was wrong and what was expected" (exit 65). Only a regular file of
// at most 16 MB is read; a scenario that would need more events than options.max_events, or
// more pending at once than a run may hold, is refused too.
absl::StatusOr<Scenario> load_scenario_file(const std::string& path, const LoadOptions& options);
// The same from text in memory (tests, fuzzing); `path` is used in messages.
absl::StatusOr<Scenario> load_scenario_text(const std::string& text, const std::string& path,
                                            const LoadOptions& options);

// Whether a load error lies in a --set or --algorithm flag rather than in the file: the command
// line then exits 64 (bad command line) instead of 65 (bad scenario file).
bool is_command_line_error(const absl::Status& status);

// Node names in scenarios and reports: n1 is node id 0.
std::string node_name(sim::NodeId node);

}  // namespace electsim::scenarios
