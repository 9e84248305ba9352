// Process faults: crash-stop, crash-restart with or without durable state, restart, pause.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "faults/describe.h"
#include "faults/runner.h"

namespace electsim::faults {
namespace {

// Whether the fault changes a node in this state (a crash of a node that is down does nothing).
bool changes(FaultKind kind, sim::NodeStatus status) {
  switch (kind) {
    case FaultKind::kCrash:
    case FaultKind::kAmnesiaCrash:
      return status != sim::NodeStatus::kDown;
    case FaultKind::kRestart:
      return status == sim::NodeStatus::kDown;
    case FaultKind::kPause:
      return status == sim::NodeStatus::kUp;
    default:
      return false;
  }
}

const char* unchanged_because(FaultKind kind) {
  switch (kind) {
    case FaultKind::kRestart:
      return "not down";
    case FaultKind::kPause:
      return "not running";
    default:
      return "already down";
  }
}

const char* verb(FaultKind kind) {
  switch (kind) {
    case FaultKind::kCrash:
      return "crash";
    case FaultKind::kAmnesiaCrash:
      return "amnesia crash";
    case FaultKind::kRestart:
      return "restart";
    default:
      return "pause";
  }
}

}  // namespace

bool FaultRunner::fire_process(size_t index, TargetResolver& resolver, FiredFault& fired) {
  const Fault& fault = plan_[index];
  std::vector<NodeId> named;
  if (!resolver.resolve(fault.targets, &named)) return false;
  std::sort(named.begin(), named.end());
  std::vector<NodeId> hit;
  std::vector<std::string> who;  // named before acting, while their roles still show
  for (NodeId node : named) {
    if (!changes(fault.kind, world_.status(node))) continue;
    hit.push_back(node);
    who.push_back(node_with_role(world_, node));
  }
  if (hit.empty()) {
    return resolver.fail(absl::StrCat(node_names(named), " ", named.size() == 1 ? "is" : "are", " ",
                                      unchanged_because(fault.kind)));
  }
  in_force_[index].nodes = hit;
  fired.nodes = hit;
  fired.effect = absl::StrCat(verb(fault.kind), " ", absl::StrJoin(who, ", "));
  begin(index, hit);
  for (NodeId node : hit) {
    switch (fault.kind) {
      case FaultKind::kCrash:
      case FaultKind::kAmnesiaCrash:
        world_.crash(node);
        break;
      case FaultKind::kRestart:
        world_.restart(node, fault.amnesia);
        break;
      default:
        world_.pause(node);
        break;
    }
  }
  if (fault.kind == FaultKind::kRestart) {
    finish(index, fault.amnesia ? " with nothing (amnesia)" : " with its durable state");
    return true;
  }
  if (!durations_[index]) {
    fired.effect += fault.kind == FaultKind::kPause ? ", never resumed" : ", never restarted";
  }
  schedule_end(index);
  return true;
}

void FaultRunner::end_process(size_t index) {
  const Fault& fault = plan_[index];
  // A node that something else restarted (or crashed, while paused) meanwhile is left as it is:
  // World::restart and World::resume do nothing to a node in the wrong state.
  for (NodeId node : in_force_[index].nodes) {
    if (fault.kind == FaultKind::kPause) {
      world_.resume(node);
    } else {
      world_.restart(node, fault.kind == FaultKind::kAmnesiaCrash);
    }
  }
  switch (fault.kind) {
    case FaultKind::kPause:
      finish(index, absl::StrCat(" for ", lasted(index)));
      return;
    case FaultKind::kAmnesiaCrash:
      finish(index, absl::StrCat(", restarted with nothing after ", lasted(index)));
      return;
    default:
      finish(index, absl::StrCat(", restarted after ", lasted(index)));
      return;
  }
}

}  // namespace electsim::faults
