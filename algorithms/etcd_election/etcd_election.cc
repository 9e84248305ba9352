#include "algorithms/etcd_election/etcd_election.h"

namespace electsim::algorithms::etcd_election {

using service::Key;
using service::Op;
using service::Reply;
using service::Request;
using service::Status;
using service::WatchEvent;
namespace flags = service::flags;

namespace {

// lease.go: "defaultTTL is the assumed lease TTL used for the first keepalive deadline before
// the actual TTL is known to the client" (the first keep-alive timeout, with no dial timeout).
constexpr sim::Duration kFirstKeepAliveTimeout = sim::Duration::seconds(5);

}  // namespace

// ---- Inputs ----

void EtcdElection::on_start(sim::Context& context, const sim::DurableState* /*restored*/) {
  // clientv3 keeps nothing on disk: a restarted candidate grants a new lease and campaigns
  // behind everyone (its old key goes when its old lease expires).
  self_ = context.self();
  group_ = static_cast<uint32_t>(context.group());
  context.set_timer(kDeadlineTimer, options_.deadline_check_interval);
  new_session(context);
}

void EtcdElection::on_message(sim::Context& context, sim::ProcessId /*from*/,
                              const sim::Payload& message) {
  if (service::kind_of(message) == service::MessageKind::kWatchEvent) {
    handle_watch_event(context, service::as_watch_event(message));
    return;
  }
  const Reply reply = service::as_reply(message);
  switch (service::ServiceCall::channel_of(reply.request_id)) {
    case 0:
      if (campaign_call_.finish(context, reply)) handle_campaign_reply(context, reply);
      break;
    case 1:
      if (session_call_.finish(context, reply)) handle_session_reply(context, reply);
      break;
    case 2:
      if (observe_call_.finish(context, reply)) handle_observe_reply(context, reply);
      break;
    default:
      break;
  }
}

void EtcdElection::on_timer(sim::Context& context, sim::TimerId timer) {
  switch (timer) {
    case kKeepAliveTimer:
      send_keep_alive(context);
      break;
    case kKeepAliveRequestTimer:
      // sendKeepAliveLoop: a keep-alive still due goes out again every retryConnWait; a lease
      // grant that went unanswered is asked again.
      session_call_.timed_out();
      if (lease_ == 0) {
        new_session(context);
      } else {
        send_keep_alive(context);
      }
      break;
    case kDeadlineTimer:
      check_deadline(context);
      context.set_timer(kDeadlineTimer, options_.deadline_check_interval);
      break;
    case kCampaignRequestTimer:
      // Campaign's requests are idempotent (the put is "create if absent"): retry the step.
      campaign_call_.timed_out();
      if (lease_ != 0) campaign(context);
      break;
    case kObserveRequestTimer:
      observe_call_.timed_out();
      if (lease_ != 0 && role_ != CampaignRole::kLeader) observe(context);
      break;
    default:
      SIM_CHECK(false, "etcd-election: a timer it never set");
  }
}

// ---- The session ----

void EtcdElection::new_session(sim::Context& context) {
  Request request = service::make_request(Op::kGrantLease, 0);
  request.ttl_ns = options_.ttl.ns();
  session_call_.start(context, request, options_.request_timeout);
}

void EtcdElection::send_keep_alive(sim::Context& context) {
  if (lease_ == 0) return;
  Request request = service::make_request(Op::kKeepAlive, 0);
  request.lease = lease_;
  session_call_.start(context, request, options_.retry_interval);
}

void EtcdElection::handle_session_reply(sim::Context& context, const Reply& reply) {
  const sim::LocalInstant now = context.local_now();
  if (reply.op == Op::kGrantLease) {
    SIM_CHECK(reply.status == Status::kOk, "etcd-election: the service refused a lease");
    lease_ = reply.state.value;
    // lease.go KeepAlive: a fresh keep-alive is due at once, its deadline the first timeout.
    deadline_ = now + kFirstKeepAliveTimeout;
    send_keep_alive(context);
    campaign(context);
    return;
  }
  if (reply.status == Status::kLeaseNotFound) {
    session_done(context);  // recvKeepAlive: TTL <= 0, "lease expired"
    return;
  }
  // recvKeepAlive: the next keep-alive a third of the TTL on, the deadline a TTL on.
  const sim::Duration ttl = sim::Duration::nanoseconds(static_cast<int64_t>(reply.state.value));
  next_keep_alive_ = now + ttl / 3;
  deadline_ = now + ttl;
  context.set_timer(kKeepAliveTimer, ttl / 3);
  verify_watches(context);
}

void EtcdElection::check_deadline(sim::Context& context) {
  // deadlineLoop: "waited too long for response; lease may be expired".
  if (lease_ != 0 && deadline_ < context.local_now()) session_done(context);
}

void EtcdElection::session_done(sim::Context& context) {
  // The application's `<-session.Done()`: the leader stops, and a new session campaigns again.
  stop_believing(context, sim::StepDownReason::kLeaseExpired);
  session_call_.abandon(context);
  campaign_call_.abandon(context);
  observe_call_.abandon(context);
  context.cancel_timer(kKeepAliveTimer);
  lease_ = 0;
  key_ = 0;
  leader_rev_ = 0;
  wait_watch_id_ = 0;
  observe_watch_id_ = 0;
  new_session(context);
}

// ---- The election ----

Key EtcdElection::election_key(uint32_t sequence) const {
  return service::make_key(group_, service::tags::kEtcdElection, sequence);
}

void EtcdElection::campaign(sim::Context& context) {
  if (leader_rev_ != 0) {
    wait_deletes(context);
    return;
  }
  // election.go Campaign: Txn(If(CreateRevision(k) == 0), Then(Put(k, val, WithLease)),
  // Else(Get(k))), k = prefix/<lease id>.
  SIM_CHECK(lease_ <= UINT32_MAX, "etcd-election: a lease id beyond a key's sequence");
  key_ = election_key(static_cast<uint32_t>(lease_));
  Request request = service::make_request(Op::kPut, key_);
  request.compare = service::CompareTarget::kCreateRevision;
  request.compare_value = 0;
  request.flags = flags::kGrant;
  request.lease = lease_;
  request.value = self_;
  campaign_call_.start(context, request, options_.request_timeout);
}

void EtcdElection::wait_deletes(sim::Context& context) {
  if (options_.campaign_skips_wait) {
    become_leader(context);
    return;
  }
  // key.go waitDeletes: Get(prefix, WithLastCreate, WithMaxCreateRev(leaderRev - 1)).
  Request request = service::make_request(Op::kBefore, key_);
  request.flags = flags::kByCreateRevision;
  request.compare_value = leader_rev_;
  campaign_call_.start(context, request, options_.request_timeout);
}

void EtcdElection::confirm_own_key(sim::Context& context) {
  if (options_.campaign_skips_wait) {
    become_leader(context);
    return;
  }
  // waitDeletes returns once no key created before ours is left, whether or not ours still is:
  // a session that expired while it waited would lead with a deleted key ("phantom leadership",
  // etcd-io/etcd issue 19597; the fix under review, pull request 22387, also watches the
  // contender's own key). Like that fix, the candidate checks its own key before it leads.
  campaign_call_.start(context, service::make_request(Op::kGet, key_), options_.request_timeout);
}

void EtcdElection::watch_key(sim::Context& context, service::ServiceCall& call,
                             uint32_t& watch_id, Key& watched, uint64_t& watched_revision,
                             const service::KeyState& state) {
  Request request = service::make_request(Op::kWatch, state.key);
  request.flags = flags::kOnce;
  if (call.start(context, request, options_.request_timeout)) {
    watch_id = call.request_id();
    watched = state.key;
    watched_revision = state.create_revision;
  }
}

void EtcdElection::verify_watches(sim::Context& context) {
  // clientv3's watches run on a gRPC stream, which loses nothing, and a broken stream is resumed
  // from the last revision seen (WithRev), so no event is ever missed; the simulated network
  // may drop one. At each keep-alive response the client makes up for it: it reads each key it
  // waits on, and one that is gone counts as its delete event.
  if (wait_watch_id_ != 0 && !campaign_call_.in_flight()) {
    campaign_call_.start(context, service::make_request(Op::kGet, waited_key_),
                         options_.request_timeout);
  }
  if (observe_watch_id_ != 0 && !observe_call_.in_flight()) {
    observe_call_.start(context, service::make_request(Op::kGet, observed_key_),
                        options_.request_timeout);
  }
}

void EtcdElection::proclaim(sim::Context& context) {
  // election.go Proclaim: Txn(If(CreateRevision(leaderKey) == leaderRev), Then(Put(leaderKey,
  // val, WithLease))). The leader announces itself once it leads; a failed compare means the
  // key is gone or was created again, and the leader is no longer one (ErrElectionNotLeader).
  Request request = service::make_request(Op::kPut, key_);
  request.compare = service::CompareTarget::kCreateRevision;
  request.compare_value = leader_rev_;
  request.lease = lease_;
  request.value = self_;
  campaign_call_.start(context, request, options_.request_timeout);
}

void EtcdElection::resign(sim::Context& context) {
  if (role_ != CampaignRole::kLeader) return;
  stop_believing(context, sim::StepDownReason::kResigned);
  // election.go Resign: Txn(If(CreateRevision(leaderKey) == leaderRev), Then(Delete(leaderKey))).
  Request request = service::make_request(Op::kDelete, key_);
  request.compare = service::CompareTarget::kCreateRevision;
  request.compare_value = leader_rev_;
  // From here the campaign starts over: a retry after a lost reply puts the key again.
  leader_rev_ = 0;
  campaign_call_.start(context, request, options_.request_timeout);
}

void EtcdElection::handle_campaign_reply(sim::Context& context, const Reply& reply) {
  if (reply.status == Status::kLeaseNotFound) {
    session_done(context);
    return;
  }
  switch (reply.op) {
    case Op::kPut:
      if (role_ == CampaignRole::kLeader) {
        if (reply.status == Status::kCompareFailed) {
          stop_believing(context, sim::StepDownReason::kLeaseExpired);
        }
        return;
      }
      // Succeeded or not, the key's create revision is leaderRev (the else branch's Get).
      leader_rev_ = reply.state.create_revision;
      wait_deletes(context);
      if (role_ == CampaignRole::kCandidate) observe(context);
      break;
    case Op::kBefore:
      if (reply.status == Status::kNotFound) {
        confirm_own_key(context);
      } else {
        watch_key(context, campaign_call_, wait_watch_id_, waited_key_, waited_revision_,
                  reply.state);
      }
      break;
    case Op::kWatch:
      // The key went away between the Get and the Watch: look again (waitDeletes loops). A
      // clientv3 watch starts at the revision of the Get and so would still see that delete.
      if (watched_key_gone(reply, waited_revision_)) wait_deletes(context);
      break;
    case Op::kGet:
      if (reply.state.key == key_ && wait_watch_id_ == 0) {
        // confirm_own_key: lead only with our key still there (at our revision).
        if (reply.status == Status::kOk && reply.state.create_revision == leader_rev_) {
          become_leader(context);
        } else {
          session_done(context);  // ErrElectionNotLeader: the lease and its key are gone
        }
        break;
      }
      // verify_watches: the key waited on is gone and its delete event was lost on the way.
      if (wait_watch_id_ != 0 && reply.state.key == waited_key_ &&
          watched_key_gone(reply, waited_revision_)) {
        wait_watch_id_ = 0;
        wait_deletes(context);
      }
      break;
    case Op::kDelete:
      // Resigned: campaign again with the same session, behind everyone.
      campaign(context);
      break;
    default:
      SIM_CHECK(false, "etcd-election: a campaign reply to a request it never sends");
  }
}

void EtcdElection::observe(sim::Context& context) {
  // election.go observe: Get(prefix, WithFirstCreate), then watch that key.
  if (role_ == CampaignRole::kLeader) return;
  // A read of the first key already on its way answers this call too. Any other call in flight
  // (verify_watches' check of the observed key, a watch being set up) is about the key that just
  // went away: start() abandons it. Skipping the read then would leave the candidate following
  // the old leader for good, since that call's reply no longer finds a watch to repair.
  if (observe_call_.in_flight() && observe_call_.op() == Op::kFirst) return;
  Request request = service::make_request(Op::kFirst, election_key(0));
  request.flags = flags::kByCreateRevision;
  observe_call_.start(context, request, options_.request_timeout);
}

void EtcdElection::handle_observe_reply(sim::Context& context, const Reply& reply) {
  if (role_ == CampaignRole::kLeader) return;
  if (reply.op == Op::kWatch) {
    if (watched_key_gone(reply, observed_revision_)) observe(context);  // gone already
    return;
  }
  if (reply.op == Op::kGet) {
    // verify_watches: the observed leader key is gone and its delete event was lost.
    if (observe_watch_id_ != 0 && reply.state.key == observed_key_ &&
        watched_key_gone(reply, observed_revision_)) {
      observe_watch_id_ = 0;
      observe(context);
    }
    return;
  }
  if (reply.status != Status::kOk) return;  // no leader yet: our own campaign is on its way
  const auto owner = static_cast<sim::ProcessId>(reply.state.value);
  if (owner != self_) become_follower(context, owner, reply.state.create_revision);
  watch_key(context, observe_call_, observe_watch_id_, observed_key_, observed_revision_,
            reply.state);
}

bool EtcdElection::watched_key_gone(const Reply& reply, uint64_t watched_revision) {
  return reply.status == Status::kNotFound || reply.state.create_revision != watched_revision;
}

void EtcdElection::handle_watch_event(sim::Context& context, const WatchEvent& event) {
  if (event.watch_id != 0 && event.watch_id == wait_watch_id_) {
    wait_watch_id_ = 0;
    if (event.type == service::EventType::kDelete) {
      wait_deletes(context);  // waitDelete returned: waitDeletes looks again
    } else {
      watch_key(context, campaign_call_, wait_watch_id_, waited_key_, waited_revision_,
                event.state);
    }
  } else if (event.watch_id != 0 && event.watch_id == observe_watch_id_) {
    observe_watch_id_ = 0;
    if (event.type == service::EventType::kDelete) {
      observe(context);
    } else {
      watch_key(context, observe_call_, observe_watch_id_, observed_key_, observed_revision_,
                event.state);
    }
  }
}

// ---- Roles ----

void EtcdElection::become_leader(sim::Context& context) {
  role_ = CampaignRole::kLeader;
  followed_ = sim::kNoNode;
  followed_epoch_ = 0;
  observe_call_.abandon(context);
  observe_watch_id_ = 0;
  sim::Elected elected;
  elected.epoch = leader_rev_;
  elected.token = leader_rev_;
  elected.lease_until = deadline_;  // it believes until deadlineLoop finds the deadline passed
  context.report(elected);
  proclaim(context);
}

void EtcdElection::become_follower(sim::Context& context, sim::ProcessId leader,
                                   uint64_t epoch) {
  if (role_ == CampaignRole::kFollower && followed_ == leader && followed_epoch_ == epoch) return;
  role_ = CampaignRole::kFollower;
  followed_ = leader;
  followed_epoch_ = epoch;
  context.report(sim::Follows{leader, epoch});
}

void EtcdElection::stop_believing(sim::Context& context, sim::StepDownReason reason) {
  if (role_ == CampaignRole::kLeader) {
    context.report(sim::SteppedDown{reason});
  } else if (role_ == CampaignRole::kFollower) {
    context.report(sim::LeaderLost{sim::LeaderLostReason::kLeaderUnreachable});
  }
  role_ = CampaignRole::kCandidate;
  followed_ = sim::kNoNode;
  followed_epoch_ = 0;
}

std::unique_ptr<sim::Algorithm> EtcdElectionFactory::create(sim::ProcessId /*process*/) const {
  return std::make_unique<EtcdElection>(options_);
}

}  // namespace electsim::algorithms::etcd_election
