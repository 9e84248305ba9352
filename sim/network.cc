#include "sim/network.h"

#include <algorithm>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>

namespace electsim::sim {
namespace {

using UpGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// The links that are up, as a graph built for one question.
UpGraph up_graph(const Network& network) {
  UpGraph graph(network.size());
  for (HostId from = 0; from < network.size(); ++from)
    for (HostId to = 0; to < network.size(); ++to)
      if (from != to && network.link(from, to).up) boost::add_edge(from, to, graph);
  return graph;
}

}  // namespace

Duration LatencyModel::draw_random(Rng& rng) const {
  switch (kind) {
    case Kind::kConstant:
      return a;
    case Kind::kUniform:
      return rng.uniform(a, b);
    case Kind::kNormal:
      return redraw_below_min ? rng.normal_redrawn(a, b, min) : rng.normal_clamped(a, b, min);
    case Kind::kExponential:
      return min + rng.exponential(a);
  }
  SIM_CHECK(false, "unknown latency kind");
  return a;
}

Network::Network(uint32_t hosts, const Link& default_link)
    : size_(hosts), default_link_(default_link) {
  if (hosts <= kDenseHosts) dense_.assign(static_cast<size_t>(hosts) * hosts, default_link);
}

int Network::set_links(std::span<const std::pair<HostId, HostId>> links, bool up) {
  int changed = 0;
  for (const auto& [from, to] : links) {
    Link& l = link(from, to);
    if (l.up != up) ++changed;
    l.up = up;
  }
  return changed;
}

void Network::heal_all() {
  for (const auto& [from, to] : down_links()) link(from, to).up = true;
}

std::vector<std::pair<HostId, HostId>> Network::down_links() const {
  std::vector<std::pair<HostId, HostId>> down;
  if (!dense_.empty()) {
    for (HostId from = 0; from < size_; ++from)
      for (HostId to = 0; to < size_; ++to)
        if (from != to && !link(from, to).up) down.emplace_back(from, to);
    return down;
  }
  for (uint64_t key : sparse_keys_) {
    const auto from = static_cast<HostId>(key >> 32);
    const auto to = static_cast<HostId>(key);
    if (!link(from, to).up) down.emplace_back(from, to);
  }
  std::sort(down.begin(), down.end());
  return down;
}

Link& Network::sparse_link(HostId from, HostId to) {
  const uint64_t key = pair_key(from, to);
  auto [it, inserted] = sparse_.try_emplace(key, default_link_);
  if (inserted) sparse_keys_.push_back(key);
  return it->second;
}

std::vector<std::vector<HostId>> Network::strongly_connected_groups() const {
  const UpGraph up = up_graph(*this);
  std::vector<int> component(size_);
  const int count = boost::strong_components(
      up, boost::make_iterator_property_map(component.begin(),
                                            boost::get(boost::vertex_index, up)));
  std::vector<std::vector<HostId>> groups(static_cast<size_t>(count));
  for (HostId host = 0; host < size_; ++host)
    groups[static_cast<size_t>(component[host])].push_back(host);
  std::sort(groups.begin(), groups.end());  // members are ascending, so this orders by minimum
  return groups;
}

std::vector<HostId> Network::reachable_from(HostId from) const {
  SIM_CHECK(from < size_, "no such host");
  const UpGraph up = up_graph(*this);
  std::vector<boost::default_color_type> colors(size_, boost::white_color);
  auto color_map =
      boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, up));
  boost::breadth_first_visit(up, from, boost::color_map(color_map));
  std::vector<HostId> reached;
  for (HostId host = 0; host < size_; ++host)
    if (colors[host] != boost::white_color) reached.push_back(host);
  return reached;
}

bool Network::majority_connected() const {
  for (const auto& group : strongly_connected_groups())
    if (group.size() * 2 > size_) return true;
  return false;
}

bool Network::directly_connected(std::span<const HostId> hosts) const {
  for (HostId a : hosts)
    for (HostId b : hosts)
      if (a != b && !link(a, b).up) return false;
  return true;
}

}  // namespace electsim::sim
