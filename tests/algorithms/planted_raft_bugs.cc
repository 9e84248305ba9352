#include "tests/algorithms/planted_raft_bugs.h"

#include <cstdint>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "algorithms/raft/raft.h"
#include "algorithms/raft/raft_factory.h"
#include "algorithms/registry.h"
#include "tests/algorithms/forwarding_context.h"
#include "tests/algorithms/wrapped_raft.h"

namespace electsim::testing {
namespace {

using algorithms::raft::AppendEntries;
using algorithms::raft::Raft;
using algorithms::raft::RaftMessage;
using algorithms::raft::RaftRole;
using algorithms::raft::RequestVote;
using algorithms::raft::RequestVoteResponse;

// The durable layout of algorithms/raft/raft.h: [format, current_term, voted_for + 1, entry
// count, entry terms...].
constexpr size_t kTermWord = 1;
constexpr size_t kVotedForWord = 2;
constexpr size_t kCountWord = 3;

// The real Raft; a bug changes what a restart reads back, how a message is handled, or what
// happens after an event (`after`), and leaves everything else to the paper's rules.
class PlantedRaft : public sim::Algorithm {
 public:
  explicit PlantedRaft(std::unique_ptr<sim::Algorithm> raft) : raft_(std::move(raft)) {
    SIM_CHECK(dynamic_cast<Raft*>(raft_.get()) != nullptr, "a planted bug wraps a Raft");
  }
  sim::FamilyId family() const override { return raft_->family(); }
  void on_start(sim::Context& context, const sim::DurableState* restored) override {
    if (restored == nullptr || restored->size() <= kCountWord) {
      raft_->on_start(context, restored);
    } else {
      sim::DurableState read_back = *restored;
      misread(read_back);
      raft_->on_start(context, &read_back);
    }
    after(context);
  }
  void on_timer(sim::Context& context, sim::TimerId timer) override {
    raft_->on_timer(context, timer);
    after(context);
  }
  void on_message(sim::Context& context, sim::ProcessId from,
                  const sim::Payload& message) override {
    handle(context, from, message.as<RaftMessage>());
    after(context);
  }

 protected:
  // What a restart reads back from what the server last persisted.
  virtual void misread(sim::DurableState& /*state*/) {}
  virtual void handle(sim::Context& context, sim::ProcessId from, RaftMessage message) {
    deliver(context, from, message);
  }
  virtual void after(sim::Context& /*context*/) {}

  const Raft& raft() const { return static_cast<const Raft&>(*raft_); }
  void deliver(sim::Context& context, sim::ProcessId from, const RaftMessage& message) {
    raft_->on_message(context, from, sim::Payload::of(message));
  }
  static uint64_t term_of(const RaftMessage& message) {
    return std::visit([](const auto& typed) { return typed.term; }, message);
  }
  // Grants `from` a vote that the real Raft would refuse, as a buggy server would: reported as
  // support and answered.
  static void grant(sim::Context& context, sim::ProcessId from, uint64_t term) {
    context.report(sim::Supported{from, term, sim::SupportKind::kVote});
    context.send(from, RaftMessage(RequestVoteResponse{term, true}));
  }

 private:
  std::unique_ptr<sim::Algorithm> raft_;
};

class ForgetsVoteOnRestart final : public PlantedRaft {
 public:
  using PlantedRaft::PlantedRaft;

 private:
  void misread(sim::DurableState& state) override { state[kVotedForWord] = 0; }
};

class TermFromLogOnRestart final : public PlantedRaft {
 public:
  using PlantedRaft::PlantedRaft;

 private:
  void misread(sim::DurableState& state) override {
    const uint64_t entries = state[kCountWord];
    if (entries == 0 || state.size() < kCountWord + 1 + entries) return;
    state[kTermWord] = state[kCountWord + entries];  // the last entry's term
  }
};

// Wins once n/2 members (itself included) granted: it hands the real Raft the missing grants.
class QuorumOfHalf final : public PlantedRaft {
 public:
  using PlantedRaft::PlantedRaft;

 private:
  void handle(sim::Context& context, sim::ProcessId from, RaftMessage message) override {
    const auto* response = std::get_if<RequestVoteResponse>(&message);
    if (response != nullptr && response->granted && response->term == raft().current_term() &&
        raft().role() == RaftRole::kCandidate) {
      if (granted_term_ != response->term) granted_.clear();
      granted_term_ = response->term;
      granted_.push_back(from);
    }
    deliver(context, from, message);
  }

