// Multi-Paxos' parameters and how they resolve, and its check profile.
#include "absl/strings/str_cat.h"
#include "algorithms/multipaxos/multipaxos.h"
#include "algorithms/multipaxos/multipaxos_factory.h"

namespace electsim::algorithms::multipaxos {
namespace {

constexpr int64_t kNanosPerHour = 3'600'000'000'000;
// The default drift allowance, as a fraction of the lease: 1%, 25 times the largest relative
// rate difference of two clocks within +-200 ppm (what scenarios/library/nemesis.yaml draws).
constexpr int64_t kDriftAllowanceDivisor = 100;

// Progress needs a majority of the group's members (paper 2.2: a value is chosen when a majority
// of acceptors accepted it, and a ballot needs a majority's promises). Without a lease nothing
// ends a deposed leader's belief but a higher ballot, so overlaps are only reported. With one,
// the leader stops at the end of a lease it counts from the send time of a message a majority
// acknowledged; a successor needs promises from a majority, one of which acknowledged that
// message before it promised (after promising it refuses the lower ballot), and refused every
// Prepare but the leader's until its lease ran out. So the message went out before the
// successor's election, and the deposed leader stops within one lease of it, on its own clock.
sim::checks::CheckProfile multipaxos_profile(sim::Duration lease) {
  sim::checks::CheckProfile profile;
  profile.progress = sim::checks::ProgressModel::kGroupMajority;
  // Promises are the binding support for a ballot (paper 2.2: a proposer needs a majority's
  // promises), reported as Supported{proposer, ballot, promise} before the Promise is sent
  // (MultiPaxos::handle_message(Prepare), and become_candidate for its own), and accepts as
  // Supported{leader, ballot, accept}; so leader_had_a_quorum counts them.
  profile.reports_support = true;
  profile.token =
      "ballot, encoded round << 16 | (member index + 1) so that ballots compare as (round, "
      "member) (also the fencing token)";
  profile.bound_formula =
      "with a lease: bounded, lease + the network's maximum one-way delay; without one: "
      "until_superseded";
  if (lease > sim::Duration::zero()) {
    profile.exclusivity = sim::checks::ExclusivityRule::kBounded;
    profile.exclusivity_bound = lease;
    profile.bound_formula = "lease + the network's maximum one-way delay";
  }
  return profile;
}

absl::Status check_lease(const Params& params) {
  const auto lease = get<sim::Duration>(params, "lease");
  if (lease == sim::Duration::zero()) return absl::OkStatus();
  const auto heartbeat = get<sim::Duration>(params, "heartbeat_interval");
  const auto allowance = get<sim::Duration>(params, "lease_drift_allowance");
  // The lease is renewed once per heartbeat from a message sent one heartbeat earlier at most:
  // shorter than two heartbeats (after the allowance), it lapses between renewals.
  if (lease - allowance <= heartbeat * 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "parameter 'lease' (", sim::format_duration(lease), ") less 'lease_drift_allowance' (",
        sim::format_duration(allowance), ") must exceed twice the heartbeat interval (",
        sim::format_duration(heartbeat), ")"));
  }
  return absl::OkStatus();
}

absl::Status resolve(Params& params, uint32_t /*nodes*/) {
  const auto& timeout = get<sim::DurationRange>(params, "failure_detector_timeout");
  if (!params.contains("heartbeat_interval")) {
    params.emplace("heartbeat_interval", ParamValue{timeout.lo / 2});
  }
  const auto lease = get<sim::Duration>(params, "lease");
  if (!params.contains("lease_drift_allowance")) {
    params.emplace("lease_drift_allowance", ParamValue{lease / kDriftAllowanceDivisor});
  }
  const auto heartbeat = get<sim::Duration>(params, "heartbeat_interval");
  if (heartbeat.ns() < kMinTimerNanos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "parameter 'heartbeat_interval' defaults to half the minimum failure-detector timeout (",
        sim::format_duration(heartbeat), "), below the shortest timer of ",
        sim::format_duration(sim::Duration::nanoseconds(kMinTimerNanos)),
        "; raise failure_detector_timeout or set heartbeat_interval"));
  }
  if (heartbeat >= timeout.lo) {
    return absl::InvalidArgumentError(absl::StrCat(
        "parameter 'heartbeat_interval' (", sim::format_duration(heartbeat),
        ") must be below the minimum failure-detector timeout (", sim::format_duration(timeout.lo),
        ")"));
  }
  return check_lease(params);
}

}  // namespace

AlgorithmInfo multipaxos_info() {
  AlgorithmInfo info;
  info.name = "multipaxos";
  info.summary =
      "Multi-Paxos with a distinguished proposer elected by ballots (Lamport, Paxos Made Simple "
      "2001, sections 2.4 and 3; Chandra et al., Paxos Made Live 2007, for heartbeats and the "
      "optional master lease)";
  info.params = {
      {"failure_detector_timeout", ParamType::kDurationRange, "150ms..300ms",
       "a follower that hears no leader for this long runs phase 1 with a higher ballot; drawn "
       "uniformly at every reset (Paxos Made Simple, section 2.4, asks for randomness or real "
       "time; the default is Raft's election timeout, so the two compare on the same faults)",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"heartbeat_interval", ParamType::kDuration, "",
       "the leader's heartbeat interval; defaults to half the minimum failure-detector timeout",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"lease", ParamType::kDuration, "0",
       "leader lease (Paxos Made Live, section 5.2), 0 for none: an acceptor that heard the "
       "leader refuses other proposers' Prepares for this long on its own clock, and the leader "
       "steps down when its lease, counted from a majority-acknowledged send, runs out",
       0, kNanosPerHour},
      {"lease_drift_allowance", ParamType::kDuration, "",
       "taken off the leader's lease for the acceptors' clocks running faster than its own; "
       "defaults to 1% of the lease",
       0, kNanosPerHour},
  };
  info.resolve = resolve;
  info.make_factory = make_factory;
  info.profile = multipaxos_profile(sim::Duration::zero());
  info.resolve_profile = [](const Params& params) {
    return multipaxos_profile(get<sim::Duration>(params, "lease"));
  };
  return info;
}

}  // namespace electsim::algorithms::multipaxos
