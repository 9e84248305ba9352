#include "scenarios/merge.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/json_report.h"
#include "scenarios/command_line.h"
#include "scenarios/sweep_file.h"

namespace electsim::scenarios {
namespace {

using Readers = std::vector<std::unique_ptr<SweepFileReader>>;

// The shard's K and N; an unsharded sweep's file is shard 1/1.
absl::StatusOr<std::pair<uint64_t, uint64_t>> shard_of(const SweepFileReader& reader) {
  if (!reader.header().shard) return std::make_pair(uint64_t{1}, uint64_t{1});
  const auto shard = parse_shard(*reader.header().shard);
  if (!shard.ok()) return reader.error_at(1, "its \"shard\" is not K/N");
  return std::make_pair(shard->index, shard->count);
}

// Opens every file and orders the readers by shard: readers[K - 1] is shard K of N.
absl::StatusOr<Readers> open_shards(const std::vector<std::string>& paths) {
  Readers opened;
  for (const std::string& path : paths) {
    auto reader = SweepFileReader::open(path);
    if (!reader.ok()) return reader.status();
    opened.push_back(*std::move(reader));
  }
  // Copies: the readers move into `ordered` below.
  const SweepFileHeader first = opened.front()->header();
  const std::string first_path = opened.front()->path();
  SweepFileHeader whole = first;  // the sweep the shards make up, for messages
  whole.shard.reset();
  auto first_shard = shard_of(*opened.front());
  if (!first_shard.ok()) return first_shard.status();
  const uint64_t count = first_shard->second;
  Readers ordered(count);
  for (auto& reader : opened) {
    if (!same_sweep(reader->header(), first, /*ignore_shard=*/true)) {
      return reader->error_at(1, absl::StrCat("a shard of ", describe_sweep(reader->header()),
                                              ", but ", first_path, " is of ",
                                              describe_sweep(first)));
    }
    auto shard = shard_of(*reader);
    if (!shard.ok()) return shard.status();
    if (shard->second != count) {
      return reader->error_at(1, absl::StrCat("shard ", shard->first, "/", shard->second, ", but ",
                                              first_path, " is one of ", count));
    }
    auto& place = ordered[shard->first - 1];
    if (place) {
      return reader->error_at(1, absl::StrCat("shard ", shard->first, "/", count, " again (",
                                              place->path(), " has it): its seeds overlap"));
    }
    place = std::move(reader);
  }
  for (uint64_t k = 0; k < count; ++k) {
    if (!ordered[k]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "shard ", k + 1, "/", count, " of ", describe_sweep(whole), " is missing (given: ",
          absl::StrJoin(paths, ", "), ")"));
    }
  }
  return ordered;
}

// Why `reader` has no run for `seed`.
absl::Status missing_seed(const SweepFileReader& reader, uint64_t seed) {
  if (reader.end().interrupted) {
    return reader.error_at(1, absl::StrCat("this shard was interrupted before seed ", seed,
                                           ": finish it with electsim sweep ... --resume first"));
  }
  return reader.error_at(1, absl::StrCat("seed ", seed, " is missing from this shard"));
}

// Checks that the last run was the shard's last: the file holds nothing more.
absl::Status check_finished(SweepFileReader& reader) {
  auto extra = reader.next_run();
  if (!extra.ok()) return extra.status();
  if (*extra) {
    return reader.error_at((*extra)->line, absl::StrCat("seed ", (*extra)->summary_fields.seed,
                                                        " is past the sweep's last seed"));
  }
  if (reader.end().interrupted) {
    return reader.error_at(1, "this shard was interrupted: finish it with --resume first");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<reports::SweepSummary>> merge_shards(
    const std::vector<std::string>& paths, const std::function<void(std::string_view)>& write,
    const std::function<void(const SweepFileHeader&, const reports::RunResult&)>& on_run) {
  if (paths.empty()) return absl::InvalidArgumentError("merge: no shard files given");
  auto readers = open_shards(paths);
  if (!readers.ok()) return readers.status();
  const SweepFileHeader& header = readers->front()->header();
  auto summary = std::make_unique<reports::SweepSummary>(
      header.scenario, header.algorithm, header.overrides, header.requested_first,
      header.requested_last);
  write(reports::sweep_json_opening(*summary));
  std::optional<std::string> identity;
  const uint64_t count = readers->size();
  for (uint64_t offset = 0;; ++offset) {
    const uint64_t seed = header.requested_first + offset;
    SweepFileReader& reader = *(*readers)[offset % count];
    auto run = reader.next_run();
    if (!run.ok()) return run.status();
    if (!*run) return missing_seed(reader, seed);
    if ((*run)->summary_fields.seed != seed) {
      return reader.error_at((*run)->line, absl::StrCat("expected seed ", seed, ", found seed ",
                                                        (*run)->summary_fields.seed));
    }
    if (!identity) identity = (*run)->identity;
    if ((*run)->identity != *identity) {
      return reader.error_at((*run)->line,
                             absl::StrCat("seed ", seed, " ran with other parameters or another "
                                          "electsim build than seed ", header.requested_first,
                                          ": ", (*run)->identity, " vs ", *identity));
    }
    write(absl::StrCat(offset == 0 ? "\n    " : ",\n    ", (*run)->text));
    summary->add((*run)->summary_fields);
    on_run(header, (*run)->summary_fields);
    if (seed == header.requested_last) break;
  }
  for (auto& reader : *readers) {
    if (absl::Status status = check_finished(*reader); !status.ok()) return status;
  }
  write(reports::sweep_json_closing(*summary, /*any_runs=*/true));
  return summary;
}

}  // namespace electsim::scenarios
