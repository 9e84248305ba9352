// Viewstamped Replication's view change (Liskov & Cowling, "Viewstamped Replication Revisited",
// MIT-CSAIL-TR-2012-021, 2012): section 4.1 normal operation (Prepare, PrepareOK, Commit as the
// heartbeat), 4.2 view change (StartViewChange, DoViewChange, StartView with the f+1 rules) and
// 5.2 state transfer (GetState / NewState) to move logs in fixed-size messages. One Vr object
// is one replica: a state machine driven by on_start, on_message and on_timer.
//
// The primary of view v is the member at position v mod n (section 4: the configuration is a
// sorted list of replicas and the primary is chosen round-robin by view number); view 0's
// primary starts leading at once, as in the paper's initial configuration. Entries are no-ops, but
// the log is real: each new primary appends a no-op (op-number + 1) and commits it when f+1
// replicas (itself included) hold it, so a view change must carry forward what was committed.
//
// Positions in reports are (view of the entry, op-number). The paper picks the new log by
// (last normal view, op-number), a replica's property, not an entry's: a commit learned in a
// StartView of view w names an entry of an earlier view, and (w, k) would be no position any
// log has. Along a VR log views never decrease, so a log that holds an entry ends at or after
// the entry's (view, op-number); Elected's log_end is the chosen log's last entry in that order.
//
// What survives a crash. The paper keeps replica state in memory and rejoins a restarted replica
// through the recovery protocol of 4.3 (a nonce, f+1 RecoveryResponse messages including the
// primary's). electsim's crash-restart model gives every process durable storage, and a replica
// that remembers its view never sends a DoViewChange for an older one, so this replica persists,
// as production VR implementations do (TigerBeetle, src/vsr/superblock.zig: vsr_state.view
// and vsr_state.log_view, the last normal view, both durable and monotonic),
// its view-number, last normal view, commit-number and log, and restarts from them: in normal
// status of its view if that view was normal when it crashed (its log is a prefix of that
// view's log), else in view-change status; a restarted primary does not resume leading (it lost
// which backups hold what) and waits for the next view. An amnesia restart starts from nothing,
// which VR without 4.3's recovery cannot make safe: that is what the checks report then.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "algorithms/registry.h"
#include "algorithms/vr/vr_log.h"
#include "algorithms/vr/vr_messages.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::vr {

struct VrOptions {
  // 4.2: "a backup ... notices the need for a view change ... if it doesn't hear from the
  // primary" within a timeout; the same timeout bounds a view change that does not complete.
  // The paper fixes no value and does not randomize it (the next primary is determined by the
  // view number, so there is no race to break); a range is allowed for experiments.
  sim::DurationRange view_change_timeout{sim::Duration::milliseconds(300),
                                         sim::Duration::milliseconds(300)};
  // 4.1: the primary sends Commit "if it has not sent a Prepare for a while".
  sim::Duration heartbeat_interval = sim::Duration::milliseconds(150);
  // Tests only (tests/algorithms/vr_starts_view_alone.cc): a broken view change whose new
  // primary starts the view on its own DoViewChange, without waiting for f+1.
  bool starts_view_alone = false;
  // Tests only (tests/algorithms/vr_starts_view_alone.cc): a new primary that counts its own
  // DoViewChange twice (once as "itself", once as a message received), so it starts the view
  // with f DoViewChange messages from distinct replicas, itself included.
  bool counts_own_do_view_change_twice = false;
};

// kTransfer: the replica knows view-number's primary is running the view but does not hold the
// log the view started with yet; it fetches it (5.2) and keeps its old log and last normal view
// meanwhile, so that to a view change it is a replica that never received the StartView.
enum class VrStatus : uint8_t { kNormal, kViewChange, kTransfer };

class Vr final : public sim::Algorithm {
 public:
  static constexpr sim::TimerId kViewChangeTimer = 0;
  static constexpr sim::TimerId kHeartbeatTimer = 1;
  static constexpr uint64_t kMaxEntriesPerMessage = 64;
  // The durable layout: format, view, last normal view, commit-number, entry count, entries.
  static constexpr uint64_t kDurableFormat = 1;
  static constexpr size_t kDurableHeaderWords = 5;

  explicit Vr(const VrOptions& options) : options_(options) {}

  sim::FamilyId family() const override { return sim::families::kVr; }
  void on_start(sim::Context& context, const sim::DurableState* restored) override;
  void on_message(sim::Context& context, sim::ProcessId from, const sim::Payload& message) override;
  void on_timer(sim::Context& context, sim::TimerId timer) override;

  // Read-only views for tests.
  uint64_t view() const { return view_; }
  uint64_t last_normal_view() const { return last_normal_view_; }
  uint64_t commit_number() const { return commit_number_; }
  VrStatus status() const { return status_; }
  bool leading() const { return leading_; }
  const VrLog& log() const { return log_; }
  sim::ProcessId primary_of(uint64_t view) const { return members_[view % members_.size()]; }

 private:
  // Where a DoViewChange's sender stands, by member position.
  struct DoViewChangeVote {
    bool received = false;
    uint64_t last_normal_view = 0;
    uint64_t op_number = 0;
    uint64_t commit = 0;
    uint64_t last_entry_view = 0;
  };

