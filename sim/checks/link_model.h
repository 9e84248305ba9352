// The checks' own model of who can talk to whom (internal to sim/checks), rebuilt from
// kLinkChange records (every link starts up) and from which nodes are alive (up, not paused).
//
// "Quorum available" follows how Raft makes progress: a leader must exchange messages with a
// majority directly, since Raft has no relaying (Ongaro & Ousterhout 2014, section 5.2-5.3). So
// a quorum is available when some alive node has two-way up links to at least majority - 1 other
// alive nodes: that node and those peers are a majority it could lead. Counts are kept up to date
// per change (O(1) per link change, O(N) per status change), never recomputed from scratch.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/trace.h"

namespace electsim::sim::checks {

class LinkModel {
 public:
  explicit LinkModel(uint32_t nodes);

  uint32_t size() const { return nodes_; }
  uint32_t majority() const { return nodes_ / 2 + 1; }

  // The directed link from -> to went up or down.
  void set_link(NodeId from, NodeId to, bool up);
  // The node became alive (up and running) or not (down or paused).
  void set_alive(NodeId node, bool alive);

  bool is_up(NodeId from, NodeId to) const { return from == to || up_[index(from, to)] != 0; }
  bool two_way(NodeId a, NodeId b) const { return is_up(a, b) && is_up(b, a); }
  bool alive(NodeId node) const { return alive_[node] != 0; }
  // Other nodes with two-way up links to `node`, whether alive or not.
  uint32_t neighbours(NodeId node) const { return neighbours_[node]; }
  // Alive other nodes with two-way up links to `node`.
  uint32_t alive_neighbours(NodeId node) const { return alive_neighbours_[node]; }

  bool quorum_available() const { return qualifying_ > 0; }
  // A quorum that could elect a leader: the lowest-id qualifying node and its alive two-way
  // neighbours, sorted; empty if no quorum is available. O(N).
  std::vector<NodeId> quorum() const;

 private:
  size_t index(NodeId from, NodeId to) const { return size_t{from} * nodes_ + to; }
  bool qualifies(NodeId node) const {
    return alive(node) && alive_neighbours_[node] + 1 >= majority();
  }
  // Applies `delta` to node's alive-neighbour count, keeping qualifying_ in step.
  void adjust_alive_neighbours(NodeId node, int delta);
  void set_alive_flag(NodeId node, bool alive);

  uint32_t nodes_;
  std::vector<uint8_t> up_;          // nodes_ x nodes_, row = from
  std::vector<uint8_t> alive_;
  std::vector<uint32_t> neighbours_;
  std::vector<uint32_t> alive_neighbours_;
  uint32_t qualifying_ = 0;          // alive nodes that could lead a majority
};

}  // namespace electsim::sim::checks
