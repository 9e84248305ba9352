#include "algorithms/bully/bully.h"

#include <algorithm>

namespace electsim::algorithms::bully {

using sim::Context;
using sim::ProcessId;

// ---- Inputs ----

void Bully::on_start(Context& context, const sim::DurableState* restored) {
  self_ = context.self();
  members_ = context.members();
  SIM_CHECK(!members_.empty() && std::is_sorted(members_.begin(), members_.end()),
            "members are listed in id order");
  counter_ = 0;
  if (restored != nullptr && !restored->empty()) {
    SIM_CHECK(restored->size() == 2 && (*restored)[0] == kDurableFormat,
              "Bully durable state is malformed");
    counter_ = (*restored)[1];
  }
  role_ = BullyRole::kFollower;
  coordinator_ = sim::kNoNode;
  halt_acked_.assign(members_.size(), 0);
  // Garcia-Molina: a process that starts (or recovers) holds an election, so a higher process
  // that comes back takes over from a lower one ("bullies" it).
  hold_election(context);
}

void Bully::on_message(Context& context, ProcessId from, const sim::Payload& message) {
  SIM_CHECK(from != self_, "a message from itself");
  if (!std::binary_search(members_.begin(), members_.end(), from)) return;
  const auto body = message.as<BullyMessage>();
  std::visit([&](const auto& typed) { handle(context, from, typed); }, body);
}

void Bully::on_timer(Context& context, sim::TimerId timer) {
  if (timer == kHeartbeatTimer) {
    if (role_ != BullyRole::kCoordinator) return;
    for (ProcessId member : members_) {
      if (member != self_) announce(context, member);
    }
    context.set_timer(kHeartbeatTimer, options_.heartbeat_interval);
    return;
  }
  SIM_CHECK(timer == kElectionTimer, "unknown Bully timer");
  switch (role_) {
    case BullyRole::kFollower:
      // No Coordinator heartbeat for failure_timeout: the coordinator is gone.
      leave_role(context, sim::LeaderLostReason::kElectionTimeout);
      hold_election(context);
      break;
    case BullyRole::kElecting:
      // No higher process answered within T: this one is the highest alive.
      halt_lower_processes(context);
      break;
    case BullyRole::kHalting:
      // The lower processes that are up have acknowledged; the others are down or cut off.
      become_coordinator(context);
      break;
    case BullyRole::kAwaitingCoordinator:
      // A higher process answered but never announced itself: it failed meanwhile.
      hold_election(context);
      break;
    case BullyRole::kCoordinator:
      break;
  }
}

// ---- The election ----

void Bully::hold_election(Context& context) {
  leave_role(context, sim::LeaderLostReason::kHigherEpochSeen);
  if (!has_higher_member()) {
    halt_lower_processes(context);  // nobody can answer: the highest id wins at once
    return;
  }
  role_ = BullyRole::kElecting;
  for (ProcessId member : members_) {
    if (member > self_) context.send(member, BullyMessage{Election{counter_}});
  }
  context.set_timer(kElectionTimer, options_.answer_timeout);
}

// The paper's reorganization begins by halting every lower process, so that none goes on
// following an older coordinator, and the acknowledgements bring the counters of processes that
// led while this one was down.
void Bully::halt_lower_processes(Context& context) {
  role_ = BullyRole::kHalting;
  std::fill(halt_acked_.begin(), halt_acked_.end(), 0);
  halt_acks_ = 0;
  if (members_.front() == self_) {
    become_coordinator(context);
    return;
  }
  for (ProcessId member : members_) {
    if (member < self_) context.send(member, BullyMessage{Halt{counter_}});
  }
  context.set_timer(kElectionTimer, options_.answer_timeout);
}

void Bully::become_coordinator(Context& context) {
  const uint64_t next = options_.reuses_counter ? std::max<uint64_t>(counter_, 1) : counter_ + 1;
  see_counter(context, next);
  role_ = BullyRole::kCoordinator;
  coordinator_ = self_;
  leading_counter_ = counter_;
  context.cancel_timer(kElectionTimer);
  context.report(sim::Elected{leading_counter_, leading_counter_, std::nullopt, std::nullopt});
  for (ProcessId member : members_) {
    if (member != self_) announce(context, member);
  }
  context.set_timer(kHeartbeatTimer, options_.heartbeat_interval);
}

void Bully::follow(Context& context, ProcessId coordinator) {
  role_ = BullyRole::kFollower;
  coordinator_ = coordinator;
  context.report(sim::Follows{coordinator, counter_});
  context.set_timer(kElectionTimer, options_.failure_timeout);
}

void Bully::leave_role(Context& context, sim::LeaderLostReason reason) {
  if (role_ == BullyRole::kCoordinator) {
    context.report(sim::SteppedDown{sim::StepDownReason::kHigherEpochSeen});
    context.cancel_timer(kHeartbeatTimer);
  } else if (role_ == BullyRole::kFollower && coordinator_ != sim::kNoNode) {
    context.report(sim::LeaderLost{reason});
  }
  role_ = BullyRole::kFollower;
  coordinator_ = sim::kNoNode;
}

void Bully::announce(Context& context, ProcessId to) {
  context.send(to, BullyMessage{Coordinator{leading_counter_}});
}

void Bully::see_counter(Context& context, uint64_t counter) {
  if (counter <= counter_) return;
  counter_ = counter;
  context.persist(sim::DurableState{kDurableFormat, counter_});
}

// ---- Messages ----

void Bully::handle(Context& context, ProcessId from, const Election& message) {
  see_counter(context, message.counter);
  if (from > self_) return;  // elections go to higher ids only
  // The higher process is up: it answers, and takes the election over.
  context.send(from, BullyMessage{Answer{counter_}});
  switch (role_) {
    case BullyRole::kCoordinator:
      // Already the highest it knows of: it re-announces itself, unless the asker has seen a
      // later counter than its own leadership's, which a new leadership must exceed.
      if (message.counter > leading_counter_) {
        hold_election(context);
      } else {
        announce(context, from);
      }
      break;
    case BullyRole::kFollower:
      hold_election(context);
      break;
    case BullyRole::kElecting:
    case BullyRole::kAwaitingCoordinator:
    case BullyRole::kHalting:
      break;  // an election is under way
  }
}

void Bully::handle(Context& context, ProcessId from, const Answer& message) {
  see_counter(context, message.counter);
  if (role_ != BullyRole::kElecting || from < self_) return;
  role_ = BullyRole::kAwaitingCoordinator;
  context.set_timer(kElectionTimer, options_.coordinator_timeout);
}

void Bully::handle(Context& context, ProcessId from, const Halt& message) {
  if (from < self_) {
    bully_lower(context, from, message.counter);
    return;
  }
  see_counter(context, message.counter);
  // A higher process won: stop leading or following, and wait for its announcement.
  leave_role(context, sim::LeaderLostReason::kHigherEpochSeen);
  role_ = BullyRole::kAwaitingCoordinator;
  context.send(from, BullyMessage{HaltAck{counter_}});
  context.set_timer(kElectionTimer, options_.coordinator_timeout);
}

void Bully::handle(Context& context, ProcessId from, const HaltAck& message) {
  see_counter(context, message.counter);
  if (role_ != BullyRole::kHalting || from > self_) return;
  uint8_t& acked = halt_acked_[position(from)];
  if (acked != 0) return;  // a duplicated acknowledgement
  acked = 1;
  ++halt_acks_;
  if (halt_acks_ == position(self_)) become_coordinator(context);  // every lower one is up
}

void Bully::bully_lower(Context& context, ProcessId lower, uint64_t counter) {
  see_counter(context, counter);
  if (role_ == BullyRole::kCoordinator) {
    if (counter < leading_counter_) {
      announce(context, lower);
    } else {
      hold_election(context);
    }
  } else if (role_ == BullyRole::kFollower) {
    hold_election(context);
  }
}

void Bully::handle(Context& context, ProcessId from, const Coordinator& message) {
  if (from > self_) {
    if (message.counter >= counter_) {
      see_counter(context, message.counter);
      if (role_ == BullyRole::kCoordinator || coordinator_ != from) {
        leave_role(context, sim::LeaderLostReason::kHigherEpochSeen);
      }
      follow(context, from);
    } else if (role_ == BullyRole::kFollower) {
      // A higher process announces a counter older than one seen here: an election tells it the
      // later counter, and it wins with a new one.
      hold_election(context);
    }
    return;
  }
  bully_lower(context, from, message.counter);
}

size_t Bully::position(ProcessId member) const {
  const auto it = std::lower_bound(members_.begin(), members_.end(), member);
  SIM_CHECK(it != members_.end() && *it == member, "a message from outside the group");
  return static_cast<size_t>(it - members_.begin());
}

// ---- Family ----

namespace {
constexpr std::string_view kMessageNames[] = {"election", "answer", "coordinator", "halt",
                                              "halt_ack"};
static_assert(std::size(kMessageNames) == std::variant_size_v<BullyMessage>);
// By timer id: Bully::kElectionTimer, kHeartbeatTimer.
constexpr std::string_view kTimerNames[] = {"election", "heartbeat"};
static_assert(Bully::kHeartbeatTimer + 1 == std::size(kTimerNames));
// Electing: Election, Answer, Halt and its ack. Coordinator is left out: the coordinator repeats
// it as its heartbeat, so it is mostly the cost of keeping a leader.
constexpr sim::FamilyInfo kFamily{sim::families::kBully, "bully", kMessageNames, kTimerNames,
                                  sim::message_mask({0, 1, 3, 4})};
}  // namespace

const sim::FamilyInfo& bully_family() { return kFamily; }

}  // namespace electsim::algorithms::bully
