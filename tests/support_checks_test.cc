// The checks on support and logs (issue 14, "Checks on support"; issue 10, "Leader
// completeness") fed with synthetic records of the shapes World writes: each check has a trace
// that breaks its rule and one that keeps it, so neither a check that never fires nor one that
// always fires passes.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/algorithm.h"
#include "sim/checks/checks.h"
#include "sim/trace.h"
#include "sim/trace_records.h"
#include "tests/checks_test_util.h"

namespace electsim::sim::checks {
namespace {

using ::testing::HasSubstr;
using testing::ms;
using testing::violations_of;

// Feeds typed records, in true-time order, to a suite over one group of five (process i on
// host i) attached to a fresh trace.
class Support {
 public:
  explicit Support(const CheckConfig& config) : suite_(config) { suite_.attach(trace_); }

  Support& at(int64_t time_ms) {
    now_ = ms(time_ms);
    return *this;
  }
  // A leader as World records it: became_leader, then its log's end if it says one.
  Support& leader(ProcessId process, uint64_t epoch) {
    trace_.record(now_, LeaderElected{.process = process, .group = 0, .epoch = epoch,
                                      .token = epoch, .lease_until_ns = std::nullopt});
    return *this;
  }
  Support& leader_with_log(ProcessId process, uint64_t epoch, LogPosition log_end) {
    leader(process, epoch);
    trace_.record(now_, LeaderLogEnd{.process = process, .group = 0, .epoch = epoch,
                                     .log_epoch = log_end.epoch, .log_index = log_end.index});
    return *this;
  }
  Support& follows(ProcessId process, ProcessId leader, uint64_t epoch) {
    trace_.record(now_, FollowsLeader{.process = process, .leader = leader, .group = 0,
                                      .epoch = epoch});
    return *this;
  }
  Support& committed(ProcessId process, LogPosition position) {
    trace_.record(now_, EntryCommitted{.process = process, .group = 0, .epoch = position.epoch,
                                       .index = position.index});
    return *this;
  }
  Support& support(ProcessId process, ProcessId candidate, uint64_t epoch,
                   SupportKind kind = SupportKind::kVote) {
    trace_.record(now_, SupportGiven{.process = process, .candidate = candidate, .group = 0,
                                     .epoch = epoch, .support = kind});
    return *this;
  }
  Support& crash(HostId host) {
    trace_.record(now_, HostCrashed{.host = host});
    return *this;
  }
  Support& restart(HostId host, bool amnesia) {
    trace_.record(now_, HostRestarted{.host = host, .amnesia = amnesia});
    return *this;
  }
  CheckResults end(int64_t time_ms) {
    trace_.end(ms(time_ms));
    return suite_.results();
  }

 private:
  CheckSuite suite_;
  Trace trace_;
  Instant now_;
};

CheckConfig five() { return testing::config_for(5); }

CheckConfig five_reporting_support() {
  CheckConfig config = five();
  config.profile.reports_support = true;
  return config;
}

// ---- leader_completeness (Raft 5.4, Leader Completeness) ----

// n1 leads epoch 2 and commits its no-op at index 2; n2, a follower, learns it.
Support& committed_in_epoch_two(Support& trace) {
  return trace.at(100)
      .leader_with_log(0, 2, {1, 1})
      .at(110)
      .committed(0, {2, 2})
      .follows(1, 0, 2)
      .at(120)
      .committed(1, {2, 2});
}

TEST(LeaderCompleteness, FailsALeaderWhoseLogEndsBeforeAnEntryCommittedInALowerEpoch) {
  Support trace(five());
  committed_in_epoch_two(trace).at(500).leader_with_log(2, 3, {1, 1});
  const auto found = violations_of(trace.end(1000), "leader_completeness");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, CheckKind::kAlways);
  EXPECT_EQ(found[0].time, ms(500));
  EXPECT_EQ(found[0].epoch, 3u);
  EXPECT_EQ(found[0].group, 0u);
  EXPECT_EQ(found[0].nodes, (std::vector<NodeId>{2, 0}));
  EXPECT_EQ(found[0].detail,
            "n3 became leader of epoch 3 at 500ms with its log ending at (epoch 1, index 1), so "
            "it cannot hold the entry at (epoch 2, index 2) that n1 learned was committed at "
            "110ms (in epoch 2)");
}

TEST(LeaderCompleteness, PassesALeaderWhoseLogReachesTheNewestCommittedEntry) {
  Support trace(five());
  committed_in_epoch_two(trace)
      .at(500)
      .leader_with_log(2, 3, {2, 2})   // exactly the committed entry
      .at(900)
      .leader_with_log(3, 4, {3, 3});  // a later epoch's entry after it
  EXPECT_TRUE(violations_of(trace.end(1000), "leader_completeness").empty());
}

TEST(LeaderCompleteness, ALeaderThatReportsNoLogIsNotJudged) {
  Support trace(five());
  committed_in_epoch_two(trace).at(500).leader(2, 3);
  EXPECT_TRUE(violations_of(trace.end(1000), "leader_completeness").empty());
}

// Correct Raft can elect a stale candidate of term 3 with late votes after the leader of term 4
// committed more: Leader Completeness speaks of leaders of higher terms only.
TEST(LeaderCompleteness, AStaleLeaderIsNotJudgedByCommitsOfAHigherEpoch) {
  Support trace(five());
  trace.at(100).leader_with_log(0, 4, {2, 2}).at(110).committed(0, {4, 3});
  trace.at(200).leader_with_log(2, 3, {2, 2});
  EXPECT_TRUE(violations_of(trace.end(1000), "leader_completeness").empty());
}

// A follower of epoch 5 that learns an entry of epoch 2 is committed cannot tell which epoch
// decided it: at most 5. A leader of epoch 4 is not judged by it; one of epoch 6 is.
TEST(LeaderCompleteness, ACommitCountsFromTheEpochItsReporterWasIn) {
  Support trace(five());
  trace.at(100).follows(1, 0, 5).committed(1, {2, 7});
  trace.at(200).leader_with_log(2, 4, {2, 6});
  EXPECT_TRUE(violations_of(trace.end(300), "leader_completeness").empty());

  Support later(five());
  later.at(100).follows(1, 0, 5).committed(1, {2, 7});
  later.at(200).leader_with_log(2, 6, {2, 6});
  const auto found = violations_of(later.end(300), "leader_completeness");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail, HasSubstr("(in epoch 5)"));
}

