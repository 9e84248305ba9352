#include "sim/world.h"

#include <algorithm>

namespace electsim::sim {

// The context a node's algorithm acts through; it forwards to the world with the node's id.
class World::NodeContext final : public Context {
 public:
  NodeContext(World& world, NodeId node) : world_(world), node_(node) {}
  NodeId self() const override { return node_; }
  std::span<const NodeId> members() const override { return world_.members_; }
  Instant local_now() const override { return world_.local_now(node_); }
  void send(NodeId to, const Payload& message, uint32_t type_tag) override {
    world_.send(node_, to, message, type_tag);
  }
  void set_timer(TimerId timer, Duration after) override { world_.set_timer(node_, timer, after); }
  void set_timer(TimerId timer, Duration lo, Duration hi) override {
    world_.set_timer(node_, timer, world_.nodes_[node_].rng.uniform(lo, hi));
  }
  void cancel_timer(TimerId timer) override { world_.cancel_timer(node_, timer); }
  void persist(const DurableState& state) override { world_.persist(node_, state); }
  void persist_at(size_t offset, std::span<const uint64_t> words, bool truncate_rest) override {
    world_.persist_at(node_, offset, words, truncate_rest);
  }
  void became_leader(uint64_t epoch, uint64_t token) override {
    world_.report_leader(node_, epoch, token);
  }
  void follows(NodeId leader, uint64_t epoch) override {
    world_.report_follows(node_, leader, epoch);
  }
  void stepped_down(StepDownReason reason) override { world_.report_step_down(node_, reason); }
  Rng& rng() override { return world_.nodes_[node_].rng; }

