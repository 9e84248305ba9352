// SIGINT and SIGTERM for the command line. Two behaviours, chosen by the command:
//   - kImmediate (run): the signal removes every registered temporary file and ends the process
//     with 128 + the signal number, at once;
//   - kGraceful (sweep): the first signal only sets a flag that the sweep polls
//     (interrupt_requested()), so it can stop handing out seeds and summarize what finished; a
//     second signal acts as kImmediate.
// Temporary files are registered by path (the output writers do it), and the handler only calls
// async-signal-safe functions (unlink, _exit) on fixed storage, so it is safe at any moment.
#pragma once

#include <string>

namespace electsim::scenarios {

enum class InterruptMode { kImmediate, kGraceful };

void install_interrupt_handlers(InterruptMode mode);

// True once SIGINT or SIGTERM arrived (kGraceful). Cheap: one relaxed atomic load.
bool interrupt_requested();
// The signal that arrived (SIGINT, SIGTERM), or 0.
int interrupt_signal();

// A registered temporary file that the handler removes if the process is interrupted. At most
// kMaxTemporaryFiles at once; paths longer than kMaxPathBytes are not registered (the caller
// still removes them on ordinary exits). Registration is not thread-safe: the main thread
// registers before workers start.
inline constexpr int kMaxTemporaryFiles = 8;
inline constexpr int kMaxPathBytes = 4096;
class TemporaryFileRegistration {
 public:
  explicit TemporaryFileRegistration(const std::string& path);
  ~TemporaryFileRegistration();
  TemporaryFileRegistration(const TemporaryFileRegistration&) = delete;
  TemporaryFileRegistration& operator=(const TemporaryFileRegistration&) = delete;

 private:
  int slot_ = -1;
};

}  // namespace electsim::scenarios
