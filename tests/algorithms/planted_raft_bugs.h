// Test-only Rafts with the bugs real implementers make (issue 12, detection power): each wraps
// the real Raft and gets one rule of the paper wrong, the way a persistence layer, a term
// comparison, a role change or a quorum count goes wrong in practice. scripts/detection-power
// sweeps them (and the older variants of tests/algorithms/) against the nemesis profiles;
// docs/DETECTION.md lists which check catches each and how soon.
#pragma once

namespace electsim::testing {

// Persistence: votedFor is not in what a restart reads back (paper Figure 2 lists it as
// persistent state), so a server that crashes right after voting may vote again in that term:
// one_vote_per_epoch.
inline constexpr char kRaftForgetsVoteOnRestartName[] = "raft-forgets-vote-on-restart";
// Persistence: a restart takes currentTerm from its last log entry's term instead of stable
// storage (goraft, which etcd 0.4 vendored, derived its log's current term from the last entry
// in raft/log.go currentTerm()), so a server goes back to a term it already voted in and
// votes again when it moves to it: one_vote_per_epoch, epochs_never_go_backwards.
inline constexpr char kRaftTermFromLogName[] = "raft-term-from-log-on-restart";
// Quorum counting: a candidate wins with n/2 votes (its own included) instead of n/2 + 1:
// leader_had_a_quorum, one_leader_per_epoch.
inline constexpr char kRaftQuorumOfHalfName[] = "raft-quorum-of-half";
// Role change: a leader drops every message of a higher term instead of stepping down (paper
// 5.1: "If a candidate or leader discovers that its term is out of date, it immediately reverts
// to follower state"), so it keeps leading its old term after its successor is elected.
inline constexpr char kRaftLeaderIgnoresHigherTermName[] = "raft-leader-ignores-higher-term";
// Role change: a candidate that adopts a higher term keeps its vote for itself in the new term
// (etcd-raft's raft.go reset() clears Vote when the term changes), so it refuses every vote in
// that term: an election slowed down, no checked property broken.
inline constexpr char kRaftCandidateKeepsVoteName[] = "raft-candidate-keeps-vote";
// Role change: a candidate that steps down to follower in its own term (it heard the winner)
// forgets that it voted for itself, as a reset() that cleared Vote whatever the term would
// (etcd-raft's raft.go clears it only `if r.Term != term`), so it votes for a second candidate
// of that term: one_vote_per_epoch.
inline constexpr char kRaftForgetsVoteOnStepDownName[] = "raft-forgets-vote-on-step-down";

// Registers the six (register_algorithm_for_tests).
void register_planted_raft_bugs();

}  // namespace electsim::testing
