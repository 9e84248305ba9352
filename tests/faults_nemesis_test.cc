// The nemesis (draw_nemesis_plan): plans are a function of the seed, stay inside their window,
// never take more than the allowed number of nodes out at once, and leave the cluster whole when
// the quiet period begins.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "faults/injector.h"
#include "tests/faults_test_support.h"

namespace electsim::faults {
namespace {

using namespace electsim::faults::testing;  // NOLINT: test vocabulary

NemesisKindSpec kind_spec(FaultKind kind, int64_t mean_interval_ms, int64_t lo_ms, int64_t hi_ms,
                          std::string shape = "") {
  NemesisKindSpec spec;
  spec.kind = kind;
  spec.shape = std::move(shape);
  spec.mean_interval = ms(mean_interval_ms);
  spec.duration = sim::DurationRange{ms(lo_ms), ms(hi_ms)};
  return spec;
}

// Every kind the nemesis draws, with rates that give several faults of each in 10s.
NemesisSpec busy_spec() {
  NemesisSpec spec;
  spec.kinds = {
      kind_spec(FaultKind::kCrash, 1500, 200, 1500),
      kind_spec(FaultKind::kAmnesiaCrash, 3000, 200, 1000),
      kind_spec(FaultKind::kPause, 1500, 50, 800),
      kind_spec(FaultKind::kPartition, 2000, 300, 2000, "isolate"),
      kind_spec(FaultKind::kPartition, 2000, 300, 2000, "majority_minority"),
      kind_spec(FaultKind::kPartition, 3000, 300, 2000, "bridge"),
      kind_spec(FaultKind::kPartition, 3000, 300, 2000, "ring"),
      kind_spec(FaultKind::kPartition, 3000, 300, 2000, "one_way"),
      kind_spec(FaultKind::kPartition, 3000, 300, 2000, "groups"),
      kind_spec(FaultKind::kPartition, 3000, 300, 2000, "links"),
      kind_spec(FaultKind::kLinkFault, 2000, 100, 1000),
      kind_spec(FaultKind::kClockDrift, 4000, 0, 0),
      kind_spec(FaultKind::kClockOffset, 4000, 0, 0),
  };
  spec.kinds[10].loss = sim::Ratio{1, 10};
  spec.kinds[10].extra_latency = sim::DurationRange{ms(5), ms(50)};
  spec.kinds[11].drift_ppm = {-200, 200};
  spec.kinds[12].clock_amount = sim::DurationRange{ms(-100), ms(100)};
  spec.start_after = Duration::seconds(1);
  spec.quiet_period = Duration::seconds(3);
  return spec;
}

std::string dump(const std::vector<Fault>& plan) {
  std::string text;
  for (const Fault& fault : plan) {
    absl::StrAppend(&text, fault_kind_name(fault.kind), " ", fault.at.lo.ns(), " ",
                    fault.duration ? fault.duration->hi.ns() : -1, " ", fault.drift_ppm, " ",
                    fault.clock_amount.ns(), " ", fault.label, "\n");
  }
  return text;
}

bool takes_a_node_out(FaultKind kind) {
  return kind == FaultKind::kCrash || kind == FaultKind::kAmnesiaCrash || kind == FaultKind::kPause;
}

// The most process faults whose [start, end] intervals share an instant.
int peak_nodes_out(const std::vector<Fault>& plan) {
  int peak = 0;
  for (const Fault& fault : plan) {
    if (!takes_a_node_out(fault.kind)) continue;
    const Duration instant = fault.at.lo;
    int running = 0;
    for (const Fault& other : plan) {
      if (!takes_a_node_out(other.kind)) continue;
      if (other.at.lo <= instant && other.at.lo + other.duration->hi >= instant) ++running;
    }
    peak = std::max(peak, running);
  }
  return peak;
}

TEST(Nemesis, SameSeedGivesTheSamePlanAndOtherSeedsDiffer) {
  const NemesisSpec spec = busy_spec();
  std::vector<std::string> enabled_a;
  std::vector<std::string> enabled_b;
  const auto a = draw_nemesis_plan(spec, 5, Duration::seconds(10), 42, &enabled_a);
  const auto b = draw_nemesis_plan(spec, 5, Duration::seconds(10), 42, &enabled_b);
  ASSERT_GT(a.size(), 10u);
  EXPECT_EQ(dump(a), dump(b));
  EXPECT_EQ(enabled_a, enabled_b);
  EXPECT_EQ(enabled_a.size(), spec.kinds.size());  // no swarm: every kind
  EXPECT_NE(dump(a), dump(draw_nemesis_plan(spec, 5, Duration::seconds(10), 43, nullptr)));
}

TEST(Nemesis, PlansAreSortedLabelledAndInsideTheirWindow) {
  const NemesisSpec spec = busy_spec();
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const auto plan = draw_nemesis_plan(spec, 5, Duration::seconds(10), seed, nullptr);
    for (size_t i = 0; i < plan.size(); ++i) {
      const Fault& fault = plan[i];
      EXPECT_FALSE(fault.label.empty());
      EXPECT_EQ(fault.at.lo, fault.at.hi);
      EXPECT_GT(fault.at.lo, spec.start_after);
      const Duration end = fault.at.lo + (fault.duration ? fault.duration->hi : Duration::zero());
      EXPECT_LE(end, Duration::seconds(7)) << fault.label;
      if (i > 0) {
        EXPECT_LE(plan[i - 1].at.lo, fault.at.lo);
      }
      // Clock skew stays through the quiet period; everything else has an end.
      const bool clock =
          fault.kind == FaultKind::kClockDrift || fault.kind == FaultKind::kClockOffset;
      EXPECT_EQ(fault.duration.has_value(), !clock) << fault.label;
    }
  }
}

TEST(Nemesis, NeverTakesMoreThanTheAllowedNodesOutAtOnce) {
  NemesisSpec spec = busy_spec();
  // Dense enough that overlaps would exceed the limit if nothing stopped them.
  spec.kinds = {kind_spec(FaultKind::kCrash, 200, 500, 1500),
                kind_spec(FaultKind::kPause, 200, 500, 1500)};
  for (const int limit : {-1, 1, 3}) {
    spec.max_concurrent_crashes = limit;
    const int allowed = limit < 0 ? 2 : limit;  // a minority of 5
    int reached = 0;
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      const auto plan = draw_nemesis_plan(spec, 5, Duration::seconds(10), seed, nullptr);
      const int peak = peak_nodes_out(plan);
      EXPECT_LE(peak, allowed) << "seed " << seed;
      reached = std::max(reached, peak);
    }
    EXPECT_EQ(reached, allowed);  // the limit, not luck, kept the peak down
  }
}