 private:
  World& world_;
  NodeId node_;
};

World::World(uint64_t seed, uint32_t nodes, const Link& every_link,
             const AlgorithmFactory& factory)
    : seed_(seed),
      factory_(factory),
      network_(nodes, every_link),
      network_rng_(Rng::stream(seed, "network")),
      nodes_(nodes) {
  SIM_CHECK(nodes > 0, "a world needs at least one node");
  for (NodeId node = 0; node < nodes; ++node) {
    members_.push_back(node);
    nodes_[node].rng = Rng::stream(seed, stream_id("node") + node);
    nodes_[node].context = std::make_unique<NodeContext>(*this, node);
  }
}

World::~World() = default;

void World::start() {
  for (NodeId node = 0; node < size(); ++node) queue_.push(0, kStartNode, node, 0);
}

void World::run_until(Instant end) {
  while (step(end)) {
  }
  if (end > now_ && budget_exceeded_ == BudgetExceeded::kNone) now_ = end;
  trace_.end(now_);
}

void World::set_budget(const RunBudget& budget) {
  budget_ = budget;
  next_budget_check_ = std::min(budget_.max_events, stats_.events);
}

bool World::within_budget() {
  if (stats_.events >= budget_.max_events) {
    budget_exceeded_ = BudgetExceeded::kEvents;
    return false;
  }
  if (queue_.size() > budget_.max_pending) {
    budget_exceeded_ = BudgetExceeded::kPending;
    return false;
  }
  const uint64_t next_look_at_queue = budget_.max_pending == UINT64_MAX
                                          ? UINT64_MAX
                                          : stats_.events + kBudgetCheckEvents;
  next_budget_check_ = std::min(budget_.max_events, next_look_at_queue);
  return true;
}

bool World::step(Instant end) {
  if (queue_.empty()) return false;
  if (stats_.events >= next_budget_check_) [[unlikely]] {
    if (!within_budget()) return false;
  }
  const Event& next = queue_.top();
  if (next.time > static_cast<uint64_t>(end.ns())) return false;
  const Event event = next;  // copied: dispatching may push, which may move it
  queue_.pop_top();
  now_ = Instant::from_ns(static_cast<int64_t>(event.time));
  ++stats_.events;
  dispatch(event);
  return true;
}

void World::dispatch(const Event& event) {
  switch (event.kind) {
    case kDeliver:
      deliver(event.node, static_cast<uint32_t>(event.data));
      return;
    case kTimerFire:
      fire_timer(event.node, event.data);
      return;
    case kStartNode:
      if (nodes_[event.node].status == NodeStatus::kDown && nodes_[event.node].incarnation == 0) {
        boot(event.node, nullptr);
      }
      return;
    case kControl: {
      // Move the action out first: it may schedule more controls and grow the vector.
      std::function<void()> action = std::move(controls_[event.data]);
      controls_[event.data] = nullptr;
      free_controls_.push_back(event.data);
      action();
      return;
    }
  }
  SIM_CHECK(false, "unknown event kind");
}

void World::at(Instant when, std::function<void()> action) {
  SIM_CHECK(when >= now_, "control action scheduled in the past");
  // Slots of actions that ran are reused, so a long run's memory stays flat.
  uint64_t slot = controls_.size();
  if (free_controls_.empty()) {
    controls_.push_back(std::move(action));
  } else {
    slot = free_controls_.back();
    free_controls_.pop_back();
    controls_[slot] = std::move(action);
  }
  queue_.push(static_cast<uint64_t>(when.ns()), kControl, 0, slot);
}

// ---- Messages ----

uint32_t World::allocate_slot() {
  if (!free_slots_.empty()) {
    const uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  if ((slab_used_ >> kSlabChunkBits) == slab_.size()) {
    slab_.push_back(std::make_unique<std::array<InFlight, 1u << kSlabChunkBits>>());
  }
  return slab_used_++;
}

void World::send(NodeId from, NodeId to, const Payload& payload, uint32_t type_tag) {
  SIM_CHECK(to < size() && to != from, "send to an unknown node or to itself");
  ++stats_.messages_sent;
  const uint64_t id = next_message_id_++;
  record(RecordKind::kSend, from, to, type_tag, id);
  Link& link = network_.link(from, to);
  if (!link.up) [[unlikely]] {
    record_drop(to, from, DropReason::kLinkDown, id);
    return;
  }
  if (!link.loss.is_zero() && network_rng_.chance(link.loss)) {
    record_drop(to, from, DropReason::kLoss, id);
    return;
  }
  const uint32_t slot = allocate_slot();
  in_flight(slot) = InFlight{from, to, nodes_[to].incarnation, type_tag, id, payload};
  schedule_delivery(slot, to, link, now_);
  if (!link.duplication.is_zero() && network_rng_.chance(link.duplication)) {
    ++stats_.messages_duplicated;
    const uint32_t copy = allocate_slot();
    in_flight(copy) = in_flight(slot);
    in_flight(copy).id = next_message_id_++;
    record(RecordKind::kDuplicate, to, from, type_tag, in_flight(copy).id);
    schedule_delivery(copy, to, link, now_);
  }
}

void World::schedule_delivery(uint32_t slot, NodeId to, Link& link, Instant departure) {
  Duration latency = link.latency.draw(network_rng_);
  if (link.extra_latency.kind != LatencyModel::Kind::kConstant ||
      link.extra_latency.a != Duration::zero()) [[unlikely]] {
    latency += link.extra_latency.draw(network_rng_);
  }
  Instant arrival = std::max(departure, link.clogged_until) + latency;
  if (!link.may_reorder) {
    arrival = std::max(arrival, link.last_delivery);  // FIFO: never overtake an earlier message
    link.last_delivery = arrival;
  }
  queue_.push(static_cast<uint64_t>(arrival.ns()), kDeliver, to, slot);
}

void World::record_drop(NodeId to, NodeId from, DropReason reason, uint64_t id) {
  ++stats_.messages_dropped;
  record(RecordKind::kDrop, to, from, static_cast<uint64_t>(reason), id);
}

void World::drop(uint32_t slot, DropReason reason) {
  const InFlight& message = in_flight(slot);
  record_drop(message.to, message.from, reason, message.id);
  free_slots_.push_back(slot);
}

void World::deliver(NodeId node, uint32_t slot) {
  NodeRuntime& runtime = nodes_[node];
  if (runtime.status == NodeStatus::kDown || in_flight(slot).to_incarnation != runtime.incarnation) {
    drop(slot, DropReason::kNodeDown);  // addressed to a process that is gone
    return;
  }
  if (runtime.status == NodeStatus::kPaused) {
    runtime.inbox.push_back(InboxItem{false, slot});
    return;
  }
  handle_message(node, slot);
}

void World::handle_message(NodeId node, uint32_t slot) {
  const InFlight& message = in_flight(slot);  // stays put while the handler sends
  ++stats_.messages_delivered;
  record(RecordKind::kDeliver, node, message.from, message.type_tag, message.id);
  NodeRuntime& runtime = nodes_[node];
  runtime.algorithm->on_message(*runtime.context, message.from, message.payload);
  free_slots_.push_back(slot);  // only now: the handler's own sends must not overwrite it
}

// ---- Timers ----
//
// A timer keeps at most one live event in the queue. Moving a pending timer later leaves its
// event in place; when the event comes due it sees the later deadline and re-queues itself.
// That keeps the queue small when heartbeats push an election deadline forward at every message.

void World::set_timer(NodeId node, TimerId timer, Duration after) {
  SIM_CHECK(timer < kMaxTimers, "timer id out of range");
  SIM_CHECK(after >= Duration::zero(), "timer set for a negative duration");
  NodeRuntime& runtime = nodes_[node];
  TimerSlot& slot = runtime.timers[timer];
  slot.armed = true;
  slot.local_deadline = runtime.clock.local_at(now_) + after;
  // A clock without drift runs at the true rate, so the deadline is `after` away in true time
  // too (whatever its offset); otherwise convert exactly.
  slot.true_deadline = runtime.clock.drift_ppm() == 0
                           ? now_ + after
                           : runtime.clock.true_when_local_reaches(slot.local_deadline, now_);
  arm(node, timer);
}

void World::arm(NodeId node, TimerId timer) {
  TimerSlot& slot = nodes_[node].timers[timer];
  if (slot.queued && slot.queued_time <= slot.true_deadline) return;
  ++slot.generation;
  slot.queued = true;
  slot.queued_time = slot.true_deadline;
  queue_.push(static_cast<uint64_t>(slot.true_deadline.ns()), kTimerFire, node,
              timer | (slot.generation << 8));
}

void World::cancel_timer(NodeId node, TimerId timer) {
  SIM_CHECK(timer < kMaxTimers, "timer id out of range");
  nodes_[node].timers[timer].armed = false;
}

void World::fire_timer(NodeId node, uint64_t data) {
  const auto timer = static_cast<TimerId>(data & 0xff);
  const uint64_t generation = data >> 8;
  NodeRuntime& runtime = nodes_[node];
  TimerSlot& slot = runtime.timers[timer];
  if (slot.generation != generation || !slot.queued) return;  // superseded
  slot.queued = false;
  if (!slot.armed || runtime.status == NodeStatus::kDown) return;
  if (slot.true_deadline > now_) {  // moved later while queued
    arm(node, timer);
    return;
  }
  if (runtime.status == NodeStatus::kPaused) {
    runtime.inbox.push_back(InboxItem{true, data});
    return;
  }
  handle_timer(node, timer, generation);
}

void World::handle_timer(NodeId node, TimerId timer, uint64_t generation) {
  NodeRuntime& runtime = nodes_[node];
  TimerSlot& slot = runtime.timers[timer];
  if (!slot.armed || slot.generation != generation) return;  // reset or cancelled meanwhile
  slot.armed = false;
  ++stats_.timers_fired;
  record(RecordKind::kTimer, node, kNoNode, timer,
         static_cast<uint64_t>(runtime.clock.local_at(now_).ns()));
  runtime.algorithm->on_timer(*runtime.context, timer);
}

void World::reaim_timers(NodeId node) {
  NodeRuntime& runtime = nodes_[node];
  for (TimerId timer = 0; timer < kMaxTimers; ++timer) {
    TimerSlot& slot = runtime.timers[timer];
    // Armed but not queued means it already came due while the node was paused and waits in
    // the inbox: it has fired, and a later clock change must not move it or reorder it.
    if (!slot.armed || !slot.queued) continue;
    slot.true_deadline = runtime.clock.true_when_local_reaches(slot.local_deadline, now_);
    arm(node, timer);
  }
}

// ---- Clocks ----

void World::set_clock_drift(NodeId node, int64_t drift_ppm) {
  nodes_[node].clock.set_drift_ppm(now_, drift_ppm);
  record(RecordKind::kClockChange, node, kNoNode, static_cast<uint64_t>(ClockChange::kDriftPpm),
         static_cast<uint64_t>(drift_ppm));
  reaim_timers(node);
}

void World::set_clock_offset(NodeId node, Duration offset) {
  nodes_[node].clock.set_offset(now_, offset);
  record(RecordKind::kClockChange, node, kNoNode, static_cast<uint64_t>(ClockChange::kOffset),
         static_cast<uint64_t>(offset.ns()));
  reaim_timers(node);
}

void World::jump_clock(NodeId node, Duration amount) {
  nodes_[node].clock.jump(now_, amount);
  record(RecordKind::kClockChange, node, kNoNode, static_cast<uint64_t>(ClockChange::kJump),
         static_cast<uint64_t>(amount.ns()));
  reaim_timers(node);
}

void World::set_initial_clock(NodeId node, Duration offset, int64_t drift_ppm) {
  SIM_CHECK(stats_.events == 0 && now_ == Instant::zero(), "initial clock set after the start");
  nodes_[node].clock.set_offset(now_, offset);
  nodes_[node].clock.set_drift_ppm(now_, drift_ppm);
}

// ---- Links ----

void World::set_link_up(NodeId from, NodeId to, bool up) {
  Link& link = network_.link(from, to);
  if (link.up == up) return;
  link.up = up;
  record(RecordKind::kLinkChange, from, to, up ? 1 : 0, 0);
}

void World::heal_all_links() {
  for (NodeId from = 0; from < size(); ++from)
    for (NodeId to = 0; to < size(); ++to)
      if (from != to) set_link_up(from, to, true);
}

// ---- Processes ----

void World::boot(NodeId node, const DurableState* restored) {
  NodeRuntime& runtime = nodes_[node];
  runtime.status = NodeStatus::kUp;
  runtime.leadership = Leadership{};
  runtime.algorithm = factory_.create(node);
  runtime.algorithm->on_start(*runtime.context, restored);
}

void World::crash(NodeId node) {
  NodeRuntime& runtime = nodes_[node];
  if (runtime.status == NodeStatus::kDown) return;
  record(RecordKind::kCrash, node, kNoNode, 0, 0);
  if (runtime.leadership.role != Role::kNone) report_step_down(node, StepDownReason::kCrashed);
  runtime.status = NodeStatus::kDown;
  runtime.algorithm.reset();
  for (TimerSlot& slot : runtime.timers) {
    slot.armed = false;
    slot.queued = false;  // the queued event no longer matches and is dropped when due
    ++slot.generation;
  }
  for (const InboxItem& item : runtime.inbox) {
    if (!item.is_timer) drop(static_cast<uint32_t>(item.data), DropReason::kNodeDown);
  }
  runtime.inbox.clear();
  ++runtime.incarnation;  // messages still in flight to the old process are dropped on arrival
}

void World::restart(NodeId node, bool amnesia) {
  NodeRuntime& runtime = nodes_[node];
  if (runtime.status != NodeStatus::kDown) return;
  record(RecordKind::kRestart, node, kNoNode, amnesia ? 1 : 0, 0);
  if (amnesia) {
    runtime.has_durable = false;
    runtime.durable.clear();
  }
  // Copy first: on_start may persist again and replace the stored state.
  const DurableState restored = runtime.durable;
  boot(node, runtime.has_durable ? &restored : nullptr);
}

void World::pause(NodeId node) {
  NodeRuntime& runtime = nodes_[node];
  if (runtime.status != NodeStatus::kUp) return;
  runtime.status = NodeStatus::kPaused;
  record(RecordKind::kPause, node, kNoNode, 0, 0);
}

void World::resume(NodeId node) {
  NodeRuntime& runtime = nodes_[node];
  if (runtime.status != NodeStatus::kPaused) return;
  runtime.status = NodeStatus::kUp;
  record(RecordKind::kResume, node, kNoNode, runtime.inbox.size(), 0);
  // Handle what arrived meanwhile, in arrival order. A handler may pause or crash the node
  // again (a fault scheduled at this instant cannot, since faults are events too), so check.
  while (!runtime.inbox.empty() && runtime.status == NodeStatus::kUp) {
    const InboxItem item = runtime.inbox.front();
    runtime.inbox.pop_front();
    if (item.is_timer) {
      handle_timer(node, static_cast<TimerId>(item.data & 0xff), item.data >> 8);
    } else {
      handle_message(node, static_cast<uint32_t>(item.data));
    }
  }
}

void World::persist(NodeId node, const DurableState& state) {
  NodeRuntime& runtime = nodes_[node];
  runtime.durable = state;
  runtime.has_durable = true;
  record(RecordKind::kPersist, node, kNoNode, state.size(), 0);
}

void World::persist_at(NodeId node, size_t offset, std::span<const uint64_t> words,
                       bool truncate_rest) {
  NodeRuntime& runtime = nodes_[node];
  Context::splice(runtime.durable, offset, words, truncate_rest);
  runtime.has_durable = true;
  record(RecordKind::kPersist, node, kNoNode, words.size(), offset);
}

const DurableState* World::durable_state(NodeId node) const {
  return nodes_[node].has_durable ? &nodes_[node].durable : nullptr;
}

// ---- Leadership reports ----

void World::report_leader(NodeId node, uint64_t epoch, uint64_t token) {
  Leadership& l = nodes_[node].leadership;
  if (l.role == Role::kLeader && l.epoch == epoch) return;
  l = Leadership{Role::kLeader, epoch, node};
  record(RecordKind::kBecameLeader, node, kNoNode, epoch, token);
}

void World::report_follows(NodeId node, NodeId leader, uint64_t epoch) {
  Leadership& l = nodes_[node].leadership;
  if (l.role == Role::kFollower && l.leader == leader && l.epoch == epoch) return;
  l = Leadership{Role::kFollower, epoch, leader};
  record(RecordKind::kFollows, node, leader, epoch, 0);
}

void World::report_step_down(NodeId node, StepDownReason reason) {
  Leadership& l = nodes_[node].leadership;
  if (l.role == Role::kNone) return;
  l.role = Role::kNone;
  l.leader = kNoNode;
  record(RecordKind::kSteppedDown, node, kNoNode, static_cast<uint64_t>(reason), l.epoch);
}

std::optional<NodeId> World::current_leader() const {
  std::optional<NodeId> best;
  for (NodeId node = 0; node < size(); ++node) {
    const NodeRuntime& runtime = nodes_[node];
    if (runtime.status == NodeStatus::kDown || runtime.leadership.role != Role::kLeader) continue;
    if (!best || runtime.leadership.epoch > nodes_[*best].leadership.epoch) best = node;
  }
  return best;
}

}  // namespace electsim::sim
