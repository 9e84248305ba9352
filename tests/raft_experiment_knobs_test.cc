// Raft's experiment parameters for Figure 16 of the paper (thesis 9.4): lagging servers that stay
// behind, the disk write before a response (persist_delay), and the first election timeout
// after a start (initial_election_timeout). Each is off by default; raft_test.cc covers the
// default behaviour. Rule tests drive one server through a recording context; the cluster test
// runs five servers in a sim::World.
#include <map>
#include <memory>
#include <optional>
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
using sim::NodeId;

constexpr Duration ms(int64_t n) { return Duration::milliseconds(n); }

using RecordingContext = testing::FakeContext;

RaftOptions options() {
  RaftOptions result;
  result.election_timeout = {ms(150), ms(300)};
  result.initial_election_timeout = result.election_timeout;
  result.heartbeat_interval = ms(75);
  return result;
}

void deliver(Raft& raft, RecordingContext& context, NodeId from, const RaftMessage& message) {
  raft.on_message(context, from, sim::Payload::of(message));
}

template <class Message>
const Message& as(const std::pair<NodeId, RaftMessage>& sent) {
  const Message* message = std::get_if<Message>(&sent.second);
  SIM_CHECK(message != nullptr, "a message of another type");
  return *message;
}

// ---- lagging_stay_behind ----

// Thesis 9.4 ("two of the four servers were not eligible to become leader"): a lagging server
// with the knob takes the leader's AppendEntries as a heartbeat (term, timer, follows) and
// acknowledges the entries without storing them, so its log never catches up.
TEST(RaftExperimentKnobs, LaggingServerThatStaysBehindFollowsButStoresNothing) {
  RaftOptions lagging = options();
  lagging.starts_lagging = true;
  lagging.lagging_stays_behind = true;
  RecordingContext context(3, 5);
  Raft server(lagging);
  server.on_start(context, nullptr);
  ASSERT_EQ(server.log().last_index(), 0u);
  context.timers.clear();

  // The leader of term 2 (n3) sends its no-op at index 2, after the entry of term 0 at index 1
  // that the lagging server lacks.
  deliver(server, context, 2, AppendEntries{2, 1, 0, 2, 1});
  auto sent = context.take_sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].first, 2u);
  const auto& reply = as<AppendEntriesResponse>(sent[0]);
  EXPECT_TRUE(reply.success);
  EXPECT_EQ(reply.index, 2u) << "acknowledges the entries, so the leader does not retry";
  EXPECT_EQ(server.log().last_index(), 0u) << "but stores none of them";
  EXPECT_EQ(server.current_term(), 2u);
  EXPECT_EQ(server.leader(), 2u);
  EXPECT_EQ(context.followed, std::optional<NodeId>(2));
  EXPECT_TRUE(context.timers.contains(Raft::kElectionTimer)) << "the heartbeat resets the timer";

  // Control: without the knob the same message is refused (the log lacks index 1) and the
  // leader's retry from index 1 brings the server up to date.
  lagging.lagging_stays_behind = false;
  RecordingContext control_context(3, 5);
  Raft control(lagging);
  control.on_start(control_context, nullptr);
  deliver(control, control_context, 2, AppendEntries{2, 1, 0, 2, 1});
  sent = control_context.take_sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_FALSE(as<AppendEntriesResponse>(sent[0]).success);
  deliver(control, control_context, 2, AppendEntries{2, 0, 0, 2, 2});
  EXPECT_EQ(control.log().last_index(), 2u);
}

// The knob only affects lagging servers: an up-to-date server with it stores entries as usual.
TEST(RaftExperimentKnobs, StayBehindLeavesUpToDateServersAlone) {
  RaftOptions up_to_date = options();
  up_to_date.lagging_stays_behind = true;
  RecordingContext context(3, 5);
  Raft server(up_to_date);
  server.on_start(context, nullptr);
  deliver(server, context, 2, AppendEntries{2, 1, 0, 2, 1});
  auto sent = context.take_sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(as<AppendEntriesResponse>(sent[0]).success);
  EXPECT_EQ(server.log().last_index(), 2u);
  EXPECT_EQ(server.log().last_term(), 2u);
}

