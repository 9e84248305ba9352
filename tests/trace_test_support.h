// Helpers for the typed-trace tests: a value of every field type, a different value of it, and
// a loop over every record struct, so each test covers every kind and every field, including
// kinds added later.
#pragma once

#include <cstdint>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "sim/trace_records.h"

namespace electsim::sim::test_support {

// A value of type T that differs from the struct's defaults and from other fields' values
// (`salt` is the field's position).
template <class T>
T sample_value(int salt) {
  if constexpr (std::is_same_v<T, bool>) {
    return true;
  } else if constexpr (std::is_same_v<T, std::optional<int64_t>>) {
    return -1'234'567 - salt;
  } else if constexpr (std::is_enum_v<T>) {
    return static_cast<T>(1 + salt % 2);
  } else if constexpr (std::is_signed_v<T>) {
    return static_cast<T>(-5'000'000'000LL - salt);
  } else if constexpr (sizeof(T) == 8) {
    return static_cast<T>(1'000'000'000'000ULL + static_cast<uint64_t>(salt));
  } else {
    return static_cast<T>(40 + salt);
  }
}

// A value of T different from `value`.
template <class T>
T other_value(const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    return !value;
  } else if constexpr (std::is_same_v<T, std::optional<int64_t>>) {
    return value ? std::optional<int64_t>() : std::optional<int64_t>(7);
  } else if constexpr (std::is_enum_v<T>) {
    return static_cast<T>(static_cast<std::underlying_type_t<T>>(value) + 1);
  } else {
    return static_cast<T>(value + 1);
  }
}

// A struct with every field set to its sample value.
template <class Struct>
Struct sample_record() {
  Struct fields{};
  int salt = 0;
  std::apply([&](const auto&... each) { ((fields.*(each.member) = sample_value<
      std::remove_cvref_t<decltype(fields.*(each.member))>>(salt++)), ...); },
             Struct::kFields);
  return fields;
}

// Calls visit.template operator()<Struct>() for every record struct, in RecordKind order.
template <class Visit>
void for_each_record_type(Visit&& visit) {
  [&]<size_t... I>(std::index_sequence<I...>) {
    (visit.template operator()<std::tuple_element_t<I, AllRecordTypes>>(), ...);
  }(std::make_index_sequence<std::tuple_size_v<AllRecordTypes>>{});
}

}  // namespace electsim::sim::test_support
