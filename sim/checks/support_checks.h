// The *always* checks on support and logs (internal to sim/checks; issue 14 "Checks on support",
// issue 10 "Leader completeness"; DESIGN.md "Checks"). They read what algorithms report through
// the typed events Supported, Committed and Elected::log_end (sim/algorithm.h), never an
// algorithm's insides, so a bug is caught at the vote or the election that shows it, not only
// once it has produced two leaders of one epoch.
//
// Each keeps per process or per group only what its rule needs, bounded: a few recent epochs,
// never the history of the run.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "sim/algorithm.h"
#include "sim/checks/check_base.h"
#include "sim/checks/topology.h"

namespace electsim::sim::checks {

// When each process last restarted with nothing (an amnesia restart of its host), so that a
// violation can say that the process had lost its durable state: the likely cause, not an excuse.
class AmnesiaRestarts {
 public:
  explicit AmnesiaRestarts(const Topology& topology) : last_(topology.processes()) {}
  // A kRestart record (a host record: every process of the host).
  void note(const Topology& topology, const TraceRecord& restart);
  // "; it lost its durable state in an amnesia restart at 12.5s" if `process` had one after
  // `since`, else "".
  std::string since(ProcessId process, Instant since) const;
  // "; n3 lost its durable state in an amnesia restart at 12.5s" for the latest amnesia restart
  // among `processes`, else "".
  std::string latest_among(const Topology& topology, std::span<const ProcessId> processes) const;

 private:
  std::vector<std::optional<Instant>> last_;
};

// leader_completeness (Raft's Leader Completeness property, Ongaro & Ousterhout 2014, 5.4 and
// Figure 3): a leader elected for epoch e holds every entry committed in an epoch below e. The
// check sees positions only: a leader whose log ended, when it won, before the newest entry
// committed in a lower epoch cannot hold that entry (logs are ordered by LogPosition, and an
// entry's epoch never decreases along a log). A commit's epoch is the epoch its reporter was
// in (its last became_leader or follows since its host last started), at least the entry's own:
// an upper bound on the epoch that decided it. Commits of epochs >= e are not judged against a
// leader of e: a stale candidate may legitimately win epoch e with late votes after a leader of
// a higher epoch committed more (docs/CHECKS.md). A leader that reports no log_end is not judged.
class LeaderCompleteness final : public Check {
 public:
  // How many commit epochs a group remembers (the newest commit of each, as a staircase).
  static constexpr size_t kMaxRememberedSteps = 1 << 16;
  static constexpr size_t kMinRememberedStepsPerGroup = 64;

  explicit LeaderCompleteness(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

 private:
  struct Commit {
    LogPosition position;
    NodeId process = kNoNode;
    Instant time;
  };
  // By commit epoch, each step's position higher than every step below it: the newest position
  // committed below an epoch is the step just below it.
  using Staircase = absl::btree_map<uint64_t, Commit>;
  void note_commit(const TraceRecord& record);
  void judge_leader(const TraceRecord& record);
  void add_step(Staircase& steps, uint64_t epoch, const Commit& commit) const;
  std::string amnesia_note(ProcessId leader, Instant committed_at) const;

  std::shared_ptr<const Topology> topology_;
  std::vector<Staircase> groups_;
  std::vector<std::optional<uint64_t>> epoch_of_;  // by process, since its host last started
  AmnesiaRestarts amnesia_;
  size_t remembered_per_group_;
};

// one_vote_per_epoch (Raft 5.2: "each server will vote for at most one candidate in a given
// term, on a first-come-first-served basis"; VR Revisited 4.2, one DoViewChange per view): a
// process gives binding support (sim/trace_records.h, is_binding) to at most one candidate per
// epoch, across restarts. An amnesia restart is no excuse, as for epochs_never_go_backwards: the
// vote is persistent state (Raft Figure 2) precisely so that a restart cannot give it twice; the
// violation says that the process lost its durable state.
class OneVotePerEpoch final : public Check {
 public:
  static constexpr size_t kRememberedEpochsPerProcess = 64;

