// The typed trace records (sim/trace_records.h): every kind packs into the flat record and back
// exactly, each field lands in the word its table names, and reading a record as another kind
// fails loudly.
#include "sim/trace_records.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "sim/check.h"
#include "tests/trace_test_support.h"

namespace electsim::sim {
namespace {

using test_support::for_each_record_type;
using test_support::other_value;
using test_support::sample_record;

TEST(TraceRecords, EveryKindRoundTripsThroughTheFlatRecord) {
  int kinds = 0;
  for_each_record_type([&]<class Struct>() {
    SCOPED_TRACE(std::string(record_struct_name(Struct::kKind)));
    const Struct original = sample_record<Struct>();
    const TraceRecord flat = pack_record(Instant::from_ns(77), original);
    EXPECT_EQ(flat.kind, Struct::kKind);
    EXPECT_EQ(flat.time, Instant::from_ns(77));
    const Struct back = flat.as<Struct>();
    std::apply([&](const auto&... each) {
      auto check_one = [&](const auto& field) {
        EXPECT_EQ(back.*(field.member), original.*(field.member)) << field.name;
      };
      (check_one(each), ...);
    }, Struct::kFields);
    // And the other way: the flat record rebuilt from the struct is the same record.
    const TraceRecord again = pack_record(flat.time, back);
    EXPECT_EQ(again.node, flat.node);
    EXPECT_EQ(again.peer, flat.peer);
    EXPECT_EQ(again.group, flat.group);
    EXPECT_EQ(again.a, flat.a);
    EXPECT_EQ(again.b, flat.b);
    EXPECT_EQ(again.c, flat.c);
    ++kinds;
  });
  EXPECT_EQ(kinds, static_cast<int>(RecordKind::kCount));
}

// Each field changes its own word and no other: the table is the truth about the layout.
TEST(TraceRecords, EachFieldOwnsOneWord) {
  for_each_record_type([&]<class Struct>() {
    SCOPED_TRACE(std::string(record_struct_name(Struct::kKind)));
    const Struct base = sample_record<Struct>();
    const TraceRecord flat = pack_record(Instant::zero(), base);
    std::set<Slot> slots;
    std::apply([&](const auto&... each) {
      auto check_one = [&](const auto& field) {
        EXPECT_TRUE(slots.insert(field.slot).second) << field.name << " shares a word";
        Struct changed = base;
        changed.*(field.member) = other_value(base.*(field.member));
        const TraceRecord moved = pack_record(Instant::zero(), changed);
        for (Slot slot : {Slot::kNode, Slot::kPeer, Slot::kGroup, Slot::kA, Slot::kB, Slot::kC}) {
          EXPECT_EQ(slot_word(moved, slot) != slot_word(flat, slot), slot == field.slot)
              << field.name;
        }
      };
      (check_one(each), ...);
    }, Struct::kFields);
  });
}

TEST(TraceRecords, HostRecordsCarryNoGroupAndProcessRecordsDo) {
  for_each_record_type([&]<class Struct>() {
    SCOPED_TRACE(std::string(record_struct_name(Struct::kKind)));
    bool has_group = false;
    for (const FieldInfo& info : record_fields(Struct::kKind)) {
      has_group = has_group || info.type == FieldType::kGroup;
    }
    EXPECT_EQ(has_group, !is_host_record(Struct::kKind));
    if (is_host_record(Struct::kKind)) {
      EXPECT_EQ(pack_record(Instant::zero(), sample_record<Struct>()).group, kNoGroup);
    }
  });
  EXPECT_TRUE(is_host_record(RecordKind::kCrash));
  EXPECT_FALSE(is_host_record(RecordKind::kBecameLeader));
}

TEST(TraceRecords, ReadingAsAnotherKindFailsLoudly) {
  const TraceRecord crash = pack_record(Instant::zero(), HostCrashed{.host = 2});
  EXPECT_EQ(crash.as<HostCrashed>().host, 2u);
  EXPECT_THROW((void)crash.as<LeaderElected>(), InternalCheckFailure);
}

TEST(TraceRecords, ALeaseIsOptional) {
  const TraceRecord without =
      pack_record(Instant::zero(), LeaderElected{.process = 1, .group = 0, .epoch = 3, .token = 3,
                                                 .lease_until_ns = {}});
  EXPECT_FALSE(without.as<LeaderElected>().lease_until_ns.has_value());
  // Zero and negative local times are real instants, not "no lease".
  for (int64_t until : {int64_t{0}, int64_t{-5}, INT64_MAX}) {
    const TraceRecord with = pack_record(
        Instant::zero(), LeaderElected{.process = 1, .group = 0, .epoch = 3, .token = 3,
                                       .lease_until_ns = until});
    EXPECT_EQ(with.as<LeaderElected>().lease_until_ns, until);
  }
}

TEST(TraceRecords, TracePacksWhatItRecords) {
  struct Last final : TraceObserver {
    void on_record(const TraceRecord& record) override { last = record; }
    TraceRecord last;
  } observer;
  Trace trace;
  trace.add_observer(&observer);
  trace.record(Instant::from_ns(9),
               FollowsLeader{.process = 4, .leader = 2, .group = 6, .epoch = 8});
  EXPECT_EQ(observer.last.kind, RecordKind::kFollows);
  const auto follows = observer.last.as<FollowsLeader>();
  EXPECT_EQ(follows.process, 4u);
  EXPECT_EQ(follows.leader, 2u);
  EXPECT_EQ(follows.group, 6u);
  EXPECT_EQ(follows.epoch, 8u);
  // The same as recording the flat record by hand, in the historical argument order.
  Trace by_hand;
  by_hand.record(TraceRecord{Instant::from_ns(9), RecordKind::kFollows, 4, 2, 8, 0, 6});
  EXPECT_EQ(by_hand.fingerprint(), trace.fingerprint());
}

TEST(TraceRecords, StructNamesAreDistinct) {
  std::set<std::string_view> names;
  for (size_t k = 0; k < static_cast<size_t>(RecordKind::kCount); ++k) {
    names.insert(record_struct_name(static_cast<RecordKind>(k)));
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(RecordKind::kCount));
}

}  // namespace
}  // namespace electsim::sim
