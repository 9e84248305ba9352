// Zab against its sources, one rule per test, each named after the rule and where it comes
// from: ZooKeeper's FastLeaderElection.java (FLE), Leader.java, LearnerHandler.java, Learner.java
// and Follower.java, and the Zab paper (Junqueira, Reed, Serafini, DSN 2011, section IV).
//
// Rule tests drive one server through a fake context and look at exactly what it sends, saves
// and reports; cluster tests run five servers in a sim::World with a constant 5 ms link.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "algorithms/registry.h"
#include "algorithms/zab/zab.h"
#include "sim/world.h"
#include "tests/zab_test_support.h"

namespace electsim::algorithms::zab {
namespace {

using sim::Duration;
using sim::ProcessId;
using testing::FakeContext;

constexpr uint32_t kNodes = 5;

ZabOptions test_options() {
  ZabOptions options;
  options.tick_time = Duration::milliseconds(100);
  return options;
}

void deliver(Zab& zab, FakeContext& context, ProcessId from, const ZabMessage& message) {
  zab.on_message(context, from, sim::Payload::of(message));
}

Notification looking_vote(ProcessId leader, Zxid zxid, uint64_t peer_epoch, uint64_t round) {
  return Notification{zxid, round, peer_epoch, leader, PeerState::kLooking};
}

// A started server (n1 unless told), with what it sent at start forgotten.
struct Server {
  explicit Server(ProcessId self = 0, ZabOptions options = test_options(),
                  const sim::DurableState* restored = nullptr)
      : context(self, kNodes), zab(options) {
    zab.on_start(context, restored);
    context.take_sent();
  }
  FakeContext context;
  Zab zab;
};

// Drives `server` (LOOKING in round 1) to lead: votes for it from two peers (the two ids below
// it), then the finalize wait.
void make_prospective_leader(Server& server) {
  const ProcessId self = server.context.self();
  const Vote own = server.zab.proposal();
  for (ProcessId peer : {ProcessId{(self + 4) % kNodes}, ProcessId{(self + 3) % kNodes}}) {
    deliver(server.zab, server.context, peer, looking_vote(self, own.zxid, own.peer_epoch, 1));
  }
  server.zab.on_timer(server.context, Zab::kFinalizeTimer);
  ASSERT_EQ(server.zab.role(), ZabRole::kLeading);
}

// ---- Phase 0: Fast Leader Election ----

// FLE.totalOrderPredicate: (peer epoch, zxid, server id), each deciding only on a tie above.
TEST(ZabRules, FLE_TotalOrderPredicate_EpochThenZxidThenServerId) {
  EXPECT_TRUE(vote_is_higher(2, make_zxid(1, 5), 0, 1, make_zxid(1, 9), 4));
  EXPECT_FALSE(vote_is_higher(1, make_zxid(1, 9), 4, 2, make_zxid(1, 5), 0));
  EXPECT_TRUE(vote_is_higher(1, make_zxid(1, 6), 0, 1, make_zxid(1, 5), 4));
  EXPECT_TRUE(vote_is_higher(1, make_zxid(1, 5), 4, 1, make_zxid(1, 5), 3));
  EXPECT_FALSE(vote_is_higher(1, make_zxid(1, 5), 3, 1, make_zxid(1, 5), 3));
}

// FLE.lookForLeader: a new round (logicalclock + 1), a vote for itself with its last zxid and
// currentEpoch, sent to every voter, and a notification timeout of finalizeWait.
TEST(ZabRules, FLE_LookForLeader_StartsARoundVotingForItself) {
  FakeContext context(2, kNodes);
  Zab zab(test_options());
  zab.on_start(context, nullptr);
  const auto notifications = context.sent_of<Notification>();
  ASSERT_EQ(notifications.size(), kNodes - 1);
  for (const auto& [to, notification] : notifications) {
    EXPECT_NE(to, 2u);
    EXPECT_EQ(notification.leader, 2u);
    EXPECT_EQ(notification.round, 1u);
    EXPECT_EQ(notification.state, PeerState::kLooking);
  }
  EXPECT_EQ(context.timers.at(Zab::kNotificationTimer), Duration::milliseconds(200));
}

// FLE.lookForLeader: a higher vote in the same round is adopted and sent to everyone; a lower
// one is recorded but changes nothing.
TEST(ZabRules, FLE_LookForLeader_AdoptsAHigherVoteOnly) {
  Server server(1);
  deliver(server.zab, server.context, 0, looking_vote(0, 0, 0, 1));  // n1 < n2: lower
  EXPECT_TRUE(server.context.take_sent().empty());
  EXPECT_EQ(server.zab.proposal().leader, 1u);
  deliver(server.zab, server.context, 4, looking_vote(4, 0, 0, 1));
  EXPECT_EQ(server.zab.proposal().leader, 4u);
  const auto resent = server.context.sent_of<Notification>();
  ASSERT_EQ(resent.size(), kNodes - 1);
  EXPECT_EQ(resent.front().second.leader, 4u);
}

// FLE.lookForLeader: a notification of a later round moves the server to that round, and it
// votes for the better of the peer's vote and its own initial vote.
TEST(ZabRules, FLE_LookForLeader_JoinsALaterRound) {
  Server server(3);
  deliver(server.zab, server.context, 0, looking_vote(0, 0, 0, 7));
  EXPECT_EQ(server.zab.round(), 7u);
  EXPECT_EQ(server.zab.proposal().leader, 3u);  // its own vote beats n1's
  EXPECT_EQ(server.context.sent_of<Notification>().front().second.round, 7u);
}

// FLE's WorkerReceiver: a LOOKING peer in an older round is sent this server's vote.
TEST(ZabRules, FLE_WorkerReceiver_AnswersAPeerInAnOlderRound) {
  Server server(1);
  deliver(server.zab, server.context, 4, looking_vote(4, 0, 0, 9));  // now round 9, votes n5
  server.context.take_sent();
  deliver(server.zab, server.context, 0, looking_vote(0, 0, 0, 1));
  const auto answers = server.context.sent_of<Notification>();
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].first, 0u);
  EXPECT_EQ(answers[0].second.round, 9u);
  EXPECT_EQ(answers[0].second.leader, 4u);
}

