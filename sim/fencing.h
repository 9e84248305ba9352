// How the fenced resource judges the tokens of the writes it receives (issue 9; DESIGN.md,
// "Algorithms", the fenced resource). Read by the resource (algorithms/resource/), the scenario
// (scenarios/scenario.h) and the checks, which is why it lives in sim/.
#pragma once

#include <cstdint>
#include <string_view>

namespace electsim::sim {

// kOn: refuse a token below the highest accepted, and an equal one from another leadership;
// kEqualOk: refuse only a token below the highest (what most real stores do, and why tokens
// must be unique per leadership); kOff: accept everything.
enum class FencingMode : uint8_t { kOff, kOn, kEqualOk };
std::string_view fencing_mode_name(FencingMode);  // "off", "on", "equal-ok"

}  // namespace electsim::sim
