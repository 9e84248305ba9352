// Bully's parameters and check profile.
#include "absl/strings/str_cat.h"
#include "algorithms/bully/bully.h"

namespace electsim::algorithms::bully {
namespace {

constexpr int64_t kNanosPerHour = 3'600'000'000'000;

// Bully has no quorum: it is judged whenever any member runs (progress `none`), and its own
// liveness rule is that each connected side elects its highest live id (sim/checks/
// recovery_check.h). Exclusivity is strict: two processes that both believe they coordinate at
// once is exactly the split brain Bully cannot prevent under a partition, so every overlap is a
// violation, with its length (unless a fenced resource guards the data, as for leases).
sim::checks::CheckProfile bully_profile() {
  sim::checks::CheckProfile profile;
  profile.progress = sim::checks::ProgressModel::kNone;
  profile.exclusivity = sim::checks::ExclusivityRule::kStrict;
  profile.token = "election counter (also the fencing token)";
  profile.bound_formula = "strict: every overlap is a violation";
  return profile;
}

ParamSpec timer_param(const char* name, const char* default_text, const char* doc) {
  return ParamSpec{name, ParamType::kDuration, default_text, doc, kMinTimerNanos, kNanosPerHour,
                   /*is_timer=*/true};
}

}  // namespace

std::unique_ptr<sim::AlgorithmFactory> make_factory(const Params& params, uint32_t /*nodes*/) {
  sim::register_family(&bully_family());
  BullyOptions options;
  options.answer_timeout = get<sim::Duration>(params, "answer_timeout");
  options.coordinator_timeout = get<sim::Duration>(params, "coordinator_timeout");
  options.heartbeat_interval = get<sim::Duration>(params, "heartbeat_interval");
  options.failure_timeout = get<sim::Duration>(params, "failure_timeout");
  return std::make_unique<BullyFactory>(options);
}

AlgorithmInfo bully_info() {
  AlgorithmInfo info;
  info.name = "bully";
  info.summary =
      "the Bully algorithm (Garcia-Molina 1982): the highest live id wins through Election, "
      "Answer, Halt and Coordinator messages; no quorum, so each side of a partition elects its "
      "own";
  info.params = {
      timer_param("answer_timeout", "100ms",
                  "how long an election waits for an Answer from a higher id before the process "
                  "declares itself coordinator (the paper's T; above a round trip)"),
      timer_param("coordinator_timeout", "200ms",
                  "how long a process that got an Answer waits for the Coordinator message "
                  "before it holds a new election"),
      timer_param("heartbeat_interval", "100ms",
                  "how often the coordinator re-announces itself to every process"),
      timer_param("failure_timeout", "300ms",
                  "how long a process hears no announcement before it decides the coordinator "
                  "is gone and holds an election"),
  };
  info.resolve = [](Params& params, uint32_t /*nodes*/) -> absl::Status {
    const auto heartbeat = get<sim::Duration>(params, "heartbeat_interval");
    const auto failure = get<sim::Duration>(params, "failure_timeout");
    if (heartbeat >= failure) {
      return absl::InvalidArgumentError(absl::StrCat(
          "parameter 'heartbeat_interval' (", sim::format_duration(heartbeat),
          ") must be below 'failure_timeout' (", sim::format_duration(failure), ")"));
    }
    return absl::OkStatus();
  };
  info.make_factory = make_factory;
  info.profile = bully_profile();
  return info;
}

}  // namespace electsim::algorithms::bully