// FLE.lookForLeader: with no notification for notTimeout, the vote is resent and the timeout
// doubles, up to maxNotificationInterval.
TEST(ZabRules, FLE_NotificationTimeout_DoublesUpToTheMaximum) {
  ZabOptions options = test_options();
  options.max_notification_interval = Duration::milliseconds(1000);
  Server server(0, options);
  std::vector<int64_t> timeouts_ms;
  for (int fired = 0; fired < 5; ++fired) {
    server.zab.on_timer(server.context, Zab::kNotificationTimer);
    EXPECT_EQ(server.context.take_sent().size(), kNodes - 1);
    timeouts_ms.push_back(server.context.timers.at(Zab::kNotificationTimer).ns() / 1'000'000);
  }
  EXPECT_EQ(timeouts_ms, (std::vector<int64_t>{400, 800, 1000, 1000, 1000}));
}

// FLE.lookForLeader: once a quorum's votes equal the proposal, the server waits finalizeWait;
// a better vote in that time reopens the election, and silence ends it.
TEST(ZabRules, FLE_FinalizeWait_ABetterVoteReopensTheElection) {
  Server server(2);
  deliver(server.zab, server.context, 0, looking_vote(2, 0, 0, 1));
  deliver(server.zab, server.context, 1, looking_vote(2, 0, 0, 1));
  ASSERT_TRUE(server.context.timers.contains(Zab::kFinalizeTimer));
  EXPECT_EQ(server.zab.role(), ZabRole::kLooking);
  deliver(server.zab, server.context, 4, looking_vote(4, 0, 0, 1));
  EXPECT_FALSE(server.context.timers.contains(Zab::kFinalizeTimer));
  EXPECT_EQ(server.zab.proposal().leader, 4u);
  EXPECT_EQ(server.zab.role(), ZabRole::kLooking);
}

