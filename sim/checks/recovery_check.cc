#include "sim/checks/recovery_check.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace electsim::sim::checks {

RecoveryCheck::RecoveryCheck(std::shared_ptr<const Topology> topology, ProgressModel model,
                             Duration bound, bool count_all_up, std::string name,
                             bool record_times, Instant judged_from)
    : topology_(std::move(topology)),
      model_(model),
      view_(topology_),
      links_(topology_, model),
      bound_(bound),
      count_all_up_(count_all_up),
      name_(std::move(name)),
      record_times_(record_times),
      judged_from_(judged_from),
      groups_(topology_->groups()),
      followers_(topology_->processes()),
      side_of_(model == ProgressModel::kNone ? topology_->processes() : 0) {
  SIM_CHECK(bound > Duration::zero(), "the recovery bound must be positive");
  for (GroupId group = 0; group < groups_.size(); ++group) {
    groups_[group].quorum = links_.quorum_available(group);
    // Every process boots at time zero with no leader: the initial election is the first window.
    if (groups_[group].quorum) open_window(group, Instant::zero());
  }
}

KindMask RecoveryCheck::kinds() const { return ClusterView::kinds() | fault_event_kinds(); }

void RecoveryCheck::on_record(const TraceRecord& record) {
  if (is_fault_event(record)) {
    on_fault_event(record);
    return;
  }
  if (is_host_record(record.kind) || record.node >= topology_->processes()) return;
  const GroupId group = topology_->group_of(record.node);
  if (group == kNoGroup) return;  // only members lead or follow in a group
  judge(group, record.time);
  view_.apply(record);
  update_window(group, record.time);
}

// Faults are the world's, not one group's: every group is judged, gets the fault as its
// reference, and sees what the fault changed.
void RecoveryCheck::on_fault_event(const TraceRecord& record) {
  for (GroupId group = 0; group < groups_.size(); ++group) judge(group, record.time);
  note_fault(record);
  apply_fault_event(record);
  for (GroupId group = 0; group < groups_.size(); ++group) {
    Group& state = groups_[group];
    const bool available = links_.quorum_available(group);
    if (available && !state.quorum) state.quorum_since = record.time;
    state.quorum = available;
    update_window(group, record.time);
  }
}

void RecoveryCheck::on_end(Instant end) {
  for (GroupId group = 0; group < groups_.size(); ++group) {
    judge(group, end);
    const Group& state = groups_[group];
    if (!state.open) continue;
    // A leader still in place at the end lasted, unless its window is a livelock that the end
    // cut off: leaders were deposed in it without a fault, and this one had not yet led for the
    // bound. Its time would be a recovery that never happened, so the window counts as
    // unrecovered.
    const bool lasted =
        state.pending_since && (state.deposed == 0 || end - *state.pending_since >= bound_);
    if (lasted) {
      confirm_pending(group);
    } else if (state.after_fault && record_times_) {
      ++unrecovered_;
    }
  }
}

void RecoveryCheck::collect(CheckResults& results) const {
  results.recovery.insert(results.recovery.end(), recovery_.begin(), recovery_.end());
  results.unrecovered += unrecovered_;
  violations_.append_to(results);
}

void RecoveryCheck::apply_fault_event(const TraceRecord& record) {
  view_.apply(record);
  switch (record.kind) {
    case RecordKind::kCrash:
    case RecordKind::kRestart:
    case RecordKind::kPause:
    case RecordKind::kResume:
      links_.set_alive(record.node, record.kind == RecordKind::kRestart ||
                                        record.kind == RecordKind::kResume);
      break;
    case RecordKind::kLinkChange:
      links_.set_link(record.node, record.peer, record.a == 1);
      break;
    default:
      break;
  }
}

