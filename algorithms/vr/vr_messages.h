// Viewstamped Replication's messages (Liskov & Cowling 2012, section 4.1 normal operation, 4.2
// view change, 5.2 state transfer). Each is a small trivially copyable struct; they travel as
// one std::variant. A message's stable type id is VR's family with the alternative's index, so
// the order below is part of the trace format: append, never reorder.
//
// The paper's DoViewChange and StartView carry the whole log. A payload is a fixed 48 bytes, so
// here they carry the log's summary (its op-number and the view of its last entry, which
// identify a log of no-ops: two logs whose entries at the same op-number have the same view are
// equal up to it) and the entries travel in runs, as the paper's state transfer does (5.2,
// GetState / NewState): the new primary fetches the chosen log from the replica that sent it, a
// backup whose log differs from the StartView's fetches the view's starting log from the
// primary, and backups that lack later entries get them in Prepare messages.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

#include "sim/message_type.h"
#include "sim/payload.h"

namespace electsim::algorithms::vr {

// 4.1: the primary's Prepare <PREPARE v, m, n, k>. Here `count` no-op entries of view
// `entries_view` that go after op `prev_op`, and the primary's commit-number. With no entries it
// is a retransmission probe; the paper's heartbeat is Commit.
struct Prepare {
  uint64_t view;
  uint64_t prev_op;
  uint64_t entries_view;
  uint64_t commit;
  uint32_t count;
};

// 4.1: <PREPAREOK v, n, i>. `op_number` is the backup's op-number: its log equals the primary's
// up to it (a backup's log is always a prefix of its primary's).
struct PrepareOk {
  uint64_t view;
  uint64_t op_number;
};

// 4.1: <COMMIT v, k>, sent by the primary when it has no Prepare to send: the heartbeat.
struct Commit {
  uint64_t view;
  uint64_t commit;
};

// 4.2 step 1: <STARTVIEWCHANGE v, i>.
struct StartViewChange {
  uint64_t view;
};

// 4.2 step 2: <DOVIEWCHANGE v, l, v', n, k, i>, the log `l` summarized by its last entry's
// view (the log itself is fetched with GetState if it is chosen).
struct DoViewChange {
  uint64_t view;
  uint64_t last_normal_view;
  uint64_t op_number;
  uint64_t commit;
  uint64_t last_entry_view;
};

// 4.2 step 3: <STARTVIEW v, l, n, k>, the log summarized as in DoViewChange.
struct StartView {
  uint64_t view;
  uint64_t op_number;
  uint64_t last_entry_view;
  uint64_t commit;
};

// 5.2: <GETSTATE v, n', i>: the new primary asks the replica whose log it chose, or a backup asks
// its primary, for the entries after `from_op`.
struct GetState {
  uint64_t view;
  uint64_t from_op;
};

// 5.2: <NEWSTATE v, l, n, k>, one run at a time: `count` entries of view `entries_view` after
// op `prev_op`, whose own view is `prev_view` (so the receiver can tell the logs agree there).
struct NewState {
  uint64_t view;
  uint64_t prev_op;
  uint64_t prev_view;
  uint64_t entries_view;
  uint32_t count;
};

using VrMessage = std::variant<Prepare, PrepareOk, Commit, StartViewChange, DoViewChange,
                               StartView, GetState, NewState>;
static_assert(sizeof(VrMessage) <= sim::Payload::kCapacity);

// The stable id of a VR message (sim/message_type.h), found by Context::send.
inline sim::MessageTypeId message_type_of(const VrMessage& message) {
  return sim::message_type_id(sim::families::kVr, static_cast<uint16_t>(message.index()));
}

// VR's family: message and timer names, registered at first use.
const sim::FamilyInfo& vr_family();

}  // namespace electsim::algorithms::vr
