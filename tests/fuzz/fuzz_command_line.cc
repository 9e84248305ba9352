// libFuzzer target: any argv vector given to the command-line parser gives a command or a
// FinishedCommand (exit code and message); never an exit, an exception, a crash or a hang. The
// scenario flags of a parsed command are then applied to the built-in raft-leader-crash scenario
// (the --set and --algorithm parser), and a scenario that loads is printed with
// --print-scenario's writer and loaded again, which must succeed and print the same text.
// Build with clang: cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DELECTSIM_FUZZ=ON
// Run (copy the seed corpus first: libFuzzer adds what it finds to the folder it is given):
//   cp -r tests/fuzz/corpus/command_line /tmp/corpus &&
//   build-fuzz/fuzz_command_line -dict=tests/fuzz/command_line.dict -max_total_time=60 /tmp/corpus
// The input is split at newlines into arguments (at most kMaxArguments).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

#include "scenarios/builtin_scenarios.h"
#include "scenarios/command_line.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_text.h"

namespace {

using namespace electsim::scenarios;

constexpr size_t kMaxArguments = 64;

std::vector<std::string> split_arguments(const std::string& input) {
  std::vector<std::string> args = {"electsim"};
  size_t start = 0;
  while (start <= input.size() && args.size() <= kMaxArguments) {
    const size_t end = std::min(input.find('\n', start), input.size());
    args.push_back(input.substr(start, end - start));
    start = end + 1;
  }
  return args;
}

const ScenarioFlags* scenario_flags(const Command& command) {
  if (const auto* run = std::get_if<RunCommand>(&command)) return &run->scenario;
  if (const auto* sweep = std::get_if<SweepCommand>(&command)) return &sweep->scenario;
  if (const auto* check = std::get_if<CheckCommand>(&command)) return &check->scenario;
  return nullptr;
}

// The flags on the built-in scenario (never on a fuzzed path: that could name /dev/zero).
void load_with_flags(const ScenarioFlags& flags) {
  const BuiltinScenario* builtin = find_builtin_scenario("raft-leader-crash");
  if (builtin == nullptr) std::abort();
  LoadOptions options;
  options.overrides = flags.overrides;
  options.algorithm_override = flags.algorithm;
  auto scenario = load_scenario_text(builtin->text, "raft-leader-crash", options);
  if (!scenario.ok()) return;
  auto printed = resolved_scenario_yaml(*scenario, builtin->text, options);
  if (!printed.ok()) std::abort();
  auto reloaded = load_scenario_text(*printed, "printed.yaml", LoadOptions{});
  if (!reloaded.ok()) std::abort();
  auto printed_again = resolved_scenario_yaml(*reloaded, *printed, LoadOptions{});
  if (!printed_again.ok() || *printed_again != *printed) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const Command command = parse_command_line(split_arguments(input));
  if (const auto* finished = std::get_if<FinishedCommand>(&command)) {
    // Every refusal is a usage error with one line; help and version exit 0.
    if (finished->exit_code != 0 && finished->exit_code != 64) std::abort();
    return 0;
  }
  if (const ScenarioFlags* flags = scenario_flags(command)) load_with_flags(*flags);
  return 0;
}
