#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sim/checks/leadership_checks.h"

namespace electsim::sim::checks {

ExclusiveLeadership::ExclusiveLeadership(uint32_t nodes, bool overlaps_are_violations)
    : strict_(overlaps_are_violations), leads_(nodes) {}

KindMask ExclusiveLeadership::kinds() const {
  return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kFollows) |
         mask_of(RecordKind::kSteppedDown) | mask_of(RecordKind::kCrash);
}

void ExclusiveLeadership::on_record(const TraceRecord& record) {
  SIM_CHECK(record.node < leads_.size(), "trace record for a node outside the cluster");
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
  for (NodeId other = 0; other < leads_.size(); ++other) {
    if (other == node || !leads_[other].leading) continue;
    open_.push_back(OpenPair{other, node, at, leads_[other].epoch, epoch});
  }
  lead = Lead{true, epoch};
}

void ExclusiveLeadership::end_leading(NodeId node, Instant at) {
  if (!leads_[node].leading) return;
  leads_[node].leading = false;
  auto involved = [node](const OpenPair& pair) { return pair.first == node || pair.second == node; };
  for (const OpenPair& pair : open_) {
    if (involved(pair)) close(pair, at);
  }
  std::erase_if(open_, involved);
}

void ExclusiveLeadership::close(const OpenPair& pair, Instant at) {
  const Duration length = at - pair.start;
  if (length <= Duration::zero()) return;
  if (overlaps_.size() < kMaxOverlaps) {
    overlaps_.push_back(Overlap{{pair.first, pair.second}, pair.start, length});
  } else {
    ++overlaps_dropped_;
  }
  if (!strict_) return;
  violations_.add(Violation{
      "exclusive_leadership", CheckKind::kAlways, pair.start, {pair.first, pair.second},
      std::max(pair.first_epoch, pair.second_epoch),
      absl::StrCat(node_name(pair.first), " (epoch ", pair.first_epoch, ") and ",
                   node_name(pair.second), " (epoch ", pair.second_epoch,
                   ") both believed they led for ", format_duration_readable(length), " from ",
                   format_instant_readable(pair.start))});
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
