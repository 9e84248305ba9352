// The network (sim/network.h, DESIGN.md "Network"): partitions of every shape are link states,
// and the graph queries the checks rely on see them exactly; the world applies link state,
// loss, duplication and ordering to every message.
#include "sim/network.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sim/world.h"
#include "tests/sim_test_support.h"

namespace electsim::sim {
namespace {

using test_support::at_ms;
using test_support::ms;
using test_support::RecordingObserver;
using test_support::Script;
using test_support::ScriptedFactory;

using Groups = std::vector<std::vector<NodeId>>;
using Nodes = std::vector<NodeId>;
using LinkList = std::vector<std::pair<NodeId, NodeId>>;

// Every directed link from a node in `from` to a node in `to`.
LinkList links_between(const Nodes& from, const Nodes& to) {
  LinkList links;
  for (NodeId a : from)
    for (NodeId b : to)
      if (a != b) links.emplace_back(a, b);
  return links;
}

void cut_both_ways(Network& network, const Nodes& side_a, const Nodes& side_b) {
  network.set_links(links_between(side_a, side_b), false);
  network.set_links(links_between(side_b, side_a), false);
}

TEST(NetworkShapes, FullyConnectedAtFirst) {
  const Network network(5);
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0, 1, 2, 3, 4}}));
  EXPECT_EQ(network.reachable_from(3), (Nodes{0, 1, 2, 3, 4}));
  EXPECT_TRUE(network.majority_connected());
  const Nodes all = {0, 1, 2, 3, 4};
  EXPECT_TRUE(network.directly_connected(all));
}

TEST(NetworkShapes, FullSplitIntoGroups) {
  Network network(5);
  cut_both_ways(network, {0, 1}, {2, 3, 4});
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0, 1}, {2, 3, 4}}));
  EXPECT_EQ(network.reachable_from(0), (Nodes{0, 1}));
  EXPECT_EQ(network.reachable_from(4), (Nodes{2, 3, 4}));
  EXPECT_TRUE(network.majority_connected());  // {2, 3, 4} is 3 of 5

  cut_both_ways(network, {2, 3}, {4});
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0, 1}, {2, 3}, {4}}));
  EXPECT_FALSE(network.majority_connected());
}

TEST(NetworkShapes, EvenSplitHasNoMajority) {
  Network network(4);
  cut_both_ways(network, {0, 1}, {2, 3});
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0, 1}, {2, 3}}));
  EXPECT_FALSE(network.majority_connected());  // 2 of 4 is not a majority
}

TEST(NetworkShapes, IsolateOne) {
  Network network(5);
  cut_both_ways(network, {2}, {0, 1, 3, 4});
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0, 1, 3, 4}, {2}}));
  EXPECT_EQ(network.reachable_from(2), (Nodes{2}));
  EXPECT_EQ(network.reachable_from(0), (Nodes{0, 1, 3, 4}));
  EXPECT_TRUE(network.majority_connected());
  EXPECT_FALSE(network.is_up(2, 0));
  EXPECT_FALSE(network.is_up(0, 2));
  EXPECT_TRUE(network.is_up(2, 2));  // a node always reaches itself
}

TEST(NetworkShapes, MajorityMinority) {
  Network network(7);
  cut_both_ways(network, {0, 1, 2}, {3, 4, 5, 6});
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0, 1, 2}, {3, 4, 5, 6}}));
  EXPECT_TRUE(network.majority_connected());
  const Nodes majority = {3, 4, 5, 6};
  EXPECT_TRUE(network.directly_connected(majority));
  const Nodes mixed = {2, 3, 4, 5};
  EXPECT_FALSE(network.directly_connected(mixed));
}