TEST(Nemesis, SwarmEnablesDifferentKindsPerSeed) {
  NemesisSpec spec = busy_spec();
  spec.swarm = true;
  std::set<std::vector<std::string>> seen;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    std::vector<std::string> enabled;
    const auto plan = draw_nemesis_plan(spec, 5, Duration::seconds(10), seed, &enabled);
    EXPECT_FALSE(enabled.empty());
    EXPECT_LT(enabled.size(), spec.kinds.size() + 1);
    seen.insert(enabled);
  }
  EXPECT_GE(seen.size(), 10u);
}

TEST(Nemesis, AKindDrawsTheSameFaultsWhicheverOtherKindsAreEnabled) {
  NemesisSpec spec = busy_spec();
  spec.kinds = {kind_spec(FaultKind::kPartition, 1000, 100, 500, "isolate"),
                kind_spec(FaultKind::kLinkFault, 1000, 100, 500)};
  auto only = [](const std::vector<Fault>& plan, FaultKind kind) {
    std::vector<Fault> kept;
    for (const Fault& fault : plan) {
      if (fault.kind == kind) kept.push_back(fault);
    }
    return kept;
  };
  NemesisSpec swarm = spec;
  swarm.swarm = true;
  int compared = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    std::vector<std::string> enabled;
    const auto full = draw_nemesis_plan(spec, 5, Duration::seconds(10), seed, nullptr);
    const auto swarmed = draw_nemesis_plan(swarm, 5, Duration::seconds(10), seed, &enabled);
    if (std::find(enabled.begin(), enabled.end(), "partition isolate") == enabled.end()) continue;
    EXPECT_EQ(dump(only(full, FaultKind::kPartition)), dump(only(swarmed, FaultKind::kPartition)));
    ++compared;
  }
  EXPECT_GT(compared, 0);
}

TEST(Nemesis, EverythingIsHealedWhenTheQuietPeriodBegins) {
  const NemesisSpec spec = busy_spec();
  int fired = 0;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    Cluster cluster(5, /*reports_leadership=*/true, seed);
    cluster.inject(draw_nemesis_plan(spec, 5, Duration::seconds(10), seed, nullptr), seed);
    cluster.run_to_ms(7000);
    const sim::World& world = cluster.world();
    for (sim::NodeId node = 0; node < 5; ++node) {
      EXPECT_EQ(world.status(node), sim::NodeStatus::kUp) << "seed " << seed << " n" << node + 1;
      for (sim::NodeId peer = 0; peer < 5; ++peer) {
        if (peer == node) continue;
        const sim::Link& link = world.network().link(node, peer);
        EXPECT_TRUE(link.up) << "seed " << seed;
        EXPECT_TRUE(link.loss.is_zero());
        EXPECT_EQ(link.extra_latency.a, Duration::zero());
      }
    }
    for (const FiredFault& fault : cluster.fired()) {
      if (fault.skipped) continue;
      ++fired;
      const FaultKind kind = cluster.plan()[fault.index].kind;
      if (kind == FaultKind::kClockDrift || kind == FaultKind::kClockOffset) continue;
      ASSERT_TRUE(fault.end.has_value()) << fault.effect;
      EXPECT_LE(*fault.end, at_ms(7000)) << fault.effect;
    }
  }
  EXPECT_GT(fired, 40);
}

}  // namespace
}  // namespace electsim::faults
