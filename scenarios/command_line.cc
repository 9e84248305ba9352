// CLI11 lives in this file only: its header costs about two seconds per translation unit
// (BUILD-NOTES.md pitfall 5).
#include "scenarios/command_line.h"

#include <algorithm>
#include <limits>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "scenarios/exit_codes.h"
#include "scenarios/output_target.h"
#include "scenarios/runner.h"
#include "scenarios/suggest.h"
#include "scenarios/utf8.h"

namespace electsim::scenarios {
namespace {

const std::vector<std::string>& subcommand_names() {
  static const std::vector<std::string>* const kNames =
      new std::vector<std::string>{"run", "sweep", "check", "list", "merge", "shrink",
                                   "replay", "compare"};
  return *kNames;
}

FinishedCommand usage_error(std::string_view message) {
  return FinishedCommand{kExitUsage, "", absl::StrCat("electsim: ", std::string(message), "\n")};
}

// Options every command that loads a scenario shares.
void add_scenario_options(CLI::App& command, ScenarioFlags& flags, std::string& algorithm) {
  command.add_option("scenario", flags.scenario,
                     "scenario file (YAML), or the name of a built-in scenario (electsim list)")
      ->required();
  command.add_option("--set", flags.overrides,
                     "override a scenario field: PATH=VALUE; list items by zero-based index, as "
                     "in faults[0].at=12s")
      ->type_name("PATH=VALUE");
  command.add_option("--algorithm", algorithm,
                     "run this algorithm instead, with the scenario's algorithm.params_for "
                     "block for it, else its default parameters");
  command.add_flag("--print-scenario", flags.print_scenario,
                   "print the scenario as resolved after --set and --algorithm (YAML), and stop");
  command.add_option("--max-events", flags.max_events_text,
                     "the event budget of a run (default 100,000,000); a run that needs more "
                     "is refused or stopped with exit 65");
}

void add_output_options(CLI::App& command, OutputFlags& flags) {
  command.add_option("--json", flags.json_path,
                     "write the results as JSON to FILE ('-': standard output, and the report "
                     "for people goes to standard error)");
  command.add_option("--junit", flags.junit_path,
                     "write JUnit XML to FILE, one test case per scenario x algorithm, for CI "
                     "test reporters");
  command.add_flag("--quiet", flags.quiet, "print only the verdict line, and no progress");
}

// run and sweep (not merge: a shard's JSON keeps too little of each run).
void add_metrics_option(CLI::App& command, OutputFlags& flags) {
  command.add_option("--metrics", flags.metrics_path,
                     "write leadership metrics in the Prometheus text format to FILE "
                     "(docs/METRICS.md)");
}

// Refuses a flag value that would reach JSON output or a reproduce command as invalid UTF-8.
std::optional<FinishedCommand> check_utf8(std::string_view flag, std::string_view value) {
  const std::optional<size_t> bad = first_invalid_utf8(value);
  if (!bad) return std::nullopt;
  return usage_error(absl::StrCat(std::string(flag), ": ", invalid_utf8_message(value, *bad)));
}

std::optional<FinishedCommand> finish_scenario_flags(ScenarioFlags& flags,
                                                     const std::string& algorithm,
                                                     bool algorithm_given) {
  if (auto bad = check_utf8("scenario", flags.scenario)) return bad;
  if (flags.scenario.empty()) return usage_error("scenario: expected a file or a built-in name");
  for (const std::string& text : flags.overrides) {
    if (auto bad = check_utf8("--set", text)) return bad;
  }
  if (flags.max_events_text) {
    // Checked as text: CLI11's conversion would wrap "-1" and clamp 2^64 silently.
    const std::string& text = *flags.max_events_text;
    uint64_t value = 0;
    const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || !absl::SimpleAtoi(text, &value) || value == 0) {
      return usage_error(absl::StrCat("--max-events '", text,
                                      "': expected a whole number from 1 to "
                                      "18446744073709551615"));
    }
    flags.max_events = value;
  }
  if (algorithm_given) {
    if (algorithm.empty()) {
      return usage_error("--algorithm: expected an algorithm name such as raft, got ''");
    }
    if (auto bad = check_utf8("--algorithm", algorithm)) return bad;
    flags.algorithm = algorithm;
  }
  return std::nullopt;
}

// "frobnicate" is named, with the nearest command when one is close.
std::optional<FinishedCommand> check_subcommand(const std::vector<std::string>& args) {
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word.starts_with('-')) continue;
    const auto& known = subcommand_names();
    if (std::find(known.begin(), known.end(), word) != known.end()) return std::nullopt;
    std::string printable = word;
    if (const auto bad = first_invalid_utf8(word)) printable = invalid_utf8_message(word, *bad);
    return usage_error(unknown_name("command", printable, known));
  }
  return std::nullopt;
}