// Node 2 keeps links to both sides, which cannot talk to each other directly (the bridge
// partition that breaks Raft without CheckQuorum).
TEST(NetworkShapes, Bridge) {
  Network network(5);
  cut_both_ways(network, {0, 1}, {3, 4});
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0, 1, 2, 3, 4}}));  // via node 2
  EXPECT_EQ(network.reachable_from(0), (Nodes{0, 1, 2, 3, 4}));
  EXPECT_TRUE(network.majority_connected());
  const Nodes left_and_bridge = {0, 1, 2};
  const Nodes right_and_bridge = {2, 3, 4};
  const Nodes across = {0, 1, 2, 3};
  EXPECT_TRUE(network.directly_connected(left_and_bridge));
  EXPECT_TRUE(network.directly_connected(right_and_bridge));
  EXPECT_FALSE(network.directly_connected(across));
}

TEST(NetworkShapes, OneWayLink) {
  Network network(2);
  const LinkList a_to_b = {{0, 1}};
  EXPECT_EQ(network.set_links(a_to_b, false), 1);
  EXPECT_FALSE(network.is_up(0, 1));
  EXPECT_TRUE(network.is_up(1, 0));
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0}, {1}}));
  EXPECT_EQ(network.reachable_from(0), (Nodes{0}));
  EXPECT_EQ(network.reachable_from(1), (Nodes{0, 1}));
  EXPECT_FALSE(network.majority_connected());
}

TEST(NetworkShapes, OneWayAroundOthers) {
  Network network(5);
  network.set_links(LinkList{{0, 1}}, false);
  // Node 0 still reaches node 1 through the others, but not directly.
  EXPECT_EQ(network.reachable_from(0), (Nodes{0, 1, 2, 3, 4}));
  EXPECT_EQ(network.strongly_connected_groups().size(), 1u);
  const Nodes pair = {0, 1};
  EXPECT_FALSE(network.directly_connected(pair));
  // A node that can receive but not send: everyone reaches it, it reaches no one.
  network.set_links(links_between({0}, {1, 2, 3, 4}), false);
  EXPECT_EQ(network.reachable_from(0), (Nodes{0}));
  EXPECT_EQ(network.reachable_from(3), (Nodes{0, 1, 2, 3, 4}));
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0}, {1, 2, 3, 4}}));
}

// Keeps only the listed links (both directions of each pair) up.
void keep_only(Network& network, const LinkList& pairs, bool both_ways) {
  const Nodes all = [&] {
    Nodes nodes;
    for (NodeId n = 0; n < network.size(); ++n) nodes.push_back(n);
    return nodes;
  }();
  network.set_links(links_between(all, all), false);
  network.set_links(pairs, true);
  if (both_ways) {
    LinkList reversed;
    for (const auto& [a, b] : pairs) reversed.emplace_back(b, a);
    network.set_links(reversed, true);
  }
}

TEST(NetworkShapes, Ring) {
  Network network(5);
  keep_only(network, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 0}}, /*both_ways=*/true);
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0, 1, 2, 3, 4}}));
  EXPECT_TRUE(network.majority_connected());
  const Nodes neighbours = {4, 0, 1};
  const Nodes apart = {0, 2};
  EXPECT_FALSE(network.directly_connected(neighbours));  // 4 and 1 are not adjacent
  EXPECT_FALSE(network.directly_connected(apart));
  const Nodes adjacent = {4, 0};
  EXPECT_TRUE(network.directly_connected(adjacent));
}

TEST(NetworkShapes, ChainTwoWayAndOneWay) {
  Network network(5);
  keep_only(network, {{0, 1}, {1, 2}, {2, 3}, {3, 4}}, /*both_ways=*/true);
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0, 1, 2, 3, 4}}));
  EXPECT_EQ(network.reachable_from(4), (Nodes{0, 1, 2, 3, 4}));

  keep_only(network, {{0, 1}, {1, 2}, {2, 3}, {3, 4}}, /*both_ways=*/false);
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0}, {1}, {2}, {3}, {4}}));
  EXPECT_EQ(network.reachable_from(0), (Nodes{0, 1, 2, 3, 4}));
  EXPECT_EQ(network.reachable_from(2), (Nodes{2, 3, 4}));
  EXPECT_EQ(network.reachable_from(4), (Nodes{4}));
  EXPECT_FALSE(network.majority_connected());
}

