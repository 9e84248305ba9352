#include "reports/transition_log.h"

#include "absl/strings/str_cat.h"
#include "sim/layout.h"

namespace electsim::reports {
namespace {

std::string process_label(const RunResult& run, sim::NodeId node) {
  if (node == sim::kNoNode) return "none";
  const sim::Layout* layout = run.checks.layout.get();
  if (layout == nullptr || node >= layout->processes()) return absl::StrCat("n", node + 1);
  return layout->process_name(node);
}

}  // namespace

std::string transition_log(const RunResult& run) {
  std::string out = absl::StrCat("# electsim transition log: ", run.scenario, " (", run.algorithm,
                                 "), seed ", run.seed, "; reproduce: ", run.reproduce, "\n");
  for (const sim::checks::LeaderTransition& change : run.checks.transitions) {
    const std::string reason =
        change.reason ? std::string(sim::step_down_reason_name(*change.reason)) : "unresolved";
    absl::StrAppend(&out, "time=", sim::format_instant_readable(change.time),
                    " group=", sim::Layout::group_name(change.group),
                    " previous=", process_label(run, change.from),
                    " new=", process_label(run, change.to), " epoch=", change.epoch,
                    " reason=", reason, "\n");
  }
  if (run.checks.transitions_omitted > 0) {
    absl::StrAppend(&out, "# ... and ", run.checks.transitions_omitted,
                    " more changes, not kept (the run keeps the first ",
                    sim::checks::kMaxReportedTransitions, ")\n");
  }
  return out;
}

}  // namespace electsim::reports
