// Phases 1-3 on the leader's side (ZooKeeper's Leader.java: lead, getEpochToPropose,
// waitForEpochAck, waitForNewLeaderAck, processAck; LearnerHandler.java: run, syncFollower,
// synced; Zab paper, DSN 2011, section IV).
#include <algorithm>

#include "algorithms/zab/zab.h"

namespace electsim::algorithms::zab {

using sim::Context;
using sim::ProcessId;

// Leader.lead(): wait (initLimit ticks) for a quorum of followers to connect, counting itself
// (getEpochToPropose(self, acceptedEpoch)): the epoch it will propose starts above its own
// acceptedEpoch.
void Zab::become_leader(Context& context) {
  role_ = ZabRole::kLeading;
  phase_ = ZabPhase::kDiscovery;
  leader_ = self_;
  epoch_ = 0;
  // (The broken variant still never proposes 0, which stands for "no epoch yet".)
  const uint64_t above = options_.new_epoch_off_by_one ? 0 : 1;
  proposed_epoch_ = std::max<uint64_t>(1, accepted_epoch_ + above);
  std::fill(connected_.begin(), connected_.end(), uint8_t{0});
  std::fill(epoch_acked_.begin(), epoch_acked_.end(), uint8_t{0});
  std::fill(new_leader_acked_.begin(), new_leader_acked_.end(), uint8_t{0});
  std::fill(acked_zxid_.begin(), acked_zxid_.end(), Zxid{0});
  follower_last_zxid_.assign(members_.size(), 0);
  tick_ = 0;
  tick_skip_ = true;
  connected_[position(self_)] = 1;
  context.set_timer(kPhaseTimer, ticks(options_.init_limit));
  if (count(connected_) >= quorum_) decide_epoch(context);
}

void Zab::heard_from_follower(size_t follower) {
  // LearnerHandler.run: every packet read moves the follower's deadline syncLimit ticks on.
  ack_deadline_tick_[follower] = tick_ + options_.sync_limit;
}

void Zab::handle_message(Context& context, ProcessId from, const FollowerInfo& message) {
  if (role_ != ZabRole::kLeading) return;  // no leader listens: the connection is refused
  const size_t follower = position(from);
  if (connected_[follower] == 0) {
    // A new LearnerHandler: its first deadline allows initLimit + syncLimit ticks.
    connected_[follower] = 1;
    ack_deadline_tick_[follower] = tick_ + options_.init_limit + options_.sync_limit;
  }
  if (epoch_ != 0) {
    // getEpochToPropose once the epoch is chosen: every later follower gets the same one.
    send(context, from, LeaderInfo{epoch_});
    return;
  }
  // getEpochToPropose: the new epoch is above every connecting follower's acceptedEpoch.
  const uint64_t above = options_.new_epoch_off_by_one ? 0 : 1;
  proposed_epoch_ = std::max(proposed_epoch_, message.accepted_epoch + above);
  if (count(connected_) >= quorum_) decide_epoch(context);
}

// A quorum (itself included) connected: the epoch is chosen, persisted as the leader's
// acceptedEpoch, and proposed to every connected follower (LEADERINFO, the paper's NEWEPOCH).
void Zab::decide_epoch(Context& context) {
  SIM_CHECK(proposed_epoch_ > accepted_epoch_ || options_.new_epoch_off_by_one,
            "a new epoch is above the accepted one");
  epoch_ = proposed_epoch_;
  accepted_epoch_ = epoch_;
  persist(context);
  // The leader's own acknowledgement of its epoch, which its quorum counts.
  context.report(sim::Supported{self_, epoch_, sim::SupportKind::kEpochAck});
  epoch_acked_[position(self_)] = kCountedAck;
  follower_last_zxid_[position(self_)] = last_zxid();
  for (ProcessId member : members_) {
    if (member != self_ && connected_[position(member)] != 0) {
      send(context, member, LeaderInfo{epoch_});
    }
  }
  context.set_timer(kPhaseTimer, ticks(options_.init_limit));  // waitForEpochAck
  if (count(epoch_acked_) >= epoch_ack_quorum()) declare_elected(context);
}

void Zab::handle_message(Context& context, ProcessId from, const AckEpoch& message) {
  if (role_ != ZabRole::kLeading || epoch_ == 0 || message.epoch != epoch_) return;
  const size_t follower = position(from);
  heard_from_follower(follower);
  follower_last_zxid_[follower] = message.last_zxid;
  if (phase_ != ZabPhase::kDiscovery) {
    // Elected already (waitForEpochAck returns at once): synchronize the follower.
    epoch_acked_[follower] = std::max<uint8_t>(epoch_acked_[follower], kUncountedAck);
    synchronize(context, from, message.last_zxid);
    return;
  }
  if (message.current_epoch == kEpochAlreadyAccepted) {
    epoch_acked_[follower] = std::max<uint8_t>(epoch_acked_[follower], kUncountedAck);
    return;
  }
  // waitForEpochAck: "Follower is ahead of the leader": its (currentEpoch, last zxid) is more
  // recent than the leader's; the handler gives up on it and it does not count.
  const bool ahead = message.current_epoch != current_epoch_
                         ? message.current_epoch > current_epoch_
                         : message.last_zxid > last_zxid();
  if (ahead && !options_.counts_followers_ahead) return;
  epoch_acked_[follower] = kCountedAck;
  if (count(epoch_acked_) >= epoch_ack_quorum()) declare_elected(context);
}

uint32_t Zab::count(const std::vector<uint8_t>& flags) const {
  return static_cast<uint32_t>(std::count(flags.begin(), flags.end(), uint8_t{1}));
}

uint32_t Zab::epoch_ack_quorum() const {
  // The broken variant never goes below the leader's own acknowledgement.
  return options_.epoch_quorum_short_by_one ? std::max<uint32_t>(1, quorum_ - 1) : quorum_;
}

// A quorum acknowledged the new epoch: the leader sets currentEpoch (Leader.lead() after
// waitForEpochAck) and is elected. Its log as it is now is what it leads with.
void Zab::declare_elected(Context& context) {
  current_epoch_ = epoch_;
  persist(context);
  phase_ = ZabPhase::kSynchronization;
  const Zxid won_with = last_zxid();
  context.report(sim::Elected{epoch_, epoch_, std::nullopt,
                              sim::LogPosition{zxid_epoch(won_with), zxid_counter(won_with)}});
  new_leader_acked_[position(self_)] = 1;
  acked_zxid_[position(self_)] = won_with;
  context.set_timer(kPhaseTimer, ticks(options_.init_limit));  // waitForNewLeaderAck
  for (ProcessId member : members_) {
    const size_t follower = position(member);
    if (member != self_ && epoch_acked_[follower] != 0) {
      synchronize(context, member, follower_last_zxid_[follower]);
    }
  }
  if (count(new_leader_acked_) >= quorum_) become_ready(context);
}

// LearnerHandler.syncFollower, reduced to what is missing: a follower whose last zxid is in the
// leader's log gets the entries after it (DIFF); one with entries the leader does not have is cut
// back to the leader's last entry below them first (TRUNC). Then NEWLEADER.
void Zab::synchronize(Context& context, ProcessId follower, Zxid follower_last) {
  Zxid common = follower_last;
  if (!log_contains(follower_last)) {
    const auto above = std::lower_bound(log_.begin(), log_.end(), follower_last);
    common = above == log_.begin() ? 0 : *(above - 1);
    send(context, follower, Trunc{epoch_, common});
  }
  send_entries_after(context, follower, common);
  send(context, follower, NewLeader{epoch_, last_zxid()});
}

void Zab::send_entries_after(Context& context, ProcessId follower, Zxid after) {
  Zxid prev = after;
  for (auto it = std::upper_bound(log_.begin(), log_.end(), after); it != log_.end(); ++it) {
    send(context, follower, Proposal{epoch_, prev, *it});
    prev = *it;
  }
}

void Zab::handle_message(Context& context, ProcessId from, const Ack& message) {
  if (role_ != ZabRole::kLeading || phase_ == ZabPhase::kDiscovery || message.epoch != epoch_) {
    return;
  }
  const size_t follower = position(from);
  heard_from_follower(follower);
  new_leader_acked_[follower] = 1;
  acked_zxid_[follower] = std::max(acked_zxid_[follower], message.zxid);
  if (phase_ == ZabPhase::kSynchronization) {
    // waitForNewLeaderAck: a quorum synchronized.
    if (count(new_leader_acked_) >= quorum_) become_ready(context);
    return;
  }
  // A follower that synchronized before the no-op was proposed still misses it.
  if (message.zxid < last_zxid() && log_contains(message.zxid)) {
    send_entries_after(context, from, message.zxid);
  }
  maybe_commit(context);
}

// A quorum holds the leader's history: it is committed (the paper's Phase 2 ends with the
// leader committing its initial history), the leader serves (Ready), and, as Raft's no-op,
// proposes one transaction of its own epoch, zxid (epoch, 1). Leader.lead() then runs its loop.
void Zab::become_ready(Context& context) {
  phase_ = ZabPhase::kBroadcast;
  context.cancel_timer(kPhaseTimer);
  context.report(sim::Ready{});
  current_vote_.peer_epoch = epoch_;  // QuorumPeer.updateElectionVote (ZOOKEEPER-1732)
  if (last_zxid() > committed_) {
    committed_ = last_zxid();
    context.report(sim::Committed{{zxid_epoch(committed_), zxid_counter(committed_)}});
  }
  const Zxid prev = last_zxid();
  const Zxid no_op = make_zxid(epoch_, 1);
  SIM_CHECK(no_op > prev, "a new epoch's first zxid is above every earlier one");
  log_.push_back(no_op);
  persist(context);
  acked_zxid_[position(self_)] = no_op;
  for (ProcessId member : members_) {
    if (member != self_ && new_leader_acked_[position(member)] != 0) {
      send(context, member, Proposal{epoch_, prev, no_op});
    }
  }
  context.set_timer(kLeaderTickTimer, options_.tick_time / 2);
  maybe_commit(context);
}

// Leader.processAck: a proposal acknowledged by a quorum (the leader counts itself) commits.
void Zab::maybe_commit(Context& context) {
  const Zxid last = last_zxid();
  if (phase_ != ZabPhase::kBroadcast || committed_ >= last) return;
  uint32_t holders = 0;
  for (Zxid acked : acked_zxid_) holders += acked >= last ? 1 : 0;
  if (holders < quorum_) return;
  committed_ = last;
  context.report(sim::Committed{{zxid_epoch(last), zxid_counter(last)}});
  for (ProcessId member : members_) {
    if (member != self_ && new_leader_acked_[position(member)] != 0) {
      send(context, member, Commit{epoch_, last});
    }
  }
}

// Leader.lead()'s loop, every half tick: the tick advances every other time, and then a leader
// whose synced followers (LearnerHandler.synced: alive and heard from within syncLimit ticks),
// with itself, are no quorum shuts down and goes back to LOOKING. Every learner is pinged.
void Zab::handle_leader_tick(Context& context) {
  if (!tick_skip_) ++tick_;
  uint32_t synced = 0;
  for (size_t member = 0; member < members_.size(); ++member) {
    if (members_[member] == self_) {
      ++synced;
    } else if (epoch_acked_[member] != 0 && tick_ <= ack_deadline_tick_[member]) {
      // A follower counts once it took this epoch: one that refused it closed its connection
      // (its LearnerHandler is no longer alive), which the simulator has no other way to show.
      ++synced;
    }
  }
  if (!tick_skip_ && synced < quorum_) {
    leader_gives_up(context, sim::StepDownReason::kQuorumLost);
    return;
  }
  tick_skip_ = !tick_skip_;
  for (ProcessId member : members_) {
    if (member != self_ && connected_[position(member)] != 0) {
      send(context, member, Ping{epoch_, committed_});
    }
  }
  context.set_timer(kLeaderTickTimer, options_.tick_time / 2);
}

void Zab::leader_gives_up(Context& context, sim::StepDownReason reason) {
  // Only a leader that was elected (a quorum acknowledged its epoch) steps down.
  if (phase_ != ZabPhase::kDiscovery) context.report(sim::SteppedDown{reason});
  become_looking(context);
}

}  // namespace electsim::algorithms::zab
