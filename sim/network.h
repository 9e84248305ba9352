// The virtual network: a directed Boost.Graph over nodes whose edges carry link properties
// (DESIGN.md, "Network"). Partitions are edge states, so any shape is possible; graph algorithms
// answer the questions checks and faults ask ("is a quorum connected now?").
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include <boost/graph/adjacency_matrix.hpp>

#include "sim/prng.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::sim {

struct LatencyModel {
  enum class Kind : uint8_t { kConstant, kUniform, kNormal, kExponential };
  Kind kind = Kind::kConstant;
  Duration a = Duration::milliseconds(1);  // constant value, uniform lo, normal mean, exp mean
  Duration b;                              // uniform hi, normal stddev
  Duration min;                            // normal: draws below are clamped here; exp: added

  static LatencyModel constant(Duration value) { return {Kind::kConstant, value, {}, {}}; }
  static LatencyModel uniform(Duration lo, Duration hi) { return {Kind::kUniform, lo, hi, {}}; }
  static LatencyModel normal(Duration mean, Duration stddev, Duration min) {
    return {Kind::kNormal, mean, stddev, min};
  }
  static LatencyModel exponential(Duration mean, Duration min) {
    return {Kind::kExponential, mean, {}, min};
  }
  Duration draw(Rng& rng) const {
    if (kind == Kind::kConstant) return a;  // the common case, inline
    return draw_random(rng);
  }
  Duration draw_random(Rng& rng) const;
};

struct Link {
  LatencyModel latency;
  Ratio loss;
  Ratio duplication;
  bool may_reorder = false;  // when false, delivery on this link is FIFO
  bool up = true;
  // Degradations layered on by faults (faults/ owns their meaning; the kernel applies them).
  LatencyModel extra_latency = LatencyModel::constant(Duration::zero());
  Instant clogged_until;     // messages sent before this are held until it
  // Kernel bookkeeping for FIFO links: the latest delivery time scheduled so far.
  Instant last_delivery;
};

class Network {
 public:
  using Graph = boost::adjacency_matrix<boost::directedS, boost::no_property, Link>;

  explicit Network(uint32_t nodes, const Link& every_link = Link{});
  // links_ points into graph_, so a copy would point into the wrong graph.
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  uint32_t size() const { return size_; }
  // O(1): a flat table of the graph's edge properties, which never move after construction.
  Link& link(NodeId from, NodeId to) {
    SIM_CHECK(from < size_ && to < size_ && from != to, "no such link");
    return *links_[static_cast<size_t>(from) * size_ + to];
  }
  const Link& link(NodeId from, NodeId to) const {
    SIM_CHECK(from < size_ && to < size_ && from != to, "no such link");
    return *links_[static_cast<size_t>(from) * size_ + to];
  }
  bool is_up(NodeId from, NodeId to) const { return from == to || link(from, to).up; }

  // Cuts or restores every listed directed link; returns how many changed state.
  int set_links(std::span<const std::pair<NodeId, NodeId>> links, bool up);
  // Restores every link.
  void heal_all();

  // Graph queries, over the links that are up (and, if given, among the nodes in `alive`).
  // Strongly connected groups, each sorted, ordered by their smallest member.
  std::vector<std::vector<NodeId>> strongly_connected_groups() const;
  // Every node that `from` can reach over up links (itself included), sorted.
  std::vector<NodeId> reachable_from(NodeId from) const;
  // True if some majority of all nodes can reach each other (both ways, possibly via others).
  bool majority_connected() const;
  // True if every pair of `nodes` has direct links both ways (a clique of two-way links), as
  // a leader needs to reach its followers without relays.
  bool directly_connected(std::span<const NodeId> nodes) const;

  const Graph& graph() const { return graph_; }

 private:
  uint32_t size_;
  Graph graph_;
  std::vector<Link*> links_;  // [from * size_ + to], null on the diagonal
};

}  // namespace electsim::sim
