// `electsim sweep` and `electsim merge` (DESIGN.md, "Runs, sweeps, CI"; docs/CI.md): a sweep of
// a scenario's seeds, or of one shard of them (--shard K/N), with progress on standard error,
// JSON and JUnit outputs, --resume of an interrupted sweep's JSON and --check-determinism; and
// the merge of the shards' JSON into the JSON of the whole sweep.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "reports/run_result.h"
#include "scenarios/command_line.h"
#include "scenarios/outputs.h"
#include "scenarios/scenario.h"

namespace electsim::scenarios {

// Exit codes: 0 pass, 1 safety, 2 liveness, 70 internal error (a nondeterministic seed too),
// 65 a budget exceeded or a --resume file that is not this sweep's, 64 bad flags, 73/74 outputs,
// 130 interrupted (what finished is written, and --resume continues it).
int command_sweep(const SweepCommand& command, const std::string& program);

// Exit codes: as the sweep would have exited; 65 for shards that do not make one sweep.
int command_merge(const MergeCommand& command);

// --junit for `electsim run`: one test case.
absl::Status write_run_junit(OutputFile& file, const Scenario& scenario,
                             const reports::RunResult& run, double wall_seconds);

// The test hook of docs/CI.md: ELECTSIM_TEST_INTERRUPT_AFTER_SEEDS=N raises SIGINT once N seeds
// finished in this process, as a person pressing Ctrl-C at that moment would; 0 when unset.
uint64_t interrupt_after_seeds_for_tests();

}  // namespace electsim::scenarios
