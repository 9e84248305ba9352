#include "algorithms/service/service.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace electsim::algorithms::service {
namespace {

constexpr Key prefix_begin(Prefix prefix) { return static_cast<Key>(prefix) << 32; }
constexpr Key prefix_end(Prefix prefix) { return (static_cast<Key>(prefix) + 1) << 32; }

Reply reply_to(const Request& request, Status status, const KeyState& state) {
  Reply reply;
  reply.status = status;
  reply.op = request.op;
  reply.request_id = request.request_id;
  reply.state = state;
  return reply;
}

// ---- Family ----

constexpr std::string_view kMessageNames[] = {"request", "reply", "watch_event"};
// By timer id (service_messages.h, namespace timers).
constexpr std::string_view kTimerNames[] = {"lease_expiry", "request", "keep_alive",
                                            "keep_alive_request", "retry", "deadline",
                                            "timer6", "timer7"};
static_assert(std::size(kTimerNames) == timers::kSpare7 + 1);
constexpr sim::FamilyInfo kFamily{sim::families::kService, "service", kMessageNames,
                                  kTimerNames};

}  // namespace

const sim::FamilyInfo& service_family() { return kFamily; }

// ---- Dispatch ----

void CoordinationService::on_start(sim::Context& /*context*/,
                                   const sim::DurableState* /*restored*/) {
  // Nothing durable: a restarted service starts empty (service.h).
}

void CoordinationService::on_message(sim::Context& context, sim::ProcessId from,
                                     const sim::Payload& message) {
  SIM_CHECK(kind_of(message) == MessageKind::kRequest, "the service received a non-request");
  const Request request = message.as<Request>();
  const Reply reply = handle(context, from, request);
  context.send(from, reply);
}

Reply CoordinationService::handle(sim::Context& context, sim::ProcessId from,
                                  const Request& request) {
  switch (request.op) {
    case Op::kGet: {
      const auto it = keys_.find(request.key);
      if (it != keys_.end() && it->second.lease != 0 && expire_if_due(context, it->second.lease)) {
        return reply_to(request, Status::kNotFound, KeyState{request.key});
      }
      const KeyState state = state_of(request.key);
      return reply_to(request, state.create_revision == 0 ? Status::kNotFound : Status::kOk,
                      state);
    }
    case Op::kPut: return handle_put(context, from, request);
    case Op::kDelete: return handle_delete(context, request);
    case Op::kGrantLease: return handle_grant(context, request);
    case Op::kKeepAlive: return handle_keep_alive(context, request);
    case Op::kRevokeLease: return handle_revoke(context, request);
    case Op::kWatch: return handle_watch(context, from, request);
    case Op::kCancelWatch: return handle_cancel_watch(from, request);
    case Op::kFirst: return handle_first(request);
    case Op::kBefore: return handle_before(request);
    case Op::kIncrement: return handle_increment(context, request);
  }
  SIM_CHECK(false, "unknown service operation");
  return Reply{};
}

// ---- Keys ----

KeyState CoordinationService::state_of(Key key) const {
  const auto it = keys_.find(key);
  return it == keys_.end() ? KeyState{key} : state_of(key, it->second);
}

KeyState CoordinationService::state_of(Key key, const Entry& entry) const {
  return KeyState{key, entry.value, entry.version, entry.create_revision, entry.mod_revision};
}

bool CoordinationService::compare_holds(const Request& request, const KeyState& current) {
  switch (request.compare) {
    case CompareTarget::kNone: return true;
    case CompareTarget::kCreateRevision: return current.create_revision == request.compare_value;
    case CompareTarget::kModRevision: return current.mod_revision == request.compare_value;
    case CompareTarget::kVersion: return current.version == request.compare_value;
    case CompareTarget::kValue:
      return current.create_revision != 0 && current.value == request.compare_value;
  }
  return false;
}

