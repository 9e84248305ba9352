// The ZooKeeper leader-election recipe as Apache Curator's LeaderLatch runs it, over a ZooKeeper
// client session, against the coordination service (algorithms/service/). One ZkRecipe object is
// one candidate: its ZooKeeper handle (session, pings, connection states) and its latch.
//
// Every rule below is taken from its source (checked with the search tool, cited where used):
// - ZooKeeper Recipes and Solutions, "Leader Election": each candidate creates an EPHEMERAL |
//   SEQUENTIAL child of the election path; the smallest sequence number leads; to avoid the herd
//   effect each candidate watches only the next lower znode, and re-reads the children when it
//   goes away.
// - ZooKeeper Programmer's Guide, "ZooKeeper Sessions": the server grants a session timeout of
//   at least 2 and at most 20 times its tickTime, whatever the client asks for.
// - ZooKeeper ClientCnxn (zookeeper-server/.../ClientCnxn.java): readTimeout = 2/3 of the
//   negotiated session timeout; the client pings when it has sent nothing for readTimeout / 2
//   (less one second once it has been idle a second); hearing nothing for readTimeout is a
//   disconnection.
// - Curator ConnectionStateManager (curator-framework/.../state/ConnectionStateManager.java): a
//   disconnection is SUSPENDED; after the negotiated session timeout (times
//   simulatedSessionExpirationPercent, default 100) SUSPENDED on the client's own clock, Curator
//   injects a session expiration: LOST. CuratorFrameworkFactory's defaults: sessionTimeoutMs
//   60000.
// - Curator LeaderLatch (curator-recipes/.../leader/LeaderLatch.java): reset() deletes its old
//   node and creates "latch-" EPHEMERAL_SEQUENTIAL; checkLeadership() leads at index 0, else
//   watches the previous child (getData with a watcher; NONODE or NodeDeleted re-reads the
//   children); on SUSPENDED it gives up leadership when the error policy says SUSPENDED is an
//   error (StandardConnectionStateErrorPolicy, the default: SUSPENDED and LOST), on LOST always;
//   on RECONNECTED it re-reads the children, and a node of its own that is gone makes it reset().
//
// Mapping onto the service (algorithms/service/service_messages.h): a ZooKeeper session is a
// service lease whose TTL is the negotiated timeout (the service judges it on its own clock, as
// a ZooKeeper server does); a ping is a keep-alive; a znode is a key under the election prefix
// put with the lease and kSequential; "the next lower child" is the service's kBefore, "the
// smallest child" its kFirst, and a getData watch a one-shot key watch. The znode's value is the
// candidate's process id (LeaderLatch's participant id) with a per-incarnation nonce.
//
// Epoch and token: the znode's czxid (the service's create revision), which orders the
// candidates exactly as their sequence numbers do (both grow with every create under the path).
#pragma once

#include <cstdint>
#include <memory>

#include "algorithms/registry.h"
#include "algorithms/service/service_client.h"
#include "algorithms/service/service_messages.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::zk_recipe {

struct ZkRecipeOptions {
  // CuratorFrameworkFactory: sessionTimeoutMs 60000, what the client asks for.
  sim::Duration session_timeout = sim::Duration::seconds(60);
  // The ensemble's tickTime (conf/zoo_sample.cfg: 2000 ms); the server grants a session timeout
  // within 2..20 ticks (Programmer's Guide, "ZooKeeper Sessions").
  sim::Duration tick_time = sim::Duration::seconds(2);
  // Curator's simulatedSessionExpirationPercent (default 100): LOST after this share of the
  // negotiated session timeout spent SUSPENDED.
  int64_t session_expiration_percent = 100;
  // How often a follower asks who leads (LeaderLatch.getLeader() reads the server each time: a
  // follower has no notification of a new leader; the interval is electsim's).
  sim::Duration leader_poll_interval = sim::Duration::seconds(1);
  // Tests only (tests/algorithms/zk_variants.cc): a leader that keeps believing when SUSPENDED,
  // as with Curator's SessionConnectionStateErrorPolicy, until LOST.
  bool leader_ignores_suspended = false;
  // Tests only: every candidate watches the leader's znode instead of its predecessor's (the
  // herd effect the recipe warns of).
  bool watch_leader_instead_of_predecessor = false;

  // The session timeout the server grants: the request clamped to 2..20 ticks.
  sim::Duration negotiated_session_timeout() const;
  // ClientCnxn: 2/3 of the negotiated timeout.
  sim::Duration read_timeout() const { return negotiated_session_timeout() * 2 / 3; }
  // ClientCnxn: readTimeout / 2, less one second once idle for a second.
  sim::Duration ping_interval() const;
};

// The client's connection states, Curator's ConnectionState.
enum class ConnectionState : uint8_t { kConnecting, kConnected, kSuspended, kLost };
enum class LatchRole : uint8_t { kCandidate, kLeader, kFollower };

