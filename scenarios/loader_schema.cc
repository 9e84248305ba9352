// The scenario schema, version 1 (DESIGN.md, "The outside contract"). Adding a key here makes the
// loader accept it where its parent is read; the loader must then also read it.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "scenarios/schema.h"

#include "sim/checks/checks.h"

namespace electsim::scenarios {
namespace {

// A latency model may be written under more than one key, with the same sub-keys.
void add_latency_keys(std::vector<KeyDoc>& keys, const std::string& at) {
  keys.push_back({at + ".distribution", "string", "constant",
                  "constant, uniform, normal or exponential"});
  keys.push_back({at + ".value", "duration", "required for constant", "the constant latency"});
  keys.push_back({at + ".min", "duration", "required for uniform; 0 otherwise",
                  "uniform: the lower bound; normal: draws below are raised to it (or drawn "
                  "again, with below_min: redraw); exponential: added to every draw"});
  keys.push_back({at + ".below_min", "string", "raise",
                  "normal only: raise (a draw below min becomes min) or redraw (it is drawn "
                  "again: a normal truncated at min, as Howard's simulator draws delays); redraw "
                  "needs min at most two standard deviations above the mean"});
  keys.push_back({at + ".max", "duration", "required for uniform", "uniform: the upper bound"});
  keys.push_back({at + ".mean", "duration", "required for normal and exponential",
                  "the mean of a normal or exponential latency"});
  keys.push_back({at + ".stddev", "duration", "required for normal",
                  "the standard deviation of a normal latency"});
}

void add_top_keys(std::vector<KeyDoc>& keys) {
  keys.insert(keys.end(), {
      {"version", "integer", "required", "the schema version; must be 1"},
      {"name", "string", "the file name without its extension",
       "the scenario's name in reports and reproduce commands"},
      {"description", "string", "\"\"", "what the scenario tests, in a sentence or two"},
      {"cluster", "mapping", "{nodes: 5}",
       "the hosts and the processes on them: `nodes: N`, or `hosts` with groups, service, "
       "resource_host and clients"},
      {"cluster.nodes", "integer", "5",
       "N hosts and one election group of N members, one on each (n1..nN on h1..hN), "
       "1..1000; not with the keys below"},
      {"cluster.hosts", "integer", "none",
       "how many hosts (machines h1..hN), 1..10000; without `groups`, one group with a member "
       "on each host that runs no service or resource"},
      {"cluster.groups", "mapping", "{count: 1}", "the election groups (needs hosts)"},
      {"cluster.groups.count", "integer", "1 (or the placement's list count)",
       "how many groups (g1..gG), at least 1"},
      {"cluster.groups.members", "integer", "one per member host",
       "members per group (g7.n1..g7.nM), 1..1000; spread and packed need that many member "
       "hosts"},
      {"cluster.groups.placement", "spread, packed or list of host lists", "spread",
       "spread: member i of group g on member host (g*M + i) mod H; packed: every group on the "
       "first M member hosts; a list: group g's hosts, one per member, no host twice. Member "
       "hosts are the hosts that run no service and not the resource"},
      {"cluster.service", "host list or mapping", "none",
       "hosts that each run one coordination-service replica (s1, s2, ...): [h10] or "
       "{hosts: [h10]}; never counted in a group's majority"},
      {"cluster.service.hosts", "host list", "none", "the service replicas' hosts"},
      {"cluster.resource_host", "host", "a host of its own",
       "the host of the fenced resource's process (r1); its settings are under the top-level "
       "`resource` (given alone, the resource takes their defaults)"},
      {"cluster.clients", "integer", "0",
       "client processes (c1..cN), placed round-robin over the member hosts; they never vote"},
      {"algorithm", "mapping", "{name: raft}", "the election algorithm and its parameters"},
      {"algorithm.name", "string", "raft",
       "a registry name (see `electsim list`); --algorithm replaces it, and params with "
       "params_for's block for the new algorithm (or its defaults)"},
      {"algorithm.params", "mapping", "{}",
       "the algorithm's parameters; each one not given takes its default"},
      {"algorithm.params.<name>", "per parameter", "per parameter",
       "one parameter, typed and checked against the algorithm's parameter list"},
      {"algorithm.params_for", "mapping", "{}",
       "parameters for other algorithms, by registry name: --algorithm NAME runs NAME with "
       "params_for.NAME instead of params"},
      {"algorithm.params_for.<algorithm>", "mapping", "that algorithm's defaults",
       "one algorithm's parameters (not the scenario's own: those go in params), checked "
       "against its parameter list on every load"},
      {"algorithm.params_for.<algorithm>.<name>", "per parameter", "per parameter",
       "one parameter of that algorithm"},
      {"network", "mapping", "{}", "every link's behaviour when no fault is in force"},
      {"network.latency", "latency", "1ms",
       "one-way delay: a duration (constant), a range lo..hi (uniform) or a mapping with "
       "`distribution`"},
  });
  add_latency_keys(keys, "network.latency");
  keys.insert(keys.end(), {
      {"network.loss", "ratio", "0", "probability that a message is lost: 0.01, 1% or 1/100"},
      {"network.duplication", "ratio", "0", "probability that a message is delivered twice"},
      {"network.reorder", "bool", "false", "whether links may reorder; false keeps them FIFO"},
      {"clocks", "mapping", "{}", "the nodes' local clocks at the start"},
      {"clocks.drift_ppm", "integer range", "0",
       "each node's drift in parts per million, drawn uniformly from lo..hi (or one integer); "
       "each end within -499999..499999"},
      {"clocks.max_offset", "duration", "0",
       "each node's initial offset is drawn from -max_offset..max_offset"},
      {"resource", "mapping", "none (no resource, no writes)",
       "the fenced resource that every leader writes to with its token; with it, the resource "
       "runs on a host of its own (r1, after the members' hosts) unless cluster.resource_host "
       "places it"},
      {"resource.fencing", "on, off or equal-ok", "on",
       "on: refuse a token below the highest accepted (or equal, from another leadership); "
       "equal-ok: refuse only a lower token; off: accept every write (true and false mean on "
       "and off)"},
      {"resource.write_every", "duration", "100ms",
       "how often a leader writes, on its own clock, from its election on while it leads; "
       "must be positive"},
      {"duration", "duration", "60s",
       "simulated time of one run; must be positive and at most 720h (as must every time in a "
       "scenario)"},
  });
}

void add_fault_keys(std::vector<KeyDoc>& keys) {
  keys.insert(keys.end(), {
      {"faults", "list", "[]",
       "the fault schedule; each item has `at` and one action key; at most 10000 faults"},
      {"faults[].at", "duration or duration range", "required",
       "when the fault fires, from the start of the run; a range lo..hi is drawn from the seed; "
       "must be before `duration`"},
      {"faults[].crash", "targets", "none",
       "action: crash the targets (crash-stop unless restart_after is given)"},
      {"faults[].restart_after", "duration or duration range", "none (stays down)",
       "crash: restart the targets this long after the crash"},
      {"faults[].amnesia", "bool", "false",
       "crash or restart: the node restarts with nothing, its durable state lost"},
      {"faults[].restart", "targets", "none",
       "action: restart crashed targets (with their durable state unless amnesia: true)"},
      {"faults[].pause", "targets", "none",
       "action: pause the targets (a GC pause or VM stall: the clock runs on)"},
      {"faults[].duration", "duration or duration range", "required for pause",
       "pause: how long the targets stay paused"},
      {"faults[].partition", "mapping", "none",
       "action: cut links in one shape: isolate, groups, majority_minority, bridge (with groups), "
       "one_way, ring or links"},
      {"faults[].partition.isolate", "targets", "none",
       "each target is cut from every other node, both ways"},
      {"faults[].partition.groups", "list of node lists", "none",
       "no links between different groups; nodes not listed form one more group"},
      {"faults[].partition.majority_minority", "targets or true", "none",
       "the targets (true: the leader) and the fewest others form the minority side"},
      {"faults[].partition.bridge", "target", "none",
       "with two groups: this node alone keeps its links to both sides"},
      {"faults[].partition.one_way", "mapping", "none",
       "links from each of `from` to each of `to` are cut; the reverse stays up"},
      {"faults[].partition.one_way.from", "targets", "required", "the senders whose links are cut"},
      {"faults[].partition.one_way.to", "targets", "required", "the receivers that stop hearing"},
      {"faults[].partition.ring", "node list", "none",
       "at least 3 nodes; each keeps links only to its two neighbours in the listed order"},
      {"faults[].partition.links", "list of [from, to] pairs", "none",
       "exactly these directed links are cut"},
      {"faults[].partition.both_ways", "bool", "false",
       "links: also cut each listed link's reverse direction"},
      {"faults[].heal_after", "duration or duration range", "none (stays in force)",
       "partition or link: undo the fault this long after it fired"},
      {"faults[].heal", "`all`", "none",
       "action: restore every link cut and every degradation in force; something must be in "
       "force then"},
      {"faults[].link", "mapping", "none",
       "action: degrade links; at least one of loss, duplication, reorder, delay, clog"},
      {"faults[].link.from", "targets", "all", "the senders of the degraded links"},
      {"faults[].link.to", "targets", "all", "the receivers of the degraded links"},
      {"faults[].link.loss", "ratio", "unchanged", "probability that a message is lost"},
      {"faults[].link.duplication", "ratio", "unchanged",
       "probability that a message is delivered twice"},
      {"faults[].link.reorder", "bool", "false", "let the links reorder messages"},
      {"faults[].link.delay", "latency", "none",
       "extra one-way delay on top of the network latency (a delay spike)"},
  });
  add_latency_keys(keys, "faults[].link.delay");
  keys.insert(keys.end(), {
      {"faults[].link.clog", "duration", "none",
       "hold every message sent on the links for this long, then release them"},
      {"faults[].clock", "mapping", "none",
       "action: change the targets' clocks; exactly one of offset, drift_ppm, jump"},
      {"faults[].clock.nodes", "targets", "required", "whose clocks change"},
      {"faults[].clock.offset", "duration", "none",
       "set local minus true time to this (may be negative)"},
      {"faults[].clock.drift_ppm", "integer", "none",
       "set the drift rate in parts per million, within -499999..499999"},
      {"faults[].clock.jump", "duration", "none",
       "jump the clock by this amount (may be negative)"},
      {"faults[].resign", "targets", "none",
       "action: ask the targets' leader to resign voluntarily (leader, leader of g3, or named "
       "nodes that lead); the lease recipes release their lease, algorithms without a "
       "resignation ignore it"},
  });
}

void add_nemesis_kind(std::vector<KeyDoc>& keys, const std::string& kind, const std::string& doc,
                      bool has_duration) {
  const std::string at = "nemesis.kinds." + kind;
  keys.push_back({at, "mapping", "off", doc});
  keys.push_back({at + ".every", "duration", "required",
                  "mean time between two faults of this kind (exponentially distributed)"});
  if (has_duration) {
    keys.push_back({at + ".duration", "duration range", "required",
                    "how long each fault lasts, drawn uniformly from lo..hi"});
  }
}

// Targeted kinds (faults/trigger_watch.h): each fault is armed at a time drawn like any kind's,
// waits at most `every` for its moment, and then hits the process the moment names.
void add_targeted_nemesis_keys(std::vector<KeyDoc>& keys) {
  add_nemesis_kind(keys, "crash_after_vote",
                   "targeted: crash a host right after it gives binding support (a vote, a "
                   "promise) to another process, restart it with its durable state",
                   true);
  add_nemesis_kind(keys, "amnesia_after_vote",
                   "targeted: crash a host right after it gives binding support to another "
                   "process, restart it with nothing",
                   true);
  add_nemesis_kind(keys, "isolate_new_leader",
                   "targeted: cut a leader off from every other host right after it is elected",
                   true);
  add_nemesis_kind(keys, "pause_new_leader",
                   "targeted: pause a leader's host right after it is elected (across its first "
                   "lease renewals)",
                   true);
}

void add_nemesis_keys(std::vector<KeyDoc>& keys) {
  keys.insert(keys.end(), {
      {"nemesis", "mapping or null", "null",
       "random faults drawn from the seed (swarm testing); null: none"},
      {"nemesis.start_after", "duration", "0", "no random fault starts before this"},
      {"nemesis.quiet_period", "duration", "0",
       "the last stretch of the run: every random fault healed, none new"},
      {"nemesis.swarm", "bool", "false",
       "each seed also draws which of the kinds are enabled (Groce et al., ISSTA 2012)"},
      {"nemesis.max_concurrent_crashes", "integer or `minority`", "minority",
       "at most this many hosts down (crashed) at once; minority: each group keeps a majority "
       "of its members up"},
      {"nemesis.kinds", "mapping", "required", "the kinds of fault to draw; at least one"},
  });
  add_nemesis_kind(keys, "crash",
                   "crash a random host (every process on it), restart it with its durable state",
                   true);
  add_nemesis_kind(keys, "amnesia_crash", "crash a random host, restart it with nothing", true);
  add_nemesis_kind(keys, "pause", "pause a random host", true);
  add_nemesis_kind(keys, "partition", "partition the network in one of the listed shapes", true);
  keys.push_back({"nemesis.kinds.partition.shapes", "list of shape names",
                  "[isolate, majority_minority, bridge, one_way, ring, groups]",
                  "the shapes to draw; each shape fires independently at the rate `every`"});
  add_nemesis_kind(keys, "link", "degrade the links of random nodes", true);
  keys.insert(keys.end(), {
      {"nemesis.kinds.link.loss", "ratio", "0", "loss probability of a degraded link"},
      {"nemesis.kinds.link.duplication", "ratio", "0",
       "duplication probability of a degraded link"},
      {"nemesis.kinds.link.delay", "duration range", "0",
       "extra delay of a degraded link, drawn uniformly from lo..hi"},
  });
  add_nemesis_kind(keys, "clock_offset",
                   "set a random node's clock offset; it stays until the next change", false);
  keys.push_back({"nemesis.kinds.clock_offset.offset", "duration range", "required",
                  "the offset, drawn from lo..hi (may be negative)"});
  add_nemesis_kind(keys, "clock_drift",
                   "set a random node's drift rate; it stays until the next change", false);
  keys.push_back({"nemesis.kinds.clock_drift.drift_ppm", "integer range", "required",
                  "the drift in parts per million, drawn from lo..hi within -499999..499999"});
  add_nemesis_kind(keys, "clock_jump", "jump a random node's clock", false);
  keys.push_back({"nemesis.kinds.clock_jump.jump", "duration range", "required",
                  "the jump, drawn from lo..hi (may be negative)"});
  add_targeted_nemesis_keys(keys);
  add_nemesis_kind(keys, "resign",
                   "ask the leader to resign (algorithms without a resignation ignore it)", false);
}

void add_check_keys(std::vector<KeyDoc>& keys) {
  keys.insert(keys.end(), {
      {"checks", "mapping", "{}", "the liveness checks and the goals the run must reach"},
      {"checks.recovery_within", "duration", "none (check off)",
       "after the last fault heals, a leader followed by the recovery quorum within this bound"},
      {"checks.recovery_quorum", "string", "majority",
       "majority (of all nodes, the leader included) or all_up (every node that is not down)"},
      {"checks.stable_leader_within", "duration", "none (check off)",
       "while a partial partition lasts, a leader is due within this bound (livelock detection)"},
      {"checks.exclusive", "string", "the algorithm's",
       "until_superseded, bounded or strict: tightens the algorithm's exclusivity rule (electsim "
       "list shows each profile); loosening it is an error"},
      {"checks.sometimes", "list of goal names", "[]",
       "situations the run must reach at least once, or it fails as a liveness violation"},
      {"alerts", "mapping", "{} (none)",
       "conditions reported when they fire during a run (text report, JSON `alerts`); "
       "observations, not checks: they never change the verdict"},
      {"alerts.leader_changes", "mapping", "none",
       "fire when more than `more_than` leaders are elected, over all groups, within any span "
       "of `within` true time (frequent transitions)"},
      {"alerts.leader_changes.more_than", "integer", "required",
       "how many elections the span may hold without firing, 0..1000000 (the first election "
       "counts)"},
      {"alerts.leader_changes.within", "duration", "required", "the span; must be positive"},
      {"alerts.leaderless_longer_than", "duration", "none",
       "fire when a group has had no member that believes it leads for longer than this, from "
       "the start of the run on; must be positive"},
      {"seeds", "integer or integer range", "1",
       "the seeds a sweep runs: one seed, or lo..hi inclusive"},
  });
}

std::vector<KeyDoc> build_keys() {
  std::vector<KeyDoc> keys;
  add_top_keys(keys);
  add_fault_keys(keys);
  add_nemesis_keys(keys);
  add_check_keys(keys);
  return keys;
}

}  // namespace

const std::vector<KeyDoc>& scenario_keys() {
  static const std::vector<KeyDoc>* const kKeys = new std::vector<KeyDoc>(build_keys());
  return *kKeys;
}

const KeyDoc* find_key_doc(std::string_view path) {
  for (const KeyDoc& key : scenario_keys())
    if (key.path == path) return &key;
  return nullptr;
}

std::vector<std::string> child_keys(std::string_view path) {
  const std::string prefix = path.empty() ? "" : absl::StrCat(std::string(path), ".");
  std::vector<std::string> children;
  for (const KeyDoc& key : scenario_keys()) {
    if (!key.path.starts_with(prefix)) continue;
    const std::string rest = key.path.substr(prefix.size());
    // Only direct children: no further dot, no list marker, no placeholder.
    if (rest.empty() || rest.find_first_of(".[<") != std::string::npos) continue;
    children.push_back(rest);
  }
  return children;
}

const std::vector<std::string>& known_goal_names() {
  // The checks own the goals; the loader only needs their names.
  static const std::vector<std::string>* const kGoals = [] {
    auto* names = new std::vector<std::string>;
    for (const auto& goal : sim::checks::goal_catalogue()) names->push_back(goal.name);
    return names;
  }();
  return *kGoals;
}

}  // namespace electsim::scenarios
