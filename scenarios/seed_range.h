// A range of seeds, both ends inclusive (first <= last): 0..2^64-1 is a valid range of 2^64
// seeds, so code that counts them works with offsets from `first`, never with last - first + 1.
#pragma once

#include <cstdint>

namespace electsim::scenarios {

struct SeedRange {
  uint64_t first = 0;
  uint64_t last = 0;
};

}  // namespace electsim::scenarios