TEST(NetworkShapes, ExplicitLinkListAndHeal) {
  Network network(3);
  const LinkList links = {{0, 1}, {1, 0}, {0, 2}};
  EXPECT_EQ(network.set_links(links, false), 3);
  EXPECT_EQ(network.set_links(links, false), 0);  // already down: nothing changed
  EXPECT_FALSE(network.is_up(0, 2));
  EXPECT_TRUE(network.is_up(2, 0));
  EXPECT_EQ(network.reachable_from(0), (Nodes{0}));
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0}, {1, 2}}));
  network.heal_all();
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0, 1, 2}}));
  EXPECT_TRUE(network.is_up(0, 1));
  EXPECT_EQ(network.set_links(links, true), 0);
}

// ---- What the world does with link state and link properties ----

// Node 0 sends `count` messages to node 1, one every millisecond from the start, numbered
// 0, 1, 2, ...; node 1 records the numbers in the order it handles them.
struct StreamRun {
  std::vector<uint64_t> received;
  WorldStats stats;
  std::vector<TraceRecord> drops;
  std::vector<TraceRecord> duplicates;
  std::vector<TraceRecord> link_changes;
};

StreamRun run_stream(const Link& link, int count, const std::function<void(World&)>& setup) {
  StreamRun run;
  uint64_t next = 0;
  Script sender;
  sender.on_start = [](Context& context, const DurableState*) { context.set_timer(0, ms(1)); };
  sender.on_timer = [&next, count](Context& context, TimerId) {
    context.send(1, next++);
    if (next < static_cast<uint64_t>(count)) context.set_timer(0, ms(1));
  };
  Script receiver;
  receiver.on_message = [&run](Context&, NodeId, const Payload& message) {
    run.received.push_back(message.as<uint64_t>());
  };
  ScriptedFactory factory({sender, receiver});
  World world(5, 2, link, factory);
  RecordingObserver observer;
  world.trace().add_observer(&observer);
  setup(world);
  world.start();
  world.run_until(at_ms(count + 1000));
  run.stats = world.stats();
  run.drops = observer.of_kind(RecordKind::kDrop);
  run.duplicates = observer.of_kind(RecordKind::kDuplicate);
  run.link_changes = observer.of_kind(RecordKind::kLinkChange);
  return run;
}

int inversions(const std::vector<uint64_t>& sequence) {
  int count = 0;
  for (size_t i = 1; i < sequence.size(); ++i) count += sequence[i] < sequence[i - 1] ? 1 : 0;
  return count;
}

TEST(WorldLinks, DownLinkDropsSends) {
  const StreamRun run = run_stream(Link{}, 100, [](World& world) {
    world.at(at_ms(30), [&world] { world.set_link_up(0, 1, false); });
    world.at(at_ms(60), [&world] { world.set_link_up(0, 1, true); });
  });
  // Sends at 30..59ms (30 of them) hit the down link; the reverse link stays up throughout.
  ASSERT_EQ(run.drops.size(), 30u);
  for (const TraceRecord& drop : run.drops) {
    EXPECT_EQ(static_cast<DropReason>(drop.a), DropReason::kLinkDown);
    EXPECT_GE(drop.time, at_ms(30));
    EXPECT_LT(drop.time, at_ms(60));
  }
  EXPECT_EQ(run.received.size(), 70u);
  ASSERT_EQ(run.link_changes.size(), 2u);
  EXPECT_EQ(run.link_changes[0].node, 0u);
  EXPECT_EQ(run.link_changes[0].peer, 1u);
  EXPECT_EQ(run.link_changes[0].a, 0u);
  EXPECT_EQ(run.link_changes[1].a, 1u);
}

