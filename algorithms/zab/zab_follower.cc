// Phases 1-3 on the follower's side (ZooKeeper's Learner.java: connectToLeader,
// registerWithLeader, syncWithLeader; Follower.java: followLeader, processPacket; Zab paper,
// DSN 2011, section IV).
#include <algorithm>

#include "algorithms/zab/zab.h"

namespace electsim::algorithms::zab {

using sim::Context;
using sim::ProcessId;

// Follower.followLeader: connect and send FOLLOWERINFO with the acceptedEpoch. Until it is
// synchronized, every read waits at most initLimit ticks (the socket's timeout).
void Zab::become_follower(Context& context, ProcessId leader) {
  role_ = ZabRole::kFollowing;
  phase_ = ZabPhase::kDiscovery;
  leader_ = leader;
  epoch_ = 0;
  reported_follows_ = false;
  handshake_ = ZabMessage{FollowerInfo{accepted_epoch_, last_zxid()}};
  send_handshake(context);
  context.set_timer(kLeaderReadTimer, ticks(options_.init_limit));
}

void Zab::send_handshake(Context& context) {
  SIM_CHECK(handshake_.has_value(), "a handshake to resend");
  if (auto* ack = std::get_if<AckEpoch>(&*handshake_)) ack->last_zxid = last_zxid();
  send(context, leader_, *handshake_);
  context.set_timer(kRetransmitTimer, options_.tick_time);
}

bool Zab::from_my_leader(ProcessId from, uint64_t epoch) const {
  return role_ == ZabRole::kFollowing && from == leader_ && epoch_ != 0 && epoch == epoch_;
}

void Zab::heard_from_leader(Context& context) {
  const int64_t limit =
      phase_ == ZabPhase::kBroadcast ? options_.sync_limit : options_.init_limit;
  context.set_timer(kLeaderReadTimer, ticks(limit));
}

// Learner.registerWithLeader: a new epoch above the accepted one is persisted as acceptedEpoch
// and acknowledged with currentEpoch (binding support for that leader in that epoch); the epoch
// already accepted is acknowledged with -1; a lower one means this leader is stale, and the
// follower goes back to LOOKING.
void Zab::handle_message(Context& context, ProcessId from, const LeaderInfo& message) {
  if (role_ != ZabRole::kFollowing || from != leader_ || phase_ == ZabPhase::kBroadcast) return;
  heard_from_leader(context);
  if (epoch_ == message.epoch) {
    send_handshake(context);  // a duplicate: the same ACKEPOCH again
    return;
  }
  if (phase_ != ZabPhase::kDiscovery) return;
  uint64_t acknowledged_current = kEpochAlreadyAccepted;
  if (message.epoch > accepted_epoch_) {
    accepted_epoch_ = message.epoch;
    persist(context);
    acknowledged_current = current_epoch_;
    context.report(sim::Supported{leader_, message.epoch, sim::SupportKind::kEpochAck});
  } else if (message.epoch < accepted_epoch_) {
    follower_gives_up(context, sim::LeaderLostReason::kHigherEpochSeen);
    return;
  }
  epoch_ = message.epoch;
  phase_ = ZabPhase::kSynchronization;
  handshake_ = ZabMessage{AckEpoch{epoch_, acknowledged_current, last_zxid()}};
  send_handshake(context);
}

void Zab::handle_message(Context& context, ProcessId from, const Trunc& message) {
  if (!from_my_leader(from, message.epoch) || phase_ != ZabPhase::kSynchronization) return;
  heard_from_leader(context);
  if (!log_contains(message.zxid) || last_zxid() == message.zxid) return;
  truncate_after(message.zxid);
  persist(context);
}

// A PROPOSAL extends the log only where it ends at the proposal's predecessor, so a reordered
// or duplicated one never leaves a gap; the leader resends what is missing.
void Zab::handle_message(Context& context, ProcessId from, const Proposal& message) {
  if (!from_my_leader(from, message.epoch) || phase_ == ZabPhase::kDiscovery) return;
  heard_from_leader(context);
  if (last_zxid() == message.prev_zxid && message.zxid > message.prev_zxid) {
    log_.push_back(message.zxid);
    persist(context);
  }
  // During synchronization the entries are logged and acknowledged by the ACK of NEWLEADER
  // (Learner.syncWithLeader); in broadcast each is acknowledged (Follower.processPacket).
  if (phase_ == ZabPhase::kBroadcast && log_contains(message.zxid)) {
    send(context, from, Ack{epoch_, last_zxid()});
  }
}

// Learner.syncWithLeader, NEWLEADER: the follower's log now is the leader's history; it sets
// currentEpoch, acknowledges, and follows (its vote names the new epoch, ZOOKEEPER-1732). Reads
// now wait syncLimit ticks.
void Zab::handle_message(Context& context, ProcessId from, const NewLeader& message) {
  if (!from_my_leader(from, message.epoch) || phase_ == ZabPhase::kDiscovery) return;
  heard_from_leader(context);
  if (phase_ == ZabPhase::kBroadcast || last_zxid() != message.last_zxid) {
    // Acknowledged already, or entries are still missing (the retransmitted ACKEPOCH brings a
    // new synchronization).
    if (phase_ == ZabPhase::kBroadcast) send(context, from, Ack{epoch_, last_zxid()});
    return;
  }
  current_epoch_ = epoch_;
  persist(context);
  phase_ = ZabPhase::kBroadcast;
  handshake_.reset();
  context.cancel_timer(kRetransmitTimer);
  current_vote_.peer_epoch = epoch_;
  reported_follows_ = true;
  context.report(sim::Follows{leader_, epoch_});
  send(context, from, Ack{epoch_, last_zxid()});
  heard_from_leader(context);
}

void Zab::handle_message(Context& context, ProcessId from, const Commit& message) {
  if (!from_my_leader(from, message.epoch) || phase_ != ZabPhase::kBroadcast) return;
  heard_from_leader(context);
  learn_commit(context, message.zxid);
}

void Zab::learn_commit(Context& context, Zxid zxid) {
  if (zxid <= committed_ || !log_contains(zxid)) return;
  committed_ = zxid;
  context.report(sim::Committed{{zxid_epoch(zxid), zxid_counter(zxid)}});
}

// PING both ways: the leader's keeps the follower (and tells it what is committed); the
// follower's answer keeps it synced in the leader's eyes and says where its log ends.
void Zab::handle_message(Context& context, ProcessId from, const Ping& message) {
  if (role_ == ZabRole::kLeading) {
    if (phase_ != ZabPhase::kBroadcast || message.epoch != epoch_) return;
    const size_t follower = position(from);
    heard_from_follower(follower);
    if (message.zxid < last_zxid() && log_contains(message.zxid)) {
      send_entries_after(context, from, message.zxid);
    }
    return;
  }
  if (!from_my_leader(from, message.epoch)) return;
  heard_from_leader(context);
  if (phase_ != ZabPhase::kBroadcast) return;
  context.report(sim::Follows{leader_, epoch_});
  learn_commit(context, message.zxid);
  send(context, from, Ping{epoch_, last_zxid()});
}

void Zab::follower_gives_up(Context& context, sim::LeaderLostReason reason) {
  if (reported_follows_) context.report(sim::LeaderLost{reason});
  become_looking(context);
}

}  // namespace electsim::algorithms::zab
