#include "sim/world.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "sim/resource_write.h"

namespace electsim::sim {

const AlgorithmFactory* AlgorithmFactories::of(ProcessKind kind) const {
  switch (kind) {
    case ProcessKind::kMember: return member;
    case ProcessKind::kService: return service;
    case ProcessKind::kResource: return resource;
    case ProcessKind::kClient: return client;
  }
  return nullptr;
}

// The context a process's algorithm acts through; it forwards to the world with the process's
// id, so whatever the algorithm reports is about itself and its own group.
class World::ProcessContext final : public Context {
 public:
  ProcessContext(World& world, ProcessId process) : world_(world), process_(process) {}
  ProcessId self() const override { return process_; }
  GroupId group() const override { return world_.processes_[process_].group; }
  std::span<const ProcessId> members() const override {
    const GroupId own = group();
    if (own == kNoGroup) return {};
    return world_.layout_.members(own);
  }
  std::span<const ProcessId> services() const override {
    return world_.layout_.of_kind(ProcessKind::kService);
  }
  std::span<const ProcessId> resources() const override {
    return world_.layout_.of_kind(ProcessKind::kResource);
  }
  LocalInstant local_now() const override {
    return world_.local_now(world_.processes_[process_].host);
  }
  void send(ProcessId to, const Payload& message, MessageTypeId type) override {
    world_.send(process_, to, message, type);
  }
  void set_timer(TimerId timer, Duration after) override {
    world_.set_timer(process_, timer, after);
  }
  void set_timer(TimerId timer, Duration lo, Duration hi) override {
    world_.set_timer(process_, timer, world_.processes_[process_].rng.uniform(lo, hi));
  }
  void cancel_timer(TimerId timer) override { world_.cancel_timer(process_, timer); }
  void persist(const DurableState& state) override { world_.persist(process_, state); }
  void persist_at(size_t offset, std::span<const uint64_t> words, bool truncate_rest) override {
    world_.persist_at(process_, offset, words, truncate_rest);
  }
  void report(const Elected& event) override { world_.report_elected(process_, event); }
  void report(const Ready& /*event*/) override { world_.report_ready(process_); }
  void report(const Follows& event) override { world_.report_follows(process_, event); }
  void report(const SteppedDown& event) override {
    world_.report_step_down(process_, event.reason);
  }
  void report(const LeaderLost& event) override {
    world_.report_leader_lost(process_, event.reason);
  }
  void report(const WriteDecided& event) override {
    world_.report_write_decided(process_, event);
  }
  void report(const Committed& event) override { world_.report_committed(process_, event); }
  void report(const Supported& event) override { world_.report_supported(process_, event); }
  Rng& rng() override { return world_.processes_[process_].rng; }

