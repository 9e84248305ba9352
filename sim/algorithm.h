// The interface every election algorithm implements, and the context it acts through
// (DESIGN.md, "Algorithms"; STYLE.md 1-3). An algorithm is a state machine with no I/O of its
// own: inputs are on_start / on_message / on_timer, outputs are calls on the Context. It never
// reads a clock other than local_now(), never sees a fault, a scenario or a report.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sim/payload.h"
#include "sim/prng.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::sim {

// An algorithm names its timers with small integers of its own; setting a timer that is already
// pending moves it (etcd-raft's tick model, one deadline per purpose).
using TimerId = uint32_t;
inline constexpr TimerId kMaxTimers = 8;

// What an algorithm saved with persist(); survives a crash unless the restart is an amnesia one.
using DurableState = std::vector<uint64_t>;

class Context {
 public:
  virtual ~Context() = default;

  virtual NodeId self() const = 0;
  // The nodes of this node's group (itself included), in id order.
  virtual std::span<const NodeId> members() const = 0;
  virtual Instant local_now() const = 0;

  virtual void send(NodeId to, const Payload& message, uint32_t type_tag) = 0;
  template <class Message>
  void send(NodeId to, const Message& message) {
    send(to, Payload::of(message), message_tag(message));
  }

  virtual void set_timer(TimerId timer, Duration after) = 0;
  // A duration drawn uniformly from [lo, hi] on this node's own random stream.
  virtual void set_timer(TimerId timer, Duration lo, Duration hi) = 0;
  virtual void cancel_timer(TimerId timer) = 0;

  // Replaces the node's durable state; a crash keeps exactly what was last persisted.
  virtual void persist(const DurableState& state) = 0;
  // Writes `words` into the durable state at `offset` (<= its current size), extending it as
  // needed, and drops everything after them if `truncate_rest`. What a real server does when it
  // appends to its log file or rewrites its small metadata file, instead of rewriting it all.
  virtual void persist_at(size_t offset, std::span<const uint64_t> words, bool truncate_rest) = 0;
  // The splice persist_at performs, for contexts that keep a DurableState themselves.
  static void splice(DurableState& state, size_t offset, std::span<const uint64_t> words,
                     bool truncate_rest) {
    SIM_CHECK(offset <= state.size(), "persist_at past the end of the durable state");
    if (state.size() < offset + words.size()) state.resize(offset + words.size());
    std::copy(words.begin(), words.end(), state.begin() + static_cast<std::ptrdiff_t>(offset));
    if (truncate_rest) state.resize(offset + words.size());
  }

  virtual void became_leader(uint64_t epoch, uint64_t fencing_token) = 0;
  virtual void follows(NodeId leader, uint64_t epoch) = 0;
  virtual void stepped_down(StepDownReason reason) = 0;

  // The node's own random stream, for algorithms that randomize beyond timers.
  virtual Rng& rng() = 0;

 private:
  // Messages that are std::variants report their alternative as the trace's type tag.
  template <class Message>
  static uint32_t message_tag(const Message& message) {
    if constexpr (requires { message.index(); }) {
      return static_cast<uint32_t>(message.index());
    } else {
      return 0;
    }
  }
};

class Algorithm {
 public:
  virtual ~Algorithm() = default;
  // `restored` is what the node last persisted, or nullptr for a first start or an amnesia
  // restart.
  virtual void on_start(Context& context, const DurableState* restored) = 0;
  virtual void on_message(Context& context, NodeId from, const Payload& message) = 0;
  virtual void on_timer(Context& context, TimerId timer) = 0;
};

// Builds a fresh algorithm instance for a node (at start and at every restart).
class AlgorithmFactory {
 public:
  virtual ~AlgorithmFactory() = default;
  virtual std::unique_ptr<Algorithm> create(NodeId node) const = 0;
};

}  // namespace electsim::sim