TEST(ZabRules, FLE_FinalizeWait_SilenceEndsTheElection) {
  Server server(2);
  deliver(server.zab, server.context, 0, looking_vote(2, 0, 0, 1));
  deliver(server.zab, server.context, 1, looking_vote(2, 0, 0, 1));
  deliver(server.zab, server.context, 0, looking_vote(1, 0, 0, 1));  // not better: dropped
  EXPECT_EQ(server.zab.proposal().leader, 2u);
  server.zab.on_timer(server.context, Zab::kFinalizeTimer);
  EXPECT_EQ(server.zab.role(), ZabRole::kLeading);
}

// FLE's WorkerReceiver: a server that is not LOOKING tells a LOOKING peer whom it follows, and
// a LOOKING server follows a leader that a quorum reports outside the election and that said
// itself that it leads (checkLeader): how a restarted server rejoins.
TEST(ZabRules, FLE_OutOfElection_ARestartedServerJoinsTheCurrentLeader) {
  Server server(0);
  const Notification following{make_zxid(3, 1), 4, 3, 4, PeerState::kFollowing};
  const Notification leading{make_zxid(3, 1), 4, 3, 4, PeerState::kLeading};
  deliver(server.zab, server.context, 1, following);
  deliver(server.zab, server.context, 2, following);
  EXPECT_EQ(server.zab.role(), ZabRole::kLooking);  // n5 itself has not said it leads
  deliver(server.zab, server.context, 4, leading);
  EXPECT_EQ(server.zab.role(), ZabRole::kFollowing);
  EXPECT_EQ(server.zab.leader(), 4u);
  const auto info = server.context.sent_of<FollowerInfo>();
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0].first, 4u);
}

// ---- Phase 1: discovery ----

// Leader.getEpochToPropose: once a quorum (the leader included) has connected, the new epoch is
// max(acceptedEpoch) + 1, persisted as the leader's acceptedEpoch and sent as LEADERINFO.
TEST(ZabRules, Discovery_GetEpochToPropose_MaxAcceptedEpochPlusOne) {
  Server server(4);
  make_prospective_leader(server);
  server.context.take_sent();
  deliver(server.zab, server.context, 3, FollowerInfo{6, 0});
  EXPECT_TRUE(server.context.sent_of<LeaderInfo>().empty());  // two of five: no quorum yet
  deliver(server.zab, server.context, 0, FollowerInfo{2, 0});
  const auto proposals = server.context.sent_of<LeaderInfo>();
  ASSERT_EQ(proposals.size(), 2u);
  EXPECT_EQ(proposals[0].second.epoch, 7u);
  EXPECT_EQ(server.zab.accepted_epoch(), 7u);
  EXPECT_EQ((*server.context.durable)[1], 7u);  // acceptedEpoch on disk
}

// Learner.registerWithLeader: a new epoch above the accepted one is persisted before the
// ACKEPOCH (binding support: Supported{leader, epoch, kEpochAck}), which carries currentEpoch.
TEST(ZabRules, Discovery_RegisterWithLeader_PersistsTheNewEpochAndAcknowledges) {
  Server server(0);
  deliver(server.zab, server.context, 4, Notification{0, 1, 0, 4, PeerState::kLeading});
  deliver(server.zab, server.context, 1, Notification{0, 1, 0, 4, PeerState::kFollowing});
  deliver(server.zab, server.context, 2, Notification{0, 1, 0, 4, PeerState::kFollowing});
  ASSERT_EQ(server.zab.role(), ZabRole::kFollowing);
  server.context.take_sent();
  deliver(server.zab, server.context, 4, LeaderInfo{3});
  EXPECT_EQ(server.zab.accepted_epoch(), 3u);
  EXPECT_EQ((*server.context.durable)[1], 3u);
  const auto acks = server.context.sent_of<AckEpoch>();
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].second.epoch, 3u);
  EXPECT_EQ(acks[0].second.current_epoch, 0u);
  ASSERT_EQ(server.context.supported.size(), 1u);
  EXPECT_EQ(server.context.supported[0].candidate, 4u);
  EXPECT_EQ(server.context.supported[0].epoch, 3u);
  EXPECT_EQ(server.context.supported[0].kind, sim::SupportKind::kEpochAck);
}

