// Multi-Paxos against its sources, one rule per test, each named after the rule and where it is
// written: Lamport, "Paxos Made Simple" (2001), sections 2 and 3; Chandra, Griesemer & Redstone,
// "Paxos Made Live" (2007), section 5.2 (master leases); van Renesse & Altinbuken, "Paxos Made
// Moderately Complex" (2015), for preemption. One server runs against a recording context and
// the test looks at exactly what it sends, saves and reports.
#include <algorithm>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "algorithms/multipaxos/multipaxos.h"
#include "tests/multipaxos_test_support.h"

namespace electsim::algorithms::multipaxos {
namespace {

using sim::Duration;
using sim::LogPosition;
using sim::SupportKind;
using testing::default_options;
using testing::deliver;
using testing::RecordingContext;

bool gave(const RecordingContext& context, sim::ProcessId candidate, Ballot ballot,
          SupportKind kind) {
  return std::any_of(context.supported.begin(), context.supported.end(),
                     [&](const sim::Supported& s) {
                       return s.candidate == candidate && s.epoch == ballot && s.kind == kind;
                     });
}

// Makes server 0 of three run phase 1 above `seen` (a Prepare it promised first) and returns
// its ballot.
Ballot campaign_above(MultiPaxos& server, RecordingContext& context, Ballot seen) {
  deliver(server, context, 2, Prepare{seen});
  server.on_timer(context, MultiPaxos::kFailureDetectorTimer);
  EXPECT_EQ(server.role(), MultiPaxosRole::kCandidate);
  return server.ballot();
}

// Paxos Made Simple 2.5: "different proposers choose their numbers from disjoint sets of
// numbers": a ballot is (round, proposer), and (round, proposer) order is the integer order.
TEST(MultiPaxosRules, Simple2_5_BallotsAreRoundThenProposerInOneWord) {
  EXPECT_EQ(make_ballot(3, 1), (uint64_t{3} << 16) | 2);
  EXPECT_LT(make_ballot(3, 9), make_ballot(4, 0));
  EXPECT_LT(make_ballot(4, 0), make_ballot(4, 1));
  EXPECT_EQ(round_of(make_ballot(7, 2)), 7u);
  EXPECT_EQ(next_ballot(make_ballot(7, 2), 0), make_ballot(8, 0));
}

// Paxos Made Simple 2.5: an acceptor "must remember this information even if it fails and then
// restarts": the promise is saved before the Promise goes out, and a restart keeps it.
TEST(MultiPaxosRules, Simple2_5_ThePromiseIsSavedBeforeItIsSentAndSurvivesARestart) {
  RecordingContext context(0, 3);
  MultiPaxos acceptor(default_options());
  acceptor.on_start(context, nullptr);
  const Ballot ballot = make_ballot(2, 1);
  deliver(acceptor, context, 1, Prepare{ballot});
  const auto promises = context.sent_of<Promise>();
  ASSERT_EQ(promises.size(), 1u);
  EXPECT_EQ(promises[0].first, 1u);
  EXPECT_EQ(promises[0].second.ballot, ballot);
  ASSERT_TRUE(context.durable_at_send[0].has_value());
  EXPECT_EQ((*context.durable_at_send[0])[1], ballot) << "promised ballot saved before sending";

  RecordingContext restarted_context(0, 3);
  MultiPaxos restarted(default_options());
  restarted.on_start(restarted_context, &*context.durable_at_send[0]);
  EXPECT_EQ(restarted.promised(), ballot);
  deliver(restarted, restarted_context, 2, Prepare{make_ballot(2, 0)});
  const auto nacks = restarted_context.sent_of<Nack>();
  ASSERT_EQ(nacks.size(), 1u);
  EXPECT_EQ(nacks[0].second.promised, ballot);
  EXPECT_TRUE(restarted_context.sent_of<Promise>().empty());
}

// Paxos Made Simple 2.2, phases 1(b) and 2(b): an acceptor promises a ballot only if it has
// promised no higher one, and accepts under a ballot unless it promised a higher one; each
// promise and each accept is reported as support for that ballot's proposer.
TEST(MultiPaxosRules, Simple2_2_RefusesBallotsBelowItsPromiseAndReportsWhatItGives) {
  RecordingContext context(0, 3);
  MultiPaxos acceptor(default_options());
  acceptor.on_start(context, nullptr);
  const Ballot high = make_ballot(3, 1);
  const Ballot low = make_ballot(2, 2);
  deliver(acceptor, context, 1, Prepare{high});
  EXPECT_TRUE(gave(context, 1, high, SupportKind::kPromise));
  context.take_sent();
  deliver(acceptor, context, 2, Prepare{low});
  deliver(acceptor, context, 2, Accept{low, 1, 1, 0, 0});
  const auto nacks = context.sent_of<Nack>();
  ASSERT_EQ(nacks.size(), 2u);
  EXPECT_EQ(nacks[0].second.ballot, low);
  EXPECT_EQ(nacks[1].second.promised, high);
  EXPECT_EQ(acceptor.log().last_slot(), 0u);
  EXPECT_FALSE(gave(context, 2, low, SupportKind::kPromise));
  EXPECT_FALSE(gave(context, 2, low, SupportKind::kAccept));
  deliver(acceptor, context, 1, Accept{high, 1, 1, 0, 0});
  EXPECT_TRUE(gave(context, 1, high, SupportKind::kAccept));
  EXPECT_EQ(acceptor.log().ballot_at(1), high);
}

// Paxos Made Simple 2.4: electing the distinguished proposer "must use either randomness or real
// time"; a server that times out waiting for a leader runs phase 1 with a ballot above every
// ballot it has seen (the failure detector's timeout is redrawn from its range at every reset).
TEST(MultiPaxosRules, Simple2_4_ATimedOutFollowerRunsPhase1AboveEveryBallotSeen) {
  RecordingContext context(0, 3);
  MultiPaxos server(default_options());
  server.on_start(context, nullptr);
  const sim::DurationRange range = context.timer_ranges.at(MultiPaxos::kFailureDetectorTimer);
  EXPECT_EQ(range.lo, Duration::milliseconds(150));
  EXPECT_EQ(range.hi, Duration::milliseconds(300));
  const Ballot ballot = campaign_above(server, context, make_ballot(4, 2));
  EXPECT_EQ(ballot, make_ballot(5, 0));
  EXPECT_EQ(server.promised(), ballot);
  EXPECT_TRUE(gave(context, 0, ballot, SupportKind::kPromise)) << "it promises itself";
  const auto prepares = context.sent_of<Prepare>();
  ASSERT_EQ(prepares.size(), 2u);
  EXPECT_EQ(prepares[0].first, 1u);
  EXPECT_EQ(prepares[1].first, 2u);
  EXPECT_EQ(prepares[0].second.ballot, ballot);
  const auto saved = context.durable_at_send.back();
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ((*saved)[1], ballot);
}

// Paxos Made Simple section 3 (phase-1 recovery): with promises from a majority the proposer
// leads; it reports where the log it recovered ends, the newest entry in (ballot, slot) order,
// before it proposes anything; then it proposes every slot it does not know chosen, up to the
// recovered log's end, under its own ballot, and one no-op after them.
TEST(MultiPaxosRules, Simple3_ANewLeaderRecoversAcceptedEntriesAndReproposesThem) {
  RecordingContext context(0, 3);
  MultiPaxos server(default_options());
  server.on_start(context, nullptr);
  const Ballot ballot = campaign_above(server, context, make_ballot(3, 2));
  context.take_sent();
  const Ballot older = make_ballot(2, 1);
  deliver(server, context, 1, Promise{ballot, 3, older, 2});
  ASSERT_EQ(server.role(), MultiPaxosRole::kLeader);
  ASSERT_EQ(context.elected.size(), 1u);
  EXPECT_EQ(context.elected[0].epoch, ballot);
  EXPECT_EQ(context.elected[0].token, ballot);
  EXPECT_FALSE(context.elected[0].lease_until.has_value());
  ASSERT_TRUE(context.elected[0].log_end.has_value());
  EXPECT_EQ(*context.elected[0].log_end, (LogPosition{older, 2}));
  const auto accepts = context.sent_of<Accept>();
  ASSERT_EQ(accepts.size(), 2u);
  for (const auto& [to, accept] : accepts) {
    EXPECT_EQ(accept.ballot, ballot);
    EXPECT_EQ(accept.first_slot, 1u);
    EXPECT_EQ(accept.last_slot, 4u) << "three recovered slots and one no-op";
  }
  EXPECT_EQ(server.log().last_slot(), 4u);
  for (uint64_t slot = 1; slot <= 4; ++slot) EXPECT_EQ(server.log().ballot_at(slot), ballot);
  EXPECT_TRUE(context.committed.empty()) << "nothing is chosen before a majority accepted";
}

// Paxos Made Simple 2.2: a value is chosen when a majority of acceptors accepted it; the leader
// then reports the newest chosen position, (its ballot, the last slot of its proposal).
TEST(MultiPaxosRules, Simple2_2_ChosenOnceAMajorityAccepted) {
  RecordingContext context(0, 3);
  MultiPaxos server(default_options());
  server.on_start(context, nullptr);
  const Ballot ballot = campaign_above(server, context, make_ballot(1, 2));
  deliver(server, context, 1, Promise{ballot, 0, 0, 0});
  ASSERT_EQ(server.role(), MultiPaxosRole::kLeader);
  EXPECT_TRUE(context.committed.empty());
  deliver(server, context, 2, Accepted{ballot, 1, 0, 0});
  ASSERT_EQ(context.committed.size(), 1u);
  EXPECT_EQ(context.committed[0], (LogPosition{ballot, 1}));
  EXPECT_EQ(server.log().chosen_through(), 1u);
  deliver(server, context, 1, Accepted{ballot, 1, 0, 0});
  EXPECT_EQ(context.committed.size(), 1u) << "reported once per advance";
}

// Paxos Made Simple 2.3 (learning a chosen value): an acceptor that accepted the leader's
// proposal learns from the leader's heartbeat that it is chosen, and reports it.
TEST(MultiPaxosRules, Simple2_3_ALearnerLearnsTheChosenSlotsFromTheLeader) {
  RecordingContext context(1, 3);
  MultiPaxos follower(default_options());
  follower.on_start(context, nullptr);
  const Ballot ballot = make_ballot(1, 0);
  deliver(follower, context, 0, Accept{ballot, 1, 2, 0, 5});
  const auto accepted = context.sent_of<Accepted>();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0].second.accepted_through, 2u);
  EXPECT_EQ(accepted[0].second.sent_at_ns, 5) << "the send time is echoed for the lease";
  EXPECT_TRUE(context.committed.empty());
  deliver(follower, context, 0, Heartbeat{ballot, 2, 9});
  ASSERT_EQ(context.committed.size(), 1u);
  EXPECT_EQ(context.committed[0], (LogPosition{ballot, 2}));
  const auto acks = context.sent_of<HeartbeatAck>();
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].second.accepted_through, 2u);
  EXPECT_EQ(acks[0].second.chosen_through, 2u);
  EXPECT_EQ(context.reports.back(), "follows n1 " + std::to_string(ballot));
}

