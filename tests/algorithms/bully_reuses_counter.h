// A test-only Bully whose new coordinator takes the highest election counter it has seen
// instead of one more (issue 10, acceptance 4), so a successor leads with its predecessor's
// counter: two leaderships share an epoch and a fencing token. one_leader_per_epoch and
// unique_tokens must catch it.
#pragma once

namespace electsim::testing {

inline constexpr char kBullyReusesCounterName[] = "bully-reuses-counter";

// Registers "bully-reuses-counter" (register_algorithm_for_tests).
void register_bully_reuses_counter();

}  // namespace electsim::testing
