#include "algorithms/vr/vr.h"

#include <algorithm>
#include <utility>

namespace electsim::algorithms::vr {

using sim::Context;
using sim::ProcessId;

// ---- Inputs ----

void Vr::on_start(Context& context, const sim::DurableState* restored) {
  self_ = context.self();
  members_ = context.members();
  SIM_CHECK(!members_.empty() && std::is_sorted(members_.begin(), members_.end()),
            "members are listed in id order");
  SIM_CHECK(is_member(self_), "a replica is one of its group's members");
  quorum_ = static_cast<uint32_t>(members_.size() / 2 + 1);
  const size_t slots = members_.size();
  start_view_changes_.assign(slots, 0);
  do_view_changes_.assign(slots, DoViewChangeVote{});
  acked_op_.assign(slots, 0);
  next_op_.assign(slots, 1);
  scratch_.assign(slots, 0);
  start_view_change_count_ = 0;
  do_view_change_count_ = 0;
  sent_do_view_change_ = false;
  fetching_ = false;
  leading_ = false;
  following_ = false;

  if (restored != nullptr && !restored->empty()) {
    restore(*restored);
    // Its log is a prefix of its view's log only if that view was normal here; otherwise it was
    // still changing views when it crashed. Either way it waits to hear from a primary.
    status_ = last_normal_view_ == view_ ? VrStatus::kNormal : VrStatus::kViewChange;
    context.set_timer(kViewChangeTimer, options_.view_change_timeout.lo,
                      options_.view_change_timeout.hi);
    return;
  }
  // The initial configuration (4): view 0, every replica normal, its primary the first member.
  view_ = 0;
  last_normal_view_ = 0;
  commit_number_ = 0;
  log_ = VrLog();
  status_ = VrStatus::kNormal;
  if (primary_of(0) == self_) {
    begin_view_as_primary(context);
  } else {
    context.set_timer(kViewChangeTimer, options_.view_change_timeout.lo,
                      options_.view_change_timeout.hi);
  }
  maybe_persist(context);
}

void Vr::on_message(Context& context, ProcessId from, const sim::Payload& message) {
  SIM_CHECK(from != self_, "a message from itself");
  if (!is_member(from)) return;  // only replicas of its group speak VR to it
  const auto body = message.as<VrMessage>();
  std::visit([&](const auto& typed) { handle(context, from, typed); }, body);
  maybe_persist(context);
}

void Vr::on_timer(Context& context, sim::TimerId timer) {
  switch (timer) {
    case kViewChangeTimer:
      // 4.2: a backup that heard nothing from its primary, or a view change that did not
      // complete in time, moves on to the next view.
      if (!leading_) start_view_change(context, view_ + 1, /*by_timer=*/true);
      break;
    case kHeartbeatTimer:
      if (!leading_) break;
      broadcast_heartbeat(context);
      context.set_timer(kHeartbeatTimer, options_.heartbeat_interval);
      break;
    default:
      SIM_CHECK(false, "unknown VR timer");
  }
  maybe_persist(context);
}

// ---- View change (4.2) ----

void Vr::stop_leading_or_following(Context& context, bool by_timer) {
  if (leading_) {
    context.report(sim::SteppedDown{sim::StepDownReason::kHigherEpochSeen});
    context.cancel_timer(kHeartbeatTimer);
  } else if (following_) {
    context.report(sim::LeaderLost{by_timer ? sim::LeaderLostReason::kElectionTimeout
                                            : sim::LeaderLostReason::kHigherEpochSeen});
  }
  leading_ = false;
  following_ = false;
}

void Vr::start_view_change(Context& context, uint64_t view, bool by_timer) {
  SIM_CHECK(view > view_, "views only move forward");
  stop_leading_or_following(context, by_timer);
  // Step 1: advance the view-number, set status to view-change, send StartViewChange to all.
  view_ = view;
  status_ = VrStatus::kViewChange;
  mark_dirty();
  std::fill(start_view_changes_.begin(), start_view_changes_.end(), 0);
  start_view_change_count_ = 0;
  for (DoViewChangeVote& vote : do_view_changes_) vote = DoViewChangeVote{};
  do_view_change_count_ = 0;
  sent_do_view_change_ = false;
  fetching_ = false;
  context.set_timer(kViewChangeTimer, options_.view_change_timeout.lo,
                    options_.view_change_timeout.hi);
  for (ProcessId member : members_) {
    if (member != self_) send(context, member, StartViewChange{view_});
  }
  record_start_view_change(context, self_);
}

void Vr::handle(Context& context, ProcessId from, const StartViewChange& message) {
  // Step 1: a StartViewChange for a later view is itself a reason to change views.
  if (message.view > view_) start_view_change(context, message.view, /*by_timer=*/false);
  if (message.view != view_ || status_ != VrStatus::kViewChange) return;
  record_start_view_change(context, from);
}

// Step 2: with StartViewChange from f others (f+1 counting itself), send DoViewChange to the
// new primary.
void Vr::record_start_view_change(Context& context, ProcessId from) {
  uint8_t& seen = start_view_changes_[position(from)];
  if (seen == 0) {
    seen = 1;
    ++start_view_change_count_;
  }
  if (start_view_change_count_ >= quorum_ && !sent_do_view_change_) send_do_view_change(context);
}

void Vr::send_do_view_change(Context& context) {
  sent_do_view_change_ = true;
  const ProcessId primary = primary_of(view_);
  // The DoViewChange binds this replica to the view's primary: it will never join an older view.
  context.report(sim::Supported{primary, view_, sim::SupportKind::kDoViewChange});
  const DoViewChange message{view_, last_normal_view_, log_.op_number(), commit_number_,
                             log_.last_view()};
  if (primary != self_) {
    send(context, primary, message);
    return;
  }
  record_do_view_change(context, self_,
                        DoViewChangeVote{true, message.last_normal_view, message.op_number,
                                         message.commit, message.last_entry_view});
}

void Vr::handle(Context& context, ProcessId from, const DoViewChange& message) {
  if (message.view > view_) start_view_change(context, message.view, /*by_timer=*/false);
  if (message.view != view_ || status_ != VrStatus::kViewChange || primary_of(view_) != self_) {
    return;
  }
  record_do_view_change(context, from,
                        DoViewChangeVote{true, message.last_normal_view, message.op_number,
                                         message.commit, message.last_entry_view});
}

void Vr::record_do_view_change(Context& context, ProcessId from, const DoViewChangeVote& vote) {
  DoViewChangeVote& slot = do_view_changes_[position(from)];
  if (slot.received) return;
  slot = vote;
  ++do_view_change_count_;
  if (from == self_ && options_.counts_own_do_view_change_twice) ++do_view_change_count_;
  maybe_start_view(context);
}

// Step 3: with f+1 DoViewChange messages, its own among them, the new primary takes the log of
// the message with the largest last normal view, and of those the largest op-number, and the
// largest commit-number of all.
void Vr::maybe_start_view(Context& context) {
  if (fetching_ || status_ != VrStatus::kViewChange) return;
  const DoViewChangeVote& own = do_view_changes_[position(self_)];
  if (!own.received) return;
  if (do_view_change_count_ < quorum_ && !options_.starts_view_alone) return;
  size_t best = position(self_);
  new_commit_ = 0;
  for (size_t i = 0; i < do_view_changes_.size(); ++i) {
    const DoViewChangeVote& vote = do_view_changes_[i];
    if (!vote.received) continue;
    new_commit_ = std::max(new_commit_, vote.commit);
    const DoViewChangeVote& chosen = do_view_changes_[best];
    if (std::pair(vote.last_normal_view, vote.op_number) >
        std::pair(chosen.last_normal_view, chosen.op_number)) {
      best = i;
    }
  }
  // A chosen log shorter than what this replica knows is committed cannot happen in a correct
  // history (an amnesia restart lost a DoViewChange's promise): it keeps its own log then.
  if (do_view_changes_[best].op_number < commit_number_) best = position(self_);
  const DoViewChangeVote& chosen = do_view_changes_[best];
  const bool same_log = chosen.op_number == log_.op_number() &&
                        chosen.last_entry_view == log_.last_view();
  if (members_[best] == self_ || same_log) {
    begin_view_as_primary(context);
    return;
  }
  // 5.2: fetch the chosen log into a staging copy. Its committed prefix is every later view's,
  // so only the entries after this replica's commit-number can differ. Its own log stays as it
  // was until the fetch completes: if this view change fails, it is still the log it reported.
  fetching_ = true;
  fetch_from_ = members_[best];
  fetch_op_ = chosen.op_number;
  fetch_last_view_ = chosen.last_entry_view;
  staging_.assign(log_.entry_views().first(std::min(commit_number_, fetch_op_)));
  request_state(context);
}

void Vr::request_state(Context& context) {
  send(context, fetch_from_, GetState{view_, staging_.op_number()});
}

void Vr::handle(Context& context, ProcessId from, const GetState& message) {
  if (message.view != view_) return;
  if (leading_) {
    // A backup fetches the log this view started with: the StartView first, then a run.
    send(context, from, start_view_);
  } else if (status_ != VrStatus::kViewChange || from != primary_of(view_)) {
    // Otherwise only the replica whose DoViewChange was chosen answers, while it waits for the
    // StartView of that view: its log has not changed since it sent the DoViewChange.
    return;
  }
  if (message.from_op >= log_.op_number()) return;
  const uint64_t first = message.from_op + 1;
  send(context, from,
       NewState{view_, message.from_op, log_.view_at(message.from_op), log_.view_at(first),
                static_cast<uint32_t>(log_.run_length(first, kMaxEntriesPerMessage))});
}

void Vr::handle(Context& context, ProcessId from, const NewState& message) {
  if (status_ == VrStatus::kTransfer) {
    if (message.view != view_ || from != primary_of(view_) ||
        message.prev_op != staging_.op_number()) {
      return;
    }
    if (message.prev_view != staging_.last_view()) {
      staging_.truncate(0);
    } else {
      for (uint32_t i = 0; i < message.count; ++i) staging_.append(message.entries_view);
    }
    maybe_install_transfer(context);
    return;
  }
  if (!fetching_ || message.view != view_ || from != fetch_from_ ||
      message.prev_op != staging_.op_number()) {
    return;  // stale, duplicated or out of order: the next request asks again
  }
  if (message.prev_view != staging_.last_view()) {
    // The logs disagree before the fetched entries (never with a correct history): fetch all.
    staging_.truncate(0);
    request_state(context);
    return;
  }
  for (uint32_t i = 0; i < message.count && staging_.op_number() < fetch_op_; ++i) {
    staging_.append(message.entries_view);
  }
  if (staging_.op_number() < fetch_op_) {
    request_state(context);
    return;
  }
  SIM_CHECK(staging_.last_view() == fetch_last_view_, "the fetched log ends where its owner said");
  fetching_ = false;
  log_.assign(staging_.entry_views());
  begin_view_as_primary(context);
}

// Step 3 (end): the new primary sets its status to normal, reports its leadership with the log
// it won with, appends its no-op (op-number + 1) and sends StartView to the other replicas.
void Vr::begin_view_as_primary(Context& context) {
  status_ = VrStatus::kNormal;
  last_normal_view_ = view_;
  leading_ = true;
  following_ = false;
  mark_dirty();
  context.cancel_timer(kViewChangeTimer);
  const sim::LogPosition won_with{log_.last_view(), log_.op_number()};
  context.report(sim::Elected{view_, view_, std::nullopt, won_with});
  advance_commit(context, std::min(new_commit_, log_.op_number()));
  const StartView start{view_, log_.op_number(), log_.last_view(), commit_number_};
  start_view_ = start;
  log_.append(view_);
  for (ProcessId member : members_) {
    acked_op_[position(member)] = 0;
    next_op_[position(member)] = start.op_number + 1;
  }
  new_commit_ = 0;
  for (ProcessId member : members_) {
    if (member == self_) continue;
    send(context, member, start);
    send_prepare(context, member);
  }
  update_commit_from_acks(context);  // a group of one commits its no-op at once
  context.set_timer(kHeartbeatTimer, options_.heartbeat_interval);
}

// Step 4 and 5.2.
void Vr::handle(Context& context, ProcessId from, const StartView& message) {
  if (message.view < view_ || (message.view == view_ && status_ == VrStatus::kNormal)) return;
  if (from != primary_of(message.view)) return;
  // The backup replaces its log with the primary's. Where its own log ends in the same entry
  // (the same view at the same op-number means the same log) it keeps it; otherwise it fetches
  // the primary's and keeps its old log until it holds the whole new one.
  const bool same_log = log_.op_number() >= message.op_number &&
                        log_.view_at(message.op_number) == message.last_entry_view;
  if (!same_log) {
    if (message.view > view_ || status_ != VrStatus::kTransfer) {
      begin_transfer(context, message.view);
    }
    transfer_target_known_ = true;
    transfer_target_ = message;
    maybe_install_transfer(context);
    return;
  }
  enter_view_as_backup(context, message.view, from, message.op_number);
  advance_commit(context, std::min(message.commit, log_.op_number()));
  send(context, from, PrepareOk{view_, log_.op_number()});
}

void Vr::begin_transfer(Context& context, uint64_t view) {
  if (view > view_) stop_leading_or_following(context, /*by_timer=*/false);
  view_ = view;
  status_ = VrStatus::kTransfer;
  fetching_ = false;
  transfer_target_known_ = false;
  mark_dirty();
  staging_.assign(log_.entry_views().first(std::min(commit_number_, log_.op_number())));
  context.set_timer(kViewChangeTimer, options_.view_change_timeout.lo,
                    options_.view_change_timeout.hi);
}

// Installs the staged log once it holds the StartView's log, else asks for the next run.
void Vr::maybe_install_transfer(Context& context) {
  const ProcessId primary = primary_of(view_);
  if (!transfer_target_known_ || staging_.op_number() < transfer_target_.op_number) {
    send(context, primary, GetState{view_, staging_.op_number()});
    return;
  }
  if (staging_.view_at(transfer_target_.op_number) != transfer_target_.last_entry_view) {
    staging_.truncate(0);  // the staged prefix disagrees (never with a correct history)
    send(context, primary, GetState{view_, 0});
    return;
  }
  staging_.truncate(transfer_target_.op_number);
  log_.assign(staging_.entry_views());
  enter_view_as_backup(context, view_, primary, transfer_target_.op_number);
  advance_commit(context, std::min(transfer_target_.commit, log_.op_number()));
  send(context, primary, PrepareOk{view_, log_.op_number()});
}

void Vr::enter_view_as_backup(Context& context, uint64_t view, ProcessId primary,
                              uint64_t keep_up_to) {
  if (view > view_) stop_leading_or_following(context, /*by_timer=*/false);
  transfer_target_known_ = false;
  view_ = view;
  status_ = VrStatus::kNormal;
  last_normal_view_ = view;
  fetching_ = false;
  log_.truncate(keep_up_to);
  mark_dirty();
  hear_from_primary(context, primary);
}

void Vr::hear_from_primary(Context& context, ProcessId primary) {
  following_ = true;
  context.report(sim::Follows{primary, view_});
  context.set_timer(kViewChangeTimer, options_.view_change_timeout.lo,
                    options_.view_change_timeout.hi);
}

void Vr::advance_commit(Context& context, uint64_t commit) {
  if (commit <= commit_number_) return;
  commit_number_ = commit;
  mark_dirty();
  context.report(sim::Committed{sim::LogPosition{log_.view_at(commit), commit}});
}

// ---- Normal operation (4.1) ----

// Whether a message of `view` from `from` comes from the running primary of a view this backup
// must join (a later one, or its own view that it is still changing to); it joins it.
void Vr::handle(Context& context, ProcessId from, const Prepare& message) {
  if (message.view < view_ || from != primary_of(message.view)) return;
  if (message.view > view_ || status_ != VrStatus::kNormal) {
    // A view it missed the start of: it fetches the view's log first (5.2).
    // In a transfer already, it asks again: a request or a reply may have been lost.
    if (message.view > view_ || status_ != VrStatus::kTransfer) {
      begin_transfer(context, message.view);
    }
    maybe_install_transfer(context);
    return;
  }
  if (leading_) return;  // its own view: impossible unless two primaries share a view
  hear_from_primary(context, from);
  // Entries go on in order: a gap is answered with the op-number the primary should go on from.
  if (message.prev_op <= log_.op_number()) {
    for (uint64_t op = message.prev_op + 1; op <= message.prev_op + message.count; ++op) {
      if (op <= log_.op_number()) {
        if (log_.view_at(op) == message.entries_view) continue;
        log_.truncate(op - 1);
      }
      log_.append(message.entries_view);
      mark_dirty();
    }
  }
  advance_commit(context, std::min(message.commit, log_.op_number()));
  send(context, from, PrepareOk{view_, log_.op_number()});
}

void Vr::handle(Context& context, ProcessId from, const Commit& message) {
  if (message.view < view_ || from != primary_of(message.view)) return;
  if (message.view > view_ || status_ != VrStatus::kNormal) {
    if (message.view > view_ || status_ != VrStatus::kTransfer) {
      begin_transfer(context, message.view);
    }
    maybe_install_transfer(context);
    return;
  }
  if (leading_) return;
  hear_from_primary(context, from);
  advance_commit(context, std::min(message.commit, log_.op_number()));
}

void Vr::handle(Context& context, ProcessId from, const PrepareOk& message) {
  if (!leading_ || message.view != view_) return;
  const size_t backup = position(from);
  const uint64_t op = std::min(message.op_number, log_.op_number());
  acked_op_[backup] = std::max(acked_op_[backup], op);
  next_op_[backup] = op + 1;
  if (next_op_[backup] <= log_.op_number()) send_prepare(context, from);
  update_commit_from_acks(context);
}

// 4.1: an op is committed once f+1 replicas, the primary among them, hold it in this view.
void Vr::update_commit_from_acks(Context& context) {
  for (size_t i = 0; i < members_.size(); ++i) {
    scratch_[i] = members_[i] == self_ ? log_.op_number() : acked_op_[i];
  }
  std::nth_element(scratch_.begin(), scratch_.begin() + (quorum_ - 1), scratch_.end(),
                   std::greater<>());
  advance_commit(context, scratch_[quorum_ - 1]);
}

void Vr::send_prepare(Context& context, ProcessId to) {
  const uint64_t next = next_op_[position(to)];
  SIM_CHECK(next >= 1 && next <= log_.op_number() + 1, "next op outside the primary's log");
  Prepare message{view_, next - 1, 0, commit_number_, 0};
  if (next <= log_.op_number()) {
    message.entries_view = log_.view_at(next);
    message.count = static_cast<uint32_t>(log_.run_length(next, kMaxEntriesPerMessage));
  }
  send(context, to, message);
}

// The heartbeat: a Commit to each backup that holds the whole log, a Prepare (a retransmission)
// to each that does not.
void Vr::broadcast_heartbeat(Context& context) {
  for (ProcessId member : members_) {
    if (member == self_) continue;
    if (acked_op_[position(member)] < log_.op_number()) {
      send_prepare(context, member);
    } else {
      send(context, member, Commit{view_, commit_number_});
    }
  }
}

// ---- Durable state ----

void Vr::send(Context& context, ProcessId to, const VrMessage& message) {
  maybe_persist(context);  // what a message promises is on disk before it leaves
  context.send(to, message);
}

void Vr::maybe_persist(Context& context) {
  if (!durable_dirty_) return;
  const std::span<const uint64_t> entries = log_.entry_views();
  const uint64_t header[kDurableHeaderWords] = {kDurableFormat, view_, last_normal_view_,
                                                commit_number_, entries.size()};
  context.persist_at(0, header, false);
  const uint64_t first = log_.first_unsaved();
  context.persist_at(kDurableHeaderWords + first - 1, entries.subspan(first - 1), true);
  log_.mark_saved();
  durable_dirty_ = false;
}

void Vr::restore(const sim::DurableState& state) {
  SIM_CHECK(state.size() >= kDurableHeaderWords && state[0] == kDurableFormat &&
                state.size() == kDurableHeaderWords + state[4],
            "VR durable state is malformed");
  view_ = state[1];
  last_normal_view_ = state[2];
  commit_number_ = state[3];
  log_.assign(std::span<const uint64_t>(state).subspan(kDurableHeaderWords));
  log_.mark_saved();
}

size_t Vr::position(ProcessId member) const {
  const auto it = std::lower_bound(members_.begin(), members_.end(), member);
  SIM_CHECK(it != members_.end() && *it == member, "a message from outside the group");
  return static_cast<size_t>(it - members_.begin());
}

bool Vr::is_member(ProcessId process) const {
  return std::binary_search(members_.begin(), members_.end(), process);
}

// ---- Family ----

namespace {
constexpr std::string_view kMessageNames[] = {"prepare",    "prepare_ok",     "commit",
                                              "start_view_change", "do_view_change",
                                              "start_view", "get_state",      "new_state"};
static_assert(std::size(kMessageNames) == std::variant_size_v<VrMessage>);
// By timer id: Vr::kViewChangeTimer, kHeartbeatTimer.
constexpr std::string_view kTimerNames[] = {"view_change", "heartbeat"};
static_assert(Vr::kHeartbeatTimer + 1 == std::size(kTimerNames));
// Electing: the view change (StartViewChange, DoViewChange, StartView); Prepare, PrepareOk and
// Commit are normal operation and heartbeats, GetState and NewState state transfer.
constexpr sim::FamilyInfo kFamily{sim::families::kVr, "vr", kMessageNames, kTimerNames,
                                  sim::message_mask({3, 4, 5})};
}  // namespace

const sim::FamilyInfo& vr_family() { return kFamily; }

}  // namespace electsim::algorithms::vr
