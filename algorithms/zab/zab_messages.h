// Zab's messages: Fast Leader Election's notification (ZooKeeper's FastLeaderElection.java,
// Notification / ToSend), and the quorum packets of discovery, synchronization and broadcast
// (ZooKeeper's Leader.java packet types FOLLOWERINFO, LEADERINFO, ACKEPOCH, TRUNC, PROPOSAL,
// NEWLEADER, ACK, COMMIT, PING; Junqueira, Reed, Serafini, "Zab: High-performance broadcast for
// primary-backup systems", DSN 2011, section IV). Each is a small trivially copyable struct; they
// travel as one std::variant whose alternative index is the message's stable type id, so the
// order below is part of the trace format: append, never reorder.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

#include "sim/layout.h"
#include "sim/message_type.h"
#include "sim/payload.h"

namespace electsim::algorithms::zab {

// A zxid as ZooKeeper packs it (ZxidUtils.makeZxid): the epoch in the high 32 bits, a counter
// within the epoch in the low 32 bits, so comparing two zxids as integers compares epochs first.
using Zxid = uint64_t;
inline constexpr Zxid make_zxid(uint64_t epoch, uint64_t counter) {
  return (epoch << 32) | (counter & 0xffffffffULL);
}
inline constexpr uint64_t zxid_epoch(Zxid zxid) { return zxid >> 32; }
inline constexpr uint64_t zxid_counter(Zxid zxid) { return zxid & 0xffffffffULL; }

// QuorumPeer.ServerState, as a notification carries it.
enum class PeerState : uint8_t { kLooking, kFollowing, kLeading };

// FastLeaderElection's notification: the sender's vote (the leader it proposes, that leader's
// last zxid and epoch), the sender's election round (logicalclock) and its state. A LOOKING
// sender proposes; a FOLLOWING or LEADING one tells a LOOKING peer whom it follows.
struct Notification {
  Zxid zxid;
  uint64_t round;
  uint64_t peer_epoch;
  sim::ProcessId leader;
  PeerState state;
};

// Discovery (Zab paper, Phase 1): the follower's acceptedEpoch and last zxid.
struct FollowerInfo {
  uint64_t accepted_epoch;
  Zxid last_zxid;
};

// NEWEPOCH (ZooKeeper's LEADERINFO): the epoch the prospective leader proposes.
struct LeaderInfo {
  uint64_t epoch;
};

// ACKEPOCH: the follower accepted `epoch`; it sends its currentEpoch and last zxid so that the
// leader can tell whether the follower is ahead of it (Leader.waitForEpochAck).
// Learner.registerWithLeader sends -1 as currentEpoch when the epoch was already accepted
// before; Leader.waitForEpochAck does not count such an answer towards the quorum.
inline constexpr uint64_t kEpochAlreadyAccepted = ~uint64_t{0};
struct AckEpoch {
  uint64_t epoch;
  uint64_t current_epoch;
  Zxid last_zxid;
};

// Synchronization (Phase 2): TRUNC cuts the follower's log after `zxid`.
struct Trunc {
  uint64_t epoch;
  Zxid zxid;
};

// One transaction, during synchronization (a DIFF's PROPOSAL) or broadcast: it goes after
// `prev_zxid` in the follower's log, which must end there.
struct Proposal {
  uint64_t epoch;
  Zxid prev_zxid;
  Zxid zxid;
};

// NEWLEADER: the leader's history ends at `last_zxid`; a follower whose log ends there sets its
// currentEpoch and acknowledges.
struct NewLeader {
  uint64_t epoch;
  Zxid last_zxid;
};

// ACK of NEWLEADER or of a proposal: the follower's log holds everything up to `zxid`.
struct Ack {
  uint64_t epoch;
  Zxid zxid;
};

// COMMIT: everything up to `zxid` is committed.
struct Commit {
  uint64_t epoch;
  Zxid zxid;
};

// PING, both ways (Leader.lead()'s loop, Follower's reply). The leader's carries what it knows is
// committed, so a follower that missed a COMMIT on a lossy link still learns it; the follower's
// carries its last zxid, so the leader resends what a lossy link dropped (TCP would have).
struct Ping {
  uint64_t epoch;
  Zxid zxid;
};

using ZabMessage = std::variant<Notification, FollowerInfo, LeaderInfo, AckEpoch, Trunc,
                                Proposal, NewLeader, Ack, Commit, Ping>;
static_assert(sizeof(ZabMessage) <= sim::Payload::kCapacity);

// The stable id of a Zab message (sim/message_type.h), found by Context::send.
inline sim::MessageTypeId message_type_of(const ZabMessage& message) {
  return sim::message_type_id(sim::families::kZab, static_cast<uint16_t>(message.index()));
}

// Zab's family: message and timer names, registered at first use.
const sim::FamilyInfo& zab_family();

}  // namespace electsim::algorithms::zab