  void after(sim::Context& context) override {
    if (raft().role() != RaftRole::kCandidate) return;
    const uint64_t term = raft().current_term();
    if (granted_term_ != term) granted_.clear();
    granted_term_ = term;
    const auto members = context.members();
    if (1 + granted_.size() < members.size() / 2) return;
    for (const sim::ProcessId member : members) {
      if (raft().role() != RaftRole::kCandidate) return;
      if (member == context.self() || counted(member)) continue;
      deliver(context, member, RaftMessage(RequestVoteResponse{term, true}));
    }
  }

  bool counted(sim::ProcessId member) const {
    for (const sim::ProcessId voter : granted_) {
      if (voter == member) return true;
    }
    return false;
  }

  uint64_t granted_term_ = 0;
  std::vector<sim::ProcessId> granted_;
};

class LeaderIgnoresHigherTerm final : public PlantedRaft {
 public:
  using PlantedRaft::PlantedRaft;

 private:
  void handle(sim::Context& context, sim::ProcessId from, RaftMessage message) override {
    if (raft().role() == RaftRole::kLeader && term_of(message) > raft().current_term()) return;
    deliver(context, from, message);
  }
};

// The vote kept for itself makes it refuse every candidate of the new term: the real Raft is
// shown each such request with a log that is never up to date, so it moves to the term and
// answers no.
class CandidateKeepsVote final : public PlantedRaft {
 public:
  using PlantedRaft::PlantedRaft;

 private:
  void handle(sim::Context& context, sim::ProcessId from, RaftMessage message) override {
    const uint64_t term = term_of(message);
    const bool moves_on = raft().role() == RaftRole::kCandidate && term > raft().current_term();
    if (moves_on) kept_vote_term_ = term;
    if (auto* request = std::get_if<RequestVote>(&message);
        request != nullptr && request->term == kept_vote_term_ && from != context.self()) {
      request->last_log_term = 0;
      request->last_log_index = 0;
    }
    deliver(context, from, message);
  }

  uint64_t kept_vote_term_ = 0;
};

// Votes once more in the term it stepped down in, for the first other candidate that asks.
class ForgetsVoteOnStepDown final : public PlantedRaft {
 public:
  using PlantedRaft::PlantedRaft;

 private:
  void handle(sim::Context& context, sim::ProcessId from, RaftMessage message) override {
    const auto* request = std::get_if<RequestVote>(&message);
    const bool forgotten_vote =
        request != nullptr && forgot_term_ != 0 && request->term == forgot_term_ &&
        request->term == raft().current_term() && raft().role() == RaftRole::kFollower &&
        raft().voted_for() == context.self() &&
        raft().log().other_is_up_to_date(request->last_log_term, request->last_log_index);
    if (!forgotten_vote) {
      deliver(context, from, message);
      return;
    }
    forgot_term_ = 0;
    grant(context, from, request->term);
  }

  void after(sim::Context& /*context*/) override {
    const bool stepped_down = was_candidate_ && raft().role() == RaftRole::kFollower &&
                              raft().current_term() == candidate_term_;
    if (stepped_down) forgot_term_ = candidate_term_;
    was_candidate_ = raft().role() == RaftRole::kCandidate;
    candidate_term_ = raft().current_term();
  }

  bool was_candidate_ = false;
  uint64_t candidate_term_ = 0;
  uint64_t forgot_term_ = 0;
};

}  // namespace

void register_planted_raft_bugs() {
  register_wrapped_raft<ForgetsVoteOnRestart>(
      kRaftForgetsVoteOnRestartName, "tests only: Raft whose restart forgets votedFor (Figure 2)");
  register_wrapped_raft<TermFromLogOnRestart>(
      kRaftTermFromLogName,
      "tests only: Raft whose restart takes currentTerm from its last entry (Figure 2)");
  register_wrapped_raft<QuorumOfHalf>(kRaftQuorumOfHalfName,
                                 "tests only: Raft whose candidates win with n/2 votes (5.2)");
  register_wrapped_raft<LeaderIgnoresHigherTerm>(
      kRaftLeaderIgnoresHigherTermName,
      "tests only: Raft whose leader ignores higher terms instead of stepping down (5.1)");
  register_wrapped_raft<CandidateKeepsVote>(
      kRaftCandidateKeepsVoteName,
      "tests only: Raft whose candidate keeps its own vote in a higher term (5.2)");
  register_wrapped_raft<ForgetsVoteOnStepDown>(
      kRaftForgetsVoteOnStepDownName,
      "tests only: Raft whose candidate forgets its vote when it steps down in its term (5.2)");
}

}  // namespace electsim::testing
