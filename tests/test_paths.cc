#include "tests/test_paths.h"

namespace electsim::testing::paths {

const char* source_dir() { return ELECTSIM_PATH_SOURCE_DIR; }
const char* electsim_binary() { return ELECTSIM_PATH_BINARY; }
const char* test_algorithms_binary() { return ELECTSIM_PATH_TEST_ALGORITHMS_BINARY; }

}  // namespace electsim::testing::paths
