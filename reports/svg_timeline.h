// The leadership timeline of one run as an SVG picture (issue 13, "Pictures"): a lane per
// process, leader intervals coloured by epoch, followers as a thin bar in the colour of the epoch
// they follow, down and paused periods, fault intervals shaded and labelled, the fenced
// resource's accepted and refused writes as ticks, violations marked; with several groups, the
// number of groups without a leader over time below the lanes. The time axis is true time in
// seconds. Data from reports/svg_timeline_data.h.
//
// Elements carry data-* attributes for tests and scripts: data-lane (one per lane: the process's
// name), data-state (leader, follower, down, paused), data-fault (one band per fault, its plan
// index), data-write (accepted, refused), data-violation (one group per violation: its check),
// data-axis, data-legend, data-leaderless.
#pragma once

#include <string>
#include <string_view>

#include "reports/svg_timeline_data.h"

namespace electsim::reports {

std::string leadership_timeline_svg(const TimelineData& data, std::string_view title);

}  // namespace electsim::reports