// CLI11 reports by exception; --help and --version are "errors" with exit code 0.
FinishedCommand from_parse_error(const CLI::App& app, const CLI::ParseError& error) {
  std::ostringstream out;
  std::ostringstream err;
  if (error.get_exit_code() == 0) {
    const int code = app.exit(error, out, err);
    return FinishedCommand{code, out.str(), err.str()};
  }
  std::string message = error.what();
  std::replace(message.begin(), message.end(), '\n', ' ');
  return usage_error(absl::StrCat(message, " (see electsim --help)"));
}

}  // namespace

absl::StatusOr<uint64_t> parse_seed(std::string_view text) {
  const bool digits_only = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  if (!digits_only) {
    return absl::InvalidArgumentError("expected a decimal integer from 0 to 18446744073709551615");
  }
  uint64_t value = 0;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  for (const char c : text) {
    const auto digit = static_cast<uint64_t>(c - '0');
    if (value > (kMax - digit) / 10) {
      return absl::OutOfRangeError("is above the largest seed, 18446744073709551615");
    }
    value = value * 10 + digit;
  }
  return value;
}

absl::StatusOr<SeedRange> parse_seed_range(std::string_view text) {
  const size_t dots = text.find("..");
  if (dots == std::string_view::npos) {
    auto seed = parse_seed(text);
    if (!seed.ok()) return seed.status();
    return SeedRange{*seed, *seed};
  }
  auto first = parse_seed(text.substr(0, dots));
  auto last = parse_seed(text.substr(dots + 2));
  if (!first.ok()) return first.status();
  if (!last.ok()) return last.status();
  if (*first > *last) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected A..B with A <= B, but ", *first, " is above ", *last));
  }
  return SeedRange{*first, *last};
}

absl::StatusOr<Shard> parse_shard(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return absl::InvalidArgumentError("expected K/N, such as 2/4 (the 2nd of 4 shards)");
  }
  auto index = parse_seed(text.substr(0, slash));
  auto count = parse_seed(text.substr(slash + 1));
  if (!index.ok() || !count.ok()) {
    return absl::InvalidArgumentError("expected K/N with whole numbers, such as 2/4");
  }
  if (*index == 0 || *count == 0) {
    return absl::InvalidArgumentError("K and N count from 1: the first of 4 shards is 1/4");
  }
  if (*index > *count) {
    return absl::InvalidArgumentError(
        absl::StrCat("K is above N: there is no shard ", *index, " of ", *count));
  }
  return Shard{*index, *count};
}

absl::StatusOr<double> parse_tolerance(std::string_view text) {
  const bool percent = !text.empty() && text.back() == '%';
  const std::string_view number = percent ? text.substr(0, text.size() - 1) : text;
  const bool digits = !number.empty() &&
                      number.find_first_not_of("0123456789.") == std::string_view::npos &&
                      number.front() != '.' && number.back() != '.';
  double value = 0;
  if (!percent || !digits || !absl::SimpleAtod(std::string(number), &value) || value > 1000) {
    return absl::InvalidArgumentError("expected a percentage from 0% to 1000%, such as 10%");
  }
  return value / 100;
}

