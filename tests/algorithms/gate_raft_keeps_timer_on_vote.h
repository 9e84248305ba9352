// A test-only Raft that does not reset its election timer when it grants a vote (issue 14,
// acceptance 3): a voter's timer keeps running from its last reset, so it may time out right
// after the candidate it voted for won. The Raft paper (section 5.2, and Figure 2's "Rules for
// Servers": a follower converts to candidate only if the timeout elapses without "granting vote
// to candidate") resets it; etcd-raft's raft.go does too (r.electionElapsed = 0 when it grants a
// MsgVote). Its runs stay safe: the regression gate of `sweep --baseline` must catch it from its
// recovery figures.
#pragma once

namespace electsim::testing {

inline constexpr char kRaftKeepsTimerOnVoteName[] = "raft-keeps-timer-on-vote";

// Registers "raft-keeps-timer-on-vote" (register_algorithm_for_tests).
void register_raft_keeps_timer_on_vote();

}  // namespace electsim::testing
