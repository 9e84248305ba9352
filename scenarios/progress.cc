#include "scenarios/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace electsim::scenarios {
namespace {

constexpr int kBarWidth = 20;

std::string duration_text(double seconds) {
  const auto whole = static_cast<uint64_t>(std::llround(seconds));
  if (whole < 60) return absl::StrCat(whole, "s");
  if (whole < 3600) return absl::StrCat(whole / 60, "m", whole % 60, "s");
  return absl::StrCat(whole / 3600, "h", whole % 3600 / 60, "m");
}

std::string bar(uint64_t done, uint64_t total) {
  const auto filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) *
                                       kBarWidth);
  return absl::StrCat("[", std::string(static_cast<size_t>(filled), '#'),
                      std::string(static_cast<size_t>(kBarWidth - filled), '.'), "] ");
}

}  // namespace

ProgressStyle progress_style(bool quiet) {
  if (quiet) return ProgressStyle::kOff;
  return isatty(STDERR_FILENO) != 0 ? ProgressStyle::kTerminal : ProgressStyle::kLines;
}

std::chrono::milliseconds progress_interval(ProgressStyle style) {
  if (style == ProgressStyle::kTerminal) return kTerminalRedrawInterval;
  const char* text = std::getenv("ELECTSIM_PROGRESS_INTERVAL_MS");
  int64_t milliseconds = 0;
  if (text == nullptr || !absl::SimpleAtoi(text, &milliseconds) || milliseconds < 0) {
    return kDefaultLineInterval;
  }
  return std::chrono::milliseconds(milliseconds);
}

std::string progress_text(uint64_t done, std::optional<uint64_t> total, uint64_t failed,
                          double elapsed_seconds) {
  std::string text =
      total ? absl::StrCat(done, "/", *total, " seeds") : absl::StrCat(done, " seeds");
  if (total && *total > 0) {
    absl::StrAppend(&text, " (", done * 100 / *total, "%)");
  }
  absl::StrAppend(&text, ", ", failed, " failed");
  if (elapsed_seconds < 1.0 || done == 0) return text;
  const double rate = static_cast<double>(done) / elapsed_seconds;
  absl::StrAppend(&text, ", ", absl::StrFormat("%.0f", rate), " seeds/s");
  if (total && *total >= done) {
    absl::StrAppend(&text, ", about ",
                    duration_text(static_cast<double>(*total - done) / rate), " left");
  }
  return text;
}

SweepProgress::SweepProgress(ProgressStyle style, std::optional<uint64_t> total,
                             std::chrono::milliseconds interval, std::FILE* out)
    : style_(style),
      total_(total),
      interval_(interval),
      out_(out),
      started_(std::chrono::steady_clock::now()),
      last_shown_(started_) {}

void SweepProgress::update(uint64_t done, uint64_t failed) {
  if (style_ == ProgressStyle::kOff) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_shown_ < interval_) return;
  last_shown_ = now;
  show(done, failed);
}

void SweepProgress::finish(uint64_t done, uint64_t failed) {
  if (style_ != ProgressStyle::kTerminal || !shown_) return;
  show(done, failed);
  std::fputc('\n', out_);
  std::fflush(out_);
}

void SweepProgress::show(uint64_t done, uint64_t failed) {
  const std::string text = progress_text(done, total_, failed, elapsed_seconds());
  if (style_ == ProgressStyle::kTerminal) {
    // \r returns to the line's start and \033[K clears what a longer line left behind.
    const std::string drawn = total_ && *total_ > 0 ? bar(done, *total_) + text : text;
    std::fprintf(out_, "\r%s\033[K", drawn.c_str());
  } else {
    std::fprintf(out_, "electsim: progress %s\n", text.c_str());
  }
  std::fflush(out_);
  shown_ = true;
}

double SweepProgress::elapsed_seconds() const {
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started_;
  return elapsed.count();
}

}  // namespace electsim::scenarios
