#include "sim/checks/link_model.h"

#include <algorithm>
#include <utility>

#include "sim/check.h"

namespace electsim::sim::checks {

LinkModel::LinkModel(std::shared_ptr<const Topology> topology, ProgressModel model)
    : topology_(std::move(topology)),
      model_(model),
      host_alive_(topology_->hosts(), 1),
      services_on_host_(topology_->hosts(), 0),
      neighbours_(topology_->processes(), 0),
      alive_neighbours_(topology_->processes(), 0),
      reachable_services_(topology_->processes(), 0),
      qualifying_(topology_->groups(), 0) {
  const Layout& layout = topology_->layout();
  const auto services = layout.of_kind(ProcessKind::kService);
  for (ProcessId service : services) ++services_on_host_[topology_->host_of(service)];
  // Every link starts up and every host alive: each member reaches its whole group and every
  // service.
  for (GroupId group = 0; group < topology_->groups(); ++group) {
    const auto members = topology_->members(group);
    for (ProcessId member : members) {
      neighbours_[member] = static_cast<uint32_t>(members.size()) - 1;
      alive_neighbours_[member] = neighbours_[member];
      reachable_services_[member] = static_cast<uint32_t>(services.size());
      if (qualifies(member)) ++qualifying_[group];
    }
  }
}

LinkModel::LinkModel(uint32_t nodes)
    : LinkModel(std::make_shared<const Topology>(
                    std::make_shared<const Layout>(Layout::single_group(nodes))),
                ProgressModel::kGroupMajority) {}

bool LinkModel::qualifies(ProcessId member) const {
  if (!alive(member)) return false;
  switch (model_) {
    case ProgressModel::kGroupMajority:
      return alive_neighbours_[member] + 1 >= majority(topology_->group_of(member));
    case ProgressModel::kServiceReachable:
      return reachable_services_[member] > 0;
    case ProgressModel::kNone:
      return true;
  }
  return false;
}

template <class Change>
void LinkModel::update_member(ProcessId member, Change change) {
  const bool before = qualifies(member);
  change();
  const bool after = qualifies(member);
  uint32_t& qualifying = qualifying_[topology_->group_of(member)];
  if (before != after) qualifying = after ? qualifying + 1 : qualifying - 1;
}

namespace {

uint32_t moved(uint32_t count, int delta) {
  SIM_CHECK(delta >= 0 || count >= static_cast<uint32_t>(-delta), "link model count underflow");
  return static_cast<uint32_t>(static_cast<int64_t>(count) + delta);
}

}  // namespace

void LinkModel::link_two_way_changed(HostId a, HostId b, bool now_two_way) {
  const int delta = now_two_way ? 1 : -1;
  for (ProcessId p : topology_->on_host(a)) {
    if (!topology_->is_member(p)) continue;
    for (ProcessId q : topology_->members(topology_->group_of(p))) {
      if (topology_->host_of(q) != b) continue;
      update_member(p, [&] {
        neighbours_[p] = moved(neighbours_[p], delta);
        if (alive(q)) alive_neighbours_[p] = moved(alive_neighbours_[p], delta);
      });
      update_member(q, [&] {
        neighbours_[q] = moved(neighbours_[q], delta);
        if (alive(p)) alive_neighbours_[q] = moved(alive_neighbours_[q], delta);
      });
    }
  }
  if (model_ != ProgressModel::kServiceReachable) return;
  for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
    if (!host_alive(to) || services_on_host_[to] == 0) continue;
    const int services = delta * static_cast<int>(services_on_host_[to]);
    for (ProcessId p : topology_->on_host(from)) {
      if (!topology_->is_member(p)) continue;
      update_member(p, [&] { reachable_services_[p] = moved(reachable_services_[p], services); });
    }
  }
}

void LinkModel::set_link(HostId from, HostId to, bool up) {
  SIM_CHECK(from < topology_->hosts() && to < topology_->hosts() && from != to,
            "link change for an unknown link");
  if (is_up(from, to) == up) return;
  const bool was_two_way = two_way(from, to);
  if (up) {
    down_.erase(key(from, to));
  } else {
    down_.insert(key(from, to));
  }
  const bool is_two_way = two_way(from, to);
  if (was_two_way != is_two_way) link_two_way_changed(from, to, is_two_way);
}

void LinkModel::set_alive(HostId host, bool alive) {
  SIM_CHECK_LT(host, topology_->hosts(), "status change for an unknown host");
  if (host_alive(host) == alive) return;
  const auto on_host = topology_->on_host(host);
  for (ProcessId p : on_host) {
    if (topology_->is_member(p) && qualifies(p)) --qualifying_[topology_->group_of(p)];
  }
  host_alive_[host] = alive ? 1 : 0;
  for (ProcessId p : on_host) {
    if (topology_->is_member(p) && qualifies(p)) ++qualifying_[topology_->group_of(p)];
  }
  const int delta = alive ? 1 : -1;
  for (ProcessId p : on_host) {
    if (!topology_->is_member(p)) continue;
    for (ProcessId q : topology_->members(topology_->group_of(p))) {
      if (q == p || !two_way(host, topology_->host_of(q))) continue;
      update_member(q, [&] { alive_neighbours_[q] = moved(alive_neighbours_[q], delta); });
    }
  }
  if (model_ != ProgressModel::kServiceReachable || services_on_host_[host] == 0) return;
  // A service host's status reaches every member that links to it: O(members), and only for
  // the service-based algorithms.
  const int services = delta * static_cast<int>(services_on_host_[host]);
  for (ProcessId member : topology_->layout().of_kind(ProcessKind::kMember)) {
    if (!two_way(host, topology_->host_of(member))) continue;
    update_member(member,
                  [&] { reachable_services_[member] = moved(reachable_services_[member], services); });
  }
}

bool LinkModel::quorum_available(GroupId group) const {
  SIM_CHECK_LT(group, qualifying_.size(), "quorum of an unknown group");
  return qualifying_[group] > 0;
}

std::vector<NodeId> LinkModel::quorum(GroupId group) const {
  std::vector<NodeId> found;
  const auto members = topology_->members(group);
  for (ProcessId center : members) {
    if (!qualifies(center)) continue;
    if (model_ != ProgressModel::kGroupMajority) {
      found.push_back(center);
      continue;
    }
    for (ProcessId other : members) {
      if (other == center || (alive(other) && processes_two_way(center, other))) {
        found.push_back(other);
      }
    }
    return found;
  }
  return found;
}

}  // namespace electsim::sim::checks