TEST(LeaderCompleteness, SaysWhenAMemberHadLostItsDurableState) {
  Support trace(five());
  committed_in_epoch_two(trace).at(200).crash(1).at(300).restart(1, true);
  trace.at(500).leader_with_log(2, 3, {1, 1});
  const auto found = violations_of(trace.end(1000), "leader_completeness");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail,
              HasSubstr("; n2 lost its durable state in an amnesia restart at 300ms"));
}

// ---- one_vote_per_epoch (Raft 5.2; VR Revisited 4.2) ----

TEST(OneVotePerEpoch, FailsASecondCandidateInTheSameEpoch) {
  Support trace(five());
  trace.at(100).support(1, 0, 3).at(150).support(1, 2, 3).at(160).support(1, 3, 3);
  const auto found = violations_of(trace.end(1000), "one_vote_per_epoch");
  ASSERT_EQ(found.size(), 1u) << "reported once per process and epoch";
  EXPECT_EQ(found[0].time, ms(150));
  EXPECT_EQ(found[0].epoch, 3u);
  EXPECT_EQ(found[0].nodes, (std::vector<NodeId>{1, 0, 2}));
  EXPECT_EQ(found[0].detail,
            "n2 gave vote for epoch 3 to n3 at 150ms, but had given vote for that epoch to n1 "
            "at 100ms");
}

TEST(OneVotePerEpoch, PassesRepeatedVotesForOneCandidateAndPreVotesForOthers) {
  Support trace(five());
  trace.at(100)
      .support(1, 0, 3)
      .at(120)
      .support(1, 0, 3)  // a duplicated RequestVote, granted again
      .support(1, 2, 3, SupportKind::kPreVote)
      .support(1, 3, 3, SupportKind::kElectionVote)
      .at(200)
      .support(1, 2, 4);
  EXPECT_TRUE(violations_of(trace.end(1000), "one_vote_per_epoch").empty());
}

TEST(OneVotePerEpoch, EveryBindingKindCounts) {
  Support trace(five());
  trace.at(100).support(4, 0, 7, SupportKind::kDoViewChange).support(4, 1, 7,
                                                                       SupportKind::kPromise);
  EXPECT_EQ(violations_of(trace.end(1000), "one_vote_per_epoch").size(), 1u);
}

// An amnesia restart forgets the vote, which is exactly the bug class: reported, with the cause.
TEST(OneVotePerEpoch, AnAmnesiaRestartIsNoExcuseButIsNamed) {
  Support trace(five());
  trace.at(100).support(1, 0, 3).at(200).crash(1).at(300).restart(1, true);
  trace.at(400).support(1, 2, 3);
  const auto found = violations_of(trace.end(1000), "one_vote_per_epoch");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail,
              HasSubstr("; it lost its durable state in an amnesia restart at 300ms"));
}

