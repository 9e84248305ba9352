// The write message to the fenced resource, as the kernel knows it (issue 9). The runtime sends
// it on behalf of every leader (World's writer) and records every one that any process sends as
// `write_sent`, so its shape lives in sim/; algorithms/resource/ names it `Write`.
#pragma once

#include <cstdint>

#include "sim/message_type.h"
#include "sim/payload.h"
#include "sim/trace.h"

namespace electsim::sim {

struct ResourceWrite {
  GroupId group;   // the writer's group: the resource fences each group apart
  uint64_t epoch;  // the writer's leadership epoch, which tells one leadership from another
  uint64_t token;  // the fencing token from the writer's Elected report
};
static_assert(sizeof(ResourceWrite) <= Payload::kCapacity);

// Type index 0 of family kResource ("resource.write"); part of the trace format.
inline constexpr MessageTypeId kResourceWriteType = message_type_id(families::kResource, 0);
// Found by Context::send through argument-dependent lookup.
inline MessageTypeId message_type_of(const ResourceWrite& /*write*/) { return kResourceWriteType; }

}  // namespace electsim::sim
