// resource_never_goes_back, no_stale_write_accepted and writes_only_while_leading
// (sim/checks/fencing_checks.h).
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/checks/fencing_checks.h"
#include "sim/trace_records.h"

namespace electsim::sim::checks {
namespace {

// "g1.n2 (epoch 3, token 3)".
std::string describe_leadership(const Topology& topology, const LeadershipKey& leadership,
                                uint64_t token) {
  return absl::StrCat(topology.process_name(leadership.process), " (epoch ", leadership.epoch,
                      ", token ", token, ")");
}

GroupId checked_group(const Topology& topology, GroupId group) {
  SIM_CHECK_LT(group, topology.groups(), "a write for a group outside the layout");
  return group;
}

}  // namespace

// ---- resource_never_goes_back ----

ResourceNeverGoesBack::ResourceNeverGoesBack(std::shared_ptr<const Topology> topology,
                                             FencingMode mode)
    : topology_(std::move(topology)), mode_(mode), groups_(topology_->groups()) {}

void ResourceNeverGoesBack::on_record(const TraceRecord& record) {
  const ResourceWritten write = record.as<ResourceWritten>();
  if (!write.accepted) return;
  Highest& highest = groups_[checked_group(*topology_, write.group)];
  const LeadershipKey leadership{write.writer, write.epoch};
  if (!highest.any || write.token > highest.token) {
    highest.any = true;
    highest.token = write.token;
    highest.leadership = leadership;
    highest.time = record.time;
    return;
  }
  const bool lower = write.token < highest.token;
  const bool equal_from_another =
      mode_ == FencingMode::kOn && write.token == highest.token && leadership != highest.leadership;
  if (!lower && !equal_from_another) return;
  if (highest.reported_writer == leadership && highest.reported_highest == highest.leadership) {
    return;  // this leadership's writes behind that one were reported already
  }
  highest.reported_writer = leadership;
  highest.reported_highest = highest.leadership;
  Violation violation{
      "resource_never_goes_back", CheckKind::kAlways, record.time,
      {write.writer, highest.leadership.process}, std::max(write.epoch, highest.leadership.epoch),
      absl::StrCat("with fencing ", std::string(fencing_mode_name(mode_)),
                   " the resource accepted a write of ",
                   describe_leadership(*topology_, leadership, write.token), " at ",
                   format_instant_readable(record.time), " after accepting token ",
                   highest.token, " of ",
                   describe_leadership(*topology_, highest.leadership, highest.token), " at ",
                   format_instant_readable(highest.time),
                   lower ? ": it must refuse a lower token"
                         : ": it must refuse an equal token from another leadership")};
  violation.group = write.group;
  violations_.add(std::move(violation));
}

// ---- no_stale_write_accepted ----

NoStaleWriteAccepted::NoStaleWriteAccepted(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)), groups_(topology_->groups()) {}

Instant NoStaleWriteAccepted::elected_at(const LeadershipKey& leadership) const {
  const auto it = elected_.find(leadership);
  // A write of a leadership never reported is writes_only_while_leading's to report; here it
  // counts as the oldest of its epoch.
  return it == elected_.end() ? Instant::zero() : it->second;
}

bool NoStaleWriteAccepted::is_newer(const LeadershipKey& leadership, Instant elected,
                                    const Newest& newest) const {
  if (leadership.epoch != newest.leadership.epoch) {
    return leadership.epoch > newest.leadership.epoch;
  }
  return elected > newest.elected;
}

void NoStaleWriteAccepted::on_record(const TraceRecord& record) {
  if (record.kind == RecordKind::kBecameLeader) {
    const LeaderElected leader = record.as<LeaderElected>();
    elected_.try_emplace(LeadershipKey{leader.process, leader.epoch}, record.time);
    return;
  }
  const ResourceWritten write = record.as<ResourceWritten>();
  if (!write.accepted) {
    ++figures_.refused;
    return;
  }
  ++figures_.accepted;
  Newest& newest = groups_[checked_group(*topology_, write.group)];
  const LeadershipKey leadership{write.writer, write.epoch};
  const Instant elected = elected_at(leadership);
  if (!newest.any || is_newer(leadership, elected, newest)) {
    newest.any = true;
    newest.leadership = leadership;
    newest.elected = elected;
    newest.token = write.token;
    newest.first_accepted = record.time;
    return;
  }
  if (leadership == newest.leadership) return;
  count_stale(record, leadership, newest);
}

