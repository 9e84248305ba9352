// The world: one simulated cluster for one seed. It owns true time, the event queue, the network,
// every node's clock and runtime (up, down or paused; durable and volatile state), and the trace.
// Faults act on it through its public methods; algorithms act through their Context only.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "sim/algorithm.h"
#include "sim/clock.h"
#include "sim/event_queue.h"
#include "sim/network.h"
#include "sim/prng.h"
#include "sim/trace.h"

namespace electsim::sim {

enum class NodeStatus : uint8_t { kUp, kDown, kPaused };
enum class Role : uint8_t { kNone, kFollower, kLeader };

// What a node last reported about its leadership (from became_leader / follows / stepped_down).
struct Leadership {
  Role role = Role::kNone;
  uint64_t epoch = 0;
  NodeId leader = kNoNode;
};

struct WorldStats {
  uint64_t events = 0;
  uint64_t messages_sent = 0;
  uint64_t messages_delivered = 0;
  uint64_t messages_dropped = 0;
  uint64_t messages_duplicated = 0;
  uint64_t timers_fired = 0;
};

// Limits on one run, checked by the world's guard as it runs (run_until, step). The default is
// no limit; the runner sets one for every scenario (scenarios/budget.h).
struct RunBudget {
  uint64_t max_events = UINT64_MAX;   // events processed
  uint64_t max_pending = UINT64_MAX;  // events waiting in the queue at once (this bounds memory)
};
enum class BudgetExceeded : uint8_t { kNone, kEvents, kPending };

class World {
 public:
  // Every node runs an instance made by `factory`, which must outlive the world.
  World(uint64_t seed, uint32_t nodes, const Link& every_link, const AlgorithmFactory& factory);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Schedules every node's on_start at true time zero (in id order).
  void start();
  // Runs every event with time <= end, then sets now() to end and ends the trace. A run that
  // goes over its budget stops at the event that would have gone over: now() stays there.
  void run_until(Instant end);
  // Runs the next event if it is due at or before `end`; false if there is none, or if running
  // it would go over the budget.
  bool step(Instant end);

  void set_budget(const RunBudget& budget);
  // Which limit stopped the run, if one did.
  BudgetExceeded budget_exceeded() const { return budget_exceeded_; }

  Instant now() const { return now_; }
  uint64_t seed() const { return seed_; }
  uint32_t size() const { return static_cast<uint32_t>(nodes_.size()); }
  Trace& trace() { return trace_; }
  const Network& network() const { return network_; }
  const WorldStats& stats() const { return stats_; }

  // Runs `action` at true time `when` (>= now), ordered with every other event. For faults and
  // the runner, not the hot path: it may allocate.
  void at(Instant when, std::function<void()> action);

  // Links. Changes are traced as kLinkChange per directed link that changed.
  void set_link_up(NodeId from, NodeId to, bool up);
  void heal_all_links();
  Link& mutable_link(NodeId from, NodeId to) { return network_.link(from, to); }

  // Sets a node's clock before the run starts (the scenario's initial skew and drift), without
  // a trace record: it is configuration, not a fault.
  void set_initial_clock(NodeId node, Duration offset, int64_t drift_ppm);
  // Clocks. Pending timers are re-aimed at the true instant their local deadline now falls on.
  void set_clock_drift(NodeId node, int64_t drift_ppm);
  void set_clock_offset(NodeId node, Duration offset);
  void jump_clock(NodeId node, Duration amount);
  const LocalClock& clock(NodeId node) const { return nodes_[node].clock; }
  Instant local_now(NodeId node) const { return nodes_[node].clock.local_at(now_); }

  // Processes. crash drops the volatile state, pending timers and messages addressed to the
  // node; restart rebuilds it from its durable state (or from nothing, if `amnesia`).
  void crash(NodeId node);
  void restart(NodeId node, bool amnesia);
  void pause(NodeId node);
  void resume(NodeId node);
  NodeStatus status(NodeId node) const { return nodes_[node].status; }
  // How many times the node has crashed. A fault that restarts the node later checks it, so
  // that it never revives a node that a later crash stopped (that crash owns the restart).
  uint32_t incarnation(NodeId node) const { return nodes_[node].incarnation; }

  const Leadership& leadership(NodeId node) const { return nodes_[node].leadership; }
  // The node that is not down, reports leading, and has the highest epoch (lowest id on ties).
  std::optional<NodeId> current_leader() const;
  const DurableState* durable_state(NodeId node) const;
  // The live algorithm instance of an up or paused node (tests inspect it), else nullptr.
  Algorithm* algorithm(NodeId node) { return nodes_[node].algorithm.get(); }

