// The run report and the run JSON through the real binary: the full timeline, the window around
// a late violation in a brief one, faults named by their shape, typed parameters, the version and
// commit; and the report pieces for internal errors and invalid UTF-8, on results made by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/json_report.h"
#include "reports/text_report.h"
#include "tests/cli_test_support.h"

namespace electsim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::read_text;
using testing::run_electsim;
using testing::source_path;
using testing::temp_dir;

// docs/FAULTS.md: seed 23 of the amnesia nemesis elects two leaders of epoch 33 at 62.957s, long
// after the brief timeline's head.
const std::string kAmnesia = source_path("scenarios/library/nemesis-amnesia.yaml");
const std::string kLeaderCrash = source_path("scenarios/library/raft-leader-crash.yaml");

// The trace records that make timeline entries: leadership, crashes, restarts, pauses, the
// start and end of every fault that is not a process fault (crash, amnesia_crash, restart and
// pause are shown by their own records), the first refused write of each run of refusals of one
// leadership, and the stale write each no_stale_write_accepted violation reports.
uint64_t timeline_records_in_trace(const std::filesystem::path& trace_path) {
  std::ifstream in(trace_path);
  uint64_t count = 0;
  nlohmann::json last_refused;  // the writer and epoch of the refusal marked last
  for (std::string line; std::getline(in, line);) {
    const auto record = nlohmann::json::parse(line);
    const std::string kind = record["kind"];
    if (kind == "resource_write" && record["accepted"] == false) {
      const nlohmann::json leadership = {record["writer"], record["epoch"]};
      if (leadership != last_refused) ++count;
      last_refused = leadership;
    } else if (kind == "violation" && record["check"] == "no_stale_write_accepted") {
      ++count;
    } else if (kind == "became_leader" || kind == "stepped_down" || kind == "crash" ||
        kind == "restart" || kind == "pause" || kind == "resume") {
      ++count;
    } else if (kind == "fault_start" || kind == "fault_end") {
      const std::string fault = record["fault"];
      if (fault != "crash" && fault != "amnesia_crash" && fault != "restart" && fault != "pause") {
        ++count;
      }
    }
  }
  return count;
}

// The lines of the report between the timeline heading and the blank line after it.
std::vector<std::string> timeline_lines(const std::string& report) {
  std::vector<std::string> lines;
  const size_t start = report.find("leadership timeline");
  if (start == std::string::npos) return lines;
  const size_t end = report.find("\n\n", start);
  std::istringstream in(report.substr(start, end - start));
  std::string line;
  std::getline(in, line);  // the heading
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

TEST(RunReport, FullTimelineShowsEveryEntryOfTheTrace) {
  const auto dir = temp_dir("report-full");
  const auto trace = dir / "trace.jsonl";
  const auto json_path = dir / "run.json";
  const auto result = run_electsim("run " + kAmnesia + " --seed 23 --timeline full --trace " +
                                       trace.string() + " --json " + json_path.string(),
                                   dir);
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const uint64_t expected = timeline_records_in_trace(trace);
  ASSERT_GT(expected, 100u);  // long enough that a brief timeline would cut it
  const auto json = nlohmann::json::parse(read_text(json_path));
  EXPECT_EQ(json["timeline"].size(), expected);
  EXPECT_EQ(json["timeline_omitted"], 0);
  EXPECT_THAT(result.out, HasSubstr("leadership timeline (full):"));
  EXPECT_THAT(result.out, Not(HasSubstr("entries omitted")));
  uint64_t entry_lines = 0;
  for (const std::string& line : timeline_lines(result.out)) {
    if (line.find(">>>") == std::string::npos) ++entry_lines;
  }
  EXPECT_EQ(entry_lines, expected);
}

TEST(RunReport, BriefTimelineShowsTheEntriesAroundALateViolation) {
  const auto dir = temp_dir("report-window");
  const auto json_path = dir / "run.json";
  // Seed 2's only violation: a leader elected at 44.742s without an entry committed before it.
  const auto result =
      run_electsim("run " + kAmnesia + " --seed 2 --json " + json_path.string(), dir);
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const std::vector<std::string> lines = timeline_lines(result.out);
  // The head, a gap, then the violation marked between the entries before and after it.
  size_t marker = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(">>>") != std::string::npos) {
      marker = i;
      break;
    }
  }
  ASSERT_LT(marker, lines.size()) << result.out;
  EXPECT_THAT(lines[marker], HasSubstr("44.742s  VIOLATION leader_completeness"));
  ASSERT_GE(marker, 21u) << result.out;
  EXPECT_THAT(lines[20], HasSubstr("entries omitted"));
  // The marker follows the claim that revealed it, and entries after it follow without a gap.
  EXPECT_THAT(lines[marker - 1], HasSubstr("44.742s  n5 became leader of epoch 23"));
  ASSERT_GT(lines.size(), marker + 1);
  EXPECT_THAT(lines[marker + 1], Not(HasSubstr("entries omitted")));
  EXPECT_LT(lines.size(), 60u);  // brief: the head and a window, not the whole run
  // The JSON keeps the same entries, with positions that show the gap.
  const auto json = nlohmann::json::parse(read_text(json_path));
  const auto& timeline = json["timeline"];
  ASSERT_GT(timeline.size(), 21u);
  EXPECT_EQ(timeline[19]["position"], 19);
  EXPECT_GT(timeline[20]["position"].get<uint64_t>(), 20u);
  EXPECT_GT(json["timeline_omitted"].get<uint64_t>(), 0u);
}