Reply CoordinationService::handle_put(sim::Context& context, sim::ProcessId from,
                                      const Request& request) {
  if (request.lease != 0 && expire_if_due(context, request.lease)) {
    return reply_to(request, Status::kLeaseNotFound, KeyState{request.key});
  }
  Key key = request.key;
  if ((request.flags & flags::kSequential) != 0) {
    // ZooKeeper's PrepRequestProcessor (OpCode.create) names a sequential node after its
    // parent's cversion, which the create then raises.
    key = make_key(key_group(key), key_tag(key), sequence_counters_[key_prefix(key)]);
  }
  const auto existing = keys_.find(key);
  if (existing != keys_.end() && existing->second.lease != 0) {
    expire_if_due(context, existing->second.lease);
  }
  const KeyState current = state_of(key);
  if (!compare_holds(request, current)) {
    return reply_to(request, Status::kCompareFailed, current);
  }
  Entry& entry = write(key, request.value);
  attach(context, key, entry, request);
  const KeyState state = state_of(key, entry);
  notify(context, EventType::kPut, state);
  if ((request.flags & flags::kGrant) != 0) {
    const uint64_t epoch = (request.flags & flags::kEpochInValue) != 0
                               ? (request.value & 0xffffffff)
                               : state.create_revision;
    context.report(sim::Supported{from, epoch, sim::SupportKind::kLeaseGrant});
  }
  return reply_to(request, Status::kOk, state);
}

Reply CoordinationService::handle_increment(sim::Context& context, const Request& request) {
  const auto existing = keys_.find(request.key);
  const uint64_t value = existing == keys_.end() ? 1 : existing->second.value + 1;
  Entry& entry = write(request.key, value);
  const KeyState state = state_of(request.key, entry);
  notify(context, EventType::kPut, state);
  return reply_to(request, Status::kOk, state);
}

Reply CoordinationService::handle_delete(sim::Context& context, const Request& request) {
  const auto it = keys_.find(request.key);
  if (it != keys_.end() && it->second.lease != 0 && expire_if_due(context, it->second.lease)) {
    return reply_to(request, Status::kNotFound, KeyState{request.key});
  }
  const KeyState current = state_of(request.key);
  if (current.create_revision == 0) return reply_to(request, Status::kNotFound, current);
  if (!compare_holds(request, current)) {
    return reply_to(request, Status::kCompareFailed, current);
  }
  erase(context, request.key);
  return reply_to(request, Status::kOk, current);
}

CoordinationService::Entry& CoordinationService::write(Key key, uint64_t value) {
  ++revision_;
  auto [it, created] = keys_.try_emplace(key);
  Entry& entry = it->second;
  if (created) {
    entry.create_revision = revision_;
    // A create raises the parent's cversion (ZooKeeper), hence the next sequence number.
    ++sequence_counters_[key_prefix(key)];
  }
  ++entry.version;
  entry.mod_revision = revision_;
  entry.value = value;
  return entry;
}

void CoordinationService::erase(sim::Context& context, Key key) {
  const auto it = keys_.find(key);
  SIM_CHECK(it != keys_.end(), "erasing a key that does not exist");
  ++revision_;
  KeyState state = state_of(key, it->second);
  state.mod_revision = revision_;
  detach(key, it->second);
  keys_.erase(it);
  // A delete raises the parent's cversion too (ZooKeeper 3.4's PrepRequestProcessor, case
  // OpCode.delete), so sequence numbers are never reused even when the newest child goes.
  ++sequence_counters_[key_prefix(key)];
  notify(context, EventType::kDelete, state);
}

// etcd's put: a put with a lease attaches the key to it, one without detaches it. A put with a
// TTL and no lease is Redis' SET PX: the key gets (or renews) a lease of its own.
void CoordinationService::attach(sim::Context& context, Key key, Entry& entry,
                                 const Request& request) {
  if (request.lease == 0 && request.ttl_ns > 0) {
    const auto own = leases_.find(entry.lease);
    const sim::Duration ttl = sim::Duration::nanoseconds(request.ttl_ns);
    if (own != leases_.end() && own->second.owned_by_key) {
      own->second.ttl = ttl;
      own->second.deadline = context.local_now() + ttl;
      arm_expiry(context, own->second.deadline);
      return;
    }
    detach(key, entry);
    entry.lease = new_lease(context, ttl, /*owned_by_key=*/true);
    leases_.at(entry.lease).keys.push_back(key);
    return;
  }
  if (entry.lease == request.lease) return;
  detach(key, entry);
  if (request.lease == 0) return;
  entry.lease = request.lease;
  leases_.at(request.lease).keys.push_back(key);
}

