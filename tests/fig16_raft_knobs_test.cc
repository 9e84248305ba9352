// The Raft knobs that model Figure 16's cluster (LogCabin) and Howard's candidate timeout:
// election_timeout_step, logcabin_write_order and candidate_election_timeout. Each is off by
// default (raft_experiment_knobs_test.cc and raft_test.cc cover the defaults). One server is
// driven through the recording context of tests/raft_test_support.h.
#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "algorithms/raft/raft.h"
#include "tests/raft_test_support.h"

namespace electsim::algorithms::raft {
namespace {

using sim::Duration;
using sim::NodeId;

constexpr Duration ms(int64_t n) { return Duration::milliseconds(n); }

using RecordingContext = testing::FakeContext;

RaftOptions options() {
  RaftOptions result;
  result.election_timeout = {ms(150), ms(151)};
  result.initial_election_timeout = result.election_timeout;
  result.candidate_election_timeout = result.election_timeout;
  result.heartbeat_interval = ms(75);
  return result;
}

void deliver(Raft& raft, RecordingContext& context, NodeId from, const RaftMessage& message) {
  raft.on_message(context, from, sim::Payload::of(message));
}

// The election timeouts a server draws over `draws` restarts (each on_start draws one).
std::set<int64_t> drawn_timeouts(const RaftOptions& raft_options, int draws) {
  std::set<int64_t> seen;
  RecordingContext context(0, 5);
  for (int i = 0; i < draws; ++i) {
    Raft server(raft_options);
    server.on_start(context, nullptr);
    seen.insert(context.timers.at(Raft::kElectionTimer).ns());
  }
  return seen;
}

// ---- election_timeout_step ----

// LogCabin draws whole milliseconds (Core::Random::randomRange rounds to an integer): a 150-151
// ms range gives exactly two timeouts, 150 and 151 ms, where the default draws to the ns.
TEST(Fig16RaftKnobs, TimeoutStepDrawsWholeMilliseconds) {
  RaftOptions stepped = options();
  stepped.election_timeout_step = ms(1);
  const std::set<int64_t> whole = drawn_timeouts(stepped, 200);
  EXPECT_EQ(whole, (std::set<int64_t>{ms(150).ns(), ms(151).ns()}));

  const std::set<int64_t> continuous = drawn_timeouts(options(), 200);
  EXPECT_GT(continuous.size(), 100u) << "without a step, timeouts are drawn to the nanosecond";

  // A step longer than the range rounds up to one step, never to a zero timeout.
  RaftOptions coarse = options();
  coarse.election_timeout = coarse.initial_election_timeout = {ms(1), ms(2)};
  coarse.election_timeout_step = ms(5);
  EXPECT_EQ(drawn_timeouts(coarse, 20), (std::set<int64_t>{ms(5).ns()}));
}

// ---- logcabin_write_order ----

// LogCabin's candidate writes its term and vote before its peer threads can send RequestVote:
// the requests leave when the write completes, not before.
TEST(Fig16RaftKnobs, LogCabinOrderHoldsRequestVotesUntilTheCandidatesWrite) {
  RaftOptions logcabin = options();
  logcabin.persist_delay = ms(1);
  logcabin.logcabin_write_order = true;
  RecordingContext context(0, 5);
  Raft candidate(logcabin);
  candidate.on_start(context, nullptr);

  candidate.on_timer(context, Raft::kElectionTimer);
  EXPECT_EQ(candidate.role(), RaftRole::kCandidate);
  EXPECT_TRUE(context.take_sent().empty()) << "the requests wait for the disk";
  ASSERT_TRUE(context.timers.contains(Raft::kPersistTimer));

  candidate.on_timer(context, Raft::kPersistTimer);
  const auto sent = context.take_sent();
  ASSERT_EQ(sent.size(), 4u);
  for (const auto& [to, message] : sent) {
    const auto* request = std::get_if<RequestVote>(&message);
    ASSERT_NE(request, nullptr);
    EXPECT_EQ(request->term, 1u);
  }
}

// A candidate that learns of a higher term while its write is in flight is no longer asking:
// its held requests are dropped when the write completes.
TEST(Fig16RaftKnobs, LogCabinOrderDropsTheRequestsOfAnElectionGivenUp) {
  RaftOptions logcabin = options();
  logcabin.persist_delay = ms(1);
  logcabin.logcabin_write_order = true;
  RecordingContext context(0, 5);
  Raft candidate(logcabin);
  candidate.on_start(context, nullptr);
  candidate.on_timer(context, Raft::kElectionTimer);
  ASSERT_TRUE(context.take_sent().empty());

  // n2's RequestVote of term 2 arrives first: the candidate steps down and votes for it.
  deliver(candidate, context, 1, RequestVote{2, 1, 0});
  EXPECT_EQ(candidate.role(), RaftRole::kFollower);
  // Complete every write issued (complete_write re-arms the timer while writes remain).
  int completed = 0;
  while (context.timers.contains(Raft::kPersistTimer) && completed < 4) {
    context.timers.erase(Raft::kPersistTimer);
    candidate.on_timer(context, Raft::kPersistTimer);
    ++completed;
  }
  EXPECT_EQ(completed, context.writes) << "every write issued completed";
  for (const auto& [to, message] : context.take_sent()) {
    EXPECT_FALSE(std::holds_alternative<RequestVote>(message))
        << "a RequestVote of the abandoned term 1 went to n" << to + 1;
  }
}

// handleRequestVote calls stepDown, which writes the new term, then writes the vote: the answer
// leaves after two writes, where the default makes one.
TEST(Fig16RaftKnobs, LogCabinOrderMakesAVoterWriteTwiceBeforeAnswering) {
  for (const bool logcabin_order : {false, true}) {
    SCOPED_TRACE(logcabin_order);
    RaftOptions voter_options = options();
    voter_options.persist_delay = ms(1);
    voter_options.logcabin_write_order = logcabin_order;
    RecordingContext context(0, 5);
    Raft voter(voter_options);
    voter.on_start(context, nullptr);

    deliver(voter, context, 1, RequestVote{1, 1, 0});
    EXPECT_EQ(context.writes, logcabin_order ? 2 : 1);
    voter.on_timer(context, Raft::kPersistTimer);
    if (logcabin_order) {
      EXPECT_TRUE(context.take_sent().empty()) << "the vote waits for its own write";
      voter.on_timer(context, Raft::kPersistTimer);
    }
    const auto sent = context.take_sent();
    ASSERT_EQ(sent.size(), 1u);
    const auto* answer = std::get_if<RequestVoteResponse>(&sent[0].second);
    ASSERT_NE(answer, nullptr);
    EXPECT_TRUE(answer->granted);
  }
}

// ---- candidate_election_timeout ----

// Howard's "fixed reduction": a candidate draws its retry timeout from its own range; a
// follower keeps election_timeout. Before any leader is heard, the initial range applies.
TEST(Fig16RaftKnobs, CandidatesDrawTheirRetryTimeoutFromTheirOwnRange) {
  RaftOptions split = options();
  split.election_timeout = {ms(150), ms(150)};
  split.initial_election_timeout = split.election_timeout;
  split.candidate_election_timeout = {ms(40), ms(40)};
  RecordingContext context(0, 5);
  Raft server(split);
  server.on_start(context, nullptr);
  server.on_timer(context, Raft::kElectionTimer);
  EXPECT_EQ(context.timers.at(Raft::kElectionTimer), ms(150)) << "no leader heard yet";

  deliver(server, context, 1, AppendEntries{2, 1, 0, 0, 0});  // a leader of term 2
  EXPECT_EQ(server.role(), RaftRole::kFollower);
  EXPECT_EQ(context.timers.at(Raft::kElectionTimer), ms(150));
  server.on_timer(context, Raft::kElectionTimer);
  EXPECT_EQ(server.role(), RaftRole::kCandidate);
  EXPECT_EQ(context.timers.at(Raft::kElectionTimer), ms(40));
}

}  // namespace
}  // namespace electsim::algorithms::raft
