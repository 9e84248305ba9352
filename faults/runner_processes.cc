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
        in_force_[index].incarnations.push_back(world_.incarnation(node));
        crashed_at_[node] = world_.now();
        break;
      case FaultKind::kRestart:
        world_.restart(node, fault.amnesia);
        break;
      default:
        world_.pause(node);
        in_force_[index].incarnations.push_back(++pauses_[node]);
        paused_at_[node] = world_.now();
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
  if (fault.kind != FaultKind::kPause) {
    end_crash(index);
    return;
  }
  end_pause(index);
}

void FaultRunner::end_pause(size_t index) {
  const InForce& in_force = in_force_[index];
  SIM_CHECK(in_force.incarnations.size() == in_force.nodes.size(), "one pause count per node");
  std::vector<NodeId> resumed;
  std::vector<NodeId> left;
  std::vector<std::string> reasons;  // why each node in `left` was not resumed
  for (size_t i = 0; i < in_force.nodes.size(); ++i) {
    const NodeId node = in_force.nodes[i];
    if (pauses_[node] != in_force.incarnations[i]) {
      left.push_back(node);  // a later pause owns the node now: its own resume is due later
      reasons.push_back(absl::StrCat(node_name(node), " paused again at ",
                                     sim::format_instant_readable(paused_at_[node])));
      continue;
    }
    // A node that something else crashed meanwhile is left as it is: World::resume does
    // nothing to a node that is not paused.
    world_.resume(node);
    resumed.push_back(node);
  }
  const std::string after = absl::StrCat(" after ", lasted(index));
  const std::string why = absl::StrJoin(reasons, ", ");
  if (left.empty()) {
    finish(index, absl::StrCat(" for ", lasted(index)));
  } else if (resumed.empty()) {
    finish(index, absl::StrCat(", resume", after, " skipped: ", why));
  } else {
    finish(index, absl::StrCat(" for ", lasted(index), ", resumed ", node_names(resumed),
                               ", resume of ", node_names(left), " skipped: ", why));
  }
}

void FaultRunner::end_crash(size_t index) {
  const InForce& in_force = in_force_[index];
  SIM_CHECK(in_force.incarnations.size() == in_force.nodes.size(),
            "one incarnation per crashed node");
  const bool amnesia = plan_[index].kind == FaultKind::kAmnesiaCrash;
  std::vector<NodeId> restarted;
  std::vector<NodeId> left;
  std::vector<std::string> reasons;  // why each node in `left` was not restarted
  for (size_t i = 0; i < in_force.nodes.size(); ++i) {
    const NodeId node = in_force.nodes[i];
    // A later crash owns the node now, even if it is down: its own restart is due later.
    if (world_.incarnation(node) != in_force.incarnations[i]) {
      left.push_back(node);
      reasons.push_back(absl::StrCat(node_name(node), " crashed again at ",
                                     sim::format_instant_readable(crashed_at_[node])));
    } else if (world_.status(node) != sim::NodeStatus::kDown) {
      left.push_back(node);  // restarted early by something else
      reasons.push_back(absl::StrCat(node_name(node), " is not down"));
    } else {
      world_.restart(node, amnesia);
      restarted.push_back(node);
    }
  }
  fired_of(index).restart_skipped = !left.empty();
  const std::string restart = amnesia ? "restart with nothing" : "restart";
  const std::string restarted_words = amnesia ? "restarted with nothing" : "restarted";
  const std::string after = absl::StrCat(" after ", lasted(index));
  const std::string why = absl::StrJoin(reasons, ", ");
  if (left.empty()) {
    finish(index, absl::StrCat(", ", restarted_words, after));
  } else if (restarted.empty()) {
    finish(index, absl::StrCat(", ", restart, after, " skipped: ", why));
  } else {
    finish(index, absl::StrCat(", ", restarted_words, " ", node_names(restarted), after, ", ",
                               restart, " of ", node_names(left), " skipped: ", why));
  }
}

}  // namespace electsim::faults
