// The radix-heap event queue (sim/event_queue.h) against a plain binary heap: the same total
// order by (time, seq) on random operations, FIFO among equal times.
#include "sim/event_queue.h"

#include <cstdint>
#include <queue>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "tests/check_test_support.h"

#include "sim/prng.h"

namespace electsim::sim {
namespace {

struct Later {
  bool operator()(const Event& a, const Event& b) const {
    return std::tie(a.time, a.seq) > std::tie(b.time, b.seq);
  }
};
using ReferenceQueue = std::priority_queue<Event, std::vector<Event>, Later>;

void expect_same_event(const Event& actual, const Event& expected, int op) {
  ASSERT_EQ(actual.time, expected.time) << "op " << op;
  ASSERT_EQ(actual.seq, expected.seq) << "op " << op;
  ASSERT_EQ(actual.kind, expected.kind) << "op " << op;
  ASSERT_EQ(actual.node, expected.node) << "op " << op;
  ASSERT_EQ(actual.data, expected.data) << "op " << op;
}

// One million random pushes, pops and peeks; a third of the pushes land exactly on the current
// time, so ties are common and must come out first in, first out.
TEST(EventQueue, MatchesReferenceHeapOnRandomOperations) {
  Rng rng(2024);
  EventQueue queue;
  ReferenceQueue reference;
  uint64_t now = 0;
  uint64_t pushed = 0;
  for (int op = 0; op < 1'000'000; ++op) {
    const uint64_t choice = rng.below(100);
    if (choice < 52 || reference.empty()) {
      uint64_t delta = 0;
      switch (rng.below(3)) {
        case 0: delta = 0; break;
        case 1: delta = rng.below(16); break;
        default: delta = rng.below(uint64_t{1} << (1 + rng.below(40))); break;
      }
      const Event e{now + delta, pushed, static_cast<uint32_t>(rng.below(4)),
                    static_cast<uint32_t>(rng.below(1000)), pushed};
      ++pushed;
      queue.push(e.time, e.kind, e.node, e.data);
      reference.push(e);
    } else if (choice < 97) {
      const Event expected = reference.top();
      reference.pop();
      const Event actual = queue.pop();
      expect_same_event(actual, expected, op);
      if (::testing::Test::HasFatalFailure()) return;
      ASSERT_GE(actual.time, now);
      now = actual.time;
      ASSERT_EQ(queue.last_time(), now);
    } else {
      ASSERT_EQ(queue.peek_time(), reference.top().time) << "op " << op;
    }
    ASSERT_EQ(queue.size(), reference.size());
  }
  while (!reference.empty()) {
    expect_same_event(queue.pop(), reference.top(), -1);
    reference.pop();
  }
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, EqualTimesComeOutInInsertionOrder) {
  EventQueue queue;
  for (uint32_t i = 0; i < 100; ++i) queue.push(i % 2 == 0 ? 500 : 100, 0, i, i);
  std::vector<uint32_t> order;
  while (!queue.empty()) order.push_back(queue.pop().node);
  std::vector<uint32_t> expected;
  for (uint32_t i = 1; i < 100; i += 2) expected.push_back(i);
  for (uint32_t i = 0; i < 100; i += 2) expected.push_back(i);
  EXPECT_EQ(order, expected);
}

// The world peeks to see whether the next event is due before an end time, and a fault may
// then schedule an event before the peeked one. That must be allowed and ordered correctly.
TEST(EventQueue, PushBeforeAPeekedEventIsOrderedFirst) {
  EventQueue queue;
  queue.push(10, 0, 0, 0);
  EXPECT_EQ(queue.pop().time, 10u);
  queue.push(1000, 0, 1, 0);
  queue.push(5000, 0, 2, 0);
  queue.push(1000, 0, 3, 0);
  EXPECT_EQ(queue.peek_time(), 1000u);
  queue.push(20, 0, 4, 0);  // after the last pop, before the peeked minimum
  queue.push(20, 0, 5, 0);
  queue.push(1000, 0, 6, 0);
  std::vector<std::pair<uint64_t, uint32_t>> order;
  while (!queue.empty()) {
    const Event e = queue.pop();
    order.emplace_back(e.time, e.node);
  }
  const std::vector<std::pair<uint64_t, uint32_t>> expected = {
      {20, 4}, {20, 5}, {1000, 1}, {1000, 3}, {1000, 6}, {5000, 2}};
  EXPECT_EQ(order, expected);
}

using EventQueueCheckTest = ::testing::Test;

TEST_F(EventQueueCheckTest, PushingInThePastFailsACheck) {
  EventQueue queue;
  queue.push(100, 0, 0, 0);
  (void)queue.pop();
  EXPECT_CHECK_FAILS(queue.push(99, 0, 0, 0), "(99 vs 100): event scheduled in the past");
}

TEST_F(EventQueueCheckTest, PopFromEmptyFailsACheck) {
  EventQueue queue;
  EXPECT_CHECK_FAILS((void)queue.pop(), "empty event queue");
}

}  // namespace
}  // namespace electsim::sim
