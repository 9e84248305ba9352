// Test-only broken Zabs (issue 10, acceptance 4), each registered under its own name so that a
// scenario or --algorithm can run it through the real binary:
// - "zab-vote-ignores-epoch": Fast Leader Election orders votes by the zxid's counter and the
//   server id alone, ignoring the peer epoch and the zxid's epoch, so a server with a stale log
//   can win the election (the planned variant: "Zab comparing zxid before epoch").
// - "zab-no-accepted-epoch-file": what a server saves as its acceptedEpoch is its currentEpoch,
//   as if the acceptedEpoch file that Zab 1.0 added were missing: a follower that acknowledged
//   a new epoch forgets it at a crash and can acknowledge the same epoch to another leader.
// - "zab-new-epoch-off-by-one": Leader.getEpochToPropose without its "+ 1": the new epoch is
//   max(acceptedEpoch) over the connecting quorum, and the leader counts its own acknowledgement
//   even of an epoch it had accepted as another leader's follower.
// - "zab-stale-leader-wins": the vote order of zab-vote-ignores-epoch, and discovery without
//   Leader.waitForEpochAck's "Follower is ahead of the leader" refusal: the leader neither
//   adopts a follower's newer history (the Zab paper's Phase 1, DSN 2011, section IV-B) nor
//   refuses it (ZooKeeper), so a server with a stale log is elected and truncates committed
//   transactions away (leader_completeness). The refusal missing alone passed the first 1,000
//   nemesis seeds: Fast Leader Election already elects the most recent history of its quorum.
// - "zab-epoch-quorum-short": waitForEpochAck's quorum test written as >= n/2 instead of > n/2,
//   so f ACKEPOCHs of 2f + 1 (the leader's own among them) elect a leader (leader_had_a_quorum).
#pragma once

namespace electsim::testing {

inline constexpr char kZabVoteIgnoresEpochName[] = "zab-vote-ignores-epoch";
inline constexpr char kZabNoAcceptedEpochFileName[] = "zab-no-accepted-epoch-file";
inline constexpr char kZabNewEpochOffByOneName[] = "zab-new-epoch-off-by-one";
inline constexpr char kZabStaleLeaderWinsName[] = "zab-stale-leader-wins";
inline constexpr char kZabEpochQuorumShortName[] = "zab-epoch-quorum-short";

void register_zab_variants();

}  // namespace electsim::testing
