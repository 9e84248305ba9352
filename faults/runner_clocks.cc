// Clock faults: offset (skew), drift (rate skew) and jumps. They are permanent unless the fault
// has a duration; then the offset or drift it replaced comes back at its end. A jump is never
// undone (a clock that jumped back does not jump forward again by itself); its duration only
// marks how long the disruption counts as a fault.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "faults/describe.h"
#include "faults/runner.h"

namespace electsim::faults {

bool FaultRunner::fire_clock(size_t index, TargetResolver& resolver, FiredFault& fired) {
  const Fault& fault = plan_[index];
  std::vector<NodeId> nodes;
  if (!resolver.resolve(fault.targets, &nodes)) return false;
  if (nodes.empty()) return resolver.fail("the fault names no node");
  std::sort(nodes.begin(), nodes.end());
  InForce& state = in_force_[index];
  state.nodes = nodes;
  fired.nodes = nodes;
  const sim::Instant now = world_.now();
  std::string was;
  if (nodes.size() == 1) {
    const sim::LocalClock& clock = world_.clock(nodes[0]);
    if (fault.kind == FaultKind::kClockOffset) {
      was = absl::StrCat(" (was ", signed_duration(clock.offset_at(now)), ")");
    } else if (fault.kind == FaultKind::kClockDrift) {
      was = absl::StrCat(" (was ", signed_ppm(clock.drift_ppm()), ")");
    }
  }
  begin(index, nodes);
  for (NodeId node : nodes) {
    switch (fault.kind) {
      case FaultKind::kClockOffset:
        state.previous_offsets.push_back(world_.clock(node).offset_at(now));
        world_.set_clock_offset(node, fault.clock_amount);
        break;
      case FaultKind::kClockDrift:
        state.previous_drifts.push_back(world_.clock(node).drift_ppm());
        world_.set_clock_drift(node, fault.drift_ppm);
        break;
      default:
        world_.jump_clock(node, fault.clock_amount);
        break;
    }
  }
  const std::string who = node_names(nodes);
  switch (fault.kind) {
    case FaultKind::kClockOffset:
      fired.effect =
          absl::StrCat("clock ", who, " offset ", signed_duration(fault.clock_amount), was);
      break;
    case FaultKind::kClockDrift:
      fired.effect = absl::StrCat("clock ", who, " drift ", signed_ppm(fault.drift_ppm), was);
      break;
    default:
      fired.effect = absl::StrCat("clock ", who, " jump ", signed_duration(fault.clock_amount));
      break;
  }
  schedule_end(index);
  return true;
}

void FaultRunner::end_clock(size_t index) {
  const Fault& fault = plan_[index];
  const InForce& state = in_force_[index];
  for (size_t i = 0; i < state.nodes.size(); ++i) {
    if (fault.kind == FaultKind::kClockOffset) {
      world_.set_clock_offset(state.nodes[i], state.previous_offsets[i]);
    } else if (fault.kind == FaultKind::kClockDrift) {
      world_.set_clock_drift(state.nodes[i], state.previous_drifts[i]);
    }
  }
  if (fault.kind == FaultKind::kClockJump) {
    finish(index, absl::StrCat(", over after ", lasted(index), " (a jump is not undone)"));
  } else {
    finish(index, absl::StrCat(", reverted after ", lasted(index)));
  }
}

}  // namespace electsim::faults
