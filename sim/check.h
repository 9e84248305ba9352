// Assertions for broken invariants inside electsim's own code (STYLE.md 12: errors from users are
// absl::Status values at the edges; a broken invariant here is a crash with context).
#pragma once

#include <cstdio>
#include <cstdlib>

#define SIM_CHECK(condition, message)                                              \
  do {                                                                             \
    if (!(condition)) [[unlikely]] {                                               \
      std::fprintf(stderr, "electsim: internal error at %s:%d: check '%s' failed: %s\n", \
                   __FILE__, __LINE__, #condition, message);                       \
      std::abort();                                                                \
    }                                                                              \
  } while (false)
