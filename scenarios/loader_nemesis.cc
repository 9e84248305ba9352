// The `nemesis:` section: which random faults to draw from the seed, how often and how long.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "scenarios/loader_internal.h"
#include "scenarios/schema.h"
#include "scenarios/suggest.h"

namespace electsim::scenarios::loader {
namespace {

using faults::FaultKind;
using faults::NemesisKindSpec;

struct KindName {
  const char* name;
  FaultKind kind;
  faults::Trigger trigger = faults::Trigger::kNone;  // targeted kinds (faults/trigger_watch.h)
};
// In schema order, which is also the order of the specs produced, whatever order the file uses,
// so that reordering keys in a file does not change what a seed draws.
constexpr KindName kKinds[] = {
    {"crash", FaultKind::kCrash},           {"amnesia_crash", FaultKind::kAmnesiaCrash},
    {"pause", FaultKind::kPause},           {"partition", FaultKind::kPartition},
    {"link", FaultKind::kLinkFault},        {"clock_offset", FaultKind::kClockOffset},
    {"clock_drift", FaultKind::kClockDrift}, {"clock_jump", FaultKind::kClockJump},
    {"crash_after_vote", FaultKind::kCrash, faults::Trigger::kSupportGiven},
    {"amnesia_after_vote", FaultKind::kAmnesiaCrash, faults::Trigger::kSupportGiven},
    {"isolate_new_leader", FaultKind::kPartition, faults::Trigger::kLeaderElected},
    {"pause_new_leader", FaultKind::kPause, faults::Trigger::kLeaderElected},
    {"resign", FaultKind::kResign},
};

const std::vector<std::string>& shape_names() {
  static const std::vector<std::string>* const kShapes = new std::vector<std::string>{
      "isolate", "majority_minority", "bridge", "one_way", "ring", "groups"};
  return *kShapes;
}

std::vector<std::string> read_shapes(const Reader& reader, const Cursor& kind) {
  const auto list = reader.find(kind, "shapes");
  if (!list) return shape_names();
  std::vector<std::string> shapes;
  for (const Cursor& item : reader.items(*list, "a list of partition shapes")) {
    const std::string shape = reader.scalar(item, "a partition shape");
    const auto& known = shape_names();
    if (std::find(known.begin(), known.end(), shape) == known.end()) {
      reader.fail_value(item, unknown_name("partition shape", shape, known));
    }
    if (std::find(shapes.begin(), shapes.end(), shape) != shapes.end()) {
      reader.fail_value(item, absl::StrCat("shape '", shape, "' is listed twice"));
    }
    shapes.push_back(shape);
  }
  if (shapes.empty()) reader.fail_value(*list, "expected at least one shape, got an empty list");
  return shapes;
}

void read_link_kind(const Reader& reader, const Cursor& kind, NemesisKindSpec& spec) {
  if (auto at = reader.find(kind, "loss")) spec.loss = read_ratio(reader, *at);
  if (auto at = reader.find(kind, "duplication")) spec.duplication = read_ratio(reader, *at);
  if (auto at = reader.find(kind, "delay")) {
    spec.extra_latency = read_duration_range(reader, *at, Sign::kNonNegative);
  }
  if (spec.loss.is_zero() && spec.duplication.is_zero() &&
      spec.extra_latency.hi == sim::Duration::zero()) {
    reader.fail(kind, "a link nemesis must change something: give loss, duplication or delay");
  }
}

// Reads one kind; a partition kind gives one spec per shape, each drawn at the rate `every`.
void read_kind(const Reader& reader, const Cursor& kind, const KindName& name,
               std::vector<NemesisKindSpec>& specs) {
  reader.expect_schema_keys(kind);
  NemesisKindSpec spec{};
  spec.kind = name.kind;
  spec.trigger = name.trigger;
  spec.mean_interval = read_duration(reader, reader.require(kind, "every"), Sign::kPositive);
  if (find_key_doc(kind.schema_path + ".duration") != nullptr) {
    spec.duration = read_duration_range(reader, reader.require(kind, "duration"), Sign::kPositive);
  }
  switch (name.kind) {
    case FaultKind::kLinkFault: read_link_kind(reader, kind, spec); break;
    case FaultKind::kClockOffset:
      spec.clock_amount = read_duration_range(reader, reader.require(kind, "offset"), Sign::kAny);
      break;
    case FaultKind::kClockJump:
      spec.clock_amount = read_duration_range(reader, reader.require(kind, "jump"), Sign::kAny);
      break;
    case FaultKind::kClockDrift:
      spec.drift_ppm = read_int_range(reader, reader.require(kind, "drift_ppm"), -max_drift_ppm(),
                                      max_drift_ppm());
      break;
    default: break;
  }
  if (name.kind != FaultKind::kPartition || name.trigger != faults::Trigger::kNone) {
    specs.push_back(spec);
    return;
  }
  for (const std::string& shape : read_shapes(reader, kind)) {
    spec.shape = shape;
    specs.push_back(spec);
  }
}

// Refuses a nemesis that would draw more than faults::kMaxNemesisFaults on average over its
// window, at the `every` of the kind that draws the most, rather than drop faults silently.
void check_fault_count(const Reader& reader, const Cursor& kinds, sim::Duration window,
                       const std::vector<NemesisKindSpec>& specs) {
  double expected = 0;
  const NemesisKindSpec* busiest = nullptr;
  for (const NemesisKindSpec& spec : specs) {
    expected += static_cast<double>(window.ns()) / static_cast<double>(spec.mean_interval.ns());
    if (busiest == nullptr || spec.mean_interval < busiest->mean_interval) busiest = &spec;
  }
  if (expected <= static_cast<double>(faults::kMaxNemesisFaults)) return;
  std::string name;
  for (const KindName& kind : kKinds) {
    if (kind.kind == busiest->kind && kind.trigger == busiest->trigger) name = kind.name;
  }
  const Cursor site = reader.require(reader.require(kinds, name), "every");
  reader.fail_value(site,
                    absl::StrCat("the nemesis would draw about ",
                                 static_cast<uint64_t>(expected), " faults over its window of ",
                                 sim::format_duration(window), ", more than the ",
                                 faults::kMaxNemesisFaults,
                                 " a run may hold; draw them less often"));
}

void read_kinds(const Reader& reader, const Cursor& nemesis, faults::NemesisSpec& spec) {
  const auto kinds = reader.find(nemesis, "kinds");
  if (!kinds) {
    reader.fail(nemesis, "a nemesis needs kinds: at least one of crash, amnesia_crash, pause, "
                         "partition, link, clock_offset, clock_drift, clock_jump (or write "
                         "nemesis: null for none)");
  }
  reader.expect_schema_keys(*kinds);
  for (const KindName& name : kKinds) {
    if (auto kind = reader.find(*kinds, name.name)) read_kind(reader, *kind, name, spec.kinds);
  }
  if (spec.kinds.empty()) reader.fail(*kinds, "a nemesis needs at least one kind");
}

}  // namespace

std::optional<faults::NemesisSpec> read_nemesis(const Reader& reader, const Cursor& top,
                                                const sim::Layout& layout,
                                                sim::Duration duration) {
  const auto nemesis = reader.find(top, "nemesis");
  if (!nemesis) return std::nullopt;
  reader.expect_schema_keys(*nemesis);
  faults::NemesisSpec spec;
  if (auto at = reader.find(*nemesis, "start_after")) {
    spec.start_after = read_duration(reader, *at, Sign::kNonNegative);
  }
  if (auto at = reader.find(*nemesis, "quiet_period")) {
    spec.quiet_period = read_duration(reader, *at, Sign::kNonNegative);
  }
  if (spec.start_after + spec.quiet_period >= duration) {
    reader.fail(*nemesis, absl::StrCat("nemesis.start_after (", sim::format_duration(spec.start_after),
                                       ") plus nemesis.quiet_period (",
                                       sim::format_duration(spec.quiet_period),
                                       ") leave no time for faults in a run of ",
                                       sim::format_duration(duration)));
  }
  if (auto at = reader.find(*nemesis, "swarm")) spec.swarm = read_bool(reader, *at);
  if (auto at = reader.find(*nemesis, "max_concurrent_crashes")) {
    if (at->node.IsScalar() && at->node.Scalar() == "minority") {
      spec.max_concurrent_crashes = -1;
    } else {
      // Crashes and pauses act on hosts (every process of the host goes down).
      spec.max_concurrent_crashes = static_cast<int>(read_int(reader, *at, 0, layout.hosts()));
    }
  }
  read_kinds(reader, *nemesis, spec);
  check_fault_count(reader, reader.require(*nemesis, "kinds"),
                    duration - spec.quiet_period - spec.start_after, spec.kinds);
  return spec;
}

}  // namespace electsim::scenarios::loader
