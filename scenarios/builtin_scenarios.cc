#include "scenarios/builtin_scenarios.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <yaml-cpp/yaml.h>

#include "absl/strings/str_cat.h"
#include "builtin_library.h"
#include "scenarios/suggest.h"

namespace electsim::scenarios {
namespace {

std::string description_of(const std::string& text) {
  try {
    const YAML::Node description = YAML::Load(text)["description"];
    return description.IsScalar() ? description.Scalar() : "";
  } catch (const YAML::Exception&) {
    // A library file that does not parse is caught by the tests that load every one of them.
    return "";
  }
}

std::vector<std::string> builtin_names() {
  std::vector<std::string> names;
  for (const BuiltinScenario& scenario : builtin_scenarios()) names.push_back(scenario.name);
  return names;
}

bool path_exists(const std::string& path) {
  std::error_code ignored;
  return std::filesystem::exists(std::filesystem::symlink_status(path, ignored));
}

absl::Status not_found(const std::string& given) {
  return absl::InvalidArgumentError(
      absl::StrCat(given, ": cannot read: ", std::strerror(ENOENT),
                   ", and no built-in scenario has that name",
                   did_you_mean(given, builtin_names()), " (electsim list shows them)"));
}

}  // namespace

const std::vector<BuiltinScenario>& builtin_scenarios() {
  static const std::vector<BuiltinScenario>* const kScenarios = [] {
    auto* scenarios = new std::vector<BuiltinScenario>;
    for (const auto& embedded : generated::kLibrary) {
      scenarios->push_back(
          BuiltinScenario{embedded.name, embedded.text, description_of(embedded.text)});
    }
    // By name: the generator sorts file names, where "nemesis-amnesia.yaml" < "nemesis.yaml".
    std::sort(scenarios->begin(), scenarios->end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return scenarios;
  }();
  return *kScenarios;
}

const BuiltinScenario* find_builtin_scenario(std::string_view name) {
  for (const BuiltinScenario& scenario : builtin_scenarios()) {
    if (scenario.name == name) return &scenario;
  }
  return nullptr;
}

absl::StatusOr<Scenario> load_named_scenario(const std::string& given,
                                             const LoadOptions& options) {
  if (path_exists(given)) return load_scenario_file(given, options);
  if (const BuiltinScenario* builtin = find_builtin_scenario(given)) {
    return load_scenario_text(builtin->text, given, options);
  }
  return not_found(given);
}

absl::StatusOr<std::string> named_scenario_text(const std::string& given) {
  if (!path_exists(given)) {
    if (const BuiltinScenario* builtin = find_builtin_scenario(given)) return builtin->text;
    return not_found(given);
  }
  // Called after load_named_scenario accepted the file, so it is a regular file of a sane size.
  std::ifstream in(given, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(given, ": cannot read: ", std::strerror(errno)));
  }
  return text.str();
}

}  // namespace electsim::scenarios
