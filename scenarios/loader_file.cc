// Reading a scenario file from disk, defensively: only regular files, never blocking, never more
// than a bounded number of bytes (issue 7, "Input that hangs or eats memory").
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "scenarios/loader_internal.h"

namespace electsim::scenarios::loader {
namespace {

// What a file that is not a regular one is, for the message.
std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a file";
}

absl::Status cannot_read(const std::string& path, int error) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": cannot read: ", std::strerror(error)));
}

absl::Status not_regular(const std::string& path, mode_t mode) {
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": not a regular file (", kind_of(mode), ")"));
}

std::string megabytes(uint64_t bytes) {
  return absl::StrFormat("%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

absl::Status too_large(const std::string& path, uint64_t bytes) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", megabytes(bytes), " is over the ",
                                                 kMaxScenarioFileBytes / (1024 * 1024),
                                                 " MB limit for a scenario file"));
}

// Closes the descriptor on every path out of read_regular_file.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads at most one byte more than the limit, so that a file that grew since fstat is caught.
absl::StatusOr<std::string> read_bounded(const std::string& path, int fd) {
  std::string text;
  char buffer[64 * 1024];
  while (text.size() <= kMaxScenarioFileBytes) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got == 0) return text;
    if (got < 0) {
      if (errno == EINTR) continue;
      return cannot_read(path, errno);
    }
    text.append(buffer, static_cast<size_t>(got));
  }
  return too_large(path, text.size());
}

}  // namespace

absl::StatusOr<std::string> read_scenario_bytes(const std::string& path) {
  // stat first, so that a FIFO or a device is refused before it is even opened.
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return cannot_read(path, errno);
  if (!S_ISREG(info.st_mode)) return not_regular(path, info.st_mode);
  // O_NONBLOCK: if the path was swapped for a FIFO since stat, opening it must not wait for a
  // writer. The descriptor is checked again below, which is what counts.
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) return cannot_read(path, errno);
  if (::fstat(fd.get(), &info) != 0) return cannot_read(path, errno);
  if (!S_ISREG(info.st_mode)) return not_regular(path, info.st_mode);
  if (static_cast<uint64_t>(info.st_size) > kMaxScenarioFileBytes) {
    return too_large(path, static_cast<uint64_t>(info.st_size));
  }
  return read_bounded(path, fd.get());
}

}  // namespace electsim::scenarios::loader