// Learner.registerWithLeader: an epoch accepted before is acknowledged with -1 as currentEpoch,
// which Leader.waitForEpochAck does not count; it is no new support, so nothing is reported
// (leader_had_a_quorum counts only what a leader counts).
TEST(ZabRules, Discovery_RegisterWithLeader_AnEpochAcceptedBeforeIsNoNewSupport) {
  const sim::DurableState restored = {Zab::kDurableFormat, 3, 2, 0};
  Server server(0, test_options(), &restored);
  deliver(server.zab, server.context, 4, Notification{0, 1, 2, 4, PeerState::kLeading});
  deliver(server.zab, server.context, 1, Notification{0, 1, 2, 4, PeerState::kFollowing});
  deliver(server.zab, server.context, 2, Notification{0, 1, 2, 4, PeerState::kFollowing});
  ASSERT_EQ(server.zab.role(), ZabRole::kFollowing);
  server.context.take_sent();
  deliver(server.zab, server.context, 4, LeaderInfo{3});
  const auto acks = server.context.sent_of<AckEpoch>();
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].second.current_epoch, kEpochAlreadyAccepted);
  EXPECT_TRUE(server.context.supported.empty());
}

// Leader.lead(): the prospective leader counts its own acknowledgement of the epoch it chose
// (getEpochToPropose with its own id), and reports it as its own support.
TEST(ZabRules, Discovery_GetEpochToPropose_TheLeaderSupportsItsOwnEpoch) {
  Server server(4);
  make_prospective_leader(server);
  deliver(server.zab, server.context, 3, FollowerInfo{0, 0});
  deliver(server.zab, server.context, 2, FollowerInfo{0, 0});
  ASSERT_EQ(server.zab.epoch(), 1u);
  ASSERT_EQ(server.context.supported.size(), 1u);
  EXPECT_EQ(server.context.supported[0].candidate, 4u);
  EXPECT_EQ(server.context.supported[0].epoch, 1u);
  EXPECT_EQ(server.context.supported[0].kind, sim::SupportKind::kEpochAck);
}

// Learner.registerWithLeader: a leader proposing an epoch below the accepted one is stale; the
// follower goes back to LOOKING without acknowledging.
TEST(ZabRules, Discovery_RegisterWithLeader_RefusesAnEpochBelowTheAcceptedOne) {
  const sim::DurableState restored = {Zab::kDurableFormat, 5, 5, 0};
  Server server(0, test_options(), &restored);
  deliver(server.zab, server.context, 4, Notification{0, 1, 5, 4, PeerState::kLeading});
  deliver(server.zab, server.context, 1, Notification{0, 1, 5, 4, PeerState::kFollowing});
  deliver(server.zab, server.context, 2, Notification{0, 1, 5, 4, PeerState::kFollowing});
  ASSERT_EQ(server.zab.role(), ZabRole::kFollowing);
  server.context.take_sent();
  deliver(server.zab, server.context, 4, LeaderInfo{4});
  EXPECT_TRUE(server.context.sent_of<AckEpoch>().empty());
  EXPECT_EQ(server.zab.role(), ZabRole::kLooking);
  EXPECT_EQ(server.zab.accepted_epoch(), 5u);
}

