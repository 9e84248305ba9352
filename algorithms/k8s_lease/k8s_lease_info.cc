// k8s-lease's parameters (client-go's LeaderElectionConfig) and its entry in the registry.
#include "absl/strings/str_cat.h"
#include "algorithms/k8s_lease/k8s_lease.h"
#include "algorithms/service/service.h"

namespace electsim::algorithms::k8s_lease {
namespace {

constexpr int64_t kNanosPerHour = 3'600'000'000'000;

// Progress needs the API server: a candidate wins by talking to it, not to its peers. Lease
// designs promise exclusivity outright: with no fenced resource guarding the data (or fencing
// off), every true-time overlap of two leaders is a violation; with fencing on the checks
// report overlaps and judge safety at the resource (sim/checks/suite.cc).
sim::checks::CheckProfile k8s_profile() {
  sim::checks::CheckProfile profile;
  profile.progress = sim::checks::ProgressModel::kServiceReachable;
  profile.exclusivity = sim::checks::ExclusivityRule::kStrict;
  profile.token = "leaseTransitions (the epoch too)";
  return profile;
}

absl::Status resolve(Params& params, uint32_t /*nodes*/) {
  const auto lease = get<sim::Duration>(params, "lease_duration");
  const auto renew = get<sim::Duration>(params, "renew_deadline");
  const auto retry = get<sim::Duration>(params, "retry_period");
  // NewLeaderElector's checks (leaderelection.go).
  if (lease <= renew) {
    return absl::InvalidArgumentError(absl::StrCat(
        "parameter 'lease_duration' (", sim::format_duration(lease),
        ") must be greater than renew_deadline (", sim::format_duration(renew), ")"));
  }
  if (renew * 10 <= retry * 12) {
    return absl::InvalidArgumentError(absl::StrCat(
        "parameter 'renew_deadline' (", sim::format_duration(renew),
        ") must be greater than retry_period x JitterFactor 1.2 (",
        sim::format_duration(retry * 12 / 10), ")"));
  }
  if (lease.ns() % 1'000'000'000 != 0) {
    return absl::InvalidArgumentError(
        "parameter 'lease_duration' must be whole seconds (the record's leaseDurationSeconds)");
  }
  return absl::OkStatus();
}

}  // namespace

K8sLeaseOptions options_from(const Params& params) {
  K8sLeaseOptions options;
  options.lease_duration = get<sim::Duration>(params, "lease_duration");
  options.renew_deadline = get<sim::Duration>(params, "renew_deadline");
  options.retry_period = get<sim::Duration>(params, "retry_period");
  options.release_on_cancel = get<bool>(params, "release_on_cancel");
  return options;
}

AlgorithmInfo k8s_lease_info() {
  AlgorithmInfo info;
  info.name = "k8s-lease";
  info.summary =
      "Kubernetes Lease leader election (client-go tools/leaderelection with a LeaseLock) "
      "against the coordination service as the API server";
  info.params = {
      {"lease_duration", ParamType::kDuration, "15s",
       "how long a candidate waits, on its own clock, after it last saw the record change "
       "before it may take the lease (client-go LeaseDuration)",
       1'000'000'000, kNanosPerHour, /*is_timer=*/true},
      {"renew_deadline", ParamType::kDuration, "10s",
       "how long the leader keeps retrying to renew before it stops leading (RenewDeadline)",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"retry_period", ParamType::kDuration, "2s",
       "the wait between tries; while acquiring, each wait is drawn from 1x to 2.2x of it "
       "(RetryPeriod, JitterFactor 1.2)",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"release_on_cancel", ParamType::kBool, "false",
       "a leader that stops leading writes the record with an empty holder (ReleaseOnCancel)"},
  };
  info.resolve = resolve;
  info.make_factory = [](const Params& params, uint32_t /*nodes*/) {
    sim::register_family(&service::service_family());
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<K8sLeaseFactory>(options_from(params)));
  };
  info.profile = k8s_profile();
  return info;
}

}  // namespace electsim::algorithms::k8s_lease