void CoordinationService::detach(Key key, Entry& entry) {
  if (entry.lease == 0) return;
  const auto lease = leases_.find(entry.lease);
  entry.lease = 0;
  if (lease == leases_.end()) return;
  std::erase(lease->second.keys, key);
  if (lease->second.owned_by_key && lease->second.keys.empty()) leases_.erase(lease);
}

// ---- Leases ----

uint64_t CoordinationService::new_lease(sim::Context& context, sim::Duration ttl,
                                        bool owned_by_key) {
  const uint64_t id = ++next_lease_id_;
  Lease& lease = leases_[id];
  lease.ttl = ttl;
  lease.deadline = context.local_now() + ttl;
  lease.owned_by_key = owned_by_key;
  arm_expiry(context, lease.deadline);
  return id;
}

Reply CoordinationService::handle_grant(sim::Context& context, const Request& request) {
  SIM_CHECK(request.ttl_ns > 0, "a lease needs a positive TTL");
  const uint64_t id = new_lease(context, sim::Duration::nanoseconds(request.ttl_ns), false);
  KeyState state;
  state.value = id;
  return reply_to(request, Status::kOk, state);
}

Reply CoordinationService::handle_keep_alive(sim::Context& context, const Request& request) {
  if (expire_if_due(context, request.lease)) {
    return reply_to(request, Status::kLeaseNotFound, KeyState{});
  }
  Lease& lease = leases_.at(request.lease);
  // A keep-alive only moves the deadline later, so the expiry timer needs no new aim.
  lease.deadline = context.local_now() + lease.ttl;
  KeyState state;
  state.value = static_cast<uint64_t>(lease.ttl.ns());
  return reply_to(request, Status::kOk, state);
}

Reply CoordinationService::handle_revoke(sim::Context& context, const Request& request) {
  if (expire_if_due(context, request.lease)) {
    return reply_to(request, Status::kLeaseNotFound, KeyState{});
  }
  revoke(context, request.lease);
  return reply_to(request, Status::kOk, KeyState{});
}

bool CoordinationService::expire_if_due(sim::Context& context, uint64_t lease) {
  const auto it = leases_.find(lease);
  if (it == leases_.end()) return true;
  if (it->second.deadline > context.local_now()) return false;
  revoke(context, lease);
  return true;
}

void CoordinationService::revoke(sim::Context& context, uint64_t lease) {
  const auto it = leases_.find(lease);
  SIM_CHECK(it != leases_.end(), "revoking an unknown lease");
  // Keys go in key order, each at a revision of its own (etcd deletes a lease's keys in one
  // transaction; one revision per key keeps every watch event's revision distinct here).
  std::vector<Key> keys = std::move(it->second.keys);
  leases_.erase(it);
  std::sort(keys.begin(), keys.end());
  for (const Key key : keys) {
    const auto entry = keys_.find(key);
    if (entry == keys_.end()) continue;
    entry->second.lease = 0;
    erase(context, key);
  }
}

void CoordinationService::arm_expiry(sim::Context& context, sim::LocalInstant deadline) {
  if (expiry_armed_ && *expiry_armed_ <= deadline) return;
  expiry_armed_ = deadline;
  context.set_timer(timers::kLeaseExpiry,
                    std::max(sim::Duration::zero(), deadline - context.local_now()));
}

void CoordinationService::on_timer(sim::Context& context, sim::TimerId timer) {
  SIM_CHECK(timer == timers::kLeaseExpiry, "the service has one timer");
  expiry_armed_.reset();
  const sim::LocalInstant now = context.local_now();
  std::vector<uint64_t> due;
  std::optional<sim::LocalInstant> next;
  for (const auto& [id, lease] : leases_) {
    if (lease.deadline <= now) {
      due.push_back(id);
    } else if (!next || lease.deadline < *next) {
      next = lease.deadline;
    }
  }
  for (const uint64_t id : due) {
    if (leases_.contains(id)) revoke(context, id);
  }
  if (next) arm_expiry(context, *next);
}

// ---- Watches ----

