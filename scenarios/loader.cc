// The scenario loader: YAML text -> a validated Scenario, or one line saying what is wrong where
// (DESIGN.md, "The outside contract"; the schema is in schema.h and docs/SCENARIOS.md).
#include <algorithm>
#include <filesystem>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "algorithms/service/service.h"
#include "scenarios/loader_internal.h"
#include "scenarios/scenario.h"
#include "scenarios/schema.h"
#include "scenarios/suggest.h"
#include <yaml-cpp/depthguard.h>

namespace electsim::scenarios {
namespace {

using loader::Cursor;
using loader::LoadError;
using loader::Reader;
using loader::Sign;

// Marks a load error that lies in a --set or --algorithm flag (see is_command_line_error).
constexpr absl::string_view kCommandLineErrorPayload = "electsim/command-line-error";

std::string stem_of(const std::string& path) {
  const std::string stem = std::filesystem::path(path).stem().string();
  return stem.empty() ? "scenario" : stem;
}

bool is_document_marker(std::string_view line) {
  return (line.starts_with("---") || line.starts_with("...")) &&
         (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
}

// Whether a line holds anything but blanks and a comment.
bool is_content_line(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t\r");
  return first != std::string_view::npos && line[first] != '#';
}

// The line where content starts when the first YAML document holds none: the content comes after
// a second `---` or after a `...` (as in "---\n---\nversion: 1"). 0 when the first content, if
// any, belongs to the first document. yaml-cpp would read such a file as one empty document, and
// "empty scenario" would hide the content the user can see.
int content_line_after_empty_first_document(const std::string& text) {
  int document_starts = 0;
  bool first_document_ended = false;
  int number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line(text.data() + start, end - start);
    ++number;
    const bool marker = is_document_marker(line);
    if (marker && line.starts_with("---")) ++document_starts;
    if (marker && line.starts_with("...")) first_document_ended = true;
    if (is_content_line(marker ? line.substr(3) : line)) {
      return document_starts >= 2 || first_document_ended ? number : 0;
    }
    start = end + 1;
  }
  return 0;
}

// Where a second YAML document starts, if the text holds one: the first content line after a
// `---` or `...` marker that follows content (comments and blank lines are not content), or the
// line of the marker itself if content follows on it. 0 if there is no second document.
//
// We look for markers in the text instead of asking yaml-cpp for every document: Debian's
// yaml-cpp 0.7 allocates without bound in YAML::LoadAll on some malformed text that YAML::Load,
// which stops after the first document, handles (tests/fuzz/findings/yaml-cpp-oom-1.yaml).
int second_document_line(const std::string& text) {
  bool seen_content = false;
  int marker_line = 0;
  int number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line(text.data() + start, end - start);
    ++number;
    if (is_document_marker(line)) {
      const bool content_on_marker_line = is_content_line(line.substr(3));
      if (seen_content && marker_line == 0) marker_line = number;
      if (line.starts_with("...")) seen_content = true;  // what follows is another document
      if (marker_line != 0 && content_on_marker_line) return number;
      seen_content = seen_content || content_on_marker_line;
    } else if (is_content_line(line)) {
      if (marker_line != 0) return number;
      seen_content = true;
    }
    start = end + 1;
  }
  return 0;  // no marker, or only markers with nothing after them (an empty trailing document)
}

// Parses the text's one document; a YAML syntax error becomes a positioned LoadError.
YAML::Node parse_root(const std::string& text, const std::string& path) {
  if (const int line = content_line_after_empty_first_document(text); line != 0) {
    throw LoadError{absl::StrCat(path, ":", line,
                                 ":1: the first YAML document is empty and another one starts "
                                 "here; a scenario is one document")};
  }
  if (const int line = second_document_line(text); line != 0) {
    throw LoadError{absl::StrCat(path, ":", line,
                                 ":1: a scenario file holds one YAML document; found another here")};
  }
  YAML::Node root;
  try {
    loader::check_yaml_size(text, path);
    root = YAML::Load(text);
  } catch (const YAML::DeepRecursion& error) {
    // yaml-cpp stops at its own depth limit (about 500 levels) and calls it a "bad file".
    throw LoadError{absl::StrCat(path, ":", error.mark.line + 1, ":", error.mark.column + 1,
                                 ": not valid YAML: nested too deeply (more than 500 levels)")};
  } catch (const YAML::ParserException& error) {
    throw LoadError{absl::StrCat(path, ":", error.mark.line + 1, ":", error.mark.column + 1,
                                 ": not valid YAML: ", error.msg)};
  }
  if (!root.IsDefined() || root.IsNull()) {
    throw LoadError{absl::StrCat(path, ":1:1: empty scenario; expected a mapping with version: ",
                                 kSchemaVersion)};
  }
  if (!root.IsMap()) {
    const YAML::Mark mark = root.Mark();
    throw LoadError{absl::StrCat(path, ":", mark.line + 1, ":", mark.column + 1,
                                 ": expected a mapping with version: ", kSchemaVersion,
                                 " at the top level, got ", loader::describe(root))};
  }
  return root;
}

void read_version(const Reader& reader, const Cursor& top, Scenario& scenario) {
  const auto version = reader.find(top, "version");
  if (!version) {
    reader.fail(top, absl::StrCat("missing required key 'version'; this electsim reads version: ",
                                  kSchemaVersion));
  }
  const std::string text = reader.scalar(*version, "an integer");
  int64_t number = 0;
  if (!absl::SimpleAtoi(text, &number) || number != kSchemaVersion) {
    reader.fail(*version, absl::StrCat("unsupported scenario version '", text,
                                       "'; this electsim reads version ", kSchemaVersion));
  }
  scenario.version = static_cast<int>(number);
}

// Points a parameter error at the parameter it names, when the user wrote that parameter.
Cursor param_error_site(const std::vector<std::pair<Cursor, Cursor>>& given,
                        std::string_view message, const Cursor& fallback) {
  for (const auto& [key, value] : given) {
    if (message.find(absl::StrCat("'", key.node.Scalar(), "'")) != std::string_view::npos) {
      return value;
    }
  }
  return fallback;
}

const algorithms::AlgorithmInfo& find_algorithm_or_fail(const Reader& reader, const Cursor& at,
                                                        const std::string& name) {
  if (const algorithms::AlgorithmInfo* info = algorithms::find_algorithm(name)) return *info;
  std::vector<std::string> built;
  for (const auto& info : algorithms::registry()) built.push_back(info.name);
  const std::vector<std::string> planned = algorithms::planned_algorithms();
  if (std::find(planned.begin(), planned.end(), name) != planned.end()) {
    reader.fail_value(at, absl::StrCat("algorithm '", name, "' is not implemented yet (built in: ",
                                       absl::StrJoin(built, ", "), ")"));
  }
  std::vector<std::string> all = built;
  all.insert(all.end(), planned.begin(), planned.end());
  reader.fail_value(at, absl::StrCat("unknown algorithm '", name, "' (built in: ",
                                     absl::StrJoin(built, ", "), ")", did_you_mean(name, all)));
}

// A parameter's value as the text parse_param reads; a YAML list becomes "[a, b]".
std::string param_text(const Reader& reader, const Cursor& value,
                       const algorithms::ParamSpec& spec) {
  const std::string expected =
      absl::StrCat("a ", std::string(algorithms::param_type_name(spec.type)), " for parameter '",
                   spec.name, "'");
  if (value.node.IsNull() || !value.node.IsDefined()) return "";
  if (!value.node.IsSequence()) return reader.scalar(value, expected);
  std::vector<std::string> items;
  for (const Cursor& item : reader.items(value, expected)) {
    items.push_back(reader.scalar(item, expected));
  }
  return absl::StrCat("[", absl::StrJoin(items, ", "), "]");
}

// One algorithm's parameters, parsed and resolved: those at `params` (absent: every default).
// Errors point at the parameter they name, else at `params`, else at `fallback`.
algorithms::Params read_params(const Reader& reader, const Cursor& fallback, const Cursor* params,
                               const algorithms::AlgorithmInfo& info, uint32_t group_size) {
  algorithms::Params given;
  std::vector<std::pair<Cursor, Cursor>> entries;
  if (params != nullptr) {
    reader.expect_map(*params, "a mapping of parameter names to values");
    std::vector<std::string> names;
    for (const auto& spec : info.params) names.push_back(spec.name);
    reader.expect_keys(*params, names, absl::StrCat("the parameters of ", info.name));
    entries = reader.entries(*params);
  }
  for (const auto& [key, value] : entries) {
    const auto& specs = info.params;
    const std::string name = key.node.Scalar();  // clang 14 cannot capture a binding
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&](const auto& candidate) { return candidate.name == name; });
    SIM_CHECK(spec != specs.end(), "expect_keys let an unknown parameter through");
    auto parsed = algorithms::parse_param(*spec, param_text(reader, value, *spec), group_size);
    if (!parsed.ok()) reader.fail(value, std::string(parsed.status().message()));
    given.emplace(spec->name, *parsed);
  }
  auto resolved = algorithms::resolve_params(info, std::move(given), group_size);
  if (!resolved.ok()) {
    const std::string message(resolved.status().message());
    reader.fail(param_error_site(entries, message, params != nullptr ? *params : fallback),
                message);
  }
  return std::move(*resolved);
}

