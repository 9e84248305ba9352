// Raft leader election against the paper (Ongaro & Ousterhout 2014) and Ongaro's thesis (2014),
// in the manner of etcd-raft's raft_paper_test.go: each test names the section it enforces.
//
// Two kinds of test: rule tests drive one server through a fake context and look at exactly what
// it sends, saves and reports; cluster tests run five servers in a sim::World with a constant
// 5 ms link and look at the leadership the world records.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "algorithms/raft/raft.h"
#include "algorithms/registry.h"
#include "sim/world.h"
#include "tests/raft_test_support.h"

namespace electsim::algorithms::raft {
namespace {

using sim::Duration;
using sim::Instant;
using sim::NodeId;
using sim::RecordKind;
using sim::StepDownReason;

constexpr Duration kTimeoutMin = Duration::milliseconds(150);
constexpr Duration kTimeoutMax = Duration::milliseconds(300);
constexpr Duration kLatency = Duration::milliseconds(5);

template <class Message>
constexpr uint64_t tag_of() {
  return message_type_of(RaftMessage(Message{}));
}

// ---- Rule tests: one server and a fake context ----

using testing::FakeContext;

RaftOptions default_options() {
  RaftOptions options;
  options.election_timeout = {kTimeoutMin, kTimeoutMax};
  options.heartbeat_interval = Duration::milliseconds(75);
  return options;
}

void deliver(Raft& raft, FakeContext& context, NodeId from, const RaftMessage& message) {
  raft.on_message(context, from, sim::Payload::of(message));
}

// The one response a server sent to `to`, of type Response.
template <class Response>
Response only_reply(FakeContext& context, NodeId to) {
  auto sent = context.take_sent();
  EXPECT_EQ(sent.size(), 1u);
  if (sent.size() != 1) return Response{};
  EXPECT_EQ(sent[0].first, to);
  const Response* response = std::get_if<Response>(&sent[0].second);
  EXPECT_NE(response, nullptr);
  return response != nullptr ? *response : Response{};
}

// Paper 5.2: "Each server will vote for at most one candidate in a given term, on a
// first-come-first-served basis", and Figure 2: votedFor is persistent, so a restart does not
// free the vote.
TEST(RaftRules, Paper5_2_VotesAtMostOncePerTermEvenAcrossARestart) {
  FakeContext context(0, 3);
  Raft voter(default_options());
  voter.on_start(context, nullptr);

  // n3's log is behind, so the voter only adopts term 1 (paper 5.1) and keeps its vote.
  deliver(voter, context, 2, RequestVote{1, 0, 0});
  EXPECT_FALSE(only_reply<RequestVoteResponse>(context, 2).granted);
  EXPECT_EQ(voter.current_term(), 1u);
  deliver(voter, context, 1, RequestVote{1, 1, 0});
  ASSERT_EQ(context.durable_at_send.size(), 1u);
  const std::optional<sim::DurableState> saved = context.durable_at_send.front();
  EXPECT_TRUE(only_reply<RequestVoteResponse>(context, 1).granted);
  deliver(voter, context, 2, RequestVote{1, 1, 0});
  EXPECT_FALSE(only_reply<RequestVoteResponse>(context, 2).granted);

  // The vote was saved before the grant went out; a new process restored from that keeps it.
  ASSERT_TRUE(saved.has_value());
  FakeContext restarted_context(0, 3);
  Raft restarted(default_options());
  restarted.on_start(restarted_context, &*saved);
  EXPECT_EQ(restarted.current_term(), 1u);
  EXPECT_EQ(restarted.voted_for(), 1u);
  deliver(restarted, restarted_context, 2, RequestVote{1, 1, 0});
  EXPECT_FALSE(only_reply<RequestVoteResponse>(restarted_context, 2).granted);
  // The same candidate asking again (its first answer may have been lost) gets the vote again.
  deliver(restarted, restarted_context, 1, RequestVote{1, 1, 0});
  EXPECT_TRUE(only_reply<RequestVoteResponse>(restarted_context, 1).granted);
}

// Paper 5.4.1: "the voter denies its vote if its own log is more up-to-date than that of the
// candidate": a later last term wins; with equal last terms, the longer log wins.
TEST(RaftRules, Paper5_4_1_GrantsOnlyToACandidateWithAnUpToDateLog) {
  FakeContext context(0, 3);
  Raft voter(default_options());
  voter.on_start(context, nullptr);  // log: one entry of term 0

  deliver(voter, context, 1, RequestVote{1, 0, 0});  // shorter, same last term
  EXPECT_FALSE(only_reply<RequestVoteResponse>(context, 1).granted);
  deliver(voter, context, 1, RequestVote{2, 1, 0});  // equal
  EXPECT_TRUE(only_reply<RequestVoteResponse>(context, 1).granted);

  // A leader of term 3 gives the voter an entry of term 3 at index 2.
  deliver(voter, context, 2, AppendEntries{3, 1, 0, 3, 1});
  ASSERT_TRUE(only_reply<AppendEntriesResponse>(context, 2).success);
  ASSERT_EQ(voter.log().last_index(), 2u);
  ASSERT_EQ(voter.log().last_term(), 3u);

  deliver(voter, context, 1, RequestVote{4, 9, 2});  // longer, but an earlier last term
  EXPECT_FALSE(only_reply<RequestVoteResponse>(context, 1).granted);
  deliver(voter, context, 1, RequestVote{5, 2, 3});  // equal
  EXPECT_TRUE(only_reply<RequestVoteResponse>(context, 1).granted);
  deliver(voter, context, 2, RequestVote{6, 1, 4});  // shorter, but a later last term
  EXPECT_TRUE(only_reply<RequestVoteResponse>(context, 2).granted);
}

// Paper 5.1 and Figure 2: a request with a stale term is rejected and the reply carries the
// receiver's term, which tells the stale sender to step down.
TEST(RaftRules, Paper5_1_RejectsStaleTermsAndRepliesWithItsOwnTerm) {
  FakeContext context(0, 3);
  Raft server(default_options());
  server.on_start(context, nullptr);
  deliver(server, context, 1, RequestVote{5, 1, 0});
  ASSERT_TRUE(only_reply<RequestVoteResponse>(context, 1).granted);

  deliver(server, context, 2, RequestVote{4, 1, 0});
  const auto vote = only_reply<RequestVoteResponse>(context, 2);
  EXPECT_FALSE(vote.granted);
  EXPECT_EQ(vote.term, 5u);
  deliver(server, context, 2, AppendEntries{4, 1, 0, 0, 0});
  const auto append = only_reply<AppendEntriesResponse>(context, 2);
  EXPECT_FALSE(append.success);
  EXPECT_EQ(append.term, 5u);
  EXPECT_EQ(server.current_term(), 5u);
  EXPECT_EQ(server.voted_for(), 1u);
  EXPECT_TRUE(context.reports.empty()) << "a stale leader must not be followed";
}

// Paper 5.2: a candidate that wins a majority becomes leader and sends heartbeats at once.
// Thesis 6.4: the new leader appends a no-op entry of its term, which AppendEntries carries.
TEST(RaftRules, Paper5_2_Thesis6_4_NewLeaderAppendsANoOpAndSendsAppendEntriesAtOnce) {
  FakeContext context(0, 3);
  Raft server(default_options());
  server.on_start(context, nullptr);
  ASSERT_TRUE(context.timers.contains(Raft::kElectionTimer));

  server.on_timer(context, Raft::kElectionTimer);
  EXPECT_EQ(server.role(), RaftRole::kCandidate);
  EXPECT_EQ(server.current_term(), 1u);
  ASSERT_FALSE(context.durable_at_send.empty());
  ASSERT_TRUE(context.durable_at_send.front().has_value());
  EXPECT_EQ((*context.durable_at_send.front())[1], 1u) << "the term is saved before asking for votes";
  auto requests = context.take_sent();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& [to, message] : requests) {
    const auto* request = std::get_if<RequestVote>(&message);
    ASSERT_NE(request, nullptr);
    EXPECT_EQ(request->term, 1u);
    EXPECT_EQ(request->last_log_index, 1u);
    EXPECT_EQ(request->last_log_term, 0u);
  }

