#include "toy_election.h"

#include <cstdint>
#include <memory>
#include <string_view>

namespace toy {
namespace {

using namespace electsim;

constexpr sim::FamilyId kToyFamily = kFirstOutOfTreeFamily;

enum MessageKind : uint16_t { kHeartbeat = 0, kRequestVote = 1, kVote = 2 };
enum TimerKind : sim::TimerId { kElectionTimer = 0, kHeartbeatTimer = 1 };

constexpr std::string_view kMessageNames[] = {"heartbeat", "request_vote", "vote"};
constexpr std::string_view kTimerNames[] = {"election", "heartbeat"};
const sim::FamilyInfo kFamily{kToyFamily, "toy-election", kMessageNames, kTimerNames};

// One small, trivially copyable message (what sim::Payload carries).
struct ToyMessage {
  uint16_t kind = kHeartbeat;
  uint64_t epoch = 0;
};
sim::MessageTypeId message_type_of(const ToyMessage& message) {
  return sim::message_type_id(kToyFamily, message.kind);
}

constexpr sim::Duration kHeartbeatInterval = sim::Duration::milliseconds(50);
constexpr sim::Duration kTimeoutMin = sim::Duration::milliseconds(150);
constexpr sim::Duration kTimeoutMax = sim::Duration::milliseconds(300);

class ToyElection final : public sim::Algorithm {
 public:
  explicit ToyElection(bool majority) : majority_(majority) {}

  sim::FamilyId family() const override { return kToyFamily; }

  void on_start(sim::Context& context, const sim::DurableState* restored) override {
    if (restored != nullptr && restored->size() == 2) {
      epoch_ = (*restored)[0];
      voted_in_ = (*restored)[1];
    }
    reset_election_timer(context);
  }

  void on_message(sim::Context& context, sim::ProcessId from,
                  const sim::Payload& payload) override {
    const auto message = payload.as<ToyMessage>();
    if (message.epoch > epoch_) become_follower(context, message.epoch);
    if (message.epoch < epoch_) return;
    switch (message.kind) {
      case kHeartbeat: handle_heartbeat(context, from); break;
      case kRequestVote: handle_request_vote(context, from); break;
      case kVote: handle_vote(context); break;
      default: break;
    }
  }

  void on_timer(sim::Context& context, sim::TimerId timer) override {
    if (timer == kHeartbeatTimer && leading_) {
      broadcast(context, ToyMessage{kHeartbeat, epoch_});
      context.set_timer(kHeartbeatTimer, kHeartbeatInterval);
    } else if (timer == kElectionTimer && !leading_) {
      start_election(context);
    }
  }

 private:
  void start_election(sim::Context& context) {
    if (leader_ != sim::kNoNode) context.report(sim::LeaderLost{});
    leader_ = sim::kNoNode;
    ++epoch_;
    if (!majority_) {  // The planted bug: no one is asked.
      persist(context);
      become_leader(context);
      return;
    }
    voted_in_ = epoch_;
    votes_ = 1;
    persist(context);
    context.report(sim::Supported{context.self(), epoch_, sim::SupportKind::kVote});
    broadcast(context, ToyMessage{kRequestVote, epoch_});
    reset_election_timer(context);
  }

  void become_leader(sim::Context& context) {
    leading_ = true;
    context.report(sim::Elected{epoch_, epoch_, std::nullopt, std::nullopt});
    broadcast(context, ToyMessage{kHeartbeat, epoch_});
    context.cancel_timer(kElectionTimer);
    context.set_timer(kHeartbeatTimer, kHeartbeatInterval);
  }

  void become_follower(sim::Context& context, uint64_t epoch) {
    if (leading_) {
      context.report(sim::SteppedDown{sim::StepDownReason::kHigherEpochSeen});
      context.cancel_timer(kHeartbeatTimer);
    }
    if (leader_ != sim::kNoNode) {
      context.report(sim::LeaderLost{sim::LeaderLostReason::kHigherEpochSeen});
    }
    leader_ = sim::kNoNode;
    leading_ = false;
    votes_ = 0;
    epoch_ = epoch;
    persist(context);
    reset_election_timer(context);
  }

  void handle_heartbeat(sim::Context& context, sim::ProcessId from) {
    if (leading_) return;
    votes_ = 0;
    if (leader_ != from) {
      leader_ = from;
      context.report(sim::Follows{from, epoch_});
    }
    reset_election_timer(context);
  }

  void handle_request_vote(sim::Context& context, sim::ProcessId from) {
    if (voted_in_ >= epoch_) return;  // one vote per epoch
    voted_in_ = epoch_;
    persist(context);
    context.report(sim::Supported{from, epoch_, sim::SupportKind::kVote});
    context.send(from, ToyMessage{kVote, epoch_});
    reset_election_timer(context);
  }

  void handle_vote(sim::Context& context) {
    if (leading_ || votes_ == 0) return;
    ++votes_;
    if (votes_ > context.members().size() / 2) become_leader(context);
  }

  void broadcast(sim::Context& context, const ToyMessage& message) {
    for (const sim::ProcessId member : context.members()) {
      if (member != context.self()) context.send(member, message);
    }
  }
  void reset_election_timer(sim::Context& context) {
    context.set_timer(kElectionTimer, kTimeoutMin, kTimeoutMax);
  }
  void persist(sim::Context& context) { context.persist({epoch_, voted_in_}); }

  const bool majority_;
  uint64_t epoch_ = 0;
  uint64_t voted_in_ = 0;  // the last epoch this node voted in
  size_t votes_ = 0;       // as a candidate of epoch_
  bool leading_ = false;
  sim::ProcessId leader_ = sim::kNoNode;
};

class ToyFactory final : public sim::AlgorithmFactory {
 public:
  explicit ToyFactory(bool majority) : majority_(majority) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId) const override {
    return std::make_unique<ToyElection>(majority_);
  }

 private:
  bool majority_;
};

}  // namespace

algorithms::AlgorithmInfo toy_election_info(bool majority) {
  sim::register_family(&kFamily);
  algorithms::AlgorithmInfo info;
  info.name = majority ? "toy-election" : "toy-election-no-votes";
  info.summary = majority ? "toy: one vote per epoch, a majority leads"
                          : "toy: a node that times out leads the next epoch (planted bug)";
  info.resolve = [](algorithms::Params&, uint32_t) { return absl::OkStatus(); };
  info.make_factory = [majority](const algorithms::Params&, uint32_t) {
    return std::unique_ptr<sim::AlgorithmFactory>(std::make_unique<ToyFactory>(majority));
  };
  info.profile.token = "epoch";
  return info;
}

}  // namespace toy
