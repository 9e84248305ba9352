// The coordination service (issue 11; DESIGN.md, "Algorithms"): one replica of a linearizable
// key-value store with a global revision, compare-and-set, leases (sessions), ephemeral and
// sequential keys and watches, that the lease recipes elect their leaders through. The protocol
// and its semantics are in service_messages.h.
//
// Linearizable because it is one process: it applies each request whole, in the order the
// requests arrive, and answers from the state it just made. It is a single replica: it does not
// fail over, and it keeps nothing durable, so a crash of its host ends every lease and loses
// every key (docs/LEASES.md says what that means for the recipes). A world with several service
// processes runs one independent store on each, and each group talks to one (service_for).
//
// Lease expiry is judged on the service's own host clock (a clock that runs fast or jumps
// forward expires leases early in true time, Kleppmann's point about Redlock): a lease expires
// when its deadline, its last grant or keep-alive plus its TTL on the service's clock, has
// passed. The service checks a lease lazily whenever a request touches it (as Redis checks a key
// on access) and actively with one timer aimed at the earliest deadline (etcd's lessor revokes
// expired leases from a loop; Redis samples keys with a TTL), so an expired lease is gone before
// any later request sees it, without a pass over every lease per request.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "algorithms/service/service_messages.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::service {

class CoordinationService final : public sim::Algorithm {
 public:
  sim::FamilyId family() const override { return sim::families::kService; }
  void on_start(sim::Context& context, const sim::DurableState* restored) override;
  void on_message(sim::Context& context, sim::ProcessId from,
                  const sim::Payload& message) override;
  void on_timer(sim::Context& context, sim::TimerId timer) override;

  // For tests: the store's revision and a key's state (create_revision 0 when absent).
  uint64_t revision() const { return revision_; }
  KeyState state_of(Key key) const;
  size_t leases() const { return leases_.size(); }

 private:
  struct Entry {
    uint64_t value = 0;
    uint64_t version = 0;
    uint64_t create_revision = 0;
    uint64_t mod_revision = 0;
    uint64_t lease = 0;  // 0: not attached to a lease
  };
  struct Lease {
    sim::Duration ttl;
    sim::LocalInstant deadline;
    std::vector<Key> keys;
    bool owned_by_key = false;  // made by a put with a TTL (Redis PX): ends with its key
  };
  struct Watch {
    sim::ProcessId watcher = sim::kNoNode;
    uint32_t watch_id = 0;
    bool once = false;
  };

  Reply handle(sim::Context& context, sim::ProcessId from, const Request& request);
  Reply handle_put(sim::Context& context, sim::ProcessId from, const Request& request);
  Reply handle_delete(sim::Context& context, const Request& request);
  Reply handle_increment(sim::Context& context, const Request& request);
  Reply handle_grant(sim::Context& context, const Request& request);
  Reply handle_keep_alive(sim::Context& context, const Request& request);
  Reply handle_revoke(sim::Context& context, const Request& request);
  Reply handle_watch(sim::Context& context, sim::ProcessId from, const Request& request);
  Reply handle_cancel_watch(sim::ProcessId from, const Request& request);
  Reply handle_first(const Request& request) const;
  Reply handle_before(const Request& request) const;

  // Stores `value` under `key` (creating it if absent) at a new revision and tells its watchers.
  Entry& write(Key key, uint64_t value);
  void erase(sim::Context& context, Key key);
  void attach(sim::Context& context, Key key, Entry& entry, const Request& request);
  void detach(Key key, Entry& entry);
  uint64_t new_lease(sim::Context& context, sim::Duration ttl, bool owned_by_key);
  // Expires `lease` if its deadline has passed on the service's clock; true if it is gone.
  bool expire_if_due(sim::Context& context, uint64_t lease);
  void revoke(sim::Context& context, uint64_t lease);
  void arm_expiry(sim::Context& context, sim::LocalInstant deadline);
  void notify(sim::Context& context, EventType type, const KeyState& state);
  void notify_each(sim::Context& context, std::multimap<uint64_t, Watch>& watches,
                   uint64_t at, const WatchEvent& event);

  KeyState state_of(Key key, const Entry& entry) const;
  static bool compare_holds(const Request& request, const KeyState& current);

  uint64_t revision_ = 0;
  uint64_t next_lease_id_ = 0;
  std::map<Key, Entry> keys_;
  std::map<Prefix, uint32_t> sequence_counters_;  // ZooKeeper's parent cversion, per prefix
  std::map<uint64_t, Lease> leases_;
  std::multimap<uint64_t, Watch> key_watches_;     // by key
  std::multimap<uint64_t, Watch> prefix_watches_;  // by prefix
  std::optional<sim::LocalInstant> expiry_armed_;  // the deadline the expiry timer aims at
};

class CoordinationServiceFactory final : public sim::AlgorithmFactory {
 public:
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId process) const override;
};

// The factory the runner uses for a world's service processes when its members elect through
// the service.
std::unique_ptr<sim::AlgorithmFactory> make_service_factory();

// Whether the members that `members` makes speak the service's protocol (the lease recipes:
// their family is the service's), asked of one instance made for the layout's first member.
// Then the world's service processes run the service, and a scenario without one is refused.
bool elects_through_service(const sim::AlgorithmFactory& members, const sim::Layout& layout);

}  // namespace electsim::algorithms::service
