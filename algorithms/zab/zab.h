// Zab: ZooKeeper's leader election and the recovery that makes a leader (ZooKeeper's
// FastLeaderElection.java, QuorumPeer.java, Leader.java, LearnerHandler.java, Learner.java and
// Follower.java; Junqueira, Reed, Serafini, "Zab: High-performance broadcast for primary-backup
// systems", DSN 2011, section IV, Phases 0-3; Medeiros, "ZooKeeper's atomic broadcast protocol:
// Theory and practice", 2012, sections 3-4). One Zab object is one server, a state machine
// driven by on_start, on_message and on_timer:
//
// - Phase 0, Fast Leader Election (LOOKING): notifications carry votes ordered by (peer epoch,
//   last zxid, server id) and the sender's round; a server adopts a higher vote, decides once a
//   quorum agrees with it and no better vote arrives within finalize_wait, and resends its vote
//   with a doubling timeout while nothing arrives. Servers that are not LOOKING answer a LOOKING
//   one with the leader they follow, so a restarted server joins the current leader.
// - Phase 1, discovery: followers send their acceptedEpoch (FOLLOWERINFO); once a quorum has
//   connected, the prospective leader proposes max(acceptedEpoch) + 1 (LEADERINFO); followers
//   persist it as acceptedEpoch and answer ACKEPOCH. A quorum of ACKEPOCHs elects the leader,
//   which persists currentEpoch.
// - Phase 2, synchronization: the leader sends each follower the entries it misses (TRUNC and
//   PROPOSALs, ZooKeeper's DIFF/TRUNC/SNAP reduced to "what is missing") and NEWLEADER; a quorum
//   of ACKs makes it ready.
// - Phase 3, broadcast: the new leader proposes one no-op transaction, zxid (epoch, 1), and
//   commits it when a quorum acknowledges; PINGs keep followers, and a leader that does not hear
//   from a quorum within syncLimit ticks steps down (Leader.lead()'s loop).
//
// Entries are no-ops (the simulator elects leaders, it does not replicate commands), but the log
// is real: it decides who wins (the vote order) and what a new leader must hold.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "algorithms/registry.h"
#include "algorithms/zab/zab_messages.h"
#include "algorithms/zab/zab_vote.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::zab {

struct ZabOptions {
  // ZooKeeper's defaults (zoo_sample.cfg and the administrator's guide): a tick of 2 s, 10 ticks
  // to connect and synchronize (initLimit), 5 ticks between a request and its answer (syncLimit).
  sim::Duration tick_time = sim::Duration::milliseconds(2000);
  int64_t init_limit = 10;
  int64_t sync_limit = 5;
  // FastLeaderElection.finalizeWait and maxNotificationInterval.
  sim::Duration finalize_wait = sim::Duration::milliseconds(200);
  sim::Duration max_notification_interval = sim::Duration::milliseconds(60000);
  // Tests only (tests/algorithms/zab_vote_ignores_epoch.cc): a broken vote order that compares
  // the zxids' counters and ignores every epoch, so a server with a stale log can win.
  bool vote_order_ignores_epoch = false;
  // Tests only (tests/algorithms/zab_variants.cc): getEpochToPropose without its "+ 1": the new
  // epoch is max(acceptedEpoch), which the prospective leader may have accepted already.
  bool new_epoch_off_by_one = false;
  // Tests only (tests/algorithms/zab_variants.cc): waitForEpochAck without its "Follower is ahead
  // of the leader" refusal, so a leader whose history is older than a follower's counts it (and
  // neither adopts the newer history, as the Zab paper's Phase 1 does, nor refuses it, as
  // ZooKeeper does).
  bool counts_followers_ahead = false;
  // Tests only (tests/algorithms/zab_variants.cc): the quorum of ACKEPOCHs that elects a leader
  // is one short (a majority test written as >= n/2 instead of > n/2): f acknowledgements of
  // 2f + 1, the leader's own among them.
  bool epoch_quorum_short_by_one = false;
};

enum class ZabRole : uint8_t { kLooking, kFollowing, kLeading };

// Where a leader or a follower is in Phases 1-3.
enum class ZabPhase : uint8_t { kDiscovery, kSynchronization, kBroadcast };

