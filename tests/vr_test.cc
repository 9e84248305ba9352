// Viewstamped Replication's view change, one rule per test, named after the rule and its
// section of Liskov & Cowling, "Viewstamped Replication Revisited" (MIT-CSAIL-TR-2012-021).
// Five replicas (f = 2) unless a test says otherwise; n1 is member 0.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "algorithms/vr/vr.h"
#include "tests/vr_recording_context.h"

namespace electsim::algorithms::vr {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using electsim::testing::RecordingContext;
using Context = RecordingContext<VrMessage>;

Context context_for(sim::ProcessId self) { return Context(self, 5, sim::families::kVr); }

template <class Typed>
void deliver(Vr& vr, Context& context, sim::ProcessId from, const Typed& message) {
  electsim::testing::deliver(vr, context, from, message);
}

// Brings replica `self` into view-change status for `view` with StartViewChange from `from`.
void join_view_change(Vr& vr, Context& context, uint64_t view,
                      std::initializer_list<sim::ProcessId> from) {
  for (sim::ProcessId sender : from) deliver(vr, context, sender, StartViewChange{view});
}

TEST(VrViewChange, PrimaryIsChosenRoundRobinByViewNumber_4) {
  Vr vr{VrOptions{}};
  Context context = context_for(1);
  vr.on_start(context, nullptr);
  EXPECT_EQ(vr.primary_of(0), 0u);
  EXPECT_EQ(vr.primary_of(1), 1u);
  EXPECT_EQ(vr.primary_of(5), 0u);
  EXPECT_EQ(vr.primary_of(7), 2u);
}

TEST(VrViewChange, InitialPrimaryLeadsViewZeroAndAppendsANoop_4) {
  Vr vr{VrOptions{}};
  Context context = context_for(0);
  vr.on_start(context, nullptr);
  ASSERT_EQ(context.elected.size(), 1u);
  EXPECT_EQ(context.elected[0].epoch, 0u);
  EXPECT_EQ(context.elected[0].log_end, (sim::LogPosition{0, 0}));  // before its no-op
  EXPECT_EQ(vr.log().op_number(), 1u);
  const auto prepares = context.sent_of<Prepare>();
  ASSERT_EQ(prepares.size(), 4u);
  EXPECT_EQ(prepares[0].second.count, 1u);
  EXPECT_EQ(prepares[0].second.prev_op, 0u);
}

TEST(VrViewChange, BackupThatHearsNoPrimaryStartsAViewChange_4_2_Step1) {
  Vr vr{VrOptions{}};
  Context context = context_for(2);
  vr.on_start(context, nullptr);
  deliver(vr, context, 0, Commit{0, 0});
  EXPECT_THAT(context.take_reports(), ElementsAre("follows n1 0"));
  context.take_sent();
  vr.on_timer(context, Vr::kViewChangeTimer);
  EXPECT_EQ(vr.view(), 1u);
  EXPECT_EQ(vr.status(), VrStatus::kViewChange);
  EXPECT_THAT(context.take_reports(), ElementsAre("leader_lost election_timeout"));
  const auto sent = context.sent_of<StartViewChange>();
  ASSERT_EQ(sent.size(), 4u);
  for (const auto& [to, message] : sent) EXPECT_EQ(message.view, 1u);
}

TEST(VrViewChange, StartViewChangeForALaterViewIsJoined_4_2_Step1) {
  Vr vr{VrOptions{}};
  Context context = context_for(2);
  vr.on_start(context, nullptr);
  deliver(vr, context, 4, StartViewChange{3});
  EXPECT_EQ(vr.view(), 3u);
  EXPECT_EQ(vr.status(), VrStatus::kViewChange);
  EXPECT_EQ(context.sent_of<StartViewChange>().size(), 4u);
}

TEST(VrViewChange, DoViewChangeGoesToTheNewPrimaryAfterFPlusOneStartViewChange_4_2_Step2) {
  Vr vr{VrOptions{}};
  Context context = context_for(3);
  vr.on_start(context, nullptr);
  join_view_change(vr, context, 1, {4});  // itself and n5: 2 of the f+1 = 3
  EXPECT_THAT(context.sent_of<DoViewChange>(), IsEmpty());
  EXPECT_THAT(context.supported, IsEmpty());
  join_view_change(vr, context, 1, {0});
  const auto sent = context.sent_of<DoViewChange>();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].first, 1u);  // view 1's primary is n2
  EXPECT_EQ(sent[0].second.view, 1u);
  ASSERT_EQ(context.supported.size(), 1u);
  EXPECT_EQ(context.supported[0].candidate, 1u);
  EXPECT_EQ(context.supported[0].epoch, 1u);
  EXPECT_EQ(context.supported[0].kind, sim::SupportKind::kDoViewChange);
}