// Leader.waitForEpochAck: a quorum of ACKEPOCHs elects the leader, which persists currentEpoch
// and reports Elected with the epoch as token and its log's end before anything of its own.
TEST(ZabRules, Discovery_WaitForEpochAck_AQuorumElectsTheLeader) {
  Server server(4);
  make_prospective_leader(server);
  deliver(server.zab, server.context, 3, FollowerInfo{0, 0});
  deliver(server.zab, server.context, 2, FollowerInfo{0, 0});
  ASSERT_EQ(server.zab.epoch(), 1u);
  deliver(server.zab, server.context, 3, AckEpoch{1, 0, 0});
  EXPECT_TRUE(server.context.elected.empty());
  deliver(server.zab, server.context, 2, AckEpoch{1, 0, 0});
  ASSERT_EQ(server.context.elected.size(), 1u);
  EXPECT_EQ(server.context.elected[0].epoch, 1u);
  EXPECT_EQ(server.context.elected[0].token, 1u);
  EXPECT_EQ(server.context.elected[0].log_end, (sim::LogPosition{0, 0}));
  EXPECT_EQ(server.zab.current_epoch(), 1u);
  EXPECT_EQ((*server.context.durable)[2], 1u);  // currentEpoch on disk
}

// Leader.waitForEpochAck: "Follower is ahead of the leader": such an ACKEPOCH does not count.
TEST(ZabRules, Discovery_WaitForEpochAck_AFollowerAheadOfTheLeaderDoesNotCount) {
  Server server(4);
  make_prospective_leader(server);
  deliver(server.zab, server.context, 3, FollowerInfo{0, 0});
  deliver(server.zab, server.context, 2, FollowerInfo{0, 0});
  deliver(server.zab, server.context, 3, AckEpoch{1, 0, make_zxid(0, 4)});
  deliver(server.zab, server.context, 2, AckEpoch{1, 0, 0});
  EXPECT_TRUE(server.context.elected.empty());
  // And an epoch accepted before (-1) does not count either.
  deliver(server.zab, server.context, 1, AckEpoch{1, kEpochAlreadyAccepted, 0});
  EXPECT_TRUE(server.context.elected.empty());
  deliver(server.zab, server.context, 0, AckEpoch{1, 0, 0});
  EXPECT_EQ(server.context.elected.size(), 1u);
}

// The test-only broken discovery of "zab-stale-leader-wins" (tests/algorithms/zab_variants.h):
// a follower ahead of the leader counts, so a leader with an older history is elected.
TEST(ZabBrokenVariants, CountsFollowersAheadElectsALeaderBehindItsQuorum) {
  ZabOptions options = test_options();
  options.counts_followers_ahead = true;
  Server server(4, options);
  make_prospective_leader(server);
  deliver(server.zab, server.context, 3, FollowerInfo{0, 0});
  deliver(server.zab, server.context, 2, FollowerInfo{0, 0});
  deliver(server.zab, server.context, 3, AckEpoch{1, 0, make_zxid(0, 4)});
  deliver(server.zab, server.context, 2, AckEpoch{1, 0, 0});
  ASSERT_EQ(server.context.elected.size(), 1u);
  EXPECT_EQ(server.context.elected[0].log_end, (sim::LogPosition{0, 0}));
}

// The test-only broken quorum of "zab-epoch-quorum-short": f ACKEPOCHs of 2f + 1 (the leader's
// own and one follower's, of five) elect.
TEST(ZabBrokenVariants, EpochQuorumShortByOneElectsWithFAcknowledgements) {
  ZabOptions options = test_options();
  options.epoch_quorum_short_by_one = true;
  Server server(4, options);
  make_prospective_leader(server);
  deliver(server.zab, server.context, 3, FollowerInfo{0, 0});
  deliver(server.zab, server.context, 2, FollowerInfo{0, 0});
  EXPECT_TRUE(server.context.elected.empty());  // its own acknowledgement alone is not enough
  deliver(server.zab, server.context, 3, AckEpoch{1, 0, 0});
  EXPECT_EQ(server.context.elected.size(), 1u);
}

// ---- Phase 2: synchronization ----

