// The fencing checks (issue 9) fed with synthetic records of the shapes the runtime writes:
// tokens_increase, unique_tokens, resource_never_goes_back, no_stale_write_accepted,
// writes_only_while_leading, and the overlap rule with a fenced resource.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/checks/checks.h"
#include "sim/checks/timeline.h"
#include "sim/fencing.h"
#include "sim/trace.h"
#include "sim/trace_records.h"
#include "tests/checks_test_util.h"

namespace electsim::sim::checks {
namespace {

using testing::ms;
using testing::violations_of;

// One group of five, process i on host i; process 5 is the resource (on host 5).
constexpr ProcessId kResource = 5;

std::shared_ptr<const Layout> group_with_resource() {
  Layout layout = Layout::single_group(5);
  const HostId host = layout.add_host();
  layout.add_process(ProcessKind::kResource, host);
  return std::make_shared<const Layout>(std::move(layout));
}

CheckConfig fenced(std::optional<FencingMode> mode) {
  CheckConfig config;
  config.layout = group_with_resource();
  config.fencing = mode;
  return config;
}

// Feeds typed records, in true-time order, to a suite attached to a fresh trace.
class Writes {
 public:
  explicit Writes(const CheckConfig& config) : suite_(config) { suite_.attach(trace_); }

  Writes& at(int64_t time_ms) {
    now_ = ms(time_ms);
    return *this;
  }
  Writes& leader(ProcessId process, uint64_t epoch, uint64_t token) {
    trace_.record(now_, LeaderElected{.process = process, .group = 0, .epoch = epoch,
                                      .token = token, .lease_until_ns = std::nullopt});
    return *this;
  }
  Writes& step_down(ProcessId process, uint64_t epoch) {
    trace_.record(now_, LeaderSteppedDown{.process = process, .group = 0,
                                          .reason = StepDownReason::kHigherEpochSeen,
                                          .epoch = epoch});
    return *this;
  }
  Writes& crash(HostId host) {
    trace_.record(now_, HostCrashed{.host = host});
    return *this;
  }
  Writes& sent(ProcessId writer, uint64_t epoch, uint64_t token) {
    trace_.record(now_, WriteSent{.writer = writer, .resource = kResource, .group = 0,
                                  .token = token, .epoch = epoch, .message = ++messages_});
    return *this;
  }
  Writes& decided(ProcessId writer, uint64_t epoch, uint64_t token, bool accepted) {
    trace_.record(now_, ResourceWritten{.writer = writer, .resource = kResource, .group = 0,
                                        .token = token, .accepted = accepted, .epoch = epoch});
    return *this;
  }
  Writes& accepted(ProcessId writer, uint64_t epoch, uint64_t token) {
    return decided(writer, epoch, token, true);
  }
  Writes& refused(ProcessId writer, uint64_t epoch, uint64_t token) {
    return decided(writer, epoch, token, false);
  }
  CheckResults end(int64_t time_ms) {
    trace_.end(ms(time_ms));
    return suite_.results();
  }
  Trace& trace() { return trace_; }
  CheckSuite& suite() { return suite_; }

 private:
  CheckSuite suite_;
  Trace trace_;
  Instant now_;
  uint64_t messages_ = 0;
};

// ---- tokens_increase ----

TEST(TokensIncrease, AHigherEpochWithAnEqualOrLowerTokenIsAViolation) {
  Writes run(fenced(std::nullopt));
  run.at(100).leader(0, 2, 2).at(200).leader(1, 3, 2).at(300).leader(2, 4, 1);
  const CheckResults results = run.end(1000);
  const auto found = violations_of(results, "tokens_increase");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].time, ms(200));
  EXPECT_EQ(found[0].nodes, (std::vector<NodeId>{1, 0}));
  EXPECT_NE(found[0].detail.find("n2 became leader of epoch 3 with token 2"), std::string::npos)
      << found[0].detail;
  EXPECT_NE(found[0].detail.find("n1 led epoch 2 with token 2"), std::string::npos);
  EXPECT_TRUE(results.safety_violated());
}

