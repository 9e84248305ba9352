// The scenario file schema as data: every key a scenario file may hold, with its type, default
// and meaning. The loader takes the set of known keys of each mapping from here, `electsim list`
// prints it, and a test checks that docs/SCENARIOS.md documents every path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace electsim::scenarios {

inline constexpr int kSchemaVersion = 1;

struct KeyDoc {
  // Dotted path from the top of the file. `[]` stands for any item of a list
  // (`faults[].at`); `<name>` for a key the user chooses (`algorithm.params.<name>`).
  std::string path;
  std::string type;          // "duration", "ratio", "targets", "mapping", ...
  std::string default_text;  // as a user would write it; "required" or "none" where fitting
  std::string doc;           // one or two sentences
};

// Every key, parents before their children, in the order docs/SCENARIOS.md presents them.
const std::vector<KeyDoc>& scenario_keys();
// nullptr if `path` is not a schema path.
const KeyDoc* find_key_doc(std::string_view path);
// The names of the keys directly under the mapping at `path` ("" for the top level), in schema
// order. Placeholders such as `<name>` are left out.
std::vector<std::string> child_keys(std::string_view path);

// The *sometimes* goals a scenario may name under checks.sometimes (sim::checks'
// goal_catalogue(), by name).
const std::vector<std::string>& known_goal_names();

}  // namespace electsim::scenarios
