// --set PATH=VALUE and --algorithm NAME: edits to the YAML tree before it is validated, so an
// overridden value passes the very same checks as one written in the file.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "scenarios/loader_internal.h"
#include "scenarios/schema.h"
#include "scenarios/suggest.h"

namespace electsim::scenarios::loader {
namespace {

constexpr std::string_view kParams = "algorithm.params";

[[noreturn]] void fail_flag(std::string_view flag, std::string_view message) {
  throw LoadError{absl::StrCat(std::string(flag), ": ", std::string(message)), true};
}

// Checks that `segments` name a key of the schema (any name under algorithm.params: the
// algorithm's own check reports unknown parameters once the algorithm is known).
void check_path(const std::string& path, const std::vector<std::string>& segments) {
  const std::string flag = absl::StrCat("--set ", path);
  std::string prefix;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    if (segment.empty()) fail_flag(flag, "expected a dotted path such as cluster.nodes");
    if (prefix == kParams) {
      if (i + 1 != segments.size()) fail_flag(flag, "a parameter has no keys under it");
      return;
    }
    const KeyDoc* parent = prefix.empty() ? nullptr : find_key_doc(prefix);
    if (parent != nullptr && parent->type == "list") {
      fail_flag(flag, absl::StrCat(prefix, " is a list; --set can only replace it whole, as in "
                                   "--set ", prefix, "=[...]"));
    }
    const std::string next = prefix.empty() ? segment : absl::StrCat(prefix, ".", segment);
    if (find_key_doc(next) == nullptr) {
      fail_flag(flag, absl::StrCat("unknown key '", segment, "' in ",
                                   prefix.empty() ? "the scenario" : prefix,
                                   did_you_mean(segment, child_keys(prefix))));
    }
    prefix = next;
  }
}

// The mapping under `key`, created if absent or null. (yaml-cpp's operator= on a Node rebinds the
// node it was read from, so cursors move with reset(), never with assignment.)
YAML::Node child_map(YAML::Node& parent, const std::string& key, const std::string& label,
                     const std::string& path) {
  const YAML::Node& read_only = parent;
  const YAML::Node existing = read_only[key];
  if (!existing.IsDefined() || existing.IsNull()) {
    parent[key] = YAML::Node(YAML::NodeType::Map);
  } else if (!existing.IsMap()) {
    fail_flag(label, absl::StrCat("cannot set a key inside ", path, ", which the file gives as ",
                                  describe(existing), ", not a mapping"));
  }
  YAML::Node child;
  child.reset(parent[key]);
  return child;
}

void set_path(YAML::Node& root, const std::vector<std::string>& segments, const YAML::Node& value,
              const std::string& label) {
  YAML::Node node;
  node.reset(root);
  std::string path;
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    path = path.empty() ? segments[i] : absl::StrCat(path, ".", segments[i]);
    YAML::Node next = child_map(node, segments[i], label, path);
    node.reset(next);
  }
  node[segments.back()] = value;
}

void apply_set(YAML::Node& root, const std::string& text, std::vector<Origin>& origins) {
  const size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0) {
    fail_flag(absl::StrCat("--set ", text), "expected PATH=VALUE, such as cluster.nodes=7");
  }
  const std::string path = text.substr(0, equals);
  const std::string label = absl::StrCat("--set ", text);
  const std::vector<std::string> segments = absl::StrSplit(path, '.');
  check_path(path, segments);
  YAML::Node value;
  try {
    value = YAML::Load(text.substr(equals + 1));
  } catch (const YAML::ParserException& error) {
    fail_flag(label, absl::StrCat("not a valid YAML value: ", error.msg));
  }
  set_path(root, segments, value, label);
  origins.push_back(Origin{path, absl::StrCat("--set ", path), label});
}

// --algorithm swaps the algorithm and drops the file's parameters, which were meant for the
// algorithm the file names; the new one runs with its defaults (DESIGN.md's contract).
void apply_algorithm(YAML::Node& root, const std::string& name, std::vector<Origin>& origins) {
  const std::string label = absl::StrCat("--algorithm ", name);
  const YAML::Node& read_only = root;
  const YAML::Node existing = read_only["algorithm"];
  // A file whose `algorithm` is not a mapping keeps its error, reported at the file.
  if (!existing.IsDefined() || existing.IsNull() || existing.IsMap()) {
    YAML::Node algorithm = child_map(root, "algorithm", label, "algorithm");
    algorithm["name"] = name;
    algorithm.remove("params");
  }
  origins.push_back(Origin{"algorithm.name", "--algorithm", label});
}

}  // namespace

std::vector<Origin> apply_overrides(YAML::Node& root, const LoadOptions& options) {
  std::vector<Origin> origins;
  if (options.algorithm_override) apply_algorithm(root, *options.algorithm_override, origins);
  for (const std::string& text : options.overrides) apply_set(root, text, origins);
  return origins;
}

}  // namespace electsim::scenarios::loader
