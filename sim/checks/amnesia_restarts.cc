#include "absl/strings/str_cat.h"
#include "sim/checks/support_checks.h"

namespace electsim::sim::checks {

void AmnesiaRestarts::note(const Topology& topology, const TraceRecord& restart) {
  SIM_CHECK(restart.kind == RecordKind::kRestart, "an amnesia note from a record not a restart");
  SIM_CHECK_LT(restart.node, topology.hosts(), "restart of a host outside the layout");
  if (restart.a != 1) return;  // the processes kept their durable state
  for (ProcessId process : topology.on_host(restart.node)) last_[process] = restart.time;
}

std::string AmnesiaRestarts::since(ProcessId process, Instant since) const {
  const std::optional<Instant>& last = last_[process];
  if (!last || *last < since) return "";
  return absl::StrCat("; it lost its durable state in an amnesia restart at ",
                      format_instant_readable(*last));
}

std::string AmnesiaRestarts::latest_among(const Topology& topology,
                                          std::span<const ProcessId> processes) const {
  std::optional<ProcessId> latest;
  for (ProcessId process : processes) {
    if (last_[process] && (!latest || *last_[process] > *last_[*latest])) latest = process;
  }
  if (!latest) return "";
  return absl::StrCat("; ", topology.process_name(*latest),
                      " lost its durable state in an amnesia restart at ",
                      format_instant_readable(*last_[*latest]));
}

}  // namespace electsim::sim::checks
