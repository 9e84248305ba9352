// The summary of a sweep over many seeds, built one run at a time as runs arrive in seed order,
// in memory that does not grow with the number of seeds: counts, recovery-time percentiles
// (RecoveryDistribution), the first kMaxFailingSeeds failing seeds and the first
// kMaxFailureNotes failures with what went wrong and how to reproduce it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reports/recovery_distribution.h"
#include "reports/run_result.h"
#include "sim/time.h"

namespace electsim::reports {

// One failing seed, as the summary keeps it.
struct FailureNote {
  uint64_t seed = 0;
  Verdict verdict = Verdict::kPass;
  std::string what;       // the first violation, or the internal error's message
  sim::Instant time;      // when (true time)
  std::string reproduce;
};

class SweepSummary {
 public:
  static constexpr size_t kMaxFailingSeeds = 1000;
  static constexpr size_t kMaxFailureNotes = 100;
  static constexpr size_t kMaxDamagedSeeds = 1000;

  // The seeds asked for, first..last inclusive (any range of uint64_t, all 2^64 seeds too), and
  // the overrides in the words of the command line ("--set a.b=c", "--algorithm raft").
  SweepSummary(std::string scenario, std::string algorithm, std::vector<std::string> overrides,
               uint64_t requested_first, uint64_t requested_last);

  // A shard's summary (electsim sweep --shard K/N): its seeds are first_seed, first_seed +
  // stride, ... up to requested_last, and `label` ("2/4") names the shard in the JSON.
  void set_shard(uint64_t first_seed, uint64_t stride, std::string label);
  const std::optional<std::string>& shard() const { return shard_; }

  // Runs arrive in seed order, starting with seed_first(), with no gaps (every stride-th seed
  // for a shard).
  void add(const RunResult& run);
  // The sweep stopped before requested_last (SIGINT, SIGTERM): the summary covers only the
  // seeds added, which is exactly the summary of the shorter range seed_first()..seed_last().
  void mark_interrupted() { interrupted_ = true; }

  const std::string& scenario() const { return scenario_; }
  const std::string& algorithm() const { return algorithm_; }
  const std::vector<std::string>& overrides() const { return overrides_; }
  uint64_t requested_first() const { return requested_first_; }
  uint64_t requested_last() const { return requested_last_; }
  bool interrupted() const { return interrupted_; }
  // The seeds summarized: seed_first()..*seed_last(), or none (nullopt) if none finished.
  uint64_t seed_first() const { return seed_first_; }
  std::optional<uint64_t> seed_last() const { return seed_last_; }
  // How many seeds were summarized. A sweep of all 2^64 seeds would wrap this to zero; at a
  // million seeds a second it would take 580,000 years, so it is not guarded.
  uint64_t seeds() const { return passed_ + failed_; }

  uint64_t passed() const { return passed_; }
  uint64_t failed() const { return failed_; }
  uint64_t safety_failures() const { return safety_failures_; }
  uint64_t liveness_failures() const { return liveness_failures_; }
  uint64_t internal_errors() const { return internal_errors_; }
  uint64_t budget_exceeded() const { return budget_exceeded_; }
  // The first kMaxFailingSeeds failing seeds, ascending; failed() says how many there are.
  const std::vector<uint64_t>& failing_seeds() const { return failing_seeds_; }
  const std::vector<FailureNote>& failure_notes() const { return failure_notes_; }
  // Over the recovered windows; `unrecovered` counts the windows that never recovered.
  Percentiles recovery() { return recovery_.percentiles(); }
  uint64_t leader_changes() const { return leader_changes_; }
  uint64_t messages_delivered() const { return messages_delivered_; }
  uint64_t events() const { return events_; }
  // The fenced resource over the sweep: whether any run had one (if not, the figures below
  // were not measured and reports say so), the writes it accepted, the damage
  // (stale_writes_accepted summed over the runs), and the seeds that had damage (the first
  // kMaxDamagedSeeds, ascending; damaged_seed_count() says how many there are).
  bool writes_measured() const { return writes_measured_; }
  uint64_t writes_accepted() const { return writes_accepted_; }
  uint64_t stale_writes_accepted() const { return stale_writes_accepted_; }
  const std::vector<uint64_t>& damaged_seeds() const { return damaged_seeds_; }
  uint64_t damaged_seed_count() const { return damaged_seed_count_; }
  // One of the scenario's alert rules over the sweep (alerts: in the scenario file): whether the
  // runs had it, how often it fired and in how many seeds. Alerts are observations; no verdict
  // depends on them.
  struct AlertTally {
    bool ruled = false;
    uint64_t fired = 0;
    uint64_t seeds = 0;
  };
  const AlertTally& leader_changes_alerts() const { return leader_changes_alerts_; }
  const AlertTally& leaderless_alerts() const { return leaderless_alerts_; }

 private:
  void add_failure(const RunResult& run);
  void add_writes(const RunResult& run);
  void add_alerts(const RunResult& run);

  std::string scenario_;
  std::string algorithm_;
  std::vector<std::string> overrides_;
  uint64_t requested_first_;
  uint64_t requested_last_;
  uint64_t seed_first_;
  uint64_t stride_ = 1;
  std::optional<std::string> shard_;
  bool interrupted_ = false;
  std::optional<uint64_t> seed_last_;
  uint64_t passed_ = 0;
  uint64_t failed_ = 0;
  uint64_t safety_failures_ = 0;
  uint64_t liveness_failures_ = 0;
  uint64_t internal_errors_ = 0;
  uint64_t budget_exceeded_ = 0;
  std::vector<uint64_t> failing_seeds_;
  std::vector<FailureNote> failure_notes_;
  RecoveryDistribution recovery_;
  uint64_t leader_changes_ = 0;
  uint64_t messages_delivered_ = 0;
  uint64_t events_ = 0;
  bool writes_measured_ = false;
  uint64_t writes_accepted_ = 0;
  uint64_t stale_writes_accepted_ = 0;
  std::vector<uint64_t> damaged_seeds_;
  uint64_t damaged_seed_count_ = 0;
  AlertTally leader_changes_alerts_;
  AlertTally leaderless_alerts_;
};

// The sweep's verdict, by precedence: internal_error (electsim or the algorithm's own code is
// broken, so no other answer can be trusted; exit 70) over safety_violation (1) over
// liveness_violation (2) over budget_exceeded (65: some seeds asked for more than their budget
// and were not judged); pass only if every seed passed.
Verdict sweep_verdict(const SweepSummary& summary);

// What a failed run is reported by: its internal error or budget message, else its first
// violation ("check: detail"), else "".
std::string failure_text(const RunResult& run);

}  // namespace electsim::reports