  void handle(sim::Context& context, sim::ProcessId from, const Prepare& message);
  void handle(sim::Context& context, sim::ProcessId from, const PrepareOk& message);
  void handle(sim::Context& context, sim::ProcessId from, const Commit& message);
  void handle(sim::Context& context, sim::ProcessId from, const StartViewChange& message);
  void handle(sim::Context& context, sim::ProcessId from, const DoViewChange& message);
  void handle(sim::Context& context, sim::ProcessId from, const StartView& message);
  void handle(sim::Context& context, sim::ProcessId from, const GetState& message);
  void handle(sim::Context& context, sim::ProcessId from, const NewState& message);

  // 4.2 step 1: moves to `view` in view-change status and asks everyone to join.
  void start_view_change(sim::Context& context, uint64_t view, bool by_timer);
  void record_start_view_change(sim::Context& context, sim::ProcessId from);
  void send_do_view_change(sim::Context& context);
  void record_do_view_change(sim::Context& context, sim::ProcessId from,
                             const DoViewChangeVote& vote);
  // 4.2 step 3, once f+1 DoViewChange messages (its own among them) are in.
  void maybe_start_view(sim::Context& context);
  void request_state(sim::Context& context);
  void begin_view_as_primary(sim::Context& context);
  // A backup takes the StartView log: its own up to `keep_up_to` (where the two agree), as the
  // paper's backup replaces its log with the StartView's, in one step.
  void enter_view_as_backup(sim::Context& context, uint64_t view, sim::ProcessId primary,
                            uint64_t keep_up_to);
  // A backup learns that `view` runs but lacks its starting log: it fetches that log from the
  // primary into a staging copy (5.2: from its commit-number, since every later view's log holds
  // its committed prefix) and installs it whole once it reaches the StartView's op-number.
  void begin_transfer(sim::Context& context, uint64_t view);
  void maybe_install_transfer(sim::Context& context);
  void stop_leading_or_following(sim::Context& context, bool by_timer);
  void hear_from_primary(sim::Context& context, sim::ProcessId primary);
  void advance_commit(sim::Context& context, uint64_t commit);

  void send_prepare(sim::Context& context, sim::ProcessId to);
  void broadcast_heartbeat(sim::Context& context);
  void update_commit_from_acks(sim::Context& context);

  void send(sim::Context& context, sim::ProcessId to, const VrMessage& message);
  void mark_dirty() { durable_dirty_ = true; }
  void maybe_persist(sim::Context& context);
  void restore(const sim::DurableState& state);
  size_t position(sim::ProcessId member) const;
  bool is_member(sim::ProcessId process) const;

  VrOptions options_;
  sim::ProcessId self_ = sim::kNoNode;
  std::span<const sim::ProcessId> members_;
  uint32_t quorum_ = 1;  // f + 1 of 2f + 1

  // Durable (see the header comment).
  uint64_t view_ = 0;
  uint64_t last_normal_view_ = 0;
  uint64_t commit_number_ = 0;
  VrLog log_;

  VrStatus status_ = VrStatus::kNormal;
  bool leading_ = false;    // the primary of view_, in normal status, reported Elected
  bool following_ = false;  // reported Follows for view_'s primary

  // View change state for view_, by member position.
  std::vector<uint8_t> start_view_changes_;
  uint32_t start_view_change_count_ = 0;
  bool sent_do_view_change_ = false;
  std::vector<DoViewChangeVote> do_view_changes_;
  uint32_t do_view_change_count_ = 0;
  // The new primary fetching the chosen log (5.2): from whom, up to which op and view.
  bool fetching_ = false;
  sim::ProcessId fetch_from_ = sim::kNoNode;
  uint64_t fetch_op_ = 0;
  uint64_t fetch_last_view_ = 0;
  uint64_t new_commit_ = 0;

  // The primary's StartView (the log it started its view with), resent to a backup that fetches.
  StartView start_view_{};
  // A backup's transfer (kTransfer): the staged log and the StartView it must reach.
  VrLog staging_;
  bool transfer_target_known_ = false;
  StartView transfer_target_{};
  // The primary's view of each backup, by member position: acknowledged op-number, next to send.
  std::vector<uint64_t> acked_op_;
  std::vector<uint64_t> next_op_;
  std::vector<uint64_t> scratch_;  // for the commit computation, sized once

  bool durable_dirty_ = false;
};

class VrFactory final : public sim::AlgorithmFactory {
 public:
  explicit VrFactory(const VrOptions& options) : options_(options) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId /*process*/) const override {
    return std::make_unique<Vr>(options_);
  }
  const VrOptions& options() const { return options_; }

 private:
  VrOptions options_;
};

// VR's entry in the registry: its parameters, profile and factory.
AlgorithmInfo vr_info();
// Builds the factory from resolved parameters (tests wrap it).
std::unique_ptr<sim::AlgorithmFactory> make_factory(const Params& params, uint32_t nodes);

}  // namespace electsim::algorithms::vr
