// Tests of internal checks: a failed SIM_CHECK throws sim::InternalCheckFailure (sim/check.h),
// so a test expects the throw and its message instead of a crash.
#pragma once

#include <functional>
#include <string>

#include <gmock/gmock.h>

#include "sim/check.h"

namespace electsim::testing {

// What the check that `action` failed says, or "" if no check failed.
inline std::string failed_check_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const sim::InternalCheckFailure& failure) {
    return failure.what();
  }
  return "";
}

}  // namespace electsim::testing

// The statement fails an internal check whose message contains `text`.
#define EXPECT_CHECK_FAILS(statement, text)                                              \
  EXPECT_THAT(::electsim::testing::failed_check_message([&] { statement; }), \
              ::testing::HasSubstr(text))
