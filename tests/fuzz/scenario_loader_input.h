// What fuzz_scenario_loader does with one input, shared with the regression test of its findings
// (tests/ci_lib_fuzz_findings_test.cc), so a finding kept in tests/fuzz/findings/ is replayed by
// the fast suite exactly as the fuzzer ran it, without clang or libFuzzer.
//
// Input: a scenario file, whose first line may carry a command line. When the input starts with
// "#!", the rest of that line is split at tabs into arguments after "electsim" (a YAML comment,
// so the file stays a scenario); the command is parsed with the real parser
// (scenarios/command_line.h), and if it is run, sweep, check, replay or shrink, the file is
// loaded with its --set and --algorithm flags. The positional scenario is ignored: the file is
// always the fuzzed bytes, never a path (which could name /dev/zero). A scenario that loads is
// printed with --print-scenario's writer and loaded again, which must succeed and print the same
// text. The same bytes are also tried as a --set value on top of a valid file.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scenarios/command_line.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_text.h"

namespace electsim::fuzz {

inline constexpr size_t kMaxArguments = 64;
inline constexpr std::string_view kArgumentsMarker = "#!";

// "electsim" and the tab-separated arguments of a first line "#!ARG\tARG...", or nothing.
inline std::vector<std::string> command_line_of(const std::string& text) {
  if (text.rfind(kArgumentsMarker, 0) != 0) return {};
  const size_t line_end = std::min(text.find('\n'), text.size());
  const std::string line =
      text.substr(kArgumentsMarker.size(), line_end - kArgumentsMarker.size());
  std::vector<std::string> args = {"electsim"};
  size_t start = 0;
  while (start <= line.size() && args.size() <= kMaxArguments) {
    const size_t end = std::min(line.find('\t', start), line.size());
    args.push_back(line.substr(start, end - start));
    start = end + 1;
  }
  return args;
}

inline const scenarios::ScenarioFlags* scenario_flags(const scenarios::Command& command) {
  using namespace scenarios;
  if (const auto* run = std::get_if<RunCommand>(&command)) return &run->scenario;
  if (const auto* sweep = std::get_if<SweepCommand>(&command)) return &sweep->scenario;
  if (const auto* check = std::get_if<CheckCommand>(&command)) return &check->scenario;
  if (const auto* replay = std::get_if<ReplayCommand>(&command)) return &replay->scenario;
  if (const auto* shrink = std::get_if<ShrinkCommand>(&command)) return &shrink->scenario;
  if (const auto* compare = std::get_if<CompareCommand>(&command)) return &compare->scenario;
  return nullptr;
}

// A scenario that loads prints, reloads and prints the same text again; "" if it does.
inline std::string round_trip_failure(const scenarios::Scenario& scenario,
                                      const std::string& text,
                                      const scenarios::LoadOptions& options) {
  using namespace scenarios;
  auto printed = resolved_scenario_yaml(scenario, text, options);
  if (!printed.ok()) return "cannot print: " + std::string(printed.status().message());
  auto reloaded = load_scenario_text(*printed, "printed.yaml", LoadOptions{});
  if (!reloaded.ok()) {
    return "printed scenario does not load: " + std::string(reloaded.status().message()) +
           "\n" + *printed;
  }
  auto printed_again = resolved_scenario_yaml(*reloaded, *printed, LoadOptions{});
  if (!printed_again.ok()) return "cannot print the reloaded scenario";
  if (*printed_again != *printed) {
    return "printed twice, differently:\n" + *printed + "\n----\n" + *printed_again;
  }
  return "";
}

// Runs one input; "" when every property held, else what broke.
inline std::string check_scenario_input(const std::string& text) {
  using namespace scenarios;
  LoadOptions options;
  const std::vector<std::string> args = command_line_of(text);
  if (!args.empty()) {
    const Command command = parse_command_line(args);
    if (const auto* finished = std::get_if<FinishedCommand>(&command)) {
      // Every refusal is a usage error with one line; help and version exit 0.
      if (finished->exit_code != 0 && finished->exit_code != 64) {
        return "command line exit " + std::to_string(finished->exit_code);
      }
    }
    if (const ScenarioFlags* flags = scenario_flags(command)) {
      options.overrides = flags->overrides;
      options.algorithm_override = flags->algorithm;
    }
  }
  auto scenario = load_scenario_text(text, "fuzz.yaml", options);
  if (scenario.ok()) {
    if (std::string failure = round_trip_failure(*scenario, text, options); !failure.empty()) {
      return failure;
    }
  }
  LoadOptions override_options;
  override_options.overrides = {"checks.recovery_within=" + text.substr(0, 64)};
  (void)load_scenario_text("version: 1\n", "fuzz.yaml", override_options);
  return "";
}

}  // namespace electsim::fuzz
