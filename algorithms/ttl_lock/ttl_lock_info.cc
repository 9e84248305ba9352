// ttl-lock's parameters and its entry in the registry.
#include "absl/strings/str_cat.h"
#include "algorithms/service/service.h"
#include "algorithms/ttl_lock/ttl_lock.h"

namespace electsim::algorithms::ttl_lock {
namespace {

constexpr int64_t kNanosPerHour = 3'600'000'000'000;

// Progress needs the store; exclusivity is strict (a lock promises it outright: any true-time
// overlap is a violation unless fencing on guards the data). Without the counter there is no
// fencing token at all: the token is "none", which the checks read as "every leader writes with
// token 0, the token checks do not apply" (sim/checks/suite.cc).
sim::checks::CheckProfile ttl_lock_profile(bool token_counter) {
  sim::checks::CheckProfile profile;
  profile.progress = sim::checks::ProgressModel::kServiceReachable;
  profile.exclusivity = sim::checks::ExclusivityRule::kStrict;
  profile.token = token_counter ? "a counter INCRemented in the store at each acquisition"
                                : "none";
  return profile;
}

absl::Status resolve(Params& params, uint32_t /*nodes*/) {
  const auto ttl = get<sim::Duration>(params, "ttl");
  if (!params.contains("renew_every")) {
    // A third of the TTL, in whole milliseconds (as a client would configure it).
    params.emplace("renew_every", ParamValue{sim::Duration::milliseconds(ttl.ns() / 3'000'000)});
  }
  const auto renew = get<sim::Duration>(params, "renew_every");
  if (renew.ns() < kMinTimerNanos || renew >= ttl) {
    return absl::InvalidArgumentError(absl::StrCat(
        "parameter 'renew_every' (", sim::format_duration(renew),
        ") must be below the ttl (", sim::format_duration(ttl), ") and at least 1us"));
  }
  return absl::OkStatus();
}

TtlLockOptions options_of(const Params& params) {
  TtlLockOptions options;
  options.ttl = get<sim::Duration>(params, "ttl");
  options.renew_every = get<sim::Duration>(params, "renew_every");
  options.retry_delay = get<sim::DurationRange>(params, "retry_delay");
  options.token_counter = get<bool>(params, "token_counter");
  return options;
}

}  // namespace

AlgorithmInfo ttl_lock_info() {
  AlgorithmInfo info;
  info.name = "ttl-lock";
  info.summary =
      "a TTL lock in the Redis SET key value NX PX ttl pattern: expiry on the store's clock, "
      "belief on the holder's; no fencing token unless token_counter";
  info.params = {
      {"ttl", ParamType::kDuration, "10s", "the lock's time to live (SET ... PX ttl)",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"renew_every", ParamType::kDuration, "",
       "how often the holder extends the TTL if the key is still its own; defaults to ttl / 3 "
       "(whole milliseconds)",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"retry_delay", ParamType::kDurationRange, "100ms..300ms",
       "a candidate that did not get the lock tries again after a delay drawn from this range",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"token_counter", ParamType::kBool, "false",
       "the new holder INCRements a counter in the store and fences with its value "
       "(Kleppmann 2016's fencing token)"},
  };
  info.resolve = resolve;
  info.make_factory = [](const Params& params, uint32_t /*nodes*/) {
    sim::register_family(&service::service_family());
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<TtlLockFactory>(options_of(params)));
  };
  info.profile = ttl_lock_profile(false);
  info.resolve_profile = [](const Params& params) {
    return ttl_lock_profile(get<bool>(params, "token_counter"));
  };
  return info;
}

}  // namespace electsim::algorithms::ttl_lock
