// Raft's messages (Ongaro & Ousterhout 2014, Figure 2; Ongaro's thesis section 9.6 for
// PreVote). Each is a small trivially copyable struct; they travel as one std::variant. A
// message's stable type id is Raft's family with the alternative's index (message_type_of), so
// the order below is part of the trace format: append, never reorder.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

#include "sim/message_type.h"
#include "sim/payload.h"

namespace electsim::algorithms::raft {

// RequestVote RPC (paper 5.2, 5.4.1): the candidate's term and the position of its last log
// entry, which voters compare with their own (the up-to-date rule).
struct RequestVote {
  uint64_t term;
  uint64_t last_log_index;
  uint64_t last_log_term;
};

struct RequestVoteResponse {
  uint64_t term;
  bool granted;
};

// AppendEntries RPC (paper 5.3), also the heartbeat (paper 5.2). Raft entries here are no-ops,
// so the entries after prev_log_index are sent as a run: `entries_count` entries that all have
// term `entries_term` (a leader's log is a sequence of such runs). A heartbeat has no entries.
// `leader_commit` is the leader's commitIndex (paper Figure 2). It is 32 bits wide so that the
// message still fits a Payload: a log here grows by one no-op per election, and a run's event
// budget ends it long before 2^32 elections (the leader checks).
struct AppendEntries {
  uint64_t term;
  uint64_t prev_log_index;
  uint64_t prev_log_term;
  uint64_t entries_term;
  uint32_t entries_count;
  uint32_t leader_commit = 0;
};

// `index` is the follower's match index on success and the prev_log_index it rejected on
// failure; `last_log_index` is the follower's last index, so a leader can skip back at once
// to a follower that is far behind (etcd-raft's reject hint).
struct AppendEntriesResponse {
  uint64_t term;
  uint64_t index;
  uint64_t last_log_index;
  bool success;
};

// PreVote (thesis 9.6): the term the candidate would use (its current term + 1) and its log's
// last position. No receiver changes its own term because of a PreVote.
struct PreVote {
  uint64_t term;
  uint64_t last_log_index;
  uint64_t last_log_term;
};

// A granted PreVote carries the term that was asked about; a refusal carries the voter's term.
struct PreVoteResponse {
  uint64_t term;
  bool granted;
};

using RaftMessage = std::variant<RequestVote, RequestVoteResponse, AppendEntries,
                                 AppendEntriesResponse, PreVote, PreVoteResponse>;
static_assert(sizeof(RaftMessage) <= sim::Payload::kCapacity);

// Message names by index (the variant index), for traces and reports.
inline constexpr std::string_view kRaftMessageNames[] = {
    "RequestVote", "RequestVoteResponse", "AppendEntries",
    "AppendEntriesResponse", "PreVote", "PreVoteResponse"};
static_assert(std::size(kRaftMessageNames) == std::variant_size_v<RaftMessage>);

// The stable id of a Raft message (sim/message_type.h), found by Context::send.
inline sim::MessageTypeId message_type_of(const RaftMessage& message) {
  return sim::message_type_id(sim::families::kRaft, static_cast<uint16_t>(message.index()));
}

// Raft's family: message and timer names (timers by Raft::k*Timer), registered at first use.
const sim::FamilyInfo& raft_family();

}  // namespace electsim::algorithms::raft
