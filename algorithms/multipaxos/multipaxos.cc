#include "algorithms/multipaxos/multipaxos.h"

#include <algorithm>
#include <functional>
#include <limits>

namespace electsim::algorithms::multipaxos {

using sim::Context;
using sim::ProcessId;
using sim::StepDownReason;

namespace {
constexpr int64_t kNeverEchoed = std::numeric_limits<int64_t>::min();
}  // namespace

// ---- Inputs ----

void MultiPaxos::on_start(Context& context, const sim::DurableState* restored) {
  self_ = context.self();
  members_ = context.members();
  SIM_CHECK(!members_.empty() && std::is_sorted(members_.begin(), members_.end()),
            "members are listed in id order");
  peers_.clear();
  for (ProcessId member : members_) {
    if (member != self_) peers_.push_back(member);
  }
  SIM_CHECK(peers_.size() + 1 == members_.size(), "a server is one of its group's members");
  quorum_ = static_cast<uint32_t>(members_.size() / 2 + 1);
  self_position_ = position(self_);
  // Per-peer state is sized by the group once here, so the hot path never allocates.
  const size_t slots = members_.size();
  promised_by_.assign(slots, 0);
  next_slot_.assign(slots, 1);
  holds_proposal_.assign(slots, 0);
  echoed_sent_at_.assign(slots, kNeverEchoed);
  scratch_.assign(slots, kNeverEchoed);

  if (restored != nullptr && !restored->empty()) {
    restore(*restored);
  } else {
    promised_ = kNoBallot;
    log_ = AcceptorLog();
  }
  highest_seen_ = promised_;
  role_ = MultiPaxosRole::kFollower;
  leader_ = sim::kNoNode;
  ballot_ = kNoBallot;
  lease_holder_ = sim::kNoNode;
  last_accept_ballot_ = kNoBallot;
  reset_failure_detector(context);
}

void MultiPaxos::on_message(Context& context, ProcessId from, const sim::Payload& message) {
  SIM_CHECK(from != self_, "a message from itself");
  const auto body = message.as<MultiPaxosMessage>();
  std::visit([&](const auto& typed) { handle_message(context, from, typed); }, body);
  persist(context);
}

void MultiPaxos::on_timer(Context& context, sim::TimerId timer) {
  switch (timer) {
    case kFailureDetectorTimer:
      if (role_ == MultiPaxosRole::kLeader) break;
      if (lease_refuses(context, self_)) {
        // It promised the leader not to support anyone else until its lease runs out, itself
        // included: it looks again once the lease is over.
        const sim::Duration left = lease_granted_until_ - context.local_now();
        const sim::DurationRange& range = options_.failure_detector_timeout;
        context.set_timer(kFailureDetectorTimer, left, left + (range.hi - range.lo));
        break;
      }
      become_candidate(context);
      break;
    case kHeartbeatTimer:
      if (role_ != MultiPaxosRole::kLeader) break;
      if (options_.lease > sim::Duration::zero()) renew_lease(context);
      broadcast_heartbeat(context);
      context.set_timer(kHeartbeatTimer, options_.heartbeat_interval);
      break;
    case kLeaseTimer:
      if (role_ != MultiPaxosRole::kLeader) break;
      if (context.local_now() >= lease_until_) {
        become_follower(context, sim::kNoNode, StepDownReason::kLeaseExpired);
      } else {
        context.set_timer(kLeaseTimer, lease_until_ - context.local_now());
      }
      break;
    default:
      SIM_CHECK(false, "unknown Multi-Paxos timer");
  }
  persist(context);
}

// ---- Role changes ----

void MultiPaxos::become_follower(Context& context, ProcessId leader, StepDownReason reason) {
  const bool was_leader = role_ == MultiPaxosRole::kLeader;
  if (was_leader) {
    context.report(sim::SteppedDown{reason});
    context.cancel_timer(kHeartbeatTimer);
    context.cancel_timer(kLeaseTimer);
  } else if (leader_ != sim::kNoNode && leader == sim::kNoNode) {
    // It no longer knows a leader to follow: a higher ballot began whose leader it has not heard.
    context.report(sim::LeaderLost{sim::LeaderLostReason::kHigherEpochSeen});
  }
  role_ = MultiPaxosRole::kFollower;
  leader_ = leader;
  // A candidate's failure detector keeps running; a former leader needs one again.
  if (was_leader) reset_failure_detector(context);
}

// Paper 2.4 and section 3: a server that suspects the leader has failed makes itself the
// distinguished proposer and runs phase 1 with a ballot above every ballot it has seen (paper
// 2.5: each proposer draws its numbers from a set of its own, here its member index).
void MultiPaxos::become_candidate(Context& context) {
  SIM_CHECK(role_ != MultiPaxosRole::kLeader, "a leader does not campaign");
  if (leader_ != sim::kNoNode) {
    context.report(sim::LeaderLost{sim::LeaderLostReason::kElectionTimeout});
  }
  role_ = MultiPaxosRole::kCandidate;
  leader_ = sim::kNoNode;
  ballot_ = next_ballot(std::max(promised_, highest_seen_), self_position_);
  highest_seen_ = ballot_;
  // The candidate is an acceptor too: it promises its own ballot, saved before the Prepares go.
  promise(ballot_);
  context.report(sim::Supported{self_, ballot_, sim::SupportKind::kPromise});
  std::fill(promised_by_.begin(), promised_by_.end(), 0);
  promises_ = 0;
  recovered_last_slot_ = 0;
  recovered_newest_ = sim::LogPosition{};
  reset_failure_detector(context);
  if (record_promise(self_, log_.last_slot(), log_.newest())) {
    become_leader(context);  // a group of one
    return;
  }
  for (ProcessId peer : peers_) send(context, peer, Prepare{ballot_});
}

// Phase 1 done: the leader proposes, under its own ballot, every slot it does not know chosen up
// to the end of the recovered log (each acceptor's values are no-ops, so the value of the highest
// ballot is a no-op too), and one no-op of its own after them (paper section 3).
void MultiPaxos::become_leader(Context& context) {
  SIM_CHECK(role_ == MultiPaxosRole::kCandidate && promised_ == ballot_,
            "only a candidate with its own promise can win");
  role_ = MultiPaxosRole::kLeader;
  leader_ = self_;
  context.cancel_timer(kFailureDetectorTimer);
  won_with_ = recovered_newest_;
  proposal_first_ = log_.chosen_through() + 1;
  proposal_last_ = std::max(recovered_last_slot_, log_.last_slot()) + 1;
  log_.propose_range(ballot_, proposal_first_, proposal_last_);
  durable_dirty_ = true;
  context.report(sim::Supported{self_, ballot_, sim::SupportKind::kAccept});
  std::fill(next_slot_.begin(), next_slot_.end(), proposal_first_);
  std::fill(holds_proposal_.begin(), holds_proposal_.end(), 0);
  std::fill(echoed_sent_at_.begin(), echoed_sent_at_.end(), kNeverEchoed);
  holds_proposal_[self_position_] = 1;
  holders_ = 1;
  proposal_sent_at_ns_ = context.local_now().ns();
  elected_reported_ = false;
  // Without a lease the leader leads once a majority promised. With one, it waits until a
  // majority has taken its first Accept, which is when it first holds a lease.
  if (options_.lease == sim::Duration::zero()) maybe_report_elected(context);
  for (ProcessId peer : peers_) send_accept(context, peer);
  context.set_timer(kHeartbeatTimer, options_.heartbeat_interval);
  maybe_choose(context);
}

void MultiPaxos::maybe_report_elected(Context& context) {
  if (elected_reported_) return;
  elected_reported_ = true;
  std::optional<sim::LocalInstant> lease_until;
  if (options_.lease > sim::Duration::zero()) {
    lease_until_ = sim::LocalInstant::from_ns(proposal_sent_at_ns_) + options_.lease -
                   options_.lease_drift_allowance;
    lease_until = lease_until_;
    context.set_timer(kLeaseTimer, std::max(sim::Duration::zero(),
                                            lease_until_ - context.local_now()));
  }
  context.report(sim::Elected{ballot_, ballot_, lease_until, won_with_});
}

// ---- Phase 1 ----

void MultiPaxos::handle_message(Context& context, ProcessId from, const Prepare& message) {
  highest_seen_ = std::max(highest_seen_, message.ballot);
  // Paxos Made Live 5.2: while a lease it granted runs, an acceptor supports no other proposer.
  if (lease_refuses(context, from)) return;
  // Paper 2.2, phase 1(b): an acceptor promises a ballot only if it has not promised a higher
  // one. The same ballot again is the same proposer asking again (its answer may have been lost).
  const bool grant = options_.promises_lower_ballots ? true : message.ballot >= promised_;
  if (!grant) {
    send_nack(context, from, message.ballot);
    return;
  }
  if (message.ballot != promised_) {
    if (role_ != MultiPaxosRole::kFollower) {
      become_follower(context, sim::kNoNode, StepDownReason::kHigherEpochSeen);
    } else if (leader_ != sim::kNoNode) {
      context.report(sim::LeaderLost{sim::LeaderLostReason::kHigherEpochSeen});
      leader_ = sim::kNoNode;
    }
    promise(message.ballot);
  }
  context.report(sim::Supported{from, message.ballot, sim::SupportKind::kPromise});
  reset_failure_detector(context);
  const sim::LogPosition newest = log_.newest();
  send(context, from, Promise{message.ballot, log_.last_slot(), newest.epoch, newest.index});
}

void MultiPaxos::handle_message(Context& context, ProcessId from, const Promise& message) {
  if (role_ != MultiPaxosRole::kCandidate || message.ballot != ballot_) return;
  if (record_promise(from, message.last_slot, {message.newest_ballot, message.newest_slot})) {
    become_leader(context);
  }
}

// Paxos Made Moderately Complex: a proposer whose ballot an acceptor refused for a higher one is
// preempted; it gives up, and its failure detector decides when it tries again.
void MultiPaxos::handle_message(Context& context, ProcessId /*from*/, const Nack& message) {
  highest_seen_ = std::max(highest_seen_, message.promised);
  if (role_ == MultiPaxosRole::kFollower || message.ballot != ballot_ ||
      message.promised <= ballot_) {
    return;
  }
  become_follower(context, sim::kNoNode, StepDownReason::kHigherEpochSeen);
}

bool MultiPaxos::record_promise(ProcessId from, uint64_t last_slot, sim::LogPosition newest) {
  const size_t peer = position(from);
  if (promised_by_[peer] == 0 || options_.counts_duplicate_promises) {
    promised_by_[peer] = 1;
    ++promises_;
    recovered_last_slot_ = std::max(recovered_last_slot_, last_slot);
    recovered_newest_ = std::max(recovered_newest_, newest);
  }
  return promises_ >= quorum_;
}

// ---- Phase 2 and heartbeats, acceptor side ----

void MultiPaxos::handle_message(Context& context, ProcessId from, const Accept& message) {
  if (maybe_accept_below_promise(context, from, message)) return;
  if (!maybe_follow(context, from, message.ballot)) return;
  grant_lease(context, from);
  take_accept(context, from, message);
}

void MultiPaxos::take_accept(Context& context, ProcessId from, const Accept& message) {
  const bool taken = log_.accept_range(message.ballot, message.first_slot, message.last_slot);
  if (taken) {
    durable_dirty_ = true;
    last_accept_ballot_ = message.ballot;
    last_accept_through_ = message.last_slot;
    context.report(sim::Supported{from, message.ballot, sim::SupportKind::kAccept});
  }
  maybe_learn_chosen(context, message.ballot, message.chosen_through);
  send(context, from,
       Accepted{message.ballot, taken ? message.last_slot : 0, log_.chosen_through(),
                message.sent_at_ns});
}

// Tests only: the guard of phase 2(b) taken from the wrong ballot. The acceptor stays where it
// is (it neither follows nor changes its promise); it only takes the range and answers, so its
// Accepted counts towards a deposed leader's majority.
bool MultiPaxos::maybe_accept_below_promise(Context& context, ProcessId from,
                                            const Accept& message) {
  if (!options_.accepts_below_promise || message.ballot >= promised_ ||
      message.ballot < last_accept_ballot_) {
    return false;
  }
  take_accept(context, from, message);
  return true;
}

void MultiPaxos::handle_message(Context& context, ProcessId from, const Heartbeat& message) {
  if (!maybe_follow(context, from, message.ballot)) return;
  grant_lease(context, from);
  maybe_learn_chosen(context, message.ballot, message.chosen_through);
  const uint64_t holds = last_accept_ballot_ == message.ballot ? last_accept_through_ : 0;
  send(context, from,
       HeartbeatAck{message.ballot, holds, log_.chosen_through(), message.sent_at_ns});
}

// Paper 2.2, phase 2(b): an acceptor takes an accept request unless it promised a higher
// ballot; taking it means the sender leads that ballot, so a higher ballot than the promised one
// is adopted.
bool MultiPaxos::maybe_follow(Context& context, ProcessId from, Ballot ballot) {
  highest_seen_ = std::max(highest_seen_, ballot);
  if (ballot < promised_) {
    send_nack(context, from, ballot);
    return false;
  }
  if (ballot > promised_) {
    if (role_ == MultiPaxosRole::kLeader) {
      become_follower(context, sim::kNoNode, StepDownReason::kHigherEpochSeen);
    }
    // Taking the ballot is a promise not to accept a lower one: reported like a Promise, so
    // that promises_never_go_backwards sees it too.
    promise(ballot);
    context.report(sim::Supported{from, ballot, sim::SupportKind::kPromise});
  }
  if (role_ != MultiPaxosRole::kFollower || leader_ != from) {
    become_follower(context, from, StepDownReason::kHigherEpochSeen);
  }
  // With a lease the follower says whom it follows in maybe_learn_chosen.
  if (options_.lease == sim::Duration::zero()) context.report(sim::Follows{from, promised_});
  reset_failure_detector(context);
  return true;
}

// The leader of `ballot` says every slot through `slot` is chosen under its ballot (0: none yet).
// This acceptor knows the chosen values if it took them from that leader: then its log holds
// `slot` under `ballot` (the leader's range ran from this acceptor's own chosen prefix to past
// `slot`).
void MultiPaxos::maybe_learn_chosen(Context& context, Ballot ballot, uint64_t slot) {
  if (slot == 0 || slot > log_.last_slot() || log_.ballot_at(slot) != ballot) return;
  // With a lease the leader claims its ballot only once a majority took its first Accept (Paxos
  // Made Live 5.2), so a follower says whom it follows once it knows a slot of the ballot chosen,
  // never before the claim (follows_a_claimed_leader). It says it at every such message, as
  // Raft does at every AppendEntries: after a restart its saved log already holds the chosen
  // slot, and it must say again whom it follows (the world keeps only changes).
  if (options_.lease > sim::Duration::zero() && role_ == MultiPaxosRole::kFollower &&
      ballot == promised_ && leader_ != sim::kNoNode) {
    context.report(sim::Follows{leader_, promised_});
  }
  if (!log_.learn_chosen(slot)) return;
  durable_dirty_ = true;
  context.report(sim::Committed{sim::LogPosition{ballot, slot}});
}

// ---- Phase 2 and heartbeats, leader side ----

void MultiPaxos::handle_message(Context& context, ProcessId from, const Accepted& message) {
  if (role_ != MultiPaxosRole::kLeader || message.ballot != ballot_) return;
  note_acknowledgement(context, from, message.accepted_through, message.chosen_through,
                       message.sent_at_ns);
}

void MultiPaxos::handle_message(Context& context, ProcessId from, const HeartbeatAck& message) {
  if (role_ != MultiPaxosRole::kLeader || message.ballot != ballot_) return;
  note_acknowledgement(context, from, message.accepted_through, message.chosen_through,
                       message.sent_at_ns);
}

void MultiPaxos::note_acknowledgement(Context& context, ProcessId from,
                                      uint64_t accepted_through, uint64_t chosen_through,
                                      int64_t sent_at_ns) {
  const size_t peer = position(from);
  echoed_sent_at_[peer] = std::max(echoed_sent_at_[peer], sent_at_ns);
  if (accepted_through == proposal_last_) {
    if (holds_proposal_[peer] == 0) {
      holds_proposal_[peer] = 1;
      ++holders_;
      maybe_choose(context);
    }
    return;
  }
  // The acceptor lacks the proposal (a gap before the range, or it lost its log): resend from
  // the first slot it does not know chosen.
  if (holds_proposal_[peer] != 0) {
    holds_proposal_[peer] = 0;
    --holders_;
  }
  next_slot_[peer] = std::max<uint64_t>(1, std::min(chosen_through + 1, proposal_first_));
  send_accept(context, from);
}

// A slot is chosen once a majority accepted it (paper 2.2); the leader's proposal is one range,
// so the whole range is chosen at once.
void MultiPaxos::maybe_choose(Context& context) {
  if (holders_ < quorum_ || log_.chosen_through() >= proposal_last_) return;
  maybe_report_elected(context);
  log_.learn_chosen(proposal_last_);
  durable_dirty_ = true;
  context.report(sim::Committed{sim::LogPosition{ballot_, proposal_last_}});
}

void MultiPaxos::broadcast_heartbeat(Context& context) {
  const int64_t now = context.local_now().ns();
  for (ProcessId peer : peers_) {
    if (holds_proposal_[position(peer)] != 0) {
      send(context, peer, Heartbeat{ballot_, chosen_under_own_ballot(), now});
    } else {
      send_accept(context, peer);  // retransmits until the peer holds the proposal
    }
  }
}

void MultiPaxos::send_accept(Context& context, ProcessId to) {
  send(context, to,
       Accept{ballot_, next_slot_[position(to)], proposal_last_, chosen_under_own_ballot(),
              context.local_now().ns()});
}

// Paper 2.3: "To learn that a value has been chosen, a learner must find out that a proposal has
// been accepted by a majority of acceptors." What the leader announces as chosen is therefore
// only its own proposal once a majority holds it. The slots it knew chosen before it led were
// chosen under older ballots: an acceptor that lacked them accepts them again under this ballot
// (send_accept's range starts at the acceptor's own chosen prefix), and a learner that took
// them as chosen under this ballot would report a commit that no majority accepted (the
// leader_completeness finding of nemesis seed 425).
uint64_t MultiPaxos::chosen_under_own_ballot() const {
  return log_.chosen_through() >= proposal_last_ ? log_.chosen_through() : 0;
}

void MultiPaxos::send_nack(Context& context, ProcessId to, Ballot refused) {
  send(context, to, Nack{refused, promised_});
}

void MultiPaxos::reset_failure_detector(Context& context) {
  const sim::DurationRange& range = options_.failure_detector_timeout;
  context.set_timer(kFailureDetectorTimer, range.lo, range.hi);
}

// ---- The lease (Paxos Made Live, section 5.2) ----

bool MultiPaxos::lease_refuses(const Context& context, ProcessId candidate) const {
  if (options_.lease == sim::Duration::zero()) return false;
  if (role_ == MultiPaxosRole::kLeader) {
    return elected_reported_ && candidate != self_ && context.local_now() < lease_until_;
  }
  return lease_holder_ != sim::kNoNode && lease_holder_ != candidate &&
         context.local_now() < lease_granted_until_;
}

void MultiPaxos::grant_lease(const Context& context, ProcessId leader) {
  if (options_.lease == sim::Duration::zero()) return;
  lease_holder_ = leader;
  lease_granted_until_ = context.local_now() + options_.lease;
}

// The leader holds its lease from the send time of the newest message a majority (itself
// included) has echoed: each of them granted its lease on receiving it, no earlier. Less the
// drift allowance, since the acceptors count the lease on their own clocks.
void MultiPaxos::renew_lease(Context& context) {
  if (!elected_reported_) return;
  scratch_ = echoed_sent_at_;
  scratch_[self_position_] = context.local_now().ns();
  // The quorum-th newest echo: a majority echoed a send time at least this recent.
  std::nth_element(scratch_.begin(), scratch_.begin() + (quorum_ - 1), scratch_.end(),
                   std::greater<>());
  const int64_t base = scratch_[quorum_ - 1];
  if (base == kNeverEchoed) return;
  const sim::LocalInstant renewed =
      sim::LocalInstant::from_ns(base) + options_.lease - options_.lease_drift_allowance;
  if (renewed <= lease_until_) return;
  lease_until_ = renewed;
  // A clock that jumped forward may already be past the renewed lease: the timer fires at once.
  context.set_timer(kLeaseTimer,
                    std::max(sim::Duration::zero(), lease_until_ - context.local_now()));
}

// ---- Durable state ----

void MultiPaxos::promise(Ballot ballot) {
  promised_ = ballot;
  durable_dirty_ = true;
}

void MultiPaxos::send(Context& context, ProcessId to, const MultiPaxosMessage& message) {
  persist(context);
  context.send(to, message);
}

// The layout is [format, promised, chosen_through, slot count, each slot's ballot...]. The
// header is rewritten in place and only the log's changed tail after it.
void MultiPaxos::persist(Context& context) {
  if (!durable_dirty_) return;
  const std::span<const uint64_t> ballots = log_.ballots();
  const uint64_t header[kDurableHeaderWords] = {kDurableFormat, promised_, log_.chosen_through(),
                                                ballots.size()};
  context.persist_at(0, header, false);
  const uint64_t first = log_.first_unsaved();  // 1-based
  context.persist_at(kDurableHeaderWords + first - 1, ballots.subspan(first - 1), true);
  log_.mark_saved();
  durable_dirty_ = false;
}

void MultiPaxos::restore(const sim::DurableState& state) {
  SIM_CHECK(state.size() >= kDurableHeaderWords && state[0] == kDurableFormat &&
                state.size() == kDurableHeaderWords + state[3],
            "Multi-Paxos durable state is malformed");
  promised_ = state[1];
  log_.assign(std::span<const uint64_t>(state).subspan(kDurableHeaderWords), state[2]);
}

size_t MultiPaxos::position(ProcessId member) const {
  const auto it = std::lower_bound(members_.begin(), members_.end(), member);
  SIM_CHECK(it != members_.end() && *it == member, "a message from outside the group");
  return static_cast<size_t>(it - members_.begin());
}

// ---- Family ----

namespace {
constexpr std::string_view kMessageNames[] = {"prepare", "promise",   "accept",       "accepted",
                                              "nack",    "heartbeat", "heartbeat_ack"};
static_assert(std::size(kMessageNames) == std::variant_size_v<MultiPaxosMessage>);
// By timer id: kFailureDetectorTimer, kHeartbeatTimer, kLeaseTimer.
constexpr std::string_view kTimerNames[] = {"failure_detector", "heartbeat", "lease"};
static_assert(MultiPaxos::kLeaseTimer + 1 == std::size(kTimerNames));
// Electing: phase 1 (Prepare, Promise) and the Nack that ends a ballot; Accept, Accepted and the
// heartbeats are phase 2 and keeping a leader.
constexpr sim::FamilyInfo kFamily{sim::families::kMultiPaxos, "multipaxos", kMessageNames,
                                  kTimerNames, sim::message_mask({0, 1, 4})};
}  // namespace

const sim::FamilyInfo& multipaxos_family() { return kFamily; }

// ---- Factory ----

std::unique_ptr<sim::AlgorithmFactory> make_factory(const Params& params, uint32_t /*nodes*/) {
  sim::register_family(&multipaxos_family());
  MultiPaxosOptions options;
  options.failure_detector_timeout = get<sim::DurationRange>(params, "failure_detector_timeout");
  options.heartbeat_interval = get<sim::Duration>(params, "heartbeat_interval");
  options.lease = get<sim::Duration>(params, "lease");
  options.lease_drift_allowance = get<sim::Duration>(params, "lease_drift_allowance");
  SIM_CHECK(options.heartbeat_interval < options.failure_detector_timeout.lo,
            "Multi-Paxos parameters were not resolved");
  return std::make_unique<MultiPaxosFactory>(options);
}

std::unique_ptr<sim::AlgorithmFactory> make_factory_promising_lower_ballots(const Params& params,
                                                                           uint32_t nodes) {
  const auto factory = make_factory(params, nodes);
  MultiPaxosOptions options = static_cast<const MultiPaxosFactory&>(*factory).options();
  options.promises_lower_ballots = true;
  return std::make_unique<MultiPaxosFactory>(options);
}

}  // namespace electsim::algorithms::multipaxos