class ZkRecipe final : public sim::Algorithm {
 public:
  // The service family's timers (service_messages.h, timers::) by purpose.
  static constexpr sim::TimerId kLatchRequestTimer = service::timers::kRequest;
  static constexpr sim::TimerId kPingTimer = service::timers::kKeepAlive;
  static constexpr sim::TimerId kPingRequestTimer = service::timers::kKeepAliveRequest;
  static constexpr sim::TimerId kPollTimer = service::timers::kRetry;
  static constexpr sim::TimerId kReadTimeoutTimer = service::timers::kDeadline;
  static constexpr sim::TimerId kPollRequestTimer = service::timers::kSpare6;
  static constexpr sim::TimerId kLostTimer = service::timers::kSpare7;

  explicit ZkRecipe(const ZkRecipeOptions& options) : options_(options) {}

  sim::FamilyId family() const override { return sim::families::kService; }
  void on_start(sim::Context& context, const sim::DurableState* restored) override;
  void on_message(sim::Context& context, sim::ProcessId from, const sim::Payload& message) override;
  void on_timer(sim::Context& context, sim::TimerId timer) override;

  // The scenario's `resign: leader`: LeaderLatch.close() deletes the leader's znode and gives up
  // leadership; the application then joins again with a new latch (a new znode, last in line).
  void resign(sim::Context& context);
  void on_resign_request(sim::Context& context) override { resign(context); }

  // Read-only views for tests.
  ConnectionState connection() const { return connection_; }
  LatchRole role() const { return role_; }
  uint64_t czxid() const { return czxid_; }

 private:
  // The ZooKeeper handle: session, pings and connection states.
  void open_session(sim::Context& context);
  void send_ping(sim::Context& context);
  void heard_from_service(sim::Context& context);
  void become_suspended(sim::Context& context);
  void become_lost(sim::Context& context);
  void become_connected(sim::Context& context);
  void handle_session_reply(sim::Context& context, const service::Reply& reply);

  // The latch.
  void resume_latch(sim::Context& context);
  void reset(sim::Context& context);
  void check_leadership(sim::Context& context);
  void watch(sim::Context& context, service::Key key);
  void verify_watch(sim::Context& context);
  void handle_latch_reply(sim::Context& context, const service::Reply& reply);
  void handle_before(sim::Context& context, const service::Reply& reply);
  void handle_watch_event(sim::Context& context, const service::WatchEvent& event);
  void poll_leader(sim::Context& context);
  void handle_poll_reply(sim::Context& context, const service::Reply& reply);

  // Role changes: leadership is given up through stop_believing only.
  void become_leader(sim::Context& context);
  void become_follower(sim::Context& context, sim::ProcessId leader, uint64_t epoch);
  void stop_believing(sim::Context& context, sim::StepDownReason reason);

  service::Key election_key(uint32_t sequence) const;
  bool connected() const { return connection_ == ConnectionState::kConnected; }

  ZkRecipeOptions options_;
  sim::ProcessId self_ = sim::kNoNode;
  // What this incarnation writes into its znodes: its process id in the low half (LeaderLatch's
  // participant id) and a random nonce above it, Curator's protected-mode GUID, so that it can
  // tell its own leftover nodes from those of an earlier incarnation of the same process.
  uint64_t node_value_ = 0;
  uint32_t group_ = 0;

  // The session (a service lease) and what the client last heard, on its own clock.
  ConnectionState connection_ = ConnectionState::kConnecting;
  uint64_t session_ = 0;
  sim::LocalInstant last_heard_;
  service::ServiceCall session_call_{1, kPingRequestTimer};

  // The latch: this candidate's znode (0: none), one left over from a lost session that
  // reset() deletes, and the one-shot watch in force.
  service::Key znode_ = 0;
  uint64_t czxid_ = 0;
  service::Key stale_znode_ = 0;
  uint32_t watch_id_ = 0;
  service::Key watched_key_ = 0;
  service::ServiceCall latch_call_{0, kLatchRequestTimer};
  service::ServiceCall poll_call_{2, kPollRequestTimer};

  LatchRole role_ = LatchRole::kCandidate;
  sim::ProcessId followed_ = sim::kNoNode;
  uint64_t followed_epoch_ = 0;
};

class ZkRecipeFactory final : public sim::AlgorithmFactory {
 public:
  // Registers the service family, whose messages and timers the recipe uses (the trace names
  // them by it).
  explicit ZkRecipeFactory(const ZkRecipeOptions& options) : options_(options) {
    sim::register_family(&service::service_family());
  }
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId process) const override;

 private:
  ZkRecipeOptions options_;
};

// The registry entry: parameters, profile and factory (zk_recipe_info.cc).
AlgorithmInfo zk_recipe_info();
// The options resolved parameters describe.
ZkRecipeOptions options_from(const Params& params);

}  // namespace electsim::algorithms::zk_recipe