  deliver(server, context, 2, RequestVoteResponse{1, true});  // with its own: 2 of 3
  EXPECT_EQ(server.role(), RaftRole::kLeader);
  EXPECT_EQ(context.reports, std::vector<std::string>{"leader 1 1"});
  EXPECT_EQ(server.log().last_index(), 2u);
  EXPECT_EQ(server.log().last_term(), 1u);
  auto appends = context.take_sent();
  ASSERT_EQ(appends.size(), 2u);
  for (const auto& [to, message] : appends) {
    const auto* append = std::get_if<AppendEntries>(&message);
    ASSERT_NE(append, nullptr);
    EXPECT_EQ(append->term, 1u);
    EXPECT_EQ(append->prev_log_index, 1u);
    EXPECT_EQ(append->prev_log_term, 0u);
    EXPECT_EQ(append->entries_term, 1u);
    EXPECT_EQ(append->entries_count, 1u);
  }
  EXPECT_FALSE(context.timers.contains(Raft::kElectionTimer));
  EXPECT_EQ(context.timers.at(Raft::kHeartbeatTimer), Duration::milliseconds(75));
}

// Paper 5.1: "If a candidate or leader discovers that its term is out of date, it immediately
// reverts to follower state."
TEST(RaftRules, Paper5_1_LeaderStepsDownOnAHigherTerm) {
  FakeContext context(0, 3);
  Raft server(default_options());
  server.on_start(context, nullptr);
  server.on_timer(context, Raft::kElectionTimer);
  deliver(server, context, 1, RequestVoteResponse{1, true});
  ASSERT_EQ(server.role(), RaftRole::kLeader);
  context.take_sent();

  deliver(server, context, 2, AppendEntriesResponse{7, 1, 1, false});
  EXPECT_EQ(server.role(), RaftRole::kFollower);
  EXPECT_EQ(server.current_term(), 7u);
  EXPECT_EQ(context.reports.back(), "stepped_down higher_epoch_seen");
  EXPECT_EQ((*context.durable)[1], 7u);
  EXPECT_FALSE(context.timers.contains(Raft::kHeartbeatTimer));
  EXPECT_TRUE(context.timers.contains(Raft::kElectionTimer));
}

// Paper 5.3: a follower deletes an existing entry that conflicts with a new one (and all that
// follow it), but an AppendEntries that only repeats entries it has never shortens its log.
TEST(RaftRules, Paper5_3_FollowerReplacesConflictingEntriesOnly) {
  FakeContext context(0, 3);
  Raft follower(default_options());
  follower.on_start(context, nullptr);
  deliver(follower, context, 1, AppendEntries{1, 1, 0, 1, 2});  // [0, 1, 1]
  EXPECT_EQ(only_reply<AppendEntriesResponse>(context, 1).index, 3u);

  deliver(follower, context, 2, AppendEntries{3, 2, 1, 3, 1});  // conflicts at index 3
  const auto reply = only_reply<AppendEntriesResponse>(context, 2);
  EXPECT_TRUE(reply.success);
  EXPECT_EQ(reply.index, 3u);
  EXPECT_EQ(follower.log().last_index(), 3u);
  EXPECT_EQ(follower.log().term_at(2), 1u);
  EXPECT_EQ(follower.log().term_at(3), 3u);

  deliver(follower, context, 2, AppendEntries{3, 1, 0, 1, 1});  // a delayed copy of older news
  EXPECT_TRUE(only_reply<AppendEntriesResponse>(context, 2).success);
  EXPECT_EQ(follower.log().last_index(), 3u);

  deliver(follower, context, 2, AppendEntries{3, 5, 3, 3, 1});  // past its log: rejected
  const auto rejected = only_reply<AppendEntriesResponse>(context, 2);
  EXPECT_FALSE(rejected.success);
  EXPECT_EQ(rejected.last_log_index, 3u);
  EXPECT_EQ(context.reports.back(), "follows n3 3");
}

// Thesis 4.2.3: "if a server receives a RequestVote request within the minimum election timeout
// of hearing from a current leader, it does not update its term or grant its vote."
TEST(RaftRules, Thesis4_2_3_StickyFollowerIgnoresRequestVoteWhileItHearsALeader) {
  for (bool sticky : {false, true}) {
    SCOPED_TRACE(sticky ? "leader_stickiness" : "no stickiness");
    RaftOptions options = default_options();
    options.leader_stickiness = sticky;
    FakeContext context(0, 3);
    Raft follower(options);
    follower.on_start(context, nullptr);
    deliver(follower, context, 1, AppendEntries{1, 1, 0, 1, 1});
    context.take_sent();

    context.now = sim::LocalInstant::zero() + kTimeoutMin - Duration::milliseconds(1);
    deliver(follower, context, 2, RequestVote{2, 2, 1});
    if (sticky) {
      EXPECT_TRUE(context.take_sent().empty());
      EXPECT_EQ(follower.current_term(), 1u);
      EXPECT_EQ(follower.leader(), 1u);
    } else {
      EXPECT_TRUE(only_reply<RequestVoteResponse>(context, 2).granted);
      EXPECT_EQ(follower.current_term(), 2u);
    }

    // A minimum election timeout after the leader was last heard, the vote is normal again.
    context.now = sim::LocalInstant::zero() + kTimeoutMin;
    deliver(follower, context, 2, RequestVote{3, 2, 1});
    EXPECT_TRUE(only_reply<RequestVoteResponse>(context, 2).granted);
    EXPECT_EQ(follower.current_term(), 3u);
  }
}

// Thesis 9.6: a PreVote round asks about term + 1 and changes nobody's term; a voter grants it
// only if it has not heard from a leader within the minimum election timeout (and the log is
// up-to-date); the pre-candidate raises its term only once a majority would vote for it.
TEST(RaftRules, Thesis9_6_PreVoteChangesNoTermUntilAMajorityAgrees) {
  RaftOptions options = default_options();
  options.pre_vote = true;
  FakeContext context(0, 3);
  Raft server(options);
  server.on_start(context, nullptr);

  server.on_timer(context, Raft::kElectionTimer);
  EXPECT_EQ(server.role(), RaftRole::kPreCandidate);
  EXPECT_EQ(server.current_term(), 0u);
  EXPECT_FALSE(context.durable.has_value()) << "a PreVote round changes no durable state";
  for (const auto& [to, message] : context.take_sent()) {
    const auto* request = std::get_if<PreVote>(&message);
    ASSERT_NE(request, nullptr);
    EXPECT_EQ(request->term, 1u);
  }
  deliver(server, context, 1, PreVoteResponse{1, true});
  EXPECT_EQ(server.role(), RaftRole::kCandidate);
  EXPECT_EQ(server.current_term(), 1u);
  for (const auto& [to, message] : context.take_sent()) {
    EXPECT_TRUE(std::holds_alternative<RequestVote>(message));
  }

  // The voter's side: a follower that hears its leader refuses, one that does not grants.
  FakeContext voter_context(1, 3);
  Raft voter(options);
  voter.on_start(voter_context, nullptr);
  deliver(voter, voter_context, 2, AppendEntries{4, 1, 0, 0, 0});
  voter_context.take_sent();
  deliver(voter, voter_context, 0, PreVote{5, 1, 0});
  const auto refused = only_reply<PreVoteResponse>(voter_context, 0);
  EXPECT_FALSE(refused.granted);
  EXPECT_EQ(refused.term, 4u);
  voter_context.now = sim::LocalInstant::zero() + kTimeoutMin;
  deliver(voter, voter_context, 0, PreVote{5, 1, 0});
  const auto granted = only_reply<PreVoteResponse>(voter_context, 0);
  EXPECT_TRUE(granted.granted);
  EXPECT_EQ(granted.term, 5u);
  EXPECT_EQ(voter.current_term(), 4u);
  deliver(voter, voter_context, 0, PreVote{5, 0, 0});  // a log behind the voter's
  EXPECT_FALSE(only_reply<PreVoteResponse>(voter_context, 0).granted);
}

// ---- Cluster tests: five servers in a world ----

// Keeps the leadership records (and, if asked, every send) of a run.
class Recorder final : public sim::TraceObserver {
 public:
  void on_record(const sim::TraceRecord& record) override { records.push_back(record); }

