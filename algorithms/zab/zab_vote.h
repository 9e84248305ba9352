// Fast Leader Election's vote and its total order (ZooKeeper's FastLeaderElection.java,
// totalOrderPredicate; Vote.java). A vote names a proposed leader with that leader's last zxid
// and epoch; votes are ordered by (peer epoch, last zxid, server id), so the election converges
// on the server with the most recent history, and among equals on the highest id.
#pragma once

#include <cstdint>

#include "algorithms/zab/zab_messages.h"

namespace electsim::algorithms::zab {

struct Vote {
  sim::ProcessId leader = sim::kNoNode;
  Zxid zxid = 0;
  uint64_t peer_epoch = 0;
  uint64_t round = 0;  // the election round (electionEpoch) the vote was cast in
  PeerState state = PeerState::kLooking;
};

// FastLeaderElection.totalOrderPredicate: true if the new vote (new_*) beats the current one.
inline bool vote_is_higher(uint64_t new_epoch, Zxid new_zxid, sim::ProcessId new_id,
                           uint64_t cur_epoch, Zxid cur_zxid, sim::ProcessId cur_id) {
  if (new_epoch != cur_epoch) return new_epoch > cur_epoch;
  if (new_zxid != cur_zxid) return new_zxid > cur_zxid;
  return new_id > cur_id;
}

// Vote.equals as termPredicate counts LOOKING votes: the same leader, zxid, round and epoch.
inline bool same_looking_vote(const Vote& a, const Vote& b) {
  return a.leader == b.leader && a.zxid == b.zxid && a.round == b.round &&
         a.peer_epoch == b.peer_epoch;
}

// Vote.equals when either side is not LOOKING: the same leader and epoch (a follower's zxid and
// round moved on since the election; ZOOKEEPER-1732 keeps the epoch current).
inline bool same_leader_vote(const Vote& a, const Vote& b) {
  return a.leader == b.leader && a.peer_epoch == b.peer_epoch;
}

}  // namespace electsim::algorithms::zab
