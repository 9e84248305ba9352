// Kubernetes Lease leader election: client-go's tools/leaderelection with a LeaseLock, against
// the coordination service standing in for the API server (issue 11). Every rule below is
// client-go's leaderelection.go (kubernetes/client-go, tools/leaderelection/leaderelection.go,
// the version with Get-then-Update in tryAcquireOrRenew), checked at its source:
//
// - Timing: LeaseDuration 15 s, RenewDeadline 10 s, RetryPeriod 2 s ("Core clients default
//   this value to ..."), JitterFactor 1.2. NewLeaderElector requires LeaseDuration >
//   RenewDeadline > JitterFactor x RetryPeriod; resolve() checks the same.
// - acquire(): wait.JitterUntil(tryAcquireOrRenew, RetryPeriod, JitterFactor, sliding): one try
//   at once, then one every RetryPeriod x (1 + U[0, JitterFactor]) after the last ended.
// - renew(): wait.Until(round, RetryPeriod). A round polls tryAcquireOrRenew at once and every
//   RetryPeriod (wait.PollImmediateUntil) under a context with a RenewDeadline timeout; the
//   first success ends the round, and the next starts RetryPeriod later. A round that reaches
//   its deadline without a success stops leading (OnStoppedLeading): renew_deadline_exceeded.
// - tryAcquireOrRenew(): Get the record. NotFound: Create it. If it differs from the observed
//   record, observe it: observedTime = now on the candidate's own clock. If a holder is named,
//   observedTime + LeaseDuration is still after now and the holder is not us, fail. Otherwise
//   Update the record with us as holder (LeaderTransitions + 1 unless we already held it, in
//   which case AcquireTime and LeaderTransitions are kept). Expiry is never judged from the
//   record's renewTime: the candidate's clocks and the holder's are not comparable.
// - The Update carries the resourceVersion that was read (the Lease object from the Get):
//   a stale one is refused with 409 Conflict, so of two challengers only one wins.
// - release() (ReleaseOnCancel): if still the holder, Update the record with an empty holder,
//   keeping LeaderTransitions.
//
// In the simulation the Lease object is one key of the service; its record is packed into the
// key's value (holder, leaseDurationSeconds, leaseTransitions: k8s_record.h) and its
// resourceVersion is the key's mod_revision. acquireTime and renewTime are not stored: a correct
// candidate never reads them (it compares whole records, and every Update changes renewTime,
// which the mod_revision stands for here). The epoch and the fencing token are leaseTransitions.
//
// After it stops leading, a candidate campaigns again as a freshly started elector would (a
// controller that lost its lease exits and is restarted): acquire() from the start.
#pragma once

#include <cstdint>
#include <memory>

#include "algorithms/registry.h"
#include "algorithms/service/service_client.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::k8s_lease {

struct K8sLeaseOptions {
  sim::Duration lease_duration = sim::Duration::seconds(15);
  sim::Duration renew_deadline = sim::Duration::seconds(10);
  sim::Duration retry_period = sim::Duration::seconds(2);
  bool release_on_cancel = false;
  // Tests only (tests/algorithms/k8s_variants.cc): the planted bug of issue 11, acceptance 6.
  // Each write stores the writer's renewTime (its own clock), and a candidate judges the lease
  // expired once renewTime + LeaseDuration has passed on *its* clock, instead of timing
  // LeaseDuration from observedTime. Unsafe under clock offsets: a challenger whose clock runs
  // ahead of the holder's sees a live lease as expired.
  bool judge_expiry_from_renew_time = false;
};

// client-go's JitterFactor (a constant in leaderelection.go, not a setting).
inline constexpr double kJitterFactor = 1.2;

