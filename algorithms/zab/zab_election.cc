// Phase 0: Fast Leader Election (ZooKeeper's FastLeaderElection.java: lookForLeader, the
// Messenger's WorkerReceiver, totalOrderPredicate, termPredicate, checkLeader).
#include <algorithm>

#include "algorithms/zab/zab.h"

namespace electsim::algorithms::zab {

using sim::Context;
using sim::ProcessId;

// QuorumPeer goes LOOKING and calls lookForLeader: a new round (logicalclock + 1), an empty
// vote table, a vote for itself with its last logged zxid and currentEpoch, sent to every voter.
void Zab::become_looking(Context& context) {
  context.cancel_timer(kLeaderTickTimer);
  context.cancel_timer(kPhaseTimer);
  context.cancel_timer(kLeaderReadTimer);
  context.cancel_timer(kRetransmitTimer);
  context.cancel_timer(kFinalizeTimer);
  role_ = ZabRole::kLooking;
  phase_ = ZabPhase::kDiscovery;
  leader_ = sim::kNoNode;
  epoch_ = 0;
  reported_follows_ = false;
  handshake_.reset();
  finalizing_ = false;

  ++round_;
  std::fill(received_.begin(), received_.end(), std::nullopt);
  std::fill(out_of_election_.begin(), out_of_election_.end(), std::nullopt);
  // lookForLeader: "int notTimeout = finalizeWait" (minNotificationInterval).
  notification_timeout_ = options_.finalize_wait;
  update_proposal(self_, last_zxid(), current_epoch_);
  broadcast_notifications(context);
  context.set_timer(kNotificationTimer, notification_timeout_);
  maybe_start_finalizing(context);  // a group of one agrees with itself
}

void Zab::update_proposal(ProcessId leader, Zxid zxid, uint64_t peer_epoch) {
  proposal_ = Vote{leader, zxid, peer_epoch, round_, PeerState::kLooking};
  // sendNotifications includes the server itself: its own vote enters recvset like any other.
  received_[position(self_)] = proposal_;
}

void Zab::broadcast_notifications(Context& context) {
  const Notification notification{proposal_.zxid, round_, proposal_.peer_epoch, proposal_.leader,
                                  PeerState::kLooking};
  for (ProcessId member : members_) {
    if (member != self_) send(context, member, notification);
  }
}

// lookForLeader: no notification within notTimeout; resend the vote and double the timeout, up
// to maxNotificationInterval.
void Zab::handle_notification_timeout(Context& context) {
  broadcast_notifications(context);
  notification_timeout_ = std::min(notification_timeout_ * 2, options_.max_notification_interval);
  context.set_timer(kNotificationTimer, notification_timeout_);
}

bool Zab::vote_is_higher_here(uint64_t new_epoch, Zxid new_zxid, ProcessId new_id,
                              uint64_t cur_epoch, Zxid cur_zxid, ProcessId cur_id) const {
  if (options_.vote_order_ignores_epoch) {
    // The broken order of tests/algorithms/zab_vote_ignores_epoch.cc: the counters alone.
    if (zxid_counter(new_zxid) != zxid_counter(cur_zxid)) {
      return zxid_counter(new_zxid) > zxid_counter(cur_zxid);
    }
    return new_id > cur_id;
  }
  return vote_is_higher(new_epoch, new_zxid, new_id, cur_epoch, cur_zxid, cur_id);
}

bool Zab::beats_proposal(const Notification& message) const {
  return vote_is_higher_here(message.peer_epoch, message.zxid, message.leader,
                             proposal_.peer_epoch, proposal_.zxid, proposal_.leader);
}

void Zab::handle_message(Context& context, ProcessId from, const Notification& message) {
  if (role_ != ZabRole::kLooking) {
    // WorkerReceiver, when this server is not LOOKING: a LOOKING peer is told the current vote,
    // the leader this server follows or is.
    if (message.state == PeerState::kLooking) answer_looking_peer(context, from);
    return;
  }
  // WorkerReceiver, when both are LOOKING: a peer in an older round gets this server's vote.
  if (message.state == PeerState::kLooking && message.round < round_) {
    send(context, from,
         Notification{proposal_.zxid, round_, proposal_.peer_epoch, proposal_.leader,
                      PeerState::kLooking});
  }
  if (finalizing_) {
    // The finalize wait (lookForLeader): a notification that does not beat the proposal is
    // dropped and the wait starts over; a better one ends the wait and is processed.
    if (!beats_proposal(message)) {
      context.set_timer(kFinalizeTimer, options_.finalize_wait);
      return;
    }
    finalizing_ = false;
    context.cancel_timer(kFinalizeTimer);
  }
  // recvqueue.poll(notTimeout) returned a notification: the wait for the next one starts over.
  context.set_timer(kNotificationTimer, notification_timeout_);
  if (message.state == PeerState::kLooking) {
    handle_looking_notification(context, from, message);
  } else {
    handle_decided_notification(context, from, message);
  }
}

void Zab::handle_looking_notification(Context& context, ProcessId from,
                                      const Notification& message) {
  if (message.round > round_) {
    // A later round: join it, forget the votes of this one, and vote for the better of the
    // peer's vote and this server's own.
    round_ = message.round;
    std::fill(received_.begin(), received_.end(), std::nullopt);
    if (vote_is_higher_here(message.peer_epoch, message.zxid, message.leader, current_epoch_,
                            last_zxid(), self_)) {
      update_proposal(message.leader, message.zxid, message.peer_epoch);
    } else {
      update_proposal(self_, last_zxid(), current_epoch_);
    }
    broadcast_notifications(context);
  } else if (message.round < round_) {
    return;
  } else if (beats_proposal(message)) {
    update_proposal(message.leader, message.zxid, message.peer_epoch);
    broadcast_notifications(context);
  }
  received_[position(from)] =
      Vote{message.leader, message.zxid, message.peer_epoch, message.round, PeerState::kLooking};
  maybe_start_finalizing(context);
}

// termPredicate on the own proposal: once a quorum of this round's votes equals it, wait
// finalizeWait for a better one before deciding.
void Zab::maybe_start_finalizing(Context& context) {
  if (finalizing_ || !quorum_agrees(received_, proposal_, /*looking=*/true)) return;
  finalizing_ = true;
  context.set_timer(kFinalizeTimer, options_.finalize_wait);
}

// A FOLLOWING or LEADING peer's vote: if a quorum reports the same leader, in this round or
// outside the election, and the leader itself said it leads (checkLeader), follow it.
void Zab::handle_decided_notification(Context& context, ProcessId from,
                                      const Notification& message) {
  const Vote vote{message.leader, message.zxid, message.peer_epoch, message.round, message.state};
  if (message.round == round_) {
    // recvset stores it as a LOOKING vote, so termPredicate compares every field.
    Vote as_looking = vote;
    as_looking.state = PeerState::kLooking;
    received_[position(from)] = as_looking;
    if (quorum_agrees(received_, as_looking, /*looking=*/true) &&
        leader_confirmed(message.leader, message.round)) {
      finish_election(context, vote);
      return;
    }
  }
  out_of_election_[position(from)] = vote;
  if (quorum_agrees(out_of_election_, vote, /*looking=*/false) &&
      leader_confirmed(message.leader, message.round)) {
    round_ = message.round;
    finish_election(context, vote);
  }
}

bool Zab::quorum_agrees(const std::vector<std::optional<Vote>>& votes, const Vote& vote,
                        bool looking) const {
  uint32_t agreeing = 0;
  for (const std::optional<Vote>& cast : votes) {
    if (!cast) continue;
    agreeing += looking ? same_looking_vote(*cast, vote) : same_leader_vote(*cast, vote);
  }
  return agreeing >= quorum_;
}

// checkLeader: another server is followed only if it told this one that it is LEADING; this
// server takes the lead only for a vote of its current round.
bool Zab::leader_confirmed(ProcessId leader, uint64_t round) const {
  if (leader == self_) return round == round_;
  if (!std::binary_search(members_.begin(), members_.end(), leader)) return false;
  const std::optional<Vote>& said = out_of_election_[position(leader)];
  return said.has_value() && said->state == PeerState::kLeading;
}

void Zab::answer_looking_peer(Context& context, ProcessId to) {
  const PeerState state = role_ == ZabRole::kLeading ? PeerState::kLeading : PeerState::kFollowing;
  send(context, to,
       Notification{current_vote_.zxid, current_vote_.round, current_vote_.peer_epoch,
                    current_vote_.leader, state});
}

// lookForLeader returns: the server is LEADING if the vote names it, FOLLOWING otherwise, and
// the vote is its current vote (QuorumPeer.setCurrentVote).
void Zab::finish_election(Context& context, const Vote& vote) {
  finalizing_ = false;
  context.cancel_timer(kFinalizeTimer);
  context.cancel_timer(kNotificationTimer);
  current_vote_ = Vote{vote.leader, vote.zxid, vote.peer_epoch, round_, PeerState::kLooking};
  if (vote.leader == self_) {
    become_leader(context);
  } else {
    become_follower(context, vote.leader);
  }
}

}  // namespace electsim::algorithms::zab
