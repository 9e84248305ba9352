// The Bully algorithm's messages (Garcia-Molina, "Elections in a Distributed Computing System",
// IEEE Trans. Computers C-31(1), 1982): Election ("are you up?", to every higher id), Answer
// (the higher process is up and takes over), Halt (the winner stops every lower process before
// it announces itself, the paper's first phase of reorganization) and its acknowledgement, and
// Coordinator (the winner's announcement, repeated as its heartbeat). Each carries the sender's
// election counter, so the counter that names a leadership only grows wherever messages reach.
// The order below is part of the trace format: append, never reorder.
#pragma once

#include <cstdint>
#include <variant>

#include "sim/message_type.h"
#include "sim/payload.h"

namespace electsim::algorithms::bully {

struct Election {
  uint64_t counter;
};

struct Answer {
  uint64_t counter;
};

// The winner's counter: the epoch and the fencing token of its leadership.
struct Coordinator {
  uint64_t counter;
};

// The winner halts a lower process: it stops following anyone and waits for the winner's
// Coordinator message.
struct Halt {
  uint64_t counter;
};

// The halted process's reply, with the highest counter it has seen: the winner's counter will
// exceed every counter of the processes it halted.
struct HaltAck {
  uint64_t counter;
};

using BullyMessage = std::variant<Election, Answer, Coordinator, Halt, HaltAck>;
static_assert(sizeof(BullyMessage) <= sim::Payload::kCapacity);

inline sim::MessageTypeId message_type_of(const BullyMessage& message) {
  return sim::message_type_id(sim::families::kBully, static_cast<uint16_t>(message.index()));
}

// Bully's family: message and timer names, registered at first use.
const sim::FamilyInfo& bully_family();

}  // namespace electsim::algorithms::bully
