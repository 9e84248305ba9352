#include "tests/algorithms/gate_raft_keeps_timer_on_vote.h"

#include <memory>
#include <optional>
#include <utility>

#include "algorithms/raft/raft.h"
#include "algorithms/raft/raft_factory.h"
#include "algorithms/raft/raft_messages.h"
#include "algorithms/registry.h"
#include "tests/algorithms/forwarding_context.h"

namespace electsim::testing {
namespace {

using algorithms::raft::Raft;
using algorithms::raft::RaftMessage;
using algorithms::raft::RequestVoteResponse;

// Wraps the context while Raft handles one RequestVote. Raft resets the election timer right
// before it sends a granted RequestVoteResponse (raft.cc, handle_message for RequestVote), after
// any reset of its own stepping down: so the last election-timer setting is held back, and
// dropped if a granted response follows, or applied when the handling ends without one. (With
// persist_delay, Raft holds the response until its write completes; the timer is then reset as
// usual. The scenarios this variant runs have no persist delay.)
class VoteTimerContext final : public ForwardingContext {
 public:
  using ForwardingContext::ForwardingContext;
  using ForwardingContext::send;
  using ForwardingContext::set_timer;

  void set_timer(sim::TimerId timer, sim::Duration lo, sim::Duration hi) override {
    if (timer != Raft::kElectionTimer) {
      inner_.set_timer(timer, lo, hi);
      return;
    }
    apply_held();
    held_ = std::make_pair(lo, hi);
  }
  void cancel_timer(sim::TimerId timer) override {
    if (timer == Raft::kElectionTimer) held_.reset();
    inner_.cancel_timer(timer);
  }
  void send(sim::ProcessId to, const sim::Payload& message, sim::MessageTypeId type) override {
    if (type == kResponseType &&
        std::get<RequestVoteResponse>(message.as<RaftMessage>()).granted) {
      held_.reset();  // the bug: the vote is granted, the timer keeps running
    }
    inner_.send(to, message, type);
  }
  // Applies a setting still held when the handling ends (no vote was granted).
  void apply_held() {
    if (held_) inner_.set_timer(Raft::kElectionTimer, held_->first, held_->second);
    held_.reset();
  }

 private:
  static inline const sim::MessageTypeId kResponseType =
      algorithms::raft::message_type_of(RaftMessage(RequestVoteResponse{}));
  std::optional<std::pair<sim::Duration, sim::Duration>> held_;
};

class RaftKeepsTimerOnVote final : public sim::Algorithm {
 public:
  explicit RaftKeepsTimerOnVote(std::unique_ptr<sim::Algorithm> raft) : raft_(std::move(raft)) {}
  sim::FamilyId family() const override { return raft_->family(); }
  void on_start(sim::Context& context, const sim::DurableState* restored) override {
    raft_->on_start(context, restored);
  }
  void on_message(sim::Context& context, sim::ProcessId from,
                  const sim::Payload& message) override {
    if (!is_request_vote(message)) {
      raft_->on_message(context, from, message);
      return;
    }
    VoteTimerContext voting(context);
    raft_->on_message(voting, from, message);
    voting.apply_held();
  }
  void on_timer(sim::Context& context, sim::TimerId timer) override {
    raft_->on_timer(context, timer);
  }

 private:
  static bool is_request_vote(const sim::Payload& message) {
    return message.size() == sizeof(RaftMessage) && message.as<RaftMessage>().index() == 0;
  }
  std::unique_ptr<sim::Algorithm> raft_;
};

class RaftKeepsTimerOnVoteFactory final : public sim::AlgorithmFactory {
 public:
  explicit RaftKeepsTimerOnVoteFactory(std::unique_ptr<sim::AlgorithmFactory> raft)
      : raft_(std::move(raft)) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId process) const override {
    return std::make_unique<RaftKeepsTimerOnVote>(raft_->create(process));
  }

 private:
  std::unique_ptr<sim::AlgorithmFactory> raft_;
};

}  // namespace

void register_raft_keeps_timer_on_vote() {
  algorithms::AlgorithmInfo info = algorithms::raft::raft_info();
  info.name = kRaftKeepsTimerOnVoteName;
  info.summary = "tests only: Raft whose election timer is not reset when it grants a vote";
  auto make_raft = info.make_factory;
  info.make_factory = [make_raft](const algorithms::Params& params, uint32_t nodes) {
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<RaftKeepsTimerOnVoteFactory>(make_raft(params, nodes)));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace electsim::testing
