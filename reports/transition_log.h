// The transition log (`run --transitions FILE`): one line per change of a group's leader, in the
// order they happened, in logfmt (key=value pairs) so that grep and awk read it as well as people:
//   time=10.452s group=g1 previous=n3 new=n1 epoch=2 reason=crashed
// `reason` is why the previous leadership ended (startup for the group's first leader;
// unresolved when the previous leader still believed it led when the run ended). Times are true
// times, to the millisecond from 1 s on (the run JSON's `transitions` has the nanoseconds). The
// log lists what the run kept, the first 1,000 changes, and says how many more there were.
#pragma once

#include <string>

#include "reports/run_result.h"

namespace electsim::reports {

std::string transition_log(const RunResult& run);

}  // namespace electsim::reports