// Paxos Made Simple 2.3: "To learn that a value has been chosen, a learner must find out that a
// proposal has been accepted by a majority of acceptors." A new leader that knew slots 1..6
// chosen under an older ballot resends them to an acceptor that lacks them, which accepts them
// again under the new ballot; that is one acceptor's acceptance, no majority's, so the leader
// announces nothing chosen until a majority holds its own proposal, and the learner reports
// the position its proposal was chosen at. (The old leader announced its whole chosen prefix, and
// the learner reported slot 6 committed under the new ballot: nemesis seed 425's
// leader_completeness finding, and with a lease a Follows before the leader's claim.)
TEST(MultiPaxosRules, Simple2_3_ALearnerLearnsOnlyWhatAMajorityAcceptedUnderTheLeadersBallot) {
  const Ballot older = make_ballot(2, 1);
  sim::DurableState saved = {MultiPaxos::kDurableFormat, older, 6, 6};
  for (int slot = 1; slot <= 6; ++slot) saved.push_back(older);
  RecordingContext leader_context(0, 3);
  leader_context.durable = saved;
  MultiPaxos leader(default_options());
  leader.on_start(leader_context, &saved);
  const Ballot ballot = campaign_above(leader, leader_context, make_ballot(3, 2));
  leader_context.take_sent();
  deliver(leader, leader_context, 2, Promise{ballot, 6, older, 6});
  ASSERT_EQ(leader.role(), MultiPaxosRole::kLeader);
  ASSERT_EQ(leader_context.sent_of<Accept>().size(), 2u);
  for (const auto& [to, accept] : leader_context.sent_of<Accept>()) {
    EXPECT_EQ(accept.first_slot, 7u) << "it proposes after its chosen prefix";
    EXPECT_EQ(accept.chosen_through, 0u) << "nothing is chosen under its ballot yet";
  }

  // Acceptor n2 has an empty log: it refuses the range after its gap and gets slots 1..7.
  RecordingContext learner_context(1, 3);
  MultiPaxos learner(default_options());
  learner.on_start(learner_context, nullptr);
  // Delivers what `sender` sent to `receiver` (and drops what it sent to the third server).
  const auto relay = [](RecordingContext& sender_context, MultiPaxos& receiver,
                        RecordingContext& receiver_context) {
    for (const auto& [to, message] : sender_context.take_sent()) {
      if (to == receiver_context.self()) {
        deliver(receiver, receiver_context, sender_context.self(), message);
      }
    }
  };
  relay(leader_context, learner, learner_context);  // Accept 7..7: refused after the gap
  relay(learner_context, leader, leader_context);   // Accepted{0}: resent from slot 1
  relay(leader_context, learner, learner_context);  // Accept 1..7: taken
  EXPECT_EQ(learner.log().last_slot(), 7u);
  EXPECT_EQ(learner.log().ballot_at(6), ballot) << "accepted again under the new ballot";
  EXPECT_TRUE(learner_context.committed.empty())
      << "slot 6 was chosen under ballot " << older << ", not under " << ballot;

  relay(learner_context, leader, leader_context);  // the majority: n1 and n2 hold 1..7
  ASSERT_EQ(leader_context.committed.size(), 1u);
  EXPECT_EQ(leader_context.committed[0], (LogPosition{ballot, 7}));
  leader.on_timer(leader_context, MultiPaxos::kHeartbeatTimer);
  relay(leader_context, learner, learner_context);
  ASSERT_EQ(learner_context.committed.size(), 1u);
  EXPECT_EQ(learner_context.committed[0], (LogPosition{ballot, 7}));
}

