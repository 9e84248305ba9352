// What one run produced, in the terms reports need: plain values built from sim/ types, so that
// reports/ depends on nothing but sim/ (DESIGN.md, "which folder may use which").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/checks/checks.h"
#include "sim/checks/leadership_watch.h"
#include "sim/prng.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::reports {

// A run's outcome. The last two are not judgements of the algorithm: kInternalError is a failed
// internal check (SIM_CHECK) during the run, kBudgetExceeded a run stopped because it needed more
// events (or pending events) than its budget allows. Both carry `error` and `error_time`.
enum class Verdict : uint8_t {
  kPass,
  kSafetyViolation,
  kLivenessViolation,
  kInternalError,
  kBudgetExceeded,
};
const char* verdict_name(Verdict verdict);
// Exit codes from DESIGN.md's contract: 0 pass, 1 safety violation, 2 liveness violation,
// 70 internal error, 65 budget exceeded (the scenario asks for more than its budget).
int verdict_exit_code(Verdict verdict);

struct FaultRecord {
  std::string label;
  sim::Instant start;
  std::optional<sim::Instant> end;
  bool skipped = false;
  std::string effect;
  std::vector<sim::NodeId> nodes;
  // A crash whose restart left a node alone that was no longer down from it (the effect says
  // why: restarted early, or crashed again since).
  bool restart_skipped = false;
};

struct TimelineEntry {
  sim::Instant time;
  std::string text;  // "n3 became leader of epoch 4"
  // 0-based, among every entry of the run: where two kept entries' positions are not
  // consecutive, the entries between them were omitted (a brief timeline keeps its head and
  // the entries around each violation).
  uint64_t position = 0;
};

// An algorithm parameter as resolved for the run, typed for the JSON. The alternatives mirror
// algorithms::ParamValue (which reports/ may not include): bool, integer, duration, duration
// range, ratio, node list.
using ParamValue = std::variant<bool, int64_t, sim::Duration, sim::DurationRange, sim::Ratio,
                                std::vector<sim::NodeId>>;
struct RunParam {
  std::string name;   // as in the scenario file: "election_timeout"
  ParamValue value;
  std::string text;   // as a person would write it: "150ms..300ms"
};

// Which electsim produced a result: "0.1.0" and the short commit ("abc123def456", with "-dirty"
// for a build from a changed tree, "unknown" outside git).
struct BuildInfo {
  std::string version;
  std::string commit;
};

struct RunResult {
  std::string scenario;       // the scenario's name
  std::string scenario_path;  // as given
  std::string algorithm;
  std::vector<RunParam> params;  // resolved, in name order
  uint64_t seed = 0;
  uint64_t fingerprint = 0;
  Verdict verdict = Verdict::kPass;
  sim::checks::CheckResults checks;
  // Leadership as monitoring sees it, and the alerts that fired (sim/checks/leadership_watch.h);
  // nullopt when nothing measured it (a run stopped by an internal error, or read back from a
  // sweep file written before electsim measured it).
  std::optional<sim::checks::LeadershipFigures> leadership;
  sim::checks::AlertRules alert_rules;  // the scenario's `alerts:`, as evaluated
  std::vector<FaultRecord> faults;
  std::vector<std::string> nemesis_kinds;  // enabled for this seed (swarm), empty without nemesis
  // The kept timeline entries in position order; see TimelineEntry::position.
  std::vector<TimelineEntry> timeline;
  uint64_t timeline_omitted = 0;      // entries seen but not kept
  uint64_t timeline_limit = 0;        // how many entries the head keeps (brief or full)
  bool timeline_full = false;         // `run --timeline full`
  BuildInfo build;
  uint64_t messages_sent = 0;
  // Messages sent of the types that elect (sim::WorldStats::election_messages_sent); empty when
  // read from a sweep file written before electsim counted them.
  std::optional<uint64_t> election_messages_sent = 0;
  uint64_t messages_delivered = 0;
  uint64_t messages_dropped = 0;
  uint64_t events = 0;
  sim::Duration sim_time;
  std::string reproduce;  // the command that replays this run
  // With kInternalError or kBudgetExceeded: what happened (one line, source files named relative
  // to the repository) and the true time it happened at.
  std::string error;
  sim::Instant error_time;
};

std::string format_fingerprint(uint64_t fingerprint);  // 16 hex digits

}  // namespace electsim::reports