// ---- persist_delay ----

// Paper Figure 2: state is "updated on stable storage before responding to RPCs". With a
// persist_delay, a vote leaves only when the write of the vote has completed.
TEST(RaftExperimentKnobs, PersistDelayHoldsAResponseUntilItsWriteCompletes) {
  RaftOptions slow_disk = options();
  slow_disk.persist_delay = ms(4);
  RecordingContext context(0, 5);
  Raft voter(slow_disk);
  voter.on_start(context, nullptr);

  deliver(voter, context, 1, RequestVote{1, 1, 0});
  EXPECT_TRUE(context.sent.empty()) << "the vote waits for the disk";
  ASSERT_TRUE(context.durable.has_value()) << "the write was issued";
  ASSERT_TRUE(context.timers.contains(Raft::kPersistTimer));
  EXPECT_EQ(context.timers[Raft::kPersistTimer], ms(4));

  voter.on_timer(context, Raft::kPersistTimer);
  auto sent = context.take_sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].first, 1u);
  EXPECT_TRUE(as<RequestVoteResponse>(sent[0]).granted);

  // A heartbeat that changes nothing durable is answered at once.
  deliver(voter, context, 1, AppendEntries{1, 1, 0, 0, 0});
  sent = context.take_sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(as<AppendEntriesResponse>(sent[0]).success);
}

// Writes complete one after another, and each response waits only for the writes issued before
// it: two votes in quick succession leave one write time apart.
TEST(RaftExperimentKnobs, PersistDelayCompletesWritesInOrder) {
  RaftOptions slow_disk = options();
  slow_disk.persist_delay = ms(4);
  RecordingContext context(0, 5);
  Raft voter(slow_disk);
  voter.on_start(context, nullptr);

  deliver(voter, context, 1, RequestVote{1, 1, 0});
  deliver(voter, context, 2, RequestVote{2, 1, 0});
  EXPECT_EQ(context.writes, 2);
  EXPECT_TRUE(context.sent.empty());

  voter.on_timer(context, Raft::kPersistTimer);
  auto sent = context.take_sent();
  ASSERT_EQ(sent.size(), 1u) << "the first write completed, not the second";
  EXPECT_EQ(sent[0].first, 1u);
  EXPECT_EQ(context.timers[Raft::kPersistTimer], ms(4)) << "the disk starts the second write";

  voter.on_timer(context, Raft::kPersistTimer);
  sent = context.take_sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].first, 2u);
  EXPECT_EQ(as<RequestVoteResponse>(sent[0]).term, 2u);
  EXPECT_TRUE(as<RequestVoteResponse>(sent[0]).granted);
}

// Thesis 9.3: a candidate writes its vote for itself while its RequestVotes travel, so requests
// do not wait for the disk.
TEST(RaftExperimentKnobs, PersistDelayDoesNotHoldRequests) {
  RaftOptions slow_disk = options();
  slow_disk.persist_delay = ms(4);
  RecordingContext context(0, 5);
  Raft candidate(slow_disk);
  candidate.on_start(context, nullptr);

  candidate.on_timer(context, Raft::kElectionTimer);
  EXPECT_EQ(candidate.role(), RaftRole::kCandidate);
  EXPECT_GE(context.writes, 1);
  const auto sent = context.take_sent();
  ASSERT_EQ(sent.size(), 4u);
  for (const auto& message : sent) EXPECT_EQ(as<RequestVote>(message).term, 1u);
}

// ---- initial_election_timeout ----

