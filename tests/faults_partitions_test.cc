// Partitions of every shape (faults/partitions.h): reachability during the partition, checked
// with the network's graph queries, and every link back up after it heals.
#include <gtest/gtest.h>

#include <vector>

#include "faults/injector.h"
#include "tests/faults_test_support.h"

namespace electsim::faults {
namespace {

using namespace electsim::faults::testing;  // NOLINT: test vocabulary
using Groups = std::vector<std::vector<sim::NodeId>>;
using Nodes = std::vector<sim::NodeId>;

Fault partition(PartitionShape shape, int64_t at = 10, int64_t length = 50) {
  Fault fault = fault_at(FaultKind::kPartition, at, {}, length);
  fault.partition = std::move(shape);
  return fault;
}

PartitionShape shape_of(PartitionShape::Kind kind) {
  PartitionShape shape;
  shape.kind = kind;
  return shape;
}

Targets nodes(std::initializer_list<sim::NodeId> ids) {
  Targets targets;
  for (sim::NodeId id : ids) targets.push_back(node_target(id));
  return targets;
}

int links_down(const sim::Network& network) {
  int down = 0;
  for (sim::NodeId from = 0; from < network.size(); ++from) {
    for (sim::NodeId to = 0; to < network.size(); ++to) {
      if (!network.is_up(from, to)) ++down;
    }
  }
  return down;
}

// Runs past the partition's end (10ms + 50ms) and checks that everything is back.
void expect_healed(Cluster& cluster) {
  cluster.run_to_ms(100);
  EXPECT_EQ(links_down(cluster.network()), 0);
  EXPECT_EQ(cluster.network().strongly_connected_groups().size(), 1u);
  EXPECT_EQ(cluster.recorder().of(RecordKind::kFaultEnd).size(), 1u);
}

TEST(Partition, IsolateCutsTheLeaderOffBothWays) {
  Cluster cluster(5);
  PartitionShape shape = shape_of(PartitionShape::Kind::kIsolate);
  shape.members = {role(Target::Kind::kLeader)};
  cluster.inject({partition(shape)});
  cluster.run_to_ms(20);
  EXPECT_EQ(cluster.network().strongly_connected_groups(), (Groups{{0}, {1, 2, 3, 4}}));
  EXPECT_EQ(cluster.network().reachable_from(0), Nodes{0});
  EXPECT_TRUE(cluster.network().majority_connected());
  const auto cuts = cluster.recorder().of(RecordKind::kLinkChange);
  ASSERT_EQ(cuts.size(), 8u);
  for (const TraceRecord& cut : cuts) {
    EXPECT_EQ(cut.a, 0u);
    EXPECT_TRUE(cut.node == 0 || cut.peer == 0);
  }
  EXPECT_EQ(cluster.fired()[0].nodes, Nodes{0});
  expect_healed(cluster);
  EXPECT_EQ(cluster.recorder().of(RecordKind::kLinkChange).size(), 16u);
  EXPECT_EQ(cluster.fired()[0].effect,
            "partition isolate n1 (leader of epoch 1): cut it off from 4 of 4 nodes for 50ms");
}

TEST(Partition, MajorityMinorityPutsTheLeaderInTheLargestMinority) {
  Cluster cluster(5);
  cluster.inject({partition(shape_of(PartitionShape::Kind::kMajorityMinority))});
  cluster.run_to_ms(20);
  EXPECT_EQ(cluster.network().strongly_connected_groups(), (Groups{{0, 1}, {2, 3, 4}}));
  EXPECT_TRUE(cluster.network().majority_connected());
  EXPECT_EQ(cluster.fired()[0].nodes, (Nodes{0, 1}));
  expect_healed(cluster);
  EXPECT_EQ(cluster.fired()[0].effect,
            "partition majority_minority: minority {n1,n2} cut off from majority {n3,n4,n5}, "
            "leader n1 in the minority for 50ms");
}

TEST(Partition, MajorityMinorityAroundNamedMembers) {
  Cluster cluster(5);
  PartitionShape shape = shape_of(PartitionShape::Kind::kMajorityMinority);
  shape.members = nodes({3});
  cluster.inject({partition(shape)});
  cluster.run_to_ms(20);
  // n4 plus the lowest-id other node.
  EXPECT_EQ(cluster.network().strongly_connected_groups(), (Groups{{0, 3}, {1, 2, 4}}));
  expect_healed(cluster);
}

TEST(Partition, MajorityMinorityOfFourLeavesOneNodeAlone) {
  Cluster cluster(4);
  cluster.inject({partition(shape_of(PartitionShape::Kind::kMajorityMinority))});
  cluster.run_to_ms(20);
  EXPECT_EQ(cluster.network().strongly_connected_groups(), (Groups{{0}, {1, 2, 3}}));
  expect_healed(cluster);
}

TEST(Partition, GroupsPutUnlistedNodesTogether) {
  Cluster cluster(5);
  PartitionShape shape = shape_of(PartitionShape::Kind::kGroups);
  shape.groups = {nodes({0}), nodes({1, 2})};
  cluster.inject({partition(shape)});
  cluster.run_to_ms(20);
  EXPECT_EQ(cluster.network().strongly_connected_groups(), (Groups{{0}, {1, 2}, {3, 4}}));
  EXPECT_FALSE(cluster.network().majority_connected());
  expect_healed(cluster);
  EXPECT_EQ(cluster.fired()[0].effect,
            "partition groups: {n1} | {n2,n3} | {n4,n5} cannot reach each other for 50ms");
}

TEST(Partition, BridgeAloneSeesBothSides) {
  Cluster cluster(5);
  PartitionShape shape = shape_of(PartitionShape::Kind::kBridge);
  shape.groups = {nodes({0, 1}), nodes({3, 4})};
  shape.bridge = node_target(2);
  cluster.inject({partition(shape)});
  cluster.run_to_ms(20);
  const sim::Network& network = cluster.network();
  // Still one strongly connected group, but only through n3.
  EXPECT_EQ(network.strongly_connected_groups().size(), 1u);
  EXPECT_EQ(network.reachable_from(0), (Nodes{0, 1, 2, 3, 4}));
  EXPECT_TRUE(network.majority_connected());
  EXPECT_FALSE(network.is_up(0, 3));
  EXPECT_FALSE(network.is_up(4, 1));
  EXPECT_TRUE(network.is_up(0, 2) && network.is_up(2, 0) && network.is_up(2, 4));
  const Nodes side_and_bridge{0, 1, 2};
  EXPECT_TRUE(network.directly_connected(side_and_bridge));
  const Nodes across{1, 2, 3};
  EXPECT_FALSE(network.directly_connected(across));
  EXPECT_EQ(links_down(network), 8);
  expect_healed(cluster);
  EXPECT_EQ(cluster.fired()[0].effect,
            "partition bridge: n3 sees both {n1,n2} and {n4,n5}, which cannot reach each other "
            "for 50ms");
}

TEST(Partition, OneWayCutsOnlyOneDirection) {
  Cluster cluster(3);
  PartitionShape shape = shape_of(PartitionShape::Kind::kOneWay);
  shape.from = nodes({0});
  shape.to = nodes({1, 2});
  cluster.inject({partition(shape)});
  cluster.run_to_ms(20);
  const sim::Network& network = cluster.network();
  EXPECT_EQ(network.reachable_from(0), Nodes{0});
  EXPECT_EQ(network.reachable_from(1), (Nodes{0, 1, 2}));
  EXPECT_EQ(network.strongly_connected_groups(), (Groups{{0}, {1, 2}}));
  EXPECT_TRUE(network.is_up(1, 0));
  // n1's pings of 10ms and 20ms are lost to the cut (the fault was scheduled before the first
  // tick, so it comes first at 10ms); n2 and n3 hear nothing from it.
  for (const TraceRecord& drop : cluster.recorder().of(RecordKind::kDrop)) {
    EXPECT_EQ(drop.a, static_cast<uint64_t>(sim::DropReason::kLinkDown));
  }
  EXPECT_EQ(cluster.recorder().of(RecordKind::kDrop).size(), 4u);
  expect_healed(cluster);
  EXPECT_EQ(cluster.fired()[0].effect,
            "partition one_way n1 -> n2 n3: 2 links cut in one direction only for 50ms");
}

TEST(Partition, OneWayNamesEveryNodeAsAll) {
  Cluster cluster(3);
  PartitionShape shape = shape_of(PartitionShape::Kind::kOneWay);
  shape.from = {Target{Target::Kind::kAll, 0}};
  shape.to = nodes({1});
  cluster.inject({partition(shape)});
  cluster.run_to_ms(20);
  EXPECT_EQ(cluster.fired()[0].effect,
            "partition one_way all -> n2: 2 links cut in one direction only");
}

TEST(Partition, RingKeepsOnlyNeighbourLinks) {
  Cluster cluster(5);
  PartitionShape shape = shape_of(PartitionShape::Kind::kRing);
  shape.members = nodes({0, 2, 4, 1, 3});
  cluster.inject({partition(shape)});
  cluster.run_to_ms(20);
  const sim::Network& network = cluster.network();
  const Nodes ring{0, 2, 4, 1, 3};
  for (size_t i = 0; i < ring.size(); ++i) {
    const sim::NodeId next = ring[(i + 1) % ring.size()];
    EXPECT_TRUE(network.is_up(ring[i], next) && network.is_up(next, ring[i]));
    int out_links = 0;
    for (sim::NodeId peer = 0; peer < 5; ++peer) {
      if (peer != ring[i] && network.is_up(ring[i], peer)) ++out_links;
    }
    EXPECT_EQ(out_links, 2);
  }
  const Nodes neighbours{0, 1};  // not neighbours in this ring order
  EXPECT_FALSE(network.directly_connected(neighbours));
  EXPECT_EQ(network.strongly_connected_groups().size(), 1u);  // connected through relays
  expect_healed(cluster);
}

TEST(Partition, RingOfThreeCutsNothing) {
  Cluster cluster(3);
  cluster.inject({partition(shape_of(PartitionShape::Kind::kRing))});
  cluster.run_to_ms(20);
  EXPECT_EQ(links_down(cluster.network()), 0);
  EXPECT_TRUE(cluster.recorder().of(RecordKind::kLinkChange).empty());
}

TEST(Partition, LinksCutExactlyTheListedLinks) {
  for (const bool both_ways : {false, true}) {
    Cluster cluster(3);
    PartitionShape shape = shape_of(PartitionShape::Kind::kLinks);
    shape.links = {{node_target(0), node_target(1)}};
    shape.both_ways = both_ways;
    cluster.inject({partition(shape)});
    cluster.run_to_ms(20);
    EXPECT_FALSE(cluster.network().is_up(0, 1));
    EXPECT_EQ(cluster.network().is_up(1, 0), !both_ways);
    EXPECT_EQ(links_down(cluster.network()), both_ways ? 2 : 1);
    expect_healed(cluster);
    // A pair cut both ways is written once; the leader it hit says what it still reaches.
    EXPECT_EQ(cluster.fired()[0].effect,
              std::string("partition links ") + (both_ways ? "n1<->n2" : "n1->n2") +
                  ": the leader n1 (epoch 1) keeps two-way links to 1 of 2 nodes for 50ms");
  }
}

TEST(Partition, LinksAwayFromTheLeaderDoNotMentionIt) {
  Cluster cluster(3);
  PartitionShape shape = shape_of(PartitionShape::Kind::kLinks);
  shape.links = {{node_target(2), node_target(1)}, {node_target(1), node_target(2)}};
  cluster.inject({partition(shape)});
  cluster.run_to_ms(20);
  EXPECT_EQ(cluster.fired()[0].effect, "partition links n2<->n3");
}

TEST(Partition, OverlappingPartitionsCompose) {
  Cluster cluster(3);
  PartitionShape first = shape_of(PartitionShape::Kind::kIsolate);
  first.members = nodes({0});
  PartitionShape second = shape_of(PartitionShape::Kind::kIsolate);
  second.members = nodes({1});
  cluster.inject({partition(first, 10, 50), partition(second, 30, 70)});
  cluster.run_to_ms(70);
  // The first partition healed, but the second still cuts n1 <-> n2.
  EXPECT_FALSE(cluster.network().is_up(0, 1));
  EXPECT_FALSE(cluster.network().is_up(1, 0));
  EXPECT_TRUE(cluster.network().is_up(0, 2));
  EXPECT_TRUE(cluster.network().is_up(2, 0));
  cluster.run_to_ms(110);
  EXPECT_EQ(links_down(cluster.network()), 0);
  int restored_0_to_1 = 0;
  for (const TraceRecord& change : cluster.recorder().of(RecordKind::kLinkChange, 0)) {
    if (change.peer != 1 || change.a != 1) continue;
    ++restored_0_to_1;
    EXPECT_EQ(change.time, at_ms(100));
  }
  EXPECT_EQ(restored_0_to_1, 1);
}

TEST(Partition, LeavesALinkCutByOthersDown) {
  Cluster cluster(3);
  cluster.world().set_link_up(0, 1, false);
  PartitionShape shape = shape_of(PartitionShape::Kind::kIsolate);
  shape.members = nodes({0});
  cluster.inject({partition(shape)});
  cluster.run_to_ms(100);
  EXPECT_FALSE(cluster.network().is_up(0, 1));
  EXPECT_TRUE(cluster.network().is_up(1, 0));
  EXPECT_TRUE(cluster.network().is_up(0, 2));
}

TEST(Partition, AroundTheLeaderIsSkippedWithoutOne) {
  Cluster cluster(3, /*reports_leadership=*/false);
  PartitionShape shape = shape_of(PartitionShape::Kind::kIsolate);
  shape.members = {role(Target::Kind::kLeader)};
  cluster.inject({partition(shape)});
  cluster.run_to_ms(100);
  EXPECT_TRUE(cluster.fired()[0].skipped);
  EXPECT_EQ(links_down(cluster.network()), 0);
  EXPECT_TRUE(cluster.recorder().of(RecordKind::kFaultStart).empty());
}

}  // namespace
}  // namespace electsim::faults
