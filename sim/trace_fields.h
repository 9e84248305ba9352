// How a typed trace record maps onto the flat TraceRecord (sim/trace.h): each record struct lists
// its fields once, in a `kFields` tuple of field(name, member, slot, type), and everything else is
// derived from that one list: packing and unpacking (so the round trip is exact by
// construction), the JSON Lines writer's keys, the TRACE.md completeness test, and the check
// that every field lands in a word the fingerprint covers.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "sim/check.h"
#include "sim/trace.h"

namespace electsim::sim {

// The words of the flat record a field may occupy.
enum class Slot : uint8_t { kNode, kPeer, kGroup, kA, kB, kC };

// What a field holds: it says how the JSON writer renders it and how TRACE.md documents it.
enum class FieldType : uint8_t {
  kProcess,          // a process id, written by its Layout name ("n2", "g7.n2", "s1")
  kHost,             // a host id, written by its name ("h3"; "n3" in single-group traces)
  kGroup,            // a group id, written "g7" (null outside any group)
  kMessageType,      // a stable message type id, written by name with its number as `type_id`
  kTimer,            // a timer of the process's algorithm, written by name with `timer_id`
  kUnsigned,         // a plain unsigned number (ids, epochs, tokens, counts)
  kSignedNanos,      // a signed number of nanoseconds (local times, clock offsets)
  kOptionalNanos,    // as kSignedNanos, or null when absent
  kSignedValue,      // a signed number whose unit another field names (a clock change)
  kBool,             // true or false
  kDropReason,       // drop_reason_name
  kStepDownReason,   // step_down_reason_name
  kLeaderLostReason, // leader_lost_reason_name
  kClockChange,      // clock_change_name
  kFaultKind,        // the fault's kind by name ("crash"), as the runner names them
  kFaultIndex,       // the fault's index in the run's plan, followed by its `label` if known
  kSupportKind,      // support_kind_name (sim/trace_records.h)
};
std::string_view field_type_name(FieldType type);

// One field, without its C++ type: what the JSON writer and the docs test iterate over.
struct FieldInfo {
  std::string_view name;
  FieldType type;
  Slot slot;
};

template <class Struct, class Member>
struct Field {
  std::string_view name;
  Member Struct::*member;
  Slot slot;
  FieldType type;
  constexpr FieldInfo info() const { return FieldInfo{name, type, slot}; }
};

template <class Struct, class Member>
constexpr Field<Struct, Member> field(std::string_view name, Member Struct::*member, Slot slot,
                                      FieldType type) {
  return Field<Struct, Member>{name, member, slot, type};
}

// An optional local time is stored as this word when absent. It is INT64_MIN, an instant no
// clock reaches (292 years before the run began).
inline constexpr uint64_t kAbsentNanos = kNoLease;

namespace trace_words {

template <class T>
constexpr uint64_t to_word(const T& value) {
  if constexpr (std::is_enum_v<T>) {
    return static_cast<uint64_t>(value);
  } else if constexpr (std::is_same_v<T, bool>) {
    return value ? 1 : 0;
  } else if constexpr (std::is_same_v<T, std::optional<int64_t>>) {
    return value ? static_cast<uint64_t>(*value) : kAbsentNanos;
  } else {
    static_assert(std::is_integral_v<T>, "a trace field is an integer, a bool, an enum or an "
                                         "optional local time");
    return static_cast<uint64_t>(value);
  }
}

template <class T>
constexpr T from_word(uint64_t word) {
  if constexpr (std::is_same_v<T, bool>) {
    return word != 0;
  } else if constexpr (std::is_same_v<T, std::optional<int64_t>>) {
    if (word == kAbsentNanos) return std::nullopt;
    return static_cast<int64_t>(word);
  } else {
    return static_cast<T>(word);
  }
}

constexpr void store(TraceRecord& record, Slot slot, uint64_t word) {
  switch (slot) {
    case Slot::kNode: record.node = static_cast<NodeId>(word); return;
    case Slot::kPeer: record.peer = static_cast<NodeId>(word); return;
    case Slot::kGroup: record.group = static_cast<GroupId>(word); return;
    case Slot::kA: record.a = word; return;
    case Slot::kB: record.b = word; return;
    case Slot::kC: record.c = word; return;
  }
}

}  // namespace trace_words

// The raw word a slot holds.
constexpr uint64_t slot_word(const TraceRecord& record, Slot slot) {
  switch (slot) {
    case Slot::kNode: return record.node;
    case Slot::kPeer: return record.peer;
    case Slot::kGroup: return record.group;
    case Slot::kA: return record.a;
    case Slot::kB: return record.b;
    case Slot::kC: return record.c;
  }
  return 0;
}

// Packs a typed record. Slots no field uses keep the flat record's defaults (kNoNode, kNoGroup,
// zero), so a host record always carries kNoGroup.
template <class Struct>
constexpr TraceRecord pack_record(Instant at, const Struct& fields) {
  TraceRecord record(at, Struct::kKind);
  std::apply(
      [&](const auto&... each) {
        (trace_words::store(record, each.slot, trace_words::to_word(fields.*(each.member))), ...);
      },
      Struct::kFields);
  return record;
}

template <class Struct>
constexpr Struct unpack_record(const TraceRecord& record) {
  Struct fields{};
  std::apply(
      [&](const auto&... each) {
        ((fields.*(each.member) =
              trace_words::from_word<std::remove_cvref_t<decltype(fields.*(each.member))>>(
                  slot_word(record, each.slot))),
         ...);
      },
      Struct::kFields);
  return fields;
}

template <class Struct>
Struct TraceRecord::as() const {
  SIM_CHECK(kind == Struct::kKind, "a trace record read as another kind");
  return unpack_record<Struct>(*this);
}

// The field table of a struct as FieldInfo, for code that iterates without the C++ types.
template <class Struct>
constexpr auto field_infos() {
  return std::apply(
      [](const auto&... each) {
        return std::array<FieldInfo, sizeof...(each)>{each.info()...};
      },
      Struct::kFields);
}

}  // namespace electsim::sim
