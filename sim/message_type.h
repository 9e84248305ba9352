// Stable names for what travels and what fires (issue 8, "A typed trace"): every algorithm is a
// *family* with a fixed id, and each of its message types and timers has a fixed index and a
// name. A message's type id is family << 16 | index: stable across builds and across changes to
// a variant's order, so a trace written today reads the same tomorrow, and a process that
// receives another family's message can tell (World fails loudly, naming both).
//
// Families register themselves once (a static FamilyInfo in the algorithm's .cc, registered by
// the registry); lookups are for names only and never reach the simulation.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace electsim::sim {

using MessageTypeId = uint32_t;
using FamilyId = uint16_t;

constexpr MessageTypeId message_type_id(FamilyId family, uint16_t index) {
  return (static_cast<MessageTypeId>(family) << 16) | index;
}
constexpr FamilyId family_of(MessageTypeId type) { return static_cast<FamilyId>(type >> 16); }
constexpr uint16_t index_of(MessageTypeId type) { return static_cast<uint16_t>(type & 0xffff); }

// Family ids are part of the trace format (docs/TRACE.md): never renumber one.
namespace families {
inline constexpr FamilyId kTestOnly = 0;   // tests/algorithms
inline constexpr FamilyId kPingPong = 1;
inline constexpr FamilyId kRaft = 2;
inline constexpr FamilyId kZab = 3;
inline constexpr FamilyId kMultiPaxos = 4;
inline constexpr FamilyId kVr = 5;
inline constexpr FamilyId kBully = 6;
inline constexpr FamilyId kService = 7;    // the coordination service's protocol
inline constexpr FamilyId kResource = 8;   // writes to the fenced resource
}  // namespace families

struct FamilyInfo {
  FamilyId id;
  std::string_view name;                     // "raft"
  std::span<const std::string_view> messages;  // by index: "request_vote", ...
  std::span<const std::string_view> timers;    // by TimerId: "election", "heartbeat", ...
  // Which message types (bit i = message index i; indices 64 and up never count) serve electing
  // a leader rather than keeping one: Raft's RequestVote and its reply, not AppendEntries. The
  // world counts the messages sent of these types (WorldStats::election_messages_sent) so that
  // "messages per election" measures what an election costs, not the heartbeats between them.
  uint64_t election_messages = 0;
};

// The mask of FamilyInfo::election_messages for the given message indices.
constexpr uint64_t message_mask(std::initializer_list<uint16_t> indices) {
  uint64_t mask = 0;
  for (uint16_t index : indices) mask |= index < 64 ? uint64_t{1} << index : 0;
  return mask;
}

// Registers a family (idempotent for the same pointer; a different family under a taken id is
// a bug and fails a SIM_CHECK). The info must outlive every lookup (a static).
void register_family(const FamilyInfo* family);
const FamilyInfo* find_family(FamilyId id);
// The family registered under `name` ("raft"), or nullptr. The runner uses it to name the timers
// of an algorithm's processes in the trace (an algorithm's family shares its registry name).
const FamilyInfo* find_family_by_name(std::string_view name);
// "raft.request_vote"; "family 9 message 3" for ids nobody registered.
std::string message_type_name(MessageTypeId type);
// "raft.election"; "timer 3" when the family or the timer has no name.
std::string timer_name(FamilyId family, uint32_t timer);

}  // namespace electsim::sim
