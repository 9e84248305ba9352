// The world: one simulated layout (sim/layout.h) for one seed. It owns true time, the event
// queue, the network between hosts, every host's clock and status (up, down or paused) and every
// process's runtime (algorithm, timers, random stream, durable and volatile state, leadership),
// and the trace. Faults act on hosts through its public methods; algorithms act through their
// Context only.
//
// Processes on one host talk over the host's loopback: a constant kLoopbackLatency, FIFO, never
// lost and never cut by a partition (partitions are between hosts). A process may send to a
// process of another group or kind; a process that receives a message of a family other than
// its algorithm's fails a SIM_CHECK naming both.
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
#include "sim/layout.h"
#include "sim/network.h"
#include "sim/prng.h"
#include "sim/trace.h"

namespace electsim::sim {

// A host's status; its processes share it.
enum class NodeStatus : uint8_t { kUp, kDown, kPaused };
using HostStatus = NodeStatus;
enum class Role : uint8_t { kNone, kFollower, kLeader };

// What a process last reported about its leadership (Elected / Follows / SteppedDown /
// LeaderLost).
struct Leadership {
  Role role = Role::kNone;
  uint64_t epoch = 0;
  NodeId leader = kNoNode;
};

struct WorldStats {
  uint64_t events = 0;
  uint64_t messages_sent = 0;
  // Of those, messages of the types their family marks as electing (FamilyInfo::
  // election_messages): vote requests, prepares, notifications and their replies.
  uint64_t election_messages_sent = 0;
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
  // Every process runs an instance made by its kind's factory; the factories must outlive the
  // world. The layout is copied.
  World(uint64_t seed, const Layout& layout, const Link& default_link,
        const AlgorithmFactories& factories);
  // One group of `nodes` members, member i on host i (Layout::single_group): every test and
  // tool that predates hosts and groups.
  World(uint64_t seed, uint32_t nodes, const Link& every_link, const AlgorithmFactory& factory);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  static constexpr Duration kLoopbackLatency = Duration::microseconds(10);

  // Schedules every process's on_start at true time zero (in id order).
  void start();
  // Runs every event with time <= end, then sets now() to end and ends the trace. A run that
  // goes over its budget stops at the event that would have gone over: now() stays there.
  void run_until(Instant end);
  // Runs the next event if it is due at or before `end`; false if there is none, or if running
  // it would go over the budget.
  bool step(Instant end);

  void set_budget(const RunBudget& budget);

  // The writer (issue 9): from now on the runtime writes to the fenced resource (the layout's
  // first resource process) on behalf of every member that reports Elected: the first write at
  // once, then one every `every` on its host's local clock while it still leads that epoch. It
  // stops when the member steps down, crashes, or is elected again in another epoch. Writes are
  // ordinary messages (partitions, delays and pauses apply), but their random draws come from
  // the "writes" stream, so the members' own runs are exactly those of a world without writes.
  // Call before start().
  void enable_writes(Duration every);
  // Which limit stopped the run, if one did.
  BudgetExceeded budget_exceeded() const { return budget_exceeded_; }

  Instant now() const { return now_; }
  uint64_t seed() const { return seed_; }
  const Layout& layout() const { return layout_; }
  // The number of processes (ids 0..size()-1).
  uint32_t size() const { return static_cast<uint32_t>(processes_.size()); }
  uint32_t hosts() const { return static_cast<uint32_t>(hosts_.size()); }
  HostId host_of(ProcessId process) const { return processes_[process].host; }
  Trace& trace() { return trace_; }
  const Network& network() const { return network_; }
  const WorldStats& stats() const { return stats_; }
  // Whether a process runs a family that marks its electing messages, so that
  // stats().election_messages_sent measures something: the coordination service's family cannot
  // tell a campaign from a keep-alive by its type and marks none.
  bool counts_election_messages() const;

  // Runs `action` at true time `when` (>= now), ordered with every other event. For faults and
  // the runner, not the hot path: it may allocate.
  void at(Instant when, std::function<void()> action);

  // Links between hosts. Changes are traced as kLinkChange per directed link that changed.
  void set_link_up(HostId from, HostId to, bool up);
  void heal_all_links();
  Link& mutable_link(HostId from, HostId to) { return network_.link(from, to); }

  // Sets a host's clock before the run starts (the scenario's initial skew and drift), without
  // a trace record: it is configuration, not a fault.
  void set_initial_clock(HostId host, Duration offset, int64_t drift_ppm);
  // Clocks. Pending timers of the host's processes are re-aimed at the true instant their local
  // deadline now falls on.
  void set_clock_drift(HostId host, int64_t drift_ppm);
  void set_clock_offset(HostId host, Duration offset);
  void jump_clock(HostId host, Duration amount);
  const LocalClock& clock(HostId host) const { return hosts_[host].clock; }
  LocalInstant local_now(HostId host) const { return hosts_[host].clock.local_at(now_); }

