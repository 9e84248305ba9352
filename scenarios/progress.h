// The progress of a sweep, for a person watching, on standard error. On a terminal it is one
// line redrawn in place (seeds done of all, failures so far, seeds per second, time left);
// without one (a CI log) a plain line every kDefaultLineInterval, so that a long sweep shows it
// is alive without flooding the log; --quiet shows nothing. Wall-clock time is read here only,
// and never reaches the simulation or any output file.
//
// ELECTSIM_PROGRESS_INTERVAL_MS=N sets the interval between plain lines (0: a line per seed),
// for tests and for CI systems that want a different rhythm (docs/CI.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace electsim::scenarios {

enum class ProgressStyle { kOff, kTerminal, kLines };

inline constexpr std::chrono::milliseconds kDefaultLineInterval{5000};
inline constexpr std::chrono::milliseconds kTerminalRedrawInterval{200};

// kOff when quiet, kTerminal when standard error is a terminal, else kLines.
ProgressStyle progress_style(bool quiet);
// The interval between showings: kTerminalRedrawInterval on a terminal; between plain lines,
// ELECTSIM_PROGRESS_INTERVAL_MS or kDefaultLineInterval.
std::chrono::milliseconds progress_interval(ProgressStyle style);

// "1234/10000 seeds (12%), 3 failed, 812 seeds/s, about 11s left". `total` is nullopt when it
// does not fit in 64 bits (all 2^64 seeds); the rate and time left are left out until a second
// has passed.
std::string progress_text(uint64_t done, std::optional<uint64_t> total, uint64_t failed,
                          double elapsed_seconds);

class SweepProgress {
 public:
  SweepProgress(ProgressStyle style, std::optional<uint64_t> total,
                std::chrono::milliseconds interval, std::FILE* out = stderr);
  // After each seed: shows the progress if the interval since the last showing has passed.
  void update(uint64_t done, uint64_t failed);
  // At the end: the terminal line is finished with a newline, so the report starts on its own.
  void finish(uint64_t done, uint64_t failed);

 private:
  void show(uint64_t done, uint64_t failed);
  double elapsed_seconds() const;

  ProgressStyle style_;
  std::optional<uint64_t> total_;
  std::chrono::milliseconds interval_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_shown_;
  bool shown_ = false;
};

}  // namespace electsim::scenarios