  explicit OneVotePerEpoch(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

 private:
  struct Vote {
    NodeId candidate = kNoNode;
    Instant time;
    SupportKind kind = SupportKind::kVote;
    bool reported = false;  // a second candidate was reported already for this epoch
  };
  struct ProcessVotes {
    absl::btree_map<uint64_t, Vote> by_epoch;
    bool forgot_any = false;
    uint64_t forgotten_below = 0;
  };
  void judge(const TraceRecord& record, Vote& first);

  std::shared_ptr<const Topology> topology_;
  std::vector<ProcessVotes> processes_;
  AmnesiaRestarts amnesia_;
};

// promises_never_go_backwards (Lamport, "Paxos Made Simple", 2001, section 2.2: an acceptor that
// promised n accepts no proposal numbered less than n, and a prepare below n gets no promise):
// a process never gives kPromise or kAccept for a ballot lower than a kPromise it gave before,
// across restarts (amnesia included, said in the violation). Each fall is reported once, until
// the process promises its highest ballot or more again.
class PromisesNeverGoBackwards final : public Check {
 public:
  explicit PromisesNeverGoBackwards(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

 private:
  struct Promised {
    bool any = false;
    uint64_t ballot = 0;
    NodeId candidate = kNoNode;
    Instant time;
    bool behind = false;  // a fall was reported and not yet made up
  };
  std::shared_ptr<const Topology> topology_;
  std::vector<Promised> processes_;
  AmnesiaRestarts amnesia_;
};

// leader_had_a_quorum (Raft 5.2: "a candidate wins an election if it receives votes from a
// majority of the servers in the full cluster for the same term"; Paxos phase 1 and VR's f + 1
// DoViewChange likewise): when a member reports Elected for epoch e, distinct members of its
// group (itself included) gave it binding support for e, and they are a majority of the group's
// members. Only for algorithms whose profile is group_majority and reports_support (the suite
// decides): one that never reports support cannot be judged by what it did not say.
class LeaderHadAQuorum final : public Check {
 public:
  static constexpr size_t kRememberedEpochsPerCandidate = 16;

  explicit LeaderHadAQuorum(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

 private:
  // The distinct members that supported a candidate for one epoch, in the order they did.
  struct EpochSupport {
    uint64_t epoch = 0;
    std::vector<NodeId> members;
  };
  // At most kRememberedEpochsPerCandidate epochs per candidate. A new epoch always goes in and
  // the lowest one already there goes out: after an amnesia restart a candidate campaigns in low
  // epochs again, and a paused voter that resumes grants a burst of old requests at once (its
  // late support for lower epochs must not push out the epoch being elected).
  using Supporters = std::vector<EpochSupport>;
  void note_support(const TraceRecord& record);
  void judge_leader(const TraceRecord& record);

  std::shared_ptr<const Topology> topology_;
  std::vector<Supporters> candidates_;
};

// follows_a_claimed_leader: a member reports Follows{L, e} only after L reported Elected for e in
// its group (Raft 5.1: a server recognizes a leader by an AppendEntries of the leader's current
// term; a follower that adopts a stale leader under its own newer term, or a foreign epoch,
// follows someone who never claimed it). Not judged for service-based algorithms (the suite
// decides): there a follower reads the winner from the service, which can tell it before the
// winner has heard its own grant.
class FollowsAClaimedLeader final : public Check {
 public:
  static constexpr size_t kMaxRememberedClaims = 1 << 16;
  static constexpr size_t kMinRememberedClaimsPerGroup = 64;

  explicit FollowsAClaimedLeader(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

  uint64_t unjudged_follows() const { return unjudged_follows_; }

 private:
  struct GroupClaims {
    // (epoch, leader) pairs claimed so far: usually one leader per epoch.
    absl::btree_map<uint64_t, std::vector<NodeId>> claims;
    bool forgot_any = false;
    uint64_t forgotten_below = 0;
  };
  struct LastClaim {
    bool any = false;
    uint64_t epoch = 0;
    Instant time;
  };
  void note_claim(const TraceRecord& record);
  void judge_follower(const TraceRecord& record);

  std::shared_ptr<const Topology> topology_;
  std::vector<GroupClaims> groups_;
  std::vector<LastClaim> last_claim_;  // by process
  size_t remembered_per_group_;
  uint64_t unjudged_follows_ = 0;
};

}  // namespace electsim::sim::checks
