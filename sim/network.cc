#include "sim/network.h"

#include <algorithm>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/strong_components.hpp>

namespace electsim::sim {
namespace {

// Keeps only the edges whose link is up.
struct UpLinks {
  const Network::Graph* graph = nullptr;
  bool operator()(Network::Graph::edge_descriptor edge) const { return (*graph)[edge].up; }
};

}  // namespace

Duration LatencyModel::draw_random(Rng& rng) const {
  switch (kind) {
    case Kind::kConstant:
      return a;
    case Kind::kUniform:
      return rng.uniform(a, b);
    case Kind::kNormal:
      return rng.normal_clamped(a, b, min);
    case Kind::kExponential:
      return min + rng.exponential(a);
  }
  SIM_CHECK(false, "unknown latency kind");
  return a;
}

Network::Network(uint32_t nodes, const Link& every_link) : size_(nodes), graph_(nodes) {
  for (NodeId from = 0; from < nodes; ++from) {
    for (NodeId to = 0; to < nodes; ++to) {
      if (from != to) boost::add_edge(from, to, every_link, graph_);
    }
  }
  links_.assign(static_cast<size_t>(nodes) * nodes, nullptr);
  for (NodeId from = 0; from < nodes; ++from) {
    for (NodeId to = 0; to < nodes; ++to) {
      if (from != to) {
        links_[static_cast<size_t>(from) * nodes + to] =
            &graph_[boost::edge(from, to, graph_).first];
      }
    }
  }
}

int Network::set_links(std::span<const std::pair<NodeId, NodeId>> links, bool up) {
  int changed = 0;
  for (const auto& [from, to] : links) {
    Link& l = link(from, to);
    if (l.up != up) ++changed;
    l.up = up;
  }
  return changed;
}

void Network::heal_all() {
  for (NodeId from = 0; from < size_; ++from)
    for (NodeId to = 0; to < size_; ++to)
      if (from != to) link(from, to).up = true;
}

std::vector<std::vector<NodeId>> Network::strongly_connected_groups() const {
  const boost::filtered_graph<Graph, UpLinks> up(graph_, UpLinks{&graph_});
  std::vector<int> component(size_);
  const int count = boost::strong_components(
      up, boost::make_iterator_property_map(component.begin(),
                                            boost::get(boost::vertex_index, up)));
  std::vector<std::vector<NodeId>> groups(static_cast<size_t>(count));
  for (NodeId node = 0; node < size_; ++node)
    groups[static_cast<size_t>(component[node])].push_back(node);
  std::sort(groups.begin(), groups.end());  // members are ascending, so this orders by minimum
  return groups;
}

std::vector<NodeId> Network::reachable_from(NodeId from) const {
  SIM_CHECK(from < size_, "no such node");
  const boost::filtered_graph<Graph, UpLinks> up(graph_, UpLinks{&graph_});
  std::vector<boost::default_color_type> colors(size_, boost::white_color);
  auto color_map =
      boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, up));
  boost::breadth_first_visit(up, from, boost::color_map(color_map));
  std::vector<NodeId> reached;
  for (NodeId node = 0; node < size_; ++node)
    if (colors[node] != boost::white_color) reached.push_back(node);
  return reached;
}

bool Network::majority_connected() const {
  for (const auto& group : strongly_connected_groups())
    if (group.size() * 2 > size_) return true;
  return false;
}

bool Network::directly_connected(std::span<const NodeId> nodes) const {
  for (NodeId a : nodes)
    for (NodeId b : nodes)
      if (a != b && !link(a, b).up) return false;
  return true;
}

}  // namespace electsim::sim