std::optional<RecoveryCheck::StableLeader> RecoveryCheck::find_stable_leader(
    GroupId group) const {
  if (model_ == ProgressModel::kNone) return find_stable_sides(group);
  const auto members = topology_->members(group);
  for (ProcessId member : members) followers_[member] = 0;
  uint32_t up = 0;
  for (ProcessId node : members) {
    const NodeView& follower = view_.node(node);
    if (follower.state != NodeState::kUp) continue;
    ++up;
    if (follower.role != NodeRole::kFollower || follower.leader >= view_.size()) continue;
    if (topology_->group_of(follower.leader) != group) continue;
    const NodeView& leader = view_.node(follower.leader);
    // A follower counts only if the leader can still reach it directly, both ways: a leader cut
    // off by a partition leads nobody, whatever its followers still believe.
    if (leader.role == NodeRole::kLeader && leader.epoch == follower.epoch &&
        links_.processes_two_way(follower.leader, node)) {
      ++followers_[follower.leader];
    }
  }
  const bool everyone = count_all_up_;
  for (ProcessId node : members) {
    const NodeView& leader = view_.node(node);
    if (leader.state != NodeState::kUp || leader.role != NodeRole::kLeader) continue;
    const uint32_t support = followers_[node] + 1;
    if (support < links_.majority(group)) continue;
    if (everyone && support < up) continue;
    return StableLeader{node, leader.epoch};  // two disjoint majorities cannot exist
  }
  return std::nullopt;
}

// O(members^2) per call: only algorithms without a quorum (small Bully groups) pay it.
std::optional<RecoveryCheck::StableLeader> RecoveryCheck::find_stable_sides(GroupId group) const {
  constexpr uint32_t kNoSide = UINT32_MAX;
  const auto members = topology_->members(group);
  for (ProcessId member : members) side_of_[member] = kNoSide;
  std::optional<StableLeader> found;
  uint64_t folded = 0;
  uint32_t sides = 0;
  // Members in descending id order: the first member met of each side is its highest.
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    const ProcessId highest = *it;
    if (view_.node(highest).state != NodeState::kUp || side_of_[highest] != kNoSide) continue;
    if (!side_is_led_by_highest(group, highest, sides++)) return std::nullopt;
    const uint64_t epoch = view_.node(highest).epoch;
    if (!found) {
      found = StableLeader{highest, epoch};
    } else {
      // Any injective-enough fold will do: it only tells one assignment of leaders from another.
      folded = folded * 1'000'003 + (uint64_t{highest} << 40 ^ epoch) + 1;
    }
  }
  if (found) found->other_sides = folded;
  return found;
}

bool RecoveryCheck::side_is_led_by_highest(GroupId group, ProcessId highest, uint32_t side) const {
  const auto members = topology_->members(group);
  side_.clear();
  side_.push_back(highest);
  side_of_[highest] = side;
  for (size_t next = 0; next < side_.size(); ++next) {
    for (ProcessId other : members) {
      if (side_of_[other] != UINT32_MAX || view_.node(other).state != NodeState::kUp) continue;
      if (!links_.processes_two_way(side_[next], other)) continue;
      side_of_[other] = side;
      side_.push_back(other);
    }
  }
  const NodeView& leader = view_.node(highest);
  if (leader.role != NodeRole::kLeader) return false;
  for (ProcessId member : side_) {
    if (member == highest) continue;
    const NodeView& follower = view_.node(member);
    if (follower.role != NodeRole::kFollower || follower.leader != highest ||
        follower.epoch != leader.epoch || !links_.processes_two_way(highest, member)) {
      return false;
    }
  }
  return true;
}

namespace {

// Whether `later`, recorded at the same instant as the fault event `blamed`, leaves the blame
// where it is. A link or clock change at the instant a fault starts or ends is that fault's
// doing, so a bridge partition is named as the bridge, not as the last of the links it cut
// ("cutting link n5->n3"). And a fault that ends at the instant another starts did not disrupt
// anything: the one that started is to blame.
bool keeps_blame(const TraceRecord& later, const TraceRecord& blamed) {
  if (later.time != blamed.time) return false;
  const bool is_boundary =
      blamed.kind == RecordKind::kFaultStart || blamed.kind == RecordKind::kFaultEnd;
  const bool is_effect =
      later.kind == RecordKind::kLinkChange || later.kind == RecordKind::kClockChange;
  if (is_boundary && is_effect) return true;
  return blamed.kind == RecordKind::kFaultStart && later.kind == RecordKind::kFaultEnd;
}

}  // namespace

