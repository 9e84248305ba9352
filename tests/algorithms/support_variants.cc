#include "tests/algorithms/support_variants.h"

#include <cstdint>
#include <memory>
#include <utility>
#include <variant>

#include "algorithms/raft/raft.h"
#include "algorithms/raft/raft_factory.h"
#include "algorithms/registry.h"
#include "tests/algorithms/forwarding_context.h"
#include "tests/algorithms/wrapped_raft.h"

namespace electsim::testing {
namespace {

using algorithms::raft::AppendEntries;
using algorithms::raft::PreVote;
using algorithms::raft::Raft;
using algorithms::raft::RaftMessage;
using algorithms::raft::RaftRole;
using algorithms::raft::RequestVote;
using algorithms::raft::RequestVoteResponse;

// The real Raft, of which a variant changes how one kind of message is handled.
class WrappedRaft : public sim::Algorithm {
 public:
  explicit WrappedRaft(std::unique_ptr<sim::Algorithm> raft) : raft_(std::move(raft)) {
    SIM_CHECK(dynamic_cast<Raft*>(raft_.get()) != nullptr, "a support variant wraps a Raft");
  }
  sim::FamilyId family() const override { return raft_->family(); }
  void on_start(sim::Context& context, const sim::DurableState* restored) override {
    raft_->on_start(context, restored);
  }
  void on_timer(sim::Context& context, sim::TimerId timer) override {
    raft_->on_timer(context, timer);
  }
  void on_message(sim::Context& context, sim::ProcessId from,
                  const sim::Payload& message) override {
    handle(context, from, message.as<RaftMessage>());
  }

 protected:
  virtual void handle(sim::Context& context, sim::ProcessId from, RaftMessage message) = 0;
  const Raft& raft() const { return static_cast<const Raft&>(*raft_); }
  void deliver(sim::Context& context, sim::ProcessId from, const RaftMessage& message) {
    raft_->on_message(context, from, sim::Payload::of(message));
  }

 private:
  std::unique_ptr<sim::Algorithm> raft_;
};

// Every candidate's log looks up to date, so the voter never compares logs (paper 5.4.1).
class VotesWithoutLogs final : public WrappedRaft {
 public:
  using WrappedRaft::WrappedRaft;

 private:
  void handle(sim::Context& context, sim::ProcessId from, RaftMessage message) override {
    if (auto* request = std::get_if<RequestVote>(&message)) {
      request->last_log_term = UINT64_MAX;
      request->last_log_index = UINT64_MAX;
    } else if (auto* pre_vote = std::get_if<PreVote>(&message)) {
      pre_vote->last_log_term = UINT64_MAX;
      pre_vote->last_log_index = UINT64_MAX;
    }
    deliver(context, from, message);
  }
};

// A follower that already voted in this term grants another candidate with an up-to-date log
// too, as if it had forgotten its vote (paper 5.2: at most one candidate per term).
class Revotes final : public WrappedRaft {
 public:
  using WrappedRaft::WrappedRaft;

 private:
  void handle(sim::Context& context, sim::ProcessId from, RaftMessage message) override {
    const auto* request = std::get_if<RequestVote>(&message);
    const bool second_candidate =
        request != nullptr && request->term == raft().current_term() &&
        raft().role() == RaftRole::kFollower && raft().voted_for() != sim::kNoNode &&
        raft().voted_for() != from &&
        raft().log().other_is_up_to_date(request->last_log_term, request->last_log_index);
    if (!second_candidate) {
      deliver(context, from, message);
      return;
    }
    context.report(sim::Supported{from, request->term, sim::SupportKind::kVote});
    context.send(from, RaftMessage(RequestVoteResponse{request->term, true}));
  }
};

// A candidate counts a granted vote a second time, as if the next member had sent it too.
class CountsAVoteTwice final : public WrappedRaft {
 public:
  using WrappedRaft::WrappedRaft;

 private:
  void handle(sim::Context& context, sim::ProcessId from, RaftMessage message) override {
    deliver(context, from, message);
    const auto* response = std::get_if<RequestVoteResponse>(&message);
    if (response == nullptr || !response->granted || raft().role() != RaftRole::kCandidate ||
        response->term != raft().current_term()) {
      return;
    }
    const sim::ProcessId other = next_member_after(context, from);
    if (other != sim::kNoNode) deliver(context, other, message);
  }

  // The member after `from` in id order (wrapping around), neither `from` nor this process.
  static sim::ProcessId next_member_after(const sim::Context& context, sim::ProcessId from) {
    const auto members = context.members();
    size_t at = 0;
    while (at < members.size() && members[at] != from) ++at;
    for (size_t step = 1; step < members.size(); ++step) {
      const sim::ProcessId member = members[(at + step) % members.size()];
      if (member != context.self() && member != from) return member;
    }
    return sim::kNoNode;
  }
};

// A follower that takes AppendEntries of an older term as if they were of its own term: receiver
// step 1 of paper Figure 2 ("Reply false if term < currentTerm") left out.
class FollowsAStaleLeader final : public WrappedRaft {
 public:
  using WrappedRaft::WrappedRaft;

 private:
  void handle(sim::Context& context, sim::ProcessId from, RaftMessage message) override {
    if (auto* append = std::get_if<AppendEntries>(&message)) {
      if (append->term < raft().current_term()) append->term = raft().current_term();
    }
    deliver(context, from, message);
  }
};

}  // namespace

void register_support_variants() {
  register_wrapped_raft<VotesWithoutLogs>(
      kRaftVotesWithoutLogsName, "tests only: Raft whose voters never compare logs (5.4.1)");
  register_wrapped_raft<Revotes>(
      kRaftRevotesName, "tests only: Raft whose followers vote twice in a term (5.2)");
  register_wrapped_raft<CountsAVoteTwice>(
      kRaftCountsAVoteTwiceName, "tests only: Raft whose candidates count a vote twice (5.2)");
  register_wrapped_raft<FollowsAStaleLeader>(
      kRaftFollowsAStaleLeaderName,
      "tests only: Raft whose followers accept a stale-term leader (Figure 2, step 1)");
}

}  // namespace electsim::testing
