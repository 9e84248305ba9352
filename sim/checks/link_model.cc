#include "sim/checks/link_model.h"

#include "sim/check.h"

namespace electsim::sim::checks {

LinkModel::LinkModel(uint32_t nodes)
    : nodes_(nodes),
      up_(size_t{nodes} * nodes, 1),
      alive_(nodes, 1),
      neighbours_(nodes, nodes - 1),
      alive_neighbours_(nodes, nodes - 1) {
  SIM_CHECK(nodes > 0, "a link model needs at least one node");
  for (NodeId node = 0; node < nodes_; ++node)
    if (qualifies(node)) ++qualifying_;
}

void LinkModel::adjust_alive_neighbours(NodeId node, int delta) {
  const bool before = qualifies(node);
  SIM_CHECK(delta > 0 || alive_neighbours_[node] > 0, "alive neighbour count underflow");
  alive_neighbours_[node] = delta > 0 ? alive_neighbours_[node] + 1 : alive_neighbours_[node] - 1;
  const bool after = qualifies(node);
  if (before != after) qualifying_ = after ? qualifying_ + 1 : qualifying_ - 1;
}

void LinkModel::set_alive_flag(NodeId node, bool alive) {
  const bool before = qualifies(node);
  alive_[node] = alive ? 1 : 0;
  const bool after = qualifies(node);
  if (before != after) qualifying_ = after ? qualifying_ + 1 : qualifying_ - 1;
}

void LinkModel::set_link(NodeId from, NodeId to, bool up) {
  SIM_CHECK(from < nodes_ && to < nodes_ && from != to, "link change for an unknown link");
  if (is_up(from, to) == up) return;
  const bool was_two_way = two_way(from, to);
  up_[index(from, to)] = up ? 1 : 0;
  const bool is_two_way = two_way(from, to);
  if (was_two_way == is_two_way) return;
  const int delta = is_two_way ? 1 : -1;
  neighbours_[from] = is_two_way ? neighbours_[from] + 1 : neighbours_[from] - 1;
  neighbours_[to] = is_two_way ? neighbours_[to] + 1 : neighbours_[to] - 1;
  if (alive(to)) adjust_alive_neighbours(from, delta);
  if (alive(from)) adjust_alive_neighbours(to, delta);
}

void LinkModel::set_alive(NodeId node, bool alive) {
  SIM_CHECK(node < nodes_, "status change for an unknown node");
  if (this->alive(node) == alive) return;
  set_alive_flag(node, alive);
  for (NodeId other = 0; other < nodes_; ++other) {
    if (other != node && two_way(node, other)) adjust_alive_neighbours(other, alive ? 1 : -1);
  }
}

std::vector<NodeId> LinkModel::quorum() const {
  std::vector<NodeId> members;
  for (NodeId center = 0; center < nodes_; ++center) {
    if (!qualifies(center)) continue;
    for (NodeId other = 0; other < nodes_; ++other) {
      if (other == center || (two_way(center, other) && alive(other))) members.push_back(other);
    }
    return members;
  }
  return members;
}

}  // namespace electsim::sim::checks