  // Host faults act on every process of the host. crash records one host record and drops
  // every process's volatile state, pending timers and messages; restart rebuilds each process
  // from its own durable state (or from nothing, if `amnesia`).
  void crash(HostId host);
  void restart(HostId host, bool amnesia);
  void pause(HostId host);
  void resume(HostId host);
  // Asks a process that leads to resign (Algorithm::on_resign_request), at once; true if it
  // no longer leads afterwards. A process on a host that is not up hears nothing (a paused host
  // runs no code) and one that does not lead is not asked: both return false.
  bool request_resignation(ProcessId process);
  NodeStatus host_status(HostId host) const { return hosts_[host].status; }
  // How many times the host has crashed. A fault that restarts the host later checks it, so
  // that it never revives a host that a later crash stopped (that crash owns the restart).
  uint32_t incarnation(HostId host) const { return hosts_[host].incarnation; }
  // The status of a process: its host's.
  NodeStatus status(ProcessId process) const { return hosts_[processes_[process].host].status; }

  const Leadership& leadership(ProcessId process) const {
    return processes_[process].leadership;
  }
  // The member of `group` whose host is not down, that reports leading, with the highest epoch
  // (lowest id on ties); nothing if none does.
  std::optional<ProcessId> leader_of(GroupId group) const;
  // The leader of group 0, the only group of a single-group world.
  std::optional<ProcessId> current_leader() const {
    if (layout_.groups() == 0) return std::nullopt;
    return leader_of(0);
  }
  // The groups whose leader (leader_of) runs on `host`, in id order.
  std::vector<GroupId> groups_led_by(HostId host) const;
  const DurableState* durable_state(ProcessId process) const;
  // The live algorithm instance of a process whose host is up or paused (tests inspect it).
  Algorithm* algorithm(ProcessId process) { return processes_[process].algorithm.get(); }

 private:
  class ProcessContext;
  struct TimerSlot {
    bool armed = false;
    bool queued = false;       // an event for this timer's current generation is in the queue
    LocalInstant local_deadline;
    Instant true_deadline;
    Instant queued_time;
    uint64_t generation = 0;
  };
  struct InboxItem {           // what arrived while the host was paused, in arrival order
    bool is_timer;
    ProcessId process;
    uint64_t data;             // message slot, or timer id | generation << 8
  };
  struct HostRuntime {
    NodeStatus status = NodeStatus::kDown;
    LocalClock clock;
    uint32_t incarnation = 0;
    std::deque<InboxItem> inbox;
  };
  // A slot beside the algorithm's kMaxTimers, reserved for the writer, so that pauses, clock
  // changes and crashes treat the write timer exactly as any other timer.
  static constexpr TimerId kWriteTimer = kMaxTimers;
  static constexpr size_t kTimerSlots = kMaxTimers + 1;
  // The leadership a process writes for while it leads it.
  struct Writing {
    bool active = false;
    uint64_t epoch = 0;
    uint64_t token = 0;
  };
  struct ProcessRuntime {
    HostId host = 0;
    GroupId group = kNoGroup;
    FamilyId family = families::kTestOnly;  // the running algorithm's, read at each start
    const AlgorithmFactory* factory = nullptr;
    std::unique_ptr<Algorithm> algorithm;
    std::unique_ptr<ProcessContext> context;
    Rng rng{0};
    bool has_durable = false;
    DurableState durable;
    std::array<TimerSlot, kTimerSlots> timers{};
    Leadership leadership;
    Writing writing;
  };
  struct InFlight {
    ProcessId from;
    ProcessId to;
    uint32_t to_incarnation;   // the incarnation of the receiver's host when sent
    MessageTypeId type;
    uint64_t id;
    Payload payload;
  };
  enum EventKind : uint32_t { kStartNode, kDeliver, kTimerFire, kControl };

