// The runtime's writer (issue 9): leaders write to the fenced resource without perturbing the
// members' runs. Writes draw from their own random stream and the event queue orders ties by
// insertion, so a run with a resource has exactly the leadership records (in the same order, at
// the same times) and the same messages between members as the same run without one.
#include <algorithm>

#include <gtest/gtest.h>

#include "tests/fence_runtime_test_support.h"

namespace electsim::testing {
namespace {

const std::vector<std::string> kLeadershipKinds = {"became_leader", "follows", "stepped_down",
                                                   "leader_lost", "ready"};

bool is_leadership(const Json& record) {
  return std::find(kLeadershipKinds.begin(), kLeadershipKinds.end(),
                   record["kind"].get<std::string>()) != kLeadershipKinds.end();
}

// Messages between members, without their ids (writes take ids from the same counter).
bool is_member_message(const Json& record) {
  const auto kind = record["kind"].get<std::string>();
  if (kind != "send" && kind != "deliver" && kind != "drop" && kind != "duplicate") return false;
  return record["from"].get<std::string>() != "r1" && record["to"].get<std::string>() != "r1";
}

std::vector<Json> leadership(const std::vector<Json>& records) {
  std::vector<Json> out;
  for (const Json& record : records) {
    if (is_leadership(record)) out.push_back(record);
  }
  return out;
}

std::vector<Json> member_messages(const std::vector<Json>& records) {
  std::vector<Json> out;
  for (Json record : records) {
    if (!is_member_message(record)) continue;
    record.erase("message");
    out.push_back(std::move(record));
  }
  return out;
}

struct Case {
  std::string scenario;
  uint64_t seed;
};

class WritesDoNotPerturb : public ::testing::TestWithParam<Case> {};

TEST_P(WritesDoNotPerturb, LeadershipAndMemberMessagesAreThoseOfARunWithoutResource) {
  const Case& c = GetParam();
  const scenarios::Scenario base = load_library(c.scenario);
  // Frequent writes, so that many write events interleave with the members' own.
  const scenarios::Scenario with =
      with_resource(base, scenarios::ResourceSpec{sim::FencingMode::kOn,
                                                  sim::Duration::milliseconds(20)});
  const scenarios::Scenario without = with_resource(base, std::nullopt);
  const TracedRun written = run_traced(with, c.seed);
  const TracedRun plain = run_traced(without, c.seed);

  // The writes happened (or the comparison would prove nothing).
  EXPECT_GT(of_kind(written.records, "write_sent").size(), 10u);
  EXPECT_GT(of_kind(written.records, "resource_write").size(), 10u);
  EXPECT_TRUE(of_kind(plain.records, "write_sent").empty());

  const std::vector<Json> leaders_with = leadership(written.records);
  ASSERT_FALSE(leaders_with.empty());
  EXPECT_EQ(leaders_with, leadership(plain.records));
  EXPECT_EQ(member_messages(written.records), member_messages(plain.records));
  EXPECT_EQ(written.result.verdict, plain.result.verdict);
  EXPECT_EQ(written.result.checks.leader_changes, plain.result.checks.leader_changes);
}

INSTANTIATE_TEST_SUITE_P(
    LibraryScenarios, WritesDoNotPerturb,
    ::testing::Values(Case{"raft-leader-crash", 1}, Case{"raft-leader-crash", 7},
                      Case{"nemesis", 1}, Case{"nemesis", 2}, Case{"nemesis-amnesia", 3},
                      Case{"partial-howard-abraham-1", 1}, Case{"partial-cloudflare-2020", 2}),
    [](const auto& test) {
      std::string name = test.param.scenario + "_" + std::to_string(test.param.seed);
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

}  // namespace
}  // namespace electsim::testing