// Paxos Made Simple 2.2, phase 2(b): an acceptor that takes a leader's message for a ballot
// above its promise will accept no lower ballot from then on, which is a promise: it is
// reported as one (Supported{leader, ballot, promise}), whether a Heartbeat or an Accept
// brought the ballot, so promises_never_go_backwards judges it as well.
TEST(MultiPaxosRules, Simple2_2_TakingAHigherBallotFromTheLeaderIsReportedAsAPromise) {
  RecordingContext context(1, 3);
  MultiPaxos acceptor(default_options());
  acceptor.on_start(context, nullptr);
  const Ballot ballot = make_ballot(5, 2);
  deliver(acceptor, context, 2, Heartbeat{ballot, 0, 0});
  EXPECT_EQ(acceptor.promised(), ballot);
  EXPECT_TRUE(gave(context, 2, ballot, SupportKind::kPromise));
  const Ballot higher = make_ballot(6, 0);
  deliver(acceptor, context, 0, Accept{higher, 1, 1, 0, 0});
  EXPECT_TRUE(gave(context, 0, higher, SupportKind::kPromise));
  EXPECT_TRUE(gave(context, 0, higher, SupportKind::kAccept));
  const size_t reported = context.supported.size();
  deliver(acceptor, context, 0, Heartbeat{higher, 0, 0});
  EXPECT_EQ(context.supported.size(), reported) << "the same ballot again is no new promise";
}

