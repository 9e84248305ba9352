// Assertions for broken invariants inside electsim's own code (STYLE.md 12: errors from users are
// absl::Status values at the edges; a broken invariant here is a failure with context).
//
// A failed check throws sim::InternalCheckFailure, so that it ends only the run it happened in:
// the runner catches it and turns it into a result with verdict internal_error, and a sweep goes
// on with its other seeds (issue 7, "Internal failures are results"). A check that fails where
// nothing catches it (outside a run, or in a destructor, which is noexcept) still ends the
// process, and the message names the file relative to the repository (CMakeLists.txt maps the
// source folder away from __FILE__).
//
// SIM_CHECK(condition, message) shows the condition's text; the comparing forms
// SIM_CHECK_EQ/NE/LT/LE/GT/GE(a, b, message) also show the two values compared (STYLE.md 15).
#pragma once

#include <concepts>
#include <exception>
#include <string>
#include <type_traits>

namespace electsim::sim {

class InternalCheckFailure : public std::exception {
 public:
  // `values` is empty, or the two values a comparing check compared ("3 vs 5").
  InternalCheckFailure(std::string file, int line, std::string condition, std::string values,
                       std::string message);

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& condition() const { return condition_; }
  const std::string& values() const { return values_; }
  const std::string& message() const { return message_; }
  // One line: "algorithms/raft/raft.cc:90: check 'term >= current_term_' failed (3 vs 4): terms
  // never go backwards".
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  std::string file_;
  int line_;
  std::string condition_;
  std::string values_;
  std::string message_;
  std::string what_;
};

// Throws InternalCheckFailure. Out of line, so that a check costs one branch where it stands.
[[noreturn]] void fail_check(const char* file, int line, const char* condition,
                             const std::string& values, const char* message);

// How a compared value is shown in a failed check: numbers as numbers, times (anything with
// ns()) in nanoseconds, anything else as "?".
template <class T>
std::string check_value_text(const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    return value ? "true" : "false";
  } else if constexpr (std::is_enum_v<T>) {
    return std::to_string(static_cast<std::underlying_type_t<T>>(value));
  } else if constexpr (std::is_arithmetic_v<T>) {
    return std::to_string(value);
  } else if constexpr (requires { { value.ns() } -> std::convertible_to<long long>; }) {
    return std::to_string(value.ns()) + "ns";
  } else {
    return "?";
  }
}

template <class A, class B>
[[noreturn]] void fail_comparison(const char* file, int line, const char* expression,
                                  const A& a, const B& b, const char* message) {
  fail_check(file, line, expression, check_value_text(a) + " vs " + check_value_text(b),
             message);
}

}  // namespace electsim::sim

#define SIM_CHECK(condition, message)                                       \
  do {                                                                      \
    if (!(condition)) [[unlikely]] {                                        \
      ::electsim::sim::fail_check(__FILE__, __LINE__, #condition, {}, message); \
    }                                                                       \
  } while (false)

#define SIM_CHECK_OP_(a, op, b, message)                                                 \
  do {                                                                                   \
    const auto& sim_check_a_ = (a);                                                      \
    const auto& sim_check_b_ = (b);                                                      \
    if (!(sim_check_a_ op sim_check_b_)) [[unlikely]] {                                  \
      ::electsim::sim::fail_comparison(__FILE__, __LINE__, #a " " #op " " #b, sim_check_a_, \
                                       sim_check_b_, message);                           \
    }                                                                                    \
  } while (false)

#define SIM_CHECK_EQ(a, b, message) SIM_CHECK_OP_(a, ==, b, message)
#define SIM_CHECK_NE(a, b, message) SIM_CHECK_OP_(a, !=, b, message)
#define SIM_CHECK_LT(a, b, message) SIM_CHECK_OP_(a, <, b, message)
#define SIM_CHECK_LE(a, b, message) SIM_CHECK_OP_(a, <=, b, message)
#define SIM_CHECK_GT(a, b, message) SIM_CHECK_OP_(a, >, b, message)
#define SIM_CHECK_GE(a, b, message) SIM_CHECK_OP_(a, >=, b, message)
