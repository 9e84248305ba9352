#include "absl/strings/str_cat.h"
#include "sim/checks/leadership_checks.h"

namespace electsim::sim::checks {

void OneLeaderPerEpoch::on_record(const TraceRecord& record) {
  ++leader_changes_;
  const uint64_t epoch = record.a;
  if (forgot_any_ && epoch <= forgotten_below_) {
    ++unjudged_claims_;
    return;
  }
  auto [it, inserted] = claims_.try_emplace(epoch, Claim{record.node, record.time});
  if (!inserted && it->second.node != record.node) {
    const Claim& first = it->second;
    const std::vector<NodeId> both = {first.node, record.node};
    violations_.add(Violation{
        "one_leader_per_epoch", CheckKind::kAlways, record.time, both, epoch,
        absl::StrCat(node_name(record.node), " became leader of epoch ", epoch, " at ",
                     format_instant_readable(record.time), ", but ", node_name(first.node),
                     " already led that epoch (since ", format_instant_readable(first.time), ")")});
  }
  if (claims_.size() > kMaxRememberedEpochs) {
    forgot_any_ = true;
    forgotten_below_ = claims_.begin()->first;
    claims_.erase(claims_.begin());
  }
}

void OneLeaderPerEpoch::collect(CheckResults& results) const {
  results.leader_changes += leader_changes_;
  violations_.append_to(results);
}

}  // namespace electsim::sim::checks