TEST(TokensIncrease, IsJudgedByEpochNotByElectionTime) {
  // Correct Raft can elect a term-3 leader after a term-4 one (late votes); tokens still grow
  // with the epoch, so that is no violation. A term-3 token above term 4's is one.
  Writes run(fenced(std::nullopt));
  run.at(100).leader(0, 4, 4).at(200).leader(1, 3, 3);
  EXPECT_TRUE(violations_of(run.end(1000), "tokens_increase").empty());

  Writes bad(fenced(std::nullopt));
  bad.at(100).leader(0, 4, 4).at(200).leader(1, 3, 5);
  const auto found = violations_of(bad.end(1000), "tokens_increase");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].detail.find("n1 led epoch 4 with token 4"), std::string::npos);
}

TEST(TokensIncrease, ReportsEachGroupsTokensInEpochOrder) {
  Writes run(fenced(std::nullopt));
  run.at(100).leader(0, 2, 20).at(200).leader(1, 1, 10).at(300).leader(1, 1, 10)
      .at(400).leader(2, 5, 50);
  const CheckResults results = run.end(1000);
  ASSERT_EQ(results.tokens.size(), 1u);
  EXPECT_EQ(results.tokens[0].group, 0u);
  EXPECT_EQ(results.tokens[0].tokens, (std::vector<uint64_t>{10, 20, 50}));
  EXPECT_EQ(results.tokens[0].omitted, 0u);
  EXPECT_TRUE(results.violations.empty());
}

TEST(TokensIncrease, KeepsTheReportBounded) {
  Writes run(fenced(std::nullopt));
  const uint64_t leaderships = kMaxReportedTokens + 5;
  for (uint64_t epoch = 1; epoch <= leaderships; ++epoch) {
    run.at(static_cast<int64_t>(epoch)).leader(static_cast<ProcessId>(epoch % 5), epoch, epoch);
  }
  const CheckResults results = run.end(100'000);
  ASSERT_EQ(results.tokens.size(), 1u);
  EXPECT_EQ(results.tokens[0].tokens.size(), kMaxReportedTokens);
  EXPECT_EQ(results.tokens[0].omitted, 5u);
  EXPECT_EQ(results.tokens[0].tokens.front(), 6u);  // the latest are kept
  EXPECT_EQ(results.tokens[0].tokens.back(), leaderships);
}

// ---- unique_tokens ----

TEST(UniqueTokens, TwoLeadershipsWithOneTokenAreAViolation) {
  Writes run(fenced(std::nullopt));
  run.at(100).leader(0, 3, 7).at(150).leader(0, 3, 7)  // the same leadership again: fine
      .at(200).leader(1, 4, 7);
  const CheckResults results = run.end(1000);
  const auto found = violations_of(results, "unique_tokens");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(200));
  EXPECT_EQ(found[0].nodes, (std::vector<NodeId>{0, 1}));
  EXPECT_NE(found[0].detail.find("token 7"), std::string::npos) << found[0].detail;
  EXPECT_EQ(violations_of(results, "tokens_increase").size(), 1u);
}

TEST(UniqueTokens, OneProcessReusingATokenInALaterEpochIsAViolationToo) {
  Writes run(fenced(std::nullopt));
  run.at(100).leader(0, 2, 1).at(200).step_down(0, 2).at(300).leader(0, 3, 1);
  EXPECT_EQ(violations_of(run.end(1000), "unique_tokens").size(), 1u);
}

// ---- resource_never_goes_back ----

TEST(ResourceNeverGoesBack, ALowerTokenAcceptedIsAViolationOnceperPair) {
  Writes run(fenced(FencingMode::kOn));
  run.at(100).leader(0, 2, 2).accepted(0, 2, 2).at(200).leader(1, 3, 3).accepted(1, 3, 3)
      .at(300).accepted(0, 2, 2).at(400).accepted(0, 2, 2);
  const CheckResults results = run.end(1000);
  const auto found = violations_of(results, "resource_never_goes_back");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(300));
  EXPECT_NE(found[0].detail.find("must refuse a lower token"), std::string::npos)
      << found[0].detail;
  EXPECT_TRUE(results.safety_violated());
}

TEST(ResourceNeverGoesBack, AnEqualTokenFromAnotherLeadershipIsAViolationOnlyWithOn) {
  for (FencingMode mode : {FencingMode::kOn, FencingMode::kEqualOk}) {
    Writes run(fenced(mode));
    run.at(100).leader(0, 3, 3).accepted(0, 3, 3).at(200).leader(1, 3, 3).accepted(1, 3, 3)
        .at(300).accepted(0, 3, 3);
    const auto found = violations_of(run.end(1000), "resource_never_goes_back");
    EXPECT_EQ(found.size(), mode == FencingMode::kOn ? 1u : 0u) << fencing_mode_name(mode);
  }
}

