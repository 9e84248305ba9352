// The fencing figures in the reports (issue 9): a run's text and JSON, with and without a
// resource, and the sweep's totals of writes and damage.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/json_report.h"
#include "reports/sweep_summary.h"
#include "reports/sweep_text.h"
#include "reports/text_report.h"
#include "sim/layout.h"

namespace electsim::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

sim::Instant at_ms(int64_t ms) { return sim::Instant::zero() + sim::Duration::milliseconds(ms); }

RunResult run_without_resource(uint64_t seed = 1) {
  RunResult run;
  run.scenario = "s";
  run.seed = seed;
  run.checks.layout = std::make_shared<const sim::Layout>(sim::Layout::single_group(5));
  run.checks.tokens.push_back(sim::checks::GroupTokens{0, {1, 2, 4}, 0});
  return run;
}

RunResult run_with_damage(uint64_t seed = 1, uint64_t damage = 3) {
  RunResult run = run_without_resource(seed);
  sim::checks::WriteFigures writes;
  writes.sent = 12;
  writes.accepted = 10;
  writes.refused = 2;
  writes.stale_writes_accepted = damage;
  if (damage > 0) {
    writes.first_stale_write = sim::checks::StaleWrite{
        0, 0, 1, 1, at_ms(650), 1, 2, 2, sim::Duration::milliseconds(145)};
  }
  run.checks.writes = writes;
  return run;
}

TEST(FenceReport, WithoutAResourceWritesAreNullAndTheTextSaysNotMeasured) {
  const RunResult run = run_without_resource();
  const Json json = Json::parse(json_text(run_to_json(run)));
  EXPECT_TRUE(json["writes"].is_null());
  EXPECT_TRUE(json["stale_writes_accepted"].is_null());
  EXPECT_TRUE(json["first_stale_write"].is_null());
  EXPECT_EQ(json["tokens"], Json::parse(R"({"g1": [1, 2, 4]})"));
  const std::string text = run_to_text(run, RunTextOptions{});
  EXPECT_THAT(text, HasSubstr("writes    not measured (the scenario has no resource)\n"));
  EXPECT_THAT(text, HasSubstr("tokens    1 2 4   (by epoch)\n"));
  EXPECT_THAT(text, Not(HasSubstr("stale writes accepted")));
}

TEST(FenceReport, WithAResourceTheWritesAndTheFirstStaleWriteAreReported) {
  const RunResult run = run_with_damage();
  const Json json = Json::parse(json_text(run_to_json(run)));
  EXPECT_EQ(json["writes"], Json::parse(R"({"sent": 12, "accepted": 10, "refused": 2})"));
  EXPECT_EQ(json["stale_writes_accepted"], 3);
  const Json& first = json["first_stale_write"];
  EXPECT_EQ(first["writer"], "n1");
  EXPECT_EQ(first["time_ns"], 650'000'000);
  EXPECT_EQ(first["token"], 1);
  EXPECT_EQ(first["newer_token"], 2);
  EXPECT_EQ(first["after_newer_ns"], 145'000'000);
  const std::string text = run_to_text(run, RunTextOptions{});
  EXPECT_THAT(text, HasSubstr("writes    12 sent, 10 accepted, 2 refused; 3 stale writes "
                              "accepted (the damage)\n"));
  EXPECT_THAT(text, HasSubstr("first stale write: n1 with token 1 at 650ms, 145.0ms after the "
                              "newer token 2 was first accepted\n"));
}

TEST(FenceReport, WithSeveralGroupsTheTokensAreOnlyInTheGroupsObject) {
  RunResult run = run_with_damage(1, 0);
  sim::Layout layout;
  for (int host = 0; host < 3; ++host) layout.add_host();
  for (int group = 0; group < 2; ++group) {
    const sim::GroupId id = layout.add_group();
    for (sim::HostId host = 0; host < 3; ++host) {
      layout.add_process(sim::ProcessKind::kMember, host, id);
    }
  }
  run.checks.layout = std::make_shared<const sim::Layout>(std::move(layout));
  run.checks.groups = sim::checks::GroupFigures{};
  run.checks.tokens.push_back(sim::checks::GroupTokens{1, {3}, 7});
  run.checks.token_groups_omitted = 4;
  const Json json = Json::parse(json_text(run_to_json(run)));
  EXPECT_FALSE(json.contains("tokens"));
  EXPECT_EQ(json["groups"]["tokens"], Json::parse(R"({"g1": [1, 2, 4], "g2": [3]})"));
  EXPECT_EQ(json["groups"]["tokens_omitted"], Json::parse(R"({"g2": 7})"));
  EXPECT_EQ(json["groups"]["token_groups_omitted"], 4);
  EXPECT_EQ(json["stale_writes_accepted"], 0);
}

TEST(FenceReport, TheSweepTotalsTheWritesAndTheDamageWithItsSeeds) {
  SweepSummary summary("s", "raft", {}, 1, 3);
  summary.add(run_with_damage(1, 0));
  summary.add(run_with_damage(2, 3));
  summary.add(run_with_damage(3, 1));
  EXPECT_TRUE(summary.writes_measured());
  EXPECT_EQ(summary.writes_accepted(), 30u);
  EXPECT_EQ(summary.stale_writes_accepted(), 4u);
  EXPECT_EQ(summary.damaged_seeds(), (std::vector<uint64_t>{2, 3}));
  const Json closing = Json::parse("{" + sweep_json_closing(summary, false).substr(2));
  EXPECT_EQ(closing["writes_accepted"], 30);
  EXPECT_EQ(closing["stale_writes_accepted"], 4);
  EXPECT_EQ(closing["damaged_seeds"], Json::parse("[2, 3]"));
  EXPECT_EQ(closing["damaged_seed_count"], 2);
  EXPECT_THAT(sweep_to_text(summary, SweepTextOptions{}),
              HasSubstr("writes: 30 accepted; damage: 4 stale writes accepted in 2 seeds "
                        "(2, 3)\n"));
}

TEST(FenceReport, ASweepWithoutAResourceSaysTheWritesWereNotMeasured) {
  SweepSummary summary("s", "raft", {}, 1, 1);
  summary.add(run_without_resource());
  EXPECT_FALSE(summary.writes_measured());
  const Json closing = Json::parse("{" + sweep_json_closing(summary, false).substr(2));
  EXPECT_TRUE(closing["writes_accepted"].is_null());
  EXPECT_TRUE(closing["stale_writes_accepted"].is_null());
  EXPECT_THAT(sweep_to_text(summary, SweepTextOptions{}),
              HasSubstr("writes: not measured (the scenario has no resource)\n"));
}

}  // namespace
}  // namespace electsim::reports
