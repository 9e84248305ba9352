#include "scenarios/scenario_text.h"

#include <variant>

#include <yaml-cpp/yaml.h>

#include "absl/strings/str_cat.h"
#include "scenarios/loader_internal.h"
#include "sim/prng.h"
#include "sim/time.h"

namespace electsim::scenarios {
namespace {

std::string plural(size_t count, std::string_view one, std::string_view many) {
  return absl::StrCat(count, " ", std::string(count == 1 ? one : many));
}

std::string seed_text(const Scenario& scenario) {
  if (scenario.seed_first == scenario.seed_last) return absl::StrCat(scenario.seed_first);
  return absl::StrCat(scenario.seed_first, "..", scenario.seed_last);
}

void emit_latency(YAML::Emitter& out, const sim::LatencyModel& latency) {
  using Kind = sim::LatencyModel::Kind;
  out << YAML::Flow << YAML::BeginMap;
  switch (latency.kind) {
    case Kind::kConstant:
      out << YAML::Key << "distribution" << YAML::Value << "constant";
      out << YAML::Key << "value" << YAML::Value << sim::format_duration(latency.a);
      break;
    case Kind::kUniform:
      out << YAML::Key << "distribution" << YAML::Value << "uniform";
      out << YAML::Key << "min" << YAML::Value << sim::format_duration(latency.a);
      out << YAML::Key << "max" << YAML::Value << sim::format_duration(latency.b);
      break;
    case Kind::kNormal:
      out << YAML::Key << "distribution" << YAML::Value << "normal";
      out << YAML::Key << "mean" << YAML::Value << sim::format_duration(latency.a);
      out << YAML::Key << "stddev" << YAML::Value << sim::format_duration(latency.b);
      out << YAML::Key << "min" << YAML::Value << sim::format_duration(latency.min);
      if (latency.redraw_below_min) out << YAML::Key << "below_min" << YAML::Value << "redraw";
      break;
    case Kind::kExponential:
      out << YAML::Key << "distribution" << YAML::Value << "exponential";
      out << YAML::Key << "mean" << YAML::Value << sim::format_duration(latency.a);
      out << YAML::Key << "min" << YAML::Value << sim::format_duration(latency.min);
      break;
  }
  out << YAML::EndMap;
}

std::string host_name(sim::HostId host) { return absl::StrCat("h", host + 1); }

void emit_hosts(YAML::Emitter& out, const std::vector<sim::HostId>& hosts) {
  out << YAML::Flow << YAML::BeginSeq;
  for (const sim::HostId host : hosts) out << host_name(host);
  out << YAML::EndSeq;
}

void emit_groups(YAML::Emitter& out, const ClusterSpec& cluster) {
  using Placement = ClusterSpec::Placement;
  out << YAML::Key << "groups" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "count" << YAML::Value << cluster.group_count;
  if (cluster.members) out << YAML::Key << "members" << YAML::Value << *cluster.members;
  out << YAML::Key << "placement" << YAML::Value;
  switch (cluster.placement) {
    case Placement::kSpread: out << "spread"; break;
    case Placement::kPacked: out << "packed"; break;
    case Placement::kExplicit:
      out << YAML::BeginSeq;
      for (const auto& hosts : cluster.hosts_of_groups) emit_hosts(out, hosts);
      out << YAML::EndSeq;
      break;
  }
  out << YAML::EndMap;
}

// The cluster as the file wrote it: `nodes: N`, or hosts and what runs on them.
void emit_cluster(YAML::Emitter& out, const ClusterSpec& cluster) {
  out << YAML::Key << "cluster" << YAML::Value;
  if (cluster.nodes) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "nodes" << YAML::Value << *cluster.nodes
        << YAML::EndMap;
    return;
  }
  out << YAML::BeginMap;
  out << YAML::Key << "hosts" << YAML::Value << cluster.hosts;
  emit_groups(out, cluster);
  if (!cluster.service_hosts.empty()) {
    out << YAML::Key << "service" << YAML::Value;
    emit_hosts(out, cluster.service_hosts);
  }
  if (cluster.resource_host) {
    out << YAML::Key << "resource_host" << YAML::Value << host_name(*cluster.resource_host);
  }
  if (cluster.clients != 0) out << YAML::Key << "clients" << YAML::Value << cluster.clients;
  out << YAML::EndMap;
}

void emit_params(YAML::Emitter& out, const algorithms::Params& params) {
  out << YAML::BeginMap;
  for (const auto& [name, value] : params) {
    out << YAML::Key << name << YAML::Value;
    if (const auto* nodes = std::get_if<algorithms::NodeList>(&value)) {
      out << YAML::Flow << YAML::BeginSeq;
      for (const sim::NodeId node : *nodes) out << node_name(node);
      out << YAML::EndSeq;
    } else {
      out << algorithms::format_param(value);
    }
  }
  out << YAML::EndMap;
}

void emit_algorithm(YAML::Emitter& out, const Scenario& scenario) {
  out << YAML::Key << "algorithm" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << scenario.algorithm;
  out << YAML::Key << "params" << YAML::Value;
  emit_params(out, scenario.params);
  if (!scenario.params_for.empty()) {
    out << YAML::Key << "params_for" << YAML::Value << YAML::BeginMap;
    for (const auto& [algorithm, params] : scenario.params_for) {
      out << YAML::Key << algorithm << YAML::Value;
      emit_params(out, params);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void emit_network_and_clocks(YAML::Emitter& out, const Scenario& scenario) {
  const NetworkSpec& network = scenario.network;
  out << YAML::Key << "network" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "latency" << YAML::Value;
  emit_latency(out, network.latency);
  out << YAML::Key << "loss" << YAML::Value << sim::format_ratio(network.loss);
  out << YAML::Key << "duplication" << YAML::Value << sim::format_ratio(network.duplication);
  out << YAML::Key << "reorder" << YAML::Value << network.reorder;
  out << YAML::EndMap;
  const ClockSpec& clocks = scenario.clocks;
  out << YAML::Key << "clocks" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "drift_ppm" << YAML::Value
      << absl::StrCat(clocks.drift_ppm_min, "..", clocks.drift_ppm_max);
  out << YAML::Key << "max_offset" << YAML::Value << sim::format_duration(clocks.max_offset);
  out << YAML::EndMap;
}

void emit_checks(YAML::Emitter& out, const ChecksSpec& checks) {
  out << YAML::Key << "checks" << YAML::Value << YAML::BeginMap;
  if (checks.recovery_within) {
    out << YAML::Key << "recovery_within" << YAML::Value
        << sim::format_duration(*checks.recovery_within);
  }
  out << YAML::Key << "recovery_quorum" << YAML::Value
      << (checks.recovery_quorum == RecoveryQuorum::kAllUp ? "all_up" : "majority");
  if (checks.stable_leader_within) {
    out << YAML::Key << "stable_leader_within" << YAML::Value
        << sim::format_duration(*checks.stable_leader_within);
  }
  out << YAML::Key << "sometimes" << YAML::Value << YAML::Flow << checks.sometimes;
  if (checks.exclusive) {
    out << YAML::Key << "exclusive" << YAML::Value
        << std::string(sim::checks::exclusivity_rule_name(*checks.exclusive));
  }
  out << YAML::EndMap;
}

// The section as the file and the overrides give it, or nothing when it is absent or null.
void emit_section(YAML::Emitter& out, const YAML::Node& root, const char* key) {
  const YAML::Node section = root[key];
  if (!section.IsDefined() || section.IsNull()) return;
  out << YAML::Key << key << YAML::Value << section;
}

std::string emit(const Scenario& scenario, const YAML::Node& root) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "version" << YAML::Value << scenario.version;
  out << YAML::Key << "name" << YAML::Value << scenario.name;
  if (!scenario.description.empty()) {
    out << YAML::Key << "description" << YAML::Value << scenario.description;
  }
  emit_cluster(out, scenario.cluster);
  emit_algorithm(out, scenario);
  emit_network_and_clocks(out, scenario);
  if (scenario.resource) {
    out << YAML::Key << "resource" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
        << "fencing" << YAML::Value << std::string(sim::fencing_mode_name(scenario.resource->fencing))
        << YAML::Key << "write_every" << YAML::Value
        << sim::format_duration(scenario.resource->write_every) << YAML::EndMap;
  }
  out << YAML::Key << "duration" << YAML::Value << sim::format_duration(scenario.duration);
  emit_section(out, root, "faults");
  emit_section(out, root, "nemesis");
  emit_checks(out, scenario.checks);
  emit_section(out, root, "alerts");
  out << YAML::Key << "seeds" << YAML::Value << seed_text(scenario);
  out << YAML::EndMap;
  return absl::StrCat(out.c_str(), "\n");
}

}  // namespace

std::string check_summary(const Scenario& scenario) {
  const sim::Layout& layout = scenario.layout;
  const std::string cluster =
      layout.is_single_group()
          ? plural(scenario.nodes, "node", "nodes")
          : absl::StrCat(plural(layout.groups(), "group", "groups"), " on ",
                         plural(layout.hosts(), "host", "hosts"), " (",
                         plural(layout.processes(), "process", "processes"), ")");
  std::string line = absl::StrCat("ok: ", scenario.name, ", ", scenario.algorithm, ", ", cluster,
                                  ", ",
                                  sim::format_duration(scenario.duration), ", ",
                                  plural(scenario.faults.size(), "fault", "faults"));
  if (scenario.nemesis) {
    absl::StrAppend(&line, ", nemesis (",
                    plural(scenario.nemesis->kinds.size(), "kind", "kinds"), ")");
  }
  const bool one_seed = scenario.seed_first == scenario.seed_last;
  absl::StrAppend(&line, ", ", one_seed ? "seed " : "seeds ", seed_text(scenario));
  return line;
}

absl::StatusOr<std::string> resolved_scenario_yaml(const Scenario& scenario,
                                                   const std::string& source_text,
                                                   const LoadOptions& options) {
  try {
    YAML::Node root = YAML::Load(source_text);
    loader::apply_overrides(root, options);
    const YAML::Node& read_only = root;
    return emit(scenario, read_only);
  } catch (const loader::LoadError& error) {
    return absl::InvalidArgumentError(error.line);
  } catch (const YAML::Exception& error) {
    return absl::InternalError(absl::StrCat("writing the scenario: ", error.what()));
  }
}

}  // namespace electsim::scenarios
