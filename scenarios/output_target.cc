#include "scenarios/output_target.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace electsim::scenarios {
namespace {

constexpr mode_t kAnyWriteBit = S_IWUSR | S_IWGRP | S_IWOTH;

std::string reason_of(int error_number) { return std::strerror(error_number); }

// What a path names when it is not a regular file, in words a user knows.
std::string kind_refused(mode_t mode) {
  if (S_ISDIR(mode)) return reason_of(EISDIR);
  if (S_ISFIFO(mode)) return "not a regular file but a named pipe (FIFO)";
  if (S_ISCHR(mode)) return "not a regular file but a character device";
  if (S_ISBLK(mode)) return "not a regular file but a block device";
  if (S_ISSOCK(mode)) return "not a regular file but a socket";
  return "not a regular file";
}

std::optional<std::string> real_path(const std::string& path) {
  char buffer[PATH_MAX];
  if (realpath(path.c_str(), buffer) == nullptr) return std::nullopt;
  return std::string(buffer);
}

std::string parent_of(const std::string& resolved) {
  const size_t slash = resolved.find_last_of('/');
  return slash == 0 ? "/" : resolved.substr(0, slash);
}

// Why a file or directory may not be written, or nullopt if it may. Root may write anywhere, so
// one with no write bit at all is refused on its mode too: the user made it read-only, and a run
// should not replace what they protected.
std::optional<std::string> unwritable_reason(const std::string& path, mode_t mode,
                                             const char* what) {
  if ((mode & kAnyWriteBit) == 0) {
    return absl::StrCat(reason_of(EACCES), " (the ", what, " is read-only)");
  }
  if (access(path.c_str(), W_OK) != 0) return reason_of(errno);  // EACCES, EROFS
  return std::nullopt;
}

// The directory the replacement is created in must exist and be writable.
absl::Status check_directory(const OutputTarget& target) {
  struct stat info;
  if (stat(target.directory.c_str(), &info) != 0) {
    return cannot_create(target.flag, target.path, reason_of(errno));
  }
  if (auto reason = unwritable_reason(target.directory, info.st_mode, "directory")) {
    return cannot_create(target.flag, target.path, *reason);
  }
  return absl::OkStatus();
}

// A path that names nothing yet: its directory's real path plus its own name.
absl::StatusOr<OutputTarget> missing_target(OutputTarget target) {
  const std::string& path = target.path;
  if (path.back() == '/') return cannot_create(target.flag, path, reason_of(EISDIR));
  const size_t slash = path.find_last_of('/');
  const std::string directory = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const std::optional<std::string> real_directory = real_path(directory);
  if (!real_directory) return cannot_create(target.flag, path, reason_of(errno));
  target.directory = *real_directory;
  target.resolved = absl::StrCat(*real_directory == "/" ? "" : *real_directory, "/", name);
  if (absl::Status status = check_directory(target); !status.ok()) return status;
  return target;
}

// A path that exists: a regular file, directly or through symbolic links, that the user may
// write.
absl::StatusOr<OutputTarget> existing_target(OutputTarget target) {
  const std::string& path = target.path;
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) {
      return cannot_create(target.flag, path, "a symbolic link to a missing file");
    }
    return cannot_create(target.flag, path, reason_of(errno));
  }
  if (!S_ISREG(info.st_mode)) return cannot_create(target.flag, path, kind_refused(info.st_mode));
  if (auto reason = unwritable_reason(path, info.st_mode, "file")) {
    return cannot_create(target.flag, path, *reason);
  }
  const std::optional<std::string> resolved = real_path(path);
  if (!resolved) return cannot_create(target.flag, path, reason_of(errno));
  target.resolved = *resolved;
  target.directory = parent_of(*resolved);
  target.identity = std::make_pair(info.st_dev, info.st_ino);
  target.existing_mode = info.st_mode & 07777;
  if (absl::Status status = check_directory(target); !status.ok()) return status;
  return target;
}

}  // namespace

absl::Status cannot_create(std::string_view flag, std::string_view path,
                           std::string_view reason) {
  return absl::FailedPreconditionError(absl::StrCat(
      absl::string_view(flag.data(), flag.size()), " ", absl::string_view(path.data(), path.size()),
      ": cannot create: ", absl::string_view(reason.data(), reason.size())));
}

absl::Status write_error(std::string_view flag, std::string_view path, std::string_view reason) {
  return absl::DataLossError(absl::StrCat(
      absl::string_view(flag.data(), flag.size()), " ", absl::string_view(path.data(), path.size()),
      ": write error: ", absl::string_view(reason.data(), reason.size())));
}

absl::StatusOr<OutputTarget> check_output_target(const std::string& flag,
                                                 const std::string& path) {
  OutputTarget target;
  target.flag = flag;
  target.path = path;
  if (path.empty()) return cannot_create(flag, "''", "an empty file name");
  if (path == kStandardOutputPath) {
    target.standard_output = true;
    target.resolved = path;
    return target;
  }
  struct stat link_info;
  if (lstat(path.c_str(), &link_info) == 0) return existing_target(std::move(target));
  if (errno != ENOENT) return cannot_create(flag, path, reason_of(errno));
  return missing_target(std::move(target));
}

absl::Status check_distinct(const OutputTarget& target, const std::vector<OutputTarget>& earlier,
                            const std::string& scenario_path) {
  struct stat scenario;
  if (target.identity && stat(scenario_path.c_str(), &scenario) == 0 &&
      *target.identity == std::make_pair(scenario.st_dev, scenario.st_ino)) {
    return cannot_create(target.flag, target.path, "it is the scenario file being run");
  }
  // `--json run.json > run.json`: the rename would leave the report in a file no name leads to.
  struct stat standard_output;
  if (target.identity && fstat(STDOUT_FILENO, &standard_output) == 0 &&
      S_ISREG(standard_output.st_mode) &&
      *target.identity == std::make_pair(standard_output.st_dev, standard_output.st_ino)) {
    return cannot_create(target.flag, target.path, "standard output already goes to this file");
  }
  for (const OutputTarget& other : earlier) {
    const bool same_file = target.identity ? target.identity == other.identity
                                           : target.resolved == other.resolved;
    if (same_file) {
      return cannot_create(target.flag, target.path,
                           absl::StrCat("the same file as ", other.flag, " ", other.path));
    }
  }
  return absl::OkStatus();
}

}  // namespace electsim::scenarios
