#include "sim/checks/cluster_view.h"

#include "sim/check.h"

namespace electsim::sim::checks {

KindMask ClusterView::kinds() {
  return mask_of(RecordKind::kCrash) | mask_of(RecordKind::kRestart) |
         mask_of(RecordKind::kPause) | mask_of(RecordKind::kResume) |
         mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kFollows) |
         mask_of(RecordKind::kSteppedDown) | mask_of(RecordKind::kLeaderLost);
}

void ClusterView::apply_status(NodeView& view, RecordKind kind) {
  switch (kind) {
    case RecordKind::kCrash:
      view.state = NodeState::kDown;
      view.role = NodeRole::kNone;  // a crashed process believes nothing
      view.leader = kNoNode;
      return;
    case RecordKind::kRestart:
      view.state = NodeState::kUp;
      view.role = NodeRole::kNone;
      view.leader = kNoNode;
      return;
    case RecordKind::kPause:
      view.state = NodeState::kPaused;
      return;
    case RecordKind::kResume:
      view.state = NodeState::kUp;
      return;
    default:
      return;
  }
}

void ClusterView::apply(const TraceRecord& record) {
  if ((kinds() & mask_of(record.kind)) == 0) return;
  if (is_host_record(record.kind)) {
    SIM_CHECK_LT(record.node, topology_->hosts(), "trace record for a host outside the layout");
    for (ProcessId process : topology_->on_host(record.node)) {
      apply_status(nodes_[process], record.kind);
    }
    return;
  }
  SIM_CHECK_LT(record.node, nodes_.size(), "trace record for a process outside the layout");
  NodeView& view = nodes_[record.node];
  switch (record.kind) {
    case RecordKind::kBecameLeader:
      view.role = NodeRole::kLeader;
      view.epoch = record.a;
      view.leader = record.node;
      return;
    case RecordKind::kFollows:
      view.role = NodeRole::kFollower;
      view.epoch = record.a;
      view.leader = record.peer;
      return;
    case RecordKind::kSteppedDown:
    case RecordKind::kLeaderLost:
      view.role = NodeRole::kNone;
      view.leader = kNoNode;
      return;
    default:
      return;
  }
}

}  // namespace electsim::sim::checks