// LearnerHandler.syncFollower: a follower with an entry the leader lacks is cut back (TRUNC) to
// the leader's last entry below it, then sent the entries after that (DIFF), then NEWLEADER.
TEST(ZabRules, Sync_SyncFollower_TruncatesThenSendsTheMissingEntries) {
  const sim::DurableState restored = {Zab::kDurableFormat, 4, 4, 3, make_zxid(1, 1),
                                      make_zxid(3, 1), make_zxid(4, 1)};
  Server server(4, test_options(), &restored);
  make_prospective_leader(server);
  deliver(server.zab, server.context, 3, FollowerInfo{2, make_zxid(2, 1)});
  deliver(server.zab, server.context, 2, FollowerInfo{2, make_zxid(1, 1)});
  server.context.take_sent();
  deliver(server.zab, server.context, 3, AckEpoch{5, 2, make_zxid(2, 1)});
  deliver(server.zab, server.context, 2, AckEpoch{5, 1, make_zxid(1, 1)});
  const auto truncs = server.context.sent_of<Trunc>();
  ASSERT_EQ(truncs.size(), 1u);
  EXPECT_EQ(truncs[0].first, 3u);
  EXPECT_EQ(truncs[0].second.zxid, make_zxid(1, 1));
  std::vector<Zxid> to_n4;
  for (const auto& [to, proposal] : server.context.sent_of<Proposal>()) {
    if (to == 3) to_n4.push_back(proposal.zxid);
  }
  EXPECT_EQ(to_n4, (std::vector<Zxid>{make_zxid(3, 1), make_zxid(4, 1)}));
  EXPECT_EQ(server.context.sent_of<NewLeader>().size(), 2u);
}

// Learner.syncWithLeader: NEWLEADER sets currentEpoch once the log ends where the leader's
// does, and the follower acknowledges and follows.
TEST(ZabRules, Sync_SyncWithLeader_NewLeaderSetsCurrentEpochAndFollows) {
  Server server(0);
  deliver(server.zab, server.context, 4, Notification{0, 1, 0, 4, PeerState::kLeading});
  deliver(server.zab, server.context, 1, Notification{0, 1, 0, 4, PeerState::kFollowing});
  deliver(server.zab, server.context, 2, Notification{0, 1, 0, 4, PeerState::kFollowing});
  deliver(server.zab, server.context, 4, LeaderInfo{2});
  deliver(server.zab, server.context, 4, NewLeader{2, make_zxid(1, 1)});
  EXPECT_EQ(server.zab.current_epoch(), 0u);  // the entry (1, 1) is still missing
  deliver(server.zab, server.context, 4, Proposal{2, 0, make_zxid(1, 1)});
  server.context.take_sent();
  deliver(server.zab, server.context, 4, NewLeader{2, make_zxid(1, 1)});
  EXPECT_EQ(server.zab.current_epoch(), 2u);
  EXPECT_EQ(server.zab.phase(), ZabPhase::kBroadcast);
  EXPECT_EQ(server.context.reports.back(), "follows n5 2");
  ASSERT_EQ(server.context.sent_of<Ack>().size(), 1u);
  EXPECT_EQ(server.context.sent_of<Ack>()[0].second.zxid, make_zxid(1, 1));
}

// ---- Phase 3: broadcast ----

