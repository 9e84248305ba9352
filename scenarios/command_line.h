// The electsim command line parsed into data, without running anything: main.cc executes the
// result, and the fuzz target (tests/fuzz/fuzz_command_line.cc) feeds it arbitrary argv vectors.
// Parsing never exits the process and never throws; every refusal is a FinishedCommand with
// exit 64 and one line for stderr that names the flag and the bad value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/seed_range.h"
#include "scenarios/scenario.h"
#include "sim/time.h"

namespace electsim::scenarios {

// What names the scenario and changes it before it runs (shared by run, sweep and check).
struct ScenarioFlags {
  std::string scenario;  // a path, or the name of a built-in scenario (scenarios/library)
  std::vector<std::string> overrides;   // --set PATH=VALUE, in order
  std::optional<std::string> algorithm;  // --algorithm NAME
  bool print_scenario = false;           // --print-scenario: print the resolved YAML and stop
  std::optional<std::string> max_events_text;  // --max-events as typed, checked by the parser
  uint64_t max_events = kDefaultMaxEvents;     // the event budget of each run
};

struct OutputFlags {
  std::optional<std::string> json_path;  // given but empty is refused when outputs are opened
  std::optional<std::string> junit_path;  // --junit FILE (run and sweep; scenarios/junit.h)
  // --metrics FILE: Prometheus text (run and sweep; reports/prometheus.h)
  std::optional<std::string> metrics_path;
  bool quiet = false;
};

struct RunCommand {
  ScenarioFlags scenario;
  OutputFlags output;
  std::optional<uint64_t> seed;
  std::optional<std::string> trace_path;
  // --transitions FILE: one line per leader change (reports/transition_log.h)
  std::optional<std::string> transitions_path;
  bool timeline_full = false;  // --timeline full: every leadership entry, not the brief one
  std::optional<std::string> html_path;  // --html FILE: the run's page (scenarios/run_page.h)
  std::optional<std::string> svg_path;   // --svg FILE: the page's timeline picture alone
};

struct SweepCommand {
  ScenarioFlags scenario;
  OutputFlags output;
  std::optional<SeedRange> seeds;
  int jobs = 1;
  std::optional<Shard> shard;      // --shard K/N: every N-th seed of the range, from its K-th
  bool resume = false;             // --resume: continue the sweep in the --json file
  bool check_determinism = false;  // --check-determinism: every seed twice, fingerprints equal
  // The regression gate (reports/regression_gate.h): --baseline OLD.json, --tolerance 10%
  // (a fraction here: 0.1), --allow-baseline-mismatch (another scenario or algorithm).
  std::optional<std::string> baseline_path;
  double tolerance = 0.10;
  bool allow_baseline_mismatch = false;
};

// electsim merge FILES... [--json OUT] [--junit OUT] [--quiet] (scenarios/merge.h).
struct MergeCommand {
  std::vector<std::string> files;
  OutputFlags output;
};

// electsim shrink SCENARIO --seed N -o FILE [--max-runs N] (scenarios/shrink.h).
struct ShrinkCommand {
  ScenarioFlags scenario;
  uint64_t seed = 0;
  std::string output_path;  // -o, --output
  int max_runs = 500;       // scenarios/shrink.h's kDefaultShrinkRuns
  bool quiet = false;
};

// electsim compare SCENARIO --algorithms a,b,c [--vary PARAM=V1,V2,...] [--seeds A..B]
// [--jobs N] [--json FILE] [--csv FILE] [--html FILE] [--quiet] (scenarios/compare_command.h).
struct CompareCommand {
  ScenarioFlags scenario;  // its `algorithm` is unused: --algorithms names them
  OutputFlags output;      // --json and --quiet (no --junit)
  std::vector<std::string> algorithms;  // as listed; empty: the scenario's own (with --vary)
  bool all_algorithms = false;          // --algorithms all
  std::optional<std::string> vary_parameter;  // --vary PARAM=...
  std::vector<std::string> vary_values;        // ... V1,V2,... as typed
  std::optional<SeedRange> seeds;
  int jobs = 1;
  std::optional<std::string> csv_path;
  std::optional<std::string> html_path;
};

struct CheckCommand {
  ScenarioFlags scenario;
};

// electsim replay SCENARIO --seed N [--window 500ms] [--trace FILE] (scenarios/replay_command.h).
struct ReplayCommand {
  ScenarioFlags scenario;
  std::optional<uint64_t> seed;
  sim::Duration window = sim::Duration::milliseconds(500);  // before and after each violation
  std::optional<std::string> trace_path;
};

struct ListCommand {
  bool json = false;
};

// Parsing decided the outcome by itself: --help, --version, or a command-line error.
struct FinishedCommand {
  int exit_code = 0;
  std::string out;  // for stdout (help, version)
  std::string err;  // for stderr, each line starting "electsim: "
};

using Command = std::variant<RunCommand, SweepCommand, CheckCommand, ListCommand, MergeCommand,
                             ShrinkCommand, ReplayCommand, CompareCommand, FinishedCommand>;

// `args` is argv as given, program name first.
Command parse_command_line(const std::vector<std::string>& args);

// A seed: decimal digits only, 0..2^64-1 ("-1", "+3", "0x10", "1e3" and "" are refused).
absl::StatusOr<uint64_t> parse_seed(std::string_view text);
// "A..B" with A <= B, or a single seed "A".
absl::StatusOr<SeedRange> parse_seed_range(std::string_view text);
// --algorithms: "a,b,c" (each name once) or "all".
absl::StatusOr<std::vector<std::string>> parse_algorithm_list(std::string_view text);
// --vary: "PARAM=V1,V2,..." into the parameter and its values (at least two, each once); commas
// inside brackets belong to a value (a node list such as [n1,n2]).
absl::StatusOr<std::pair<std::string, std::vector<std::string>>> parse_vary(std::string_view text);

// "K/N" with 1 <= K <= N, both decimal (`--shard`, and a shard's JSON).
absl::StatusOr<Shard> parse_shard(std::string_view text);
// "10%" or "2.5%", 0% to 1000%, as a fraction (0.1, 0.025); `--tolerance`.
absl::StatusOr<double> parse_tolerance(std::string_view text);

// How reproduce commands name the binary: argv[0] as typed when it holds a slash (it then
// works from the same directory), or "electsim" when it was found on PATH (or is not UTF-8).
std::string invoked_program_name(std::string_view argv0);

}  // namespace electsim::scenarios
