// The coordination service's protocol (issue 11; DESIGN.md, "Algorithms"): what the lease
// recipes (ttl-lock, k8s-lease, zk-recipe, etcd-election) send to the service and what it sends
// back. The service is etcd's model (etcd API reference, "Key-value API": every key has a
// create_revision, a mod_revision and a version, and the store has one global revision that
// every change raises by one), with ZooKeeper's sequential keys and one-shot watches beside it.
//
// Semantics, in short (algorithms/service/service.h has the rest):
// - Keys are 64-bit words, not strings: (group, tag, sequence) packed by make_key. The keys of
//   one (group, tag) are a *prefix*, the counterpart of a directory: ZooKeeper's election path,
//   etcd's election prefix. Values are one 64-bit word whose meaning is the recipe's.
// - Every change (put, delete, and each key an expiring lease deletes) raises the global
//   revision by one and stamps the key: create_revision when it is created, mod_revision at
//   every change, version counting changes since creation (etcd's model).
// - A put or delete may carry one compare (a transaction with one condition, as etcd's Txn
//   `If(...).Then(op)` and ZooKeeper's versioned setData/delete): equality of the key's
//   create_revision, mod_revision, version or value with `compare_value`. An absent key has
//   create_revision, mod_revision and version 0, so "create if absent" is create_revision == 0.
//   A failed compare changes nothing and is answered kCompareFailed with the key's current
//   state (etcd's else branch; Kubernetes' 409 Conflict on a stale resourceVersion).
// - Leases (etcd) and sessions (ZooKeeper) are one thing here: granted with a TTL, kept alive
//   by the client, judged on the *service's* host clock. A key put with a lease is ephemeral:
//   it is deleted when the lease expires or is revoked. A put with `ttl` and no lease gives the
//   key a lease of its own (Redis `SET key value PX ttl`); a later put with `ttl` renews it.
// - A sequential put (kSequential) ignores the key's sequence and takes the prefix's counter,
//   ZooKeeper's parent cversion, which every create and every delete under the prefix raises.
// - Watches: on one key or on a whole prefix (kPrefix), from the moment they are registered;
//   kOnce removes the watch after its first event (ZooKeeper's one-shot watches). Events reach
//   each watcher in revision order (one service, FIFO links per watcher are not assumed: each
//   event carries its mod_revision, and the service sends them in that order).
// - Every request carries a request id, chosen by the client and echoed in the reply; watch
//   events carry the id of the request that registered the watch. The service never times out:
//   a client that hears nothing decides when to give up (ServiceCall, service_client.h).
//
// Every message is a 48-byte trivially copyable struct whose first byte says which it is
// (kind_of), so that the largest message fills a sim::Payload without a variant's index.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/algorithm.h"
#include "sim/message_type.h"
#include "sim/payload.h"