TEST(ResourceNeverGoesBack, IsNotJudgedWithFencingOff) {
  Writes run(fenced(FencingMode::kOff));
  run.at(100).leader(0, 2, 2).accepted(0, 2, 2).at(200).leader(1, 3, 3).accepted(1, 3, 3)
      .at(300).accepted(0, 2, 2);
  const CheckResults results = run.end(1000);
  EXPECT_TRUE(violations_of(results, "resource_never_goes_back").empty());
  // The stale write is still the damage.
  EXPECT_EQ(violations_of(results, "no_stale_write_accepted").size(), 1u);
}

// ---- no_stale_write_accepted and the write figures ----

TEST(NoStaleWriteAccepted, CountsEveryStaleWriteAndReportsTheFirst) {
  Writes run(fenced(FencingMode::kOff));
  run.at(100).leader(0, 1, 1).sent(0, 1, 1).at(105).accepted(0, 1, 1)
      .at(500).leader(1, 2, 2).sent(1, 2, 2).at(505).accepted(1, 2, 2)
      .at(600).sent(0, 1, 1).at(650).accepted(0, 1, 1)
      .at(700).sent(0, 1, 1).at(750).accepted(0, 1, 1)
      .at(800).sent(1, 2, 2).at(805).refused(1, 2, 2);
  const CheckResults results = run.end(1000);
  ASSERT_TRUE(results.writes.has_value());
  EXPECT_EQ(results.writes->sent, 5u);
  EXPECT_EQ(results.writes->accepted, 4u);
  EXPECT_EQ(results.writes->refused, 1u);
  EXPECT_EQ(results.writes->stale_writes_accepted, 2u);
  ASSERT_TRUE(results.writes->first_stale_write.has_value());
  const StaleWrite& first = *results.writes->first_stale_write;
  EXPECT_EQ(first.writer, 0u);
  EXPECT_EQ(first.time, ms(650));
  EXPECT_EQ(first.token, 1u);
  EXPECT_EQ(first.newer_token, 2u);
  EXPECT_EQ(first.newer_writer, 1u);
  EXPECT_EQ(first.after_newer, Duration::milliseconds(145));
  // One violation for the pair of leaderships, however many writes.
  const auto found = violations_of(results, "no_stale_write_accepted");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(650));
  EXPECT_NE(found[0].detail.find("n1 (epoch 1, token 1)"), std::string::npos) << found[0].detail;
  EXPECT_TRUE(results.safety_violated());
}

TEST(NoStaleWriteAccepted, AnOlderEpochAcceptedFirstIsNoDamage) {
  // The term-3 leader's write lands after the term-4 leader was elected but before the resource
  // accepted anything of term 4: the resource has seen nothing newer, so nothing is stale yet.
  Writes run(fenced(FencingMode::kOn));
  run.at(100).leader(0, 4, 4).at(150).leader(1, 3, 3).accepted(1, 3, 3).at(200).accepted(0, 4, 4);
  const CheckResults results = run.end(1000);
  EXPECT_EQ(results.writes->stale_writes_accepted, 0u);
  EXPECT_TRUE(results.violations.empty());
}

TEST(NoStaleWriteAccepted, OnEqualEpochsTheLaterElectedIsNewer) {
  // Two leaders of one epoch (an amnesia restart): the later one's write makes the earlier
  // one's stale, although an equal-ok resource accepts both.
  Writes run(fenced(FencingMode::kEqualOk));
  run.at(100).leader(0, 3, 3).accepted(0, 3, 3).at(200).leader(1, 3, 3).accepted(1, 3, 3)
      .at(300).accepted(0, 3, 3);
  const CheckResults results = run.end(1000);
  EXPECT_EQ(results.writes->stale_writes_accepted, 1u);
  EXPECT_EQ(violations_of(results, "no_stale_write_accepted").size(), 1u);
  EXPECT_EQ(violations_of(results, "unique_tokens").size(), 1u);
}

TEST(NoStaleWriteAccepted, WithoutAResourceNothingIsMeasured) {
  Writes run(fenced(std::nullopt));
  run.at(100).leader(0, 1, 1);
  const CheckResults results = run.end(1000);
  EXPECT_FALSE(results.writes.has_value());
}

// ---- writes_only_while_leading ----

