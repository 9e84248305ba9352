// Multi-Paxos' messages (Lamport, "Paxos Made Simple", 2001, sections 2.2-2.4 and 3; van Renesse
// & Altinbuken, "Paxos Made Moderately Complex", 2015, for the names p1a/p1b/p2a/p2b and the
// preemption message). Each is a small trivially copyable struct; they travel as one
// std::variant. A message's stable type id is Multi-Paxos' family with the alternative's index,
// so the order below is part of the trace format: append, never reorder.
//
// Entries are no-ops (the simulator elects leaders, it does not replicate commands), so an
// accepted entry is fully described by its slot and the ballot it was accepted under, and a run
// of slots accepted under one ballot travels as a range.
#pragma once

#include <cstdint>
#include <iterator>
#include <string_view>
#include <variant>

#include "algorithms/multipaxos/ballot.h"
#include "sim/message_type.h"
#include "sim/payload.h"

namespace electsim::algorithms::multipaxos {

// Phase 1a (paper 2.2, "prepare request"): a proposer asks for promises for `ballot`.
struct Prepare {
  Ballot ballot;
};

// Phase 1b: the acceptor promises never to accept a ballot below `ballot`, and tells what it has
// accepted. Its entries are no-ops, so what phase-1 recovery needs of them is how far its log
// goes (`last_slot`: every slot up to there is re-proposed) and its newest entry, in the order
// (ballot, slot) in which logs are compared (`newest_ballot`, `newest_slot`): the newest entry of
// the merged log is the newest of the promisers' newest entries.
struct Promise {
  Ballot ballot;
  uint64_t last_slot;
  Ballot newest_ballot;
  uint64_t newest_slot;
};

// Phase 2a for the slots first_slot..last_slot, all under `ballot` (a leader proposes its whole
// log at once, paper section 3). `chosen_through` is the highest slot chosen under `ballot`
// itself, 0 until a majority accepted the proposal (paper 2.3: a learner learns a value chosen
// only from a proposal a majority accepted; slots chosen under older ballots that the leader
// resends are accepted again under `ballot`, and that acceptance is no majority's).
// `sent_at_ns` is the leader's local time at sending, echoed back for its lease.
struct Accept {
  Ballot ballot;
  uint64_t first_slot;
  uint64_t last_slot;
  uint64_t chosen_through;
  int64_t sent_at_ns;
};

// Phase 2b: the acceptor accepted `ballot` through `accepted_through` (0: it accepted nothing,
// because its log has a gap before first_slot; `chosen_through` says where to resend from).
struct Accepted {
  Ballot ballot;
  uint64_t accepted_through;
  uint64_t chosen_through;
  int64_t sent_at_ns;
};

// The acceptor refused `ballot` because it promised `promised` (Paxos Made Moderately Complex's
// preemption: the proposer learns of a higher ballot and gives up).
struct Nack {
  Ballot ballot;
  Ballot promised;
};

// The leader's periodic message to each acceptor that holds its whole proposal (Paxos Made Live,
// section 4.1 on the master's heartbeats; paper section 3 elects the distinguished proposer by a
// timeout). `chosen_through` lets learners learn what was chosen, as in Accept.
struct Heartbeat {
  Ballot ballot;
  uint64_t chosen_through;
  int64_t sent_at_ns;
};

// An acceptor's answer to a Heartbeat it took: renews the leader's lease and says whether it
// holds the leader's proposal (`accepted_through`, as in Accepted).
struct HeartbeatAck {
  Ballot ballot;
  uint64_t accepted_through;
  uint64_t chosen_through;
  int64_t sent_at_ns;
};

using MultiPaxosMessage =
    std::variant<Prepare, Promise, Accept, Accepted, Nack, Heartbeat, HeartbeatAck>;
static_assert(sizeof(MultiPaxosMessage) <= sim::Payload::kCapacity);

// The stable id of a Multi-Paxos message (sim/message_type.h), found by Context::send.
inline sim::MessageTypeId message_type_of(const MultiPaxosMessage& message) {
  return sim::message_type_id(sim::families::kMultiPaxos, static_cast<uint16_t>(message.index()));
}

// Multi-Paxos' family: message and timer names, registered at first use.
const sim::FamilyInfo& multipaxos_family();

}  // namespace electsim::algorithms::multipaxos
