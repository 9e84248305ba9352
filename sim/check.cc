#include "sim/check.h"

#include <utility>

namespace electsim::sim {

InternalCheckFailure::InternalCheckFailure(std::string file, int line, std::string condition,
                                           std::string values, std::string message)
    : file_(std::move(file)),
      line_(line),
      condition_(std::move(condition)),
      values_(std::move(values)),
      message_(std::move(message)) {
  what_ = file_ + ":" + std::to_string(line_) + ": check '" + condition_ + "' failed";
  if (!values_.empty()) what_ += " (" + values_ + ")";
  what_ += ": " + message_;
}

void fail_check(const char* file, int line, const char* condition, const std::string& values,
                const char* message) {
  throw InternalCheckFailure(file, line, condition, values, message);
}

}  // namespace electsim::sim
