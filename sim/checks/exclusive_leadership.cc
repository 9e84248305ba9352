#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/checks/leadership_checks.h"

namespace electsim::sim::checks {

ExclusiveLeadership::ExclusiveLeadership(std::shared_ptr<const Topology> topology,
                                         ExclusivityRule rule, Duration bound,
                                         std::string bound_formula,
                                         const std::vector<LocalClock>& initial_clocks)
    : topology_(std::move(topology)),
      rule_(rule),
      bound_(bound),
      bound_formula_(std::move(bound_formula)),
      hosts_(topology_->hosts(), bound * kExcuseWindowBounds, initial_clocks),
      leads_(topology_->processes()) {}

KindMask ExclusiveLeadership::kinds() const {
  return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kFollows) |
         mask_of(RecordKind::kSteppedDown) | HostClocks::kinds();
}

void ExclusiveLeadership::on_record(const TraceRecord& record) {
  if (is_host_record(record.kind)) {
    hosts_.apply(record);
    if (record.kind != RecordKind::kCrash) return;
    // A crashed host's processes believe nothing any more.
    for (ProcessId process : topology_->on_host(record.node)) end_leading(process, record.time);
    return;
  }
  SIM_CHECK_LT(record.node, leads_.size(), "trace record for a process outside the layout");
  if (record.kind == RecordKind::kBecameLeader) {
    begin_leading(record.node, record.a, record.time);
  } else {
    end_leading(record.node, record.time);
  }
}

void ExclusiveLeadership::begin_leading(NodeId node, uint64_t epoch, Instant at) {
  Lead& lead = leads_[node];
  if (lead.leading) {
    // A leader re-elected at a new epoch leads on without a gap; its open pairs go on.
    lead.epoch = epoch;
    return;
  }
  lead = Lead{true, epoch};
  // Only the members of its own group compete with it: O(group size).
  for (NodeId other : topology_->members(topology_->group_of(node))) {
    if (other == node || !leads_[other].leading) continue;
    OpenPair pair{other, node, at, Duration::zero()};
    // What happened to the deposed leader's host shortly before the successor came is excused
    // too: a clock stepped back then, or a pause, still delays the timers that were pending when
    // the overlap began, by as much as the step (so the window is a few bounds, not one).
    const Duration window = bound_ * kExcuseWindowBounds;
    const Instant from = at - std::min(window, at - Instant::zero());
    pair.excused_at_start = hosts_.excused_at(topology_->host_of(deposed(pair)), from);
    open_.push_back(pair);
  }
}

void ExclusiveLeadership::end_leading(NodeId node, Instant at) {
  if (!leads_[node].leading) return;
  auto involved = [node](const OpenPair& pair) { return pair.first == node || pair.second == node; };
  for (const OpenPair& pair : open_) {
    if (involved(pair)) close(pair, at);
  }
  std::erase_if(open_, involved);
  leads_[node].leading = false;
}

// The leader of the lower epoch is the one a successor deposed (the first to lead, on a tie).
NodeId ExclusiveLeadership::deposed(const OpenPair& pair) const {
  return leads_[pair.second].epoch < leads_[pair.first].epoch ? pair.second : pair.first;
}

void ExclusiveLeadership::close(const OpenPair& pair, Instant at) {
  const Duration length = at - pair.start;
  if (length <= Duration::zero()) return;
  const GroupId group = topology_->group_of(pair.first);
  if (overlaps_.size() < kMaxOverlaps) {
    overlaps_.push_back(Overlap{{pair.first, pair.second}, pair.start, length, group});
  } else {
    ++overlaps_dropped_;
  }
  if (rule_ == ExclusivityRule::kBounded) judge_bounded(pair, at, length);
  if (rule_ != ExclusivityRule::kStrict) return;
  const uint64_t first_epoch = leads_[pair.first].epoch;
  const uint64_t second_epoch = leads_[pair.second].epoch;
  Violation violation{
      "exclusive_leadership", CheckKind::kAlways, pair.start, {pair.first, pair.second},
      std::max(first_epoch, second_epoch),
      absl::StrCat(topology_->process_name(pair.first), " (epoch ", first_epoch, ") and ",
                   topology_->process_name(pair.second), " (epoch ", second_epoch,
                   ") both believed they led for ", format_duration_readable(length), " from ",
                   format_instant_readable(pair.start))};
  violation.group = group;
  violations_.add(std::move(violation));
}

void ExclusiveLeadership::judge_bounded(const OpenPair& pair, Instant at, Duration length) {
  const NodeId old_leader = deposed(pair);
  const NodeId successor = old_leader == pair.first ? pair.second : pair.first;
  const HostId host = topology_->host_of(old_leader);
  const Duration excused = hosts_.excused(host, at) - pair.excused_at_start;
  const Duration running = length - std::min(excused, length);
  const Duration bound = hosts_.stretched(host, bound_);
  if (running <= bound) return;
  std::string detail = absl::StrCat(
      topology_->process_name(old_leader), " (epoch ", leads_[old_leader].epoch,
      ") went on believing it led for ", format_duration_readable(length), " after ",
      topology_->process_name(successor), " (epoch ", leads_[successor].epoch,
      ") became leader at ", format_instant_readable(pair.start));
  if (excused > Duration::zero()) {
    absl::StrAppend(&detail, " (", format_duration_readable(running),
                    " of it running, after excusing ", format_duration_readable(excused),
                    " paused or clock stepped back)");
  }
  absl::StrAppend(&detail, ", longer than the algorithm's bound of ",
                  format_duration_readable(bound), " (", bound_formula_, ")");
  Violation violation{"bounded_exclusivity", CheckKind::kAlways, pair.start + bound,
                      {old_leader, successor},
                      std::max(leads_[old_leader].epoch, leads_[successor].epoch), detail};
  violation.group = topology_->group_of(old_leader);
  violations_.add(std::move(violation));
}

void ExclusiveLeadership::on_end(Instant end) {
  for (const OpenPair& pair : open_) close(pair, end);
  open_.clear();
  for (Lead& lead : leads_) lead.leading = false;
}

void ExclusiveLeadership::collect(CheckResults& results) const {
  results.overlaps.insert(results.overlaps.end(), overlaps_.begin(), overlaps_.end());
  results.overlaps_dropped += overlaps_dropped_;
  violations_.append_to(results);
}

}  // namespace electsim::sim::checks
