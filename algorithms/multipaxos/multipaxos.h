// Multi-Paxos with a distinguished proposer elected by ballots (Lamport, "Paxos Made Simple",
// 2001, sections 2.4 and 3; Chandra, Griesemer & Redstone, "Paxos Made Live", 2007, section 4
// for the master, its heartbeats and its lease; van Renesse & Altinbuken, "Paxos Made Moderately
// Complex", 2015, for the leader's preemption by a higher ballot). One MultiPaxos object is one
// server, proposer, acceptor and learner at once, shaped like algorithms/raft/: role changes only
// in become_*(), handle_*() take one message type each, broadcast_*() send to every peer.
//
// What it does:
// - A follower that hears nothing from a leader for a randomized failure-detector timeout (paper
//   2.4: electing the distinguished proposer must use "either randomness or real time") runs
//   phase 1 with a ballot (round, member) above every ballot it has seen.
// - An acceptor promises a ballot at least as high as any it promised (paper 2.2), saving the
//   promise before it answers (paper 2.5: an acceptor "must remember this information even if it
//   fails and then restarts"); the promise carries what it has accepted.
// - With promises from a majority, the proposer leads: it reports Elected with the ballot as
//   epoch and token, and the newest entry of the log it recovered from the promises as log_end.
//   It then re-proposes every slot it does not know chosen, under its own ballot, and appends one
//   no-op (paper section 3: "fill the gaps ... with no-op"), all as one phase-2 range.
// - A slot is chosen when a majority accepted it; the leader and each learner then report
//   Committed. The leader's heartbeats carry what is chosen.
// - A proposer that sees a higher ballot (a Nack, a Prepare, a leader's message) gives up.
// - Optional leader lease (Paxos Made Live, section 5.2 "master leases"): an acceptor that took
//   a leader's Accept or Heartbeat refuses Prepares from other proposers for `lease` on its own
//   clock; the leader holds the lease from the send time of the last message a majority
//   acknowledged, less a drift allowance, and stops leading when it runs out.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "algorithms/multipaxos/acceptor_log.h"
#include "algorithms/multipaxos/ballot.h"
#include "algorithms/multipaxos/multipaxos_messages.h"
#include "algorithms/registry.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::multipaxos {

struct MultiPaxosOptions {
  // A follower that hears no leader for this long (drawn at every reset) runs phase 1.
  sim::DurationRange failure_detector_timeout{sim::Duration::milliseconds(150),
                                              sim::Duration::milliseconds(300)};
  sim::Duration heartbeat_interval = sim::Duration::milliseconds(75);
  // Zero: no lease.
  sim::Duration lease;
  // Taken off the leader's lease to cover the acceptors' clocks running faster than its own.
  sim::Duration lease_drift_allowance;
  // Tests only (tests/algorithms/multipaxos_promises_lower_ballots.cc): a broken acceptor that
  // promises any ballot other than the one it promised, lower ones included.
  bool promises_lower_ballots = false;
  // Tests only (tests/algorithms/multipaxos_support_variants.cc): a broken acceptor that checks
  // an Accept against the ballot it last accepted instead of the one it promised (paper 2.2,
  // phase 2(b)), and so takes a deposed leader's Accept after promising a higher ballot.
  bool accepts_below_promise = false;
  // Tests only (the same file): a broken proposer that counts every Promise it receives, so a
  // duplicated one counts twice towards its majority.
  bool counts_duplicate_promises = false;
};

enum class MultiPaxosRole : uint8_t { kFollower, kCandidate, kLeader };

class MultiPaxos final : public sim::Algorithm {
 public:
  static constexpr sim::TimerId kFailureDetectorTimer = 0;
  static constexpr sim::TimerId kHeartbeatTimer = 1;
  static constexpr sim::TimerId kLeaseTimer = 2;

  // The durable state's layout: a format word, the promised ballot, the highest slot known
  // chosen, the number of slots, then each slot's accepted ballot.
  static constexpr uint64_t kDurableFormat = 1;
  static constexpr size_t kDurableHeaderWords = 4;

  explicit MultiPaxos(const MultiPaxosOptions& options) : options_(options) {}

  sim::FamilyId family() const override { return sim::families::kMultiPaxos; }
  void on_start(sim::Context& context, const sim::DurableState* restored) override;
  void on_message(sim::Context& context, sim::ProcessId from, const sim::Payload& message) override;
  void on_timer(sim::Context& context, sim::TimerId timer) override;

  // Read-only views for tests.
  MultiPaxosRole role() const { return role_; }
  Ballot promised() const { return promised_; }
  Ballot ballot() const { return ballot_; }
  sim::ProcessId leader() const { return leader_; }
  const AcceptorLog& log() const { return log_; }

 private:
  void become_follower(sim::Context& context, sim::ProcessId leader, sim::StepDownReason reason);
  void become_candidate(sim::Context& context);
  void become_leader(sim::Context& context);
  void maybe_report_elected(sim::Context& context);

  void handle_message(sim::Context& context, sim::ProcessId from, const Prepare& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const Promise& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const Accept& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const Accepted& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const Nack& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const Heartbeat& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const HeartbeatAck& message);

