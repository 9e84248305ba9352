#include "sim/checks/recovery_check.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace electsim::sim::checks {

RecoveryCheck::RecoveryCheck(uint32_t nodes, Duration bound, bool count_all_up, std::string name,
                             bool record_times, Instant judged_from)
    : view_(nodes),
      links_(nodes),
      bound_(bound),
      count_all_up_(count_all_up),
      name_(std::move(name)),
      record_times_(record_times),
      judged_from_(judged_from),
      followers_(nodes) {
  SIM_CHECK(bound > Duration::zero(), "the recovery bound must be positive");
  quorum_ = links_.quorum_available();
  // Every node boots at time zero with no leader: the initial election is the first window.
  if (quorum_) open_window(Instant::zero());
}

KindMask RecoveryCheck::kinds() const { return ClusterView::kinds() | fault_event_kinds(); }

void RecoveryCheck::on_record(const TraceRecord& record) {
  judge(record.time);
  if (is_fault_event(record)) note_fault(record);
  apply(record);
  update_window(record.time);
}

void RecoveryCheck::on_end(Instant end) {
  judge(end);
  if (!open_) return;
  // A leader still in place at the end lasted, unless its window is a livelock that the end cut
  // off: leaders were deposed in it without a fault, and this one had not yet led for the bound.
  // Its time would be a recovery that never happened, so the window counts as unrecovered.
  const bool lasted = pending_since_ && (deposed_ == 0 || end - *pending_since_ >= bound_);
  if (lasted) {
    confirm_pending();
  } else if (after_fault_ && record_times_) {
    ++unrecovered_;
  }
}

void RecoveryCheck::collect(CheckResults& results) const {
  results.recovery.insert(results.recovery.end(), recovery_.begin(), recovery_.end());
  results.unrecovered += unrecovered_;
  violations_.append_to(results);
}

void RecoveryCheck::apply(const TraceRecord& record) {
  view_.apply(record);
  switch (record.kind) {
    case RecordKind::kCrash:
    case RecordKind::kRestart:
    case RecordKind::kPause:
    case RecordKind::kResume:
      links_.set_alive(record.node, view_.node(record.node).state == NodeState::kUp);
      break;
    case RecordKind::kLinkChange:
      links_.set_link(record.node, record.peer, record.a == 1);
      break;
    default:
      break;
  }
  const bool available = links_.quorum_available();
  if (available && !quorum_) quorum_since_ = record.time;
  quorum_ = available;
}

std::optional<RecoveryCheck::StableLeader> RecoveryCheck::find_stable_leader() const {
  const uint32_t nodes = view_.size();
  std::fill(followers_.begin(), followers_.end(), 0);
  uint32_t up = 0;
  for (NodeId node = 0; node < nodes; ++node) {
    const NodeView& follower = view_.node(node);
    if (follower.state != NodeState::kUp) continue;
    ++up;
    if (follower.role != NodeRole::kFollower || follower.leader >= nodes) continue;
    const NodeView& leader = view_.node(follower.leader);
    // A follower counts only if the leader can still reach it directly, both ways: a leader cut
    // off by a partition leads nobody, whatever its followers still believe.
    if (leader.role == NodeRole::kLeader && leader.epoch == follower.epoch &&
        links_.two_way(follower.leader, node)) {
      ++followers_[follower.leader];
    }
  }
  for (NodeId node = 0; node < nodes; ++node) {
    const NodeView& leader = view_.node(node);
    if (leader.state != NodeState::kUp || leader.role != NodeRole::kLeader) continue;
    const uint32_t support = followers_[node] + 1;
    if (support < links_.majority() || (count_all_up_ && support < up)) continue;
    return StableLeader{node, leader.epoch};  // two disjoint majorities cannot exist
  }
  return std::nullopt;
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
  if (pending_since_) confirm_pending();
  if (!any_fault_ || !keeps_blame(record, last_fault_)) last_fault_ = record;
  any_fault_ = true;
  if (open_) {
    // A new fault while nobody leads gives the cluster a fresh bound from this fault.
    reference_ = record.time;
    reference_text_ = describe_fault_event(last_fault_, fault_labels_);
    after_fault_ = true;
    reported_ = false;
  }
}

void RecoveryCheck::update_window(Instant now) {
  const std::optional<StableLeader> stable = find_stable_leader();
  const bool changed = stable != stable_;
  const bool replaced = changed && stable && stable_;
  stable_ = stable;
  if (changed && open_ && pending_since_) {
    // The leader that appeared did not last until a fault: it does not close the window,
    // which is judged on from the same reference (a livelock never closes it).
    pending_since_.reset();
    ++deposed_;
    judge(now);
  }
  if (!quorum_) {
    // Not judged while no quorum could make progress. Quorum is only ever lost at a fault
    // event, which has already confirmed any pending leader.
    open_ = false;
    pending_since_.reset();
    return;
  }
  // A window opens when nobody leads stably, and also when one stable leader replaces another
  // with no instant between (followers that switch straight to a successor): both are a
  // leadership change that must be explained by a fault within the bound.
  if (!open_ && (!stable_ || replaced)) {
    open_window(now);
    judge(now);
  }
  if (open_ && stable_ && !pending_since_) pending_since_ = now;
}

void RecoveryCheck::open_window(Instant now) {
  open_ = true;
  opened_at_ = now;
  reported_ = false;
  pending_since_.reset();
  deposed_ = 0;
  if (any_fault_ && last_fault_.time >= quorum_since_) {
    reference_ = last_fault_.time;
    reference_text_ = describe_fault_event(last_fault_, fault_labels_);
  } else {
    reference_ = quorum_since_;
    reference_text_ = any_fault_ ? absl::StrCat("a quorum became available at ",
                                                format_instant_readable(quorum_since_))
                                 : "the start of the run";
  }
  after_fault_ = any_fault_;
}

void RecoveryCheck::confirm_pending() {
  SIM_CHECK(open_ && pending_since_, "confirming a window with no pending leader");
  if (after_fault_ && record_times_) recovery_.push_back(*pending_since_ - reference_);
  open_ = false;
  pending_since_.reset();
}

void RecoveryCheck::judge(Instant now) {
  if (!open_ || pending_since_ || reported_ || !quorum_) return;
  if (now - reference_ <= bound_ || now < judged_from_) return;
  reported_ = true;
  const Instant at = std::max({reference_ + bound_, opened_at_, judged_from_});
  std::string detail;
  if (opened_at_ > reference_ + bound_) {
    detail = absl::StrCat("leadership was lost at ", format_instant_readable(opened_at_),
                          " although nothing had failed since ", reference_text_,
                          "; no stable leader within ", format_duration_readable(bound_));
  } else {
    detail = absl::StrCat("no stable leader for ", format_duration_readable(at - reference_), " after ",
                          reference_text_);
  }
  if (deposed_ > 0) {
    absl::StrAppend(&detail, " (", deposed_, deposed_ == 1 ? " leader was" : " leaders were",
                    " elected meanwhile but deposed without a fault)");
  }
  const std::vector<NodeId> quorum = links_.quorum();
  absl::StrAppend(&detail, ", quorum available (", node_names(quorum), ")");
  violations_.add(Violation{name_, CheckKind::kEventually, at, quorum, 0, detail});
}

}  // namespace electsim::sim::checks