  std::vector<sim::TraceRecord> of_kind(RecordKind kind, Instant from = Instant::zero()) const {
    std::vector<sim::TraceRecord> result;
    for (const auto& record : records) {
      if (record.kind == kind && record.time >= from) result.push_back(record);
    }
    return result;
  }

  std::vector<sim::TraceRecord> records;
};

constexpr sim::KindMask kLeadershipKinds = sim::mask_of(RecordKind::kBecameLeader) |
                                           sim::mask_of(RecordKind::kFollows) |
                                           sim::mask_of(RecordKind::kSteppedDown);

class Cluster {
 public:
  // `overrides` are Raft parameters as a user writes them: {"pre_vote", "true"}.
  Cluster(uint64_t seed, const std::map<std::string, std::string>& overrides,
          sim::KindMask recorded = kLeadershipKinds) {
    const AlgorithmInfo* info = find_algorithm("raft");
    SIM_CHECK(info != nullptr, "raft is registered");
    Params given;
    for (const auto& [name, text] : overrides) {
      // clang 14 cannot capture a structured binding (C++20 allows it; clang 16 implements it).
      const std::string& wanted = name;
      const auto spec = std::find_if(info->params.begin(), info->params.end(),
                                     [&](const ParamSpec& s) { return s.name == wanted; });
      SIM_CHECK(spec != info->params.end(), "unknown Raft parameter in a test");
      auto value = parse_param(*spec, text, kNodes);
      SIM_CHECK(value.ok(), "bad Raft parameter in a test");
      given.emplace(name, *value);
    }
    auto params = resolve_params(*info, given, kNodes);
    SIM_CHECK(params.ok(), "Raft parameters do not resolve");
    factory_ = info->make_factory(*params, kNodes);
    sim::Link link;
    link.latency = sim::LatencyModel::constant(kLatency);
    world_ = std::make_unique<sim::World>(seed, kNodes, link, *factory_);
    world_->trace().add_observer(&recorder_, recorded);
    world_->start();
  }

