// The nemesis's "at most a minority down" rule per group (issue 8): how many hosts may be down at
// once so that no group loses its majority, with hosts that run no member never counted.
#include <gtest/gtest.h>

#include "faults/injector.h"
#include "sim/layout.h"

namespace electsim::faults {
namespace {

using sim::Layout;
using sim::ProcessKind;

Layout spread(uint32_t hosts, uint32_t groups, uint32_t members) {
  Layout layout;
  for (uint32_t h = 0; h < hosts; ++h) layout.add_host();
  for (uint32_t g = 0; g < groups; ++g) {
    const sim::GroupId group = layout.add_group();
    for (uint32_t i = 0; i < members; ++i) {
      layout.add_process(ProcessKind::kMember, (members * g + i) % hosts, group);
    }
  }
  return layout;
}

TEST(NemesisGroups, OneGroupKeepsTheClassicMinority) {
  EXPECT_EQ(max_hosts_down_keeping_majorities(Layout::single_group(5)), 2);
  EXPECT_EQ(max_hosts_down_keeping_majorities(Layout::single_group(3)), 1);
  EXPECT_EQ(max_hosts_down_keeping_majorities(Layout::single_group(1)), 0);
}

TEST(NemesisGroups, ManyGroupsOfThreeOnNineHostsAllowOneHostDown) {
  // Any two hosts down could hold two members of some group of three.
  EXPECT_EQ(max_hosts_down_keeping_majorities(spread(9, 1000, 3)), 1);
  EXPECT_EQ(max_hosts_down_keeping_majorities(spread(9, 1000, 5)), 2);
}

TEST(NemesisGroups, AHostHoldingTwoMembersOfAGroupCountsTwice) {
  Layout layout;
  for (int h = 0; h < 5; ++h) layout.add_host();
  const sim::GroupId group = layout.add_group();
  for (sim::HostId host : {0u, 0u, 1u, 2u, 3u}) layout.add_process(ProcessKind::kMember, host, group);
  // Losing h1 loses two of five: still a majority, but h1 and any other host is three.
  EXPECT_EQ(max_hosts_down_keeping_majorities(layout), 1);
}

TEST(NemesisGroups, ServiceAndClientHostsNeverCount) {
  Layout layout = Layout::single_group(3);
  const sim::HostId service_host = layout.add_host();
  layout.add_process(ProcessKind::kService, service_host);
  layout.add_process(ProcessKind::kClient, layout.add_host());
  // The same limit as without them: they hold no member, so they use up no group's minority.
  EXPECT_EQ(max_hosts_down_keeping_majorities(layout), 1);
}

}  // namespace
}  // namespace electsim::faults
