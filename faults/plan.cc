#include "faults/plan.h"

namespace electsim::faults {

const char* fault_kind_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::kCrash:
      return "crash";
    case FaultKind::kAmnesiaCrash:
      return "amnesia_crash";
    case FaultKind::kRestart:
      return "restart";
    case FaultKind::kPause:
      return "pause";
    case FaultKind::kPartition:
      return "partition";
    case FaultKind::kLinkFault:
      return "link_fault";
    case FaultKind::kHeal:
      return "heal";
    case FaultKind::kClockOffset:
      return "clock_offset";
    case FaultKind::kClockDrift:
      return "clock_drift";
    case FaultKind::kClockJump:
      return "clock_jump";
    case FaultKind::kResign:
      return "resign";
  }
  return "unknown";
}

}  // namespace electsim::faults
