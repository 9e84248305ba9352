// Issue 11, acceptance 5: the coordination service's own behaviour, one request at a time
// through a fake context: compare-and-set, revisions, leases judged on the service's clock,
// ephemeral and sequential keys, watches in revision order.
#include <gtest/gtest.h>

#include "tests/service_test_support.h"

namespace electsim::algorithms::service {
namespace {

using testing::ask;
using testing::ServiceContext;

constexpr sim::ProcessId kAlice = 1;
constexpr sim::ProcessId kBob = 2;
const Key kLock = make_key(0, tags::kTtlLock, 0);

Request put(Key key, uint64_t value) {
  Request request = make_request(Op::kPut, key);
  request.value = value;
  return request;
}

Request put_if(Key key, uint64_t value, CompareTarget target, uint64_t expected) {
  Request request = put(key, value);
  request.compare = target;
  request.compare_value = expected;
  return request;
}

sim::LocalInstant at_seconds(int64_t seconds) {
  return sim::LocalInstant::zero() + sim::Duration::seconds(seconds);
}

// Fires the expiry timer if it is due at the context's clock, as the kernel would.
void run_due_timer(CoordinationService& service, ServiceContext& context) {
  const auto timer = context.timers.find(timers::kLeaseExpiry);
  if (timer == context.timers.end() || timer->second > context.now) return;
  context.timers.erase(timer);
  service.on_timer(context, timers::kLeaseExpiry);
}

TEST(ServiceStore, CreateIfAbsentLetsExactlyOneClientWin) {
  CoordinationService service;
  ServiceContext context;
  const Reply alice = ask(service, context, kAlice,
                          put_if(kLock, 11, CompareTarget::kCreateRevision, 0));
  const Reply bob =
      ask(service, context, kBob, put_if(kLock, 22, CompareTarget::kCreateRevision, 0));
  EXPECT_EQ(alice.status, Status::kOk);
  EXPECT_EQ(alice.state.create_revision, 1u);
  EXPECT_EQ(alice.state.version, 1u);
  // The loser learns who holds it, and nothing changed: the revision is still 1.
  EXPECT_EQ(bob.status, Status::kCompareFailed);
  EXPECT_EQ(bob.state.value, 11u);
  EXPECT_EQ(service.revision(), 1u);
}

TEST(ServiceStore, AStaleModRevisionIsRefusedAsKubernetesRefusesAStaleResourceVersion) {
  CoordinationService service;
  ServiceContext context;
  const Reply created = ask(service, context, kAlice, put(kLock, 1));
  const uint64_t read_version = created.state.mod_revision;
  // Alice updates with the resourceVersion she read; Bob, who read the same, is now stale.
  const Reply renewed =
      ask(service, context, kAlice, put_if(kLock, 2, CompareTarget::kModRevision, read_version));
  const Reply stale =
      ask(service, context, kBob, put_if(kLock, 3, CompareTarget::kModRevision, read_version));
  EXPECT_EQ(renewed.status, Status::kOk);
  EXPECT_EQ(renewed.state.mod_revision, read_version + 1);
  EXPECT_EQ(renewed.state.create_revision, created.state.create_revision);
  EXPECT_EQ(renewed.state.version, 2u);
  EXPECT_EQ(stale.status, Status::kCompareFailed);
  EXPECT_EQ(stale.state.value, 2u);
  EXPECT_EQ(ask(service, context, kBob, make_request(Op::kGet, kLock)).state.value, 2u);
}

TEST(ServiceStore, CompareOnVersionAndValueAndDeleteOnlyIfStillMine) {
  CoordinationService service;
  ServiceContext context;
  ask(service, context, kAlice, put(kLock, 7));
  EXPECT_EQ(ask(service, context, kBob, put_if(kLock, 8, CompareTarget::kVersion, 2)).status,
            Status::kCompareFailed);
  EXPECT_EQ(ask(service, context, kBob, put_if(kLock, 8, CompareTarget::kVersion, 1)).status,
            Status::kOk);
  Request release = make_request(Op::kDelete, kLock);
  release.compare = CompareTarget::kValue;
  release.compare_value = 7;  // Alice's value: no longer there, so her release must not delete
  EXPECT_EQ(ask(service, context, kAlice, release).status, Status::kCompareFailed);
  release.compare_value = 8;
  EXPECT_EQ(ask(service, context, kBob, release).status, Status::kOk);
  EXPECT_EQ(ask(service, context, kBob, make_request(Op::kGet, kLock)).status, Status::kNotFound);
  EXPECT_EQ(service.revision(), 3u);  // two puts and a delete
}

TEST(ServiceStore, ALeaseExpiresOnTheServicesClockAndTakesItsEphemeralKeys) {
  CoordinationService service;
  ServiceContext context;
  Request grant = make_request(Op::kGrantLease, 0);
  grant.ttl_ns = sim::Duration::seconds(10).ns();
  const uint64_t lease = ask(service, context, kAlice, grant).state.value;
  Request ephemeral = put(kLock, 1);
  ephemeral.lease = lease;
  ASSERT_EQ(ask(service, context, kAlice, ephemeral).status, Status::kOk);
  // A keep-alive at 9s moves the deadline to 19s on the service's clock.
  context.now = at_seconds(9);
  Request keep_alive = make_request(Op::kKeepAlive, 0);
  keep_alive.lease = lease;
  EXPECT_EQ(ask(service, context, kAlice, keep_alive).status, Status::kOk);
  context.now = at_seconds(18);
  run_due_timer(service, context);
  EXPECT_EQ(service.state_of(kLock).value, 1u);
  context.now = at_seconds(19);
  run_due_timer(service, context);
  EXPECT_EQ(service.state_of(kLock).create_revision, 0u) << "the ephemeral key outlived its lease";
  EXPECT_EQ(service.leases(), 0u);
  EXPECT_EQ(ask(service, context, kAlice, keep_alive).status, Status::kLeaseNotFound);
}

TEST(ServiceStore, AClockJumpExpiresALeaseBeforeAnyLaterRequestSeesIt) {
  // Redis and etcd judge a TTL on the store's own clock: a jump forward ends it early, and a
  // request that arrives in the same instant, before the expiry timer, already sees it gone.
  CoordinationService service;
  ServiceContext context;
  Request lock = put_if(kLock, 5, CompareTarget::kCreateRevision, 0);
  lock.ttl_ns = sim::Duration::seconds(30).ns();  // SET lock 5 NX PX 30000
  ASSERT_EQ(ask(service, context, kAlice, lock).status, Status::kOk);
  context.now = at_seconds(31);  // the service's clock jumped; its timer has not fired yet
  EXPECT_EQ(ask(service, context, kBob, make_request(Op::kGet, kLock)).status, Status::kNotFound);
  lock.value = 6;
  EXPECT_EQ(ask(service, context, kBob, lock).status, Status::kOk);
}

TEST(ServiceStore, APutWithATtlRenewsTheKeysOwnLease) {
  CoordinationService service;
  ServiceContext context;
  Request lock = put_if(kLock, 5, CompareTarget::kCreateRevision, 0);
  lock.ttl_ns = sim::Duration::seconds(10).ns();
  ASSERT_EQ(ask(service, context, kAlice, lock).status, Status::kOk);
  context.now = at_seconds(8);
  Request renew = put_if(kLock, 5, CompareTarget::kValue, 5);  // extend only if still mine
  renew.ttl_ns = sim::Duration::seconds(10).ns();
  ASSERT_EQ(ask(service, context, kAlice, renew).status, Status::kOk);
  context.now = at_seconds(17);
  run_due_timer(service, context);
  EXPECT_EQ(service.state_of(kLock).value, 5u);
  EXPECT_EQ(service.leases(), 1u);  // renewed in place, not a second lease
  context.now = at_seconds(18);
  run_due_timer(service, context);
  EXPECT_EQ(service.state_of(kLock).create_revision, 0u);
  EXPECT_EQ(service.leases(), 0u);
}

TEST(ServiceStore, RevokingALeaseDeletesItsKeysAndAPutWithAnExpiredLeaseIsRefused) {
  CoordinationService service;
  ServiceContext context;
  Request grant = make_request(Op::kGrantLease, 0);
  grant.ttl_ns = sim::Duration::seconds(5).ns();
  const uint64_t lease = ask(service, context, kAlice, grant).state.value;
  for (uint32_t sequence = 0; sequence < 3; ++sequence) {
    Request ephemeral = put(make_key(0, tags::kZkElection, sequence), sequence);
    ephemeral.lease = lease;
    ASSERT_EQ(ask(service, context, kAlice, ephemeral).status, Status::kOk);
  }
  Request revoke = make_request(Op::kRevokeLease, 0);
  revoke.lease = lease;
  EXPECT_EQ(ask(service, context, kAlice, revoke).status, Status::kOk);
  EXPECT_EQ(ask(service, context, kAlice, make_request(Op::kFirst,
                                                       make_key(0, tags::kZkElection, 0)))
                .status,
            Status::kNotFound);
  Request late = put(kLock, 1);
  late.lease = lease;
  EXPECT_EQ(ask(service, context, kAlice, late).status, Status::kLeaseNotFound);
  EXPECT_EQ(service.state_of(kLock).create_revision, 0u);
}

TEST(ServiceStore, SequentialKeysTakeTheParentsCversionWhichDeletesRaiseToo) {
  CoordinationService service;
  ServiceContext context;
  const Key path = make_key(3, tags::kZkElection, 0);
  Request create = put(path, 0);
  create.flags = flags::kSequential;
  std::vector<uint32_t> sequences;
  for (int i = 0; i < 3; ++i) {
    sequences.push_back(key_sequence(ask(service, context, kAlice, create).state.key));
  }
  EXPECT_EQ(sequences, (std::vector<uint32_t>{0, 1, 2}));
  ask(service, context, kAlice, make_request(Op::kDelete, make_key(3, tags::kZkElection, 2)));
  // ZooKeeper: cversion counts creates and deletes of children, so 3 is never used and the
  // deleted 2 is never reused.
  const Reply next = ask(service, context, kBob, create);
  EXPECT_EQ(key_sequence(next.state.key), 4u);
  EXPECT_EQ(key_group(next.state.key), 3u);
  EXPECT_EQ(key_tag(next.state.key), tags::kZkElection);
  // Another group's prefix has its own counter.
  Request other = put(make_key(4, tags::kZkElection, 0), 0);
  other.flags = flags::kSequential;
  EXPECT_EQ(key_sequence(ask(service, context, kBob, other).state.key), 0u);
}

TEST(ServiceStore, FirstAndBeforeFindTheLeaderAndThePredecessor) {
  CoordinationService service;
  ServiceContext context;
  const Key path = make_key(0, tags::kEtcdElection, 0);
  // Keys 5, 2, 9 created in that order: by key 2 < 5 < 9; by creation 5 < 2 < 9.
  for (const uint32_t sequence : {5u, 2u, 9u}) {
    ask(service, context, kAlice, put(make_key(0, tags::kEtcdElection, sequence), sequence));
  }
  EXPECT_EQ(key_sequence(ask(service, context, kAlice, make_request(Op::kFirst, path)).state.key),
            2u);
  Request first_created = make_request(Op::kFirst, path);
  first_created.flags = flags::kByCreateRevision;
  EXPECT_EQ(key_sequence(ask(service, context, kAlice, first_created).state.key), 5u);
  const Reply before_nine =
      ask(service, context, kAlice, make_request(Op::kBefore, make_key(0, tags::kEtcdElection, 9)));
  EXPECT_EQ(key_sequence(before_nine.state.key), 5u);
  EXPECT_EQ(ask(service, context, kAlice,
                make_request(Op::kBefore, make_key(0, tags::kEtcdElection, 2)))
                .status,
            Status::kNotFound);
  Request created_before = make_request(Op::kBefore, path);
  created_before.flags = flags::kByCreateRevision;
  created_before.compare_value = 3;  // created before revision 3: keys 5 (rev 1) and 2 (rev 2)
  EXPECT_EQ(key_sequence(ask(service, context, kAlice, created_before).state.key), 2u);
}

TEST(ServiceStore, WatchesSeeEveryChangeInRevisionOrderAndOnceWatchesFireOnce) {
  CoordinationService service;
  ServiceContext context;
  const Key path = make_key(0, tags::kZkElection, 0);
  Request prefix_watch = make_request(Op::kWatch, path);
  prefix_watch.flags = flags::kPrefix;
  ask(service, context, kAlice, prefix_watch);

  Request grant = make_request(Op::kGrantLease, 0);
  grant.ttl_ns = sim::Duration::seconds(1).ns();
  const uint64_t lease = ask(service, context, kAlice, grant).state.value;
  std::vector<std::pair<sim::ProcessId, WatchEvent>> events;
  for (uint32_t sequence = 0; sequence < 3; ++sequence) {
    Request ephemeral = put(make_key(0, tags::kZkElection, sequence), sequence);
    ephemeral.lease = lease;
    ask(service, context, kAlice, ephemeral);
    for (const auto& event : context.take_events()) events.push_back(event);
  }
  ask(service, context, kAlice, put(make_key(1, tags::kZkElection, 0), 0));  // another group
  for (const auto& event : context.take_events()) events.push_back(event);
  // Bob watches his predecessor, key 1, once (ZooKeeper's exists watch): its delete is its only
  // change from now on.
  Request delete_watch = make_request(Op::kWatch, make_key(0, tags::kZkElection, 1));
  delete_watch.flags = flags::kOnce;
  EXPECT_EQ(ask(service, context, kBob, delete_watch).state.value, 1u);
  context.now = at_seconds(2);
  run_due_timer(service, context);  // the lease expires: three deletes
  for (const auto& event : context.take_events()) events.push_back(event);

  std::vector<uint64_t> alice_revisions;
  int bob_events = 0;
  for (const auto& [to, event] : events) {
    if (to == kAlice) alice_revisions.push_back(event.state.mod_revision);
    if (to == kBob) {
      ++bob_events;
      EXPECT_EQ(event.type, EventType::kDelete);
      EXPECT_EQ(key_sequence(event.state.key), 1u);
    }
  }
  // Three puts then three deletes, at consecutive revisions (the other group's put, revision 4,
  // is not under Alice's prefix).
  EXPECT_EQ(alice_revisions, (std::vector<uint64_t>{1, 2, 3, 5, 6, 7}));
  EXPECT_EQ(bob_events, 1);
  // The once watch is gone: putting key 1 again tells Bob nothing.
  ask(service, context, kAlice, put(make_key(0, tags::kZkElection, 1), 1));
  for (const auto& [to, event] : context.take_events()) EXPECT_NE(to, kBob);
}

TEST(ServiceStore, AGrantingWriteReportsTheSupportItGives) {
  CoordinationService service;
  ServiceContext context;
  Request acquire = put_if(kLock, (uint64_t{7} << 32) | 4, CompareTarget::kCreateRevision, 0);
  acquire.flags = flags::kGrant | flags::kEpochInValue;
  ask(service, context, kAlice, acquire);
  ASSERT_EQ(context.supported.size(), 1u);
  EXPECT_EQ(context.supported[0].candidate, kAlice);
  EXPECT_EQ(context.supported[0].epoch, 4u);
  EXPECT_EQ(context.supported[0].kind, sim::SupportKind::kLeaseGrant);
  // A refused write grants nothing.
  ask(service, context, kBob, acquire);
  EXPECT_EQ(context.supported.size(), 1u);
}

}  // namespace
}  // namespace electsim::algorithms::service