  static constexpr uint32_t kNodes = 5;

  sim::World& world() { return *world_; }
  const Recorder& recorder() const { return recorder_; }
  void run_for(Duration duration) { world_->run_until(world_->now() + duration); }
  const Raft& raft(NodeId node) {
    const auto* raft = dynamic_cast<const Raft*>(world_->algorithm(node));
    SIM_CHECK(raft != nullptr, "node is down");
    return *raft;
  }
  // Runs until some node leads, for at most `limit`.
  std::optional<NodeId> run_until_leader(Duration limit) {
    const Instant end = world_->now() + limit;
    while (!world_->current_leader() && world_->step(end)) {
    }
    return world_->current_leader();
  }
  // Cuts (or restores) both directions between `node` and every other node.
  void set_isolated(NodeId node, bool isolated) {
    for (NodeId other = 0; other < kNodes; ++other) {
      if (other == node) continue;
      world_->set_link_up(node, other, !isolated);
      world_->set_link_up(other, node, !isolated);
    }
  }

 private:
  std::unique_ptr<sim::AlgorithmFactory> factory_;
  std::unique_ptr<sim::World> world_;
  Recorder recorder_;
};

// Paper 5.2, Election Safety (Figure 3): at most one leader per term; and once elected, the
// leader's heartbeats make every other server follow it.
TEST(RaftCluster, Paper5_2_ElectsOneLeaderPerTermAndEveryoneFollowsIt) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    SCOPED_TRACE(seed);
    Cluster cluster(seed, {});
    cluster.run_for(Duration::seconds(2));

