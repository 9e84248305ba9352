#include "sim/layout.h"

#include "absl/strings/str_cat.h"
#include "sim/check.h"

namespace electsim::sim {

std::string_view process_kind_name(ProcessKind kind) {
  switch (kind) {
    case ProcessKind::kMember: return "member";
    case ProcessKind::kService: return "service";
    case ProcessKind::kResource: return "resource";
    case ProcessKind::kClient: return "client";
  }
  return "unknown";
}

Layout Layout::single_group(uint32_t nodes) {
  Layout layout;
  const GroupId group = layout.add_group();
  for (uint32_t i = 0; i < nodes; ++i) layout.add_process(ProcessKind::kMember, layout.add_host(), group);
  return layout;
}

HostId Layout::add_host() {
  on_host_.emplace_back();
  return hosts_++;
}

GroupId Layout::add_group() {
  members_.emplace_back();
  return static_cast<GroupId>(members_.size() - 1);
}

ProcessId Layout::add_process(ProcessKind kind, HostId host, GroupId group) {
  SIM_CHECK(host < hosts_, "process on an unknown host");
  SIM_CHECK(processes_.size() < kMaxProcesses, "too many processes");
  const bool member = kind == ProcessKind::kMember;
  SIM_CHECK(member == (group != kNoGroup), "members, and only members, belong to a group");
  SIM_CHECK(!member || group < members_.size(), "member of an unknown group");
  const auto id = static_cast<ProcessId>(processes_.size());
  auto& same_kind = of_kind_[static_cast<size_t>(kind)];
  const uint32_t index = member ? static_cast<uint32_t>(members_[group].size())
                                : static_cast<uint32_t>(same_kind.size());
  const bool first_resource_after_members = kind == ProcessKind::kResource && same_kind.empty() &&
                                            !members_.empty() && !members_[0].empty();
  const bool member_before_resource = member && group == 0 &&
                                      of_kind_[static_cast<size_t>(ProcessKind::kResource)].empty();
  if (host != id || !(member_before_resource || first_resource_after_members)) classic_ = false;
  processes_.push_back(ProcessSpec{kind, host, group, index});
  if (member) members_[group].push_back(id);
  on_host_[host].push_back(id);
  same_kind.push_back(id);
  return id;
}

std::string Layout::host_name(HostId host) const {
  if (is_single_group() && host < processes_.size()) return process_name(host);
  return absl::StrCat("h", host + 1);
}

std::string Layout::group_name(GroupId group) { return absl::StrCat("g", group + 1); }

std::string Layout::process_name(ProcessId process) const {
  const ProcessSpec& spec = processes_[process];
  const uint32_t index = spec.index + 1;
  switch (spec.kind) {
    case ProcessKind::kMember:
      return is_single_group() ? absl::StrCat("n", index) : absl::StrCat(group_name(spec.group), ".n", index);
    case ProcessKind::kService: return absl::StrCat("s", index);
    case ProcessKind::kResource: return absl::StrCat("r", index);
    case ProcessKind::kClient: return absl::StrCat("c", index);
  }
  return absl::StrCat("?", index);
}

}  // namespace electsim::sim
