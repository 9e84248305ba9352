// `electsim merge FILES... --json OUT`: the JSON files of a sharded sweep's N shards (electsim
// sweep --shard K/N --json) combined into exactly the JSON that one unsharded sweep of the same
// range writes, byte for byte: the opening of the whole range, every run's line copied as written
// in seed order (seed first + i comes from shard i % N + 1), and the summary computed again from
// the runs. Memory stays constant: the shards are read side by side, one run at a time.
//
// Refused, with one line "FILE:LINE: what" (exit 65, as any bad input file; the command line
// itself is fine): a file that is not a shard's JSON, shards of different scenarios, algorithms,
// overrides, seed ranges or shard counts, runs of different parameters or electsim builds, a
// shard given twice (overlapping seeds), a shard missing, and an interrupted or cut-short shard
// (missing seeds: resume it first).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "reports/sweep_summary.h"
#include "scenarios/sweep_file.h"

namespace electsim::scenarios {

// Reads `paths` (the shards, in any order) and hands the merged JSON to `write` piece by piece,
// and each run, in seed order, to `on_run` (with what the sweep was of); returns the summary of
// the whole range. Nothing is written before every file's opening was checked; an error found
// later (a run missing) leaves `write` with a partial document, which the caller discards.
absl::StatusOr<std::unique_ptr<reports::SweepSummary>> merge_shards(
    const std::vector<std::string>& paths, const std::function<void(std::string_view)>& write,
    const std::function<void(const SweepFileHeader&, const reports::RunResult&)>& on_run);

}  // namespace electsim::scenarios
