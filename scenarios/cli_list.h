// `electsim list`: algorithms with their parameters and check profiles, process kinds, scenario
// keys, built-in scenarios, checks.
#pragma once

#include <string>

namespace electsim::scenarios {

std::string list_text();
// The same as one JSON document, for scripts (`electsim list --json`): algorithms with their
// parameters, scenario keys, built-in scenarios with descriptions, checks and goals.
std::string list_json();

}  // namespace electsim::scenarios
