// A message body as a plain value (DESIGN.md, "Speed and memory"): a small, trivially copyable
// box that holds any algorithm's message type (usually a std::variant of structs), so that the
// kernel moves messages without a heap allocation or a virtual call.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "sim/check.h"

namespace electsim::sim {

class Payload {
 public:
  static constexpr size_t kCapacity = 48;

  Payload() = default;

  template <class T>
  static Payload of(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>, "messages must be trivially copyable");
    static_assert(sizeof(T) <= kCapacity, "message larger than Payload::kCapacity");
    Payload payload;
    std::memcpy(payload.bytes_.data(), &value, sizeof(T));
    payload.size_ = static_cast<uint32_t>(sizeof(T));
    return payload;
  }

  template <class T>
  T as() const {
    static_assert(std::is_trivially_copyable_v<T>, "messages must be trivially copyable");
    SIM_CHECK(size_ == sizeof(T), "payload read as a type of another size");
    T value;
    std::memcpy(&value, bytes_.data(), sizeof(T));
    return value;
  }

  uint32_t size() const { return size_; }
  const std::byte* data() const { return bytes_.data(); }

 private:
  alignas(8) std::array<std::byte, kCapacity> bytes_{};
  uint32_t size_ = 0;
};

}  // namespace electsim::sim
