// Zab's parameters (ZooKeeper's names and defaults) and its check profile.
#include "absl/strings/str_cat.h"
#include "algorithms/zab/zab.h"

namespace electsim::algorithms::zab {
namespace {

constexpr int64_t kNanosPerHour = 3'600'000'000'000;

// The longest a deposed leader keeps believing, in ticks of its own clock, from the moment its
// successor was elected (the checks add the network's largest one-way delay). The successor's
// quorum of ACKEPOCHs intersects every quorum the old leader counts, and a member of the
// intersection left the old leader before it acknowledged the new epoch, so nothing it sent the
// old leader arrives after the successor's election plus one delay.
// - Synchronizing (elected, not yet ready), the old leader waits for a quorum of NEWLEADER ACKs
//   for initLimit ticks from its own election, which came before its successor's.
// - If that quorum was complete all the same, it became ready at the latest then, and
//   Leader.lead()'s loop starts counting ticks: the member of the intersection was last heard
//   at most syncLimit ticks before the loop's tick count passes its deadline, and the leader
//   steps down at the next full tick (LearnerHandler.synced; the ticks do not advance before
//   the loop runs, as in ZooKeeper).
// So initLimit + syncLimit + 1 ticks bound both cases.
int64_t bound_ticks(int64_t init_limit, int64_t sync_limit) {
  return init_limit + sync_limit + 1;
}

sim::checks::CheckProfile zab_profile(sim::Duration bound) {
  sim::checks::CheckProfile profile;
  profile.progress = sim::checks::ProgressModel::kGroupMajority;
  profile.exclusivity = sim::checks::ExclusivityRule::kBounded;
  profile.exclusivity_bound = bound;
  profile.bound_formula =
      "(init_limit + sync_limit + 1) x tick_time + the network's maximum one-way delay";
  profile.token = "epoch (zxid high bits; also the fencing token)";
  // Every ACKEPOCH a leader counts towards its quorum was reported as Supported{kEpochAck} when
  // the follower sent it (zab_follower.cc), and the leader's own when it chose the epoch
  // (zab_leader.cc, decide_epoch), so leader_had_a_quorum can count a leader's supporters.
  profile.reports_support = true;
  return profile;
}

}  // namespace

AlgorithmInfo zab_info() {
  AlgorithmInfo info;
  info.name = "zab";
  info.summary =
      "ZooKeeper's Fast Leader Election, then Zab's discovery and synchronization (Junqueira, "
      "Reed & Serafini, DSN 2011; ZooKeeper's FastLeaderElection, Leader and Learner); a new "
      "leader commits a no-op of its epoch";
  info.params = {
      {"tick_time", ParamType::kDuration, "2s",
       "ZooKeeper's tickTime: the unit of init_limit and sync_limit; the leader checks its "
       "followers and pings them every half tick",
       2 * kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"init_limit", ParamType::kInt, "10",
       "ZooKeeper's initLimit: ticks a leader waits for a quorum in each of discovery and "
       "synchronization, and a follower for its leader until synchronized",
       1, 1'000'000},
      {"sync_limit", ParamType::kInt, "5",
       "ZooKeeper's syncLimit: ticks without a message after which a synchronized follower "
       "leaves its leader, and a leader stops counting a follower",
       1, 1'000'000},
      {"finalize_wait", ParamType::kDuration, "200ms",
       "FastLeaderElection.finalizeWait: once a quorum agrees, how long to wait for a better "
       "vote; also the first notification timeout",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"max_notification_interval", ParamType::kDuration, "60s",
       "FastLeaderElection.maxNotificationInterval: the notification timeout doubles from "
       "finalize_wait up to this",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
  };
  info.resolve = [](Params& params, uint32_t /*nodes*/) -> absl::Status {
    const auto finalize_wait = get<sim::Duration>(params, "finalize_wait");
    const auto max_interval = get<sim::Duration>(params, "max_notification_interval");
    if (max_interval < finalize_wait) {
      return absl::InvalidArgumentError(absl::StrCat(
          "parameter 'max_notification_interval' (", sim::format_duration(max_interval),
          ") must be at least finalize_wait (", sim::format_duration(finalize_wait), ")"));
    }
    return absl::OkStatus();
  };
  info.make_factory = make_factory;
  info.profile = zab_profile(sim::Duration::zero());
  info.resolve_profile = [](const Params& params) {
    const auto tick = get<sim::Duration>(params, "tick_time");
    return zab_profile(tick * bound_ticks(get<int64_t>(params, "init_limit"),
                                          get<int64_t>(params, "sync_limit")));
  };
  return info;
}

std::unique_ptr<sim::AlgorithmFactory> make_factory(const Params& params, uint32_t /*nodes*/) {
  sim::register_family(&zab_family());  // at first use: names for the trace and for failures
  ZabOptions options;
  options.tick_time = get<sim::Duration>(params, "tick_time");
  options.init_limit = get<int64_t>(params, "init_limit");
  options.sync_limit = get<int64_t>(params, "sync_limit");
  options.finalize_wait = get<sim::Duration>(params, "finalize_wait");
  options.max_notification_interval = get<sim::Duration>(params, "max_notification_interval");
  SIM_CHECK(options.init_limit >= 1 && options.sync_limit >= 1 &&
                options.finalize_wait <= options.max_notification_interval,
            "Zab parameters were not resolved");
  return std::make_unique<ZabFactory>(options);
}

}  // namespace electsim::algorithms::zab
