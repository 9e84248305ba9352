// etcd's leader election as clientv3's concurrency package runs it (Session and Election),
// against the coordination service (algorithms/service/). One EtcdElection object is one
// candidate: its session (a lease kept alive) and its campaign.
//
// Every rule below is taken from its source (checked with the search tool, cited where used):
// - client/v3/concurrency/session.go: NewSession grants a lease of defaultSessionTTL = 60 s and
//   keeps it alive (client.KeepAlive); Session.Done() closes when the lease is no longer being
//   refreshed.
// - client/v3/lease.go: after each keep-alive response, nextKeepAlive = now + TTL/3 and
//   deadline = now + TTL (on the client's clock); sendKeepAliveLoop sends the due keep-alives
//   every retryConnWait = 500 ms; deadlineLoop, once a second, closes a keep-alive whose
//   deadline passed ("waited too long for response; lease may be expired"); a response with
//   TTL <= 0 closes it at once (the lease expired on the server).
// - client/v3/concurrency/election.go: Campaign puts prefix/<lease id> with the lease in a
//   transaction If(CreateRevision(k) == 0), else reads it; its create revision is leaderRev;
//   then waitDeletes(prefix, leaderRev - 1). Proclaim and Resign are transactions guarded by
//   If(CreateRevision(leaderKey) == leaderRev). Observe reads the first-created key under the
//   prefix and watches it.
// - client/v3/concurrency/key.go: waitDeletes loops: get the last-created key with a create
//   revision <= maxCreateRev; none left means leadership; else watch that key until it is
//   deleted. So each candidate waits on the key just before its own, not on the leader's.
//
// Mapping onto the service (algorithms/service/service_messages.h): a lease is a service lease,
// a transaction with one compare is a put or delete with a compare, "the last-created key below
// a revision" is kBefore with kByCreateRevision, "the first-created key" kFirst with it, and the
// watch a one-shot key watch. The key's value is the candidate's process id.
//
// Epoch and token: leaderRev, the create revision of the candidate's key.
#pragma once

#include <cstdint>
#include <memory>

#include "algorithms/registry.h"
#include "algorithms/service/service_client.h"
#include "algorithms/service/service_messages.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::etcd_election {

struct EtcdElectionOptions {
  sim::Duration ttl = sim::Duration::seconds(60);          // session.go: defaultSessionTTL
  sim::Duration retry_interval = sim::Duration::milliseconds(500);  // lease.go: retryConnWait
  sim::Duration deadline_check_interval = sim::Duration::seconds(1);  // lease.go: deadlineLoop
  // How long one request may take before the client gives up and retries (etcdctl's
  // --command-timeout default, 5 s; Campaign's own context is the caller's).
  sim::Duration request_timeout = sim::Duration::seconds(5);
  // Tests only (tests/algorithms/etcd_variants.cc): Campaign returns as soon as its key is put,
  // without waiting for the keys created before it to be deleted.
  bool campaign_skips_wait = false;
};

enum class CampaignRole : uint8_t { kCandidate, kLeader, kFollower };

class EtcdElection final : public sim::Algorithm {
 public:
  static constexpr sim::TimerId kCampaignRequestTimer = service::timers::kRequest;
  static constexpr sim::TimerId kKeepAliveTimer = service::timers::kKeepAlive;
  static constexpr sim::TimerId kKeepAliveRequestTimer = service::timers::kKeepAliveRequest;
  static constexpr sim::TimerId kDeadlineTimer = service::timers::kDeadline;
  static constexpr sim::TimerId kObserveRequestTimer = service::timers::kSpare6;

  explicit EtcdElection(const EtcdElectionOptions& options) : options_(options) {}

  sim::FamilyId family() const override { return sim::families::kService; }
  void on_start(sim::Context& context, const sim::DurableState* restored) override;
  void on_message(sim::Context& context, sim::ProcessId from, const sim::Payload& message) override;
  void on_timer(sim::Context& context, sim::TimerId timer) override;

  // The scenario's `resign: leader`: Election.Resign deletes the leader key, guarded by its
  // create revision; the application then campaigns again (a new key, last in line).
  void resign(sim::Context& context);
  void on_resign_request(sim::Context& context) override { resign(context); }

  CampaignRole role() const { return role_; }
  uint64_t leader_rev() const { return leader_rev_; }

 private:
  // The session (session.go, lease.go).
  void new_session(sim::Context& context);
  void send_keep_alive(sim::Context& context);
  void handle_session_reply(sim::Context& context, const service::Reply& reply);
  void check_deadline(sim::Context& context);
  void session_done(sim::Context& context);

  // The election (election.go, key.go).
  void campaign(sim::Context& context);
  void wait_deletes(sim::Context& context);
  void confirm_own_key(sim::Context& context);
  void watch_key(sim::Context& context, service::ServiceCall& call, uint32_t& watch_id,
                 service::Key& watched, uint64_t& watched_revision,
                 const service::KeyState& state);
  // Whether a read of a watched key shows the incarnation we watch gone: deleted, or deleted and
  // created again (a key is named after its session's lease, so a resigned candidate that
  // campaigns again puts the same key at a new create revision).
  static bool watched_key_gone(const service::Reply& reply, uint64_t watched_revision);
  void proclaim(sim::Context& context);
  void verify_watches(sim::Context& context);
  void handle_campaign_reply(sim::Context& context, const service::Reply& reply);
  void observe(sim::Context& context);
  void handle_observe_reply(sim::Context& context, const service::Reply& reply);
  void handle_watch_event(sim::Context& context, const service::WatchEvent& event);

  void become_leader(sim::Context& context);
  void become_follower(sim::Context& context, sim::ProcessId leader, uint64_t epoch);
  void stop_believing(sim::Context& context, sim::StepDownReason reason);

  service::Key election_key(uint32_t sequence) const;

  EtcdElectionOptions options_;
  sim::ProcessId self_ = sim::kNoNode;
  uint32_t group_ = 0;

  // The session: its lease (0: none yet) and the keep-alive's times on the client's clock.
  uint64_t lease_ = 0;
  sim::LocalInstant next_keep_alive_;
  sim::LocalInstant deadline_;
  service::ServiceCall session_call_{1, kKeepAliveRequestTimer};

  // The campaign: the key (prefix/<lease>), its create revision once put (leaderRev), and the
  // one-shot watch on the key before it.
  service::Key key_ = 0;
  uint64_t leader_rev_ = 0;
  uint32_t wait_watch_id_ = 0;
  service::Key waited_key_ = 0;
  uint64_t waited_revision_ = 0;  // the waited key's create revision when we began to watch it
  service::ServiceCall campaign_call_{0, kCampaignRequestTimer};

  // Observe: the first-created key and its watch.
  uint32_t observe_watch_id_ = 0;
  service::Key observed_key_ = 0;
  uint64_t observed_revision_ = 0;
  service::ServiceCall observe_call_{2, kObserveRequestTimer};

  CampaignRole role_ = CampaignRole::kCandidate;
  sim::ProcessId followed_ = sim::kNoNode;
  uint64_t followed_epoch_ = 0;
};

class EtcdElectionFactory final : public sim::AlgorithmFactory {
 public:
  // Registers the service family, whose messages and timers the recipe uses (the trace names
  // them by it).
  explicit EtcdElectionFactory(const EtcdElectionOptions& options) : options_(options) {
    sim::register_family(&service::service_family());
  }
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId process) const override;

 private:
  EtcdElectionOptions options_;
};

AlgorithmInfo etcd_election_info();
EtcdElectionOptions options_from(const Params& params);

}  // namespace electsim::algorithms::etcd_election