// algorithm.params_for: parameters for algorithms other than the file's, by name, which
// --algorithm NAME puts in place of `params` (loader_overrides.cc). Every block left is checked
// against its algorithm's parameters here, so a typo fails on every run, not only on the run
// that selects it, and kept, resolved, for --print-scenario.
void read_params_for(const Reader& reader, const Cursor& algorithm, Scenario& scenario,
                     uint32_t group_size) {
  const auto params_for = reader.find(algorithm, "params_for");
  if (!params_for) return;
  reader.expect_map(*params_for, "a mapping of algorithm names to their parameters");
  reader.expect_unique_keys(*params_for);
  for (const auto& [key, value] : reader.entries(*params_for)) {
    const std::string name = key.node.Scalar();
    const algorithms::AlgorithmInfo& info = find_algorithm_or_fail(reader, key, name);
    const bool empty = !value.node.IsDefined() || value.node.IsNull();  // `zab:`: the defaults
    if (!empty) reader.expect_map(value, "a mapping of parameter names to values");
    if (name == scenario.algorithm) {
      reader.fail(key, absl::StrCat("algorithm.params_for names '", name,
                                    "', the scenario's own algorithm: its parameters go in "
                                    "algorithm.params"));
    }
    scenario.params_for[name] = read_params(reader, value, empty ? nullptr : &value, info,
                                            group_size);
  }
}

