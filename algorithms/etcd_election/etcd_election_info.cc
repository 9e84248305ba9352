// etcd-election's entry in the registry: its parameters (clientv3's defaults), profile, factory.
#include "absl/strings/str_cat.h"
#include "algorithms/service/service_messages.h"
#include "algorithms/etcd_election/etcd_election.h"

namespace electsim::algorithms::etcd_election {
namespace {

constexpr int64_t kNanosPerHour = 3'600'000'000'000;

// A lease recipe's profile (issue 11), as zk-recipe's: progress while a member reaches the
// service; strict exclusivity, judged at the resource when one fences.
sim::checks::CheckProfile etcd_profile() {
  sim::checks::CheckProfile profile;
  profile.progress = sim::checks::ProgressModel::kServiceReachable;
  profile.exclusivity = sim::checks::ExclusivityRule::kStrict;
  profile.token = "leaderRev: the leader key's create revision (also the epoch)";
  return profile;
}

std::unique_ptr<sim::AlgorithmFactory> make_etcd_factory(const Params& params, uint32_t) {
  return std::make_unique<EtcdElectionFactory>(options_from(params));
}

}  // namespace

EtcdElectionOptions options_from(const Params& params) {
  EtcdElectionOptions options;
  options.ttl = get<sim::Duration>(params, "ttl");
  options.retry_interval = get<sim::Duration>(params, "retry_interval");
  options.deadline_check_interval = get<sim::Duration>(params, "deadline_check_interval");
  options.request_timeout = get<sim::Duration>(params, "request_timeout");
  return options;
}

AlgorithmInfo etcd_election_info() {
  AlgorithmInfo info;
  info.name = "etcd-election";
  info.summary =
      "etcd leader election (clientv3 concurrency.Session and Election): a session lease kept "
      "alive every TTL/3; Campaign puts prefix/<lease> and waits until every key created "
      "before it is deleted; a leader stops when its keep-alive fails past the TTL";
  info.params = {
      {"ttl", ParamType::kDuration, "60s", "the session lease's TTL (session.go defaultSessionTTL)",
       kMinTimerNanos * 3, kNanosPerHour, /*is_timer=*/true},
      {"retry_interval", ParamType::kDuration, "500ms",
       "how often a keep-alive still due is sent again (lease.go retryConnWait)", kMinTimerNanos,
       kNanosPerHour, /*is_timer=*/true},
      {"deadline_check_interval", ParamType::kDuration, "1s",
       "how often the client looks for a keep-alive past its deadline (lease.go deadlineLoop)",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"request_timeout", ParamType::kDuration, "5s",
       "how long a request may go unanswered before it is sent again (etcdctl's "
       "--command-timeout default)",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
  };
  info.make_factory = make_etcd_factory;
  info.profile = etcd_profile();
  return info;
}

}  // namespace electsim::algorithms::etcd_election