Reply CoordinationService::handle_watch(sim::Context& context, sim::ProcessId from,
                                        const Request& request) {
  const Watch watch{from, request.request_id, (request.flags & flags::kOnce) != 0};
  if ((request.flags & flags::kPrefix) != 0) {
    prefix_watches_.emplace(key_prefix(request.key), watch);
    KeyState state{request.key};
    state.mod_revision = revision_;
    return reply_to(request, Status::kOk, state);
  }
  const auto it = keys_.find(request.key);
  if (it != keys_.end() && it->second.lease != 0) expire_if_due(context, it->second.lease);
  key_watches_.emplace(request.key, watch);
  return reply_to(request, Status::kOk, state_of(request.key));
}

Reply CoordinationService::handle_cancel_watch(sim::ProcessId from, const Request& request) {
  auto same = [&](const auto& entry) {
    return entry.second.watcher == from && entry.second.watch_id == request.compare_value;
  };
  std::erase_if(key_watches_, same);
  std::erase_if(prefix_watches_, same);
  KeyState state;
  state.mod_revision = revision_;
  return reply_to(request, Status::kOk, state);
}

void CoordinationService::notify(sim::Context& context, EventType type, const KeyState& state) {
  WatchEvent event;
  event.type = type;
  event.state = state;
  notify_each(context, key_watches_, state.key, event);
  notify_each(context, prefix_watches_, key_prefix(state.key), event);
}

void CoordinationService::notify_each(sim::Context& context,
                                      std::multimap<uint64_t, Watch>& watches, uint64_t at,
                                      const WatchEvent& event) {
  auto [it, end] = watches.equal_range(at);
  while (it != end) {
    WatchEvent copy = event;
    copy.watch_id = it->second.watch_id;
    context.send(it->second.watcher, copy);
    it = it->second.once ? watches.erase(it) : std::next(it);
  }
}

// ---- Ranges ----

Reply CoordinationService::handle_first(const Request& request) const {
  const Prefix prefix = key_prefix(request.key);
  const auto begin = keys_.lower_bound(prefix_begin(prefix));
  const auto end = keys_.lower_bound(prefix_end(prefix));
  if (begin == end) return reply_to(request, Status::kNotFound, KeyState{request.key});
  auto best = begin;
  if ((request.flags & flags::kByCreateRevision) != 0) {
    for (auto it = begin; it != end; ++it) {
      if (it->second.create_revision < best->second.create_revision) best = it;
    }
  }
  return reply_to(request, Status::kOk, state_of(best->first, best->second));
}

Reply CoordinationService::handle_before(const Request& request) const {
  const Prefix prefix = key_prefix(request.key);
  const auto begin = keys_.lower_bound(prefix_begin(prefix));
  if ((request.flags & flags::kByCreateRevision) == 0) {
    const auto below = keys_.lower_bound(request.key);
    if (below == begin) return reply_to(request, Status::kNotFound, KeyState{request.key});
    const auto it = std::prev(below);
    return reply_to(request, Status::kOk, state_of(it->first, it->second));
  }
  const auto end = keys_.lower_bound(prefix_end(prefix));
  auto best = end;
  for (auto it = begin; it != end; ++it) {
    if (it->second.create_revision >= request.compare_value) continue;
    if (best == end || it->second.create_revision > best->second.create_revision) best = it;
  }
  if (best == end) return reply_to(request, Status::kNotFound, KeyState{request.key});
  return reply_to(request, Status::kOk, state_of(best->first, best->second));
}

// ---- Factory ----

std::unique_ptr<sim::Algorithm> CoordinationServiceFactory::create(
    sim::ProcessId /*process*/) const {
  return std::make_unique<CoordinationService>();
}

std::unique_ptr<sim::AlgorithmFactory> make_service_factory() {
  sim::register_family(&service_family());
  return std::make_unique<CoordinationServiceFactory>();
}

bool elects_through_service(const sim::AlgorithmFactory& members, const sim::Layout& layout) {
  const auto first = layout.of_kind(sim::ProcessKind::kMember);
  if (first.empty()) return false;
  return members.create(first.front())->family() == sim::families::kService;
}

}  // namespace electsim::algorithms::service