// An acceptor takes a range only where it knows every slot before it chosen; a range after a
// gap is refused, and the leader resends from the first slot the acceptor does not know chosen
// (proposing a value already chosen again is safe: Paxos Made Simple 2.2, P2).
TEST(MultiPaxosRules, Simple3_ARangeAfterAGapIsResentFromTheAcceptorsChosenPrefix) {
  RecordingContext acceptor_context(1, 3);
  MultiPaxos acceptor(default_options());
  acceptor.on_start(acceptor_context, nullptr);
  const Ballot ballot = make_ballot(1, 0);
  deliver(acceptor, acceptor_context, 0, Accept{ballot, 3, 4, 2, 0});
  const auto refused = acceptor_context.sent_of<Accepted>();
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].second.accepted_through, 0u);
  EXPECT_EQ(acceptor.log().last_slot(), 0u);

  RecordingContext context(0, 3);
  MultiPaxos leader(default_options());
  leader.on_start(context, nullptr);
  const Ballot own = campaign_above(leader, context, make_ballot(1, 2));
  deliver(leader, context, 1, Promise{own, 0, 0, 0});
  context.take_sent();
  deliver(leader, context, 1, Accepted{own, 0, 0, 0});
  const auto resent = context.sent_of<Accept>();
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(resent[0].first, 1u);
  EXPECT_EQ(resent[0].second.first_slot, 1u);
}