TEST(VrViewChange, NewPrimaryWaitsForFPlusOneDoViewChangeIncludingItsOwn_4_2_Step3) {
  Vr vr{VrOptions{}};
  Context context = context_for(1);
  vr.on_start(context, nullptr);
  join_view_change(vr, context, 1, {2, 3});  // its own DoViewChange now counts
  ASSERT_EQ(context.supported.size(), 1u);
  deliver(vr, context, 2, DoViewChange{1, 0, 0, 0, 0});
  EXPECT_THAT(context.elected, IsEmpty());  // two of three
  deliver(vr, context, 3, DoViewChange{1, 0, 0, 0, 0});
  ASSERT_EQ(context.elected.size(), 1u);
  EXPECT_EQ(context.elected[0].epoch, 1u);
  EXPECT_EQ(context.elected[0].token, 1u);
  EXPECT_TRUE(vr.leading());
  EXPECT_EQ(context.sent_of<StartView>().size(), 4u);
}

TEST(VrViewChange, NewPrimaryTakesTheLogWithTheLargestLastNormalViewThenOpNumber_4_2_Step3) {
  Vr vr{VrOptions{}};
  Context context = context_for(4);  // view 4's primary is n5
  vr.on_start(context, nullptr);
  join_view_change(vr, context, 4, {0, 1});
  deliver(vr, context, 0, DoViewChange{4, 2, 9, 1, 2});  // longer, but an older normal view
  deliver(vr, context, 1, DoViewChange{4, 3, 3, 2, 3});
  const auto requests = context.sent_of<GetState>();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].first, 1u);  // n2's log: last normal view 3 beats 2
  EXPECT_THAT(context.elected, IsEmpty());  // not before it holds the chosen log
  deliver(vr, context, 1, NewState{4, 0, 0, 3, 3});
  ASSERT_EQ(context.elected.size(), 1u);
  EXPECT_EQ(context.elected[0].log_end, (sim::LogPosition{3, 3}));
  // The largest commit-number of the DoViewChange messages is committed, then its no-op follows.
  EXPECT_THAT(context.committed, ElementsAre(sim::LogPosition{3, 2}));
  EXPECT_EQ(vr.log().op_number(), 4u);
  EXPECT_EQ(vr.log().last_view(), 4u);
}

TEST(VrViewChange, BackupAdoptsTheStartViewAndAcknowledges_4_2_Step4) {
  Vr vr{VrOptions{}};
  Context context = context_for(2);
  vr.on_start(context, nullptr);
  join_view_change(vr, context, 1, {3});
  context.take_sent();
  deliver(vr, context, 1, StartView{1, 0, 0, 0});
  EXPECT_EQ(vr.status(), VrStatus::kNormal);
  EXPECT_EQ(vr.last_normal_view(), 1u);
  EXPECT_THAT(context.take_reports(), ElementsAre("follows n2 1"));
  ASSERT_EQ(context.sent_of<PrepareOk>().size(), 1u);
  context.take_sent();
  deliver(vr, context, 1, Prepare{1, 0, 1, 0, 1});
  EXPECT_EQ(vr.log().op_number(), 1u);
  const auto acks = context.sent_of<PrepareOk>();
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].second.op_number, 1u);
}

TEST(VrViewChange, BackupFetchesADifferentStartViewLogAndInstallsItWhole_4_2_Step4_5_2) {
  Vr vr{VrOptions{}};
  Context context = context_for(2);
  vr.on_start(context, nullptr);
  deliver(vr, context, 0, Prepare{0, 0, 0, 0, 2});  // ops 1 and 2 of view 0, op 1 committed
  deliver(vr, context, 0, Commit{0, 1});
  join_view_change(vr, context, 1, {3});
  context.take_sent();
  deliver(vr, context, 1, StartView{1, 2, 1, 1});  // the new log's op 2 is of view 1
  // Until it holds the new log it keeps its old one: to a view change it never got the StartView.
  EXPECT_EQ(vr.status(), VrStatus::kTransfer);
  EXPECT_EQ(vr.log().view_at(2), 0u);
  EXPECT_EQ(vr.last_normal_view(), 0u);
  const auto requests = context.sent_of<GetState>();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].second.from_op, 1u);  // after its committed prefix
  deliver(vr, context, 1, NewState{1, 1, 0, 1, 1});
  EXPECT_EQ(vr.status(), VrStatus::kNormal);
  EXPECT_EQ(vr.last_normal_view(), 1u);
  EXPECT_EQ(vr.log().op_number(), 2u);
  EXPECT_EQ(vr.log().view_at(2), 1u);
  EXPECT_EQ(context.sent_of<PrepareOk>().back().second.op_number, 2u);
}