TEST(WorldLinks, SettingALinkToItsStateIsNotAChange) {
  const StreamRun run = run_stream(Link{}, 5, [](World& world) {
    world.set_link_up(0, 1, true);
    world.set_link_up(1, 0, false);
    world.set_link_up(1, 0, false);
    world.heal_all_links();
  });
  EXPECT_EQ(run.link_changes.size(), 2u);  // 1->0 down, then up again by heal
  EXPECT_EQ(run.received.size(), 5u);
}

TEST(WorldLinks, TotalLossDropsEverything) {
  Link lossy;
  lossy.loss = Ratio{1, 1};
  const StreamRun run = run_stream(lossy, 200, [](World&) {});
  EXPECT_TRUE(run.received.empty());
  ASSERT_EQ(run.drops.size(), 200u);
  for (const TraceRecord& drop : run.drops)
    EXPECT_EQ(static_cast<DropReason>(drop.a), DropReason::kLoss);
  EXPECT_EQ(run.stats.messages_dropped, 200u);
}

TEST(WorldLinks, PartialLossDropsAboutThatFraction) {
  Link lossy;
  lossy.loss = Ratio{1, 4};
  const StreamRun run = run_stream(lossy, 2000, [](World&) {});
  EXPECT_EQ(run.drops.size() + run.received.size(), 2000u);
  EXPECT_NEAR(static_cast<double>(run.drops.size()), 500, 5 * std::sqrt(2000 * 0.25 * 0.75));
}

TEST(WorldLinks, TotalDuplicationDeliversEveryMessageTwice) {
  Link duplicating;
  duplicating.duplication = Ratio{1, 1};
  const StreamRun run = run_stream(duplicating, 100, [](World&) {});
  ASSERT_EQ(run.received.size(), 200u);
  EXPECT_EQ(run.duplicates.size(), 100u);
  EXPECT_EQ(run.stats.messages_duplicated, 100u);
  std::vector<int> copies(100, 0);
  for (uint64_t n : run.received) ++copies[n];
  for (int c : copies) EXPECT_EQ(c, 2);
}

Link jittery_link(bool may_reorder) {
  Link link;
  link.latency = LatencyModel::uniform(ms(1), ms(100));
  link.may_reorder = may_reorder;
  return link;
}

TEST(WorldLinks, FifoLinksNeverReorder) {
  const StreamRun run = run_stream(jittery_link(false), 1000, [](World&) {});
  ASSERT_EQ(run.received.size(), 1000u);
  EXPECT_EQ(inversions(run.received), 0);
}

TEST(WorldLinks, ReorderingLinksDoReorder) {
  const StreamRun run = run_stream(jittery_link(true), 1000, [](World&) {});
  ASSERT_EQ(run.received.size(), 1000u);
  // Latencies spread over 99ms while sends are 1ms apart: most neighbours swap about half the
  // time, so a run without reordering would be a bug.
  EXPECT_GT(inversions(run.received), 100);
  std::vector<uint64_t> sorted = run.received;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) ASSERT_EQ(sorted[i], i);  // nothing lost or doubled
}

TEST(WorldLinks, LatencyModelsStayInTheirRange) {
  Rng rng(1);
  const LatencyModel uniform = LatencyModel::uniform(ms(2), ms(4));
  const LatencyModel normal = LatencyModel::normal(ms(5), ms(3), ms(1));
  const LatencyModel exponential = LatencyModel::exponential(ms(2), ms(1));
  for (int i = 0; i < 10'000; ++i) {
    const Duration u = uniform.draw(rng);
    ASSERT_GE(u, ms(2));
    ASSERT_LE(u, ms(4));
    ASSERT_GE(normal.draw(rng), ms(1));
    ASSERT_GE(exponential.draw(rng), ms(1));
  }
  EXPECT_EQ(LatencyModel::constant(ms(7)).draw(rng), ms(7));
}

}  // namespace
}  // namespace electsim::sim
