#include "algorithms/zk_recipe/zk_recipe.h"

#include <algorithm>

namespace electsim::algorithms::zk_recipe {

using service::Key;
using service::Op;
using service::Reply;
using service::Request;
using service::Status;
using service::WatchEvent;
namespace flags = service::flags;

sim::Duration ZkRecipeOptions::negotiated_session_timeout() const {
  // Programmer's Guide, "ZooKeeper Sessions": "a minimum of 2 times the tickTime ... and a
  // maximum of 20 times the tickTime".
  return std::clamp(session_timeout, tick_time * 2, tick_time * 20);
}

sim::Duration ZkRecipeOptions::ping_interval() const {
  // ClientCnxn.SendThread: timeToNextPing = readTimeout / 2 - idleSend - (idleSend > 1000 ?
  // 1000 : 0), so an idle client pings one second early, but never before a second of silence.
  const sim::Duration half = read_timeout() / 2;
  const sim::Duration second = sim::Duration::seconds(1);
  if (half > second * 2) return half - second;
  return std::min(half, second);
}

// ---- Inputs ----

void ZkRecipe::on_start(sim::Context& context, const sim::DurableState* /*restored*/) {
  // A ZooKeeper client keeps nothing on disk: a restarted candidate opens a new session and
  // joins the election again behind everyone (its old znode goes with its old session).
  self_ = context.self();
  group_ = static_cast<uint32_t>(context.group());
  const uint64_t nonce = (context.rng().next() >> 32) | 1;
  node_value_ = (nonce << 32) | self_;
  open_session(context);
}

void ZkRecipe::on_message(sim::Context& context, sim::ProcessId /*from*/,
                          const sim::Payload& message) {
  if (service::kind_of(message) == service::MessageKind::kWatchEvent) {
    if (connected()) heard_from_service(context);
    handle_watch_event(context, service::as_watch_event(message));
    return;
  }
  const Reply reply = service::as_reply(message);
  switch (service::ServiceCall::channel_of(reply.request_id)) {
    case 0:
      if (connected()) heard_from_service(context);
      if (latch_call_.finish(context, reply)) handle_latch_reply(context, reply);
      break;
    case 1:
      if (session_call_.finish(context, reply)) handle_session_reply(context, reply);
      break;
    case 2:
      if (connected()) heard_from_service(context);
      if (poll_call_.finish(context, reply)) handle_poll_reply(context, reply);
      break;
    default:
      break;
  }
}

void ZkRecipe::on_timer(sim::Context& context, sim::TimerId timer) {
  switch (timer) {
    case kPingTimer:
      send_ping(context);
      context.set_timer(kPingTimer, options_.ping_interval());
      break;
    case kPingRequestTimer:
      session_call_.timed_out();
      // A session request that went unanswered: try again (ClientCnxn keeps reconnecting).
      if (connection_ == ConnectionState::kConnecting) open_session(context);
      break;
    case kReadTimeoutTimer:
      if (connected()) become_suspended(context);
      break;
    case kLostTimer:
      if (connection_ == ConnectionState::kSuspended) become_lost(context);
      break;
    case kLatchRequestTimer:
      latch_call_.timed_out();
      // A lost request or reply: the latch picks up where it was, as after a reconnection.
      if (connected()) resume_latch(context);
      break;
    case kPollTimer:
      poll_leader(context);
      context.set_timer(kPollTimer, options_.leader_poll_interval);
      break;
    case kPollRequestTimer:
      poll_call_.timed_out();
      break;
    default:
      SIM_CHECK(false, "zk-recipe: a timer it never set");
  }
}

void ZkRecipe::resign(sim::Context& context) {
  if (role_ != LatchRole::kLeader) return;
  stop_believing(context, sim::StepDownReason::kResigned);
  latch_call_.abandon(context);
  if (znode_ != 0) stale_znode_ = znode_;
  znode_ = 0;
  czxid_ = 0;
  watch_id_ = 0;
  watched_key_ = 0;
  if (connected()) resume_latch(context);
}

// ---- The session ----

void ZkRecipe::open_session(sim::Context& context) {
  connection_ = ConnectionState::kConnecting;
  Request request = service::make_request(Op::kGrantLease, 0);
  request.ttl_ns = options_.negotiated_session_timeout().ns();
  session_call_.start(context, request, options_.read_timeout());
}

void ZkRecipe::send_ping(sim::Context& context) {
  if (session_ == 0) return;
  Request request = service::make_request(Op::kKeepAlive, 0);
  request.lease = session_;
  session_call_.start(context, request, options_.read_timeout());
}

void ZkRecipe::heard_from_service(sim::Context& context) {
  last_heard_ = context.local_now();
  context.set_timer(kReadTimeoutTimer, options_.read_timeout());
}

void ZkRecipe::handle_session_reply(sim::Context& context, const Reply& reply) {
  if (reply.op == Op::kGrantLease) {
    SIM_CHECK(reply.status == Status::kOk, "zk-recipe: the service refused a session");
    session_ = reply.state.value;
    become_connected(context);
    return;
  }
  if (reply.status == Status::kLeaseNotFound) {
    // The server expired the session: ZooKeeper's Expired event, Curator's LOST.
    become_lost(context);
    return;
  }
  if (connection_ == ConnectionState::kSuspended) {
    become_connected(context);  // Curator's RECONNECTED: the session survived
  } else if (connected()) {
    heard_from_service(context);
    verify_watch(context);
  }
}

void ZkRecipe::become_connected(sim::Context& context) {
  connection_ = ConnectionState::kConnected;
  context.cancel_timer(kLostTimer);
  heard_from_service(context);
  context.set_timer(kPingTimer, options_.ping_interval());
  context.set_timer(kPollTimer, options_.leader_poll_interval);
  // LeaderLatch.handleStateChange(RECONNECTED) re-reads the children; a first connection runs
  // internalStart(), which resets.
  resume_latch(context);
}

void ZkRecipe::become_suspended(sim::Context& context) {
  connection_ = ConnectionState::kSuspended;
  // ConnectionLoss for every request in flight; the server keeps the watches of a live session.
  latch_call_.abandon(context);
  poll_call_.abandon(context);
  // LeaderLatch: SUSPENDED ends leadership under the default (standard) error policy.
  if (role_ == LatchRole::kFollower ||
      (role_ == LatchRole::kLeader && !options_.leader_ignores_suspended)) {
    stop_believing(context, sim::StepDownReason::kSessionExpired);
  }
  if (options_.session_expiration_percent > 0) {
    context.set_timer(kLostTimer, options_.negotiated_session_timeout() *
                                      options_.session_expiration_percent / 100);
  }
}

void ZkRecipe::become_lost(sim::Context& context) {
  stop_believing(context, sim::StepDownReason::kSessionExpired);
  for (const sim::TimerId timer : {kPingTimer, kReadTimeoutTimer, kLostTimer, kPollTimer}) {
    context.cancel_timer(timer);
  }
  session_call_.abandon(context);
  latch_call_.abandon(context);
  poll_call_.abandon(context);
  // LeaderLatch.reset() deletes the node it had (setNode(null)) once it runs again; the server
  // deletes it anyway when it expires the session.
  if (znode_ != 0) stale_znode_ = znode_;
  znode_ = 0;
  czxid_ = 0;
  watch_id_ = 0;
  watched_key_ = 0;
  session_ = 0;
  connection_ = ConnectionState::kLost;
  open_session(context);  // Curator builds a new ZooKeeper handle: a new session
}

// ---- The latch ----

Key ZkRecipe::election_key(uint32_t sequence) const {
  return service::make_key(group_, service::tags::kZkElection, sequence);
}

void ZkRecipe::resume_latch(sim::Context& context) {
  if (stale_znode_ != 0) {
    latch_call_.start(context, service::make_request(Op::kDelete, stale_znode_),
                      options_.read_timeout());
  } else if (znode_ == 0) {
    reset(context);
  } else {
    check_leadership(context);
  }
}

void ZkRecipe::reset(sim::Context& context) {
  // LeaderLatch.reset(): create(EPHEMERAL_SEQUENTIAL) under the latch path, with its id.
  Request request = service::make_request(Op::kPut, election_key(0));
  request.flags = flags::kSequential | flags::kGrant;
  request.lease = session_;
  request.value = node_value_;
  latch_call_.start(context, request, options_.read_timeout());
}

void ZkRecipe::check_leadership(sim::Context& context) {
  // LeaderLatch.getChildren() then checkLeadership(): is there a child below ours? The herd
  // variant asks for the smallest child instead, which every candidate then watches.
  const Op op = options_.watch_leader_instead_of_predecessor ? Op::kFirst : Op::kBefore;
  latch_call_.start(context, service::make_request(op, znode_), options_.read_timeout());
}

void ZkRecipe::watch(sim::Context& context, Key key) {
  // LeaderLatch: getData().usingWatcher() on the previous child: a one-shot watch.
  Request request = service::make_request(Op::kWatch, key);
  request.flags = flags::kOnce;
  if (latch_call_.start(context, request, options_.read_timeout())) {
    watch_id_ = latch_call_.request_id();
    watched_key_ = key;
  }
}

void ZkRecipe::verify_watch(sim::Context& context) {
  // ZooKeeper's client talks to its server over TCP, which loses nothing: a watch event the
  // simulated network dropped would still have arrived. The client makes up for it at each ping
  // reply by asking whether the node it watches is still there (one read while it waits).
  if (watch_id_ == 0 || watched_key_ == 0 || latch_call_.in_flight()) return;
  latch_call_.start(context, service::make_request(Op::kGet, watched_key_),
                    options_.read_timeout());
}

void ZkRecipe::handle_latch_reply(sim::Context& context, const Reply& reply) {
  if (reply.status == Status::kLeaseNotFound) {
    become_lost(context);  // a create with a session the server already expired
    return;
  }
  switch (reply.op) {
    case Op::kDelete:
      if (reply.state.key == stale_znode_ || reply.status == Status::kNotFound) stale_znode_ = 0;
      resume_latch(context);
      break;
    case Op::kPut:
      znode_ = reply.state.key;
      czxid_ = reply.state.create_revision;
      check_leadership(context);
      break;
    case Op::kBefore:
    case Op::kFirst:
      handle_before(context, reply);
      break;
    case Op::kWatch:
      // getData's NONODE: the child went away before the watch was set; read them again.
      if (reply.state.create_revision == 0) check_leadership(context);
      break;
    case Op::kGet:
      if (znode_ != 0 && reply.state.key == znode_) {
        if (reply.status == Status::kOk) {
          become_leader(context);  // ourIndex == 0
        } else {
          znode_ = 0;  // gone with an expired session: reset()
          czxid_ = 0;
          resume_latch(context);
        }
        break;
      }
      // verify_watch: the watched node is gone and its event was lost on the way.
      if (reply.status == Status::kNotFound && reply.state.key == watched_key_) {
        watch_id_ = 0;
        watched_key_ = 0;
        check_leadership(context);
      }
      break;
    default:
      SIM_CHECK(false, "zk-recipe: a reply to a request it never sends");
  }
}

void ZkRecipe::handle_before(sim::Context& context, const Reply& reply) {
  const bool found = reply.status == Status::kOk;
  if (found && reply.state.key == znode_) {
    become_leader(context);  // the herd variant's kFirst: ours is the smallest child
    return;
  }
  if (!found) {
    // Nothing below ours, if ours is still there: LeaderLatch.checkLeadership finds its own
    // node among the children first ("Can't find our node. Resetting" otherwise), so a node the
    // server deleted with an expired session never leads.
    latch_call_.start(context, service::make_request(Op::kGet, znode_), options_.read_timeout());
    return;
  }
  if (reply.state.value == node_value_) {
    // A node of ours from a request retried after a lost reply, or from a lost session:
    // LeaderLatch.reset() deletes such a node (setNode(null)); Curator's protected mode finds it.
    stale_znode_ = reply.state.key;
    resume_latch(context);
    return;
  }
  if (role_ == LatchRole::kLeader) stop_believing(context, sim::StepDownReason::kHigherEpochSeen);
  watch(context, reply.state.key);
  if (role_ != LatchRole::kFollower) poll_leader(context);
}

void ZkRecipe::handle_watch_event(sim::Context& context, const WatchEvent& event) {
  if (event.watch_id == 0 || event.watch_id != watch_id_) return;
  watch_id_ = 0;
  watched_key_ = 0;
  if (!connected()) return;  // RECONNECTED re-reads the children anyway
  if (event.type == service::EventType::kDelete) {
    check_leadership(context);  // LeaderLatch's watcher: NodeDeleted -> getChildren()
  } else {
    watch(context, event.state.key);  // a data change used up the one-shot watch
  }
}

void ZkRecipe::poll_leader(sim::Context& context) {
  if (!connected() || role_ == LatchRole::kLeader || znode_ == 0 || poll_call_.in_flight()) {
    return;
  }
  poll_call_.start(context, service::make_request(Op::kFirst, election_key(0)),
                   options_.read_timeout());
}

void ZkRecipe::handle_poll_reply(sim::Context& context, const Reply& reply) {
  if (reply.status != Status::kOk || role_ == LatchRole::kLeader) return;
  const auto owner = static_cast<sim::ProcessId>(reply.state.value & 0xffffffff);
  if (reply.state.value == node_value_) {
    // The smallest child is ours but not the latch's node: a create whose reply was lost, then
    // retried. Curator creates latch nodes withProtection() to find such a node by its GUID and
    // delete it; left alone it would lead nobody and block everyone behind it for as long as
    // our session lives.
    if (reply.state.key != znode_ && !latch_call_.in_flight()) {
      stale_znode_ = reply.state.key;
      resume_latch(context);
    }
    return;
  }
  if (owner == self_) return;  // an earlier incarnation's node: it goes with that session
  become_follower(context, owner, reply.state.create_revision);
}

// ---- Roles ----

void ZkRecipe::become_leader(sim::Context& context) {
  role_ = LatchRole::kLeader;
  followed_ = sim::kNoNode;
  followed_epoch_ = 0;
  sim::Elected elected;
  elected.epoch = czxid_;
  elected.token = czxid_;
  // It believes until it hears nothing for a read timeout (then SUSPENDED).
  elected.lease_until = last_heard_ + options_.read_timeout();
  context.report(elected);
}

void ZkRecipe::become_follower(sim::Context& context, sim::ProcessId leader, uint64_t epoch) {
  if (role_ == LatchRole::kFollower && followed_ == leader && followed_epoch_ == epoch) return;
  role_ = LatchRole::kFollower;
  followed_ = leader;
  followed_epoch_ = epoch;
  context.report(sim::Follows{leader, epoch});
}

void ZkRecipe::stop_believing(sim::Context& context, sim::StepDownReason reason) {
  if (role_ == LatchRole::kLeader) {
    context.report(sim::SteppedDown{reason});
  } else if (role_ == LatchRole::kFollower) {
    context.report(sim::LeaderLost{sim::LeaderLostReason::kLeaderUnreachable});
  }
  role_ = LatchRole::kCandidate;
  followed_ = sim::kNoNode;
  followed_epoch_ = 0;
}

std::unique_ptr<sim::Algorithm> ZkRecipeFactory::create(sim::ProcessId /*process*/) const {
  return std::make_unique<ZkRecipe>(options_);
}

}  // namespace electsim::algorithms::zk_recipe