void read_algorithm(const Reader& reader, const Cursor& top, Scenario& scenario) {
  const auto algorithm = reader.find(top, "algorithm");
  if (algorithm) reader.expect_schema_keys(*algorithm);
  const auto name = algorithm ? reader.find(*algorithm, "name") : std::nullopt;
  if (name) scenario.algorithm = loader::read_string(reader, *name);
  const Cursor& name_site = name ? *name : algorithm ? *algorithm : top;
  const algorithms::AlgorithmInfo& info =
      find_algorithm_or_fail(reader, name_site, scenario.algorithm);
  // Node lists in parameters name members of a group (n1..nM), as the algorithm sees them.
  const auto group_size = static_cast<uint32_t>(scenario.layout.members(0).size());
  const auto params = algorithm ? reader.find(*algorithm, "params") : std::nullopt;
  scenario.params = read_params(reader, algorithm ? *algorithm : top,
                                params ? &*params : nullptr, info, group_size);
  if (algorithm) read_params_for(reader, *algorithm, scenario, group_size);
  // A lease recipe elects through the coordination service: without one it could never lead.
  if (scenario.layout.of_kind(sim::ProcessKind::kService).empty() &&
      algorithms::service::elects_through_service(
          *info.make_factory(scenario.params, scenario.nodes), scenario.layout)) {
    reader.fail_value(name_site, absl::StrCat("algorithm '", info.name,
                                              "' elects through the coordination service: give "
                                              "the cluster one (cluster: {..., service: [hN]})"));
  }
}