void NoStaleWriteAccepted::count_stale(const TraceRecord& record, const LeadershipKey& leadership,
                                       Newest& newest) {
  const ResourceWritten write = record.as<ResourceWritten>();
  ++figures_.stale_writes_accepted;
  const Duration after = record.time - newest.first_accepted;
  if (!figures_.first_stale_write) {
    figures_.first_stale_write =
        StaleWrite{write.writer,           write.group,  write.epoch,
                   write.token,            record.time,  newest.leadership.process,
                   newest.leadership.epoch, newest.token, after};
  }
  if (newest.reported_stale == leadership && newest.reported_newer == newest.leadership) return;
  newest.reported_stale = leadership;
  newest.reported_newer = newest.leadership;
  Violation violation{
      "no_stale_write_accepted", CheckKind::kAlways, record.time,
      {write.writer, newest.leadership.process}, std::max(write.epoch, newest.leadership.epoch),
      absl::StrCat("the resource accepted a write of ",
                   describe_leadership(*topology_, leadership, write.token), " at ",
                   format_instant_readable(record.time), ", ", format_duration_readable(after),
                   " after it first accepted a write of the newer leadership ",
                   describe_leadership(*topology_, newest.leadership, newest.token),
                   ": split-brain damage")};
  violation.group = write.group;
  violations_.add(std::move(violation));
}

void NoStaleWriteAccepted::collect(CheckResults& results) const {
  violations_.append_to(results);
  if (!results.writes) results.writes.emplace();
  results.writes->accepted += figures_.accepted;
  results.writes->refused += figures_.refused;
  results.writes->stale_writes_accepted += figures_.stale_writes_accepted;
  if (figures_.first_stale_write) results.writes->first_stale_write = figures_.first_stale_write;
}

// ---- writes_only_while_leading ----

WritesOnlyWhileLeading::WritesOnlyWhileLeading(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)), beliefs_(topology_->processes()) {}

KindMask WritesOnlyWhileLeading::kinds() const {
  return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kFollows) |
         mask_of(RecordKind::kSteppedDown) | mask_of(RecordKind::kCrash) |
         mask_of(RecordKind::kWriteSent);
}

void WritesOnlyWhileLeading::on_record(const TraceRecord& record) {
  if (record.kind == RecordKind::kWriteSent) {
    judge_write(record);
    return;
  }
  if (record.kind == RecordKind::kCrash) {  // a host record: its processes believe nothing now
    SIM_CHECK_LT(record.node, topology_->hosts(), "crash of a host outside the layout");
    for (ProcessId process : topology_->on_host(record.node)) {
      stop_leading(beliefs_[process], record.time);
    }
    return;
  }
  SIM_CHECK_LT(record.node, beliefs_.size(), "trace record for a process outside the layout");
  Belief& belief = beliefs_[record.node];
  if (record.kind == RecordKind::kBecameLeader) {
    const LeaderElected elected = record.as<LeaderElected>();
    belief = Belief{true, true, elected.epoch, elected.token, record.time, false};
  } else {
    stop_leading(belief, record.time);
  }
}

void WritesOnlyWhileLeading::stop_leading(Belief& belief, Instant at) {
  if (!belief.leading) return;
  belief.leading = false;
  belief.since = at;
  belief.reported = false;
}

void WritesOnlyWhileLeading::judge_write(const TraceRecord& record) {
  ++sent_;
  const WriteSent write = record.as<WriteSent>();
  SIM_CHECK_LT(write.writer, beliefs_.size(), "a write from a process outside the layout");
  Belief& belief = beliefs_[write.writer];
  const bool leads_it = belief.leading && belief.epoch == write.epoch &&
                        belief.token == write.token &&
                        topology_->group_of(write.writer) == write.group;
  if (leads_it || belief.reported) return;
  belief.reported = true;  // once until its belief changes: a stale writer sends many
  std::string why;
  if (belief.leading) {
    why = absl::StrCat("while it led epoch ", belief.epoch, " with token ", belief.token);
  } else if (!belief.ever_led) {
    why = "but it never led";
  } else {
    why = absl::StrCat("but it had stopped leading at ", format_instant_readable(belief.since));
  }
  Violation violation{
      "writes_only_while_leading", CheckKind::kAlways, record.time, {write.writer}, write.epoch,
      absl::StrCat(topology_->process_name(write.writer), " sent a write with token ",
                   write.token, " (epoch ", write.epoch, ") at ",
                   format_instant_readable(record.time), ", ", why)};
  violation.group = write.group;
  violations_.add(std::move(violation));
}

void WritesOnlyWhileLeading::collect(CheckResults& results) const {
  violations_.append_to(results);
  if (!results.writes) results.writes.emplace();
  results.writes->sent += sent_;
}

}  // namespace electsim::sim::checks
