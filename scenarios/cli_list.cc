#include "scenarios/cli_list.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "algorithms/registry.h"
#include "scenarios/schema.h"
#include "sim/checks/checks.h"

namespace electsim::scenarios {
namespace {

namespace fs = std::filesystem;

// The built-in library: next to the working directory (a checkout), or next to the binary
// (build/electsim in a checkout).
std::vector<fs::path> library_files() {
  std::vector<fs::path> candidates = {fs::path("scenarios/library")};
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) candidates.push_back(exe.parent_path().parent_path() / "scenarios/library");
  for (const fs::path& dir : candidates) {
    if (!fs::is_directory(dir, error)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
  }
  return {};
}

// The scenario's `description:` line, read without the full loader (for a one-line listing).
std::string description_of(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("description:", 0) == 0) {
      std::string text = line.substr(12);
      text.erase(0, text.find_first_not_of(" \"'>"));
      while (!text.empty() && (text.back() == '"' || text.back() == '\'')) text.pop_back();
      return text;
    }
  }
  return "";
}

std::string kind_name(sim::checks::CheckKind kind) {
  switch (kind) {
    case sim::checks::CheckKind::kAlways: return "always";
    case sim::checks::CheckKind::kEventually: return "eventually";
    case sim::checks::CheckKind::kSometimes: return "sometimes";
  }
  return "";
}

}  // namespace

std::string list_text() {
  std::string out = "ALGORITHMS (--algorithm NAME, algorithm.name)\n";
  for (const algorithms::AlgorithmInfo& info : algorithms::registry()) {
    absl::StrAppend(&out, "  ", info.name, ": ", info.summary, "\n");
    for (const algorithms::ParamSpec& spec : info.params) {
      absl::StrAppend(&out, absl::StrFormat("    algorithm.params.%-26s %-15s default %-14s %s\n",
                                            spec.name, std::string(param_type_name(spec.type)),
                                            spec.default_text.empty() ? "(derived)"
                                                                      : spec.default_text,
                                            spec.doc));
    }
  }
  const auto planned = algorithms::planned_algorithms();
  if (!planned.empty()) {
    absl::StrAppend(&out, "  not implemented yet: ", absl::StrJoin(planned, ", "), "\n");
  }
  absl::StrAppend(&out, "\nSCENARIO KEYS (docs/SCENARIOS.md has the full reference)\n");
  for (const KeyDoc& key : scenario_keys()) {
    absl::StrAppend(&out, absl::StrFormat("  %-44s %-16s default %-12s %s\n", key.path, key.type,
                                          key.default_text, key.doc));
  }
  absl::StrAppend(&out, "\nBUILT-IN SCENARIOS (scenarios/library)\n");
  for (const fs::path& file : library_files()) {
    absl::StrAppend(&out, absl::StrFormat("  %-44s %s\n", file.filename().string(),
                                          description_of(file)));
  }
  absl::StrAppend(&out, "\nCHECKS\n");
  for (const auto& check : sim::checks::check_catalogue()) {
    absl::StrAppend(&out, absl::StrFormat("  %-28s %-10s %s\n", check.name,
                                          kind_name(check.kind), check.description));
  }
  absl::StrAppend(&out, "\nSOMETIMES GOALS (checks.sometimes)\n");
  for (const auto& goal : sim::checks::goal_catalogue()) {
    absl::StrAppend(&out, absl::StrFormat("  %-28s %s\n", goal.name, goal.description));
  }
  return out;
}

}  // namespace electsim::scenarios