TEST(VrViewChange, BackupThatMissedTheStartViewFetchesTheLogFirst_5_2) {
  Vr vr{VrOptions{}};
  Context context = context_for(2);
  vr.on_start(context, nullptr);
  deliver(vr, context, 1, Commit{1, 0});  // view 1 runs; this backup never got its StartView
  EXPECT_EQ(vr.view(), 1u);
  EXPECT_EQ(vr.status(), VrStatus::kTransfer);
  ASSERT_EQ(context.sent_of<GetState>().size(), 1u);
  deliver(vr, context, 1, StartView{1, 0, 0, 0});  // what the primary answers first
  EXPECT_EQ(vr.status(), VrStatus::kNormal);
  EXPECT_EQ(vr.last_normal_view(), 1u);
}

TEST(VrNormalOperation, PrimaryCommitsWithFPlusOnePrepareOk_4_1) {
  Vr vr{VrOptions{}};
  Context context = context_for(0);
  vr.on_start(context, nullptr);
  deliver(vr, context, 1, PrepareOk{0, 1});
  EXPECT_THAT(context.committed, IsEmpty());  // itself and n2: 2 of 3
  deliver(vr, context, 2, PrepareOk{0, 1});
  EXPECT_THAT(context.committed, ElementsAre(sim::LogPosition{0, 1}));
  EXPECT_EQ(vr.commit_number(), 1u);
}

TEST(VrNormalOperation, BackupLearnsTheCommitNumberFromCommit_4_1) {
  Vr vr{VrOptions{}};
  Context context = context_for(1);
  vr.on_start(context, nullptr);
  deliver(vr, context, 0, Prepare{0, 0, 0, 0, 1});
  EXPECT_THAT(context.committed, IsEmpty());
  deliver(vr, context, 0, Commit{0, 1});
  EXPECT_THAT(context.committed, ElementsAre(sim::LogPosition{0, 1}));
}

TEST(VrNormalOperation, IdlePrimarySendsCommitAsItsHeartbeat_4_1) {
  Vr vr{VrOptions{}};
  Context context = context_for(0);
  vr.on_start(context, nullptr);
  for (sim::ProcessId backup = 1; backup < 5; ++backup) {
    deliver(vr, context, backup, PrepareOk{0, 1});
  }
  context.take_sent();
  vr.on_timer(context, Vr::kHeartbeatTimer);
  const auto commits = context.sent_of<Commit>();
  ASSERT_EQ(commits.size(), 4u);
  EXPECT_EQ(commits[0].second.commit, 1u);
  EXPECT_EQ(context.sent.size(), 4u);  // nothing else: every backup holds the log
}

TEST(VrDurableState, ViewLogAndCommitNumberSurviveARestart) {
  Vr vr{VrOptions{}};
  Context context = context_for(2);
  vr.on_start(context, nullptr);
  join_view_change(vr, context, 1, {3});
  deliver(vr, context, 1, StartView{1, 0, 0, 0});
  deliver(vr, context, 1, Prepare{1, 0, 1, 1, 1});
  ASSERT_TRUE(context.durable.has_value());
  Vr restarted{VrOptions{}};
  Context after = context_for(2);
  restarted.on_start(after, &*context.durable);
  EXPECT_EQ(restarted.view(), 1u);
  EXPECT_EQ(restarted.last_normal_view(), 1u);
  EXPECT_EQ(restarted.commit_number(), 1u);
  EXPECT_EQ(restarted.log().op_number(), 1u);
  EXPECT_EQ(restarted.status(), VrStatus::kNormal);
}

TEST(VrDurableState, RestartedPrimaryDoesNotResumeLeading) {
  Vr vr{VrOptions{}};
  Context context = context_for(0);
  vr.on_start(context, nullptr);
  ASSERT_TRUE(vr.leading());
  Vr restarted{VrOptions{}};
  Context after = context_for(0);
  restarted.on_start(after, &*context.durable);
  EXPECT_FALSE(restarted.leading());
  EXPECT_THAT(after.elected, IsEmpty());
  EXPECT_EQ(after.timers.count(Vr::kViewChangeTimer), 1u);
}

TEST(VrDurableState, ReplicaThatCrashedMidViewChangeRestartsChangingViews) {
  Vr vr{VrOptions{}};
  Context context = context_for(2);
  vr.on_start(context, nullptr);
  join_view_change(vr, context, 1, {3});
  Vr restarted{VrOptions{}};
  Context after = context_for(2);
  restarted.on_start(after, &*context.durable);
  EXPECT_EQ(restarted.view(), 1u);
  EXPECT_EQ(restarted.status(), VrStatus::kViewChange);
}

TEST(VrBrokenVariant, StartsViewAloneDoesNotWaitForFPlusOne) {
  VrOptions options;
  options.starts_view_alone = true;
  Vr vr{options};
  Context context = context_for(1);
  vr.on_start(context, nullptr);
  join_view_change(vr, context, 1, {2, 3});
  ASSERT_EQ(context.elected.size(), 1u);  // on its own DoViewChange alone
}

}  // namespace
}  // namespace electsim::algorithms::vr