TEST(WritesOnlyWhileLeading, AWriteAfterSteppingDownIsAViolationOncePerStepDown) {
  Writes run(fenced(FencingMode::kOn));
  run.at(100).leader(0, 1, 1).sent(0, 1, 1).at(200).step_down(0, 1).at(300).sent(0, 1, 1)
      .at(400).sent(0, 1, 1);
  const CheckResults results = run.end(1000);
  const auto found = violations_of(results, "writes_only_while_leading");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(300));
  EXPECT_NE(found[0].detail.find("stopped leading at 200ms"), std::string::npos)
      << found[0].detail;
  EXPECT_EQ(results.writes->sent, 3u);
}

TEST(WritesOnlyWhileLeading, ACrashEndsTheBeliefAndAWrongTokenIsAViolation) {
  Writes crashed(fenced(FencingMode::kOn));
  crashed.at(100).leader(2, 1, 1).at(200).crash(2).at(300).sent(2, 1, 1);
  EXPECT_EQ(violations_of(crashed.end(1000), "writes_only_while_leading").size(), 1u);

  Writes wrong(fenced(FencingMode::kOn));
  wrong.at(100).leader(0, 4, 4).sent(0, 4, 3);
  const auto found = violations_of(wrong.end(1000), "writes_only_while_leading");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].detail.find("while it led epoch 4 with token 4"), std::string::npos);

  Writes never(fenced(FencingMode::kOn));
  never.at(100).sent(3, 1, 1);
  EXPECT_NE(violations_of(never.end(1000), "writes_only_while_leading")[0].detail.find(
                "never led"),
            std::string::npos);
}

// ---- the overlap rule with a fenced resource ----

TEST(FencedOverlaps, AStrictOverlapIsReportedButNoViolationWhenTheResourceFences) {
  for (std::optional<FencingMode> mode :
       {std::optional<FencingMode>(), std::optional(FencingMode::kOff),
        std::optional(FencingMode::kOn), std::optional(FencingMode::kEqualOk)}) {
    CheckConfig config = fenced(mode);
    config.profile.exclusivity = ExclusivityRule::kStrict;
    Writes run(config);
    run.at(100).leader(0, 1, 1).at(200).leader(1, 2, 2).at(300).step_down(0, 1);
    const CheckResults results = run.end(1000);
    ASSERT_EQ(results.overlaps.size(), 1u);
    EXPECT_EQ(results.overlaps[0].duration, Duration::milliseconds(100));
    const bool guarded = mode == FencingMode::kOn || mode == FencingMode::kEqualOk;
    EXPECT_EQ(violations_of(results, "exclusive_leadership").size(), guarded ? 0u : 1u);
    EXPECT_EQ(results.safety_violated(), !guarded);
  }
}

TEST(FencedOverlaps, ABoundedOverlapStaysAViolationWhateverTheFencing) {
  CheckConfig config = fenced(FencingMode::kOn);
  config.profile.exclusivity = ExclusivityRule::kBounded;
  config.profile.exclusivity_bound = Duration::milliseconds(50);
  Writes run(config);
  run.at(100).leader(0, 1, 1).at(200).leader(1, 2, 2).at(400).step_down(0, 1);
  EXPECT_EQ(violations_of(run.end(1000), "bounded_exclusivity").size(), 1u);
}

// ---- the timeline marks ----

TEST(FencedTimeline, MarksTheFirstRefusalOfALeadershipAndEachReportedStaleWrite) {
  Writes run(fenced(FencingMode::kOff));
  LeadershipTimeline timeline;
  timeline.attach(run.trace());
  run.suite().set_violation_observer(&timeline);
  run.at(100).leader(0, 1, 1).accepted(0, 1, 1).at(200).leader(1, 2, 2).accepted(1, 2, 2)
      .at(300).refused(0, 1, 1).at(400).refused(0, 1, 1).at(500).accepted(0, 1, 1)
      .at(600).accepted(0, 1, 1);
  run.end(1000);
  std::vector<std::string> lines;
  for (const auto& entry : timeline.entries()) {
    lines.push_back(LeadershipTimeline::describe(entry));
  }
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "100ms  n1 became leader of epoch 1",
                       "200ms  n2 became leader of epoch 2",
                       "300ms  n1 wrote with token 1 (epoch 1): refused by the resource",
                       "500ms  n1 wrote with token 1 (epoch 1): STALE write accepted after a "
                       "newer leadership's"}));
}

}  // namespace
}  // namespace electsim::sim::checks
