// The summary of a sweep over many seeds: counts, recovery-time percentiles, failing seeds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reports/run_result.h"
#include "sim/time.h"

namespace electsim::reports {

struct Percentiles {
  sim::Duration p50;
  sim::Duration p90;
  sim::Duration p99;
  sim::Duration max;
  uint64_t count = 0;
};
// Nearest-rank percentiles of `values` (sorted or not); all zero when empty.
Percentiles percentiles(std::vector<sim::Duration> values);

struct SweepSummary {
  std::string scenario;
  std::string algorithm;
  uint64_t seed_first = 0;
  uint64_t seed_last = 0;
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t safety_failures = 0;
  uint64_t liveness_failures = 0;
  std::vector<uint64_t> failing_seeds;  // ascending
  Percentiles recovery;
  uint64_t leader_changes = 0;
  uint64_t messages_delivered = 0;
  uint64_t events = 0;
};
// `runs` in seed order.
SweepSummary summarize(const std::vector<RunResult>& runs, uint64_t seed_first,
                       uint64_t seed_last);
Verdict sweep_verdict(const SweepSummary& summary);

}  // namespace electsim::reports