// The Lease record as the key's value: holder (process id + 1; 0 is the empty holder) in the
// top 16 bits, leaseDurationSeconds in the next 16, leaseTransitions in the low 32 (where the
// service reads a granting write's epoch, service::flags::kEpochInValue). The test-only
// judge_expiry_from_renew_time variant stores renewTime in the leaseDurationSeconds bits instead
// (RenewTimeField), as it has no other room in one word.
struct LeaseRecord {
  sim::ProcessId holder = sim::kNoNode;  // kNoNode: no holder
  uint32_t lease_duration_seconds = 0;
  uint32_t transitions = 0;

  uint64_t pack() const;
  static LeaseRecord unpack(uint64_t value);
  bool has_holder() const { return holder != sim::kNoNode; }
};

// renewTime as the test-only variant stores it: the writer's local clock in 100 ms units,
// modulo 2^16 (about 109 minutes, far more than any lease and clock offset here).
struct RenewTimeField {
  static constexpr int64_t kUnitNanos = 100'000'000;
  static uint32_t of(sim::LocalInstant now);
  // How long ago `field` was, on a clock that reads `now`: negative if it lies ahead.
  static sim::Duration elapsed_since(uint32_t field, sim::LocalInstant now);
};

class K8sLease final : public sim::Algorithm {
 public:
  explicit K8sLease(const K8sLeaseOptions& options) : options_(options) {}

  sim::FamilyId family() const override { return sim::families::kService; }
  void on_start(sim::Context& context, const sim::DurableState* restored) override;
  void on_message(sim::Context& context, sim::ProcessId from,
                  const sim::Payload& message) override;
  void on_timer(sim::Context& context, sim::TimerId timer) override;
  // The scenario's `resign: leader` (ReleaseOnCancel): stop leading and write an empty holder.
  void resign(sim::Context& context);
  void on_resign_request(sim::Context& context) override { resign(context); }

  bool leading() const { return leading_; }

 private:
  enum class Step : uint8_t { kIdle, kGetting, kCreating, kUpdating, kReleasing };

  void try_acquire_or_renew(sim::Context& context);
  void handle_get(sim::Context& context, const service::Reply& reply);
  void handle_write(sim::Context& context, const service::Reply& reply);
  void observe(sim::Context& context, const service::KeyState& state);
  bool held_by_another_and_valid(sim::Context& context) const;
  void write_record(sim::Context& context, bool create);
  void try_ended(sim::Context& context, bool succeeded);
  void become_leader(sim::Context& context);
  // Reports Elected for the record just written (epoch and token: its LeaderTransitions).
  void report_leading(sim::Context& context);
  void stop_leading(sim::Context& context, sim::StepDownReason reason);
  void schedule_acquire(sim::Context& context);
  void start_renew_round(sim::Context& context);
  void release(sim::Context& context);
  service::Key lease_key(const sim::Context& context) const;

  K8sLeaseOptions options_;
  service::ServiceCall call_{0, service::timers::kRequest};
  Step step_ = Step::kIdle;
  bool leading_ = false;
  bool in_round_ = false;  // leading, and a renew round is polling
  // The observed record and when it was observed, on this process's clock (client-go's
  // observedRecord / observedTime); `observed_version` is its resourceVersion.
  bool observed_any_ = false;
  LeaseRecord observed_;
  uint64_t observed_version_ = 0;
  sim::LocalInstant observed_time_;
  LeaseRecord reported_follow_;  // the holder last reported in Follows (maybeReportTransition)
  bool reported_any_follow_ = false;
  // What this try is writing (the record and whether it acquires rather than renews).
  LeaseRecord writing_;
  bool acquiring_ = false;
};

class K8sLeaseFactory final : public sim::AlgorithmFactory {
 public:
  explicit K8sLeaseFactory(const K8sLeaseOptions& options) : options_(options) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId process) const override;

 private:
  K8sLeaseOptions options_;
};

AlgorithmInfo k8s_lease_info();
// The options resolved parameters describe.
K8sLeaseOptions options_from(const Params& params);

}  // namespace electsim::algorithms::k8s_lease
