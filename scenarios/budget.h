// The budget of a run: how many events it may process and how many may wait in the queue at
// once (issue 7, "Budgets"). A scenario is judged twice against it: before anything runs, from
// the file (its nodes, duration, smallest timer and latency), and while it runs, by the world's
// guard, which stops a run that goes over and gives it the verdict budget_exceeded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "scenarios/scenario.h"
#include "sim/time.h"
#include "sim/world.h"

namespace electsim::scenarios {

// The most events that may wait at once. Each costs about 150 bytes (a 32-byte queue entry,
// up to twice that in a bucket's spare capacity, and an 80-byte message slot), so a run stays
// near 150 MB even at this limit; --max-events does not raise it, as it bounds memory, not time.
inline constexpr uint64_t kMaxPendingEvents = 1'000'000;

// What a scenario needs, estimated from its file.
struct BudgetEstimate {
  // Unset when the algorithm declares no timer (nothing to estimate from).
  std::optional<sim::Duration> smallest_timer;
  std::string timer_name;  // the parameter that sets it: "heartbeat_interval"
  uint64_t events = 0;     // over the whole run
  uint64_t pending = 0;    // in flight at once
  sim::Duration typical_latency;  // the latency model's mean
};

// In each group, one broadcast to every other member and their replies per period of the
// smallest timer: the steady state of a heartbeat, and of an election that never settles.
BudgetEstimate estimate_budget(const Scenario& scenario);

// "the smallest timer, heartbeat_interval, is 1us", or "" without one.
std::string describe_smallest_timer(const BudgetEstimate& estimate);
// 100000000 -> "100,000,000".
std::string with_thousands(uint64_t number);

// The world's budget for a run of `scenario`.
sim::RunBudget run_budget(const Scenario& scenario);
// The `error` of a run the guard stopped: what went over, when, and how to raise it.
std::string budget_stop_message(const Scenario& scenario, sim::BudgetExceeded what,
                                sim::Instant when);

}  // namespace electsim::scenarios