  // An acceptor's side of a leader's Accept or Heartbeat: adopts the ballot if it is at least
  // the promised one. False (and a Nack sent) if it is lower.
  bool maybe_follow(sim::Context& context, sim::ProcessId from, Ballot ballot);
  // Phase 2(b) once the ballot is allowed: takes the range and answers.
  void take_accept(sim::Context& context, sim::ProcessId from, const Accept& message);
  // The planted bug of MultiPaxosOptions::accepts_below_promise: true if it took the Accept.
  bool maybe_accept_below_promise(sim::Context& context, sim::ProcessId from,
                                  const Accept& message);
  // Learns that the leader of `ballot` has chosen every slot through `slot`.
  void maybe_learn_chosen(sim::Context& context, Ballot ballot, uint64_t slot);
  // A leader's record of an acknowledgement: accepted_through and the lease's echo.
  void note_acknowledgement(sim::Context& context, sim::ProcessId from, uint64_t accepted_through,
                            uint64_t chosen_through, int64_t sent_at_ns);
  void maybe_choose(sim::Context& context);
  void renew_lease(sim::Context& context);
  bool lease_refuses(const sim::Context& context, sim::ProcessId candidate) const;
  void grant_lease(const sim::Context& context, sim::ProcessId leader);

  void broadcast_heartbeat(sim::Context& context);
  void send_accept(sim::Context& context, sim::ProcessId to);
  // The highest slot chosen under this leader's ballot, 0 before its proposal is chosen.
  uint64_t chosen_under_own_ballot() const;
  void send_nack(sim::Context& context, sim::ProcessId to, Ballot refused);
  void reset_failure_detector(sim::Context& context);
  bool record_promise(sim::ProcessId from, uint64_t last_slot, sim::LogPosition newest);

  void promise(Ballot ballot);
  // Every message goes out through here, so a changed promise or log is saved first (paper 2.5).
  void send(sim::Context& context, sim::ProcessId to, const MultiPaxosMessage& message);
  void persist(sim::Context& context);
  void restore(const sim::DurableState& state);
  size_t position(sim::ProcessId member) const;

  MultiPaxosOptions options_;
  sim::ProcessId self_ = sim::kNoNode;
  std::span<const sim::ProcessId> members_;
  std::vector<sim::ProcessId> peers_;
  uint32_t quorum_ = 1;
  size_t self_position_ = 0;

  // Durable (paper 2.5): the highest ballot promised, and what was accepted.
  Ballot promised_ = kNoBallot;
  AcceptorLog log_;
  bool durable_dirty_ = false;

  // Volatile.
  MultiPaxosRole role_ = MultiPaxosRole::kFollower;
  sim::ProcessId leader_ = sim::kNoNode;
  Ballot ballot_ = kNoBallot;  // this server's own ballot as candidate or leader
  Ballot highest_seen_ = kNoBallot;  // the highest ballot any message named
  // The last range this acceptor took, so that a heartbeat's answer says whether it holds the
  // leader's proposal without a scan of the log.
  Ballot last_accept_ballot_ = kNoBallot;
  uint64_t last_accept_through_ = 0;
  // A candidate's phase 1: who promised, and what their logs hold.
  std::vector<uint8_t> promised_by_;
  uint32_t promises_ = 0;
  uint64_t recovered_last_slot_ = 0;
  sim::LogPosition recovered_newest_;
  // A leader's phase 2: the slots it proposes, and per peer where to send from and whether the
  // peer holds them all.
  uint64_t proposal_first_ = 0;
  uint64_t proposal_last_ = 0;
  std::vector<uint64_t> next_slot_;
  std::vector<uint8_t> holds_proposal_;
  uint32_t holders_ = 0;
  bool elected_reported_ = false;
  sim::LogPosition won_with_;  // the recovered log's newest entry, reported as log_end
  // The lease: on an acceptor, whom it granted one and until when (its own clock); on a leader,
  // the latest send time each peer echoed, the time its first proposal went out, and its lease.
  sim::ProcessId lease_holder_ = sim::kNoNode;
  sim::LocalInstant lease_granted_until_;
  std::vector<int64_t> echoed_sent_at_;
  std::vector<int64_t> scratch_;
  int64_t proposal_sent_at_ns_ = 0;
  sim::LocalInstant lease_until_;
};

class MultiPaxosFactory final : public sim::AlgorithmFactory {
 public:
  explicit MultiPaxosFactory(const MultiPaxosOptions& options) : options_(options) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId /*process*/) const override {
    return std::make_unique<MultiPaxos>(options_);
  }
  const MultiPaxosOptions& options() const { return options_; }

 private:
  MultiPaxosOptions options_;
};

// Builds the factory from parameters resolved by multipaxos_info().resolve.
std::unique_ptr<sim::AlgorithmFactory> make_factory(const Params& params, uint32_t nodes);
// The same with MultiPaxosOptions::promises_lower_ballots set (tests only).
std::unique_ptr<sim::AlgorithmFactory> make_factory_promising_lower_ballots(const Params& params,
                                                                           uint32_t nodes);

}  // namespace electsim::algorithms::multipaxos
