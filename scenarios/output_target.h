// Checking one output path before anything is written to it (see scenarios/outputs.h for the
// rules and the messages): what it names, where its replacement will be created, and whether two
// paths name one file.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace electsim::scenarios {

inline constexpr std::string_view kStandardOutputPath = "-";

// One output a command was asked to write.
struct OutputRequest {
  std::string flag;                 // "--json"
  std::optional<std::string> path;  // as given; nullopt when the flag was not given
};

// Where a checked output goes: a file renamed onto at the end, or standard output.
struct OutputTarget {
  std::string flag;
  std::string path;  // as the user gave it
  bool standard_output = false;
  // Absolute, with symbolic links followed (for a missing file, its directory's links).
  std::string resolved;
  std::string directory;  // where the temporary file goes: the resolved path's directory
  std::optional<std::pair<dev_t, ino_t>> identity;  // when the target exists
  std::optional<mode_t> existing_mode;              // the replacement keeps it
};

// "FLAG PATH: cannot create: REASON" (exit 73) and "FLAG PATH: write error: REASON" (exit 74).
absl::Status cannot_create(std::string_view flag, std::string_view path, std::string_view reason);
absl::Status write_error(std::string_view flag, std::string_view path, std::string_view reason);

// Checks one requested path: standard output, a missing file in a writable directory, or a
// writable regular file (through symbolic links).
absl::StatusOr<OutputTarget> check_output_target(const std::string& flag, const std::string& path);

// Refuses a target that is the scenario file, the file standard output is redirected to, or the
// same file as an earlier target.
absl::Status check_distinct(const OutputTarget& target, const std::vector<OutputTarget>& earlier,
                            const std::string& scenario_path);

}  // namespace electsim::scenarios
