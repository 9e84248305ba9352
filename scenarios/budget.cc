#include "scenarios/budget.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace electsim::scenarios {
namespace {

// The mean of a latency model: how long a message is typically in flight.
sim::Duration mean_latency(const sim::LatencyModel& latency) {
  using Kind = sim::LatencyModel::Kind;
  switch (latency.kind) {
    case Kind::kConstant: return latency.a;
    case Kind::kUniform: return latency.a + (latency.b - latency.a) / 2;
    case Kind::kNormal: return std::max(latency.a, latency.min);
    case Kind::kExponential: return latency.a + latency.min;
  }
  return latency.a;
}

std::optional<sim::Duration> timer_value(const algorithms::ParamValue& value) {
  if (const auto* duration = std::get_if<sim::Duration>(&value)) return *duration;
  if (const auto* range = std::get_if<sim::DurationRange>(&value)) return range->lo;
  return std::nullopt;
}

}  // namespace

std::string with_thousands(uint64_t number) {
  const std::string digits = absl::StrCat(number);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  return grouped;
}

BudgetEstimate estimate_budget(const Scenario& scenario) {
  BudgetEstimate estimate;
  const algorithms::AlgorithmInfo* info = algorithms::find_algorithm(scenario.algorithm);
  if (info == nullptr) return estimate;
  for (const algorithms::ParamSpec& spec : info->params) {
    const auto given = scenario.params.find(spec.name);
    if (!spec.is_timer || given == scenario.params.end()) continue;
    const std::optional<sim::Duration> value = timer_value(given->second);
    if (!value || *value <= sim::Duration::zero()) continue;
    if (!estimate.smallest_timer || *value < *estimate.smallest_timer) {
      estimate.smallest_timer = value;
      estimate.timer_name = spec.name;
    }
  }
  if (!estimate.smallest_timer) return estimate;
  // Every factor is bounded (the duration by 720h, the timer from below by 1us, the processes
  // by 10,000), so the products stay far below 2^64.
  const auto timer_ns = static_cast<uint64_t>(estimate.smallest_timer->ns());
  const sim::Layout& layout = scenario.layout;
  uint64_t messages_per_period = 0;  // each group's leader broadcasts and hears back
  for (sim::GroupId group = 0; group < layout.groups(); ++group) {
    messages_per_period += 2 * (uint64_t{layout.members(group).size()} - 1);
  }
  const auto periods = static_cast<uint64_t>(scenario.duration.ns()) / timer_ns;
  // One timer event per group and period besides the messages.
  estimate.events = periods * (messages_per_period + std::max<uint64_t>(layout.groups(), 1));
  if (scenario.resource) {
    // Each group's leader writes once a write_every: a timer, a send and a delivery.
    const auto writes = static_cast<uint64_t>(scenario.duration.ns()) /
                        static_cast<uint64_t>(scenario.resource->write_every.ns());
    estimate.events += 3 * writes * std::max<uint64_t>(layout.groups(), 1);
  }
  estimate.typical_latency = mean_latency(scenario.network.latency);
  const auto latency_ns = static_cast<uint64_t>(estimate.typical_latency.ns());
  estimate.pending = (latency_ns / timer_ns + 1) * messages_per_period;
  return estimate;
}

std::string describe_smallest_timer(const BudgetEstimate& estimate) {
  if (!estimate.smallest_timer) return "";
  return absl::StrCat("the smallest timer, ", estimate.timer_name, ", is ",
                      sim::format_duration(*estimate.smallest_timer));
}

sim::RunBudget run_budget(const Scenario& scenario) {
  return sim::RunBudget{scenario.max_events, kMaxPendingEvents};
}

std::string budget_stop_message(const Scenario& scenario, sim::BudgetExceeded what,
                                sim::Instant when) {
  const std::string timer = describe_smallest_timer(estimate_budget(scenario));
  const std::string at = sim::format_duration_readable(when - sim::Instant::zero());
  if (what == sim::BudgetExceeded::kPending) {
    return absl::StrCat("had more than ", with_thousands(kMaxPendingEvents),
                        " events pending at once by ", at,
                        " of simulated time (messages in flight and timers)",
                        timer.empty() ? "" : "; ", timer,
                        "; the limit bounds a run's memory");
  }
  return absl::StrCat("needed more than ", with_thousands(scenario.max_events), " events by ", at,
                      " of simulated time", timer.empty() ? "" : "; ", timer,
                      "; --max-events raises the budget");
}

}  // namespace electsim::scenarios
