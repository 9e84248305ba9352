#include "sim/checks/topology.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/check.h"
#include "sim/checks/check_base.h"

namespace electsim::sim::checks {

Topology::Topology(std::shared_ptr<const Layout> layout)
    : layout_(std::move(layout)), single_group_(layout_ != nullptr && layout_->is_single_group()) {
  SIM_CHECK(layout_ != nullptr && layout_->processes() > 0, "the checks need a layout");
}

std::string Topology::process_name(ProcessId process) const {
  if (process == kNoNode || process >= processes()) return node_name(process);
  if (single_group_) return node_name(process);
  const ProcessSpec& spec = layout_->process(process);
  if (spec.kind == ProcessKind::kMember) {
    return absl::StrCat(Layout::group_name(spec.group), ".n", spec.index + 1);
  }
  return layout_->process_name(process);
}

std::string Topology::host_name(HostId host) const {
  if (single_group_ || host == kNoHost) return node_name(host);
  return layout_->host_name(host);
}

std::string Topology::process_names(std::span<const ProcessId> processes) const {
  std::string text;
  for (size_t i = 0; i < processes.size(); ++i) {
    if (i > 0) text += (i + 1 == processes.size()) ? " and " : ", ";
    text += process_name(processes[i]);
  }
  return text;
}

}  // namespace electsim::sim::checks