namespace electsim::algorithms::service {

// ---- Keys ----

// A key: group (16 bits) | tag (16 bits) | sequence (32 bits). The tag names what the key is
// for; each recipe owns its tags. The prefix of a key is its (group, tag).
using Key = uint64_t;
using KeyTag = uint16_t;
namespace tags {
inline constexpr KeyTag kTtlLock = 1;       // ttl-lock: the lock key (sequence 0)
inline constexpr KeyTag kTokenCounter = 2;  // ttl-lock: the fencing-token counter (INCR)
inline constexpr KeyTag kK8sLease = 3;      // k8s-lease: the Lease object (sequence 0)
inline constexpr KeyTag kZkElection = 4;    // zk-recipe: the election path's children
inline constexpr KeyTag kEtcdElection = 5;  // etcd-election: the election prefix's keys
inline constexpr KeyTag kFirstFree = 16;    // tags from here on are free for new recipes
}  // namespace tags

constexpr Key make_key(uint32_t group, KeyTag tag, uint32_t sequence) {
  return (static_cast<uint64_t>(group & 0xffff) << 48) | (static_cast<uint64_t>(tag) << 32) |
         sequence;
}
constexpr uint32_t key_group(Key key) { return static_cast<uint32_t>(key >> 48); }
constexpr KeyTag key_tag(Key key) { return static_cast<KeyTag>(key >> 32); }
constexpr uint32_t key_sequence(Key key) { return static_cast<uint32_t>(key); }
using Prefix = uint32_t;  // (group, tag): a key's high half
constexpr Prefix key_prefix(Key key) { return static_cast<Prefix>(key >> 32); }

// ---- Requests ----

enum class MessageKind : uint8_t { kRequest = 1, kReply = 2, kWatchEvent = 3 };

enum class Op : uint8_t {
  kGet = 1,          // the key's state, or kNotFound
  kPut = 2,          // set the value (create if absent); compare, lease, ttl, kSequential apply
  kDelete = 3,       // delete the key; compare applies; kNotFound if absent
  kGrantLease = 4,   // a lease of `ttl`; the reply's value is its id
  kKeepAlive = 5,    // renew `lease` for its TTL; kLeaseNotFound once it expired
  kRevokeLease = 6,  // revoke `lease` and delete its keys; kLeaseNotFound if unknown
  kWatch = 7,        // watch the key (kPrefix: its prefix); the reply is the key's state now
  kCancelWatch = 8,  // cancel the watch registered by request id `compare_value`
  kFirst = 9,        // the first key under the key's prefix, by key (or kByCreateRevision)
  kBefore = 10,      // the last key under the prefix below the key (kByCreateRevision: with a
                     // create_revision below `compare_value`); kNotFound if none
  kIncrement = 11,   // add one to the key's value (absent: 0), Redis INCR; reply: the new state
};

enum class CompareTarget : uint8_t {
  kNone = 0,
  kCreateRevision = 1,
  kModRevision = 2,  // Kubernetes' resourceVersion
  kVersion = 3,
  kValue = 4,
};

// Request flags (a bit set).
namespace flags {
inline constexpr uint8_t kSequential = 1 << 0;       // kPut: the prefix's counter is the sequence
inline constexpr uint8_t kPrefix = 1 << 1;           // kWatch: every key under the prefix
inline constexpr uint8_t kOnce = 1 << 2;             // kWatch: removed after its first event
inline constexpr uint8_t kByCreateRevision = 1 << 3;  // kFirst, kBefore: order by creation
// kPut: this write grants leadership; the service reports Supported{client, epoch,
// kLeaseGrant} when it succeeds, the epoch being the key's create_revision, or with
// kEpochInValue the value's low 32 bits (k8s-lease's leaseTransitions).
inline constexpr uint8_t kGrant = 1 << 4;
inline constexpr uint8_t kEpochInValue = 1 << 5;
}  // namespace flags

struct Request {
  MessageKind kind = MessageKind::kRequest;
  Op op = Op::kGet;
  CompareTarget compare = CompareTarget::kNone;
  uint8_t flags = 0;
  uint32_t request_id = 0;
  Key key = 0;
  uint64_t value = 0;
  uint64_t compare_value = 0;
  uint64_t lease = 0;    // kPut: attach to this lease; kKeepAlive, kRevokeLease: which one
  int64_t ttl_ns = 0;    // kGrantLease: its TTL; kPut without a lease: the key's own TTL
};

// ---- Replies and watch events ----

enum class Status : uint8_t {
  kOk = 0,
  kCompareFailed = 1,   // the compare did not hold: nothing changed (HTTP 409 for Kubernetes)
  kNotFound = 2,        // no such key (kGet, kDelete, kFirst, kBefore)
  kLeaseNotFound = 3,   // the lease expired or never existed (kPut with it, kKeepAlive, kRevoke)
};

// A key's state as the service holds it; create_revision 0 means the key does not exist.
struct KeyState {
  Key key = 0;
  uint64_t value = 0;
  uint64_t version = 0;
  uint64_t create_revision = 0;
  uint64_t mod_revision = 0;
};

// The answer to one request. `state` is the key's state after the request (kPut, kIncrement),
// before it (kDelete), as it is (kGet, kFirst, kBefore, kWatch, and with kCompareFailed). For
// kGrantLease state.value is the lease id; for kKeepAlive the TTL in nanoseconds. For a prefix
// watch and kCancelWatch, state.mod_revision is the store's revision.
struct Reply {
  MessageKind kind = MessageKind::kReply;
  Status status = Status::kOk;
  Op op = Op::kGet;
  uint8_t reserved = 0;
  uint32_t request_id = 0;
  KeyState state;
};

enum class EventType : uint8_t { kPut = 1, kDelete = 2 };

// A change a watch saw: after a put, the key's new state; after a delete, the deleted key with
// mod_revision set to the delete's revision (etcd reports a delete at the revision it happened).
struct WatchEvent {
  MessageKind kind = MessageKind::kWatchEvent;
  EventType type = EventType::kPut;
  uint8_t reserved[2] = {0, 0};
  uint32_t watch_id = 0;  // the request id of the kWatch that registered it
  KeyState state;
};

static_assert(sizeof(Request) == sim::Payload::kCapacity);
static_assert(sizeof(Reply) == sim::Payload::kCapacity);
static_assert(sizeof(WatchEvent) == sim::Payload::kCapacity);

// Which message a payload of this family holds (its first byte).
inline MessageKind kind_of(const sim::Payload& payload) {
  SIM_CHECK(payload.size() > 0, "empty service message");
  return static_cast<MessageKind>(payload.data()[0]);
}

// Stable type ids (sim/message_type.h): family kService, index = MessageKind - 1. Part of the
// trace format: append, never renumber.
inline sim::MessageTypeId message_type_of(const Request&) {
  return sim::message_type_id(sim::families::kService, 0);
}
inline sim::MessageTypeId message_type_of(const Reply&) {
  return sim::message_type_id(sim::families::kService, 1);
}
inline sim::MessageTypeId message_type_of(const WatchEvent&) {
  return sim::message_type_id(sim::families::kService, 2);
}

// ---- Timers ----

// Every process that speaks this protocol (the service and every recipe) is of the service
// family, so a recipe can receive the service's messages; the family names timers by id, so
// they are shared by purpose. A recipe uses the ones it needs.
namespace timers {
inline constexpr sim::TimerId kLeaseExpiry = 0;      // the service: the earliest lease deadline
inline constexpr sim::TimerId kRequest = 1;          // a client: its call in flight timed out
inline constexpr sim::TimerId kKeepAlive = 2;        // a client: time to send a keep-alive
inline constexpr sim::TimerId kKeepAliveRequest = 3;  // a client: the keep-alive timed out
inline constexpr sim::TimerId kRetry = 4;            // a client: its next attempt (poll, renew)
inline constexpr sim::TimerId kDeadline = 5;         // a client: its belief or session ends
inline constexpr sim::TimerId kSpare6 = 6;           // free for a recipe ("timer6")
inline constexpr sim::TimerId kSpare7 = 7;           // free for a recipe ("timer7")
}  // namespace timers

// The family's names ("service": messages request, reply, watch_event; the timers above),
// registered by every factory of the family.
const sim::FamilyInfo& service_family();

// The service process a client of `group` talks to: one of the world's service processes,
// chosen by group (groups spread over several single-replica services), or sim::kNoNode when
// the world has none.
sim::ProcessId service_for(const sim::Context& context);

}  // namespace electsim::algorithms::service