TEST(OneVotePerEpoch, ARestartWithDurableStateIsNamedNothing) {
  Support trace(five());
  trace.at(100).support(1, 0, 3).at(200).crash(1).at(300).restart(1, false);
  trace.at(400).support(1, 2, 3);
  const auto found = violations_of(trace.end(1000), "one_vote_per_epoch");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail, ::testing::Not(HasSubstr("amnesia")));
}

// ---- promises_never_go_backwards (Paxos Made Simple, 2.2) ----

TEST(PromisesNeverGoBackwards, FailsAnAcceptBelowAPromise) {
  Support trace(five());
  trace.at(100)
      .support(2, 0, 5, SupportKind::kPromise)
      .at(200)
      .support(2, 1, 4, SupportKind::kAccept)
      .at(300)
      .support(2, 1, 3, SupportKind::kPromise);  // the same fall: not reported again
  const auto found = violations_of(trace.end(1000), "promises_never_go_backwards");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].epoch, 4u);
  EXPECT_EQ(found[0].nodes, (std::vector<NodeId>{2, 1}));
  EXPECT_EQ(found[0].detail,
            "n3 gave accept for ballot 4 to n2 at 200ms, after promising ballot 5 to n1 at "
            "100ms");
}

TEST(PromisesNeverGoBackwards, FailsALowerPromiseAgainAfterMakingUp) {
  Support trace(five());
  trace.at(100)
      .support(2, 0, 5, SupportKind::kPromise)
      .support(2, 1, 4, SupportKind::kPromise)
      .at(200)
      .support(2, 0, 6, SupportKind::kPromise)
      .support(2, 1, 5, SupportKind::kPromise);
  EXPECT_EQ(violations_of(trace.end(1000), "promises_never_go_backwards").size(), 2u);
}

TEST(PromisesNeverGoBackwards, PassesRisingPromisesAndAcceptsAtThePromisedBallot) {
  Support trace(five());
  trace.at(100)
      .support(2, 0, 5, SupportKind::kPromise)
      .support(2, 0, 5, SupportKind::kAccept)
      .at(200)
      .support(2, 1, 7, SupportKind::kPromise)
      .support(2, 1, 7, SupportKind::kAccept)
      .support(2, 0, 6, SupportKind::kVote);  // not a Paxos kind: another check's business
  EXPECT_TRUE(violations_of(trace.end(1000), "promises_never_go_backwards").empty());
}

// ---- leader_had_a_quorum (Raft 5.2: votes from a majority for the same term) ----

TEST(LeaderHadAQuorum, FailsALeaderSupportedByTooFew) {
  Support trace(five_reporting_support());
  trace.at(100)
      .support(0, 0, 2)
      .support(1, 0, 2)
      .support(2, 0, 2, SupportKind::kPreVote)  // not binding
      .support(3, 0, 1)                         // another epoch
      .at(120)
      .leader(0, 2);
  const auto found = violations_of(trace.end(1000), "leader_had_a_quorum");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(120));
  EXPECT_EQ(found[0].epoch, 2u);
  EXPECT_EQ(found[0].nodes, (std::vector<NodeId>{0, 1}));
  EXPECT_EQ(found[0].detail,
            "n1 became leader of epoch 2 at 120ms with binding support for that epoch from n1 "
            "and n2: 2 of 5 members, short of the majority of 3");
}

TEST(LeaderHadAQuorum, CountsEachMemberOnce) {
  Support trace(five_reporting_support());
  trace.at(100).support(0, 0, 2).support(1, 0, 2).support(1, 0, 2).at(120).leader(0, 2);
  EXPECT_EQ(violations_of(trace.end(1000), "leader_had_a_quorum").size(), 1u);
}

TEST(LeaderHadAQuorum, PassesAMajority) {
  Support trace(five_reporting_support());
  trace.at(100).support(0, 0, 2).support(3, 0, 2).at(110).support(4, 0, 2).at(120).leader(0, 2);
  EXPECT_TRUE(violations_of(trace.end(1000), "leader_had_a_quorum").empty());
}

// nemesis seed 181: a paused voter resumes and grants ten queued requests of epochs 62..71 at
// once, after the candidate's own vote and another for epoch 71.
TEST(LeaderHadAQuorum, ABurstOfLateSupportForOlderEpochsDoesNotHideTheCurrentOne) {
  Support trace(five_reporting_support());
  for (uint64_t epoch = 60; epoch <= 71; ++epoch) {
    trace.at(static_cast<int64_t>(epoch) * 10).support(0, 0, epoch).support(3, 0, epoch);
  }
  trace.at(800);
  for (uint64_t epoch = 50; epoch <= 71; ++epoch) trace.support(2, 0, epoch);
  trace.at(801).leader(0, 71);
  EXPECT_TRUE(violations_of(trace.end(1000), "leader_had_a_quorum").empty());
}

