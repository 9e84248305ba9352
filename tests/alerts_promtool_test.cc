// docs/alerts.rules.yml (issue 13, acceptance 3): `promtool check rules` accepts it, and
// `promtool test rules tests/data/alerts_rules_test.yml` shows each rule firing on series shaped
// like electsim's --metrics output and staying silent where the scenario rule would too.
#include <string>

#include <gtest/gtest.h>

#include "tests/cli_test_support.h"
#include "tests/metrics_promtool_support.h"

namespace electsim::testing {
namespace {

TEST(AlertsPromtool, TheRulesFilePassesPromtoolCheckRules) {
  ASSERT_TRUE(promtool_installed()) << kPromtoolMissing;
  const CommandResult check =
      run_shell("promtool check rules docs/alerts.rules.yml", temp_dir("alerts-check-rules"));
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("SUCCESS: 2 rules found"), std::string::npos) << check.out;
}

TEST(AlertsPromtool, EachRuleFiresOnSeriesLikeElectsims) {
  ASSERT_TRUE(promtool_installed()) << kPromtoolMissing;
  const CommandResult test = run_shell("promtool test rules tests/data/alerts_rules_test.yml",
                                       temp_dir("alerts-test-rules"));
  EXPECT_EQ(test.exit_code, 0) << test.out << test.err;
  EXPECT_NE(test.out.find("SUCCESS"), std::string::npos) << test.out;
}

// The rules file names the scenario key each rule mirrors, and the metrics it reads exist.
TEST(AlertsPromtool, EachRuleNamesItsScenarioKey) {
  const std::string rules = read_text(source_path("docs/alerts.rules.yml"));
  for (const char* text : {"alerts.leader_changes: {more_than: 3, within: 1m}",
                           "alerts.leaderless_longer_than: 5s", "electsim_leader_changes_total",
                           "electsim_is_leader", "for: 5s", "[1m])) > 3"}) {
    EXPECT_NE(rules.find(text), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace electsim::testing