// Leader.waitForNewLeaderAck then lead(): a quorum of NEWLEADER ACKs makes the leader Ready; it
// proposes its no-op (epoch, 1), which commits on a quorum of ACKs.
TEST(ZabRules, Broadcast_ReadyAfterAQuorumSynchronizedThenTheNoOpCommits) {
  Server server(4);
  make_prospective_leader(server);
  deliver(server.zab, server.context, 3, FollowerInfo{0, 0});
  deliver(server.zab, server.context, 2, FollowerInfo{0, 0});
  deliver(server.zab, server.context, 3, AckEpoch{1, 0, 0});
  deliver(server.zab, server.context, 2, AckEpoch{1, 0, 0});
  deliver(server.zab, server.context, 3, Ack{1, 0});
  EXPECT_EQ(server.context.reports.back(), "leader 1");
  server.context.take_sent();
  deliver(server.zab, server.context, 2, Ack{1, 0});
  EXPECT_EQ(server.context.reports.back(), "ready");
  EXPECT_EQ(server.zab.last_zxid(), make_zxid(1, 1));
  EXPECT_EQ(server.context.sent_of<Proposal>().size(), 2u);
  EXPECT_TRUE(server.context.committed.empty());
  deliver(server.zab, server.context, 3, Ack{1, make_zxid(1, 1)});
  EXPECT_TRUE(server.context.committed.empty());  // the leader and n4: two of five
  deliver(server.zab, server.context, 2, Ack{1, make_zxid(1, 1)});
  ASSERT_EQ(server.context.committed.size(), 1u);
  EXPECT_EQ(server.context.committed[0], (sim::LogPosition{1, 1}));
  EXPECT_EQ(server.context.sent_of<Commit>().size(), 2u);
}

// Leader.lead(): every half tick the leader pings; at every full tick a leader whose followers
// heard from within syncLimit ticks are, with itself, no quorum shuts down (quorum lost).
TEST(ZabRules, Broadcast_Lead_StepsDownWithoutASyncedQuorum) {
  Server server(4);
  make_prospective_leader(server);
  deliver(server.zab, server.context, 3, FollowerInfo{0, 0});
  deliver(server.zab, server.context, 2, FollowerInfo{0, 0});
  deliver(server.zab, server.context, 3, AckEpoch{1, 0, 0});
  deliver(server.zab, server.context, 2, AckEpoch{1, 0, 0});
  deliver(server.zab, server.context, 3, Ack{1, 0});
  deliver(server.zab, server.context, 2, Ack{1, 0});
  ASSERT_EQ(server.zab.phase(), ZabPhase::kBroadcast);
  // Followers that answer keep it leading; silent ones are dropped after syncLimit (5) ticks.
  int half_ticks = 0;
  while (server.zab.role() == ZabRole::kLeading && half_ticks < 100) {
    server.zab.on_timer(server.context, Zab::kLeaderTickTimer);
    ++half_ticks;
  }
  EXPECT_EQ(server.zab.role(), ZabRole::kLooking);
  EXPECT_EQ(server.context.reports.back(), "stepped_down quorum_lost");
  // The deadline is tick 0 + syncLimit; the tick passes it at the 6th full tick, half tick 12.
  EXPECT_EQ(half_ticks, 12);
}

// Follower: a synchronized follower that hears nothing for syncLimit ticks leaves its leader.
TEST(ZabRules, Broadcast_Follower_ReadTimeoutOfSyncLimitTicksEndsTheFollowing) {
  Server server(0);
  deliver(server.zab, server.context, 4, Notification{0, 1, 0, 4, PeerState::kLeading});
  deliver(server.zab, server.context, 1, Notification{0, 1, 0, 4, PeerState::kFollowing});
  deliver(server.zab, server.context, 2, Notification{0, 1, 0, 4, PeerState::kFollowing});
  EXPECT_EQ(server.context.timers.at(Zab::kLeaderReadTimer), Duration::milliseconds(1000));
  deliver(server.zab, server.context, 4, LeaderInfo{1});
  deliver(server.zab, server.context, 4, NewLeader{1, 0});
  EXPECT_EQ(server.context.timers.at(Zab::kLeaderReadTimer), Duration::milliseconds(500));
  server.zab.on_timer(server.context, Zab::kLeaderReadTimer);
  EXPECT_EQ(server.zab.role(), ZabRole::kLooking);
  EXPECT_EQ(server.context.reports.back(), "leader_lost election_timeout");
}

