// The Raft knobs that model Figure 16's cluster (LogCabin), Howard's candidate timeout and
// Howard's simulator: election_timeout_step, logcabin_write_order, candidate_election_timeout,
// ocaml_raft_rules and candidate_backoff. Each is off by
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

// LogCabin's order with 1 ms writes: the setting of every logcabin_write_order test below.
RaftOptions logcabin_options() {
  RaftOptions result = options();
  result.persist_delay = ms(1);
  result.logcabin_write_order = true;
  return result;
}

// A LogCabin-order server of five that has just voted for n2 in term 1 (two writes in flight).
void start_and_vote_for_n2(Raft& voter, RecordingContext& context) {
  voter.on_start(context, nullptr);
  voter.on_message(context, 1, sim::Payload::of(RaftMessage{RequestVote{1, 1, 0}}));
  ASSERT_EQ(voter.voted_for(), 1u);
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
  RaftOptions logcabin = logcabin_options();
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

// A request that reaches a LogCabin candidate during its write waits for the lock: the
// candidate's RequestVotes of term 1 leave when the write completes, and only then does it
// handle n2's request of term 2, step down and vote for n2.
TEST(Fig16RaftKnobs, LogCabinOrderHandlesARequestThatArrivesDuringTheCandidatesWriteAfterIt) {
  RaftOptions logcabin = logcabin_options();
  RecordingContext context(0, 5);
  Raft candidate(logcabin);
  candidate.on_start(context, nullptr);
  candidate.on_timer(context, Raft::kElectionTimer);
  ASSERT_TRUE(context.take_sent().empty());

  deliver(candidate, context, 1, RequestVote{2, 1, 0});
  EXPECT_EQ(candidate.role(), RaftRole::kCandidate) << "n2's request waits for the write";
  candidate.on_timer(context, Raft::kPersistTimer);
  EXPECT_EQ(candidate.role(), RaftRole::kFollower);
  EXPECT_EQ(candidate.current_term(), 2u);
  EXPECT_EQ(candidate.voted_for(), 1u);
  const auto sent = context.take_sent();
  ASSERT_EQ(sent.size(), 4u) << "the four requests of term 1, and no answer yet";
  for (const auto& [to, message] : sent) {
    const auto* request = std::get_if<RequestVote>(&message);
    ASSERT_NE(request, nullptr);
    EXPECT_EQ(request->term, 1u);
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

// handleRequestVote resets the election timer after stepDown's write of the new term, so a
// voter's next timeout counts from the end of that write: one write (1 ms) later than the
// default, which resets it on receipt.
TEST(Fig16RaftKnobs, LogCabinOrderResetsAVotersTimerAfterItsTermWrite) {
  for (const bool logcabin_order : {false, true}) {
    SCOPED_TRACE(logcabin_order);
    RaftOptions voter_options = options();
    voter_options.election_timeout_step = ms(1);
    voter_options.persist_delay = ms(1);
    voter_options.logcabin_write_order = logcabin_order;
    std::set<int64_t> timeouts;
    RecordingContext context(0, 5);  // one context, so the draws differ
    for (int i = 0; i < 40; ++i) {
      Raft voter(voter_options);
      voter.on_start(context, nullptr);
      deliver(voter, context, 1, RequestVote{1, 1, 0});
      ASSERT_EQ(voter.voted_for(), 1u);
      timeouts.insert(context.timers.at(Raft::kElectionTimer).ns());
    }
    const int64_t shift = logcabin_order ? ms(1).ns() : 0;
    EXPECT_EQ(timeouts, (std::set<int64_t>{ms(150).ns() + shift, ms(151).ns() + shift}));
  }
}

// LogCabin holds its one lock across a synchronous write, so a request that arrives during the
// write waits for it: n3's RequestVote of term 2 is handled only once the vote for n2 is on disk.
TEST(Fig16RaftKnobs, LogCabinOrderHandlesAMessageThatArrivesDuringAWriteAfterIt) {
  RaftOptions voter_options = logcabin_options();
  RecordingContext context(0, 5);
  Raft voter(voter_options);
  start_and_vote_for_n2(voter, context);
  deliver(voter, context, 2, RequestVote{2, 1, 0});
  EXPECT_EQ(voter.current_term(), 1u) << "the second request waits for the writes";
  EXPECT_EQ(voter.voted_for(), 1u);

  voter.on_timer(context, Raft::kPersistTimer);  // the term write
  EXPECT_EQ(voter.current_term(), 1u) << "the vote's write is still in flight";
  voter.on_timer(context, Raft::kPersistTimer);  // the vote write: the lock is free
  EXPECT_EQ(voter.current_term(), 2u);
  EXPECT_EQ(voter.voted_for(), 2u);
  const auto sent = context.take_sent();
  ASSERT_EQ(sent.size(), 1u) << "the answer to n3 waits for its own two writes";
  EXPECT_EQ(sent[0].first, 1u);

  // Without the LogCabin order the second request is handled at once.
  RaftOptions plain = voter_options;
  plain.logcabin_write_order = false;
  RecordingContext plain_context(0, 5);
  Raft plain_voter(plain);
  plain_voter.on_start(plain_context, nullptr);
  deliver(plain_voter, plain_context, 1, RequestVote{1, 1, 0});
  deliver(plain_voter, plain_context, 2, RequestVote{2, 1, 0});
  EXPECT_EQ(plain_voter.current_term(), 2u);
}

// An election timeout that expires during a write waits for the lock too, and is dropped if
// something handled first reset the timer (LogCabin's timer thread then finds startElectionAt
// moved); otherwise the election starts when the write completes.
TEST(Fig16RaftKnobs, LogCabinOrderDefersATimeoutDuringAWrite) {
  RaftOptions voter_options = logcabin_options();
  {
    RecordingContext context(0, 5);
    Raft voter(voter_options);
    start_and_vote_for_n2(voter, context);
    voter.on_timer(context, Raft::kElectionTimer);
    EXPECT_EQ(voter.role(), RaftRole::kFollower) << "the timeout waits for the writes";
    voter.on_timer(context, Raft::kPersistTimer);
    voter.on_timer(context, Raft::kPersistTimer);
    EXPECT_EQ(voter.role(), RaftRole::kCandidate) << "then it starts its election";
    EXPECT_EQ(voter.current_term(), 2u);
  }
  {
    RecordingContext context(0, 5);
    Raft voter(voter_options);
    start_and_vote_for_n2(voter, context);
    // n2 has won: its first heartbeat arrives during the vote's writes, then the timeout fires.
    deliver(voter, context, 1, AppendEntries{1, 0, 0, 0, 0});
    voter.on_timer(context, Raft::kElectionTimer);
    voter.on_timer(context, Raft::kPersistTimer);
    voter.on_timer(context, Raft::kPersistTimer);
    EXPECT_EQ(voter.role(), RaftRole::kFollower)
        << "the heartbeat, handled first, reset the timer, so the queued timeout is dropped";
    EXPECT_EQ(voter.leader(), 1u);
  }
}

// persist_jitter: each write takes persist_delay plus an exponential draw of mean persist_jitter,
// so writes are never shorter than persist_delay and average persist_delay + persist_jitter.
TEST(Fig16RaftKnobs, PersistJitterAddsAnExponentialDrawToEachWrite) {
  RaftOptions jittery = options();
  jittery.persist_delay = ms(1);
  jittery.persist_jitter = ms(2);
  std::set<int64_t> lengths;
  double total_ms = 0;
  constexpr int kWrites = 400;
  RecordingContext context(0, 5);  // one context, so the draws differ
  for (int i = 0; i < kWrites; ++i) {
    Raft candidate(jittery);
    candidate.on_start(context, nullptr);
    candidate.on_timer(context, Raft::kElectionTimer);
    const int64_t length = context.timers.at(Raft::kPersistTimer).ns();
    EXPECT_GE(length, ms(1).ns());
    lengths.insert(length);
    total_ms += static_cast<double>(length) / 1e6;
  }
  EXPECT_GT(lengths.size(), static_cast<size_t>(kWrites - 5));
  // Mean 3 ms; the standard error of 400 exponential draws of mean 2 ms is 0.1 ms.
  EXPECT_NEAR(total_ms / kWrites, 3.0, 0.4);

  RaftOptions fixed = jittery;
  fixed.persist_jitter = Duration::zero();
  Raft steady(fixed);
  steady.on_start(context, nullptr);
  steady.on_timer(context, Raft::kElectionTimer);
  EXPECT_EQ(context.timers.at(Raft::kPersistTimer), ms(1));
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

// ---- ocaml_raft_rules (Howard's simulator, heidihoward/ocaml-raft lib/simulator.ml) ----

// A server of five that has just started its first election (term 1) under `raft_options`.
Raft start_candidate(const RaftOptions& raft_options, RecordingContext& context) {
  Raft server(raft_options);
  server.on_start(context, nullptr);
  server.on_timer(context, Raft::kElectionTimer);
  EXPECT_EQ(server.role(), RaftRole::kCandidate);
  EXPECT_EQ(server.current_term(), 1u);
  context.take_sent();
  return server;
}

// Whether the server answered its last RequestVote with a grant.
bool granted_last(RecordingContext& context) {
  const auto sent = context.take_sent();
  EXPECT_FALSE(sent.empty());
  if (sent.empty()) return false;
  const auto* answer = std::get_if<RequestVoteResponse>(&sent.back().second);
  EXPECT_NE(answer, nullptr);
  return answer != nullptr && answer->granted;
}

// requestVoteRq decides with the role the server had before it stepped down: a candidate that a
// higher term deposes does not vote in that term. Paper Figure 2 lets it vote.
TEST(Fig16RaftKnobs, OcamlRaftRulesADeposedCandidateDoesNotVote) {
  for (const bool rules : {false, true}) {
    RaftOptions raft_options = options();
    raft_options.ocaml_raft_rules = rules;
    RecordingContext context(0, 5);
    Raft server = start_candidate(raft_options, context);
    deliver(server, context, 1, RequestVote{2, 1, 0});
    EXPECT_EQ(server.role(), RaftRole::kFollower) << rules;
    EXPECT_EQ(server.current_term(), 2u) << rules;
    EXPECT_EQ(granted_last(context), !rules) << rules;
    EXPECT_EQ(server.voted_for(), rules ? sim::kNoNode : NodeId{1}) << rules;
    // A follower votes under either rule: the next candidate of term 3 gets its vote.
    deliver(server, context, 2, RequestVote{3, 1, 0});
    EXPECT_TRUE(granted_last(context)) << rules;
  }
}

// startFollow restarts the timer: a deposed candidate, and any server that a vote answer with a
// higher term reaches, draws a new follower timeout. Paper Figure 2 lets the timer run on.
TEST(Fig16RaftKnobs, OcamlRaftRulesRestartTheTimerOfAServerAHigherTermDeposes) {
  for (const bool rules : {false, true}) {
    RaftOptions raft_options = options();
    raft_options.ocaml_raft_rules = rules;
    RecordingContext context(0, 5);
    Raft server = start_candidate(raft_options, context);
    context.timers.erase(Raft::kElectionTimer);
    deliver(server, context, 1, RequestVoteResponse{2, false});  // a candidate is deposed
    EXPECT_EQ(server.role(), RaftRole::kFollower);
    EXPECT_EQ(context.timers.count(Raft::kElectionTimer), rules ? 1u : 0u) << rules;
    context.timers.erase(Raft::kElectionTimer);
    deliver(server, context, 2, RequestVoteResponse{3, false});  // a follower this time
    EXPECT_EQ(context.timers.count(Raft::kElectionTimer), rules ? 1u : 0u) << rules;
    // A follower that a higher-term RequestVote reaches but does not win keeps its timer under
    // both (stepDown only updates its term).
    context.timers.erase(Raft::kElectionTimer);
    deliver(server, context, 3, RequestVote{4, 0, 0});  // a log behind this server's
    EXPECT_FALSE(granted_last(context)) << rules;
    EXPECT_EQ(server.current_term(), 4u);
    EXPECT_EQ(context.timers.count(Raft::kElectionTimer), 0u) << rules;
  }
}

// His simulator has no initial range: a candidate draws candidate_election_timeout from its first
// election on (CandidatesDrawTheirRetryTimeoutFromTheirOwnRange above is the default).
TEST(Fig16RaftKnobs, OcamlRaftRulesCandidatesUseTheirRangeFromTheFirstElection) {
  RaftOptions raft_options = options();
  raft_options.election_timeout = {ms(150), ms(150)};
  raft_options.initial_election_timeout = raft_options.election_timeout;
  raft_options.candidate_election_timeout = {ms(40), ms(40)};
  raft_options.ocaml_raft_rules = true;
  RecordingContext context(0, 5);
  Raft server(raft_options);
  server.on_start(context, nullptr);
  EXPECT_EQ(context.timers.at(Raft::kElectionTimer), ms(150)) << "a follower's first timeout";
  server.on_timer(context, Raft::kElectionTimer);
  EXPECT_EQ(server.role(), RaftRole::kCandidate);
  EXPECT_EQ(context.timers.at(Raft::kElectionTimer), ms(40));
}

// ---- candidate_backoff (Howard's "expo" figure, lib/state.ml StartCandidate) ----

// A candidate refused by at least half of its peers (two of four) doubles its timeout for its
// next election; fewer refusals keep it; stepping down resets it. Without the knob it stays.
TEST(Fig16RaftKnobs, CandidateBackoffDoublesAfterAnElectionHalfItsPeersRefused) {
  for (const bool backoff : {false, true}) {
    RaftOptions raft_options = options();
    raft_options.candidate_election_timeout = {ms(40), ms(40)};
    raft_options.ocaml_raft_rules = true;  // the candidate range from the first election on
    raft_options.candidate_backoff = backoff;
    RecordingContext context(0, 5);
    Raft server = start_candidate(raft_options, context);
    EXPECT_EQ(context.timers.at(Raft::kElectionTimer), ms(40));
    auto refuse = [&](std::initializer_list<NodeId> peers) {
      for (NodeId peer : peers) {
        deliver(server, context, peer, RequestVoteResponse{server.current_term(), false});
      }
    };
    refuse({1, 2});
    server.on_timer(context, Raft::kElectionTimer);  // term 2
    EXPECT_EQ(context.timers.at(Raft::kElectionTimer), backoff ? ms(80) : ms(40));
    refuse({1, 2, 3});
    server.on_timer(context, Raft::kElectionTimer);  // term 3
    EXPECT_EQ(context.timers.at(Raft::kElectionTimer), backoff ? ms(160) : ms(40));
    refuse({3});  // one refusal of four: not enough
    server.on_timer(context, Raft::kElectionTimer);  // term 4
    EXPECT_EQ(context.timers.at(Raft::kElectionTimer), backoff ? ms(160) : ms(40));
    // A leader of term 5 deposes it; its next candidacy starts from the plain range.
    deliver(server, context, 1, AppendEntries{5, 1, 0, 0, 0});
    EXPECT_EQ(server.role(), RaftRole::kFollower);
    server.on_timer(context, Raft::kElectionTimer);  // term 6
    EXPECT_EQ(server.role(), RaftRole::kCandidate);
    EXPECT_EQ(context.timers.at(Raft::kElectionTimer), ms(40));
  }
}

}  // namespace
}  // namespace electsim::algorithms::raft
