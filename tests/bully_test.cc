// The Bully algorithm, one rule per test, named after the rule of Garcia-Molina, "Elections in a
// Distributed Computing System" (IEEE Trans. Computers, 1982), that it checks. Five processes;
// n5 (member 4) has the highest id.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "algorithms/bully/bully.h"
#include "tests/vr_recording_context.h"

namespace electsim::algorithms::bully {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using electsim::testing::RecordingContext;
using Context = RecordingContext<BullyMessage>;

Context context_for(sim::ProcessId self) { return Context(self, 5, sim::families::kBully); }

template <class Typed>
void deliver(Bully& bully, Context& context, sim::ProcessId from, const Typed& message) {
  electsim::testing::deliver(bully, context, from, message);
}

// Every process below `self` acknowledges its halt with `counter`.
void acknowledge_halts(Bully& bully, Context& context, sim::ProcessId self, uint64_t counter) {
  for (sim::ProcessId lower = 0; lower < self; ++lower) {
    deliver(bully, context, lower, HaltAck{counter});
  }
}

std::vector<sim::ProcessId> destinations_of_elections(const Context& context) {
  std::vector<sim::ProcessId> to;
  for (const auto& [destination, message] : context.sent_of<Election>()) to.push_back(destination);
  return to;
}

TEST(Bully, AProcessThatStartsHoldsAnElectionAmongTheHigherIds) {
  Bully bully{BullyOptions{}};
  Context context = context_for(1);
  bully.on_start(context, nullptr);
  EXPECT_THAT(destinations_of_elections(context), ElementsAre(2u, 3u, 4u));
  EXPECT_EQ(bully.role(), BullyRole::kElecting);
  EXPECT_EQ(context.timers.at(Bully::kElectionTimer), BullyOptions{}.answer_timeout);
}

TEST(Bully, TheHighestIdWinsAtOnceHaltsTheLowerOnesAndAnnouncesItself) {
  Bully bully{BullyOptions{}};
  Context context = context_for(4);
  bully.on_start(context, nullptr);
  EXPECT_THAT(context.sent_of<Election>(), IsEmpty());
  EXPECT_EQ(context.sent_of<Halt>().size(), 4u);
  EXPECT_THAT(context.elected, IsEmpty());  // not before the lower ones are halted
  acknowledge_halts(bully, context, 4, 0);
  ASSERT_EQ(context.elected.size(), 1u);
  EXPECT_EQ(context.elected[0].epoch, 1u);
  EXPECT_EQ(context.elected[0].token, 1u);
  EXPECT_EQ(context.sent_of<Coordinator>().size(), 4u);
}

TEST(Bully, NoAnswerWithinTheTimeoutMakesTheProcessCoordinator) {
  Bully bully{BullyOptions{}};
  Context context = context_for(1);
  bully.on_start(context, nullptr);
  context.take_sent();
  bully.on_timer(context, Bully::kElectionTimer);
  EXPECT_EQ(bully.role(), BullyRole::kHalting);
  bully.on_timer(context, Bully::kElectionTimer);  // n1 is down: no acknowledgement
  EXPECT_EQ(bully.role(), BullyRole::kCoordinator);
  EXPECT_EQ(context.sent_of<Coordinator>().size(), 4u);  // to lower and higher ids alike
}

TEST(Bully, TheWinnersCounterExceedsEveryCounterOfTheProcessesItHalted) {
  Bully bully{BullyOptions{}};
  Context context = context_for(4);  // restarted with counter 0, say, while n4 led with 7
  bully.on_start(context, nullptr);
  deliver(bully, context, 0, HaltAck{7});
  acknowledge_halts(bully, context, 4, 2);
  ASSERT_EQ(context.elected.size(), 1u);
  EXPECT_EQ(context.elected[0].epoch, 8u);
}

TEST(Bully, AHaltedProcessStopsFollowingAndWaitsForTheWinner) {
  Bully bully{BullyOptions{}};
  Context context = context_for(1);
  bully.on_start(context, nullptr);
  deliver(bully, context, 3, Coordinator{2});
  context.take_reports();
  context.take_sent();
  deliver(bully, context, 4, Halt{1});
  EXPECT_THAT(context.take_reports(), ElementsAre("leader_lost higher_epoch_seen"));
  EXPECT_EQ(bully.role(), BullyRole::kAwaitingCoordinator);
  const auto acks = context.sent_of<HaltAck>();
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].second.counter, 2u);
}

TEST(Bully, AnAnswerMakesTheProcessWaitForTheCoordinatorAndStartOverWithoutOne) {
  Bully bully{BullyOptions{}};
  Context context = context_for(1);
  bully.on_start(context, nullptr);
  deliver(bully, context, 3, Answer{0});
  EXPECT_EQ(bully.role(), BullyRole::kAwaitingCoordinator);
  EXPECT_EQ(context.timers.at(Bully::kElectionTimer), BullyOptions{}.coordinator_timeout);
  context.take_sent();
  bully.on_timer(context, Bully::kElectionTimer);
  EXPECT_THAT(context.elected, IsEmpty());
  EXPECT_THAT(destinations_of_elections(context), ElementsAre(2u, 3u, 4u));
}

