// The `resource:` section (issue 9): fencing modes and the write interval with the loader's usual
// errors, the resource's host in both cluster forms (a single group keeps n1..nN), the
// resource_host target, and the nemesis, which never draws the resource's host.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "faults/injector.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_text.h"

namespace electsim::scenarios {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kHead[] = "version: 1\ncluster: {nodes: 5}\nduration: 60s\n";

absl::StatusOr<Scenario> load(const std::string& text, std::vector<std::string> sets = {}) {
  LoadOptions options;
  options.overrides = std::move(sets);
  return load_scenario_text(text, "s.yaml", options);
}

Scenario load_ok(const std::string& text, std::vector<std::string> sets = {}) {
  auto scenario = load(text, std::move(sets));
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return scenario.ok() ? *scenario : Scenario{};
}

std::string error_of(const std::string& text, std::vector<std::string> sets = {}) {
  auto scenario = load(text, std::move(sets));
  EXPECT_FALSE(scenario.ok());
  return std::string(scenario.status().message());
}

sim::FencingMode fencing_of(const std::string& value) {
  const Scenario scenario = load_ok(std::string(kHead) + "resource: {fencing: " + value + "}\n");
  EXPECT_TRUE(scenario.resource.has_value());
  return scenario.resource ? scenario.resource->fencing : sim::FencingMode::kOn;
}

TEST(ResourceKeys, FencingModesAndTheOldBooleans) {
  EXPECT_EQ(fencing_of("on"), sim::FencingMode::kOn);
  EXPECT_EQ(fencing_of("off"), sim::FencingMode::kOff);
  EXPECT_EQ(fencing_of("equal-ok"), sim::FencingMode::kEqualOk);
  EXPECT_EQ(fencing_of("true"), sim::FencingMode::kOn);
  EXPECT_EQ(fencing_of("false"), sim::FencingMode::kOff);
  EXPECT_THAT(error_of(std::string(kHead) + "resource: {fencing: equal}\n"),
              StartsWith("s.yaml:4:21: resource.fencing: expected on, off or equal-ok, got "
                         "'equal'"));
}

TEST(ResourceKeys, WriteEveryDefaultsTo100msAndMustBePositive) {
  const Scenario defaults = load_ok(std::string(kHead) + "resource: {fencing: on}\n");
  ASSERT_TRUE(defaults.resource.has_value());
  EXPECT_EQ(defaults.resource->write_every, sim::Duration::milliseconds(100));
  const Scenario given = load_ok(std::string(kHead) + "resource: {write_every: 250ms}\n");
  EXPECT_EQ(given.resource->write_every, sim::Duration::milliseconds(250));
  EXPECT_THAT(error_of(std::string(kHead) + "resource: {write_every: 0}\n"),
              StartsWith("s.yaml:4:25: resource.write_every: "));
  EXPECT_THAT(error_of(std::string(kHead) + "resource: {write_every: 10ns}\n"),
              HasSubstr("must be at least 1us"));
  EXPECT_THAT(error_of(std::string(kHead) + "resource: {fencing: on, every: 1s}\n"),
              StartsWith("s.yaml:4:25: unknown key 'every' in resource"));
  EXPECT_THAT(error_of(std::string(kHead) + "resource: [on]\n"), StartsWith("s.yaml:4:11: "));
}

TEST(ResourceKeys, SetOverridesTheModeAndTheInterval) {
  const Scenario scenario =
      load_ok(std::string(kHead) + "resource: {fencing: on}\n",
              {"resource.fencing=off", "resource.write_every=50ms"});
  EXPECT_EQ(scenario.resource->fencing, sim::FencingMode::kOff);
  EXPECT_EQ(scenario.resource->write_every, sim::Duration::milliseconds(50));
  EXPECT_THAT(error_of(std::string(kHead), {"resource.fencing=maybe"}),
              HasSubstr("expected on, off or equal-ok, got 'maybe'"));
}

TEST(ResourceLayout, NoSectionNoResource) {
  const Scenario scenario = load_ok(kHead);
  EXPECT_FALSE(scenario.resource.has_value());
  EXPECT_EQ(scenario.layout.hosts(), 5u);
  EXPECT_TRUE(scenario.layout.of_kind(sim::ProcessKind::kResource).empty());
}

TEST(ResourceLayout, BesideASingleGroupOnAHostOfItsOwnNamedR1) {
  const Scenario scenario = load_ok(std::string(kHead) + "resource: {fencing: on}\n");
  const sim::Layout& layout = scenario.layout;
  EXPECT_TRUE(layout.is_single_group()) << "member i still runs on host i";
  EXPECT_EQ(scenario.nodes, 5u) << "the resource is no node";
  EXPECT_EQ(layout.hosts(), 6u);
  ASSERT_EQ(layout.of_kind(sim::ProcessKind::kResource).size(), 1u);
  const sim::ProcessId resource = layout.of_kind(sim::ProcessKind::kResource).front();
  EXPECT_EQ(layout.process(resource).host, 5u);
  EXPECT_EQ(layout.process_name(0), "n1");
  EXPECT_EQ(layout.process_name(4), "n5");
  EXPECT_EQ(layout.host_name(4), "n5");
  EXPECT_EQ(layout.process_name(resource), "r1");
  EXPECT_EQ(layout.host_name(5), "r1");
}

TEST(ResourceLayout, HostsFormUsesResourceHostOrAHostOfItsOwn) {
  const Scenario own = load_ok(
      "version: 1\ncluster: {hosts: 9, groups: {count: 3, members: 3}}\nresource: {}\n");
  EXPECT_EQ(own.layout.hosts(), 10u);
  EXPECT_EQ(own.layout.process(own.layout.of_kind(sim::ProcessKind::kResource).front()).host,
            9u);
  const Scenario placed = load_ok(
      "version: 1\ncluster: {hosts: 10, groups: {count: 3, members: 3}, resource_host: h10}\n");
  ASSERT_TRUE(placed.resource.has_value()) << "placing the resource asks for one";
  EXPECT_EQ(placed.resource->fencing, sim::FencingMode::kOn);
  EXPECT_EQ(placed.layout.hosts(), 10u);
}

TEST(ResourceTargets, ResourceHostNeedsAResource) {
  const Scenario scenario = load_ok(std::string(kHead) +
                                    "resource: {fencing: on}\nfaults:\n"
                                    "  - {at: 1s, crash: resource_host, restart_after: 1s}\n"
                                    "  - {at: 5s, partition: {groups: [[leader], [r1]]}}\n");
  ASSERT_EQ(scenario.faults.size(), 2u);
  EXPECT_EQ(scenario.faults[0].targets.front().kind, faults::Target::Kind::kResourceHost);
  EXPECT_THAT(error_of(std::string(kHead) + "faults:\n  - {at: 1s, crash: resource_host}\n"),
              HasSubstr("this scenario has no resource"));
}

TEST(ResourceNemesis, DrawsTheSamePlanWithTheResourceAsWithout) {
  const std::string nemesis =
      "nemesis:\n  start_after: 1s\n  quiet_period: 5s\n  swarm: true\n  kinds:\n"
      "    crash: {every: 2s, duration: 1s}\n    pause: {every: 2s, duration: 1s}\n"
      "    partition: {every: 3s, duration: 1s, shapes: [isolate, groups, bridge, ring, one_way]}\n"
      "    link: {every: 3s, duration: 1s, loss: 0.5}\n";
  const Scenario plain = load_ok(std::string(kHead) + nemesis);
  const Scenario with = load_ok(std::string(kHead) + "resource: {fencing: on}\n" + nemesis);
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const auto a =
        faults::draw_nemesis_plan(*plain.nemesis, plain.layout, plain.duration, seed, nullptr);
    const auto b =
        faults::draw_nemesis_plan(*with.nemesis, with.layout, with.duration, seed, nullptr);
    ASSERT_EQ(a.size(), b.size()) << "seed " << seed;
    ASSERT_FALSE(a.empty());
    for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].label, b[i].label) << "seed " << seed;
  }
}

TEST(ResourceText, PrintScenarioWritesTheSection) {
  const std::string source =
      std::string(kHead) + "resource: {fencing: equal-ok, write_every: 40ms}\n";
  const Scenario scenario = load_ok(source);
  const auto printed = resolved_scenario_yaml(scenario, source, LoadOptions{});
  ASSERT_TRUE(printed.ok()) << printed.status();
  const std::string text = *printed;
  EXPECT_THAT(text, HasSubstr("resource: {fencing: equal-ok, write_every: 40ms}"));
  const Scenario again = load_ok(text);
  EXPECT_EQ(again.resource->fencing, sim::FencingMode::kEqualOk);
  EXPECT_EQ(again.resource->write_every, sim::Duration::milliseconds(40));
}

}  // namespace
}  // namespace electsim::scenarios