// A server uses initial_election_timeout after a start until it hears from a leader, then
// election_timeout; a restart starts over.
TEST(RaftExperimentKnobs, InitialElectionTimeoutLastsUntilALeaderIsHeard) {
  RaftOptions two_ranges = options();
  two_ranges.initial_election_timeout = {Duration::seconds(1), Duration::seconds(1)};
  two_ranges.election_timeout = {ms(150), ms(150)};
  RecordingContext context(0, 5);
  Raft server(two_ranges);
  server.on_start(context, nullptr);
  EXPECT_EQ(context.timers[Raft::kElectionTimer], Duration::seconds(1));

  deliver(server, context, 1, RequestVote{1, 1, 0});  // a granted vote resets the timer
  EXPECT_EQ(context.timers[Raft::kElectionTimer], Duration::seconds(1)) << "no leader heard yet";

  deliver(server, context, 1, AppendEntries{1, 1, 0, 0, 0});
  EXPECT_EQ(context.timers[Raft::kElectionTimer], ms(150));
  deliver(server, context, 2, RequestVote{2, 1, 0});
  EXPECT_EQ(context.timers[Raft::kElectionTimer], ms(150));

  ASSERT_TRUE(context.durable.has_value());
  RecordingContext restarted_context(0, 5);
  Raft restarted(two_ranges);
  restarted.on_start(restarted_context, &*context.durable);
  EXPECT_EQ(restarted_context.timers[Raft::kElectionTimer], Duration::seconds(1));
}

// ---- A cluster: Figure 16's setup ----

std::unique_ptr<sim::AlgorithmFactory> make_raft(const std::map<std::string, std::string>& given,
                                                 uint32_t nodes) {
  const AlgorithmInfo* info = find_algorithm("raft");
  SIM_CHECK(info != nullptr, "raft is registered");
  Params params;
  for (const auto& [name, text] : given) {
    for (const ParamSpec& spec : info->params) {
      if (spec.name != name) continue;
      auto value = parse_param(spec, text, nodes);
      SIM_CHECK(value.ok(), "bad Raft parameter in a test");
      params.emplace(name, *value);
    }
  }
  SIM_CHECK(params.size() == given.size(), "unknown Raft parameter in a test");
  auto resolved = resolve_params(*info, params, nodes);
  SIM_CHECK(resolved.ok(), "Raft parameters do not resolve");
  return info->make_factory(*resolved, nodes);
}

// With lagging_stay_behind, n4 and n5 never catch up, so after the first leader (one of n1..n3)
// crashes, only the other two up-to-date servers can win, as in Figure 16. Without it the first
// leader's no-op reaches them within a round trip.
TEST(RaftExperimentKnobs, LaggingServersStayIneligibleAcrossACrash) {
  constexpr uint32_t kNodes = 5;
  sim::Link link;
  link.latency = sim::LatencyModel::constant(ms(5));
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE(seed);
    for (const bool stay_behind : {true, false}) {
      const auto factory = make_raft(
          {{"lagging_nodes", "[n4, n5]"}, {"lagging_stay_behind", stay_behind ? "true" : "false"}},
          kNodes);
      sim::World world(seed, kNodes, link, *factory);
      world.start();
      world.run_until(sim::Instant::zero() + Duration::seconds(1));
      const auto first = world.current_leader();
      ASSERT_TRUE(first.has_value());
      ASSERT_LT(*first, 3u);
      const auto* lagging = dynamic_cast<const Raft*>(world.algorithm(3));
      ASSERT_NE(lagging, nullptr);
      if (!stay_behind) {
        EXPECT_GT(lagging->log().last_index(), 0u) << "the no-op brought n4 up to date";
        continue;
      }
      EXPECT_EQ(lagging->log().last_index(), 0u);
      EXPECT_EQ(lagging->leader(), *first) << "but n4 follows the leader";

      world.crash(*first);
      world.run_until(world.now() + Duration::seconds(3));
      const auto second = world.current_leader();
      ASSERT_TRUE(second.has_value()) << "no leader after the crash";
      EXPECT_LT(*second, 3u) << "n" << *second + 1 << " won with a stale log";
      EXPECT_NE(*second, *first);
      EXPECT_EQ(lagging->log().last_index(), 0u);
    }
  }
}

}  // namespace
}  // namespace electsim::algorithms::raft
