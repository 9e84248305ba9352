// Raft's parameters (names from DESIGN.md's contract) and how they resolve.
#include "absl/strings/str_cat.h"
#include "algorithms/raft/raft_factory.h"

namespace electsim::algorithms::raft {
namespace {

constexpr int64_t kNanosPerHour = 3'600'000'000'000;

// Raft's check profile (sim/checks/profile.h). Progress needs a majority of the group's members
// (paper 5.2). Without CheckQuorum a deposed leader believes until it hears of a higher term, so
// overlaps are expected and only reported. With it, the thesis (6.2) promises that "a leader
// steps down if an election timeout elapses without a successful round of heartbeats to a
// majority of its cluster"; etcd raft's CheckQuorum (as ours, handle_check_quorum) checks every
// minimum election timeout whether a majority was active since the last check. Once a successor
// is elected, a majority voted in a higher term and answers the old leader no more: their last
// answers arrive within the network's maximum one-way delay, the check period in which they
// arrive may still count them, and the next full period cannot. So the deposed leader stops
// believing within 2 x election_timeout.lo of the successor's election plus that delay, counted
// in its own running time (sim/checks: pauses and backward clock steps of its host are excused).
sim::checks::CheckProfile raft_profile(bool check_quorum, sim::Duration check_bound) {
  sim::checks::CheckProfile profile;
  profile.progress = sim::checks::ProgressModel::kGroupMajority;
  profile.token = "term (also the fencing token)";
  profile.reports_support = true;  // votes and pre-votes (Raft::handle_message, RequestVote)
  profile.bound_formula =
      "with check_quorum: bounded, 2 x election_timeout.lo + the network's maximum one-way "
      "delay; without it: until_superseded";
  if (check_quorum) {
    profile.exclusivity = sim::checks::ExclusivityRule::kBounded;
    profile.exclusivity_bound = check_bound;
    profile.bound_formula = "2 x election_timeout.lo + the network's maximum one-way delay";
  }
  return profile;
}

}  // namespace

std::unique_ptr<sim::AlgorithmFactory> make_factory(const Params& params, uint32_t nodes);

AlgorithmInfo raft_info() {
  AlgorithmInfo info;
  info.name = "raft";
  info.summary =
      "Raft leader election (Ongaro & Ousterhout 2014, sections 5.2 and 5.4.1; Ongaro's thesis "
      "chapter 9), with optional PreVote, CheckQuorum and leader stickiness";
  info.params = {
      {"election_timeout", ParamType::kDurationRange, "150ms..300ms",
       "follower election timeout, drawn uniformly from the range at every reset (paper 5.2)",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"initial_election_timeout", ParamType::kDurationRange, "",
       "the election timeout after a start or restart, until the server hears from a leader; "
       "defaults to election_timeout (Figure 16's sweeps elect their first leader with a broad "
       "one)",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"candidate_election_timeout", ParamType::kDurationRange, "",
       "the election timeout a candidate draws when it starts an election, i.e. its wait before "
       "retrying after a split vote; defaults to election_timeout (Howard 2014, \"fixed "
       "reduction\")",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"election_timeout_step", ParamType::kDuration, "0",
       "0: timeouts to the nanosecond; otherwise each drawn timeout is rounded to the nearest "
       "multiple of this step, as LogCabin draws whole milliseconds (Figure 16's cluster)",
       0, kNanosPerHour},
      {"logcabin_write_order", ParamType::kBool, "false",
       "writes ordered as in LogCabin (Figure 16's cluster): a candidate's RequestVotes wait "
       "for the write of its term and vote, a voter writes a new term and then its vote; "
       "otherwise the requests overlap the write (thesis 9.3) and a voter writes once"},
      {"ocaml_raft_rules", ParamType::kBool, "false",
       "the rules of Howard's simulator (heidihoward/ocaml-raft), to reproduce its published "
       "runs: only a server that was a follower when a RequestVote arrived grants it, a "
       "deposed candidate restarts its timer, and candidates use candidate_election_timeout "
       "from the first election on"},
      {"candidate_backoff", ParamType::kBool, "false",
       "Howard's binary exponential backoff: a candidate whose previous election was refused by "
       "at least half of its peers doubles its candidate timeout again (at most 1024x); "
       "stepping down or winning resets it"},
      {"heartbeat_interval", ParamType::kDuration, "",
       "leader's AppendEntries interval; defaults to half the minimum election timeout",
       kMinTimerNanos, kNanosPerHour, /*is_timer=*/true},
      {"pre_vote", ParamType::kBool, "false",
       "a candidate first asks whether it could win, without raising terms (thesis 9.6)"},
      {"check_quorum", ParamType::kBool, "false",
       "a leader steps down when it has not heard from a majority for an election timeout "
       "(thesis 6.2); as in etcd-raft, it also turns on leader stickiness"},
      {"leader_stickiness", ParamType::kBool, "false",
       "a server that heard from a leader within the minimum election timeout ignores "
       "RequestVote: it neither adopts the term nor grants the vote (thesis 4.2.3)"},
      {"persist_delay", ParamType::kDuration, "0",
       "how long a write to stable storage takes; a response waits for the writes before it "
       "(paper Figure 2), requests do not (thesis 9.3, 10.2.1)",
       0, kNanosPerHour},
      {"persist_jitter", ParamType::kDuration, "0",
       "each write takes persist_delay plus an exponential draw of this mean (a disk's sync time "
       "has a long right tail); it makes writes happen even with persist_delay 0",
       0, kNanosPerHour},
      {"lagging_nodes", ParamType::kNodeList, "[]",
       "nodes whose logs start one entry behind the others, so they cannot win an election "
       "against an up-to-date majority (paper 5.4.1; Figure 16's setup)"},
      {"lagging_stay_behind", ParamType::kBool, "false",
       "experiment knob for Figure 16: the lagging nodes follow and acknowledge AppendEntries "
       "but store no entries, so their logs stay behind for the whole run (thesis 9.4)"},
  };
  info.resolve = [](Params& params, uint32_t /*nodes*/) -> absl::Status {
    const auto& timeout = get<sim::DurationRange>(params, "election_timeout");
    if (!params.contains("initial_election_timeout")) {
      params.emplace("initial_election_timeout", ParamValue{timeout});
    }
    if (!params.contains("candidate_election_timeout")) {
      params.emplace("candidate_election_timeout", ParamValue{timeout});
    }
    if (!params.contains("heartbeat_interval")) {
      params.emplace("heartbeat_interval", ParamValue{timeout.lo / 2});
    }
    const auto heartbeat = get<sim::Duration>(params, "heartbeat_interval");
    if (heartbeat.ns() < kMinTimerNanos) {
      // Only the default can get here: a heartbeat written out was bounded when parsed.
      return absl::InvalidArgumentError(absl::StrCat(
          "parameter 'heartbeat_interval' defaults to half the minimum election timeout (",
          sim::format_duration(heartbeat), "), below the shortest timer of ",
          sim::format_duration(sim::Duration::nanoseconds(kMinTimerNanos)),
          "; raise election_timeout or set heartbeat_interval"));
    }
    if (heartbeat >= timeout.lo) {
      return absl::InvalidArgumentError(absl::StrCat(
          "parameter 'heartbeat_interval' (", sim::format_duration(heartbeat),
          ") must be below the minimum election timeout (", sim::format_duration(timeout.lo),
          ")"));
    }
    return absl::OkStatus();
  };
  info.make_factory = make_factory;
  info.profile = raft_profile(/*check_quorum=*/false, sim::Duration::zero());
  info.resolve_profile = [](const Params& params) {
    const auto& timeout = get<sim::DurationRange>(params, "election_timeout");
    return raft_profile(get<bool>(params, "check_quorum"), timeout.lo * 2);
  };
  return info;
}

}  // namespace electsim::algorithms::raft