    std::map<uint64_t, std::set<NodeId>> leaders_by_term;
    for (const auto& record : cluster.recorder().of_kind(RecordKind::kBecameLeader)) {
      leaders_by_term[record.a].insert(record.node);
    }
    ASSERT_FALSE(leaders_by_term.empty());
    for (const auto& [term, leaders] : leaders_by_term) EXPECT_EQ(leaders.size(), 1u) << term;

    const auto leader = cluster.world().current_leader();
    ASSERT_TRUE(leader.has_value());
    const uint64_t term = cluster.world().leadership(*leader).epoch;
    EXPECT_EQ(term, cluster.raft(*leader).current_term());
    for (NodeId node = 0; node < Cluster::kNodes; ++node) {
      if (node == *leader) continue;
      const sim::Leadership& view = cluster.world().leadership(node);
      EXPECT_EQ(view.role, sim::Role::kFollower) << node;
      EXPECT_EQ(view.leader, *leader) << node;
      EXPECT_EQ(view.epoch, term) << node;
    }
  }
}

// Paper 5.2: "Leaders send periodic heartbeats ... to all followers in order to maintain their
// authority"; a follower campaigns only if it hears nothing for an election timeout.
TEST(RaftCluster, Paper5_2_HeartbeatsPreventElectionsWhileTheLeaderIsUp) {
  Cluster cluster(3, {}, kLeadershipKinds | sim::mask_of(RecordKind::kSend));
  const auto leader = cluster.run_until_leader(Duration::seconds(2));
  ASSERT_TRUE(leader.has_value());
  const Instant elected = cluster.world().now();
  const uint64_t term = cluster.raft(*leader).current_term();

  cluster.run_for(Duration::seconds(60));
  EXPECT_EQ(cluster.recorder().of_kind(RecordKind::kBecameLeader).size(), 1u);
  EXPECT_TRUE(cluster.recorder().of_kind(RecordKind::kSteppedDown).empty());
  EXPECT_EQ(cluster.world().current_leader(), leader);
  for (NodeId node = 0; node < Cluster::kNodes; ++node) {
    EXPECT_EQ(cluster.raft(node).current_term(), term) << node;
  }
  size_t vote_requests = 0;
  size_t heartbeats = 0;
  for (const auto& send : cluster.recorder().of_kind(RecordKind::kSend, elected)) {
    vote_requests += send.a == tag_of<RequestVote>();
    heartbeats += send.a == tag_of<AppendEntries>() && send.node == *leader;
  }
  EXPECT_EQ(vote_requests, 0u);
  // Every 75 ms (half the minimum timeout) to each of 4 followers: 800 per minute each.
  EXPECT_GE(heartbeats, 4u * 799);
}

// Paper 5.2 and Figure 16: after the leader crashes, the others notice within an election
// timeout and elect a new leader; with 150-300 ms timeouts nearly always well within a second.
TEST(RaftCluster, Paper5_2_ElectsANewLeaderSoonAfterTheLeaderCrashes) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    SCOPED_TRACE(seed);
    Cluster cluster(seed, {});
    cluster.run_for(Duration::seconds(1));
    const auto old_leader = cluster.world().current_leader();
    ASSERT_TRUE(old_leader.has_value());
    const uint64_t old_term = cluster.world().leadership(*old_leader).epoch;
    const Instant crashed = cluster.world().now();
    cluster.world().crash(*old_leader);

    const auto new_leader = cluster.run_until_leader(Duration::seconds(1));
    ASSERT_TRUE(new_leader.has_value()) << "no leader within 1 s of the crash";
    EXPECT_NE(*new_leader, *old_leader);
    EXPECT_GT(cluster.world().leadership(*new_leader).epoch, old_term);
    // Nobody may campaign before a minimum election timeout has passed since the last
    // heartbeat, which was at most one heartbeat interval before the crash.
    EXPECT_GE(cluster.world().now() - crashed, kTimeoutMin - Duration::milliseconds(75));
  }
}