class Zab final : public sim::Algorithm {
 public:
  static constexpr sim::TimerId kNotificationTimer = 0;  // FLE: resend the vote
  static constexpr sim::TimerId kFinalizeTimer = 1;      // FLE: finalize_wait after a quorum
  static constexpr sim::TimerId kLeaderTickTimer = 2;    // leader: half a tick (ping loop)
  static constexpr sim::TimerId kPhaseTimer = 3;         // leader: initLimit for each phase
  static constexpr sim::TimerId kLeaderReadTimer = 4;    // follower: read timeout on the leader
  static constexpr sim::TimerId kRetransmitTimer = 5;    // follower: resend its handshake

  explicit Zab(const ZabOptions& options) : options_(options) {}

  sim::FamilyId family() const override { return sim::families::kZab; }
  void on_start(sim::Context& context, const sim::DurableState* restored) override;
  void on_message(sim::Context& context, sim::ProcessId from,
                  const sim::Payload& message) override;
  void on_timer(sim::Context& context, sim::TimerId timer) override;

  // Read-only views for tests and debugging.
  ZabRole role() const { return role_; }
  ZabPhase phase() const { return phase_; }
  uint64_t accepted_epoch() const { return accepted_epoch_; }
  uint64_t current_epoch() const { return current_epoch_; }
  uint64_t round() const { return round_; }
  const Vote& proposal() const { return proposal_; }
  sim::ProcessId leader() const { return leader_; }
  std::span<const Zxid> log() const { return log_; }
  Zxid last_zxid() const { return log_.empty() ? 0 : log_.back(); }
  Zxid committed_zxid() const { return committed_; }
  // The epoch this server leads or follows in (the leader's new epoch once discovery chose it).
  uint64_t epoch() const { return epoch_; }

  // The durable state's layout: a format word, acceptedEpoch, currentEpoch, the number of log
  // entries, and each entry's zxid (what ZooKeeper keeps on disk: the acceptedEpoch and
  // currentEpoch files and the transaction log).
  static constexpr uint64_t kDurableFormat = 1;
  static constexpr size_t kDurableHeaderWords = 4;

 private:
  // ---- Phase 0: Fast Leader Election (zab_election.cc) ----
  void become_looking(sim::Context& context);
  void handle_message(sim::Context& context, sim::ProcessId from, const Notification& message);
  void handle_looking_notification(sim::Context& context, sim::ProcessId from,
                                   const Notification& message);
  void handle_decided_notification(sim::Context& context, sim::ProcessId from,
                                   const Notification& message);
  void answer_looking_peer(sim::Context& context, sim::ProcessId to);
  void maybe_start_finalizing(sim::Context& context);
  void finish_election(sim::Context& context, const Vote& vote);
  void update_proposal(sim::ProcessId leader, Zxid zxid, uint64_t peer_epoch);
  void broadcast_notifications(sim::Context& context);
  void handle_notification_timeout(sim::Context& context);
  bool beats_proposal(const Notification& message) const;
  bool vote_is_higher_here(uint64_t new_epoch, Zxid new_zxid, sim::ProcessId new_id,
                           uint64_t cur_epoch, Zxid cur_zxid, sim::ProcessId cur_id) const;
  bool quorum_agrees(const std::vector<std::optional<Vote>>& votes, const Vote& vote,
                     bool looking) const;
  bool leader_confirmed(sim::ProcessId leader, uint64_t round) const;

  // ---- Phases 1-3, the leader's side (zab_leader.cc) ----
  void become_leader(sim::Context& context);
  void handle_message(sim::Context& context, sim::ProcessId from, const FollowerInfo& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const AckEpoch& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const Ack& message);
  void decide_epoch(sim::Context& context);
  void declare_elected(sim::Context& context);
  void become_ready(sim::Context& context);
  void synchronize(sim::Context& context, sim::ProcessId follower, Zxid follower_last);
  void send_entries_after(sim::Context& context, sim::ProcessId follower, Zxid after);
  void heard_from_follower(size_t follower);
  void maybe_commit(sim::Context& context);
  void handle_leader_tick(sim::Context& context);
  void leader_gives_up(sim::Context& context, sim::StepDownReason reason);
  uint32_t count(const std::vector<uint8_t>& flags) const;
  // How many counted ACKEPOCHs (the leader's own included) elect a leader: a quorum.
  uint32_t epoch_ack_quorum() const;

