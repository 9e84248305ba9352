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
#include "sim/world.h"
#include "tests/sim_test_support.h"

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

// One record of every kind, and the object each must become (from the table in jsonl_sink.h).
TEST(JsonlSink, EveryKindHasItsKeys) {
  const fs::path path = test_directory() / "trace.jsonl";
  auto sink = open_sink(path);
  ASSERT_NE(sink.sink, nullptr);
  const std::vector<std::pair<TraceRecord, json>> cases = {
      {record(5, RecordKind::kSend, 0, 1, 2, 17),
       {{"t_ns", 5}, {"kind", "send"}, {"node", "n1"}, {"peer", "n2"}, {"type", 2}, {"message", 17}}},
      {record(6, RecordKind::kDeliver, 1, 0, 2, 17),
       {{"t_ns", 6}, {"kind", "deliver"}, {"node", "n2"}, {"peer", "n1"}, {"type", 2}, {"message", 17}}},
      {record(7, RecordKind::kDrop, 1, 0, static_cast<uint64_t>(DropReason::kNodeDown), 18),
       {{"t_ns", 7}, {"kind", "drop"}, {"node", "n2"}, {"peer", "n1"}, {"reason", "node_down"},
        {"message", 18}}},
      {record(8, RecordKind::kDuplicate, 1, 0, 0, 19),
       {{"t_ns", 8}, {"kind", "duplicate"}, {"node", "n2"}, {"peer", "n1"}, {"type", 0},
        {"message", 19}}},
      {record(9, RecordKind::kTimer, 2, kNoNode, 3, 123'456),
       {{"t_ns", 9}, {"kind", "timer"}, {"node", "n3"}, {"peer", nullptr}, {"timer", 3},
        {"local_ns", 123'456}}},
      {record(10, RecordKind::kCrash, 0, kNoNode, 0, 0),
       {{"t_ns", 10}, {"kind", "crash"}, {"node", "n1"}, {"peer", nullptr}}},
      {record(11, RecordKind::kRestart, 0, kNoNode, 1, 0),
       {{"t_ns", 11}, {"kind", "restart"}, {"node", "n1"}, {"peer", nullptr}, {"amnesia", true}}},
      {record(12, RecordKind::kPause, 4, kNoNode, 0, 0),
       {{"t_ns", 12}, {"kind", "pause"}, {"node", "n5"}, {"peer", nullptr}}},
      {record(13, RecordKind::kResume, 4, kNoNode, 3, 0),
       {{"t_ns", 13}, {"kind", "resume"}, {"node", "n5"}, {"peer", nullptr}, {"inbox", 3}}},
      {record(14, RecordKind::kClockChange, 0, kNoNode,
              static_cast<uint64_t>(ClockChange::kDriftPpm), static_cast<uint64_t>(int64_t{-100})),
       {{"t_ns", 14}, {"kind", "clock_change"}, {"node", "n1"}, {"peer", nullptr},
        {"change", "drift"}, {"drift_ppm", -100}}},
      {record(15, RecordKind::kClockChange, 0, kNoNode, static_cast<uint64_t>(ClockChange::kOffset),
              5'000'000),
       {{"t_ns", 15}, {"kind", "clock_change"}, {"node", "n1"}, {"peer", nullptr},
        {"change", "offset"}, {"offset_ns", 5'000'000}}},
      {record(16, RecordKind::kClockChange, 0, kNoNode, static_cast<uint64_t>(ClockChange::kJump),
              static_cast<uint64_t>(int64_t{-30'000'000})),
       {{"t_ns", 16}, {"kind", "clock_change"}, {"node", "n1"}, {"peer", nullptr},
        {"change", "jump"}, {"jump_ns", -30'000'000}}},
      {record(17, RecordKind::kLinkChange, 0, 2, 0, 0),
       {{"t_ns", 17}, {"kind", "link_change"}, {"node", "n1"}, {"peer", "n3"}, {"up", false}}},
      {record(18, RecordKind::kBecameLeader, 1, kNoNode, 4, 40),
       {{"t_ns", 18}, {"kind", "became_leader"}, {"node", "n2"}, {"peer", nullptr}, {"epoch", 4},
        {"token", 40}}},
      {record(19, RecordKind::kFollows, 2, 1, 4, 0),
       {{"t_ns", 19}, {"kind", "follows"}, {"node", "n3"}, {"peer", "n2"}, {"leader", "n2"},
        {"epoch", 4}}},
      {record(20, RecordKind::kSteppedDown, 1, kNoNode,
              static_cast<uint64_t>(StepDownReason::kQuorumLost), 4),
       {{"t_ns", 20}, {"kind", "stepped_down"}, {"node", "n2"}, {"peer", nullptr},
        {"reason", "quorum_lost"}, {"epoch", 4}}},
      {record(21, RecordKind::kFaultStart, kNoNode, kNoNode, 2, 4),
       {{"t_ns", 21}, {"kind", "fault_start"}, {"node", nullptr}, {"peer", nullptr}, {"fault", 2},
        {"code", 4}}},
      {record(22, RecordKind::kFaultEnd, kNoNode, kNoNode, 2, 4),
       {{"t_ns", 22}, {"kind", "fault_end"}, {"node", nullptr}, {"peer", nullptr}, {"fault", 2},
        {"code", 4}}},
      {record(23, RecordKind::kResourceWrite, 1, kNoNode, 40, 1),
       {{"t_ns", 23}, {"kind", "resource_write"}, {"node", "n2"}, {"peer", nullptr}, {"token", 40},
        {"accepted", true}}},
      {record(24, RecordKind::kPersist, 1, kNoNode, 3, 0),
       {{"t_ns", 24}, {"kind", "persist"}, {"node", "n2"}, {"peer", nullptr}, {"words", 3}}},
      {record(25, RecordKind::kReady, 1, kNoNode, 4, 0),
       {{"t_ns", 25}, {"kind", "ready"}, {"node", "n2"}, {"peer", nullptr}, {"epoch", 4}}},
      {record(26, RecordKind::kLeaderLost, 1, kNoNode,
              static_cast<uint64_t>(LeaderLostReason::kElectionTimeout), 4),
       {{"t_ns", 26}, {"kind", "leader_lost"}, {"node", "n2"}, {"peer", nullptr},
        {"reason", "election_timeout"}, {"epoch", 4}}},
      // The extremes of every numeric field still fit in a line.
      {record(INT64_MAX, RecordKind::kSend, 4'294'967'294u, 4'294'967'294u, UINT64_MAX, UINT64_MAX),
       {{"t_ns", INT64_MAX}, {"kind", "send"}, {"node", "n4294967295"}, {"peer", "n4294967295"},
        {"type", UINT64_MAX}, {"message", UINT64_MAX}}},
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
    ASSERT_EQ(lines[i]["node"], r.node == kNoNode ? json(nullptr) : json(absl::StrCat("n", r.node + 1)));
    ASSERT_EQ(lines[i]["peer"], r.peer == kNoNode ? json(nullptr) : json(absl::StrCat("n", r.peer + 1)));
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
  // The object itself has a fixed size: no per-record state.
  EXPECT_LT(sizeof(JsonlSink), 256u);
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