void read_network(const Reader& reader, const Cursor& top, Scenario& scenario) {
  const auto network = reader.find(top, "network");
  if (!network) return;
  reader.expect_schema_keys(*network);
  NetworkSpec& spec = scenario.network;
  if (auto at = reader.find(*network, "latency")) spec.latency = loader::read_latency(reader, *at);
  if (auto at = reader.find(*network, "loss")) spec.loss = loader::read_ratio(reader, *at);
  if (auto at = reader.find(*network, "duplication")) {
    spec.duplication = loader::read_ratio(reader, *at);
  }
  if (auto at = reader.find(*network, "reorder")) spec.reorder = loader::read_bool(reader, *at);
}

void read_clocks(const Reader& reader, const Cursor& top, Scenario& scenario) {
  const auto clocks = reader.find(top, "clocks");
  if (!clocks) return;
  reader.expect_schema_keys(*clocks);
  if (auto at = reader.find(*clocks, "drift_ppm")) {
    const int64_t bound = loader::max_drift_ppm();
    std::tie(scenario.clocks.drift_ppm_min, scenario.clocks.drift_ppm_max) =
        loader::read_int_range(reader, *at, -bound, bound);
  }
  if (auto at = reader.find(*clocks, "max_offset")) {
    scenario.clocks.max_offset = loader::read_duration(reader, *at, Sign::kNonNegative);
  }
}

// `fencing: on | off | equal-ok`. YAML 1.2 (yaml-cpp) reads unquoted on and off as plain
// strings; true and false, which files written before the modes existed say, mean on and off.
sim::FencingMode read_fencing(const Reader& reader, const Cursor& at) {
  const std::string text = reader.scalar(at, "on, off or equal-ok");
  if (text == "on" || text == "true") return sim::FencingMode::kOn;
  if (text == "off" || text == "false") return sim::FencingMode::kOff;
  if (text == "equal-ok") return sim::FencingMode::kEqualOk;
  reader.fail_value(at, absl::StrCat("expected on, off or equal-ok, got '", text, "'",
                                     did_you_mean(text, {"on", "off", "equal-ok"})));
}

// The `resource:` section; reading it before the cluster lets the layout place the resource.
void read_resource(const Reader& reader, const Cursor& top, Scenario& scenario) {
  const auto resource = reader.find(top, "resource");
  if (!resource) return;
  ResourceSpec spec;
  if (!resource->node.IsNull()) {
    reader.expect_map(*resource, "a mapping such as {fencing: on, write_every: 100ms}");
    reader.expect_schema_keys(*resource);
    if (auto at = reader.find(*resource, "fencing")) spec.fencing = read_fencing(reader, *at);
    if (auto at = reader.find(*resource, "write_every")) {
      spec.write_every = loader::read_duration(reader, *at, Sign::kPositive);
      // Below a microsecond no store is written to, and every write costs simulated events.
      if (spec.write_every < sim::Duration::microseconds(1)) {
        reader.fail_value(*at, absl::StrCat("must be at least 1us, got ",
                                            sim::format_duration(spec.write_every)));
      }
    }
  }
  scenario.resource = spec;
}

void read_duration(const Reader& reader, const Cursor& top, Scenario& scenario) {
  if (auto at = reader.find(top, "duration")) {
    scenario.duration = loader::read_duration(reader, *at, Sign::kPositive);
  }
}

void read_goals(const Reader& reader, const Cursor& list, ChecksSpec& checks) {
  const std::vector<std::string>& known = known_goal_names();
  for (const Cursor& item : reader.items(list, "a list of goal names")) {
    const std::string name = reader.scalar(item, "a goal name");
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      reader.fail_value(item, unknown_name("goal", name, known));
    }
    if (std::find(checks.sometimes.begin(), checks.sometimes.end(), name) !=
        checks.sometimes.end()) {
      reader.fail_value(item, absl::StrCat("goal '", name, "' is listed twice"));
    }
    checks.sometimes.push_back(name);
  }
}

