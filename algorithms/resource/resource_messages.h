// The one message of the fenced resource's family: a leader's write, carrying its fencing token
// (issue 9). The runtime sends it on behalf of every leader (sim/world.h, "the writer"); the
// resource replies nothing, since what it decided is in the trace (`resource_write`). The kernel
// knows its shape (sim/resource_write.h), because it records every write sent.
#pragma once

#include "sim/message_type.h"
#include "sim/resource_write.h"

namespace electsim::algorithms::resource {

// struct Write { GroupId group; uint64_t epoch; uint64_t token; }
using Write = sim::ResourceWrite;

// Its type id is family kResource, index 0 ("resource.write"): sim::message_type_of.

// The resource family's names ("resource", message "write", no timers), registered at first use.
const sim::FamilyInfo& resource_family();

}  // namespace electsim::algorithms::resource