TEST(Bully, AnElectionFromALowerIdIsAnsweredAndTakenOver) {
  Bully bully{BullyOptions{}};
  Context context = context_for(2);
  bully.on_start(context, nullptr);
  deliver(bully, context, 4, Coordinator{1});
  EXPECT_THAT(context.take_reports(), ElementsAre("follows n5 1"));
  context.take_sent();
  deliver(bully, context, 0, Election{1});
  const auto answers = context.sent_of<Answer>();
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].first, 0u);
  EXPECT_THAT(destinations_of_elections(context), ElementsAre(3u, 4u));
  EXPECT_THAT(context.take_reports(), ElementsAre("leader_lost higher_epoch_seen"));
}

TEST(Bully, ACoordinatorAnswersAnElectionByAnnouncingItselfAgain) {
  Bully bully{BullyOptions{}};
  Context context = context_for(4);
  bully.on_start(context, nullptr);
  acknowledge_halts(bully, context, 4, 0);
  context.take_sent();
  deliver(bully, context, 1, Election{1});
  EXPECT_EQ(context.sent_of<Answer>().size(), 1u);
  const auto announcements = context.sent_of<Coordinator>();
  ASSERT_EQ(announcements.size(), 1u);
  EXPECT_EQ(announcements[0].first, 1u);
  EXPECT_EQ(context.elected.size(), 1u);  // no new leadership
}

TEST(Bully, ACoordinatorFromALowerIdIsBullied) {
  Bully bully{BullyOptions{}};
  Context context = context_for(3);
  bully.on_start(context, nullptr);
  deliver(bully, context, 4, Coordinator{1});
  context.take_sent();
  deliver(bully, context, 1, Coordinator{2});
  EXPECT_EQ(bully.role(), BullyRole::kElecting);
  EXPECT_THAT(destinations_of_elections(context), ElementsAre(4u));
  EXPECT_EQ(context.sent_of<Election>()[0].second.counter, 2u);  // the later counter travels
}

TEST(Bully, AMissingHeartbeatStartsAnElection) {
  Bully bully{BullyOptions{}};
  Context context = context_for(2);
  bully.on_start(context, nullptr);
  deliver(bully, context, 4, Coordinator{1});
  EXPECT_EQ(context.timers.at(Bully::kElectionTimer), BullyOptions{}.failure_timeout);
  context.take_reports();
  context.take_sent();
  bully.on_timer(context, Bully::kElectionTimer);
  EXPECT_THAT(context.take_reports(), ElementsAre("leader_lost election_timeout"));
  EXPECT_THAT(destinations_of_elections(context), ElementsAre(3u, 4u));
}

TEST(Bully, TheElectionCounterOnlyGrowsAndSurvivesARestart) {
  Bully bully{BullyOptions{}};
  Context context = context_for(4);
  bully.on_start(context, nullptr);
  acknowledge_halts(bully, context, 4, 0);
  deliver(bully, context, 0, Election{5});  // a counter later than its leadership's
  acknowledge_halts(bully, context, 4, 0);
  ASSERT_EQ(context.elected.size(), 2u);
  EXPECT_EQ(context.elected[1].epoch, 6u);
  Bully restarted{BullyOptions{}};
  Context after = context_for(4);
  restarted.on_start(after, &*context.durable);
  acknowledge_halts(restarted, after, 4, 0);
  ASSERT_EQ(after.elected.size(), 1u);
  EXPECT_EQ(after.elected[0].epoch, 7u);
}

TEST(Bully, AStaleCoordinatorIsNotFollowed) {
  Bully bully{BullyOptions{}};
  Context context = context_for(2);
  bully.on_start(context, nullptr);
  deliver(bully, context, 3, Coordinator{4});
  context.take_reports();
  deliver(bully, context, 4, Coordinator{3});  // higher id, older counter
  EXPECT_THAT(context.take_reports(), ElementsAre("leader_lost higher_epoch_seen"));
  EXPECT_NE(bully.coordinator(), 4u);
}

TEST(BullyBrokenVariant, ReusesCounterLeadsWithTheCounterItHasSeen) {
  BullyOptions options;
  options.reuses_counter = true;
  Bully bully{options};
  Context context = context_for(3);
  bully.on_start(context, nullptr);
  deliver(bully, context, 4, Coordinator{3});
  bully.on_timer(context, Bully::kElectionTimer);  // n5 went silent
  bully.on_timer(context, Bully::kElectionTimer);  // and does not answer
  acknowledge_halts(bully, context, 3, 0);
  ASSERT_EQ(context.elected.size(), 1u);
  EXPECT_EQ(context.elected[0].epoch, 3u);  // n5's counter again
}

}  // namespace
}  // namespace electsim::algorithms::bully
