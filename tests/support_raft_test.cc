// Raft's reports of support and commitment (issue 14, "Support is recorded"; issue 10, "Leader
// completeness"), against the paper (Ongaro & Ousterhout 2014): a granted vote is reported once
// it is on stable storage (Figure 2), a pre-vote as non-binding support (thesis 9.6), and every
// advance of commitIndex (Figure 2, 5.3, 5.4.2) with the newest committed entry.
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "algorithms/raft/raft.h"
#include "sim/algorithm.h"
#include "tests/algorithms/forwarding_context.h"
#include "tests/raft_test_support.h"

namespace electsim::algorithms::raft {
namespace {

using sim::Duration;
using sim::LogPosition;
using sim::NodeId;
using sim::SupportKind;
using testing::FakeContext;

RaftOptions options() {
  RaftOptions result;
  result.election_timeout = {Duration::milliseconds(150), Duration::milliseconds(300)};
  result.heartbeat_interval = Duration::milliseconds(75);
  return result;
}

void deliver(Raft& raft, sim::Context& context, NodeId from, const RaftMessage& message) {
  raft.on_message(context, from, sim::Payload::of(message));
}

bool same(const sim::Supported& a, const sim::Supported& b) {
  return a.candidate == b.candidate && a.epoch == b.epoch && a.kind == b.kind;
}

// Keeps, for each support reported, what was on stable storage at that moment.
class DurableAtSupport final : public electsim::testing::ForwardingContext {
 public:
  explicit DurableAtSupport(FakeContext& fake) : ForwardingContext(fake), fake_(fake) {}
  using ForwardingContext::report;
  void report(const sim::Supported& event) override {
    durable_at_support.push_back(fake_.durable);
    inner_.report(event);
  }
  std::vector<std::optional<sim::DurableState>> durable_at_support;