  // ---- Phases 1-3, the follower's side (zab_follower.cc) ----
  void become_follower(sim::Context& context, sim::ProcessId leader);
  void handle_message(sim::Context& context, sim::ProcessId from, const LeaderInfo& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const Trunc& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const Proposal& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const NewLeader& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const Commit& message);
  void handle_message(sim::Context& context, sim::ProcessId from, const Ping& message);
  void send_handshake(sim::Context& context);
  bool from_my_leader(sim::ProcessId from, uint64_t epoch) const;
  void heard_from_leader(sim::Context& context);
  void learn_commit(sim::Context& context, Zxid zxid);
  void follower_gives_up(sim::Context& context, sim::LeaderLostReason reason);

  // ---- Shared (zab.cc) ----
  void send(sim::Context& context, sim::ProcessId to, const ZabMessage& message);
  void persist(sim::Context& context);
  void restore(const sim::DurableState& state);
  bool log_contains(Zxid zxid) const;
  void truncate_after(Zxid zxid);
  sim::Duration ticks(int64_t count) const { return options_.tick_time * count; }
  size_t position(sim::ProcessId member) const;

  ZabOptions options_;
  sim::ProcessId self_ = sim::kNoNode;
  std::span<const sim::ProcessId> members_;  // the group's members, in id order
  uint32_t quorum_ = 1;                      // a majority of the members

  // Durable (ZooKeeper's acceptedEpoch and currentEpoch files and its transaction log).
  uint64_t accepted_epoch_ = 0;
  uint64_t current_epoch_ = 0;
  std::vector<Zxid> log_;

  // Volatile.
  ZabRole role_ = ZabRole::kLooking;
  ZabPhase phase_ = ZabPhase::kDiscovery;
  sim::ProcessId leader_ = sim::kNoNode;
  uint64_t epoch_ = 0;  // the epoch led or followed (0 until discovery chose it)
  Zxid committed_ = 0;
  bool reported_follows_ = false;
  // The follower's last handshake message (FOLLOWERINFO or ACKEPOCH), resent every tick until the
  // leader answers: TCP retransmits what a lossy link drops, the simulator's links do not.
  std::optional<ZabMessage> handshake_;

  // FLE state (FastLeaderElection: logicalclock, the proposal, recvset and outofelection).
  uint64_t round_ = 0;
  Vote proposal_;
  Vote current_vote_;  // the vote that ended the last election, what a LOOKING peer is told
  std::vector<std::optional<Vote>> received_;        // by member position, this round
  std::vector<std::optional<Vote>> out_of_election_;  // by member position
  sim::Duration notification_timeout_;
  bool finalizing_ = false;

  // The leader's view of each member, by position (LearnerHandler's state).
  std::vector<uint8_t> connected_;        // sent FOLLOWERINFO to this leadership
  uint64_t proposed_epoch_ = 0;           // Leader.epoch while discovery waits for a quorum
  // ACKEPOCH for the new epoch: 0 none, kCountedAck newly accepted (counts towards the quorum),
  // kUncountedAck accepted before (Leader.waitForEpochAck skips it, the follower still syncs).
  static constexpr uint8_t kCountedAck = 1;
  static constexpr uint8_t kUncountedAck = 2;
  std::vector<uint8_t> epoch_acked_;
  std::vector<Zxid> follower_last_zxid_;  // as its ACKEPOCH said
  std::vector<uint8_t> new_leader_acked_;  // acknowledged NEWLEADER
  std::vector<Zxid> acked_zxid_;          // the highest zxid acknowledged
  std::vector<int64_t> ack_deadline_tick_;  // LearnerHandler.tickOfNextAckDeadline
  int64_t tick_ = 0;                      // QuorumPeer.tick
  bool tick_skip_ = true;                 // Leader.lead(): a tick every other half tick
};

class ZabFactory final : public sim::AlgorithmFactory {
 public:
  explicit ZabFactory(const ZabOptions& options) : options_(options) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId process) const override;
  const ZabOptions& options() const { return options_; }

 private:
  ZabOptions options_;
};

// Zab's entry in the registry: its parameters, check profile and factory (zab_info.cc).
AlgorithmInfo zab_info();
// The factory from parameters resolved by zab_info().resolve.
std::unique_ptr<sim::AlgorithmFactory> make_factory(const Params& params, uint32_t nodes);

}  // namespace electsim::algorithms::zab
