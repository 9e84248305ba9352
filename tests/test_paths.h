// Where the tests find the source tree and the built binaries. The paths are compiled into one
// file, tests/test_paths.cc; every other test file sees these names as calls (CMake includes
// this header in each), so that no object embeds the checkout's absolute path and ccache reuses
// the test objects across clones and worktrees of one machine (scripts/setup sets
// CCACHE_BASEDIR). Before, a fresh clone recompiled all 110 test files.
#pragma once

namespace electsim::testing::paths {
const char* source_dir();              // the checkout
const char* electsim_binary();         // build/electsim
const char* test_algorithms_binary();  // build/electsim_with_test_algorithms
}  // namespace electsim::testing::paths

#define ELECTSIM_SOURCE_DIR (::electsim::testing::paths::source_dir())
#define ELECTSIM_BINARY (::electsim::testing::paths::electsim_binary())
#define ELECTSIM_TEST_ALGORITHMS_BINARY (::electsim::testing::paths::test_algorithms_binary())