// After an amnesia restart a candidate campaigns in epoch 1 again, below all it remembers.
TEST(LeaderHadAQuorum, ACandidateBackAtALowEpochIsCountedThere) {
  Support trace(five_reporting_support());
  for (uint64_t epoch = 30; epoch <= 60; ++epoch) {
    trace.at(static_cast<int64_t>(epoch)).support(0, 0, epoch);
  }
  trace.at(100).support(0, 0, 1).support(1, 0, 1).support(2, 0, 1).at(110).leader(0, 1);
  EXPECT_TRUE(violations_of(trace.end(1000), "leader_had_a_quorum").empty());
}

// Epoch 0 is the one every member starts in: its leader was configured (VR's initial view),
// not elected, so no support for it is required; epoch 1 still is judged.
TEST(LeaderHadAQuorum, TheInitialEpochZeroIsNotJudged) {
  Support trace(five_reporting_support());
  trace.at(0).leader(0, 0).at(500).leader(1, 1);
  const auto found = violations_of(trace.end(1000), "leader_had_a_quorum");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].epoch, 1u);
}

TEST(LeaderHadAQuorum, AnAlgorithmThatReportsNoSupportIsNotJudged) {
  Support trace(five());
  trace.at(120).leader(0, 2);
  EXPECT_TRUE(violations_of(trace.end(1000), "leader_had_a_quorum").empty());
}

TEST(LeaderHadAQuorum, AnAlgorithmWithoutAQuorumIsNotJudged) {
  CheckConfig config = five_reporting_support();
  config.profile.progress = ProgressModel::kNone;
  Support trace(config);
  trace.at(120).leader(0, 2);
  EXPECT_TRUE(violations_of(trace.end(1000), "leader_had_a_quorum").empty());
}

// ---- follows_a_claimed_leader (Raft 5.1) ----

TEST(FollowsAClaimedLeader, FailsAFollowerOfAnEpochItsLeaderNeverClaimed) {
  Support trace(five());
  trace.at(100).leader(0, 2).follows(1, 0, 2).at(300).follows(2, 0, 3);
  const auto found = violations_of(trace.end(1000), "follows_a_claimed_leader");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(300));
  EXPECT_EQ(found[0].epoch, 3u);
  EXPECT_EQ(found[0].nodes, (std::vector<NodeId>{2, 0}));
  EXPECT_EQ(found[0].detail,
            "n3 followed n1 in epoch 3 at 300ms, but n1 had not become leader of that epoch "
            "(its latest claim: epoch 2 at 100ms)");
}

TEST(FollowsAClaimedLeader, FailsAFollowerThatFollowsBeforeTheClaim) {
  Support trace(five());
  trace.at(100).follows(1, 0, 2).at(110).leader(0, 2);
  const auto found = violations_of(trace.end(1000), "follows_a_claimed_leader");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail, HasSubstr("(it never claimed any)"));
}

TEST(FollowsAClaimedLeader, PassesFollowersOfClaimedEpochsEvenAfterTheLeaderMovedOn) {
  Support trace(five());
  trace.at(100).leader(0, 2).follows(1, 0, 2).at(200).leader(3, 3).follows(1, 3, 3);
  trace.at(300).leader(0, 4).follows(2, 0, 2);  // a late AppendEntries of n1's term 2
  EXPECT_TRUE(violations_of(trace.end(1000), "follows_a_claimed_leader").empty());
}

TEST(FollowsAClaimedLeader, ServiceBasedAlgorithmsAreNotJudged) {
  CheckConfig config = five();
  config.profile.progress = ProgressModel::kServiceReachable;
  Support trace(config);
  trace.at(100).follows(1, 0, 2);
  EXPECT_TRUE(violations_of(trace.end(1000), "follows_a_claimed_leader").empty());
}

// ---- Every new check is in the catalogue that `electsim list` and the reports print ----

TEST(SupportChecks, AreInTheCatalogueAsAlwaysChecks) {
  for (const char* name : {"leader_completeness", "one_vote_per_epoch",
                           "promises_never_go_backwards", "leader_had_a_quorum",
                           "follows_a_claimed_leader"}) {
    bool found = false;
    for (const CheckInfo& info : check_catalogue()) {
      if (info.name != name) continue;
      found = true;
      EXPECT_EQ(info.kind, CheckKind::kAlways) << name;
    }
    EXPECT_TRUE(found) << name;
  }
}

}  // namespace
}  // namespace electsim::sim::checks