namespace {

// Splits at commas outside brackets, so that a node list "[n1,n2]" stays one value.
std::vector<std::string> split_top_level(std::string_view text) {
  std::vector<std::string> parts(1);
  int depth = 0;
  for (const char c : text) {
    if (c == '[') ++depth;
    if (c == ']' && depth > 0) --depth;
    if (c == ',' && depth == 0) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

// The first value listed twice, if any.
std::optional<std::string> first_repeated(const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::find(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(i), values[i]) !=
        values.begin() + static_cast<std::ptrdiff_t>(i)) {
      return values[i];
    }
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> parse_algorithm_list(std::string_view text) {
  std::vector<std::string> names = split_top_level(text);
  for (const std::string& name : names) {
    if (name.empty()) {
      return absl::InvalidArgumentError(
          "expected algorithm names separated by commas, such as raft,zab, or all");
    }
  }
  if (const auto repeated = first_repeated(names)) {
    return absl::InvalidArgumentError(absl::StrCat("names ", *repeated, " twice"));
  }
  if (names.size() > 1 && std::find(names.begin(), names.end(), "all") != names.end()) {
    return absl::InvalidArgumentError("all stands alone: every algorithm the scenario can run");
  }
  return names;
}

absl::StatusOr<std::pair<std::string, std::vector<std::string>>> parse_vary(
    std::string_view text) {
  const size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    return absl::InvalidArgumentError(
        "expected PARAM=V1,V2,..., such as election_timeout=12ms..24ms,150ms..300ms");
  }
  std::string parameter(text.substr(0, equals));
  std::vector<std::string> values = split_top_level(text.substr(equals + 1));
  for (const std::string& value : values) {
    if (value.empty()) return absl::InvalidArgumentError("a value between commas is empty");
  }
  if (values.size() < 2) {
    return absl::InvalidArgumentError(
        "expected at least two values to compare, separated by commas");
  }
  if (const auto repeated = first_repeated(values)) {
    return absl::InvalidArgumentError(absl::StrCat("lists ", *repeated, " twice"));
  }
  return std::pair{std::move(parameter), std::move(values)};
}

std::string invoked_program_name(std::string_view argv0) {
  // The name reaches JSON reports (in reproduce commands), which must be valid UTF-8.
  if (argv0.find('/') == std::string_view::npos || first_invalid_utf8(argv0)) return "electsim";
  return std::string(argv0);
}

namespace {

FinishedCommand seed_error(std::string_view flag, std::string_view value,
                           const absl::Status& status) {
  return usage_error(absl::StrCat(std::string(flag), " '", std::string(value), "': ",
                                  std::string(status.message())));
}

// Each subcommand binds its options to a command, then checks and converts what CLI11 collected
// as text (seeds, --algorithm) once parsing is done. A flag for one subcommand goes into its
// add_to(); one that every scenario command shares goes into add_scenario_options().
struct RunParser {
  RunCommand command;
  std::string seed_text;
  std::string timeline = "brief";
  std::string algorithm;
  CLI::App* app = nullptr;

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand("run", "run one scenario with one seed");
    add_scenario_options(*app, command.scenario, algorithm);
    add_output_options(*app, command.output);
    app->add_option("--seed", seed_text,
                    "the seed, 0..18446744073709551615 (default: the scenario's first seed)");
    app->add_option("--trace", command.trace_path,
                    "stream the full trace as JSON Lines to FILE ('-': standard output, and the "
                    "report for people goes to standard error)");
    add_metrics_option(*app, command.output);
    app->add_option("--transitions", command.transitions_path,
                    "write the transition log to FILE: one line per leader change, with its "
                    "time, group, previous and new leader, epoch and reason");
    app->add_option("--timeline", timeline,
                    "brief (the first entries and those around each violation) or full");
    app->add_option("--html", command.html_path,
                    "write the run's page to FILE: one self-contained HTML file with the "
                    "verdict, the leadership timeline, the events around each violation and "
                    "its reproduce command ('-': standard output)");
    app->add_option("--svg", command.svg_path,
                    "write the run's leadership timeline picture alone to FILE, as SVG");
  }
  Command finish() {
    if (timeline != "brief" && timeline != "full") {
      return usage_error(absl::StrCat("--timeline '", timeline, "': expected brief or full"));
    }
    command.timeline_full = timeline == "full";
    if (app->count("--seed") > 0) {
      auto seed = parse_seed(seed_text);
      if (!seed.ok()) return seed_error("--seed", seed_text, seed.status());
      command.seed = *seed;
    }
    const bool algorithm_given = app->count("--algorithm") > 0;
    if (auto bad = finish_scenario_flags(command.scenario, algorithm, algorithm_given)) return *bad;
    return command;
  }
};

struct SweepParser {
  SweepCommand command;
  std::string seeds_text;
  std::string tolerance_text;
  std::string shard_text;
  std::string algorithm;
  CLI::App* app = nullptr;

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand("sweep", "run many seeds on all cores");
    add_scenario_options(*app, command.scenario, algorithm);
    add_output_options(*app, command.output);
    add_metrics_option(*app, command.output);
    app->add_option("--seeds", seeds_text, "seed range A..B (default: the scenario's seeds)");
    command.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    app->add_option("--jobs", command.jobs, "worker threads (default: all cores)")
        ->check(CLI::Range(1, 1024));
    app->add_option("--shard", shard_text,
                    "run only shard K of N: every N-th seed of the range from its K-th; "
                    "electsim merge combines the shards' --json files");
    app->add_flag("--resume", command.resume,
                  "continue the sweep whose JSON is in the --json file (interrupted, or not "
                  "started), without running its finished seeds again");
    app->add_flag("--check-determinism", command.check_determinism,
                  "run every seed twice in this process (the second time after other seeds, "
                  "with another heap state) and fail with exit 70 if the fingerprints differ");
    app->add_option("--baseline", command.baseline_path,
                    "compare with an earlier sweep's --json file, seed by seed where the seeds "
                    "match, and exit 2 if recovery p50/p99, elections per fault or messages per "
                    "election got significantly worse by more than --tolerance");
    app->add_option("--tolerance", tolerance_text,
                    "how much worse a figure may get before --baseline fails (default 10%)");
    app->add_flag("--allow-baseline-mismatch", command.allow_baseline_mismatch,
                  "let --baseline be a sweep of another scenario or algorithm");
  }
  // --baseline and the flags that only mean something with it.
  std::optional<FinishedCommand> finish_baseline() {
    if (command.baseline_path && command.baseline_path->empty()) {
      return usage_error("--baseline: expected the JSON file of an earlier sweep, got ''");
    }
    if (command.baseline_path) {
      if (auto bad = check_utf8("--baseline", *command.baseline_path)) return bad;
    }
    const bool tolerance_given = app->count("--tolerance") > 0;
    if (!command.baseline_path && (tolerance_given || command.allow_baseline_mismatch)) {
      return usage_error(absl::StrCat(tolerance_given ? "--tolerance" : "--allow-baseline-mismatch",
                                      ": only with --baseline FILE"));
    }
    if (tolerance_given) {
      auto tolerance = parse_tolerance(tolerance_text);
      if (!tolerance.ok()) return seed_error("--tolerance", tolerance_text, tolerance.status());
      command.tolerance = *tolerance;
    }
    return std::nullopt;
  }
  Command finish() {
    if (auto bad = finish_baseline()) return *bad;
    if (app->count("--seeds") > 0) {
      auto seeds = parse_seed_range(seeds_text);
      if (!seeds.ok()) return seed_error("--seeds", seeds_text, seeds.status());
      command.seeds = *seeds;
    }
    if (app->count("--shard") > 0) {
      auto shard = parse_shard(shard_text);
      if (!shard.ok()) return seed_error("--shard", shard_text, shard.status());
      command.shard = *shard;
    }
    if (command.resume && (!command.output.json_path ||
                           *command.output.json_path == kStandardOutputPath)) {
      return usage_error("--resume: needs --json FILE, the file of the sweep to continue");
    }
    const bool algorithm_given = app->count("--algorithm") > 0;
    if (auto bad = finish_scenario_flags(command.scenario, algorithm, algorithm_given)) return *bad;
    return command;
  }
};

struct CheckParser {
  CheckCommand command;
  std::string algorithm;
  CLI::App* app = nullptr;

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand("check", "validate a scenario and summarize it; run nothing");
    add_scenario_options(*app, command.scenario, algorithm);
  }
  Command finish() {
    const bool algorithm_given = app->count("--algorithm") > 0;
    if (auto bad = finish_scenario_flags(command.scenario, algorithm, algorithm_given)) return *bad;
    return command;
  }
};