TEST(RunReport, ABridgePartitionReadsAsTheBridge) {
  const auto dir = temp_dir("report-bridge");
  const auto scenario = dir / "bridge.yaml";
  std::ofstream(scenario) << "version: 1\n"
                             "name: bridge\n"
                             "cluster: {nodes: 5}\n"
                             "algorithm: {name: raft}\n"
                             "duration: 20s\n"
                             "faults:\n"
                             "  - {at: 5s, heal_after: 5s,\n"
                             "     partition: {bridge: n3, groups: [[n1, n2], [n4, n5]]}}\n"
                             "checks: {recovery_within: 3s}\n";
  const auto result = run_electsim("run " + scenario.string() + " --seed 1", dir);
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  EXPECT_THAT(result.out,
              HasSubstr("partition bridge: n3 sees both {n1,n2} and {n4,n5}, which cannot "
                        "reach each other for 5s"));
  EXPECT_THAT(result.out,
              HasSubstr("fault: partition bridge: n3 sees both {n1,n2} and {n4,n5}"));
  EXPECT_THAT(result.out, HasSubstr("fault ended: partition bridge n3"));
  EXPECT_THAT(result.out, Not(HasSubstr("cutting link")));
}

TEST(RunReport, JsonCarriesTypedParamsVersionAndCommit) {
  const auto dir = temp_dir("report-json");
  const auto json_path = dir / "run.json";
  const auto result = run_electsim(
      "run " + kLeaderCrash + " --seed 2 --quiet --json " + json_path.string(), dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(read_text(json_path));
  const auto& params = json["params"];
  EXPECT_EQ(params["pre_vote"], true);
  EXPECT_EQ(params["check_quorum"], true);
  EXPECT_EQ(params["election_timeout_ns"], nlohmann::json::array({150'000'000, 300'000'000}));
  EXPECT_EQ(params["heartbeat_interval_ns"], 75'000'000);
  for (const auto& [key, value] : params.items()) {
    EXPECT_FALSE(value.is_string()) << key << " is still a string: " << value;
  }
  EXPECT_EQ(json["electsim_version"], ELECTSIM_VERSION);
  const std::string commit = json["electsim_commit"];
  EXPECT_FALSE(commit.empty());
  // The same commit `--version` names.
  const auto version = run_electsim("--version", dir);
  EXPECT_THAT(version.out, HasSubstr("(commit " + commit + ")"));
  EXPECT_TRUE(json["error"].is_null());
  EXPECT_TRUE(json["error_time_ns"].is_null());
}

reports::RunResult stopped_run(reports::Verdict verdict) {
  reports::RunResult run;
  run.scenario = "hand-made";
  run.verdict = verdict;
  run.error = "algorithms/raft/raft.cc:120: check failed: term went backwards";
  run.error_time = sim::Instant::zero() + sim::Duration::milliseconds(1500);
  run.reproduce = "electsim run s.yaml --seed 7";
  return run;
}

TEST(RunReport, AnInternalErrorIsShownWithItsMessageAndTime) {
  const reports::RunResult run = stopped_run(reports::Verdict::kInternalError);
  const std::string text = reports::run_to_text(run, reports::RunTextOptions{});
  EXPECT_THAT(text, HasSubstr("internal error at 1.500s (true time): "
                              "algorithms/raft/raft.cc:120: check failed: term went backwards\n"));
  EXPECT_THAT(text, HasSubstr("verdict     internal_error\n"));
  const auto json = reports::run_to_json(run);
  EXPECT_EQ(json["verdict"], "internal_error");
  EXPECT_EQ(json["error"], run.error);
  EXPECT_EQ(json["error_time_ns"], 1'500'000'000);
}

TEST(RunReport, ABudgetExceededVerdictIsShownWithItsMessage) {
  reports::RunResult run = stopped_run(reports::Verdict::kBudgetExceeded);
  run.error = "this scenario would need more than 1000 events; the smallest timer is 2ns";
  const std::string text = reports::run_to_text(run, reports::RunTextOptions{});
  EXPECT_THAT(text,
              HasSubstr("budget exceeded at 1.500s (true time): this scenario would need"));
  EXPECT_THAT(text, HasSubstr("verdict     budget_exceeded\n"));
}

TEST(RunReport, AFullTimelineThatHitItsCapSaysSo) {
  reports::RunResult run;
  run.timeline_full = true;
  run.timeline_limit = 2;
  for (uint64_t i = 0; i < 2; ++i) {
    run.timeline.push_back(reports::TimelineEntry{
        sim::Instant::zero() + sim::Duration::milliseconds(static_cast<int64_t>(i)),
        "n1 became leader", i});
  }
  run.timeline_omitted = 5;
  const std::string text = reports::run_to_text(run, reports::RunTextOptions{});
  EXPECT_THAT(text, HasSubstr("leadership timeline (full):\n"));
  EXPECT_THAT(text, HasSubstr("  ... and 5 more, not kept: the full timeline stops at 2 "
                              "entries (--trace FILE records everything)\n"));
}

TEST(RunReport, JsonSurvivesInvalidUtf8) {
  reports::RunResult run;
  run.scenario = "bad \xff\xfe name";
  run.params.push_back(reports::RunParam{"note", int64_t{3}, "3"});
  const auto json = reports::run_to_json(run);
  std::string text;
  ASSERT_NO_THROW(text = reports::json_text(json, 2));
  // U+FFFD for each bad byte.
  EXPECT_THAT(text, HasSubstr("bad \xEF\xBF\xBD\xEF\xBF\xBD name"));
  run.seed = 1;
  reports::SweepSummary summary("bad \xff name", "raft", {"--set name=\xff"}, 1, 1);
  summary.add(run);
  ASSERT_NO_THROW(text = reports::sweep_json_opening(summary) +
                         reports::sweep_json_run(run, /*first=*/true) +
                         reports::sweep_json_closing(summary, /*any_runs=*/true));
  EXPECT_THAT(text, HasSubstr("bad \xEF\xBF\xBD name"));
  EXPECT_THAT(text, HasSubstr("bad \xEF\xBF\xBD\xEF\xBF\xBD name"));
  EXPECT_TRUE(nlohmann::json::accept(text));
}

}  // namespace
}  // namespace electsim