 private:
  class NodeContext;
  struct TimerSlot {
    bool armed = false;
    bool queued = false;       // an event for this timer's current generation is in the queue
    Instant local_deadline;
    Instant true_deadline;
    Instant queued_time;
    uint64_t generation = 0;
  };
  struct InboxItem {           // what arrived while the node was paused, in arrival order
    bool is_timer;
    uint64_t data;             // message slot, or timer id | generation << 8
  };
  struct NodeRuntime {
    NodeStatus status = NodeStatus::kDown;
    std::unique_ptr<Algorithm> algorithm;
    std::unique_ptr<NodeContext> context;
    LocalClock clock;
    Rng rng{0};
    bool has_durable = false;
    DurableState durable;
    std::array<TimerSlot, kMaxTimers> timers{};
    std::deque<InboxItem> inbox;
    Leadership leadership;
    uint32_t incarnation = 0;
  };
  struct InFlight {
    NodeId from;
    NodeId to;
    uint32_t to_incarnation;
    uint32_t type_tag;
    uint64_t id;
    Payload payload;
  };
  enum EventKind : uint32_t { kStartNode, kDeliver, kTimerFire, kControl };

  void dispatch(const Event& event);
  // The guard's slow path, run every kBudgetCheckEvents events: false (and budget_exceeded_ set)
  // if the run is over its budget.
  bool within_budget();
  void deliver(NodeId node, uint32_t slot);
  void handle_message(NodeId node, uint32_t slot);
  void fire_timer(NodeId node, uint64_t data);
  void handle_timer(NodeId node, TimerId timer, uint64_t generation);
  void boot(NodeId node, const DurableState* restored);
  void drop(uint32_t slot, DropReason reason);
  // Messages in flight live in fixed-size chunks, so a reference to one stays valid while the
  // handler that receives it sends more (a growing vector would move them).
  static constexpr uint32_t kSlabChunkBits = 8;
  InFlight& in_flight(uint32_t slot) {
    return (*slab_[slot >> kSlabChunkBits])[slot & ((1u << kSlabChunkBits) - 1)];
  }
  uint32_t allocate_slot();
  void record_drop(NodeId to, NodeId from, DropReason reason, uint64_t id);
  void schedule_delivery(uint32_t slot, NodeId to, Link& link, Instant departure);

  // Context operations.
  void send(NodeId from, NodeId to, const Payload& payload, uint32_t type_tag);
  void set_timer(NodeId node, TimerId timer, Duration after);
  void cancel_timer(NodeId node, TimerId timer);
  void arm(NodeId node, TimerId timer);
  void reaim_timers(NodeId node);
  void persist(NodeId node, const DurableState& state);
  void persist_at(NodeId node, size_t offset, std::span<const uint64_t> words, bool truncate_rest);
  void report_leader(NodeId node, uint64_t epoch, uint64_t token);
  void report_follows(NodeId node, NodeId leader, uint64_t epoch);
  void report_step_down(NodeId node, StepDownReason reason);

  void record(RecordKind kind, NodeId node, NodeId peer, uint64_t a, uint64_t b) {
    trace_.record(TraceRecord{now_, kind, node, peer, a, b});
  }

  uint64_t seed_;
  const AlgorithmFactory& factory_;
  Instant now_;
  EventQueue queue_;
  Network network_;
  Rng network_rng_;
  Trace trace_;
  WorldStats stats_;
  std::vector<NodeRuntime> nodes_;
  std::vector<NodeId> members_;
  std::vector<std::unique_ptr<std::array<InFlight, 1u << kSlabChunkBits>>> slab_;
  uint32_t slab_used_ = 0;  // slots handed out so far (freed ones are reused first)
  std::vector<uint32_t> free_slots_;
  std::vector<std::function<void()>> controls_;
  std::vector<uint64_t> free_controls_;
  uint64_t next_message_id_ = 0;
  // The hot loop compares the event count with next_budget_check_ only, one comparison per
  // event; the queue size is looked at every kBudgetCheckEvents events, which lets it overshoot
  // the limit by what that many events can send (a broadcast each, at most).
  static constexpr uint64_t kBudgetCheckEvents = 256;
  RunBudget budget_;
  uint64_t next_budget_check_ = UINT64_MAX;
  BudgetExceeded budget_exceeded_ = BudgetExceeded::kNone;
};

}  // namespace electsim::sim
