#include "algorithms/raft/raft.h"

#include <algorithm>
#include <functional>
#include <span>
#include <utility>

namespace electsim::algorithms::raft {

using sim::Context;
using sim::NodeId;
using sim::StepDownReason;

// ---- Inputs ----

void Raft::on_start(Context& context, const sim::DurableState* restored) {
  self_ = context.self();
  members_ = context.members();
  SIM_CHECK(!members_.empty() && std::is_sorted(members_.begin(), members_.end()),
            "members are listed in id order");
  peers_.clear();
  for (NodeId member : members_) {
    if (member != self_) peers_.push_back(member);
  }
  SIM_CHECK(peers_.size() + 1 == members_.size(), "a server is one of its group's members");
  quorum_ = static_cast<uint32_t>(members_.size() / 2 + 1);
  members_contiguous_ = members_.back() - members_.front() + 1 == members_.size();

  // Per-peer state is indexed by the member's position in its group, sized by the group (not by
  // the largest process id) once here, so the hot path never allocates.
  const size_t slots = members_.size();
  votes_.assign(slots, 0);
  next_index_.assign(slots, 0);
  match_index_.assign(slots, 0);
  stored_index_.assign(slots, 0);
  commit_scratch_.assign(slots, 0);
  recently_active_.assign(slots, 0);
  commit_index_ = 0;  // volatile (paper Figure 2): a restarted server learns it again

  if (restored != nullptr && !restored->empty()) {
    restore(*restored);
  } else {
    // A first start (or an amnesia restart): term 0, no vote, and the initial log. Nothing has
    // changed yet, so there is nothing to persist.
    current_term_ = 0;
    voted_for_ = sim::kNoNode;
    log_ = RaftLog(options_.starts_lagging ? 0 : 1);
  }
  role_ = RaftRole::kFollower;
  leader_ = sim::kNoNode;
  knew_leader_ = false;
  refusals_ = 0;
  backoff_ = 0;
  reset_election_timer(context);
}

void Raft::on_message(Context& context, NodeId from, const sim::Payload& message) {
  SIM_CHECK(from != self_, "a message from itself");
  const auto body = message.as<RaftMessage>();
  if (blocked_by_write()) {
    deferred_.push_back(Deferred{false, 0, from, body});
    return;
  }
  std::visit([&](const auto& typed) { handle_message(context, from, typed); }, body);
  maybe_persist(context);
}

void Raft::on_timer(Context& context, sim::TimerId timer) {
  switch (timer) {
    case kElectionTimer:
      // Paper 5.2: a follower (or a candidate whose election went nowhere) that hears from no
      // leader for an election timeout starts an election; with PreVote it first asks whether it
      // could win (thesis 9.6), as etcd-raft does after a failed election too.
      if (role_ == RaftRole::kLeader) break;
      if (blocked_by_write()) {
        deferred_.push_back(Deferred{true, election_timer_generation_, sim::kNoNode, {}});
        break;
      }
      start_election(context);
      break;
    case kHeartbeatTimer:
      if (role_ != RaftRole::kLeader) break;
      broadcast_append(context);
      context.set_timer(kHeartbeatTimer, options_.heartbeat_interval);
      break;
    case kCheckQuorumTimer:
      if (role_ == RaftRole::kLeader) handle_check_quorum(context);
      break;
    case kPersistTimer:
      complete_write(context);
      break;
    default:
      SIM_CHECK(false, "unknown Raft timer");
  }
  maybe_persist(context);
}

// ---- Role changes ----

void Raft::start_election(Context& context) {
  if (options_.pre_vote) {
    become_pre_candidate(context);
  } else {
    become_candidate(context);
  }
}

void Raft::become_follower(Context& context, uint64_t term, NodeId leader,
                           StepDownReason reason) {
  SIM_CHECK_GE(term, current_term_, "terms never go backwards");
  const bool was_leader = role_ == RaftRole::kLeader;
  const bool was_campaigning = role_ == RaftRole::kCandidate || role_ == RaftRole::kPreCandidate;
  if (was_leader) {
    context.report(sim::SteppedDown{reason});
    context.cancel_timer(kHeartbeatTimer);
    context.cancel_timer(kCheckQuorumTimer);
  } else if (leader_ != sim::kNoNode && leader == sim::kNoNode) {
    // It no longer knows a leader to follow: a later term began whose leader it has not heard.
    context.report(sim::LeaderLost{sim::LeaderLostReason::kHigherEpochSeen});
  }
  if (term > current_term_) {
    current_term_ = term;
    voted_for_ = sim::kNoNode;
    mark_dirty();
  }
  role_ = RaftRole::kFollower;
  leader_ = leader;
  refusals_ = 0;
  backoff_ = 0;
  // A candidate's or follower's election timer keeps running (paper Figure 2 resets it only on
  // hearing from the leader or granting a vote); a former leader needs one again. Howard's
  // simulator restarts a deposed candidate's timer too (startFollow).
  if (was_leader || (options_.ocaml_raft_rules && was_campaigning)) reset_election_timer(context);
}

void Raft::become_pre_candidate(Context& context) {
  SIM_CHECK(options_.pre_vote && role_ != RaftRole::kLeader, "only PreVote servers pre-campaign");
  if (leader_ != sim::kNoNode) {
    context.report(sim::LeaderLost{sim::LeaderLostReason::kElectionTimeout});
  }
  // Thesis 9.6: the pre-candidate keeps its term and its vote; it asks about term + 1.
  role_ = RaftRole::kPreCandidate;
  leader_ = sim::kNoNode;
  reset_votes();
  reset_election_timer(context);
  // It counts its own pre-vote, which binds it to nothing (and changes nothing it stores).
  context.report(sim::Supported{self_, current_term_ + 1, sim::SupportKind::kPreVote});
  if (record_vote(self_)) {
    become_candidate(context);  // a group of one
    return;
  }
  const PreVote request{current_term_ + 1, log_.last_index(), log_.last_term()};
  for (NodeId peer : peers_) send(context, peer, request);
}

void Raft::become_candidate(Context& context) {
  SIM_CHECK(role_ != RaftRole::kLeader, "a leader does not campaign");
  if (leader_ != sim::kNoNode) {
    context.report(sim::LeaderLost{sim::LeaderLostReason::kElectionTimeout});
  }
  // Paper 5.2: increment the term, vote for itself, reset the election timer, and ask every
  // other server for its vote. send() persists the new term and vote before the first request.
  ++current_term_;
  voted_for_ = self_;
  mark_dirty();
  // Howard's backoff (lib/state.ml, StartCandidate): refused by at least half of its peers last
  // time, the candidate waits twice as long before its next try.
  if (options_.candidate_backoff && refusals_ * 2 >= peers_.size() &&
      backoff_ < kMaxBackoffDoublings) {
    ++backoff_;
  }
  refusals_ = 0;
  role_ = RaftRole::kCandidate;
  leader_ = sim::kNoNode;
  reset_votes();
  reset_election_timer(context);
  // Its own vote is support like any other, given once it is on stable storage (Figure 2).
  maybe_persist(context);
  context.report(sim::Supported{self_, current_term_, sim::SupportKind::kVote});
  if (record_vote(self_)) {
    become_leader(context);  // a group of one
    return;
  }
  const RequestVote request{current_term_, log_.last_index(), log_.last_term()};
  for (NodeId peer : peers_) send(context, peer, request);
}

void Raft::become_leader(Context& context) {
  SIM_CHECK(role_ == RaftRole::kCandidate && voted_for_ == self_, "only a candidate can win");
  role_ = RaftRole::kLeader;
  leader_ = self_;
  knew_leader_ = true;
  backoff_ = 0;
  context.cancel_timer(kElectionTimer);
  // Thesis 6.4: a new leader appends a no-op entry of its own term; once it is replicated, the
  // servers that hold it are the only ones that can win the next election (paper 5.4.1).
  // nextIndex starts just after the leader's log as it was before the no-op (paper Figure 2),
  // so the first AppendEntries carries the no-op.
  const uint64_t first_new = log_.last_index() + 1;
  // The log it won with, before its own no-op: what the leader-completeness check judges.
  const sim::LogPosition won_with{log_.last_term(), log_.last_index()};
  log_.append(current_term_);
  mark_dirty();
  for (NodeId peer : peers_) {
    next_index_[position(peer)] = first_new;
    match_index_[position(peer)] = 0;
    stored_index_[position(peer)] = 0;
    recently_active_[position(peer)] = 0;
  }
  maybe_persist(context);
  context.report(sim::Elected{current_term_, current_term_, std::nullopt, won_with});
  maybe_advance_commit(context);  // a group of one commits its no-op at once
  // Paper 5.2: the leader sends heartbeats at once to establish its authority, then regularly.
  broadcast_append(context);
  context.set_timer(kHeartbeatTimer, options_.heartbeat_interval);
  if (options_.check_quorum) {
    context.set_timer(kCheckQuorumTimer, options_.election_timeout.lo);
  }
}

// Thesis 6.2: a leader steps down if an election timeout passes without a successful round of
// heartbeats to a majority (etcd-raft checks every minimum election timeout, as here). Followers
// that hear nothing wait at least that long before campaigning, so a leader cut off from the
// majority usually gives up before the majority elects another.
void Raft::handle_check_quorum(Context& context) {
  uint32_t active = 1;  // itself
  for (NodeId peer : peers_) {
    active += recently_active_[position(peer)];
    recently_active_[position(peer)] = 0;
  }
  if (active < quorum_ && !options_.ignores_quorum_loss) {
    become_follower(context, current_term_, sim::kNoNode, StepDownReason::kQuorumLost);
    return;
  }
  context.set_timer(kCheckQuorumTimer, options_.election_timeout.lo);
}

// ---- Votes ----

void Raft::handle_message(Context& context, NodeId from, const RequestVote& message) {
  sim::Duration after_term_write = sim::Duration::zero();
  // Howard's simulator decides on the vote with the role the server had before the request.
  const bool was_follower = role_ == RaftRole::kFollower;
  if (message.term > current_term_) {
    // Thesis 4.2.3: a server that heard from a current leader within the minimum election timeout
    // neither updates its term nor grants its vote, so a server that cannot hear the leader does
    // not depose it. (check_quorum implies this, as etcd-raft's "in lease" rule does.)
    if (sticky() && heard_from_leader_recently(context)) return;
    become_follower(context, message.term, sim::kNoNode, StepDownReason::kHigherEpochSeen);
    // LogCabin writes the new term on its own, before it decides on the vote, and resets its
    // election timer only once that write is done (handleRequestVote: stepDown, then
    // setElectionTimer).
    after_term_write = write_new_term_first(context);
  }
  // Paper 5.2 and 5.4.1: one vote per term, first come first served, and only for a candidate
  // whose log is at least as up-to-date as the voter's.
  const bool granted = message.term == current_term_ &&
                       (voted_for_ == sim::kNoNode || voted_for_ == from) &&
                       log_.other_is_up_to_date(message.last_log_term, message.last_log_index) &&
                       (was_follower || !options_.ocaml_raft_rules);
  if (granted) {
    if (voted_for_ != from) {
      voted_for_ = from;
      mark_dirty();
    }
    reset_election_timer(context, after_term_write);
    // Paper Figure 2: the vote is on stable storage before the response goes out (send() would
    // persist it too), so the support is recorded once it can no longer be lost by a crash.
    maybe_persist(context);
    context.report(sim::Supported{from, current_term_, sim::SupportKind::kVote});
  }
  send(context, from, RequestVoteResponse{current_term_, granted});
}

void Raft::handle_message(Context& context, NodeId from, const RequestVoteResponse& message) {
  if (message.term > current_term_) {
    const bool was_follower = role_ == RaftRole::kFollower;
    become_follower(context, message.term, sim::kNoNode, StepDownReason::kHigherEpochSeen);
    // Howard's simulator answers a higher term here with startFollow whatever the role, so a
    // follower (a candidate deposed earlier) restarts its timer as well.
    if (options_.ocaml_raft_rules && was_follower) reset_election_timer(context);
    return;
  }
  if (role_ != RaftRole::kCandidate || message.term != current_term_) return;
  if (!message.granted) {
    ++refusals_;
    return;
  }
  if (record_vote(from)) become_leader(context);
}

// Thesis 9.6: a server grants a pre-vote if the candidate's log is up-to-date and it has not
// heard from a leader within the minimum election timeout; it never changes its own term or vote.
void Raft::handle_message(Context& context, NodeId from, const PreVote& message) {
  // The vote the server could give in the asked-for term (etcd-raft's canVote): any vote in a
  // later term, or in its current term only if it has not voted for someone else or followed a
  // leader.
  const bool could_vote =
      message.term > current_term_ ||
      (message.term == current_term_ && leader_ == sim::kNoNode &&
       (voted_for_ == sim::kNoNode || voted_for_ == from));
  const bool granted = could_vote && !heard_from_leader_recently(context) &&
                       log_.other_is_up_to_date(message.last_log_term, message.last_log_index);
  // Not binding: nothing is persisted, and the server may pre-vote for others in that term.
  if (granted) context.report(sim::Supported{from, message.term, sim::SupportKind::kPreVote});
  send(context, from, PreVoteResponse{granted ? message.term : current_term_, granted});
}

void Raft::handle_message(Context& context, NodeId from, const PreVoteResponse& message) {
  // A grant carries the term asked about (current_term_ + 1), which is not a term anyone holds;
  // only a refusal with a higher term is news about the cluster's term (paper 5.1).
  if (!message.granted && message.term > current_term_) {
    become_follower(context, message.term, sim::kNoNode, StepDownReason::kHigherEpochSeen);
    return;
  }
  if (role_ != RaftRole::kPreCandidate || !message.granted ||
      message.term != current_term_ + 1) {
    return;
  }
  if (record_vote(from)) become_candidate(context);
}

bool Raft::record_vote(NodeId from) {
  if (votes_[position(from)] == 0) {
    votes_[position(from)] = 1;
    ++votes_granted_;
  }
  return votes_granted_ >= quorum_;
}

void Raft::reset_votes() {
  std::fill(votes_.begin(), votes_.end(), 0);
  votes_granted_ = 0;
}

bool Raft::heard_from_leader_recently(const Context& context) const {
  if (role_ == RaftRole::kLeader) return true;
  return leader_ != sim::kNoNode &&
         context.local_now() - last_leader_contact_ < options_.election_timeout.lo;
}

void Raft::reset_election_timer(Context& context, sim::Duration extra) {
  ++election_timer_generation_;
  // Before it first hears from a leader a server keeps to the initial range, candidate or not
  // (under Howard's rules, a candidate draws its own range from the start).
  const bool candidate = role_ == RaftRole::kCandidate;
  sim::DurationRange range =
      !knew_leader_ && !(candidate && options_.ocaml_raft_rules) ? options_.initial_election_timeout
      : candidate                                                 ? options_.candidate_election_timeout
                                                                  : options_.election_timeout;
  if (candidate && backoff_ > 0) {
    range.lo = range.lo * (int64_t{1} << backoff_);
    range.hi = range.hi * (int64_t{1} << backoff_);
  }
  const sim::Duration step = options_.election_timeout_step;
  if (step <= sim::Duration::zero()) {
    context.set_timer(kElectionTimer, range.lo + extra, range.hi + extra);
    return;
  }
  // LogCabin's randomRange: a uniform draw in the range, rounded to the nearest whole step.
  const int64_t drawn = context.rng().uniform(range.lo, range.hi).ns();
  // At least one step, so that a step longer than the range never makes a zero timeout.
  const int64_t steps = std::max<int64_t>(1, (drawn + step.ns() / 2) / step.ns());
  context.set_timer(kElectionTimer, sim::Duration::nanoseconds(steps * step.ns()) + extra);
}

// ---- Replication ----

void Raft::handle_message(Context& context, NodeId from, const AppendEntries& message) {
  // Paper Figure 2, receiver step 1: a stale leader gets this server's term and steps down.
  // Two leaders of one term can exist only if election safety broke (an amnesia restart lost a
  // vote); a leader refuses the other one and the checks report the violation.
  if (message.term < current_term_ ||
      (message.term == current_term_ && role_ == RaftRole::kLeader)) {
    send(context, from,
         AppendEntriesResponse{current_term_, message.prev_log_index, log_.last_index(), false});
    return;
  }
  sim::Duration after_term_write = sim::Duration::zero();
  if (message.term > current_term_ || role_ != RaftRole::kFollower || leader_ != from) {
    become_follower(context, message.term, from, StepDownReason::kHigherEpochSeen);
    // LogCabin's handleAppendEntries writes a new term (stepDown) before it resets the timer.
    after_term_write = write_new_term_first(context);
  }
  last_leader_contact_ = context.local_now();
  knew_leader_ = true;
  reset_election_timer(context, after_term_write);
  context.report(sim::Follows{from, current_term_});

  if (options_.starts_lagging && options_.lagging_stays_behind) {
    // The Figure 16 knob (see RaftOptions): acknowledge the entries without storing them.
    send(context, from,
         AppendEntriesResponse{current_term_, message.prev_log_index + message.entries_count,
                               log_.last_index(), true});
    return;
  }
  // Paper 5.3: the log must hold the entry before the new ones, with the leader's term for it.
  const bool consistent = message.prev_log_index <= log_.last_index() &&
                          log_.term_at(message.prev_log_index) == message.prev_log_term;
  if (!consistent) {
    send(context, from,
         AppendEntriesResponse{current_term_, message.prev_log_index, log_.last_index(), false});
    return;
  }
  if (log_.merge(message.prev_log_index, message.entries_term, message.entries_count)) {
    mark_dirty();
  }
  const uint64_t match = message.prev_log_index + message.entries_count;
  // Paper Figure 2, receiver step 5: commitIndex = min(leaderCommit, index of last new entry);
  // the entries up to `match` are now the leader's.
  if (message.leader_commit > commit_index_) {
    maybe_commit(context, std::min<uint64_t>(message.leader_commit, match));
  }
  send(context, from, AppendEntriesResponse{current_term_, match, log_.last_index(), true});
}

void Raft::handle_message(Context& context, NodeId from, const AppendEntriesResponse& message) {
  if (message.term > current_term_) {
    become_follower(context, message.term, sim::kNoNode, StepDownReason::kHigherEpochSeen);
    return;
  }
  if (role_ != RaftRole::kLeader || message.term != current_term_) return;
  // The peer's position once: each position() call carries its own check, which the compiler
  // cannot merge across the stores below (the SimGrid workload spent 36 instructions more per
  // response when every access looked it up).
  const size_t peer = position(from);
  recently_active_[peer] = 1;
  if (message.success) {
    // Clamped to the leader's own log, which a follower's answer exceeds only if election safety
    // broke (two leaders in this term).
    const uint64_t match = std::min(message.index, log_.last_index());
    match_index_[peer] = std::max(match_index_[peer], match);
    next_index_[peer] = std::max(next_index_[peer], match_index_[peer] + 1);
    // A follower stores at least up to its match (its last index is no lower), except a
    // Figure 16 lagging server, whose last index says what it really kept. Heartbeats of a
    // steady leader change nothing here, so the commit rule runs only as entries spread.
    const uint64_t stored = std::min(match, message.last_log_index);
    if (stored > stored_index_[peer]) {
      stored_index_[peer] = stored;
      maybe_advance_commit(context);
    }
    if (next_index_[peer] <= log_.last_index()) send_append(context, from);
    return;
  }
  // Paper 5.3: after a rejection, retry one entry earlier, or just past the follower's last
  // entry if its log is shorter. A rejection of an older probe is ignored, so duplicated or
  // delayed answers do not move nextIndex back twice.
  if (message.index + 1 != next_index_[peer]) return;
  next_index_[peer] = std::max<uint64_t>(1, std::min(message.index, message.last_log_index + 1));
  send_append(context, from);
}

void Raft::broadcast_append(Context& context) {
  for (NodeId peer : peers_) send_append(context, peer);
}

void Raft::send_append(Context& context, NodeId to) {
  const uint64_t next = next_index_[position(to)];
  SIM_CHECK(next >= 1 && next <= log_.last_index() + 1, "nextIndex outside the leader's log");
  SIM_CHECK(commit_index_ <= UINT32_MAX, "commitIndex outgrew AppendEntries::leader_commit");
  AppendEntries message{current_term_, next - 1, log_.term_at(next - 1), 0, 0,
                        static_cast<uint32_t>(commit_index_)};
  if (next <= log_.last_index()) {
    message.entries_term = log_.term_at(next);
    message.entries_count = static_cast<uint32_t>(log_.run_length(next, kMaxEntriesPerAppend));
  }
  send(context, to, message);
}

// ---- Commitment ----

void Raft::maybe_advance_commit(Context& context) {
  // The quorum-th highest of what the members store (the leader stores its whole log) is the
  // highest index a majority holds. Only an entry of the leader's own term is committed by
  // counting replicas; earlier ones are committed with it (paper 5.4.2, Figure 8).
  for (size_t slot = 0; slot < stored_index_.size(); ++slot) {
    commit_scratch_[slot] = stored_index_[slot];
  }
  commit_scratch_[position(self_)] = log_.last_index();
  const auto quorum_th = commit_scratch_.begin() + (quorum_ - 1);
  std::nth_element(commit_scratch_.begin(), quorum_th, commit_scratch_.end(),
                   std::greater<uint64_t>());
  const uint64_t majority_stores = *quorum_th;
  if (majority_stores > commit_index_ && log_.term_at(majority_stores) == current_term_) {
    maybe_commit(context, majority_stores);
  }
}

void Raft::maybe_commit(Context& context, uint64_t index) {
  if (index <= commit_index_) return;
  SIM_CHECK_LE(index, log_.last_index(), "commitIndex past the end of the log");
  commit_index_ = index;
  context.report(sim::Committed{sim::LogPosition{log_.term_at(index), index}});
}

// ---- Durable state ----

void Raft::send(Context& context, NodeId to, const RaftMessage& message) {
  maybe_persist(context);
  const bool is_response = std::holds_alternative<RequestVoteResponse>(message) ||
                           std::holds_alternative<AppendEntriesResponse>(message) ||
                           std::holds_alternative<PreVoteResponse>(message);
  const bool waits = is_response || (options_.logcabin_write_order &&
                                     std::holds_alternative<RequestVote>(message));
  if (waits && writes_done_ < writes_issued_) {
    held_.push_back(HeldMessage{writes_issued_, to, message});
    return;
  }
  context.send(to, message);
}

void Raft::complete_write(Context& context) {
  SIM_CHECK(writes_done_ < writes_issued_, "a write completed that was never issued");
  ++writes_done_;
  // A RequestVote held behind a LogCabin candidate's write is always still wanted: the
  // candidate handles nothing else until the write is done (deferred_).
  while (!held_.empty() && held_.front().after_write <= writes_done_) {
    context.send(held_.front().to, held_.front().message);
    held_.pop_front();
  }
  write_lengths_.pop_front();
  if (writes_done_ < writes_issued_) context.set_timer(kPersistTimer, write_lengths_.front());
  run_deferred(context);
}

sim::Duration Raft::write_new_term_first(Context& context) {
  if (!options_.logcabin_write_order) return sim::Duration::zero();
  maybe_persist(context);
  if (writes_done_ == writes_issued_) return sim::Duration::zero();
  return disk_done_at_ - context.local_now();
}

bool Raft::blocked_by_write() const {
  return options_.logcabin_write_order && writes_done_ < writes_issued_ &&
         role_ != RaftRole::kLeader;
}

void Raft::run_deferred(Context& context) {
  while (!deferred_.empty() && !blocked_by_write()) {
    Deferred next = std::move(deferred_.front());
    deferred_.pop_front();
    if (!next.timeout) {
      std::visit([&](const auto& typed) { handle_message(context, next.from, typed); },
                 next.message);
    } else if (next.timer_generation == election_timer_generation_ &&
               role_ != RaftRole::kLeader) {
      start_election(context);
    }
    maybe_persist(context);
  }
}

// The durable layout is [format, current_term, voted_for + 1, entry count, entry terms...]. The
// header is rewritten in place and only the log's changed tail is written after it, as a real
// server appends to its log; rewriting the whole log at every vote made long runs quadratic.
void Raft::maybe_persist(Context& context) {
  if (!durable_dirty_) return;
  if (options_.persist_delay > sim::Duration::zero() ||
      options_.persist_jitter > sim::Duration::zero()) {
    // Writes complete one after another: the disk starts this one when the last one is done.
    sim::Duration length = options_.persist_delay;
    if (options_.persist_jitter > sim::Duration::zero()) {
      length += context.rng().exponential(options_.persist_jitter);
    }
    write_lengths_.push_back(length);
    if (writes_done_ == writes_issued_) {
      context.set_timer(kPersistTimer, length);
      disk_done_at_ = context.local_now() + length;
    } else {
      disk_done_at_ += length;
    }
    ++writes_issued_;
  }
  const std::span<const uint64_t> entries = log_.entry_terms();
  const uint64_t header[kDurableHeaderWords] = {
      kDurableFormat, current_term_, voted_for_ == sim::kNoNode ? 0 : uint64_t{voted_for_} + 1,
      entries.size()};
  context.persist_at(0, header, false);
  const uint64_t first = log_.first_unsaved();  // 1-based; entries[first - 1] is index `first`
  context.persist_at(kDurableHeaderWords + first - 1, entries.subspan(first - 1), true);
  log_.mark_saved();
  durable_dirty_ = false;
}

void Raft::restore(const sim::DurableState& state) {
  SIM_CHECK(state.size() >= kDurableHeaderWords && state[0] == kDurableFormat &&
                state.size() == kDurableHeaderWords + state[3],
            "Raft durable state is malformed");
  current_term_ = state[1];
  voted_for_ = state[2] == 0 ? sim::kNoNode : static_cast<NodeId>(state[2] - 1);
  log_.assign(std::span<const uint64_t>(state).subspan(kDurableHeaderWords));
  log_.mark_saved();
}

// ---- Family ----

namespace {
constexpr std::string_view kMessageNames[] = {"request_vote",   "request_vote_response",
                                              "append_entries", "append_entries_response",
                                              "pre_vote",       "pre_vote_response"};
static_assert(std::size(kMessageNames) == std::variant_size_v<RaftMessage>);
// By timer id: Raft::kElectionTimer, kHeartbeatTimer, kCheckQuorumTimer, kPersistTimer.
constexpr std::string_view kTimerNames[] = {"election", "heartbeat", "check_quorum", "persist"};
static_assert(Raft::kPersistTimer + 1 == std::size(kTimerNames));
// Electing: votes and pre-votes with their replies; AppendEntries keeps a leader.
constexpr sim::FamilyInfo kFamily{sim::families::kRaft, "raft", kMessageNames, kTimerNames,
                                  sim::message_mask({0, 1, 4, 5})};
}  // namespace

const sim::FamilyInfo& raft_family() { return kFamily; }

// ---- Factory ----

std::unique_ptr<sim::Algorithm> RaftFactory::create(NodeId node) const {
  RaftOptions options = options_;
  options.starts_lagging =
      std::find(lagging_nodes_.begin(), lagging_nodes_.end(), node) != lagging_nodes_.end();
  return std::make_unique<Raft>(options);
}

std::unique_ptr<sim::AlgorithmFactory> make_factory(const Params& params, uint32_t nodes) {
  sim::register_family(&raft_family());  // at first use: names for the trace and for failures
  RaftOptions options;
  options.election_timeout = get<sim::DurationRange>(params, "election_timeout");
  options.initial_election_timeout = get<sim::DurationRange>(params, "initial_election_timeout");
  options.candidate_election_timeout =
      get<sim::DurationRange>(params, "candidate_election_timeout");
  options.election_timeout_step = get<sim::Duration>(params, "election_timeout_step");
  options.logcabin_write_order = get<bool>(params, "logcabin_write_order");
  options.ocaml_raft_rules = get<bool>(params, "ocaml_raft_rules");
  options.candidate_backoff = get<bool>(params, "candidate_backoff");
  options.heartbeat_interval = get<sim::Duration>(params, "heartbeat_interval");
  options.pre_vote = get<bool>(params, "pre_vote");
  options.check_quorum = get<bool>(params, "check_quorum");
  options.leader_stickiness = get<bool>(params, "leader_stickiness");
  options.lagging_stays_behind = get<bool>(params, "lagging_stay_behind");
  options.persist_delay = get<sim::Duration>(params, "persist_delay");
  options.persist_jitter = get<sim::Duration>(params, "persist_jitter");
  SIM_CHECK(options.heartbeat_interval < options.election_timeout.lo &&
                options.election_timeout.lo <= options.election_timeout.hi,
            "Raft parameters were not resolved");
  NodeList lagging = get<NodeList>(params, "lagging_nodes");
  for (NodeId node : lagging) SIM_CHECK(node < nodes, "lagging node outside the cluster");
  return std::make_unique<RaftFactory>(options, std::move(lagging));
}

std::unique_ptr<sim::AlgorithmFactory> make_factory_ignoring_quorum_loss(const Params& params,
                                                                         uint32_t nodes) {
  const auto factory = make_factory(params, nodes);
  RaftOptions options = static_cast<const RaftFactory&>(*factory).options();
  options.ignores_quorum_loss = true;
  return std::make_unique<RaftFactory>(options, get<NodeList>(params, "lagging_nodes"));
}

}  // namespace electsim::algorithms::raft
