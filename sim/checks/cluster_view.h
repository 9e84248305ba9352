// What the trace says about every process right now: up, down or paused (as its host is), and
// what it last reported about leadership (internal to sim/checks). The world holds the same facts, but the checks
// rebuild them from the trace alone, so they judge exactly what was recorded.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "sim/checks/topology.h"
#include "sim/trace.h"

namespace electsim::sim::checks {

enum class NodeState : uint8_t { kUp, kDown, kPaused };
enum class NodeRole : uint8_t { kNone, kFollower, kLeader };

struct NodeView {
  NodeState state = NodeState::kUp;  // every node boots at true time zero without a record
  NodeRole role = NodeRole::kNone;
  uint64_t epoch = 0;                // of the last leadership report
  NodeId leader = kNoNode;           // whom it follows (itself when it leads)
};

class ClusterView {
 public:
  explicit ClusterView(std::shared_ptr<const Topology> topology)
      : topology_(std::move(topology)), nodes_(topology_->processes()) {}

  // The kinds apply() understands: host status and leadership reports.
  static KindMask kinds();
  // Updates the view; records of other kinds are ignored. A host's status reaches every process
  // on it: O(processes on the host).
  void apply(const TraceRecord& record);

  uint32_t size() const { return static_cast<uint32_t>(nodes_.size()); }
  const NodeView& node(NodeId id) const { return nodes_[id]; }
  bool is_leading(NodeId id) const {
    return nodes_[id].state != NodeState::kDown && nodes_[id].role == NodeRole::kLeader;
  }

 private:
  void apply_status(NodeView& view, RecordKind kind);

  std::shared_ptr<const Topology> topology_;
  std::vector<NodeView> nodes_;
};

}  // namespace electsim::sim::checks