struct MergeParser {
  MergeCommand command;
  CLI::App* app = nullptr;

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand(
        "merge", "combine the --json files of a sweep's shards into the sweep's JSON");
    app->add_option("files", command.files, "the shards' JSON files (electsim sweep --shard)")
        ->required();
    add_output_options(*app, command.output);
  }
  Command finish() {
    for (const std::string& file : command.files) {
      if (auto bad = check_utf8("files", file)) return *bad;
    }
    return command;
  }
};

struct ShrinkParser {
  ShrinkCommand command;
  std::string seed_text;
  std::string algorithm;
  CLI::App* app = nullptr;

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand(
        "shrink", "search a failing seed's faults for a smaller schedule that fails the same "
                  "check, and write it as a scenario file");
    add_scenario_options(*app, command.scenario, algorithm);
    app->add_option("--seed", seed_text, "the failing seed")->required();
    app->add_option("-o,--output", command.output_path, "the minimal scenario file to write")
        ->required();
    app->add_option("--max-runs", command.max_runs, "stop the search after this many runs")
        ->check(CLI::Range(1, 1000000));
    app->add_flag("--quiet", command.quiet, "print nothing when the file was written");
  }
  Command finish() {
    auto seed = parse_seed(seed_text);
    if (!seed.ok()) return seed_error("--seed", seed_text, seed.status());
    command.seed = *seed;
    if (auto bad = check_utf8("--output", command.output_path)) return *bad;
    const bool algorithm_given = app->count("--algorithm") > 0;
    if (auto bad = finish_scenario_flags(command.scenario, algorithm, algorithm_given)) return *bad;
    return command;
  }
};

