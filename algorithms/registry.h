// The registry of election algorithms by name (DESIGN.md, "The outside contract"), each with its
// parameters typed, defaulted and documented so that `electsim list` can print them and the
// scenario loader can check them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/algorithm.h"
#include "sim/fencing.h"
#include "sim/checks/profile.h"
#include "sim/prng.h"
#include "sim/time.h"

namespace electsim::algorithms {

enum class ParamType : uint8_t {
  kBool,           // true / false
  kInt,            // a non-negative integer
  kDuration,       // 150ms
  kDurationRange,  // 150ms..300ms (a single duration means lo == hi)
  kRatio,          // 0.01, 1%, 1/100
  kNodeList,       // node names: [n1, n3] (n1 is node id 0); "" or [] is the empty list
};
std::string_view param_type_name(ParamType type);

using NodeList = std::vector<sim::NodeId>;
using ParamValue =
    std::variant<bool, int64_t, sim::Duration, sim::DurationRange, sim::Ratio, NodeList>;

struct ParamSpec {
  std::string name;
  ParamType type;
  // The default as the user would write it; empty means "derived from other parameters" and
  // the algorithm's resolve step fills it in (for example Raft's heartbeat_interval).
  std::string default_text;
  std::string doc;
  // Inclusive bounds for kInt (and for the nanoseconds of durations), checked by the loader.
  int64_t min = 0;
  int64_t max = INT64_MAX;
  // A duration that sets how often a timer fires (an election timeout, a heartbeat). The
  // smallest one bounds how many events a run needs, which the scenario's budget is checked
  // against before it runs.
  bool is_timer = false;
};

// The shortest timer an algorithm may ask for: below a microsecond no real system times an
// election, and every firing costs simulated events (issue 7: `election_timeout: 2ns..3ns`
// grew to 3.5 GB).
inline constexpr int64_t kMinTimerNanos = 1'000;

// Parameter values by name, after defaults are applied: every spec has a value.
using Params = std::map<std::string, ParamValue, std::less<>>;

// Parses one value written as text (a YAML scalar, or a --set value). Node lists accept
// "[n1, n3]", "n1,n3", "1,3" (1-based) and "" for none; `nodes` bounds the node ids.
absl::StatusOr<ParamValue> parse_param(const ParamSpec& spec, std::string_view text,
                                       uint32_t nodes);
std::string format_param(const ParamValue& value);

struct AlgorithmInfo {
  std::string name;
  std::string summary;
  std::vector<ParamSpec> params;
  // Fills derived defaults and checks relations between parameters (for example that the
  // heartbeat interval is below the minimum election timeout). Errors name the parameter.
  std::function<absl::Status(Params& params, uint32_t nodes)> resolve;
  // Builds the factory for a world of `nodes` nodes from resolved parameters.
  std::function<std::unique_ptr<sim::AlgorithmFactory>(const Params& params, uint32_t nodes)>
      make_factory;
  // The fenced resource a run with this algorithm writes to. Unset (every built-in algorithm):
  // the built-in resource (algorithms/resource/). A test-only algorithm sets it to bring a
  // broken resource (tests/algorithms/), so the fencing checks can be shown to catch one.
  std::function<std::unique_ptr<sim::AlgorithmFactory>(sim::FencingMode mode)>
      make_resource_factory;
  // What the checks hold the algorithm to (sim/checks/profile.h): `profile` as `electsim list`
  // shows it (the bound's formula, not a value), and `resolve_profile`, if set, the profile for
  // resolved parameters (the rule chosen and the bound computed, e.g. Raft's with check_quorum).
  sim::checks::CheckProfile profile;
  std::function<sim::checks::CheckProfile(const Params& params)> resolve_profile;
};

// The profile the checks use for a run with these resolved parameters.
sim::checks::CheckProfile profile_for(const AlgorithmInfo& info, const Params& params);

// Every algorithm that is built in, in the order `electsim list` prints them.
const std::vector<AlgorithmInfo>& registry();
// nullptr if unknown. Looks at the built-in algorithms, then at those registered for tests.
const AlgorithmInfo* find_algorithm(std::string_view name);

// Adds an algorithm that only tests use (tests/algorithms/): find_algorithm finds it, so a
// scenario or --algorithm can name it, but registry() and `electsim list` do not show it. A name
// already registered is replaced. Not thread-safe: register before any run starts. Pointers from
// find_algorithm stay valid.
void register_algorithm_for_tests(AlgorithmInfo info);
// The names of algorithms in DESIGN.md's contract that are not implemented yet.
std::vector<std::string> planned_algorithms();

// Applies defaults for every parameter not in `given` (which holds already-parsed values), then
// runs the algorithm's resolve step.
absl::StatusOr<Params> resolve_params(const AlgorithmInfo& info, Params given, uint32_t nodes);

template <class T>
const T& get(const Params& params, std::string_view name) {
  auto it = params.find(name);
  SIM_CHECK(it != params.end(), "missing parameter");
  return std::get<T>(it->second);
}

}  // namespace electsim::algorithms