// Paxos Made Moderately Complex (the leader is "preempted"): a leader that learns of a higher
// ballot, from a Nack or from a Prepare, stops leading.
TEST(MultiPaxosRules, ModeratelyComplex_ALeaderPreemptedByAHigherBallotStepsDown) {
  for (bool by_prepare : {false, true}) {
    RecordingContext context(0, 3);
    MultiPaxos server(default_options());
    server.on_start(context, nullptr);
    const Ballot ballot = campaign_above(server, context, make_ballot(1, 2));
    deliver(server, context, 1, Promise{ballot, 0, 0, 0});
    ASSERT_EQ(server.role(), MultiPaxosRole::kLeader);
    const Ballot higher = make_ballot(round_of(ballot) + 1, 2);
    if (by_prepare) {
      deliver(server, context, 2, Prepare{higher});
      EXPECT_TRUE(gave(context, 2, higher, SupportKind::kPromise));
    } else {
      deliver(server, context, 2, Nack{ballot, higher});
    }
    EXPECT_EQ(server.role(), MultiPaxosRole::kFollower) << "by_prepare " << by_prepare;
    EXPECT_EQ(context.reports.back(), "stepped_down higher_epoch_seen");
    EXPECT_EQ(context.timers.count(MultiPaxos::kHeartbeatTimer), 0u);
    EXPECT_EQ(context.timers.count(MultiPaxos::kFailureDetectorTimer), 1u);
  }
}

MultiPaxosOptions lease_options() {
  MultiPaxosOptions options = default_options();
  options.lease = Duration::seconds(2);
  options.lease_drift_allowance = Duration::milliseconds(20);
  return options;
}

