// `electsim list`: algorithms with their parameters, scenario keys, built-in scenarios, checks.
#pragma once

#include <string>

namespace electsim::scenarios {

std::string list_text();

}  // namespace electsim::scenarios
