#include "sim/checks/leadership_watch.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/check.h"

namespace electsim::sim::checks {

LeadershipWatch::LeadershipWatch(std::shared_ptr<const Layout> layout, AlertRules rules)
    : layout_(std::move(layout)),
      rules_(rules),
      leading_(layout_->processes()),
      groups_(layout_->groups()) {
  figures_.layout = layout_;
}

void LeadershipWatch::on_record(const TraceRecord& record) {
  if (is_fault_event(record)) {
    if (!first_fault_) first_fault_ = record.time;
    return;
  }
  if ((fault_event_kinds() & mask_of(record.kind)) != 0) return;  // the clocks' setup at zero
  SIM_CHECK_LT(record.node, leading_.size(), "leadership outside the layout");
  if (layout_->process(record.node).group == kNoGroup) return;
  if (record.kind == RecordKind::kBecameLeader) {
    begin_leading(record.node, record.time);
  } else {
    end_leading(record.node, record.time);
  }
}

void LeadershipWatch::begin_leading(ProcessId process, Instant at) {
  // Every leader elected counts as a change, a leader re-elected in a new epoch too: the same
  // events electsim_leader_changes_total counts.
  leader_elected(at);
  if (leading_[process] != 0) return;
  leading_[process] = 1;
  const GroupId id = layout_->process(process).group;
  GroupState& group = groups_[id];
  if (group.leaders == 0) leaderless_ended(id, group.since, at, /*run_ended=*/false);
  account(group, at);
  ++group.leaders;
}

void LeadershipWatch::end_leading(ProcessId process, Instant at) {
  if (leading_[process] == 0) return;
  leading_[process] = 0;
  GroupState& group = groups_[layout_->process(process).group];
  account(group, at);
  --group.leaders;
}

void LeadershipWatch::account(GroupState& group, Instant at) {
  if (group.leaders == 0) {
    figures_.leaderless += at - group.since;
    if (first_fault_ && *first_fault_ < at) {
      figures_.leaderless_since_first_fault += at - std::max(group.since, *first_fault_);
    }
  }
  if (group.leaders >= 2) figures_.overlap += at - group.since;
  group.since = at;
}

// The sliding window of leader_changes: the rule holds at `at` when the last more_than + 1
// elections all fall within (at - within, at]. Between elections it can only turn false, so it
// was true all the time since the previous election exactly when it still held just before this
// one; a firing is a change from false to true.
void LeadershipWatch::leader_elected(Instant at) {
  if (!rules_.leader_changes) return;
  const LeaderChangesRule& rule = *rules_.leader_changes;
  const auto holds = [&](const std::deque<Instant>& times) {
    return times.size() == rule.more_than + 1 && at - times.front() < rule.within;
  };
  const bool held_before = holds(recent_elections_);
  recent_elections_.push_back(at);
  if (recent_elections_.size() > rule.more_than + 1) recent_elections_.pop_front();
  if (held_before || !holds(recent_elections_)) return;
  ++figures_.leader_changes_fired;
  fire(FiredAlert{std::string(kLeaderChangesAlert), at, kNoGroup,
                  absl::StrCat(rule.more_than + 1, " leaders elected within ",
                               format_duration(at - recent_elections_.front()), " (from ",
                               format_instant_readable(recent_elections_.front()), "), more than ",
                               rule.more_than, " within ", format_duration(rule.within))});
}

void LeadershipWatch::leaderless_ended(GroupId group, Instant start, Instant end,
                                       bool run_ended) {
  if (!rules_.leaderless_longer_than) return;
  const Duration bound = *rules_.leaderless_longer_than;
  if (end - start <= bound) return;
  ++figures_.leaderless_fired;
  const std::string who =
      layout_->is_single_group() ? "no leader" : absl::StrCat(Layout::group_name(group),
                                                              " had no leader");
  const std::string until = run_ended ? absl::StrCat("until the run ended at ",
                                                     format_instant_readable(end))
                                      : absl::StrCat("to ", format_instant_readable(end));
  fire(FiredAlert{std::string(kLeaderlessAlert), start + bound, group,
                  absl::StrCat(who, " from ", format_instant_readable(start), " ", until, " (",
                               format_duration_readable(end - start), ", longer than ",
                               format_duration(bound), ")")});
}

void LeadershipWatch::fire(FiredAlert alert) {
  if (figures_.alerts.size() >= kMaxAlerts) {
    ++figures_.alerts_omitted;
    return;
  }
  figures_.alerts.push_back(std::move(alert));
}

void LeadershipWatch::on_end(Instant end) {
  for (GroupId id = 0; id < groups_.size(); ++id) {
    GroupState& group = groups_[id];
    if (group.leaders == 0) leaderless_ended(id, group.since, end, /*run_ended=*/true);
    account(group, end);
  }
  for (ProcessId process = 0; process < leading_.size(); ++process) {
    if (leading_[process] != 0) figures_.leading_at_end.push_back(process);
  }
  // Leaderless firings are found when the period ends, after later leader_changes firings.
  std::stable_sort(figures_.alerts.begin(), figures_.alerts.end(),
                   [](const FiredAlert& a, const FiredAlert& b) {
                     return std::tie(a.time, a.group) < std::tie(b.time, b.group);
                   });
}

}  // namespace electsim::sim::checks
