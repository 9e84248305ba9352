// `electsim replay SCENARIO --seed N [--window 500ms] [--trace FILE]` (docs/CI.md, "Replay"):
// runs one seed and prints, for each violation, the events in the window before and after it in
// words, the faults in force at its time and each host's clock then; a seed without a violation
// says it passed. Exit codes as `run`: 0 pass, 1 safety, 2 liveness, 65 a budget exceeded,
// 70 internal error, 73/74 the trace output.
#pragma once

#include <string>

#include "scenarios/command_line.h"

namespace electsim::scenarios {

int command_replay(const ReplayCommand& command, const std::string& program);

}  // namespace electsim::scenarios
