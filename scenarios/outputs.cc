#include "scenarios/outputs.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scenarios/exit_codes.h"

namespace electsim::scenarios {
namespace {

std::string reason_of(int error_number) { return std::strerror(error_number); }

mode_t current_umask() {
  const mode_t mask = umask(0);
  umask(mask);
  return mask;
}

// Blocks SIGINT and SIGTERM while a temporary file is created and registered, so an interrupt
// can never fall between the two and leave the file behind.
class InterruptsBlocked {
 public:
  InterruptsBlocked() {
    sigset_t interrupts;
    sigemptyset(&interrupts);
    sigaddset(&interrupts, SIGINT);
    sigaddset(&interrupts, SIGTERM);
    sigprocmask(SIG_BLOCK, &interrupts, &previous_);
  }
  ~InterruptsBlocked() { sigprocmask(SIG_SETMASK, &previous_, nullptr); }
  InterruptsBlocked(const InterruptsBlocked&) = delete;
  InterruptsBlocked& operator=(const InterruptsBlocked&) = delete;

 private:
  sigset_t previous_;
};

// The temporary file beside the target, unique per run (mkstemp), hidden by its leading dot.
std::string temporary_template(const OutputTarget& target) {
  const std::string name = target.resolved.substr(target.resolved.find_last_of('/') + 1);
  return absl::StrCat(target.directory == "/" ? "" : target.directory, "/.", name,
                      ".electsim-XXXXXX");
}

}  // namespace

OutputFile::OutputFile(OutputTarget target, std::string temporary, std::FILE* stream)
    : target_(std::move(target)), temporary_(std::move(temporary)), stream_(stream) {
  if (!temporary_.empty()) {
    registration_ = std::make_unique<TemporaryFileRegistration>(temporary_);
  }
}

OutputFile::~OutputFile() {
  if (!committed_) discard();
}

void OutputFile::write(std::string_view text) {
  if (write_errno_ != 0) return;
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), stream_) != text.size()) {
    write_errno_ = errno != 0 ? errno : EIO;
  }
}

absl::Status OutputFile::write_error(std::string_view reason) const {
  return scenarios::write_error(target_.flag, target_.path, reason);
}

absl::Status OutputFile::commit() {
  absl::Status status = finish_file();
  if (!status.ok()) {
    discard();
    return status;
  }
  committed_ = true;
  registration_.reset();  // the temporary name is gone: an interrupt has nothing to remove
  return absl::OkStatus();
}

// Flushes, checks, closes and renames. Any failure leaves the target as it was.
absl::Status OutputFile::finish_file() {
  errno = 0;
  if (std::fflush(stream_) != 0 && write_errno_ == 0) write_errno_ = errno != 0 ? errno : EIO;
  if (std::ferror(stream_) != 0 && write_errno_ == 0) write_errno_ = EIO;
  if (write_errno_ != 0) return write_error(reason_of(write_errno_));
  if (target_.standard_output) return absl::OkStatus();

  const int descriptor = fileno(stream_);
  const mode_t mode = target_.existing_mode.value_or(0666 & ~current_umask());
  if (fchmod(descriptor, mode) != 0) return write_error(reason_of(errno));
  const int closed = std::fclose(stream_);
  stream_ = nullptr;
  if (closed != 0) return write_error(reason_of(errno));
  // Checked again just before the rename: something may have appeared at the target while the
  // run went on, and a rename would replace even a device.
  absl::StatusOr<OutputTarget> now = check_output_target(target_.flag, target_.path);
  if (!now.ok()) return now.status();
  if (std::rename(temporary_.c_str(), target_.resolved.c_str()) != 0) {
    return write_error(reason_of(errno));
  }
  return absl::OkStatus();
}

void OutputFile::discard() {
  if (target_.standard_output) return;
  if (stream_ != nullptr) std::fclose(stream_);
  stream_ = nullptr;
  unlink(temporary_.c_str());
  registration_.reset();
}

absl::StatusOr<Outputs> Outputs::open(const std::vector<OutputRequest>& requests,
                                      const std::string& scenario_path) {
  std::vector<OutputTarget> targets;
  for (const OutputRequest& request : requests) {
    if (!request.path) continue;
    absl::StatusOr<OutputTarget> target = check_output_target(request.flag, *request.path);
    if (!target.ok()) return target.status();
    if (absl::Status status = check_distinct(*target, targets, scenario_path); !status.ok()) {
      return status;
    }
    targets.push_back(*std::move(target));
  }
  Outputs outputs;
  for (OutputTarget& target : targets) {
    if (target.standard_output) {
      outputs.files_.emplace_back(new OutputFile(std::move(target), "", stdout));
      continue;
    }
    InterruptsBlocked blocked;
    std::string temporary = temporary_template(target);
    const int descriptor = mkstemp(temporary.data());
    if (descriptor < 0) return cannot_create(target.flag, target.path, reason_of(errno));
    std::FILE* stream = fdopen(descriptor, "wb");
    if (stream == nullptr) {
      const int error = errno;
      close(descriptor);
      unlink(temporary.c_str());
      return cannot_create(target.flag, target.path, reason_of(error));
    }
    // Unbuffered: the writers hand over large blocks (the trace sink's 64 KiB buffer, a whole
    // JSON document), which stdio would only copy.
    std::setvbuf(stream, nullptr, _IONBF, 0);
    outputs.files_.emplace_back(new OutputFile(std::move(target), temporary, stream));
  }
  return outputs;
}

OutputFile* Outputs::find(std::string_view flag) const {
  for (const auto& file : files_) {
    if (file->flag() == flag) return file.get();
  }
  return nullptr;
}

bool Outputs::uses_standard_output() const {
  for (const auto& file : files_) {
    if (file->is_standard_output()) return true;
  }
  return false;
}

absl::Status Outputs::commit_all() {
  for (const auto& file : files_) {
    if (absl::Status status = file->commit(); !status.ok()) return status;
  }
  return absl::OkStatus();
}

int exit_code_for(const absl::Status& output_error) {
  return output_error.code() == absl::StatusCode::kDataLoss ? kExitIoError : kExitCannotCreate;
}

void buffer_standard_output() {
  if (isatty(STDOUT_FILENO) != 0) return;  // a person watching gets each line as it comes
  static char buffer[kStandardOutputBufferBytes];
  std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
}

absl::Status flush_standard_output() {
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  if (flushed && std::ferror(stdout) == 0) return absl::OkStatus();
  // A failure in an earlier, automatic flush (past kStandardOutputBufferBytes) leaves only the
  // error flag, and its reason is lost.
  const int error = errno != 0 ? errno : EIO;
  return absl::DataLossError(absl::StrCat("standard output: write error: ", reason_of(error)));
}

}  // namespace electsim::scenarios