 private:
  World& world_;
  ProcessId process_;
};

World::World(uint64_t seed, const Layout& layout, const Link& default_link,
             const AlgorithmFactories& factories)
    : seed_(seed),
      layout_(layout),
      network_(layout.hosts(), default_link),
      network_rng_(Rng::stream(seed, "network")),
      writes_rng_(Rng::stream(seed, "writes")),
      hosts_(layout.hosts()),
      processes_(layout.processes()) {
  SIM_CHECK(layout.processes() > 0, "a world needs at least one process");
  SIM_CHECK(factories.member != nullptr, "a world needs a factory for its members");
  for (ProcessId process = 0; process < size(); ++process) {
    const ProcessSpec& spec = layout_.process(process);
    ProcessRuntime& runtime = processes_[process];
    runtime.host = spec.host;
    runtime.group = spec.group;
    runtime.factory = factories.of(spec.kind);
    SIM_CHECK(runtime.factory != nullptr, "a process of a kind that has no algorithm factory");
    // One stream per process, numbered as nodes were before hosts existed, so a single-group
    // run draws exactly the numbers it drew then.
    runtime.rng = Rng::stream(seed, stream_id("node") + process);
    runtime.context = std::make_unique<ProcessContext>(*this, process);
  }
  for (FamilyId family = 0; family < election_messages_.size(); ++family) {
    if (const FamilyInfo* info = find_family(family)) {
      election_messages_[family] = info->election_messages;
    }
  }
}

World::World(uint64_t seed, uint32_t nodes, const Link& every_link,
             const AlgorithmFactory& factory)
    : World(seed, Layout::single_group(nodes), every_link, AlgorithmFactories{&factory}) {}

World::~World() = default;

bool World::counts_election_messages() const {
  return std::any_of(processes_.begin(), processes_.end(), [&](const ProcessRuntime& runtime) {
    return runtime.family < election_messages_.size() && election_messages_[runtime.family] != 0;
  });
}

void World::start() {
  for (ProcessId process = 0; process < size(); ++process) {
    queue_.push(0, kStartNode, process, 0);
  }
}

void World::run_until(Instant end) {
  while (step(end)) {
  }
  if (end > now_ && budget_exceeded_ == BudgetExceeded::kNone) now_ = end;
  trace_.end(now_);
}

void World::enable_writes(Duration every) {
  SIM_CHECK(every > Duration::zero(), "writes need a positive interval");
  SIM_CHECK(!layout_.of_kind(ProcessKind::kResource).empty(), "writes need a resource process");
  SIM_CHECK(stats_.events == 0, "writes enabled after the run started");
  write_every_ = every;
  resource_ = layout_.of_kind(ProcessKind::kResource).front();
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
    case kStartNode: {
      // A host that crashed before its processes started keeps them down: its restart starts
      // them, from what they persisted (nothing).
      HostRuntime& host = hosts_[processes_[event.node].host];
      if (host.incarnation == 0 && processes_[event.node].algorithm == nullptr) {
        host.status = NodeStatus::kUp;
        boot(event.node, nullptr);
      }
      return;
    }
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

namespace {

// A write to the fenced resource, recorded at send time as `write_sent`. Out of line, as is all
// of the writer: the hot path only pays the comparison that leads here, and the functions it
// runs through stay small enough to be inlined as before.
[[gnu::noinline]] void trace_write_sent(Trace& trace, Instant now, ProcessId from, ProcessId to,
                                        GroupId group, MessageTypeId type,
                                        const Payload& payload, uint64_t id) {
  SIM_CHECK(type == kResourceWriteType, "the resource family has one message, the write");
  const auto write = payload.as<ResourceWrite>();
  trace.record(TraceRecord{now, RecordKind::kWriteSent, from, to, write.token, write.epoch, group,
                           id});
}

}  // namespace

uint32_t World::allocate_new_slot() {
  if ((slab_used_ >> kSlabChunkBits) == slab_.size()) {
    slab_.push_back(std::make_unique<std::array<InFlight, 1u << kSlabChunkBits>>());
  }
  return slab_used_++;
}

void World::send(ProcessId from, ProcessId to, const Payload& payload, MessageTypeId type) {
  SIM_CHECK(to < size() && to != from, "send to an unknown process or to itself");
  ++stats_.messages_sent;
  if (const FamilyId family = family_of(type); family < election_messages_.size()) {
    stats_.election_messages_sent += (election_messages_[family] >> (index_of(type) & 63)) & 1 &
                                     static_cast<uint64_t>(index_of(type) < 64);
  }
  const uint64_t id = next_message_id_++;
  record(RecordKind::kSend, from, to, type, id);
  // Writes to the fenced resource are recorded as such, and draw from their own stream so that
  // they never shift a draw of the members' messages: one comparison on the hot path.
  const bool is_write = family_of(type) == families::kResource;
  if (is_write) [[unlikely]] {
    trace_write_sent(trace_, now_, from, to, processes_[from].group, type, payload, id);
  }
  Rng& rng = is_write ? writes_rng_ : network_rng_;
  const HostId from_host = processes_[from].host;
  const HostId to_host = processes_[to].host;
  if (from_host == to_host) [[unlikely]] {
    send_on_loopback(from, to, payload, type, id);
    return;
  }
  Link& link = network_.link(from_host, to_host);
  if (!link.up) [[unlikely]] {
    record_drop(to, from, DropReason::kLinkDown, id);
    return;
  }
  if (!link.loss.is_zero() && rng.chance(link.loss)) {
    record_drop(to, from, DropReason::kLoss, id);
    return;
  }
  const uint32_t slot = allocate_slot();
  fill_in_flight(in_flight(slot), from, to, hosts_[to_host].incarnation, type, id, payload);
  schedule_delivery(slot, to, link, now_, rng);
  if (!link.duplication.is_zero() && rng.chance(link.duplication)) {
    ++stats_.messages_duplicated;
    const uint32_t copy = allocate_slot();
    in_flight(copy) = in_flight(slot);
    in_flight(copy).id = next_message_id_++;
    record(RecordKind::kDuplicate, to, from, type, in_flight(copy).id);
    schedule_delivery(copy, to, link, now_, rng);
  }
}

// Two processes of one host: no link, no loss, no partition; a constant latency keeps it FIFO.
void World::send_on_loopback(ProcessId from, ProcessId to, const Payload& payload,
                             MessageTypeId type, uint64_t id) {
  const uint32_t slot = allocate_slot();
  fill_in_flight(in_flight(slot), from, to, hosts_[processes_[to].host].incarnation, type, id,
                 payload);
  queue_.push(static_cast<uint64_t>((now_ + kLoopbackLatency).ns()), kDeliver, to, slot);
}

void World::schedule_delivery(uint32_t slot, ProcessId to, Link& link, Instant departure,
                              Rng& rng) {
  Duration latency = link.latency.draw(rng);
  if (link.extra_latency.kind != LatencyModel::Kind::kConstant ||
      link.extra_latency.a != Duration::zero()) [[unlikely]] {
    latency += link.extra_latency.draw(rng);
  }
  Instant arrival = std::max(departure, link.clogged_until) + latency;
  if (!link.may_reorder) {
    arrival = std::max(arrival, link.last_delivery);  // FIFO: never overtake an earlier message
    link.last_delivery = arrival;
  }
  queue_.push(static_cast<uint64_t>(arrival.ns()), kDeliver, to, slot);
}

void World::record_drop(ProcessId to, ProcessId from, DropReason reason, uint64_t id) {
  ++stats_.messages_dropped;
  record(RecordKind::kDrop, to, from, static_cast<uint64_t>(reason), id);
}

void World::drop(uint32_t slot, DropReason reason) {
  const InFlight& message = in_flight(slot);
  record_drop(message.to, message.from, reason, message.id);
  free_slots_.push_back(slot);
}

// deliver and handle_message are the per-message path: always inlined into dispatch (and
// handle_message into resume), which saves a call frame's register saves and restores per
// message (about 8% of the kernel's own instructions on the SimGrid workload, callgrind).
[[gnu::always_inline]] inline void World::deliver(ProcessId process, uint32_t slot) {
  HostRuntime& host = hosts_[processes_[process].host];
  if (host.status == NodeStatus::kDown || in_flight(slot).to_incarnation != host.incarnation) {
    drop(slot, DropReason::kNodeDown);  // addressed to a process that is gone
    return;
  }
  if (host.status == NodeStatus::kPaused) {
    host.inbox.push_back(InboxItem{false, process, slot});
    return;
  }
  handle_message(process, slot);
}

[[gnu::always_inline]] inline void World::handle_message(ProcessId process, uint32_t slot) {
  const InFlight& message = in_flight(slot);  // stays put while the handler sends
  ProcessRuntime& runtime = processes_[process];
  if (family_of(message.type) != runtime.family) [[unlikely]] {
    fail_wrong_family(process, message);
  }
  ++stats_.messages_delivered;
  record(RecordKind::kDeliver, process, message.from, message.type, message.id);
  runtime.algorithm->on_message(*runtime.context, message.from, message.payload);
  free_slots_.push_back(slot);  // only now: the handler's own sends must not overwrite it
}

// "process g1.n2 (raft) received pingpong.ping from s1": a message of one algorithm family
// delivered to a process of another would be misread as one of its own types.
void World::fail_wrong_family(ProcessId process, const InFlight& message) const {
  const FamilyInfo* family = find_family(processes_[process].family);
  const std::string family_name = family != nullptr
                                      ? std::string(family->name)
                                      : absl::StrCat("family ", processes_[process].family);
  fail_check(__FILE__, __LINE__, "family_of(message.type) == process family",
             absl::StrCat("process ", layout_.process_name(process), " (", family_name,
                          ") received ", message_type_name(message.type), " from ",
                          layout_.process_name(message.from)),
             "a process received a message of another algorithm family");
}

// ---- Timers ----
//
// A timer keeps at most one live event in the queue. Moving a pending timer later leaves its
// event in place; when the event comes due it sees the later deadline and re-queues itself.
// That keeps the queue small when heartbeats push an election deadline forward at every message.

void World::set_timer(ProcessId process, TimerId timer, Duration after) {
  SIM_CHECK(timer < kMaxTimers, "timer id out of range");
  set_timer_slot(process, timer, after);
}

// Any slot, the writer's included.
void World::set_timer_slot(ProcessId process, TimerId timer, Duration after) {
  SIM_CHECK(after >= Duration::zero(), "timer set for a negative duration");
  ProcessRuntime& runtime = processes_[process];
  const LocalClock& clock = hosts_[runtime.host].clock;
  TimerSlot& slot = runtime.timers[timer];
  slot.armed = true;
  slot.local_deadline = clock.local_at(now_) + after;
  // A clock without drift runs at the true rate, so the deadline is `after` away in true time
  // too (whatever its offset); otherwise convert exactly.
  slot.true_deadline = clock.drift_ppm() == 0
                           ? now_ + after
                           : clock.true_when_local_reaches(slot.local_deadline, now_);
  arm(process, timer);
}

void World::queue_timer(ProcessId process, TimerId timer) {
  TimerSlot& slot = processes_[process].timers[timer];
  ++slot.generation;
  slot.queued = true;
  slot.queued_time = slot.true_deadline;
  queue_.push(static_cast<uint64_t>(slot.true_deadline.ns()), kTimerFire, process,
              timer | (slot.generation << 8));
}

void World::cancel_timer(ProcessId process, TimerId timer) {
  SIM_CHECK(timer < kMaxTimers, "timer id out of range");
  processes_[process].timers[timer].armed = false;
}

void World::fire_timer(ProcessId process, uint64_t data) {
  const auto timer = static_cast<TimerId>(data & 0xff);
  const uint64_t generation = data >> 8;
  ProcessRuntime& runtime = processes_[process];
  HostRuntime& host = hosts_[runtime.host];
  TimerSlot& slot = runtime.timers[timer];
  if (slot.generation != generation || !slot.queued) return;  // superseded
  slot.queued = false;
  if (!slot.armed || host.status == NodeStatus::kDown) return;
  if (slot.true_deadline > now_) {  // moved later while queued
    arm(process, timer);
    return;
  }
  if (host.status == NodeStatus::kPaused) {
    host.inbox.push_back(InboxItem{true, process, data});
    return;
  }
  handle_timer(process, timer, generation);
}

void World::handle_timer(ProcessId process, TimerId timer, uint64_t generation) {
  ProcessRuntime& runtime = processes_[process];
  TimerSlot& slot = runtime.timers[timer];
  if (!slot.armed || slot.generation != generation) return;  // reset or cancelled meanwhile
  slot.armed = false;
  if (timer == kWriteTimer) [[unlikely]] {
    write_timer_fired(process);  // the kernel's own timer: no algorithm's, so no timer record
    return;
  }
  ++stats_.timers_fired;
  record(RecordKind::kTimer, process, kNoNode, timer,
         static_cast<uint64_t>(hosts_[runtime.host].clock.local_at(now_).ns()));
  runtime.algorithm->on_timer(*runtime.context, timer);
}

void World::reaim_timers(HostId host) {
  const LocalClock& clock = hosts_[host].clock;
  for (ProcessId process : layout_.on_host(host)) {
    for (TimerId timer = 0; timer < kTimerSlots; ++timer) {
      TimerSlot& slot = processes_[process].timers[timer];
      // Armed but not queued means it already came due while the host was paused and waits in
      // the inbox: it has fired, and a later clock change must not move it or reorder it.
      if (!slot.armed || !slot.queued) continue;
      slot.true_deadline = clock.true_when_local_reaches(slot.local_deadline, now_);
      arm(process, timer);
    }
  }
}

// ---- Clocks ----

void World::set_clock_drift(HostId host, int64_t drift_ppm) {
  hosts_[host].clock.set_drift_ppm(now_, drift_ppm);
  record_host(RecordKind::kClockChange, host, kNoHost,
              static_cast<uint64_t>(ClockChange::kDriftPpm), static_cast<uint64_t>(drift_ppm));
  reaim_timers(host);
}

void World::set_clock_offset(HostId host, Duration offset) {
  hosts_[host].clock.set_offset(now_, offset);
  record_host(RecordKind::kClockChange, host, kNoHost,
              static_cast<uint64_t>(ClockChange::kOffset), static_cast<uint64_t>(offset.ns()));
  reaim_timers(host);
}

void World::jump_clock(HostId host, Duration amount) {
  hosts_[host].clock.jump(now_, amount);
  record_host(RecordKind::kClockChange, host, kNoHost, static_cast<uint64_t>(ClockChange::kJump),
              static_cast<uint64_t>(amount.ns()));
  reaim_timers(host);
}

void World::set_initial_clock(HostId host, Duration offset, int64_t drift_ppm) {
  SIM_CHECK(stats_.events == 0 && now_ == Instant::zero(), "initial clock set after the start");
  hosts_[host].clock.set_offset(now_, offset);
  hosts_[host].clock.set_drift_ppm(now_, drift_ppm);
}

// ---- Links ----

void World::set_link_up(HostId from, HostId to, bool up) {
  Link& link = network_.link(from, to);
  if (link.up == up) return;
  link.up = up;
  record_host(RecordKind::kLinkChange, from, to, up ? 1 : 0, 0);
}

void World::heal_all_links() {
  for (const auto& [from, to] : network_.down_links()) set_link_up(from, to, true);
}

// ---- Hosts and their processes ----

void World::boot(ProcessId process, const DurableState* restored) {
  ProcessRuntime& runtime = processes_[process];
  runtime.leadership = Leadership{};
  runtime.algorithm = runtime.factory->create(process);
  runtime.family = runtime.algorithm->family();
  runtime.algorithm->on_start(*runtime.context, restored);
}

// A crash of the process's host: it stops believing whatever it believed, and loses its
// volatile state and its pending timers.
void World::stop(ProcessId process) {
  ProcessRuntime& runtime = processes_[process];
  if (runtime.leadership.role == Role::kLeader) report_step_down(process, StepDownReason::kCrashed);
  if (runtime.leadership.role == Role::kFollower) {
    report_leader_lost(process, LeaderLostReason::kCrashed);
  }
  runtime.algorithm.reset();
  runtime.writing.active = false;
  for (TimerSlot& slot : runtime.timers) {
    slot.armed = false;
    slot.queued = false;  // the queued event no longer matches and is dropped when due
    ++slot.generation;
  }
}

void World::crash(HostId host) {
  HostRuntime& runtime = hosts_[host];
  if (runtime.status == NodeStatus::kDown) return;
  record_host(RecordKind::kCrash, host, kNoHost, 0, 0);
  runtime.status = NodeStatus::kDown;
  for (ProcessId process : layout_.on_host(host)) stop(process);
  for (const InboxItem& item : runtime.inbox) {
    if (!item.is_timer) drop(static_cast<uint32_t>(item.data), DropReason::kNodeDown);
  }
  runtime.inbox.clear();
  ++runtime.incarnation;  // messages still in flight to the old processes are dropped on arrival
}

void World::restart(HostId host, bool amnesia) {
  HostRuntime& runtime = hosts_[host];
  if (runtime.status != NodeStatus::kDown) return;
  record_host(RecordKind::kRestart, host, kNoHost, amnesia ? 1 : 0, 0);
  runtime.status = NodeStatus::kUp;
  for (ProcessId process : layout_.on_host(host)) {
    ProcessRuntime& state = processes_[process];
    if (amnesia) {
      state.has_durable = false;
      state.durable.clear();
    }
    // Copy first: on_start may persist again and replace the stored state.
    const DurableState restored = state.durable;
    boot(process, state.has_durable ? &restored : nullptr);
    // A process's on_start cannot crash its own host (faults are events), so the rest start.
  }
}

bool World::request_resignation(ProcessId process) {
  ProcessRuntime& runtime = processes_[process];
  if (status(process) != NodeStatus::kUp || runtime.algorithm == nullptr) return false;
  if (runtime.leadership.role != Role::kLeader) return false;
  runtime.algorithm->on_resign_request(*runtime.context);
  return runtime.leadership.role != Role::kLeader;
}

void World::pause(HostId host) {
  HostRuntime& runtime = hosts_[host];
  if (runtime.status != NodeStatus::kUp) return;
  runtime.status = NodeStatus::kPaused;
  record_host(RecordKind::kPause, host, kNoHost, 0, 0);
}

void World::resume(HostId host) {
  HostRuntime& runtime = hosts_[host];
  if (runtime.status != NodeStatus::kPaused) return;
  runtime.status = NodeStatus::kUp;
  record_host(RecordKind::kResume, host, kNoHost, runtime.inbox.size(), 0);
  // Handle what arrived meanwhile, in arrival order. A handler may pause or crash the host
  // again (a fault scheduled at this instant cannot, since faults are events too), so check.
  while (!runtime.inbox.empty() && runtime.status == NodeStatus::kUp) {
    const InboxItem item = runtime.inbox.front();
    runtime.inbox.pop_front();
    if (item.is_timer) {
      handle_timer(item.process, static_cast<TimerId>(item.data & 0xff), item.data >> 8);
    } else {
      handle_message(item.process, static_cast<uint32_t>(item.data));
    }
  }
}

void World::persist(ProcessId process, const DurableState& state) {
  ProcessRuntime& runtime = processes_[process];
  runtime.durable = state;
  runtime.has_durable = true;
  record(RecordKind::kPersist, process, kNoNode, state.size(), 0);
}

void World::persist_at(ProcessId process, size_t offset, std::span<const uint64_t> words,
                       bool truncate_rest) {
  ProcessRuntime& runtime = processes_[process];
  Context::splice(runtime.durable, offset, words, truncate_rest);
  runtime.has_durable = true;
  record(RecordKind::kPersist, process, kNoNode, words.size(), offset);
}

const DurableState* World::durable_state(ProcessId process) const {
  return processes_[process].has_durable ? &processes_[process].durable : nullptr;
}

// ---- Leadership reports ----

void World::report_elected(ProcessId process, const Elected& event) {
  Leadership& l = processes_[process].leadership;
  if (l.role == Role::kLeader && l.epoch == event.epoch) return;
  l = Leadership{Role::kLeader, event.epoch, process};
  const uint64_t lease_until =
      event.lease_until ? static_cast<uint64_t>(event.lease_until->ns()) : kNoLease;
  record(RecordKind::kBecameLeader, process, kNoNode, event.epoch, event.token, lease_until);
  if (event.log_end) {
    record(RecordKind::kLeaderLogEnd, process, kNoNode, event.epoch, event.log_end->epoch,
           event.log_end->index);
  }
  if (write_every_ && processes_[process].group != kNoGroup) start_writing(process, event);
}

void World::report_ready(ProcessId process) {
  const Leadership& l = processes_[process].leadership;
  SIM_CHECK(l.role == Role::kLeader, "only a leader reports Ready");
  record(RecordKind::kReady, process, kNoNode, l.epoch, 0);
}

void World::report_follows(ProcessId process, const Follows& event) {
  Leadership& l = processes_[process].leadership;
  // Raft reports Follows at every heartbeat: the repeat returns first, and the group check runs
  // only when the leadership changes (a repeat was checked when it was new).
  if (l.role == Role::kFollower && l.leader == event.leader && l.epoch == event.epoch) return;
  SIM_CHECK(event.leader < size() && processes_[event.leader].group == processes_[process].group,
            "a process follows a member of its own group");
  l = Leadership{Role::kFollower, event.epoch, event.leader};
  record(RecordKind::kFollows, process, event.leader, event.epoch, 0);
}

void World::report_step_down(ProcessId process, StepDownReason reason) {
  Leadership& l = processes_[process].leadership;
  if (l.role == Role::kNone) return;
  SIM_CHECK(l.role == Role::kLeader, "only a leader steps down; a follower reports LeaderLost");
  l.role = Role::kNone;
  l.leader = kNoNode;
  record(RecordKind::kSteppedDown, process, kNoNode, static_cast<uint64_t>(reason), l.epoch);
  stop_writing(process);
}

void World::report_leader_lost(ProcessId process, LeaderLostReason reason) {
  Leadership& l = processes_[process].leadership;
  if (l.role == Role::kNone) return;
  SIM_CHECK(l.role == Role::kFollower, "only a follower loses its leader; a leader steps down");
  l.role = Role::kNone;
  l.leader = kNoNode;
  record(RecordKind::kLeaderLost, process, kNoNode, static_cast<uint64_t>(reason), l.epoch);
}

// Commits and support happen at elections and as a log grows, not per heartbeat: out of line, so
// that the message handlers around them stay as small as they were.
[[gnu::noinline]] void World::report_committed(ProcessId process, const Committed& event) {
  record(RecordKind::kCommitted, process, kNoNode, event.position.epoch, event.position.index);
}

[[gnu::noinline]] void World::report_supported(ProcessId process, const Supported& event) {
  SIM_CHECK(event.candidate < size(), "support given to an unknown process");
  record(RecordKind::kSupported, process, event.candidate, event.epoch,
         static_cast<uint64_t>(event.kind));
}

[[gnu::noinline]] void World::report_write_decided(ProcessId resource, const WriteDecided& event) {
  SIM_CHECK(layout_.process(resource).kind == ProcessKind::kResource,
            "only the fenced resource decides writes");
  SIM_CHECK(event.writer < size(), "a write decided for an unknown writer");
  trace_.record(TraceRecord{now_, RecordKind::kResourceWrite, event.writer, resource, event.token,
                            event.accepted ? 1u : 0u, event.group, event.epoch});
}

// ---- The writer ----

[[gnu::noinline]] void World::start_writing(ProcessId process, const Elected& event) {
  processes_[process].writing = Writing{true, event.epoch, event.token};
  send_write(process);
  arm_write_timer(process);
}

[[gnu::noinline]] void World::stop_writing(ProcessId process) {
  ProcessRuntime& runtime = processes_[process];
  if (!runtime.writing.active) return;
  runtime.writing.active = false;
  runtime.timers[kWriteTimer].armed = false;
}

void World::arm_write_timer(ProcessId process) {
  set_timer_slot(process, kWriteTimer, *write_every_);
}

// A write for the leadership the process still holds; a leadership it no longer holds writes no
// more (stop_writing cancels the timer, but a later Elected in another epoch restarts it).
[[gnu::noinline]] void World::write_timer_fired(ProcessId process) {
  const ProcessRuntime& runtime = processes_[process];
  const Leadership& leadership = runtime.leadership;
  if (!runtime.writing.active || leadership.role != Role::kLeader ||
      leadership.epoch != runtime.writing.epoch) {
    return;
  }
  send_write(process);
  arm_write_timer(process);
}

[[gnu::noinline]] void World::send_write(ProcessId process) {
  const ProcessRuntime& runtime = processes_[process];
  const ResourceWrite write{runtime.group, runtime.writing.epoch, runtime.writing.token};
  send(process, resource_, Payload::of(write), kResourceWriteType);
}

std::optional<ProcessId> World::leader_of(GroupId group) const {
  std::optional<ProcessId> best;
  for (ProcessId member : layout_.members(group)) {
    const ProcessRuntime& runtime = processes_[member];
    if (hosts_[runtime.host].status == NodeStatus::kDown) continue;
    if (runtime.leadership.role != Role::kLeader) continue;
    if (!best || runtime.leadership.epoch > processes_[*best].leadership.epoch) best = member;
  }
  return best;
}

std::vector<GroupId> World::groups_led_by(HostId host) const {
  std::vector<GroupId> led;
  for (ProcessId process : layout_.on_host(host)) {
    const GroupId group = processes_[process].group;
    if (group == kNoGroup || processes_[process].leadership.role != Role::kLeader) continue;
    if (leader_of(group) == process) led.push_back(group);
  }
  std::sort(led.begin(), led.end());
  led.erase(std::unique(led.begin(), led.end()), led.end());
  return led;
}

}  // namespace electsim::sim
