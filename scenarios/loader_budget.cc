// The static half of the budget (scenarios/budget.h): a scenario that would need more events
// than its budget, or more pending at once than a run may hold, is refused before it runs, at
// the timer that makes it so.
#include "absl/strings/str_cat.h"
#include "scenarios/budget.h"
#include "scenarios/loader_internal.h"

namespace electsim::scenarios::loader {
namespace {

// The smallest timer's parameter where the file (or a --set) gives it, else the duration, else
// the top of the file.
Cursor budget_site(const Reader& reader, const Cursor& top, const std::string& timer_name) {
  if (auto algorithm = reader.find(top, "algorithm")) {
    if (auto params = reader.find(*algorithm, "params")) {
      if (auto timer = reader.find(*params, timer_name)) return *timer;
    }
  }
  if (auto duration = reader.find(top, "duration")) return *duration;
  return top;
}

std::string what_it_runs(const Scenario& scenario, const BudgetEstimate& estimate) {
  const sim::Layout& layout = scenario.layout;
  const std::string where =
      layout.is_single_group()
          ? absl::StrCat(scenario.nodes, scenario.nodes == 1 ? " node" : " nodes")
          : absl::StrCat(layout.groups(), layout.groups() == 1 ? " group" : " groups", " on ",
                         layout.hosts(), layout.hosts() == 1 ? " host" : " hosts");
  return absl::StrCat("(", describe_smallest_timer(estimate), ", over ",
                      sim::format_duration(scenario.duration), " on ", where, ")");
}

}  // namespace

void check_budget(const Reader& reader, const Cursor& top, const Scenario& scenario) {
  const BudgetEstimate estimate = estimate_budget(scenario);
  if (!estimate.smallest_timer) return;
  if (estimate.events > scenario.max_events) {
    reader.fail(budget_site(reader, top, estimate.timer_name),
                absl::StrCat("this scenario would need about ", with_thousands(estimate.events),
                             " events, more than the budget of ",
                             with_thousands(scenario.max_events), " ",
                             what_it_runs(scenario, estimate),
                             "; raise --max-events to run it anyway"));
  }
  if (estimate.pending > kMaxPendingEvents) {
    reader.fail(budget_site(reader, top, estimate.timer_name),
                absl::StrCat("this scenario would hold about ", with_thousands(estimate.pending),
                             " messages in flight at once, more than the ",
                             with_thousands(kMaxPendingEvents), " a run may hold ",
                             what_it_runs(scenario, estimate), " with a typical latency of ",
                             sim::format_duration(estimate.typical_latency),
                             "; lengthen the timer or shorten the latency"));
  }
}

}  // namespace electsim::scenarios::loader