struct ReplayParser {
  ReplayCommand command;
  std::string seed_text;
  std::string window_text;
  std::string algorithm;
  CLI::App* app = nullptr;

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand(
        "replay", "run one seed and print the events around each violation, in words");
    add_scenario_options(*app, command.scenario, algorithm);
    app->add_option("--seed", seed_text,
                    "the seed, 0..18446744073709551615 (default: the scenario's first seed)");
    app->add_option("--window", window_text,
                    "how much before and after each violation to print (default 500ms)");
    app->add_option("--trace", command.trace_path,
                    "also write the whole trace as JSON Lines to FILE, as run --trace does");
  }
  Command finish() {
    if (app->count("--seed") > 0) {
      auto seed = parse_seed(seed_text);
      if (!seed.ok()) return seed_error("--seed", seed_text, seed.status());
      command.seed = *seed;
    }
    if (app->count("--window") > 0) {
      auto window = sim::parse_duration(window_text);
      if (!window.ok()) return seed_error("--window", window_text, window.status());
      // Bounded so that a violation's time plus or minus the window never overflows.
      if (*window <= sim::Duration::zero() || *window > sim::Duration::seconds(3600)) {
        return usage_error(absl::StrCat("--window '", window_text,
                                        "': expected a duration from 1ns to 1h, such as 500ms"));
      }
      command.window = *window;
    }
    const bool algorithm_given = app->count("--algorithm") > 0;
    if (auto bad = finish_scenario_flags(command.scenario, algorithm, algorithm_given)) return *bad;
    return command;
  }
};

