// A TTL lock: the Redis `SET key value NX PX ttl` pattern (Redis documentation, SET: "NX --
// Only set the key if it does not already exist", "PX milliseconds -- Set the specified expire
// time"; its "Patterns" section presents SET ... NX PX as a simple lock, released by deleting the
// key only if it still holds the client's value). Issue 11's "classic unsafe baseline".
//
// - Acquire: SET lock me NX PX ttl. The lock expires on the *store's* clock, ttl after the store
//   set it. The client believes it holds the lock for ttl on its *own* clock, counted from when
//   it sent the request (the earliest the store could have started the TTL). That is safe only
//   while the two clocks run at the same rate and neither the client nor the store stalls or
//   jumps: Kleppmann ("How to do distributed locking", 2016) shows a GC pause and a store clock
//   jump breaking it.
// - Renew: every renew_every, extend the TTL only if the key still holds our value (the SET
//   page's release script compares the value the same way before it deletes; lock libraries
//   extend a held lock with such a compare-then-expire script); belief moves to send time + ttl.
// - Lose: a renewal that finds another value, or our belief deadline passing, ends the
//   leadership (lease_expired). Resign: delete the key if it still holds our value.
// - Epoch: the lock key's create_revision (each acquisition creates it anew). Fencing token:
//   none, unless `token_counter` is on: then the new holder INCRements a counter key in the
//   store (Kleppmann's fencing token, monotonic) and leads with its value.
// - A candidate that does not get the lock follows the holder named in the key and tries again
//   after a random retry delay.
#pragma once

#include <cstdint>
#include <memory>

#include "algorithms/registry.h"
#include "algorithms/service/service_client.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::ttl_lock {

struct TtlLockOptions {
  sim::Duration ttl = sim::Duration::seconds(10);
  sim::Duration renew_every = sim::Duration::milliseconds(3333);
  sim::DurationRange retry_delay{sim::Duration::milliseconds(100),
                                 sim::Duration::milliseconds(300)};
  bool token_counter = false;
};

class TtlLock final : public sim::Algorithm {
 public:
  explicit TtlLock(const TtlLockOptions& options) : options_(options) {}

  sim::FamilyId family() const override { return sim::families::kService; }
  void on_start(sim::Context& context, const sim::DurableState* restored) override;
  void on_message(sim::Context& context, sim::ProcessId from,
                  const sim::Payload& message) override;
  void on_timer(sim::Context& context, sim::TimerId timer) override;
  // The scenario's `resign: leader`: release the lock (delete it if still ours).
  void resign(sim::Context& context);
  void on_resign_request(sim::Context& context) override { resign(context); }

  bool leading() const { return leading_; }

 private:
  enum class Step : uint8_t { kIdle, kAcquiring, kCounting, kRenewing, kReleasing };

  void try_acquire(sim::Context& context);
  void renew(sim::Context& context);
  void handle_acquire(sim::Context& context, const service::Reply& reply);
  void handle_count(sim::Context& context, const service::Reply& reply);
  void handle_renew(sim::Context& context, const service::Reply& reply);
  void become_leader(sim::Context& context, uint64_t token);
  void stop_leading(sim::Context& context, sim::StepDownReason reason);
  void retry_later(sim::Context& context);
  service::Request set_request(const sim::Context& context, bool only_if_absent) const;
  uint64_t my_value(const sim::Context& context) const { return uint64_t{context.self()} + 1; }

  TtlLockOptions options_;
  service::ServiceCall call_{0, service::timers::kRequest};
  Step step_ = Step::kIdle;
  bool leading_ = false;
  uint64_t epoch_ = 0;                    // the lock key's create_revision while we hold it
  sim::LocalInstant sent_at_;             // when the request in flight was sent
  sim::LocalInstant believes_until_;      // sent time of the last success + ttl
  sim::ProcessId followed_ = sim::kNoNode;
  uint64_t followed_epoch_ = 0;
};

class TtlLockFactory final : public sim::AlgorithmFactory {
 public:
  explicit TtlLockFactory(const TtlLockOptions& options) : options_(options) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId process) const override;

 private:
  TtlLockOptions options_;
};

AlgorithmInfo ttl_lock_info();

}  // namespace electsim::algorithms::ttl_lock
