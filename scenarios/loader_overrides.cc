// --set PATH=VALUE and --algorithm NAME: edits to the YAML tree before it is validated, so an
// overridden value passes the very same checks as one written in the file.
//
// A PATH is dotted keys, each of which may name an item of a list by its zero-based index:
// `faults[1].at`, `checks.sometimes[0]`. An index only reaches an item the file already has;
// --set never appends (a whole list can still be replaced: `--set 'faults=[...]'`).
#include <algorithm>
#include <limits>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "scenarios/loader_internal.h"
#include "scenarios/schema.h"
#include "scenarios/suggest.h"
#include "sim/check.h"

namespace electsim::scenarios::loader {
namespace {

constexpr std::string_view kParams = "algorithm.params";
constexpr std::string_view kParamsFor = "algorithm.params_for";
// An index longer than this cannot name an item (a file holds at most kMaxYamlValues values), so
// it is out of range without being parsed: a hostile index can neither overflow nor allocate.
constexpr size_t kMaxIndexDigits = 9;
constexpr size_t kIndexBeyondAnyList = std::numeric_limits<size_t>::max();
static_assert(kMaxYamlValues < 1'000'000'000, "a 9-digit index must be able to reach any item");

[[noreturn]] void fail_flag(std::string_view flag, std::string_view message) {
  throw LoadError{absl::StrCat(std::string(flag), ": ", std::string(message)), true};
}

// One dotted part of a --set path: a key, and the item of the list under it when indexed.
struct PathSegment {
  std::string key;
  std::optional<size_t> index;  // kIndexBeyondAnyList when it has more than kMaxIndexDigits
  std::string index_text;       // the digits without leading zeros, for paths and messages
};

// "faults[01]" and "faults[1]" name the same item; errors in the value are attributed to the
// flag by this canonical path, which must match the loader's own ("faults[1].at").
std::string path_with(const std::string& prefix, const PathSegment& segment) {
  std::string path = prefix.empty() ? segment.key : absl::StrCat(prefix, ".", segment.key);
  if (segment.index) absl::StrAppend(&path, "[", segment.index_text, "]");
  return path;
}

PathSegment parse_segment(std::string_view text, const std::string& flag) {
  const size_t open = text.find('[');
  PathSegment segment{std::string(text.substr(0, open)), std::nullopt, ""};
  if (segment.key.empty()) fail_flag(flag, "expected a dotted path such as cluster.nodes");
  const std::string_view bracket = open == std::string_view::npos ? "" : text.substr(open);
  const std::string_view digits =
      bracket.size() >= 2 ? bracket.substr(1, bracket.size() - 2) : std::string_view();
  const bool well_formed = bracket.size() >= 3 && bracket.back() == ']' &&
                           std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit);
  if (bracket.empty() && segment.key.find(']') == std::string::npos) return segment;
  if (!well_formed) {
    fail_flag(flag, absl::StrCat("malformed index in '", std::string(text), "': expected ",
                                 segment.key, "[N] with N an item's zero-based position, as in ",
                                 segment.key, "[0]"));
  }
  const size_t first_significant = std::min(digits.find_first_not_of('0'), digits.size() - 1);
  segment.index_text = std::string(digits.substr(first_significant));
  size_t index = kIndexBeyondAnyList;
  if (segment.index_text.size() <= kMaxIndexDigits) {
    const bool parsed = absl::SimpleAtoi(segment.index_text, &index);
    SIM_CHECK(parsed, "at most 9 digits, checked above, always fit a size_t");
  }
  segment.index = index;
  return segment;
}

std::vector<PathSegment> parse_path(const std::string& path, const std::string& flag) {
  std::vector<PathSegment> segments;
  for (absl::string_view text : absl::StrSplit(path, '.')) {
    segments.push_back(parse_segment(std::string_view(text.data(), text.size()), flag));
  }
  return segments;
}

// Whether a value of this schema type may be a list (targets may be one node or a list).
bool may_hold_items(const KeyDoc& doc) {
  return doc.type.find("list") != std::string::npos || doc.type == "targets";
}

// Checks that `segments` name a key of the schema (any name under algorithm.params: the
// algorithm's own check reports unknown parameters once the algorithm is known), and that only
// keys that may hold a list are indexed.
void check_path(const std::vector<PathSegment>& segments, const std::string& flag) {
  std::string schema_prefix;    // "faults[].partition"
  std::string concrete_prefix;  // "faults[1].partition"
  for (size_t i = 0; i < segments.size(); ++i) {
    const PathSegment& segment = segments[i];
    if (schema_prefix == kParams) {
      if (i + 1 != segments.size()) fail_flag(flag, "a parameter has no keys under it");
      return;
    }
    if (schema_prefix == kParamsFor) {
      // An algorithm's name, then optionally one of its parameters: checked once loaded.
      if (i + 2 < segments.size()) fail_flag(flag, "a parameter has no keys under it");
      return;
    }
    const KeyDoc* parent = schema_prefix.empty() ? nullptr : find_key_doc(schema_prefix);
    if (parent != nullptr && parent->type == "list") {
      fail_flag(flag, absl::StrCat(concrete_prefix, " is a list; name an item by its zero-based ",
                                   "index, as in --set ", concrete_prefix, "[0].", segment.key,
                                   "=..., or replace it whole with --set '", concrete_prefix,
                                   "=[...]'"));
    }
    const std::string next = schema_prefix.empty() ? segment.key
                                                   : absl::StrCat(schema_prefix, ".", segment.key);
    const KeyDoc* doc = find_key_doc(next);
    if (doc == nullptr) {
      fail_flag(flag, absl::StrCat("unknown key '", segment.key, "' in ",
                                   concrete_prefix.empty() ? "the scenario" : concrete_prefix,
                                   did_you_mean(segment.key, child_keys(schema_prefix))));
    }
    if (segment.index && !may_hold_items(*doc)) {
      fail_flag(flag, absl::StrCat(path_with(concrete_prefix, PathSegment{segment.key, {}, {}}),
                                   " is not a list (its type is ", doc->type,
                                   "), so it has no items to index"));
    }
    schema_prefix = segment.index ? absl::StrCat(next, "[]") : next;
    concrete_prefix = path_with(concrete_prefix, segment);
  }
}

// Where a --set path is in the tree and what an error there is reported against.
struct SetSite {
  std::string path;        // concrete, up to the segment being walked: "faults[1]"
  std::string path_flag;   // "--set faults[1].at": for errors in the path
  std::string label;       // "--set faults[1].at=12s": for errors in what the file holds there
};

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

std::string items_text(size_t count) {
  if (count == 0) return "no items";
  return count == 1 ? "1 item" : absl::StrCat(count, " items");
}

// The item the segment indexes, which must exist: yaml-cpp's operator[] would append at the
// list's size and turn the list into a mapping beyond it, so the bounds are checked first.
YAML::Node list_item(YAML::Node& parent, const PathSegment& segment, const std::string& list_path,
                     const SetSite& site) {
  const YAML::Node& read_only = parent;
  const YAML::Node list = read_only[segment.key];
  const bool absent = !list.IsDefined() || list.IsNull();
  if (!absent && !list.IsSequence()) {
    fail_flag(site.label, absl::StrCat("cannot index ", list_path, ", which the file gives as ",
                                       describe(list), ", not a list"));
  }
  const size_t size = absent ? 0 : list.size();
  const size_t index = *segment.index;
  if (index >= size) {
    std::string message = absl::StrCat(list_path, " has ", items_text(size), ", index ",
                                       segment.index_text, " is out of range (items count from 0)");
    if (index == size) {
      absl::StrAppend(&message, "; --set does not add items: replace the whole list, as in --set '",
                      list_path, "=[...]'");
    }
    fail_flag(site.path_flag, message);
  }
  YAML::Node list_node;
  list_node.reset(parent[segment.key]);
  YAML::Node item;
  item.reset(list_node[index]);
  return item;
}

// The node a further key goes into: the mapping under the segment's key, or its indexed item,
// which must be a mapping already (an item is never created).
YAML::Node step_into(YAML::Node& node, const PathSegment& segment, const SetSite& site,
                     const std::string& key_path) {
  if (!segment.index) return child_map(node, segment.key, site.label, key_path);
  YAML::Node item = list_item(node, segment, key_path, site);
  if (!item.IsMap()) {
    fail_flag(site.label, absl::StrCat("cannot set a key inside ", site.path,
                                       ", which the file gives as ", describe(item),
                                       ", not a mapping"));
  }
  return item;
}

// Walks `segments` and replaces the value at the end; `site.path` follows the walk.
void set_path(YAML::Node& root, const std::vector<PathSegment>& segments, const YAML::Node& value,
              SetSite site) {
  YAML::Node node;
  node.reset(root);
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    const std::string key_path = path_with(site.path, PathSegment{segments[i].key, {}, {}});
    site.path = path_with(site.path, segments[i]);
    YAML::Node next = step_into(node, segments[i], site, key_path);
    node.reset(next);
  }
  const PathSegment& last = segments.back();
  if (!last.index) {
    node[last.key] = value;
    return;
  }
  YAML::Node item =
      list_item(node, last, path_with(site.path, PathSegment{last.key, {}, {}}), site);
  item = value;  // rebinds the item's node in the list to the value (see child_map)
}

void apply_set(YAML::Node& root, const std::string& text, std::vector<Origin>& origins) {
  const size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0) {
    fail_flag(absl::StrCat("--set ", text), "expected PATH=VALUE, such as cluster.nodes=7");
  }
  const std::string written_path = text.substr(0, equals);
  const std::string path_flag = absl::StrCat("--set ", written_path);
  const std::vector<PathSegment> segments = parse_path(written_path, path_flag);
  check_path(segments, path_flag);
  const std::string label = absl::StrCat("--set ", text);
  YAML::Node value;
  try {
    value = YAML::Load(text.substr(equals + 1));
  } catch (const YAML::ParserException& error) {
    fail_flag(label, absl::StrCat("not a valid YAML value: ", error.msg));
  }
  set_path(root, segments, value, SetSite{"", path_flag, label});
  std::string path;
  for (const PathSegment& segment : segments) path = path_with(path, segment);
  origins.push_back(Origin{path, absl::StrCat("--set ", path), label});
}

