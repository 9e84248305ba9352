#include "sim/trace_records.h"

#include <array>
#include <utility>

namespace electsim::sim {
namespace {

constexpr size_t kKinds = static_cast<size_t>(RecordKind::kCount);
static_assert(std::tuple_size_v<AllRecordTypes> == kKinds,
              "every RecordKind needs its struct in AllRecordTypes (sim/trace_records.h)");

template <size_t... I>
constexpr bool kinds_in_order(std::index_sequence<I...>) {
  return ((std::tuple_element_t<I, AllRecordTypes>::kKind == static_cast<RecordKind>(I)) && ...);
}
static_assert(kinds_in_order(std::make_index_sequence<kKinds>{}),
              "AllRecordTypes must list the structs in RecordKind order");

// The field tables, built at compile time from each struct's kFields.
template <class Struct>
constexpr auto kFieldInfos = field_infos<Struct>();

template <size_t... I>
constexpr std::array<std::span<const FieldInfo>, kKinds> all_fields(std::index_sequence<I...>) {
  return {std::span<const FieldInfo>(kFieldInfos<std::tuple_element_t<I, AllRecordTypes>>)...};
}
constexpr auto kAllFields = all_fields(std::make_index_sequence<kKinds>{});

constexpr std::array<std::string_view, kKinds> kStructNames = {
    "MessageSent",   "MessageDelivered", "MessageDropped", "MessageDuplicated", "TimerFired",
    "HostCrashed",   "HostRestarted",    "HostPaused",     "HostResumed",       "ClockChanged",
    "LinkChanged",   "LeaderElected",    "FollowsLeader",  "LeaderSteppedDown",       "FaultStarted",
    "FaultEnded",    "ResourceWritten",  "StatePersisted", "LeaderReady",
    "FollowerLostLeader", "WriteSent",        "EntryCommitted",   "SupportGiven",
    "LeaderLogEnd"};

constexpr bool all_named() {
  for (std::string_view name : kStructNames) {
    if (name.empty()) return false;
  }
  return true;
}
static_assert(all_named(), "kStructNames needs a name for every kind");

size_t index_of(RecordKind kind) {
  const auto index = static_cast<size_t>(kind);
  SIM_CHECK(index < kKinds, "a record kind out of range");
  return index;
}

}  // namespace

std::string_view record_struct_name(RecordKind kind) { return kStructNames[index_of(kind)]; }

std::span<const FieldInfo> record_fields(RecordKind kind) { return kAllFields[index_of(kind)]; }

bool is_host_record(RecordKind kind) {
  for (const FieldInfo& info : record_fields(kind)) {
    if (info.type == FieldType::kProcess) return false;
  }
  return true;
}

std::string_view support_kind_name(SupportKind kind) {
  switch (kind) {
    case SupportKind::kVote: return "vote";
    case SupportKind::kPreVote: return "pre_vote";
    case SupportKind::kPromise: return "promise";
    case SupportKind::kAccept: return "accept";
    case SupportKind::kDoViewChange: return "do_view_change";
    case SupportKind::kEpochAck: return "epoch_ack";
    case SupportKind::kElectionVote: return "election_vote";
    case SupportKind::kLeaseGrant: return "lease_grant";
  }
  return "unknown";
}

std::string_view field_type_name(FieldType type) {
  switch (type) {
    case FieldType::kProcess: return "process";
    case FieldType::kHost: return "host";
    case FieldType::kGroup: return "group";
    case FieldType::kMessageType: return "message type";
    case FieldType::kTimer: return "timer";
    case FieldType::kUnsigned: return "unsigned integer";
    case FieldType::kSignedNanos: return "signed nanoseconds";
    case FieldType::kOptionalNanos: return "signed nanoseconds or null";
    case FieldType::kSignedValue: return "signed integer";
    case FieldType::kBool: return "boolean";
    case FieldType::kDropReason: return "drop reason";
    case FieldType::kStepDownReason: return "step-down reason";
    case FieldType::kLeaderLostReason: return "leader-lost reason";
    case FieldType::kClockChange: return "clock change";
    case FieldType::kFaultKind: return "fault kind";
    case FieldType::kFaultIndex: return "fault index";
    case FieldType::kSupportKind: return "support kind";
  }
  return "unknown";
}

}  // namespace electsim::sim
