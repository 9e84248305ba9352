// Test-only broken Rafts for the checks on support and logs (issue 14 acceptance 1, issue 10
// acceptance 4). Each wraps the real Raft and breaks one rule of the paper; each is caught by
// the check named beside it (tests/support_variants_test.cc).
#pragma once

namespace electsim::testing {

// Grants votes (and pre-votes) without comparing logs (paper 5.4.1): leader_completeness.
inline constexpr char kRaftVotesWithoutLogsName[] = "raft-votes-without-logs";
// A follower that grants a second candidate its vote in a term it already voted in (paper 5.2):
// one_vote_per_epoch.
inline constexpr char kRaftRevotesName[] = "raft-revotes-in-term";
// A candidate that counts a granted vote twice, as if a second member had sent it (paper 5.2's
// majority): leader_had_a_quorum, at the moment of the election.
inline constexpr char kRaftCountsAVoteTwiceName[] = "raft-counts-a-vote-twice";
// A follower that accepts AppendEntries of a stale term as if they were of its own (paper
// Figure 2, AppendEntries receiver step 1 left out): follows_a_claimed_leader.
inline constexpr char kRaftFollowsAStaleLeaderName[] = "raft-follows-a-stale-leader";

// Registers the four (register_algorithm_for_tests).
void register_support_variants();

}  // namespace electsim::testing
