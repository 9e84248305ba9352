// The Bully election algorithm (Garcia-Molina, "Elections in a Distributed Computing System",
// IEEE Transactions on Computers C-31(1), 1982). The live process with the highest id wins:
// - a process that notices its coordinator is gone (no Coordinator heartbeat for
//   failure_timeout), or that starts up, holds an election: it sends Election to every higher
//   id and, if none answers within answer_timeout, it has won: it halts every lower process
//   (Halt, acknowledged with each one's counter, waiting at most answer_timeout for them) and
//   then announces itself to all (Coordinator);
// - a process that receives an Election from a lower id answers it and holds its own election
//   (a coordinator re-announces itself instead: it already is the highest it knows of);
// - a process that got an Answer waits coordinator_timeout for a Coordinator, else it starts
//   over;
// - a Coordinator from a higher id is followed; one from a lower id is bullied: the receiver
//   holds an election of its own, which it wins.
//
// The paper assumes a synchronous system with no partitions. Bully has no quorum: under a
// partition each side elects its own highest id, and electsim reports the overlap (its check
// profile makes every overlap a violation; docs/ALGORITHMS.md).
//
// Epoch and token: an election counter. Each new coordinator takes the highest counter it has
// seen plus one; every message carries the sender's counter, and a process persists the highest
// it has seen or used, so the counters it reports only grow, across restarts too. The halt phase
// is what makes a restarted highest id take a counter above its successor's: it has been down
// and learns the current counter from the acknowledgements. Two sides of a partition may still
// pick the same counter: that is Bully's unsafety, which the checks see.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "algorithms/bully/bully_messages.h"
#include "algorithms/registry.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::bully {

struct BullyOptions {
  // The paper's T: how long a process waits for an Answer; it must exceed a round trip.
  sim::Duration answer_timeout = sim::Duration::milliseconds(100);
  // How long a process that got an Answer waits for the Coordinator message before it starts a
  // new election (the paper's second timeout).
  sim::Duration coordinator_timeout = sim::Duration::milliseconds(200);
  // How often the coordinator re-announces itself (the heartbeat), and how long a process waits
  // without one before it decides the coordinator is gone.
  sim::Duration heartbeat_interval = sim::Duration::milliseconds(100);
  sim::Duration failure_timeout = sim::Duration::milliseconds(300);
  // Tests only (tests/algorithms/bully_reuses_counter.cc): a coordinator that takes the highest
  // counter it has seen instead of one more, so successive leaderships share a token.
  bool reuses_counter = false;
};

enum class BullyRole : uint8_t {
  kFollower,
  kElecting,
  kAwaitingCoordinator,  // an Answer came, or a higher process halted this one
  kHalting,             // won: halting the lower processes before the announcement
  kCoordinator,
};

class Bully final : public sim::Algorithm {
 public:
  static constexpr sim::TimerId kElectionTimer = 0;   // Answer, Coordinator or heartbeat wait
  static constexpr sim::TimerId kHeartbeatTimer = 1;  // the coordinator's announcements
  static constexpr uint64_t kDurableFormat = 1;

  explicit Bully(const BullyOptions& options) : options_(options) {}

  sim::FamilyId family() const override { return sim::families::kBully; }
  void on_start(sim::Context& context, const sim::DurableState* restored) override;
  void on_message(sim::Context& context, sim::ProcessId from, const sim::Payload& message) override;
  void on_timer(sim::Context& context, sim::TimerId timer) override;

  BullyRole role() const { return role_; }
  uint64_t counter() const { return counter_; }
  sim::ProcessId coordinator() const { return coordinator_; }

 private:
  void handle(sim::Context& context, sim::ProcessId from, const Election& message);
  void handle(sim::Context& context, sim::ProcessId from, const Answer& message);
  void handle(sim::Context& context, sim::ProcessId from, const Coordinator& message);
  void handle(sim::Context& context, sim::ProcessId from, const Halt& message);
  void handle(sim::Context& context, sim::ProcessId from, const HaltAck& message);
  // A lower process claims leadership (Coordinator or Halt): this higher one bullies it.
  void bully_lower(sim::Context& context, sim::ProcessId lower, uint64_t counter);

  void hold_election(sim::Context& context);
  void halt_lower_processes(sim::Context& context);
  void become_coordinator(sim::Context& context);
  void follow(sim::Context& context, sim::ProcessId coordinator);
  void leave_role(sim::Context& context, sim::LeaderLostReason reason);
  void announce(sim::Context& context, sim::ProcessId to);
  // Takes note of a counter seen in a message; persists it if it is the highest so far.
  void see_counter(sim::Context& context, uint64_t counter);
  bool has_higher_member() const { return members_.back() > self_; }
  size_t position(sim::ProcessId member) const;

  BullyOptions options_;
  sim::ProcessId self_ = sim::kNoNode;
  std::span<const sim::ProcessId> members_;
  uint64_t counter_ = 0;  // durable: the highest election counter seen or used
  BullyRole role_ = BullyRole::kFollower;
  sim::ProcessId coordinator_ = sim::kNoNode;
  uint64_t leading_counter_ = 0;  // the counter of its own leadership, while coordinator
  std::vector<uint8_t> halt_acked_;  // by member position: acknowledged this halt
  size_t halt_acks_ = 0;
};

class BullyFactory final : public sim::AlgorithmFactory {
 public:
  explicit BullyFactory(const BullyOptions& options) : options_(options) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId /*process*/) const override {
    return std::make_unique<Bully>(options_);
  }
  const BullyOptions& options() const { return options_; }

 private:
  BullyOptions options_;
};

AlgorithmInfo bully_info();
std::unique_ptr<sim::AlgorithmFactory> make_factory(const Params& params, uint32_t nodes);

}  // namespace electsim::algorithms::bully
