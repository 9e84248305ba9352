// zk-recipe's entry in the registry: its parameters (the sources' defaults), profile and factory.
#include "absl/strings/str_cat.h"
#include "algorithms/service/service_messages.h"
#include "algorithms/zk_recipe/zk_recipe.h"

namespace electsim::algorithms::zk_recipe {
namespace {

constexpr int64_t kNanosPerHour = 3'600'000'000'000;

// A lease recipe's profile (issue 11): candidates win by talking to the service, not to each
// other, so a group can progress while some member reaches the service; and the lease is all
// that stands between two believers, so every true-time overlap is a violation unless a fenced
// resource guards the data (then the overlaps are reported and the resource judges safety).
sim::checks::CheckProfile zk_profile() {
  sim::checks::CheckProfile profile;
  profile.progress = sim::checks::ProgressModel::kServiceReachable;
  profile.exclusivity = sim::checks::ExclusivityRule::kStrict;
  profile.token = "czxid: the leader znode's create revision (also the epoch)";
  return profile;
}

std::unique_ptr<sim::AlgorithmFactory> make_zk_factory(const Params& params, uint32_t) {
  return std::make_unique<ZkRecipeFactory>(options_from(params));
}

}  // namespace

ZkRecipeOptions options_from(const Params& params) {
  ZkRecipeOptions options;
  options.session_timeout = get<sim::Duration>(params, "session_timeout");
  options.tick_time = get<sim::Duration>(params, "tick_time");
  options.session_expiration_percent = get<int64_t>(params, "session_expiration_percent");
  options.leader_poll_interval = get<sim::Duration>(params, "leader_poll_interval");
  return options;
}

AlgorithmInfo zk_recipe_info() {
  AlgorithmInfo info;
  info.name = "zk-recipe";
  info.summary =
      "ZooKeeper leader election (ZooKeeper recipes page; Curator LeaderLatch): ephemeral "
      "sequential znodes, the smallest leads, each candidate watches its predecessor; a leader "
      "stops when its connection is SUSPENDED or LOST";
  info.params = {
      {"session_timeout", ParamType::kDuration, "60s",
       "the session timeout the client asks for (Curator's sessionTimeoutMs default); the "
       "server grants it within 2..20 x tick_time",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"tick_time", ParamType::kDuration, "2s",
       "the ensemble's tickTime (conf/zoo_sample.cfg), which bounds the negotiated session "
       "timeout",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"session_expiration_percent", ParamType::kInt, "100",
       "Curator's simulatedSessionExpirationPercent: LOST after this share of the session "
       "timeout spent SUSPENDED (0: only when the server says the session expired)",
       0, 100},
      {"leader_poll_interval", ParamType::kDuration, "1s",
       "how often a follower asks who leads (LeaderLatch.getLeader() reads the server; the "
       "interval is electsim's)",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
  };
  info.resolve = [](Params& params, uint32_t) -> absl::Status {
    const ZkRecipeOptions options = options_from(params);
    if (options.ping_interval().ns() < kMinTimerNanos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "parameter 'tick_time' (", sim::format_duration(options.tick_time),
          ") gives a session timeout of ",
          sim::format_duration(options.negotiated_session_timeout()),
          ", whose ping interval is below the shortest timer; raise tick_time"));
    }
    return absl::OkStatus();
  };
  info.make_factory = make_zk_factory;
  info.profile = zk_profile();
  return info;
}

}  // namespace electsim::algorithms::zk_recipe