 private:
  FakeContext& fake_;
};

// Paper Figure 2: votedFor is "updated on stable storage before responding to RPCs"; the support
// is reported only then, so a crash cannot lose a vote the trace says was given.
TEST(SupportRaft, Figure2_AGrantedVoteIsReportedOnceItIsDurable) {
  FakeContext fake(0, 3);
  DurableAtSupport context(fake);
  Raft voter(options());
  voter.on_start(context, nullptr);
  deliver(voter, context, 1, RequestVote{2, 1, 0});
  ASSERT_EQ(fake.supported.size(), 1u);
  EXPECT_TRUE(same(fake.supported[0], {1, 2, SupportKind::kVote}));
  ASSERT_TRUE(context.durable_at_support[0].has_value());
  EXPECT_EQ((*context.durable_at_support[0])[1], 2u) << "the term";
  EXPECT_EQ((*context.durable_at_support[0])[2], 2u) << "votedFor n2, stored as id + 1";

  // A refusal is no support; the same candidate asking again gets (and reports) it again.
  deliver(voter, context, 2, RequestVote{2, 1, 0});
  deliver(voter, context, 1, RequestVote{2, 1, 0});
  ASSERT_EQ(fake.supported.size(), 2u);
  EXPECT_TRUE(same(fake.supported[1], {1, 2, SupportKind::kVote}));
}

// Paper 5.2: a candidate "votes for itself"; that vote is support like any other.
TEST(SupportRaft, Paper5_2_ACandidateReportsItsOwnVote) {
  FakeContext fake(0, 3);
  DurableAtSupport context(fake);
  Raft candidate(options());
  candidate.on_start(context, nullptr);
  candidate.on_timer(context, Raft::kElectionTimer);
  ASSERT_EQ(fake.supported.size(), 1u);
  EXPECT_TRUE(same(fake.supported[0], {0, 1, SupportKind::kVote}));
  ASSERT_TRUE(context.durable_at_support[0].has_value());
  EXPECT_EQ((*context.durable_at_support[0])[2], 1u) << "votedFor itself, stored as id + 1";
}

// Thesis 9.6: a pre-vote changes nothing the server stores; it is reported as non-binding
// support for the term the candidate would lead.
TEST(SupportRaft, Thesis9_6_AGrantedPreVoteIsReportedAsNotBinding) {
  RaftOptions pre_vote = options();
  pre_vote.pre_vote = true;
  FakeContext context(1, 3);
  Raft voter(pre_vote);
  voter.on_start(context, nullptr);
  deliver(voter, context, 0, PreVote{1, 1, 0});
  ASSERT_EQ(context.supported.size(), 1u);
  EXPECT_TRUE(same(context.supported[0], {0, 1, SupportKind::kPreVote}));
  EXPECT_FALSE(context.durable.has_value()) << "a pre-vote persists nothing";
  deliver(voter, context, 2, PreVote{1, 0, 0});  // a log behind the voter's: refused
  EXPECT_EQ(context.supported.size(), 1u);
}

// A leader of term 1 in a group of `members`, its no-op at index 2 not yet replicated.
Raft leader_of_term_one(FakeContext& context) {
  Raft leader(options());
  leader.on_start(context, nullptr);
  leader.on_timer(context, Raft::kElectionTimer);
  deliver(leader, context, 1, RequestVoteResponse{1, true});
  if (context.members().size() > 3) deliver(leader, context, 2, RequestVoteResponse{1, true});
  EXPECT_EQ(leader.role(), RaftRole::kLeader);
  context.take_sent();
  return leader;
}

// Paper Figure 2 (Rules for Servers, Leaders): commitIndex moves to the highest index a majority
// stores once that entry is of the leader's term (5.3, 5.4.2), and AppendEntries carry it.
TEST(SupportRaft, Figure2_TheLeaderCommitsItsNoOpOnceAMajorityStoresIt) {
  FakeContext context(0, 3);
  Raft leader = leader_of_term_one(context);
  EXPECT_TRUE(context.committed.empty());
  deliver(leader, context, 1, AppendEntriesResponse{1, 2, 2, true});
  EXPECT_EQ(context.committed, (std::vector<LogPosition>{{1, 2}}));
  EXPECT_EQ(leader.commit_index(), 2u);
  deliver(leader, context, 2, AppendEntriesResponse{1, 2, 2, true});  // nothing new
  EXPECT_EQ(context.committed.size(), 1u);
  leader.on_timer(context, Raft::kHeartbeatTimer);
  for (const auto& [to, message] : context.take_sent()) {
    EXPECT_EQ(std::get<AppendEntries>(message).leader_commit, 2u);
  }
}

// Paper 5.4.2: "Raft never commits log entries from previous terms by counting replicas."
TEST(SupportRaft, Paper5_4_2_AMajorityHoldingOnlyAnOlderEntryCommitsNothing) {
  FakeContext context(0, 5);
  Raft leader = leader_of_term_one(context);
  deliver(leader, context, 1, AppendEntriesResponse{1, 1, 1, true});
  deliver(leader, context, 2, AppendEntriesResponse{1, 1, 1, true});
  EXPECT_TRUE(context.committed.empty()) << "index 1 is of term 0";
  deliver(leader, context, 3, AppendEntriesResponse{1, 2, 2, true});
  EXPECT_TRUE(context.committed.empty()) << "index 2 is held by two of five";
  deliver(leader, context, 4, AppendEntriesResponse{1, 2, 2, true});
  EXPECT_EQ(context.committed, (std::vector<LogPosition>{{1, 2}}));
}

// A Figure 16 lagging server acknowledges entries it drops (RaftOptions::lagging_stays_behind):
// its answer's last index says what it really stores, and only that counts.
TEST(SupportRaft, ALaggingServersAcknowledgementDoesNotCommit) {
  FakeContext context(0, 3);
  Raft leader = leader_of_term_one(context);
  deliver(leader, context, 1, AppendEntriesResponse{1, 2, 0, true});
  EXPECT_TRUE(context.committed.empty());
  deliver(leader, context, 2, AppendEntriesResponse{1, 2, 2, true});
  EXPECT_EQ(context.committed, (std::vector<LogPosition>{{1, 2}}));
}

// Paper Figure 2, AppendEntries receiver step 5: "If leaderCommit > commitIndex, set commitIndex
// = min(leaderCommit, index of last new entry)".
TEST(SupportRaft, Figure2_AFollowerCommitsUpToTheLeadersCommitWithinWhatItWasSent) {
  FakeContext context(1, 3);
  Raft follower(options());
  follower.on_start(context, nullptr);
  deliver(follower, context, 0, AppendEntries{1, 1, 0, 0, 0, 2});  // a heartbeat, commit 2
  EXPECT_EQ(context.committed, (std::vector<LogPosition>{{0, 1}})) << "up to its last new: 1";
  deliver(follower, context, 0, AppendEntries{1, 1, 0, 1, 1, 2});  // the no-op at 2
  EXPECT_EQ(context.committed, (std::vector<LogPosition>{{0, 1}, {1, 2}}));
  deliver(follower, context, 0, AppendEntries{1, 2, 1, 0, 0, 2});  // nothing new
  EXPECT_EQ(context.committed.size(), 2u);
  deliver(follower, context, 0, AppendEntries{1, 5, 1, 0, 0, 9});  // inconsistent: rejected
  EXPECT_EQ(context.committed.size(), 2u);
  EXPECT_EQ(follower.commit_index(), 2u);
}

// Figure 2: commitIndex is volatile. A restarted server knows nothing committed until a leader
// tells it again, and then reports it again.
TEST(SupportRaft, Figure2_ARestartedServerLearnsItsCommitsAgain) {
  FakeContext context(1, 3);
  Raft follower(options());
  follower.on_start(context, nullptr);
  deliver(follower, context, 0, AppendEntries{1, 1, 0, 1, 1, 2});
  ASSERT_TRUE(context.durable.has_value());
  const sim::DurableState saved = *context.durable;

  FakeContext restarted_context(1, 3);
  Raft restarted(options());
  restarted.on_start(restarted_context, &saved);
  EXPECT_EQ(restarted.commit_index(), 0u);
  deliver(restarted, restarted_context, 0, AppendEntries{1, 2, 1, 0, 0, 2});
  EXPECT_EQ(restarted_context.committed, (std::vector<LogPosition>{{1, 2}}));
}

}  // namespace
}  // namespace electsim::algorithms::raft