// What ZooKeeper keeps on disk, and only that: acceptedEpoch, currentEpoch and the log survive
// a restart; the election round does not.
TEST(ZabRules, Persistence_AcceptedEpochCurrentEpochAndTheLogSurviveARestart) {
  const sim::DurableState restored = {Zab::kDurableFormat, 6, 5, 2, make_zxid(2, 1),
                                      make_zxid(5, 1)};
  Server server(0, test_options(), &restored);
  EXPECT_EQ(server.zab.accepted_epoch(), 6u);
  EXPECT_EQ(server.zab.current_epoch(), 5u);
  EXPECT_EQ(server.zab.last_zxid(), make_zxid(5, 1));
  EXPECT_EQ(server.zab.round(), 1u);
  EXPECT_EQ(server.zab.proposal().peer_epoch, 5u);
  EXPECT_EQ(server.zab.proposal().zxid, make_zxid(5, 1));
}

// ---- Cluster ----

class Cluster {
 public:
  explicit Cluster(uint64_t seed) {
    const AlgorithmInfo* info = find_algorithm("zab");
    SIM_CHECK(info != nullptr, "zab is registered");
    Params given;
    given.emplace("tick_time", ParamValue{Duration::milliseconds(100)});
    auto params = resolve_params(*info, given, kNodes);
    SIM_CHECK(params.ok(), "Zab parameters resolve");
    factory_ = info->make_factory(*params, kNodes);
    sim::Link link;
    link.latency = sim::LatencyModel::constant(Duration::milliseconds(5));
    world_ = std::make_unique<sim::World>(seed, kNodes, link, *factory_);
    world_->start();
  }
  sim::World& world() { return *world_; }
  void run_for(Duration duration) { world_->run_until(world_->now() + duration); }
  const Zab& zab(ProcessId node) {
    const auto* zab = dynamic_cast<const Zab*>(world_->algorithm(node));
    SIM_CHECK(zab != nullptr, "node is down");
    return *zab;
  }

 private:
  std::unique_ptr<sim::AlgorithmFactory> factory_;
  std::unique_ptr<sim::World> world_;
};

// FLE converges on the highest (epoch, zxid, id): with equal logs at start, n5 leads epoch 1,
// everyone follows it, and every server has committed its no-op (1, 1).
TEST(ZabCluster, ElectsTheHighestIdAtStartAndCommitsItsNoOp) {
  Cluster cluster(1);
  cluster.run_for(Duration::seconds(2));
  const auto leader = cluster.world().current_leader();
  ASSERT_TRUE(leader.has_value());
  EXPECT_EQ(*leader, 4u);
  EXPECT_EQ(cluster.world().leadership(*leader).epoch, 1u);
  for (ProcessId node = 0; node < kNodes; ++node) {
    EXPECT_EQ(cluster.zab(node).committed_zxid(), make_zxid(1, 1)) << node;
    if (node != *leader) {
      EXPECT_EQ(cluster.zab(node).role(), ZabRole::kFollowing);
    }
  }
}

// A crashed leader's followers time out after syncLimit ticks and elect a successor in a higher
// epoch, whose log holds the committed no-op of the epoch before (leader completeness).
TEST(ZabCluster, ALeaderCrashElectsASuccessorInAHigherEpochHoldingTheCommittedEntries) {
  Cluster cluster(2);
  cluster.run_for(Duration::seconds(2));
  const auto first = cluster.world().current_leader();
  ASSERT_TRUE(first.has_value());
  cluster.world().crash(cluster.world().host_of(*first));
  cluster.run_for(Duration::seconds(3));
  const auto second = cluster.world().current_leader();
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(*second, *first);
  EXPECT_EQ(cluster.zab(*second).epoch(), 2u);
  const auto log = cluster.zab(*second).log();
  EXPECT_TRUE(std::find(log.begin(), log.end(), make_zxid(1, 1)) != log.end());
  EXPECT_EQ(cluster.zab(*second).committed_zxid(), make_zxid(2, 1));
}

}  // namespace
}  // namespace electsim::algorithms::zab