// Paper 5.4.1, Election Restriction: servers whose logs lack an entry that a majority holds
// cannot be elected. n4 and n5 start one entry behind, so the first leader is always one of
// n1-n3; the control run without lagging servers shows n4 or n5 do win when eligible.
TEST(RaftCluster, Paper5_4_1_LaggingServersCannotWinTheFirstElection) {
  bool lagging_ever_won_when_eligible = false;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(seed);
    Cluster lagging(seed, {{"lagging_nodes", "[n4, n5]"}});
    const auto leader = lagging.run_until_leader(Duration::seconds(3));
    ASSERT_TRUE(leader.has_value());
    EXPECT_LT(*leader, 3u) << "n" << *leader + 1 << " won with a stale log";

    Cluster control(seed, {});
    const auto control_leader = control.run_until_leader(Duration::seconds(3));
    ASSERT_TRUE(control_leader.has_value());
    lagging_ever_won_when_eligible |= *control_leader >= 3;
  }
  EXPECT_TRUE(lagging_ever_won_when_eligible);
}

// Paper 5.4.1 and Figure 16's setup ("the servers in each trial had different log lengths, so
// some candidates were not eligible"): n4 and n5 lag and are cut off, so they never receive the
// leader's no-op and campaign to ever higher terms. When the leader crashes and they return,
// their high terms are adopted (paper 5.1), but only an up-to-date server can win.
TEST(RaftCluster, Paper5_4_1_OnlyUpToDateServersWinAfterTheLeaderCrashes) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE(seed);
    Cluster cluster(seed, {{"lagging_nodes", "[n4, n5]"}});
    cluster.set_isolated(3, true);
    cluster.set_isolated(4, true);
    cluster.world().set_link_up(3, 4, true);
    cluster.world().set_link_up(4, 3, true);
    cluster.run_for(Duration::seconds(1));
    const auto old_leader = cluster.world().current_leader();
    ASSERT_TRUE(old_leader.has_value());
    ASSERT_LT(*old_leader, 3u);
    const uint64_t old_term = cluster.raft(*old_leader).current_term();
    // The situation the test is about: the stale servers hold the higher terms.
    ASSERT_GT(std::min(cluster.raft(3).current_term(), cluster.raft(4).current_term()), old_term);
    EXPECT_EQ(cluster.raft(3).log().last_index(), 0u);

    const Instant crashed = cluster.world().now();
    cluster.world().crash(*old_leader);
    cluster.world().heal_all_links();
    cluster.run_for(Duration::seconds(3));

    const auto winners = cluster.recorder().of_kind(RecordKind::kBecameLeader, crashed);
    ASSERT_FALSE(winners.empty()) << "no leader after the crash";
    for (const auto& record : winners) {
      EXPECT_LT(record.node, 3u) << "n" << record.node + 1 << " won with a stale log";
    }
    // The new leader's no-op reached the stale servers, which are now up to date.
    const auto new_leader = cluster.world().current_leader();
    ASSERT_TRUE(new_leader.has_value());
    EXPECT_EQ(cluster.raft(3).log().last_term(), cluster.raft(*new_leader).current_term());
  }
}

// Paper 5.1: a leader that sees a higher term steps down. Here a follower cut off from the
// others campaigns to higher terms, and its reply to the leader's first AppendEntries after the
// cut heals carries one of them.
TEST(RaftCluster, Paper5_1_AHigherTermMakesTheLeaderStepDown) {
  Cluster cluster(4, {});
  const auto leader = cluster.run_until_leader(Duration::seconds(2));
  ASSERT_TRUE(leader.has_value());
  const NodeId follower = (*leader + 1) % Cluster::kNodes;
  cluster.set_isolated(follower, true);
  cluster.run_for(Duration::seconds(1));
  ASSERT_GT(cluster.raft(follower).current_term(), cluster.raft(*leader).current_term());

  const Instant healed = cluster.world().now();
  cluster.world().heal_all_links();
  cluster.run_for(Duration::milliseconds(200));
  const auto step_downs = cluster.recorder().of_kind(RecordKind::kSteppedDown, healed);
  ASSERT_FALSE(step_downs.empty());
  EXPECT_EQ(step_downs.front().node, *leader);
  EXPECT_EQ(step_downs.front().a, static_cast<uint64_t>(StepDownReason::kHigherEpochSeen));
  EXPECT_LE(step_downs.front().time - healed, Duration::milliseconds(75) + kLatency * 2);
}

