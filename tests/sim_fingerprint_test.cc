// The trace fingerprint (DESIGN.md "Trace"; STYLE.md 7): the same scenario and seed give the
// same fingerprint on every run, and a different seed gives a different run.
#include <cstdint>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "algorithms/pingpong/pingpong.h"
#include "sim/trace_records.h"
#include "sim/world.h"
#include "tests/trace_test_support.h"

namespace electsim::sim {
namespace {

struct RunSummary {
  uint64_t fingerprint = 0;
  uint64_t records = 0;
  WorldStats stats;
};

// The kernel's smoke workload, as scenarios/main.cc runs it: ping-pong over a lossy link with
// normally distributed latency, so both the network stream and the loss draws matter.
RunSummary run_pingpong(uint64_t seed, uint32_t nodes) {
  algorithms::PingPongFactory factory(Duration::milliseconds(20));
  Link link;
  link.latency = LatencyModel::normal(Duration::milliseconds(5), Duration::milliseconds(2),
                                      Duration::milliseconds(1));
  link.loss = Ratio{1, 10};
  link.may_reorder = true;
  World world(seed, nodes, link, factory);
  world.start();
  world.run_until(Instant::zero() + Duration::seconds(10));
  return {world.trace().fingerprint(), world.trace().records(), world.stats()};
}

TEST(Fingerprint, SameSeedSameFingerprint) {
  const RunSummary first = run_pingpong(42, 3);
  const RunSummary second = run_pingpong(42, 3);
  EXPECT_EQ(first.fingerprint, second.fingerprint);
  EXPECT_EQ(first.records, second.records);
  EXPECT_EQ(first.stats.messages_delivered, second.stats.messages_delivered);
  EXPECT_EQ(first.stats.events, second.stats.events);
  // The run did real work, with losses, so the comparison means something.
  EXPECT_GT(first.stats.messages_delivered, 1000u);
  EXPECT_GT(first.stats.messages_dropped, 50u);
}

TEST(Fingerprint, DifferentSeedDifferentFingerprint) {
  const RunSummary base = run_pingpong(42, 3);
  for (uint64_t seed : {43, 44, 1000}) EXPECT_NE(run_pingpong(seed, 3).fingerprint, base.fingerprint);
  EXPECT_NE(run_pingpong(42, 4).fingerprint, base.fingerprint);
}

uint64_t fingerprint_of(const TraceRecord& r) {
  Trace trace;
  trace.record(r);
  return trace.fingerprint();
}

// Every word of the flat record counts, the group and the third word included.
TEST(Fingerprint, EveryWordOfTheFlatRecordCounts) {
  const TraceRecord base{Instant::from_ns(5), RecordKind::kSend, 1, 2, 3, 4, 5, 6};
  const uint64_t expected = fingerprint_of(base);
  TraceRecord changed = base;
  changed.time = Instant::from_ns(6);
  EXPECT_NE(fingerprint_of(changed), expected);
  changed = base;
  changed.kind = RecordKind::kDeliver;
  EXPECT_NE(fingerprint_of(changed), expected);
  changed = base;
  changed.node = 2;
  EXPECT_NE(fingerprint_of(changed), expected);
  changed = base;
  changed.peer = kNoNode;
  EXPECT_NE(fingerprint_of(changed), expected);
  changed = base;
  changed.a = 0;
  EXPECT_NE(fingerprint_of(changed), expected);
  changed = base;
  changed.b = 5;
  EXPECT_NE(fingerprint_of(changed), expected);
  changed = base;
  changed.group = kNoGroup;
  EXPECT_NE(fingerprint_of(changed), expected);
  changed = base;
  changed.c = 7;
  EXPECT_NE(fingerprint_of(changed), expected);
  // Order matters too.
  Trace forward;
  forward.record(base);
  forward.record(changed);
  Trace backward;
  backward.record(changed);
  backward.record(base);
  EXPECT_NE(forward.fingerprint(), backward.fingerprint());
}

// Issue 8: changing any single field of any record kind changes the fingerprint, also when the
// record is one of many (the change must survive the records folded after it).
TEST(Fingerprint, EveryFieldOfEveryKindCounts) {
  int fields = 0;
  test_support::for_each_record_type([&]<class Struct>() {
    SCOPED_TRACE(std::string(record_struct_name(Struct::kKind)));
    const Struct base = test_support::sample_record<Struct>();
    auto run = [](const Struct& middle) {
      Trace trace;
      trace.record(Instant::from_ns(1), HostPaused{.host = 0});
      trace.record(Instant::from_ns(2), middle);
      trace.record(Instant::from_ns(3), HostResumed{.host = 0, .inbox = 1});
      return trace.fingerprint();
    };
    const uint64_t expected = run(base);
    std::apply([&](const auto&... each) {
      auto check_one = [&](const auto& field) {
        Struct changed = base;
        changed.*(field.member) = test_support::other_value(base.*(field.member));
        EXPECT_NE(run(changed), expected) << field.name;
        ++fields;
      };
      (check_one(each), ...);
    }, Struct::kFields);
  });
  EXPECT_GT(fields, 2 * static_cast<int>(RecordKind::kCount));
}

// The fold is a bijection of the running value for a fixed record, so two different histories
// cannot be merged by one more record: a spot check over many values.
TEST(Fingerprint, OneRecordNeverMergesTwoHistories) {
  const TraceRecord r{Instant::from_ns(10), RecordKind::kTimer, 3, kNoNode, 1, 99, 0, 0};
  std::set<uint64_t> seen;
  for (uint64_t before = 0; before < 10'000; ++before) seen.insert(Trace::fold(before, r));
  EXPECT_EQ(seen.size(), 10'000u);
}

}  // namespace
}  // namespace electsim::sim