// checks.exclusive may only tighten what the algorithm promises (sim/checks/profile.h): a rule
// looser than the profile's would pass runs that break the algorithm's own promise.
void read_exclusive(const Reader& reader, const Cursor& at, Scenario& scenario) {
  const std::string text = loader::read_string(reader, at);
  const auto rule = sim::checks::parse_exclusivity_rule(text);
  const std::vector<std::string> names = {"until_superseded", "bounded", "strict"};
  if (!rule) {
    reader.fail_value(at, absl::StrCat("expected until_superseded, bounded or strict, got '", text,
                                       "'", did_you_mean(text, names)));
  }
  const algorithms::AlgorithmInfo* info = algorithms::find_algorithm(scenario.algorithm);
  if (info != nullptr) {
    const sim::checks::CheckProfile profile = algorithms::profile_for(*info, scenario.params);
    if (*rule < profile.exclusivity) {
      reader.fail_value(
          at, absl::StrCat("'", text, "' would loosen ", scenario.algorithm,
                           "'s exclusivity rule '",
                           std::string(sim::checks::exclusivity_rule_name(profile.exclusivity)),
                           "'; a scenario may only tighten it"));
    }
  }
  scenario.checks.exclusive = rule;
}

void read_checks(const Reader& reader, const Cursor& top, Scenario& scenario) {
  const auto checks = reader.find(top, "checks");
  if (!checks) return;
  reader.expect_schema_keys(*checks);
  ChecksSpec& spec = scenario.checks;
  if (auto at = reader.find(*checks, "recovery_within")) {
    spec.recovery_within = loader::read_duration(reader, *at, Sign::kPositive);
  }
  if (auto at = reader.find(*checks, "recovery_quorum")) {
    const std::string quorum = loader::read_string(reader, *at);
    if (quorum == "majority") {
      spec.recovery_quorum = RecoveryQuorum::kMajority;
    } else if (quorum == "all_up") {
      spec.recovery_quorum = RecoveryQuorum::kAllUp;
    } else {
      reader.fail_value(*at, absl::StrCat("expected majority or all_up, got '", quorum, "'",
                                          did_you_mean(quorum, {"majority", "all_up"})));
    }
  }
  if (auto at = reader.find(*checks, "stable_leader_within")) {
    spec.stable_leader_within = loader::read_duration(reader, *at, Sign::kPositive);
  }
  if (auto at = reader.find(*checks, "sometimes")) read_goals(reader, *at, spec);
  if (auto at = reader.find(*checks, "exclusive")) read_exclusive(reader, *at, scenario);
}

// How many elections `alerts.leader_changes.more_than` may allow: the rule keeps that many
// election times, so the bound is a bound on its memory too.
constexpr int64_t kMaxAlertLeaderChanges = 1'000'000;

void read_alerts(const Reader& reader, const Cursor& top, Scenario& scenario) {
  const auto alerts = reader.find(top, "alerts");
  if (!alerts) return;
  reader.expect_map(*alerts,
                    "a mapping such as {leader_changes: {more_than: 3, within: 60s}, "
                    "leaderless_longer_than: 5s}");
  reader.expect_schema_keys(*alerts);
  sim::checks::AlertRules& rules = scenario.alerts;
  if (auto changes = reader.find(*alerts, "leader_changes")) {
    reader.expect_map(*changes, "a mapping such as {more_than: 3, within: 60s}");
    reader.expect_schema_keys(*changes);
    sim::checks::LeaderChangesRule rule;
    rule.more_than = static_cast<uint64_t>(loader::read_int(
        reader, reader.require(*changes, "more_than"), 0, kMaxAlertLeaderChanges));
    rule.within = loader::read_duration(reader, reader.require(*changes, "within"),
                                        Sign::kPositive);
    rules.leader_changes = rule;
  }
  if (auto at = reader.find(*alerts, "leaderless_longer_than")) {
    rules.leaderless_longer_than = loader::read_duration(reader, *at, Sign::kPositive);
  }
}

