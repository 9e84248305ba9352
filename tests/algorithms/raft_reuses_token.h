// A test-only Raft whose fencing token repeats across leaderships (issue 9, acceptance 3): it
// reports term / 2 as its token, so terms 2 and 3 share token 1. The token checks must catch it
// (unique_tokens, and tokens_increase: epoch 3 does not carry a higher token than epoch 2).
#pragma once

namespace electsim::testing {

inline constexpr char kRaftReusesTokenName[] = "raft-reuses-token";

// Registers "raft-reuses-token" (register_algorithm_for_tests).
void register_raft_reuses_token();

}  // namespace electsim::testing
