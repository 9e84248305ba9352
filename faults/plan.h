// Fault plans as data: what a scenario's `faults:` schedule and `nemesis:` section say, before
// they are resolved against a running world. faults/ turns them into actions on the world
// (injector.h); scenarios/ parses YAML into them. Nothing here knows YAML or an algorithm.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/network.h"
#include "sim/prng.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::faults {

using sim::Duration;
using sim::DurationRange;
using sim::NodeId;

// Who a fault hits. Roles and random draws are resolved when the fault fires.
struct Target {
  enum class Kind : uint8_t {
    kNode,            // a named node: n1 (id 0), n2, ...
    kLeader,          // the current leader (see World::current_leader); none: the fault is skipped
    kFollower,        // the lowest-id node that follows the current leader
    kRandomFollower,  // a follower of the current leader drawn from the seed
    kRandomNode,      // any node that is not down, drawn from the seed
    kAll,             // every node
    // Issue 8: hosts and groups. Faults act on hosts; a process target means the host it runs on.
    kHost,            // a named host: h1 (id 0), h2, ...
    kLeaderOfGroup,   // the leader of group `group` (g7 is id 6); none: the fault is skipped
    kBusiestHost,     // the host that leads the most groups (lowest id on ties)
    kServiceHost,     // a host running a service replica (the lowest-id one that is up)
    // Issue 9: the fenced resource's host (its first resource process's), whatever its status.
    kResourceHost,
  };
  Kind kind = Kind::kNode;
  NodeId node = 0;   // for kNode (a process id) and kHost (a host id)
  uint32_t group = 0;  // for kLeaderOfGroup
  friend bool operator==(const Target&, const Target&) = default;
};
using Targets = std::vector<Target>;

enum class FaultKind : uint8_t {
  // Processes.
  kCrash,          // crash-stop, or crash then restart with durable state after `duration`
  kAmnesiaCrash,   // crash, then restart with nothing after `duration`
  kRestart,        // restart a crashed node with its durable state (amnesia: with nothing)
  kPause,          // pause for `duration` (a GC pause or VM stall: the clock runs on)
  // Network.
  kPartition,      // cut links in one of the shapes below, healed after `duration` if given
  kLinkFault,      // degrade links (loss, duplication, reordering, delay, clog) for `duration`
  kHeal,           // restore every link cut and every degradation still in force
  // Clocks.
  kClockOffset,    // set the offset local - true to `clock_amount` (skew)
  kClockDrift,     // set the drift rate to `drift_ppm` (rate skew)
  kClockJump,      // jump the clock by `clock_amount` (may be negative)
  // Leadership (issue 11).
  kResign,         // ask the targets' leaders to give up leadership voluntarily, at once
};
const char* fault_kind_name(FaultKind kind);

struct PartitionShape {
  enum class Kind : uint8_t {
    kGroups,            // `groups`: no links between different groups; unlisted nodes form one
                        // more group together
    kIsolate,           // `members`: each listed node is cut from every other node, both ways
    kMajorityMinority,  // the leader (or `members` if given) plus the fewest others lands in the
                        // minority side; the rest (a majority) stays connected
    kBridge,            // `groups` has two sides; `bridge` alone keeps links to both sides
    kOneWay,            // links from each of `from` to each of `to` are cut (to no longer hears
                        // from); the reverse direction stays up
    kRing,              // nodes in `members` order form a ring: each node keeps links only to
                        // its two ring neighbours (chained partial connectivity)
    kLinks,             // exactly the directed links in `links`
  };
  Kind kind = Kind::kGroups;
  std::vector<Targets> groups;
  Targets members;
  Target bridge;
  Targets from;
  Targets to;
  std::vector<std::pair<Target, Target>> links;  // directed: first -> second
  bool both_ways = false;                          // kLinks: also cut second -> first
};

struct LinkDegradation {
  Targets from;  // empty: every node
  Targets to;    // empty: every node
  std::optional<sim::Ratio> loss;
  std::optional<sim::Ratio> duplication;
  bool reorder = false;
  std::optional<sim::LatencyModel> extra_latency;  // a delay spike
  std::optional<Duration> clog;                    // hold messages for this long, then release
};

// A targeted fault (Jepsen's targeted nemeses: faults aimed at the moments that matter) is armed
// at its `at` and waits for the next event of its trigger; it then fires at once on the process
// that reported that event (its targets, or its partition's isolated member, are that process).
// An armed fault that sees no such event within `armed_for` never fires. The decision depends
// only on the run's own trace, so a targeted plan is as deterministic as a timed one.
enum class Trigger : uint8_t {
  kNone,
  kSupportGiven,   // a process gave binding support (a vote, a promise, ...) to another one
  kLeaderElected,  // a process became leader
};

struct Fault {
  FaultKind kind = FaultKind::kCrash;
  DurationRange at;                 // when, from the start; a range is drawn from the seed
  std::optional<DurationRange> duration;  // restart_after / heal_after / pause length
  Targets targets;                  // process and clock faults
  PartitionShape partition;
  LinkDegradation link;
  int64_t drift_ppm = 0;
  Duration clock_amount;
  bool amnesia = false;             // kRestart: restart with nothing
  // Where the fault was written (1-based), or 0 for nemesis-drawn faults.
  int source_line = 0;
  // Human label, for coverage reports: "crash leader", "partition isolate n3".
  std::string label;
  // Targeted faults only (see Trigger): its targets are filled in when the trigger fires.
  Trigger trigger = Trigger::kNone;
  Duration armed_for;
};

// Random faults drawn from the seed (swarm testing; Groce et al., ISSTA 2012).
struct NemesisKindSpec {
  FaultKind kind;
  std::string shape;                 // for partitions: groups, isolate, majority_minority, ...
  Duration mean_interval;            // mean time between faults of this kind (exponential)
  DurationRange duration;            // how long each lasts
  // Kind-specific parameter ranges.
  std::pair<int64_t, int64_t> drift_ppm{0, 0};
  DurationRange clock_amount{};
  sim::Ratio loss{};
  sim::Ratio duplication{};
  DurationRange extra_latency{};
  // A targeted kind (crash_after_vote, ...): what its faults wait for; each stays armed for
  // `mean_interval` at most.
  Trigger trigger = Trigger::kNone;
};

// The most faults a nemesis may draw for one run, on average: the loader refuses a spec whose
// kinds, at their mean intervals over the nemesis's window, would draw more (so none is ever
// dropped silently), and the drawing loop treats four times this many from one kind as a broken
// invariant. A drawn fault holds about half a kilobyte while the run lasts.
inline constexpr int64_t kMaxNemesisFaults = 10'000;

struct NemesisSpec {
  std::vector<NemesisKindSpec> kinds;
  Duration start_after;   // no random fault before this
  Duration quiet_period;  // the last stretch of the run: everything healed, nothing new
  bool swarm = false;     // each seed also draws which kinds are enabled
  int max_concurrent_crashes = -1;  // -1: a minority of the cluster
};

}  // namespace electsim::faults