// Paxos Made Live 5.2 (master leases): an acceptor that heard the leader refuses other
// proposers' Prepares until the lease runs out on its own clock, and promises after that.
TEST(MultiPaxosRules, Live5_2_AnAcceptorRefusesOtherProposersDuringTheLease) {
  RecordingContext context(1, 3);
  MultiPaxos acceptor(lease_options());
  acceptor.on_start(context, nullptr);
  const Ballot leader_ballot = make_ballot(1, 0);
  deliver(acceptor, context, 0, Accept{leader_ballot, 1, 1, 0, 0});
  context.take_sent();
  const Ballot challenger = make_ballot(2, 2);
  context.now = sim::LocalInstant::zero() + Duration::milliseconds(1999);
  deliver(acceptor, context, 2, Prepare{challenger});
  EXPECT_TRUE(context.sent.empty()) << "no promise while the lease runs";
  EXPECT_EQ(acceptor.promised(), leader_ballot);
  // Its own failure detector waits for the lease too.
  acceptor.on_timer(context, MultiPaxos::kFailureDetectorTimer);
  EXPECT_EQ(acceptor.role(), MultiPaxosRole::kFollower);
  context.now = sim::LocalInstant::zero() + Duration::milliseconds(2000);
  deliver(acceptor, context, 2, Prepare{challenger});
  ASSERT_EQ(context.sent_of<Promise>().size(), 1u);
  EXPECT_EQ(acceptor.promised(), challenger);
}

// Paxos Made Live 5.2: the leader holds the lease once a majority took its first proposal,
// counted from when it sent it, less the drift allowance; it reports that as lease_until and
// stops leading when the lease runs out unrenewed.
TEST(MultiPaxosRules, Live5_2_TheLeaderLeadsFromAMajoritysAcceptUntilItsLeaseRunsOut) {
  RecordingContext context(0, 3);
  MultiPaxos server(lease_options());
  server.on_start(context, nullptr);
  const Ballot ballot = campaign_above(server, context, make_ballot(1, 2));
  context.now = sim::LocalInstant::zero() + Duration::milliseconds(10);
  deliver(server, context, 1, Promise{ballot, 0, 0, 0});
  ASSERT_EQ(server.role(), MultiPaxosRole::kLeader);
  EXPECT_TRUE(context.elected.empty()) << "no lease yet, so not yet leading";
  const int64_t sent_at = context.sent_of<Accept>().at(0).second.sent_at_ns;
  context.now = sim::LocalInstant::zero() + Duration::milliseconds(20);
  deliver(server, context, 1, Accepted{ballot, 1, 0, sent_at});
  ASSERT_EQ(context.elected.size(), 1u);
  ASSERT_TRUE(context.elected[0].lease_until.has_value());
  EXPECT_EQ(*context.elected[0].lease_until,
            sim::LocalInstant::from_ns(sent_at) + Duration::seconds(2) -
                Duration::milliseconds(20));
  context.now = *context.elected[0].lease_until;
  server.on_timer(context, MultiPaxos::kLeaseTimer);
  EXPECT_EQ(server.role(), MultiPaxosRole::kFollower);
  EXPECT_EQ(context.reports.back(), "stepped_down lease_expired");
}

// Paxos Made Live 5.2 with issue 14's follows_a_claimed_leader: with a lease a follower says
// whom it follows once it knows a slot of the leader's ballot chosen. A follower restarted from
// its saved log already knows the slot chosen; it must still say whom it follows at the
// leader's next heartbeat (before, it never did, and the recovery check saw no majority
// following: 33 of nemesis seeds 1..10000 with `lease: 2s`, the first 583).
TEST(MultiPaxosRules, Live5_2_ARestartedFollowerSaysAgainWhomItFollows) {
  const Ballot ballot = make_ballot(4, 0);
  const sim::DurableState saved = {MultiPaxos::kDurableFormat, ballot, 3, 3, ballot, ballot,
                                   ballot};
  RecordingContext context(1, 3);
  context.durable = saved;
  MultiPaxos follower(lease_options());
  follower.on_start(context, &saved);
  ASSERT_EQ(follower.log().chosen_through(), 3u);
  deliver(follower, context, 0, Heartbeat{ballot, 0, 1});
  EXPECT_TRUE(context.reports.empty()) << "nothing of the ballot is known chosen yet";
  deliver(follower, context, 0, Heartbeat{ballot, 3, 2});
  ASSERT_FALSE(context.reports.empty());
  EXPECT_EQ(context.reports.back(), "follows n1 " + std::to_string(ballot));
  EXPECT_TRUE(context.committed.empty()) << "slot 3 was known chosen before the restart";
}

}  // namespace
}  // namespace electsim::algorithms::multipaxos