void read_seeds(const Reader& reader, const Cursor& top, Scenario& scenario) {
  const auto seeds = reader.find(top, "seeds");
  if (!seeds) return;
  const std::string text = reader.scalar(*seeds, "a seed or a range lo..hi such as 1..100");
  const size_t dots = text.find("..");
  const std::string first = text.substr(0, dots);
  const std::string last = dots == std::string::npos ? first : text.substr(dots + 2);
  if (!absl::SimpleAtoi(first, &scenario.seed_first) ||
      !absl::SimpleAtoi(last, &scenario.seed_last) || first.starts_with('-') ||
      last.starts_with('-')) {
    reader.fail_value(*seeds,
                      absl::StrCat("expected a seed or a range lo..hi of non-negative integers "
                                   "such as 1..100, got '",
                                   text, "'"));
  }
  if (scenario.seed_first > scenario.seed_last) {
    reader.fail_value(*seeds, absl::StrCat("expected a range lo..hi with lo <= hi, got '", text,
                                           "'"));
  }
}

bool touches_network(const std::optional<faults::NemesisSpec>& nemesis) {
  if (!nemesis) return false;
  return std::any_of(nemesis->kinds.begin(), nemesis->kinds.end(), [](const auto& kind) {
    return kind.kind == faults::FaultKind::kPartition || kind.kind == faults::FaultKind::kLinkFault;
  });
}

Scenario load(const std::string& text, const std::string& path, const LoadOptions& options) {
  YAML::Node root = parse_root(text, path);
  const Reader reader(path, loader::apply_overrides(root, options));
  const Cursor top = reader.top(root);
  Scenario scenario;
  scenario.path = path;
  scenario.overrides = options.overrides;
  scenario.algorithm_override = options.algorithm_override;
  read_version(reader, top, scenario);  // first: a newer file should say so, not list its keys
  reader.expect_schema_keys(top);
  scenario.name = stem_of(path);
  if (auto at = reader.find(top, "name")) scenario.name = loader::read_string(reader, *at);
  if (auto at = reader.find(top, "description")) {
    scenario.description = loader::read_string(reader, *at);
  }
  read_resource(reader, top, scenario);
  loader::read_cluster(reader, top, scenario);
  read_algorithm(reader, top, scenario);
  read_network(reader, top, scenario);
  read_clocks(reader, top, scenario);
  read_duration(reader, top, scenario);
  scenario.nemesis = loader::read_nemesis(reader, top, scenario.layout, scenario.duration);
  if (auto at = reader.find(top, "faults")) {
    scenario.faults = loader::read_faults(
        reader, *at, {scenario.layout, scenario.duration, touches_network(scenario.nemesis)});
  }
  read_checks(reader, top, scenario);
  read_alerts(reader, top, scenario);
  read_seeds(reader, top, scenario);
  scenario.max_events = options.max_events;
  loader::check_budget(reader, top, scenario);
  return scenario;
}

}  // namespace

absl::StatusOr<Scenario> load_scenario_text(const std::string& text, const std::string& path,
                                            const LoadOptions& options) {
  try {
    return load(text, path, options);
  } catch (const LoadError& error) {
    absl::Status status = absl::InvalidArgumentError(error.line);
    if (error.in_command_line) status.SetPayload(kCommandLineErrorPayload, absl::Cord("flag"));
    return status;
  } catch (const YAML::Exception& error) {
    // The readers check types before they look inside a node, so this is our bug, not the file.
    return absl::InternalError(absl::StrCat(path, ": ", error.what()));
  }
}

absl::StatusOr<Scenario> load_scenario_file(const std::string& path, const LoadOptions& options) {
  absl::StatusOr<std::string> text = loader::read_scenario_bytes(path);
  if (!text.ok()) return text.status();
  return load_scenario_text(*text, path, options);
}

bool is_command_line_error(const absl::Status& status) {
  return status.GetPayload(kCommandLineErrorPayload).has_value();
}

std::string node_name(sim::NodeId node) { return absl::StrCat("n", node + 1); }

}  // namespace electsim::scenarios