// Thesis 9.6: with PreVote, a server cut off from the cluster cannot win a pre-election, so its
// term stays put; without it, every election timeout raises its term.
TEST(RaftCluster, Thesis9_6_AnIsolatedServerRaisesItsTermOnlyWithoutPreVote) {
  for (bool pre_vote : {false, true}) {
    SCOPED_TRACE(pre_vote ? "pre_vote" : "no pre_vote");
    Cluster cluster(5, {{"pre_vote", pre_vote ? "true" : "false"}});
    const auto leader = cluster.run_until_leader(Duration::seconds(2));
    ASSERT_TRUE(leader.has_value());
    cluster.run_for(Duration::milliseconds(100));
    const NodeId follower = (*leader + 1) % Cluster::kNodes;
    const uint64_t term = cluster.raft(follower).current_term();
    cluster.set_isolated(follower, true);
    cluster.run_for(Duration::seconds(3));
    if (pre_vote) {
      EXPECT_EQ(cluster.raft(follower).current_term(), term);
      EXPECT_EQ(cluster.raft(follower).role(), RaftRole::kPreCandidate);
    } else {
      // At most one election per 150 ms, at least one per 300 ms (plus the first wait).
      EXPECT_GE(cluster.raft(follower).current_term(), term + 9);
    }
  }
}

// Thesis 6.2: with CheckQuorum, a leader that cannot reach a majority for an election timeout
// steps down (quorum_lost); without it, it stays leader of its term indefinitely.
TEST(RaftCluster, Thesis6_2_CheckQuorumMakesAnIsolatedLeaderStepDown) {
  for (bool check_quorum : {false, true}) {
    SCOPED_TRACE(check_quorum ? "check_quorum" : "no check_quorum");
    Cluster cluster(6, {{"check_quorum", check_quorum ? "true" : "false"}});
    const auto leader = cluster.run_until_leader(Duration::seconds(2));
    ASSERT_TRUE(leader.has_value());
    cluster.run_for(Duration::milliseconds(500));
    const Instant cut = cluster.world().now();
    cluster.set_isolated(*leader, true);
    cluster.run_for(Duration::seconds(3));

    const auto step_downs = cluster.recorder().of_kind(RecordKind::kSteppedDown, cut);
    const auto leader_step_down =
        std::find_if(step_downs.begin(), step_downs.end(),
                     [&](const sim::TraceRecord& record) { return record.node == *leader; });
    if (check_quorum) {
      ASSERT_NE(leader_step_down, step_downs.end());
      EXPECT_EQ(leader_step_down->a, static_cast<uint64_t>(StepDownReason::kQuorumLost));
      // Checked every minimum election timeout; answers sent before the cut can still count
      // once, so the step-down comes within two checks.
      EXPECT_LE(leader_step_down->time - cut, kTimeoutMin * 2 + kLatency);
    } else {
      EXPECT_EQ(leader_step_down, step_downs.end());
      EXPECT_EQ(cluster.world().leadership(*leader).role, sim::Role::kLeader);
    }
    // Either way the majority elected a leader of its own.
    const auto majority_leader = cluster.world().current_leader();
    ASSERT_TRUE(majority_leader.has_value());
    EXPECT_NE(*majority_leader, *leader);
  }
}

struct DisruptionCase {
  std::map<std::string, std::string> options;
  bool leader_deposed;
};

// Thesis 4.2.3 (disruptive servers): a server that can send but not hear the leader times out
// and asks for votes with ever higher terms. Without protection each request deposes the leader;
// with PreVote (9.6) it never raises its term, and with stickiness (or CheckQuorum, which
// implies it as in etcd-raft) the others ignore its requests while they hear the leader.
TEST(RaftCluster, Thesis4_2_3_AServerThatCannotHearTheLeaderDisruptsOnlyWithoutProtection) {
  const std::vector<DisruptionCase> cases = {
      {{}, true},
      {{{"leader_stickiness", "true"}}, false},
      {{{"check_quorum", "true"}}, false},
      {{{"pre_vote", "true"}}, false},
  };
  for (const DisruptionCase& test_case : cases) {
    SCOPED_TRACE(test_case.options.empty() ? "no options" : test_case.options.begin()->first);
    Cluster cluster(7, test_case.options);
    const auto leader = cluster.run_until_leader(Duration::seconds(2));
    ASSERT_TRUE(leader.has_value());
    cluster.run_for(Duration::milliseconds(100));
    const NodeId deaf = (*leader + 1) % Cluster::kNodes;
    for (NodeId other = 0; other < Cluster::kNodes; ++other) {
      if (other != deaf) cluster.world().set_link_up(other, deaf, false);
    }
    const Instant cut = cluster.world().now();
    cluster.run_for(Duration::seconds(3));

    const auto step_downs = cluster.recorder().of_kind(RecordKind::kSteppedDown, cut);
    const bool deposed =
        std::any_of(step_downs.begin(), step_downs.end(),
                    [&](const sim::TraceRecord& record) { return record.node == *leader; });
    EXPECT_EQ(deposed, test_case.leader_deposed);
    if (!test_case.leader_deposed) {
      EXPECT_EQ(cluster.world().current_leader(), leader);
      EXPECT_EQ(cluster.recorder().of_kind(RecordKind::kBecameLeader, cut).size(), 0u);
    }
  }
}

