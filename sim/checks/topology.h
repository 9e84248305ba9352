// How the checks see the shape of the world (internal to sim/checks): which group and host each
// process belongs to, which processes a host runs, and the names violations use. Process records
// name processes; host records (crash, restart, pause, resume, clock and link changes) name hosts,
// and reach the processes of that host through here (sim/layout.h).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "sim/layout.h"
#include "sim/trace.h"

namespace electsim::sim::checks {

// Records that name a host in `node` (and `peer`, for a link change).
inline constexpr KindMask kHostRecordKinds =
    mask_of(RecordKind::kCrash) | mask_of(RecordKind::kRestart) | mask_of(RecordKind::kPause) |
    mask_of(RecordKind::kResume) | mask_of(RecordKind::kClockChange) |
    mask_of(RecordKind::kLinkChange);
inline bool is_host_record(RecordKind kind) { return (kHostRecordKinds & mask_of(kind)) != 0; }

class Topology {
 public:
  explicit Topology(std::shared_ptr<const Layout> layout);

  const Layout& layout() const { return *layout_; }
  const std::shared_ptr<const Layout>& layout_pointer() const { return layout_; }
  // One group whose member i runs on host i and nothing else: names keep their classic "n2".
  bool single_group() const { return single_group_; }
  uint32_t processes() const { return layout_->processes(); }
  uint32_t hosts() const { return layout_->hosts(); }
  uint32_t groups() const { return layout_->groups(); }
  GroupId group_of(ProcessId process) const { return layout_->process(process).group; }
  HostId host_of(ProcessId process) const { return layout_->process(process).host; }
  bool is_member(ProcessId process) const {
    return layout_->process(process).kind == ProcessKind::kMember;
  }
  std::span<const ProcessId> on_host(HostId host) const { return layout_->on_host(host); }
  std::span<const ProcessId> members(GroupId group) const { return layout_->members(group); }

  // "n2" in a single group, else "g7.n2", "s1", "c4".
  std::string process_name(ProcessId process) const;
  // "n2" in a single group (host i runs process i), else "h3".
  std::string host_name(HostId host) const;
  // "n1 and n2", "g7.n1, g7.n2 and g7.n3".
  std::string process_names(std::span<const ProcessId> processes) const;

 private:
  std::shared_ptr<const Layout> layout_;
  bool single_group_;
};

}  // namespace electsim::sim::checks
