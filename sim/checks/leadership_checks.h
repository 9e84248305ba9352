// The *always* checks on leadership reports (internal to sim/checks; DESIGN.md, "Checks").
#pragma once

#include <cstdint>
#include <vector>

#include "absl/container/btree_map.h"
#include "sim/checks/check_base.h"

namespace electsim::sim::checks {

// one_leader_per_epoch: no two nodes ever report kBecameLeader for the same epoch (Raft's
// Election Safety property, Ongaro & Ousterhout 2014, Figure 3). Also counts leader changes.
//
// It remembers who first claimed each epoch. To keep memory flat it remembers at most
// kMaxRememberedEpochs epochs, forgetting the lowest; a claim below what it has forgotten is
// counted in unjudged_claims() instead of being judged (it never happens with epochs that grow).
class OneLeaderPerEpoch final : public Check {
 public:
  static constexpr size_t kMaxRememberedEpochs = 1 << 16;

  KindMask kinds() const override { return mask_of(RecordKind::kBecameLeader); }
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

  size_t remembered_epochs() const { return claims_.size(); }
  uint64_t unjudged_claims() const { return unjudged_claims_; }

 private:
  struct Claim {
    NodeId node;
    Instant time;
  };
  absl::btree_map<uint64_t, Claim> claims_;  // epoch -> first claim
  bool forgot_any_ = false;
  uint64_t forgotten_below_ = 0;             // every epoch <= this may have been forgotten
  uint64_t unjudged_claims_ = 0;
  uint64_t leader_changes_ = 0;
};

// exclusive_leadership: the intervals of true time in which two nodes both believe they lead.
// A node leads from its kBecameLeader until its kSteppedDown, kCrash or a later kFollows. Each
// overlapping pair is one Overlap (nodes in the order they began leading). Zero-length overlaps
// (one hands over to the other at the same instant) are not overlaps. With
// `overlaps_are_violations`, every overlap is also an *always* violation.
class ExclusiveLeadership final : public Check {
 public:
  ExclusiveLeadership(uint32_t nodes, bool overlaps_are_violations);

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void on_end(Instant end) override;
  void collect(CheckResults& results) const override;

 private:
  struct Lead {
    bool leading = false;
    uint64_t epoch = 0;
  };
  struct OpenPair {
    NodeId first;
    NodeId second;
    Instant start;
    uint64_t first_epoch;
    uint64_t second_epoch;
  };
  void begin_leading(NodeId node, uint64_t epoch, Instant at);
  void end_leading(NodeId node, Instant at);
  void close(const OpenPair& pair, Instant at);

  bool strict_;
  std::vector<Lead> leads_;
  std::vector<OpenPair> open_;       // pairs overlapping now; at most leaders^2, which is small
  std::vector<Overlap> overlaps_;
  uint64_t overlaps_dropped_ = 0;
};

// epochs_never_go_backwards: each node's reported epoch (kBecameLeader, kFollows) never
// decreases, across crashes and restarts too. An amnesia restart is no excuse: Raft's safety
// rests on currentTerm being durable (Ongaro & Ousterhout 2014, Figure 2, "Persistent state"),
// so a node that forgot its term is exactly what this check must report. Each fall is reported
// once, until the node is back at its highest epoch.
class EpochsNeverGoBackwards final : public Check {
 public:
  explicit EpochsNeverGoBackwards(uint32_t nodes) : nodes_(nodes) {}

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

 private:
  struct NodeEpochs {
    bool seen = false;
    uint64_t highest = 0;
    Instant highest_at;
    bool behind = false;                // a fall was reported and not yet made up
    bool amnesia_since_highest = false;
    Instant amnesia_at;
  };
  std::vector<NodeEpochs> nodes_;
};

}  // namespace electsim::sim::checks
