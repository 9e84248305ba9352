// The shape of a world (DESIGN.md, "Hosts and processes", "Election groups"): the hosts (machines
// with a clock, a status and a place in the network), the processes that run on them (algorithm
// instances of a kind), and the election groups that members belong to.
//
// Ids are dense and zero-based: host 0 is "h1", group 0 is "g1". A process's id is what sends
// and receives messages, and what the trace calls `node` for process records; host records
// (crash, restart, pause, resume, clock, link) name hosts. With one group of N members on N hosts
// (`cluster: {nodes: N}`), process i runs on host i, so both read "n<i+1>" as before.
//
// Only a group's members count in its majority: service, resource and client processes never do.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/trace.h"

namespace electsim::sim {

using HostId = uint32_t;
using ProcessId = NodeId;
inline constexpr HostId kNoHost = UINT32_MAX;

// The limits a scenario is checked against (scenarios/budget.h reports them as errors).
inline constexpr uint32_t kMaxProcesses = 10'000;
inline constexpr uint32_t kMaxHosts = 10'000;

enum class ProcessKind : uint8_t {
  kMember,    // a member of an election group: votes, may lead
  kService,   // a replica of the coordination service (ZooKeeper, etcd, the Kubernetes API)
  kResource,  // the fenced resource that leaders write to
  kClient,    // sends requests, never votes
};
inline constexpr ProcessKind kAllProcessKinds[] = {ProcessKind::kMember, ProcessKind::kService,
                                                   ProcessKind::kResource, ProcessKind::kClient};
std::string_view process_kind_name(ProcessKind kind);  // "member", "service", ...

struct ProcessSpec {
  ProcessKind kind = ProcessKind::kMember;
  HostId host = 0;
  GroupId group = kNoGroup;   // kNoGroup for services, the resource and clients
  uint32_t index = 0;         // position among its group's members, or among its kind
};

class Layout {
 public:
  Layout() = default;
  // `nodes` hosts and one group of `nodes` members, process i on host i.
  static Layout single_group(uint32_t nodes);

  HostId add_host();
  GroupId add_group();
  // Members must be added in group order within each group; returns the new process's id.
  ProcessId add_process(ProcessKind kind, HostId host, GroupId group = kNoGroup);

  uint32_t hosts() const { return hosts_; }
  uint32_t processes() const { return static_cast<uint32_t>(processes_.size()); }
  uint32_t groups() const { return static_cast<uint32_t>(members_.size()); }
  const ProcessSpec& process(ProcessId id) const { return processes_[id]; }
  // A group's members, in process-id order (their index order).
  std::span<const ProcessId> members(GroupId group) const { return members_[group]; }
  uint32_t majority(GroupId group) const {
    return static_cast<uint32_t>(members_[group].size()) / 2 + 1;
  }
  // The processes a host runs, in process-id order.
  std::span<const ProcessId> on_host(HostId host) const { return on_host_[host]; }
  // The processes of one kind, in process-id order.
  std::span<const ProcessId> of_kind(ProcessKind kind) const {
    return of_kind_[static_cast<size_t>(kind)];
  }
  // True when the layout is the classic one: one group whose member i runs on host i, and at
  // most the fenced resource beside it, alone on the host after the members'. Names, reports and
  // the trace keep their single-cluster forms then. O(1): kept up to date as hosts, groups and
  // processes are added.
  bool is_single_group() const {
    return classic_ && members_.size() == 1 && processes_.size() == hosts_;
  }

  // "h3"; in a single-group layout a host is named after the process it runs: "n3", and "r1"
  // for the resource's own host.
  std::string host_name(HostId host) const;
  std::string process_name(ProcessId process) const;
  static std::string group_name(GroupId group);  // "g7"

 private:
  uint32_t hosts_ = 0;
  // Every process so far is a member of group 0 on the host of its id, or the one resource on
  // the host of its id after them.
  bool classic_ = true;
  std::vector<ProcessSpec> processes_;
  std::vector<std::vector<ProcessId>> members_;
  std::vector<std::vector<ProcessId>> on_host_;
  std::vector<ProcessId> of_kind_[4];
};

}  // namespace electsim::sim