  void dispatch(const Event& event);
  // The guard's slow path, run every kBudgetCheckEvents events: false (and budget_exceeded_ set)
  // if the run is over its budget.
  bool within_budget();
  void deliver(ProcessId process, uint32_t slot);
  void handle_message(ProcessId process, uint32_t slot);
  [[noreturn]] void fail_wrong_family(ProcessId process, const InFlight& message) const;
  void fire_timer(ProcessId process, uint64_t data);
  void handle_timer(ProcessId process, TimerId timer, uint64_t generation);
  void boot(ProcessId process, const DurableState* restored);
  void stop(ProcessId process);
  void drop(uint32_t slot, DropReason reason);
  // Messages in flight live in fixed-size chunks, so a reference to one stays valid while the
  // handler that receives it sends more (a growing vector would move them).
  static constexpr uint32_t kSlabChunkBits = 8;
  InFlight& in_flight(uint32_t slot) {
    return (*slab_[slot >> kSlabChunkBits])[slot & ((1u << kSlabChunkBits) - 1)];
  }
  // A free slot: a reused one inline (every message but the first few thousand of a run), a
  // new one out of line. One out-of-line function cost 17 instructions of register saves and
  // restores per message on the SimGrid workload (callgrind), for a pop from a vector.
  uint32_t allocate_slot() {
    if (!free_slots_.empty()) [[likely]] {
      const uint32_t slot = free_slots_.back();
      free_slots_.pop_back();
      return slot;
    }
    return allocate_new_slot();
  }
  uint32_t allocate_new_slot();
  // Writes a message into its slot field by field: building an InFlight and assigning it copied
  // the 56-byte payload twice (35 instructions per message on the SimGrid workload, callgrind).
  static void fill_in_flight(InFlight& slot, ProcessId from, ProcessId to, uint32_t incarnation,
                             MessageTypeId type, uint64_t id, const Payload& payload) {
    slot.from = from;
    slot.to = to;
    slot.to_incarnation = incarnation;
    slot.type = type;
    slot.id = id;
    slot.payload = payload;
  }
  void record_drop(ProcessId to, ProcessId from, DropReason reason, uint64_t id);
  void schedule_delivery(uint32_t slot, ProcessId to, Link& link, Instant departure, Rng& rng);
  void send_on_loopback(ProcessId from, ProcessId to, const Payload& payload,
                        MessageTypeId type, uint64_t id);

  // Context operations.
  void send(ProcessId from, ProcessId to, const Payload& payload, MessageTypeId type);
  void set_timer(ProcessId process, TimerId timer, Duration after);
  void set_timer_slot(ProcessId process, TimerId timer, Duration after);
  void cancel_timer(ProcessId process, TimerId timer);
  // Makes sure the timer's event is in the queue no later than its deadline. Inline: most calls
  // push a pending deadline later (every heartbeat resets the election timer), which needs no
  // new event, and an out-of-line call cost more than the check (callgrind, SimGrid workload).
  void arm(ProcessId process, TimerId timer) {
    TimerSlot& slot = processes_[process].timers[timer];
    if (slot.queued && slot.queued_time <= slot.true_deadline) return;
    queue_timer(process, timer);
  }
  void queue_timer(ProcessId process, TimerId timer);
  void reaim_timers(HostId host);
  void persist(ProcessId process, const DurableState& state);
  void persist_at(ProcessId process, size_t offset, std::span<const uint64_t> words,
                  bool truncate_rest);
  void report_elected(ProcessId process, const Elected& event);
  void report_ready(ProcessId process);
  void report_follows(ProcessId process, const Follows& event);
  void report_step_down(ProcessId process, StepDownReason reason);
  void report_leader_lost(ProcessId process, LeaderLostReason reason);
  void report_write_decided(ProcessId resource, const WriteDecided& event);
  void report_committed(ProcessId process, const Committed& event);
  void report_supported(ProcessId process, const Supported& event);

  // The writer.
  void start_writing(ProcessId process, const Elected& event);
  void stop_writing(ProcessId process);
  void write_timer_fired(ProcessId process);
  void send_write(ProcessId process);
  void arm_write_timer(ProcessId process);

  // A process record: node (and peer) are processes, and the record carries node's group.
  void record(RecordKind kind, ProcessId process, ProcessId peer, uint64_t a, uint64_t b,
              uint64_t c = 0) {
    trace_.record(TraceRecord{now_, kind, process, peer, a, b, processes_[process].group, c});
  }
  // A host record: node (and peer) are hosts; no group.
  void record_host(RecordKind kind, HostId host, HostId peer, uint64_t a, uint64_t b) {
    trace_.record(TraceRecord{now_, kind, host, peer, a, b, kNoGroup});
  }

  uint64_t seed_;
  Layout layout_;
  Instant now_;
  EventQueue queue_;
  Network network_;
  Rng network_rng_;
  // Draws for write messages only (latency, loss, duplication): never the network's stream.
  Rng writes_rng_;
  std::optional<Duration> write_every_;
  ProcessId resource_ = kNoNode;
  Trace trace_;
  WorldStats stats_;
  // FamilyInfo::election_messages of families 0..15, read once when the world is made (the
  // registry is for names; a lookup per message would cost a map search). Higher family ids
  // (tests' own) count no election messages.
  std::array<uint64_t, 16> election_messages_ = {};
  std::vector<HostRuntime> hosts_;
  std::vector<ProcessRuntime> processes_;
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
