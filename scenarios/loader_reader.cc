// Walking the YAML tree with paths and positions, for errors that say exactly where.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scenarios/loader_internal.h"
#include "scenarios/schema.h"
#include "scenarios/suggest.h"

namespace electsim::scenarios::loader {
namespace {

bool is_within(std::string_view path, std::string_view outer) {
  if (!path.starts_with(outer)) return false;
  if (path.size() == outer.size()) return true;
  const char next = path[outer.size()];
  return next == '.' || next == '[';
}

std::string join_path(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : absl::StrCat(std::string(parent), ".", std::string(key));
}

}  // namespace

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: return absl::StrCat("'", node.Scalar(), "'");
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return "nothing";
  }
  return "nothing";
}

std::string where_of(const Cursor& map) {
  return map.path.empty() ? "the scenario" : map.path;
}

Reader::Reader(std::string file, std::vector<Origin> origins)
    : file_(std::move(file)), origins_(std::move(origins)) {}

const Origin* Reader::origin_of(std::string_view path) const {
  // The last flag wins, as it was applied last.
  for (auto it = origins_.rbegin(); it != origins_.rend(); ++it)
    if (is_within(path, it->path)) return &*it;
  return nullptr;
}

const Origin* Reader::origin_below(std::string_view path) const {
  for (auto it = origins_.rbegin(); it != origins_.rend(); ++it)
    if (is_within(it->path, path)) return &*it;
  return nullptr;
}

const Origin* Reader::blamed_flag(const Cursor& at) const {
  if (const Origin* origin = origin_of(at.path)) return origin;
  // A mapping the command line created to hold a value: blame the flag that made it.
  if (at.mark.is_null()) return origin_below(at.path);
  return nullptr;
}

std::string Reader::location(const Cursor& at) const {
  if (const Origin* origin = blamed_flag(at)) return origin->label;
  if (!at.mark.is_null()) {
    // yaml-cpp counts from 0; editors and compilers count from 1.
    return absl::StrCat(file_, ":", at.mark.line + 1, ":", at.mark.column + 1);
  }
  return file_;
}

void Reader::fail(const Cursor& at, std::string_view message) const {
  throw LoadError{absl::StrCat(location(at), ": ", std::string(message)),
                  blamed_flag(at) != nullptr};
}

void Reader::fail_value(const Cursor& at, std::string_view message) const {
  const Origin* origin = origin_of(at.path);
  if (at.path.empty() || (origin != nullptr && origin->path == at.path)) fail(at, message);
  fail(at, absl::StrCat(at.path, ": ", std::string(message)));
}

void Reader::fail_unknown_key(const Cursor& key, std::string_view where,
                              const std::vector<std::string>& known) const {
  const std::string name = key.node.IsScalar() ? key.node.Scalar() : describe(key.node);
  std::string message =
      absl::StrCat("unknown key '", name, "' in ", std::string(where), did_you_mean(name, known));
  if (closest_match(name, known).empty() && !known.empty()) {
    absl::StrAppend(&message, "; expected one of ", absl::StrJoin(known, ", "));
  }
  // A key typed on the command line is reported against the flag alone, as the value is fine.
  if (const Origin* origin = origin_of(key.path); origin != nullptr && origin->path == key.path) {
    throw LoadError{absl::StrCat(origin->flag, ": ", message), true};
  }
  fail(key, message);
}

Cursor Reader::top(const YAML::Node& root) const { return Cursor{root, "", "", root.Mark()}; }

std::vector<std::pair<Cursor, Cursor>> Reader::entries(const Cursor& map) const {
  expect_map(map, "a mapping");
  std::vector<std::pair<Cursor, Cursor>> result;
  for (const auto& pair : map.node) {
    const std::string name = pair.first.IsScalar() ? pair.first.Scalar() : "?";
    Cursor key{pair.first, join_path(map.path, name), join_path(map.schema_path, name),
               pair.first.Mark()};
    // An empty value has no position of its own (yaml-cpp marks the next token): use the key's.
    const bool empty = !pair.second.IsDefined() || pair.second.IsNull();
    Cursor value{pair.second, key.path, key.schema_path,
                 empty || pair.second.Mark().is_null() ? key.mark : pair.second.Mark()};
    result.emplace_back(std::move(key), std::move(value));
  }
  return result;
}

std::optional<Cursor> Reader::find(const Cursor& map, std::string_view key) const {
  for (auto& [name, value] : entries(map)) {
    if (!name.node.IsScalar() || name.node.Scalar() != key) continue;
    if (!value.node.IsDefined() || value.node.IsNull()) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

Cursor Reader::require(const Cursor& map, std::string_view key) const {
  std::optional<Cursor> value = find(map, key);
  if (!value) {
    fail(map, absl::StrCat("missing required key '", std::string(key), "' in ", where_of(map)));
  }
  return *value;
}

std::vector<Cursor> Reader::items(const Cursor& list, std::string_view what) const {
  if (!list.node.IsSequence()) {
    fail_value(list, absl::StrCat("expected ", std::string(what), ", got ", describe(list.node)));
  }
  std::vector<Cursor> result;
  for (size_t i = 0; i < list.node.size(); ++i) {
    const YAML::Node item = list.node[i];
    const YAML::Mark mark = item.Mark().is_null() || item.IsNull() ? list.mark : item.Mark();
    result.push_back(Cursor{item, absl::StrCat(list.path, "[", i, "]"),
                            absl::StrCat(list.schema_path, "[]"), mark});
  }
  return result;
}

void Reader::expect_map(const Cursor& at, std::string_view what) const {
  if (!at.node.IsMap()) {
    fail_value(at, absl::StrCat("expected ", std::string(what), ", got ", describe(at.node)));
  }
}

void Reader::expect_unique_keys(const Cursor& map) const {
  std::vector<std::pair<std::string, int>> seen;  // name, line
  for (const auto& [key, value] : entries(map)) {
    if (!key.node.IsScalar()) fail(key, absl::StrCat("expected a key name in ", where_of(map)));
    const std::string& name = key.node.Scalar();
    auto earlier = std::find_if(seen.begin(), seen.end(),
                                [&](const auto& entry) { return entry.first == name; });
    if (earlier != seen.end()) {
      fail(key, absl::StrCat("duplicate key '", name, "' in ", where_of(map),
                             " (first given on line ", earlier->second, ")"));
    }
    seen.emplace_back(name, key.mark.line + 1);
  }
}

void Reader::expect_keys(const Cursor& map, const std::vector<std::string>& known,
                         std::string_view where) const {
  expect_unique_keys(map);
  for (const auto& [key, value] : entries(map)) {
    if (std::find(known.begin(), known.end(), key.node.Scalar()) == known.end()) {
      fail_unknown_key(key, where, known);
    }
  }
}

void Reader::expect_schema_keys(const Cursor& map) const {
  expect_map(map, "a mapping");
  expect_keys(map, child_keys(map.schema_path), where_of(map));
}

std::string Reader::scalar(const Cursor& at, std::string_view expected) const {
  if (!at.node.IsScalar()) {
    fail_value(at, absl::StrCat("expected ", std::string(expected), ", got ", describe(at.node)));
  }
  return at.node.Scalar();
}

}  // namespace electsim::scenarios::loader