struct CompareParser {
  CompareCommand command;
  std::string algorithms_text;
  std::string vary_text;
  std::string seeds_text;
  std::string unused_algorithm;
  CLI::App* app = nullptr;

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand(
        "compare", "run several algorithms (or parameter values) on the same seeds, so on the "
                   "same fault schedules, and compare their recovery, leadership and failures");
    add_scenario_options(*app, command.scenario, unused_algorithm);
    // Kept so that a user who types it hears to use --algorithms, but not shown in --help.
    app->get_option("--algorithm")->group("");
    app->add_option("--algorithms", algorithms_text,
                    "the algorithms to compare, a,b,c, or all (every built-in algorithm the "
                    "scenario can run); default with --vary: the scenario's own");
    app->add_option("--vary", vary_text,
                    "compare values of one algorithm parameter instead: PARAM=V1,V2,..., each "
                    "checked as --set algorithm.params.PARAM=V would be");
    app->add_option("--seeds", seeds_text, "seed range A..B (default: the scenario's seeds)");
    command.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    app->add_option("--jobs", command.jobs, "worker threads (default: all cores)")
        ->check(CLI::Range(1, 1024));
    app->add_option("--json", command.output.json_path,
                    "write the comparison as JSON to FILE ('-': standard output, and the table "
                    "goes to standard error)");
    app->add_option("--csv", command.csv_path,
                    "write the summary table as CSV to FILE, one row per algorithm or value");
    app->add_option("--html", command.html_path,
                    "write a self-contained HTML report to FILE");
    add_metrics_option(*app, command.output);
    app->add_flag("--quiet", command.output.quiet, "print only the verdict line, and no progress");
  }
  std::optional<FinishedCommand> finish_variants() {
    const bool algorithms_given = app->count("--algorithms") > 0;
    const bool vary_given = app->count("--vary") > 0;
    if (!algorithms_given && !vary_given) {
      return usage_error("compare: expected --algorithms a,b,c (or all), or --vary PARAM=V1,V2");
    }
    if (algorithms_given) {
      if (auto bad = check_utf8("--algorithms", algorithms_text)) return bad;
      auto names = parse_algorithm_list(algorithms_text);
      if (!names.ok()) return seed_error("--algorithms", algorithms_text, names.status());
      command.all_algorithms = *names == std::vector<std::string>{"all"};
      if (!command.all_algorithms) command.algorithms = *names;
    }
    if (vary_given) {
      if (auto bad = check_utf8("--vary", vary_text)) return bad;
      auto vary = parse_vary(vary_text);
      if (!vary.ok()) return seed_error("--vary", vary_text, vary.status());
      if (command.all_algorithms || command.algorithms.size() > 1) {
        return usage_error("--vary: compares values of one algorithm's parameter; give at most "
                           "one --algorithms name");
      }
      command.vary_parameter = vary->first;
      command.vary_values = vary->second;
    } else if (!command.all_algorithms && command.algorithms.size() < 2) {
      return usage_error(absl::StrCat("--algorithms '", algorithms_text,
                                      "': expected at least two algorithms to compare, or all"));
    }
    return std::nullopt;
  }
  Command finish() {
    if (app->count("--algorithm") > 0) {
      return usage_error("--algorithm: compare takes --algorithms a,b,c (the algorithms to "
                         "compare)");
    }
    if (auto bad = finish_variants()) return *bad;
    if (app->count("--seeds") > 0) {
      auto seeds = parse_seed_range(seeds_text);
      if (!seeds.ok()) return seed_error("--seeds", seeds_text, seeds.status());
      command.seeds = *seeds;
    }
    if (auto bad = finish_scenario_flags(command.scenario, unused_algorithm, false)) return *bad;
    return command;
  }
};

struct ListParser {
  ListCommand command;
  CLI::App* app = nullptr;

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand("list", "algorithms, scenario keys, built-in scenarios, checks");
    app->add_flag("--json", command.json, "print the same as JSON, for scripts");
  }
  Command finish() { return command; }
};

}  // namespace

Command parse_command_line(const std::vector<std::string>& args) {
  if (auto unknown = check_subcommand(args)) return *unknown;
  CLI::App app{"electsim: a deterministic simulator and chaos-test harness for leader election",
               "electsim"};
  app.require_subcommand(1);
  app.set_version_flag("--version", version_line());
  RunParser run;
  SweepParser sweep;
  CheckParser check;
  ListParser list;
  MergeParser merge;
  ShrinkParser shrink;
  ReplayParser replay;
  CompareParser compare;
  run.add_to(app);
  sweep.add_to(app);
  check.add_to(app);
  list.add_to(app);
  merge.add_to(app);
  shrink.add_to(app);
  replay.add_to(app);
  compare.add_to(app);

  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& error) {
    return from_parse_error(app, error);
  }
  if (run.app->parsed()) return run.finish();
  if (sweep.app->parsed()) return sweep.finish();
  if (check.app->parsed()) return check.finish();
  if (list.app->parsed()) return list.finish();
  if (merge.app->parsed()) return merge.finish();
  if (shrink.app->parsed()) return shrink.finish();
  if (replay.app->parsed()) return replay.finish();
  if (compare.app->parsed()) return compare.finish();
  return usage_error("expected a command: run, sweep, replay, compare, check, list, merge or "
                     "shrink (see electsim --help)");
}

}  // namespace electsim::scenarios
