// The JSON Lines trace sink (sim/jsonl_sink.h): every record becomes one parseable object with
// the documented keys; memory stays one buffer; a write error is kept and stops the writing.
// (Temporary files and renames belong to scenarios/outputs.h, tested in cli_outputs_test.cc.)
#include "sim/jsonl_sink.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "algorithms/pingpong/pingpong.h"
#include "sim/message_type.h"
#include "sim/trace_records.h"
#include "sim/world.h"
#include "tests/sim_test_support.h"
#include "tests/trace_test_support.h"

namespace electsim::sim {
namespace {

using nlohmann::json;
using test_support::at_ms;
using test_support::ms;
using test_support::RecordingObserver;
using test_support::Script;
using test_support::ScriptedFactory;

namespace fs = std::filesystem;

// A fresh, empty directory per test.
fs::path test_directory() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::path(::testing::TempDir()) / "electsim_jsonl" /
                       (std::string(info->test_suite_name()) + "." + info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::vector<json> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<json> objects;
  for (std::string line; std::getline(in, line);) {
    objects.push_back(json::parse(line));  // throws, failing the test, on a malformed line
  }
  return objects;
}

// A sink writing to `path`, with the stream it writes to; the stream closes with the holder.
struct OpenSink {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file{nullptr, &std::fclose};
  std::unique_ptr<JsonlSink> sink;
  JsonlSink* operator->() const { return sink.get(); }
  absl::Status finish() {
    absl::Status status = sink->flush();
    if (std::fflush(file.get()) != 0 && status.ok()) status = absl::UnavailableError("fflush");
    return status;
  }
};

OpenSink open_sink(const fs::path& path) {
  OpenSink open;
  open.file.reset(std::fopen(path.c_str(), "wb"));
  EXPECT_NE(open.file, nullptr) << path;
  if (open.file == nullptr) return open;
  // Unbuffered, as the command line opens it, so what the sink wrote is in the file.
  std::setvbuf(open.file.get(), nullptr, _IONBF, 0);
  open.sink = std::make_unique<JsonlSink>(open.file.get());
  return open;
}

TraceRecord record(int64_t t_ns, RecordKind kind, NodeId node, NodeId peer, uint64_t a,
                   uint64_t b) {
  return TraceRecord{Instant::from_ns(t_ns), kind, node, peer, a, b};
}

template <class Struct>
TraceRecord typed(int64_t t_ns, const Struct& fields) {
  return pack_record(Instant::from_ns(t_ns), fields);
}

// A family no algorithm registers, so its names are the numbered fallbacks.
constexpr MessageTypeId kUnnamedType = message_type_id(99, 2);

// One record of every kind, and the object each must become: the keys are the struct's field
// names (sim/trace_records.h), in its field order, with no bare codes.
TEST(JsonlSink, EveryKindHasItsKeys) {
  const fs::path path = test_directory() / "trace.jsonl";
  auto sink = open_sink(path);
  ASSERT_NE(sink.sink, nullptr);
  const std::vector<std::pair<TraceRecord, json>> cases = {
      {typed(5, MessageSent{.from = 0, .to = 1, .group = 0, .type = kUnnamedType, .message = 17}),
       {{"t_ns", 5}, {"kind", "send"}, {"from", "n1"}, {"to", "n2"}, {"group", "g1"},
        {"type", "family 99 message 2"}, {"type_id", kUnnamedType}, {"message", 17}}},
      {typed(6, MessageDelivered{.to = 1, .from = 0, .group = 0, .type = kUnnamedType,
                                 .message = 17}),
       {{"t_ns", 6}, {"kind", "deliver"}, {"to", "n2"}, {"from", "n1"}, {"group", "g1"},
        {"type", "family 99 message 2"}, {"type_id", kUnnamedType}, {"message", 17}}},
      {typed(7, MessageDropped{.to = 1, .from = 0, .group = kNoGroup,
                               .reason = DropReason::kNodeDown, .message = 18}),
       {{"t_ns", 7}, {"kind", "drop"}, {"to", "n2"}, {"from", "n1"}, {"group", nullptr},
        {"reason", "node_down"}, {"message", 18}}},
      {typed(8, MessageDuplicated{.to = 1, .from = 0, .group = 2, .type = 0, .message = 19}),
       {{"t_ns", 8}, {"kind", "duplicate"}, {"to", "n2"}, {"from", "n1"}, {"group", "g3"},
        {"type", message_type_name(0)}, {"type_id", 0}, {"message", 19}}},
      {typed(9, TimerFired{.process = 2, .group = 0, .timer = 3, .local_ns = -123'456}),
       {{"t_ns", 9}, {"kind", "timer"}, {"process", "n3"}, {"group", "g1"}, {"timer", "timer 3"},
        {"timer_id", 3}, {"local_ns", -123'456}}},
      {typed(10, HostCrashed{.host = 0}), {{"t_ns", 10}, {"kind", "crash"}, {"host", "n1"}}},
      {typed(11, HostRestarted{.host = 0, .amnesia = true}),
       {{"t_ns", 11}, {"kind", "restart"}, {"host", "n1"}, {"amnesia", true}}},
      {typed(12, HostPaused{.host = 4}), {{"t_ns", 12}, {"kind", "pause"}, {"host", "n5"}}},
      {typed(13, HostResumed{.host = 4, .inbox = 3}),
       {{"t_ns", 13}, {"kind", "resume"}, {"host", "n5"}, {"inbox", 3}}},
      {typed(14, ClockChanged{.host = 0, .change = ClockChange::kDriftPpm, .value = -100}),
       {{"t_ns", 14}, {"kind", "clock_change"}, {"host", "n1"}, {"change", "drift"},
        {"value", -100}}},
      {typed(15, ClockChanged{.host = 0, .change = ClockChange::kOffset, .value = 5'000'000}),
       {{"t_ns", 15}, {"kind", "clock_change"}, {"host", "n1"}, {"change", "offset"},
        {"value", 5'000'000}}},
      {typed(16, ClockChanged{.host = 0, .change = ClockChange::kJump, .value = -30'000'000}),
       {{"t_ns", 16}, {"kind", "clock_change"}, {"host", "n1"}, {"change", "jump"},
        {"value", -30'000'000}}},
      {typed(17, LinkChanged{.from = 0, .to = 2, .up = false}),
       {{"t_ns", 17}, {"kind", "link_change"}, {"from", "n1"}, {"to", "n3"}, {"up", false}}},
      {typed(18, LeaderElected{.process = 1, .group = 0, .epoch = 4, .token = 40,
                               .lease_until_ns = {}}),
       {{"t_ns", 18}, {"kind", "became_leader"}, {"process", "n2"}, {"group", "g1"}, {"epoch", 4},
        {"token", 40}, {"lease_until_ns", nullptr}}},
      {typed(18, LeaderElected{.process = 1, .group = 0, .epoch = 5, .token = 50,
                               .lease_until_ns = 9'000}),
       {{"t_ns", 18}, {"kind", "became_leader"}, {"process", "n2"}, {"group", "g1"}, {"epoch", 5},
        {"token", 50}, {"lease_until_ns", 9'000}}},
      {typed(19, FollowsLeader{.process = 2, .leader = 1, .group = 0, .epoch = 4}),
       {{"t_ns", 19}, {"kind", "follows"}, {"process", "n3"}, {"leader", "n2"}, {"group", "g1"},
        {"epoch", 4}}},
      {typed(20, LeaderSteppedDown{.process = 1, .group = 0, .reason = StepDownReason::kQuorumLost,
                             .epoch = 4}),
       {{"t_ns", 20}, {"kind", "stepped_down"}, {"process", "n2"}, {"group", "g1"},
        {"reason", "quorum_lost"}, {"epoch", 4}}},
      {typed(21, FaultStarted{.host = kNoHost, .fault_index = 2, .fault = 4}),
       {{"t_ns", 21}, {"kind", "fault_start"}, {"host", nullptr}, {"fault_index", 2},
        {"fault", "kind 4"}}},
      {typed(22, FaultEnded{.host = 1, .fault_index = 2, .fault = 4}),
       {{"t_ns", 22}, {"kind", "fault_end"}, {"host", "n2"}, {"fault_index", 2},
        {"fault", "kind 4"}}},
      {typed(23, ResourceWritten{.writer = 1, .resource = 3, .group = 0, .token = 40,
                                 .accepted = true, .epoch = 4}),
       {{"t_ns", 23}, {"kind", "resource_write"}, {"writer", "n2"}, {"resource", "n4"},
        {"group", "g1"}, {"token", 40}, {"accepted", true}, {"epoch", 4}}},
      {typed(24, StatePersisted{.process = 1, .group = 0, .words = 3, .offset = 1}),
       {{"t_ns", 24}, {"kind", "persist"}, {"process", "n2"}, {"group", "g1"}, {"words", 3},
        {"offset", 1}}},
      {typed(25, LeaderReady{.process = 1, .group = 0, .epoch = 4}),
       {{"t_ns", 25}, {"kind", "ready"}, {"process", "n2"}, {"group", "g1"}, {"epoch", 4}}},
      {typed(26, FollowerLostLeader{.process = 1, .group = 0,
                                    .reason = LeaderLostReason::kElectionTimeout, .epoch = 4}),
       {{"t_ns", 26}, {"kind", "leader_lost"}, {"process", "n2"}, {"group", "g1"},
        {"reason", "election_timeout"}, {"epoch", 4}}},
      {typed(27, WriteSent{.writer = 1, .resource = 3, .group = 0, .token = 40, .epoch = 4,
                           .message = 9}),
       {{"t_ns", 27}, {"kind", "write_sent"}, {"writer", "n2"}, {"resource", "n4"},
        {"group", "g1"}, {"token", 40}, {"epoch", 4}, {"message", 9}}},
      {typed(28, EntryCommitted{.process = 2, .group = 0, .epoch = 3, .index = 7}),
       {{"t_ns", 28}, {"kind", "committed"}, {"process", "n3"}, {"group", "g1"}, {"epoch", 3},
        {"index", 7}}},
      {typed(29, SupportGiven{.process = 1, .candidate = 0, .group = 0, .epoch = 5,
                              .support = SupportKind::kPreVote}),
       {{"t_ns", 29}, {"kind", "supported"}, {"process", "n2"}, {"candidate", "n1"},
        {"group", "g1"}, {"epoch", 5}, {"support", "pre_vote"}}},
      {typed(30, LeaderLogEnd{.process = 0, .group = 0, .epoch = 5, .log_epoch = 3,
                              .log_index = 7}),
       {{"t_ns", 30}, {"kind", "leader_log_end"}, {"process", "n1"}, {"group", "g1"},
        {"epoch", 5}, {"log_epoch", 3}, {"log_index", 7}}},
      // The extremes of every numeric field still fit in a line.
      {record(INT64_MAX, RecordKind::kSend, 4'294'967'294u, 4'294'967'294u, UINT32_MAX, UINT64_MAX),
       {{"t_ns", INT64_MAX}, {"kind", "send"}, {"from", "n4294967295"}, {"to", "n4294967295"},
        {"group", nullptr}, {"type", "family 65535 message 65535"}, {"type_id", UINT32_MAX},
        {"message", UINT64_MAX}}},
  };
  for (const auto& [r, expected] : cases) sink->on_record(r);
  ASSERT_TRUE(sink.finish().ok());
  const std::vector<json> lines = read_lines(path);
  ASSERT_EQ(lines.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(lines[i], cases[i].second) << "line " << i + 1;
  EXPECT_EQ(sink->records_written(), cases.size());
  // Every kind but kCount is covered.
  std::set<std::string> kinds;
  for (const json& line : lines) kinds.insert(line["kind"].get<std::string>());
  EXPECT_EQ(kinds.size(), static_cast<size_t>(RecordKind::kCount));
}

// Every kind's line has exactly t_ns, kind and its struct's fields (plus the name's number for
// message types and timers, and a fault's label): no key that is not documented.
TEST(JsonlSink, KeysAreTheStructFieldsForEveryKind) {
  const fs::path path = test_directory() / "keys.jsonl";
  auto sink = open_sink(path);
  ASSERT_NE(sink.sink, nullptr);
  std::vector<RecordKind> kinds;
  test_support::for_each_record_type([&]<class Struct>() {
    sink->on_record(pack_record(Instant::from_ns(1), test_support::sample_record<Struct>()));
    kinds.push_back(Struct::kKind);
  });
  ASSERT_TRUE(sink.finish().ok());
  const std::vector<json> lines = read_lines(path);
  ASSERT_EQ(lines.size(), kinds.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    std::set<std::string> expected = {"t_ns", "kind"};
    for (const FieldInfo& field : record_fields(kinds[i])) {
      expected.insert(std::string(field.name));
      if (field.type == FieldType::kMessageType) expected.insert("type_id");
      if (field.type == FieldType::kTimer) expected.insert("timer_id");
    }
    std::set<std::string> keys;
    for (const auto& [key, value] : lines[i].items()) keys.insert(key);
    EXPECT_EQ(keys, expected) << lines[i].dump();
  }
}

// The header is the first line, with the format version and what identifies the run.
TEST(JsonlSink, StartsWithTheHeader) {
  const fs::path path = test_directory() / "header.jsonl";
  auto sink = open_sink(path);
  ASSERT_NE(sink.sink, nullptr);
  TraceHeader header;
  header.electsim_version = "9.9.9";
  header.commit = "abc123";
  header.scenario = "quote\"and\\slash\nnewline \xff";
  header.scenario_path = "scenarios/library/x.yaml";
  header.algorithm = "raft";
  header.seed = 18'446'744'073'709'551'615ULL;
  header.params_json = R"({"pre_vote":true,"election_timeout_ns":[150000000,300000000]})";
  sink->start(header, TraceNames{});
  sink->on_record(typed(1, HostCrashed{.host = 0}));
  ASSERT_TRUE(sink.finish().ok());
  const std::vector<json> lines = read_lines(path);
  ASSERT_EQ(lines.size(), 2u);
  const json& first = lines[0];
  EXPECT_EQ(first["kind"], "header");
  EXPECT_EQ(first["trace_format"], kTraceFormat);
  EXPECT_EQ(first["electsim"], "9.9.9");
  EXPECT_EQ(first["commit"], "abc123");
  // Escaped, and the stray byte replaced, so the line is valid JSON whatever the name.
  EXPECT_EQ(first["scenario"], "quote\"and\\slash\nnewline \xef\xbf\xbd");
  EXPECT_EQ(first["scenario_path"], "scenarios/library/x.yaml");
  EXPECT_EQ(first["algorithm"], "raft");
  EXPECT_EQ(first["seed"].get<uint64_t>(), 18'446'744'073'709'551'615ULL);
  EXPECT_EQ(first["params"]["pre_vote"], true);
  EXPECT_EQ(first["params"]["election_timeout_ns"][1], 300'000'000);
  EXPECT_EQ(lines[1]["kind"], "crash");
  EXPECT_EQ(sink->records_written(), 1u);  // the header is not a record
}

// Names come from the layout and the families: hosts h1.., group members g2.n1, timers and
// message types by name, faults by kind and label.
TEST(JsonlSink, NamesProcessesHostsTimersMessagesAndFaults) {
  static constexpr std::string_view kMessages[] = {"ping", "pong"};
  static constexpr std::string_view kTimers[] = {"tick", "election"};
  static const FamilyInfo kFamily{98, "jsonltest", kMessages, kTimers};
  register_family(&kFamily);
  Layout layout;
  for (int h = 0; h < 3; ++h) layout.add_host();
  for (GroupId g = 0; g < 2; ++g) {
    layout.add_group();
    for (HostId h = 0; h < 3; ++h) layout.add_process(ProcessKind::kMember, h, g);
  }
  layout.add_process(ProcessKind::kService, 2);
  ASSERT_FALSE(layout.is_single_group());

  const fs::path path = test_directory() / "names.jsonl";
  auto sink = open_sink(path);
  ASSERT_NE(sink.sink, nullptr);
  TraceNames names;
  names.layout = &layout;
  names.process_families.assign(layout.processes(), kFamily.id);
  names.fault_kinds = {"crash", "amnesia_crash"};
  names.fault_labels = {"crash the leader", std::string(2 * JsonlSink::kMaxLabelBytes, 'x')};
  sink->start(TraceHeader{}, names);
  sink->on_record(typed(1, MessageSent{.from = 3, .to = 6, .group = 1,
                                       .type = message_type_id(98, 1), .message = 5}));
  sink->on_record(typed(2, TimerFired{.process = 4, .group = 1, .timer = 1, .local_ns = 7}));
  sink->on_record(typed(3, HostCrashed{.host = 2}));
  sink->on_record(typed(4, FaultStarted{.host = 2, .fault_index = 0, .fault = 0}));
  sink->on_record(typed(5, FaultEnded{.host = 2, .fault_index = 1, .fault = 1}));
  sink->on_record(typed(6, FaultEnded{.host = 2, .fault_index = 7, .fault = 9}));
  ASSERT_TRUE(sink.finish().ok());
  const std::vector<json> lines = read_lines(path);
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[1]["from"], "g2.n1");
  EXPECT_EQ(lines[1]["to"], "s1");
  EXPECT_EQ(lines[1]["group"], "g2");
  EXPECT_EQ(lines[1]["type"], "jsonltest.pong");
  EXPECT_EQ(lines[1]["type_id"], message_type_id(98, 1));
  EXPECT_EQ(lines[2]["process"], "g2.n2");
  EXPECT_EQ(lines[2]["timer"], "jsonltest.election");
  EXPECT_EQ(lines[2]["timer_id"], 1);
  EXPECT_EQ(lines[3]["host"], "h3");
  EXPECT_EQ(lines[4]["fault"], "crash");
  EXPECT_EQ(lines[4]["label"], "crash the leader");
  EXPECT_EQ(lines[5]["fault"], "amnesia_crash");
  EXPECT_EQ(lines[5]["label"].get<std::string>().size(), JsonlSink::kMaxLabelBytes);
  EXPECT_EQ(lines[6]["fault"], "kind 9");  // no name and no label: still a valid line
  EXPECT_FALSE(lines[6].contains("label"));
}

// Violations are lines too, in time order: one found after the instant it refers to is written
// at the time it was found, and says its own instant.
TEST(JsonlSink, ViolationsAreLinesInTimeOrder) {
  const fs::path path = test_directory() / "violations.jsonl";
  auto sink = open_sink(path);
  ASSERT_NE(sink.sink, nullptr);
  sink->on_record(typed(100, HostCrashed{.host = 0}));
  const std::vector<ProcessId> both = {0, 2};
  sink->on_violation(TraceViolation{"one_leader_per_epoch", "always", Instant::from_ns(100), both,
                                    0, 3, "n1 and n3 both lead epoch 3"});
  sink->on_violation(TraceViolation{"recovery", "eventually", Instant::from_ns(40), {}, kNoGroup,
                                    0, "no leader within 3s"});
  ASSERT_TRUE(sink.finish().ok());
  const std::vector<json> lines = read_lines(path);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], json({{"t_ns", 100}, {"kind", "violation"}, {"check", "one_leader_per_epoch"},
                            {"property", "always"}, {"violation_ns", 100},
                            {"processes", {"n1", "n3"}}, {"group", "g1"}, {"epoch", 3},
                            {"detail", "n1 and n3 both lead epoch 3"}}));
  EXPECT_EQ(lines[2]["t_ns"], 100);
  EXPECT_EQ(lines[2]["violation_ns"], 40);
  EXPECT_EQ(lines[2]["group"], nullptr);
}

// A real run: the file holds exactly the records the trace produced, in order.
TEST(JsonlSink, MatchesTheTraceOfARun) {
  const fs::path path = test_directory() / "run.jsonl";
  auto sink = open_sink(path);
  ASSERT_NE(sink.sink, nullptr);
  algorithms::PingPongFactory factory(ms(20));
  Link link;
  link.latency = LatencyModel::uniform(ms(1), ms(9));
  link.loss = Ratio{1, 10};
  link.may_reorder = true;
  World world(3, 3, link, factory);
  RecordingObserver observer;
  world.trace().add_observer(sink.sink.get());
  world.trace().add_observer(&observer);
  world.start();
  world.at(at_ms(200), [&world] { world.crash(2); });
  world.at(at_ms(300), [&world] { world.restart(2, true); });
  world.at(at_ms(400), [&world] { world.set_clock_drift(1, 50); });
  world.run_until(at_ms(1000));
  ASSERT_TRUE(sink.finish().ok());

  const std::vector<json> lines = read_lines(path);
  const auto& records = observer.records();
  ASSERT_EQ(lines.size(), records.size());
  ASSERT_GT(lines.size(), 500u);
  for (size_t i = 0; i < records.size(); ++i) {
    const TraceRecord& r = records[i];
    ASSERT_EQ(lines[i]["t_ns"].get<int64_t>(), r.time.ns()) << i;
    ASSERT_EQ(lines[i]["kind"], std::string(record_kind_name(r.kind))) << i;
    for (const FieldInfo& field : record_fields(r.kind)) {
      ASSERT_TRUE(lines[i].contains(std::string(field.name))) << i << " " << field.name;
      const uint64_t word = slot_word(r, field.slot);
      if (field.type == FieldType::kProcess || field.type == FieldType::kHost) {
        ASSERT_EQ(lines[i][std::string(field.name)],
                  word == kNoNode ? json(nullptr) : json(absl::StrCat("n", word + 1)));
      }
    }
    if (r.kind == RecordKind::kSend || r.kind == RecordKind::kDeliver) {
      ASSERT_EQ(lines[i]["message"].get<uint64_t>(), r.b);
    }
    if (r.kind == RecordKind::kDrop) {
      ASSERT_EQ(lines[i]["reason"], std::string(drop_reason_name(static_cast<DropReason>(r.a))));
    }
  }
}

TEST(JsonlSink, MemoryIsOneBufferNotTheHistory) {
  const fs::path path = test_directory() / "streamed.jsonl";
  auto sink = open_sink(path);
  ASSERT_NE(sink.sink, nullptr);
  for (int i = 0; i < 200'000; ++i)
    sink->on_record(record(i, RecordKind::kSend, 0, 1, 0, static_cast<uint64_t>(i)));
  // Everything but at most one buffer is already in the file.
  const uint64_t on_disk = fs::file_size(path);
  EXPECT_GT(sink->bytes_formatted(), 10 * JsonlSink::kBufferBytes);
  EXPECT_GE(on_disk + JsonlSink::kBufferBytes, sink->bytes_formatted());
  // The object itself has a fixed size: no per-record state (names are per process, caches per
  // message type and timer).
  EXPECT_LT(sizeof(JsonlSink), 512u);
  ASSERT_TRUE(sink.finish().ok());
  EXPECT_EQ(fs::file_size(path), sink->bytes_formatted());
}

TEST(JsonlSink, KeepsTheFirstWriteErrorAndStopsWriting) {
  // /dev/full accepts the open and fails every write with ENOSPC.
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  auto sink = open_sink("/dev/full");
  ASSERT_NE(sink.sink, nullptr);
  EXPECT_FALSE(sink->failed());
  for (int i = 0; i < 10'000; ++i) sink->on_record(record(i, RecordKind::kPause, 0, kNoNode, 0, 0));
  EXPECT_TRUE(sink->failed());  // seen while the run goes on, not only at the end
  const absl::Status status = sink->flush();
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(std::string(status.message()), std::strerror(ENOSPC)) << status;
  EXPECT_EQ(sink->records_written(), 10'000u);
}

}  // namespace
}  // namespace electsim::sim
