// The files a command writes (--json, --trace; --junit, --csv and the rest join the same way),
// checked and opened before anything runs, so an output that cannot be written costs no
// simulation and a run never destroys what it was not asked to write:
//   - `-` is standard output;
//   - a target must be missing or a regular file (a symbolic link to one is followed: the file it
//     names is replaced and the link survives); directories, FIFOs, devices and sockets are
//     refused, and so is a read-only file (a rename would replace it, but the user gave no write
//     permission), a link to nothing, the scenario file itself, the file standard output is
//     redirected to, and two outputs naming one file;
//   - each file is written to a temporary `.NAME.electsim-XXXXXX` beside its target, registered
//     with scenarios/interrupt.h so SIGINT and SIGTERM remove it, removed on every ordinary exit,
//     and renamed onto the target only when everything was written.
//
// Errors are absl::Status values whose message is the whole line after "electsim: ", such as
// "--json out/run.json: cannot create: No such file or directory"; exit_code_for() gives 73
// (cannot create, found before the run) or 74 (a write error, found while or after writing).
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "scenarios/interrupt.h"
#include "scenarios/output_target.h"

namespace electsim::scenarios {

// An output being written. Not copyable: it owns a temporary file and its registration.
class OutputFile {
 public:
  ~OutputFile();  // removes the temporary file unless commit() renamed it
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  const std::string& flag() const { return target_.flag; }
  const std::string& path() const { return target_.path; }
  bool is_standard_output() const { return target_.standard_output; }
  // The stream to write to (for writers that stream, like the trace sink).
  std::FILE* stream() const { return stream_; }

  // Writes `text`; an error is kept and reported by commit().
  void write(std::string_view text);
  // Reports `reason` (a writer's own error, such as the trace sink's) as this output's write
  // error, exit 74.
  absl::Status write_error(std::string_view reason) const;
  // Flushes and checks the stream, then renames the temporary file onto the target. On an error
  // the target is left untouched and the temporary file is removed.
  absl::Status commit();

 private:
  friend class Outputs;
  OutputFile(OutputTarget target, std::string temporary, std::FILE* stream);
  absl::Status finish_file();
  void discard();

  OutputTarget target_;
  std::string temporary_;  // empty for standard output
  std::FILE* stream_;
  std::unique_ptr<TemporaryFileRegistration> registration_;
  int write_errno_ = 0;
  bool committed_ = false;
};

// The outputs of one command.
class Outputs {
 public:
  // Checks every requested output (those given), against each other and against the scenario
  // file, then creates their temporary files. Nothing is created unless every check passed.
  static absl::StatusOr<Outputs> open(const std::vector<OutputRequest>& requests,
                                      const std::string& scenario_path);

  // The output of `flag`, or nullptr if it was not requested.
  OutputFile* find(std::string_view flag) const;
  // True if any output goes to standard output, so the report for people must not.
  bool uses_standard_output() const;
  // Commits every output in request order; the first error wins, and the rest are discarded.
  absl::Status commit_all();

 private:
  std::vector<std::unique_ptr<OutputFile>> files_;
};

// 73 for errors found while opening, 74 for write errors.
int exit_code_for(const absl::Status& output_error);

// Gives standard output, when it is not a terminal, a buffer of kStandardOutputBufferBytes, so a
// report smaller than that is written only by flush_standard_output(), which then knows the
// system's reason for a failure (an earlier, automatic flush leaves only an error flag). Call it
// before anything is printed.
inline constexpr size_t kStandardOutputBufferBytes = size_t{1} << 20;
void buffer_standard_output();

// Flushes standard output and checks that everything written to it arrived (`> /dev/full`
// fails here). The message names standard output and the reason; exit_code_for() gives 74.
absl::Status flush_standard_output();

}  // namespace electsim::scenarios
