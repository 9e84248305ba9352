// VR's parameters and check profile, and how they resolve.
#include "absl/strings/str_cat.h"
#include "algorithms/vr/vr.h"

namespace electsim::algorithms::vr {
namespace {

constexpr int64_t kNanosPerHour = 3'600'000'000'000;

// A view change needs f+1 replicas (4.2: f+1 StartViewChange, f+1 DoViewChange), so progress
// needs a majority of the group's members. A deposed primary believes until a message of a later
// view reaches it (VR has no lease in section 4), so overlaps are reported, not violations.
sim::checks::CheckProfile vr_profile() {
  sim::checks::CheckProfile profile;
  profile.progress = sim::checks::ProgressModel::kGroupMajority;
  profile.exclusivity = sim::checks::ExclusivityRule::kUntilSuperseded;
  profile.token = "view-number (also the fencing token)";
  profile.bound_formula = "a deposed primary believes until a message of a later view reaches it";
  // A replica reports Supported{primary, view, kDoViewChange} before its DoViewChange leaves
  // (vr.cc, send_do_view_change; the new primary's own included), so leader_had_a_quorum can
  // count the f + 1 a primary started its view with. View 0's primary is the initial
  // configuration's (section 4), which no view change elected: the check does not judge epoch 0.
  profile.reports_support = true;
  return profile;
}

}  // namespace

std::unique_ptr<sim::AlgorithmFactory> make_factory(const Params& params, uint32_t /*nodes*/) {
  sim::register_family(&vr_family());
  VrOptions options;
  options.view_change_timeout = get<sim::DurationRange>(params, "view_change_timeout");
  options.heartbeat_interval = get<sim::Duration>(params, "heartbeat_interval");
  SIM_CHECK(options.heartbeat_interval < options.view_change_timeout.lo,
            "VR parameters were not resolved");
  return std::make_unique<VrFactory>(options);
}

AlgorithmInfo vr_info() {
  AlgorithmInfo info;
  info.name = "vr";
  info.summary =
      "Viewstamped Replication's view change (Liskov & Cowling 2012, sections 4.1-4.2 and 5.2): "
      "round-robin primaries, f+1 StartViewChange and DoViewChange, the log with the largest "
      "(last normal view, op-number)";
  info.params = {
      {"view_change_timeout", ParamType::kDurationRange, "300ms",
       "how long a backup waits without a Prepare or Commit from its primary, and how long a "
       "view change may take, before it moves to the next view (4.2); the paper does not "
       "randomize it, a range draws it anew at every reset",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"heartbeat_interval", ParamType::kDuration, "",
       "how often an idle primary sends Commit (4.1); defaults to half the minimum "
       "view_change_timeout",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
  };
  info.resolve = [](Params& params, uint32_t /*nodes*/) -> absl::Status {
    const auto& timeout = get<sim::DurationRange>(params, "view_change_timeout");
    if (!params.contains("heartbeat_interval")) {
      params.emplace("heartbeat_interval", ParamValue{timeout.lo / 2});
    }
    const auto heartbeat = get<sim::Duration>(params, "heartbeat_interval");
    if (heartbeat.ns() < kMinTimerNanos || heartbeat >= timeout.lo) {
      return absl::InvalidArgumentError(absl::StrCat(
          "parameter 'heartbeat_interval' (", sim::format_duration(heartbeat),
          ") must be at least ", sim::format_duration(sim::Duration::nanoseconds(kMinTimerNanos)),
          " and below the minimum view_change_timeout (", sim::format_duration(timeout.lo), ")"));
    }
    return absl::OkStatus();
  };
  info.make_factory = make_factory;
  info.profile = vr_profile();
  return info;
}

}  // namespace electsim::algorithms::vr
