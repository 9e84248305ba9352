// The `resign` fault: the targets' leaders are asked to give up leadership voluntarily, through
// Algorithm::on_resign_request (issue 11). It acts at one instant, as a heal does: its start and
// end are recorded together, and what each leader did is in its effect.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "faults/describe.h"
#include "faults/runner.h"

namespace electsim::faults {
namespace {

// The leading processes a target names: a leader role names that group's leader process (not
// every leader on its host); any other target names the hosts it resolves to, and every process
// on them that leads.
bool leaders_named(const sim::World& world, const Target& target, TargetResolver& resolver,
                   std::vector<sim::ProcessId>* leaders) {
  std::optional<sim::ProcessId> leader;
  if (target.kind == Target::Kind::kLeader) leader = world.current_leader();
  if (target.kind == Target::Kind::kLeaderOfGroup) leader = world.leader_of(target.group);
  if (target.kind == Target::Kind::kLeader || target.kind == Target::Kind::kLeaderOfGroup) {
    if (!leader) return resolver.fail("nobody leads");
    append_unique(leaders, *leader);
    return true;
  }
  std::vector<NodeId> hosts;
  if (!resolver.resolve(target, &hosts)) return false;
  const size_t before = leaders->size();
  for (NodeId host : hosts) {
    for (sim::ProcessId process : world.layout().on_host(host)) {
      if (world.leadership(process).role == sim::Role::kLeader) append_unique(leaders, process);
    }
  }
  if (leaders->size() == before) {
    return resolver.fail(absl::StrCat(node_names(hosts), hosts.size() == 1 ? " leads" : " lead",
                                      " nothing"));
  }
  return true;
}

}  // namespace

bool FaultRunner::fire_resign(size_t index, TargetResolver& resolver, FiredFault& fired) {
  const Fault& fault = plan_[index];
  std::vector<sim::ProcessId> leaders;
  for (const Target& target : fault.targets) {
    if (!leaders_named(world_, target, resolver, &leaders)) return false;
  }
  std::sort(leaders.begin(), leaders.end());
  std::vector<NodeId> hosts;
  std::vector<std::string> outcomes;  // named before acting, while their roles still show
  for (sim::ProcessId process : leaders) append_unique(&hosts, world_.host_of(process));
  for (sim::ProcessId process : leaders) {
    outcomes.push_back(node_with_role(world_, world_.host_of(process)));
  }
  in_force_[index].nodes = hosts;
  fired.nodes = hosts;
  begin(index, hosts);
  for (size_t i = 0; i < leaders.size(); ++i) {
    const sim::ProcessId process = leaders[i];
    if (world_.status(process) != sim::NodeStatus::kUp) {
      absl::StrAppend(&outcomes[i], " is paused and did not hear it");
    } else if (world_.request_resignation(process)) {
      absl::StrAppend(&outcomes[i], " resigned");
    } else {
      absl::StrAppend(&outcomes[i], " kept leading (its algorithm has no resignation)");
    }
  }
  fired.effect = absl::StrCat("resign: ", absl::StrJoin(outcomes, ", "));
  finish(index, "");
  return true;
}

}  // namespace electsim::faults