// --algorithm swaps the algorithm. The file's `params` were written for the algorithm the file
// names, so they go; the new algorithm runs with the file's `params_for` block for it, if the
// file has one (moved whole, so its errors still point into the file), else with its defaults
// (DESIGN.md's contract). --set flags apply afterwards, on top of either.
void apply_algorithm(YAML::Node& root, const std::string& name, std::vector<Origin>& origins) {
  const std::string label = absl::StrCat("--algorithm ", name);
  const YAML::Node& read_only = root;
  const YAML::Node existing = read_only["algorithm"];
  // A file whose `algorithm` is not a mapping keeps its error, reported at the file.
  if (!existing.IsDefined() || existing.IsNull() || existing.IsMap()) {
    YAML::Node algorithm = child_map(root, "algorithm", label, "algorithm");
    const YAML::Node& algorithm_read_only = algorithm;
    const YAML::Node params_for = algorithm_read_only["params_for"];
    // (IsDefined first: yaml-cpp throws when asked the type of a key that is absent.) A block
    // that is no mapping stays where it is, to be reported there (loader.cc).
    const bool has_block = params_for.IsDefined() && params_for.IsMap() &&
                           params_for[name].IsDefined() &&
                           (params_for[name].IsMap() || params_for[name].IsNull());
    algorithm["name"] = name;
    algorithm.remove("params");
    if (has_block) {
      // The block becomes `params` (the same node, with its marks), and leaves params_for,
      // where it would name the scenario's own algorithm.
      algorithm["params"] = params_for[name];
      YAML::Node blocks;
      blocks.reset(algorithm["params_for"]);
      blocks.remove(name);
      if (blocks.size() == 0) algorithm.remove("params_for");
    }
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
