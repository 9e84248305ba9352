// promtool (Debian's prometheus package, installed by scripts/setup) for the tests of the
// Prometheus output and the alerting rules. A machine without it fails these tests, saying how to
// get it, rather than skipping them: a skipped check is one nobody notices is gone.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/cli_test_support.h"

namespace electsim::testing {

inline bool promtool_installed() {
  return std::system("command -v promtool >/dev/null 2>&1") == 0;
}

inline constexpr const char* kPromtoolMissing =
    "promtool is not installed: run scripts/setup (it installs Debian's prometheus package)";

// `promtool check metrics` on a file, which it reads from standard input.
inline CommandResult promtool_check_metrics(const std::filesystem::path& file,
                                            const std::filesystem::path& dir) {
  return run_shell("promtool check metrics < '" + file.string() + "'", dir);
}

}  // namespace electsim::testing