// Thesis 9.6: a server that rejoins after a partition does not disrupt the leader with PreVote,
// because its term did not grow. Stickiness alone (4.2.3) does not help here: the rejoining
// server's term is higher, so its reply to the leader's AppendEntries deposes the leader (paper
// 5.1) -- the same outcome as etcd-raft, whose comments note that this lets the server rejoin.
TEST(RaftCluster, Thesis9_6_ARejoiningServerDisruptsTheLeaderOnlyWithoutPreVote) {
  const std::vector<DisruptionCase> cases = {
      {{}, true},
      {{{"leader_stickiness", "true"}}, true},
      {{{"pre_vote", "true"}}, false},
      {{{"pre_vote", "true"}, {"check_quorum", "true"}}, false},
  };
  for (const DisruptionCase& test_case : cases) {
    SCOPED_TRACE(test_case.options.empty() ? "no options" : test_case.options.rbegin()->first);
    Cluster cluster(8, test_case.options);
    const auto leader = cluster.run_until_leader(Duration::seconds(2));
    ASSERT_TRUE(leader.has_value());
    const NodeId follower = (*leader + 2) % Cluster::kNodes;
    cluster.set_isolated(follower, true);
    cluster.run_for(Duration::seconds(2));
    const Instant healed = cluster.world().now();
    cluster.world().heal_all_links();
    cluster.run_for(Duration::seconds(2));

    const auto step_downs = cluster.recorder().of_kind(RecordKind::kSteppedDown, healed);
    const bool deposed =
        std::any_of(step_downs.begin(), step_downs.end(),
                    [&](const sim::TraceRecord& record) { return record.node == *leader; });
    EXPECT_EQ(deposed, test_case.leader_deposed);
    // Whatever happened, the cluster has one leader again and the rejoined server follows it.
    const auto now_leader = cluster.world().current_leader();
    ASSERT_TRUE(now_leader.has_value());
    EXPECT_EQ(cluster.world().leadership(follower).leader, *now_leader);
  }
}

// Figure 2: a restart restores currentTerm, votedFor and the log from what was persisted, and
// the restarted server rejoins as a follower of the current leader.
TEST(RaftCluster, Figure2_ARestartedServerKeepsItsTermAndLogAndFollowsTheLeader) {
  Cluster cluster(9, {});
  const auto leader = cluster.run_until_leader(Duration::seconds(2));
  ASSERT_TRUE(leader.has_value());
  cluster.run_for(Duration::milliseconds(200));
  const NodeId follower = (*leader + 1) % Cluster::kNodes;
  const uint64_t term = cluster.raft(follower).current_term();
  const uint64_t log_length = cluster.raft(follower).log().last_index();
  ASSERT_EQ(log_length, 2u);  // the initial entry and the leader's no-op

  cluster.world().crash(follower);
  cluster.run_for(Duration::milliseconds(100));
  cluster.world().restart(follower, /*amnesia=*/false);
  EXPECT_EQ(cluster.raft(follower).current_term(), term);
  EXPECT_EQ(cluster.raft(follower).log().last_index(), log_length);
  cluster.run_for(Duration::milliseconds(200));
  EXPECT_EQ(cluster.world().leadership(follower).leader, *leader);
  EXPECT_EQ(cluster.world().current_leader(), leader);
}

// STYLE.md 7: the same seed gives the same run, fault handling and option paths included.
TEST(RaftCluster, TheSameSeedGivesTheSameTrace) {
  auto fingerprint = [](uint64_t seed) {
    Cluster cluster(seed, {{"pre_vote", "true"}, {"check_quorum", "true"}});
    cluster.run_for(Duration::seconds(1));
    cluster.set_isolated(*cluster.world().current_leader(), true);
    cluster.run_for(Duration::seconds(1));
    cluster.world().heal_all_links();
    cluster.run_for(Duration::seconds(1));
    return cluster.world().trace().fingerprint();
  };
  EXPECT_EQ(fingerprint(11), fingerprint(11));
  EXPECT_NE(fingerprint(11), fingerprint(12));
}

}  // namespace
}  // namespace electsim::algorithms::raft