void RecoveryCheck::note_fault(const TraceRecord& record) {
  // A stable leader that was still in place when this fault struck has lasted: the window it
  // ended is closed, before the fault changes anything.
  for (GroupId group = 0; group < groups_.size(); ++group) {
    if (groups_[group].pending_since) confirm_pending(group);
  }
  if (!any_fault_ || !keeps_blame(record, last_fault_)) last_fault_ = record;
  any_fault_ = true;
  std::string text;
  for (Group& state : groups_) {
    if (!state.open) continue;
    // A new fault while nobody leads gives the group a fresh bound from this fault.
    if (text.empty()) text = describe_fault_event(last_fault_, fault_labels_);
    state.reference = record.time;
    state.reference_text = text;
    state.after_fault = true;
    state.reported = false;
  }
}

void RecoveryCheck::update_window(GroupId group, Instant now) {
  Group& state = groups_[group];
  const std::optional<StableLeader> stable = find_stable_leader(group);
  const bool changed = stable != state.stable;
  const bool replaced = changed && stable && state.stable;
  state.stable = stable;
  if (changed && state.open && state.pending_since) {
    // The leader that appeared did not last until a fault: it does not close the window,
    // which is judged on from the same reference (a livelock never closes it).
    state.pending_since.reset();
    ++state.deposed;
    judge(group, now);
  }
  if (!state.quorum) {
    // Not judged while no quorum could make progress. Quorum is only ever lost at a fault
    // event, which has already confirmed any pending leader.
    state.open = false;
    state.pending_since.reset();
    return;
  }
  // A window opens when nobody leads stably, and also when one stable leader replaces another
  // with no instant between (followers that switch straight to a successor): both are a
  // leadership change that must be explained by a fault within the bound.
  if (!state.open && (!state.stable || replaced)) {
    open_window(group, now);
    judge(group, now);
  }
  if (state.open && state.stable && !state.pending_since) state.pending_since = now;
}

void RecoveryCheck::open_window(GroupId group, Instant now) {
  Group& state = groups_[group];
  state.open = true;
  state.opened_at = now;
  state.reported = false;
  state.pending_since.reset();
  state.deposed = 0;
  if (any_fault_ && last_fault_.time >= state.quorum_since) {
    state.reference = last_fault_.time;
    state.reference_text = describe_fault_event(last_fault_, fault_labels_);
  } else {
    state.reference = state.quorum_since;
    state.reference_text = any_fault_ ? absl::StrCat("a quorum became available at ",
                                                     format_instant_readable(state.quorum_since))
                                      : "the start of the run";
  }
  state.after_fault = any_fault_;
}

void RecoveryCheck::confirm_pending(GroupId group) {
  Group& state = groups_[group];
  SIM_CHECK(state.open && state.pending_since, "confirming a window with no pending leader");
  if (state.after_fault && record_times_) {
    const Duration time = *state.pending_since - state.reference;
    recovery_.push_back(time);
    group_recoveries_.push_back(GroupRecoveryTime{group, time, *state.pending_since});
  }
  state.open = false;
  state.pending_since.reset();
}

void RecoveryCheck::judge(GroupId group, Instant now) {
  Group& state = groups_[group];
  if (!state.open || state.pending_since || state.reported || !state.quorum) return;
  if (now - state.reference <= bound_ || now < judged_from_) return;
  state.reported = true;
  const Instant at = std::max({state.reference + bound_, state.opened_at, judged_from_});
  std::string detail =
      topology_->single_group() ? "" : absl::StrCat(Layout::group_name(group), ": ");
  if (state.opened_at > state.reference + bound_) {
    absl::StrAppend(&detail, "leadership was lost at ", format_instant_readable(state.opened_at),
                    " although nothing had failed since ", state.reference_text,
                    "; no stable leader within ", format_duration_readable(bound_));
  } else {
    absl::StrAppend(&detail, "no stable leader for ",
                    format_duration_readable(at - state.reference), " after ",
                    state.reference_text);
  }
  if (state.deposed > 0) {
    absl::StrAppend(&detail, " (", state.deposed,
                    state.deposed == 1 ? " leader was" : " leaders were",
                    " elected meanwhile but deposed without a fault)");
  }
  const std::vector<NodeId> quorum = links_.quorum(group);
  absl::StrAppend(&detail, model_ == ProgressModel::kGroupMajority ? ", quorum available ("
                                                                  : ", judged with (",
                  topology_->process_names(quorum), ")");
  Violation violation{name_, CheckKind::kEventually, at, quorum, 0, detail};
  violation.group = group;
  violations_.add(std::move(violation));
}

}  // namespace electsim::sim::checks
