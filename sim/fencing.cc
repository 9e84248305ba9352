#include "sim/fencing.h"

namespace electsim::sim {

std::string_view fencing_mode_name(FencingMode mode) {
  switch (mode) {
    case FencingMode::kOff: return "off";
    case FencingMode::kOn: return "on";
    case FencingMode::kEqualOk: return "equal-ok";
  }
  return "unknown";
}

}  // namespace electsim::sim
