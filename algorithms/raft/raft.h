// Raft leader election (Ongaro & Ousterhout 2014, "In Search of an Understandable Consensus
// Algorithm", sections 5.1-5.4; Ongaro's thesis "Consensus: Bridging Theory and Practice", 2014,
// for the options). One Raft object is one server: a state machine driven by on_start,
// on_message and on_timer, shaped like etcd-raft's raft.go: the role changes only in the
// become_*() functions, handle_*() process one message type each, broadcast_*() send to every
// peer, maybe_*() act only when a condition holds.
//
// Entries are no-ops (the simulator elects leaders, it does not replicate commands), but the log
// is real: it decides who may win an election (paper 5.4.1), a new leader appends a no-op of its
// term (thesis 6.4), and AppendEntries replicates it with the paper's consistency check.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <vector>

#include "algorithms/raft/raft_log.h"
#include "algorithms/raft/raft_messages.h"
#include "algorithms/registry.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::raft {

struct RaftOptions {
  // Paper 5.2: each election timeout is drawn uniformly from this range at every reset.
  sim::DurationRange election_timeout{sim::Duration::milliseconds(150),
                                      sim::Duration::milliseconds(300)};
  // The election timeout range a server uses after a start (boot or restart) until it first
  // hears from a leader or becomes one. Figure 16's sweeps elect their first leader with a broad
  // range, so that a narrow range under study (150-150 ms) does not stall the election before
  // the one they measure. Defaults to election_timeout.
  sim::DurationRange initial_election_timeout{sim::Duration::milliseconds(150),
                                              sim::Duration::milliseconds(300)};
  // The election timeout a candidate draws when it starts an election, so the wait before it
  // retries after a split vote. Thesis 9.3 credits Howard (2014) with drawing candidates'
  // timeouts from a smaller range than followers'; her simulator's data calls it "fixed"
  // (heidihoward/ocaml-raft-data). Defaults to election_timeout.
  sim::DurationRange candidate_election_timeout{sim::Duration::milliseconds(150),
                                                sim::Duration::milliseconds(300)};
  // Zero: timeouts are drawn to the nanosecond. Otherwise a timeout is drawn as LogCabin draws
  // it (Server/RaftConsensus.cc, setElectionTimer: Core::Random::randomRange over whole
  // milliseconds, which rounds lo + U(0,1) x (hi - lo) to the nearest integer): uniformly in
  // the range, then rounded to the nearest multiple of this step.
  sim::Duration election_timeout_step;
  sim::Duration heartbeat_interval = sim::Duration::milliseconds(75);
  bool pre_vote = false;           // thesis 9.6
  bool check_quorum = false;       // thesis 6.2
  bool leader_stickiness = false;  // thesis 4.2.3
  // How long a write to stable storage takes (thesis 9.4 measures a "broadcast time (network
  // round trip plus disk write)"). Paper Figure 2: durable state is "updated on stable storage
  // before responding to RPCs", so a response waits until every write issued before it has
  // completed; writes complete one after another. Requests do not wait: a candidate writes its
  // vote while its RequestVotes travel (thesis 9.3) and a leader writes its new entries while
  // its AppendEntries travel (thesis 10.2.1). The sim records the state at once, so a crash
  // during the write keeps it. Zero (the default) makes writes instant.
  sim::Duration persist_delay;
  // Each write takes persist_delay plus an exponential draw of this mean: a disk's sync time is
  // mostly short with a long right tail. Zero (the default) draws nothing, so fixed-length
  // writes keep their fingerprints.
  sim::Duration persist_jitter;
  // This server's log starts one entry behind the others' (empty instead of one entry of term
  // 0), so by paper 5.4.1 it cannot win against an up-to-date majority.
  bool starts_lagging = false;
  // Experiment knob for Figure 16 (paper 9.3, thesis 9.4: "the servers in each trial had
  // different log lengths, so two of the four servers were not eligible to become leader"). A
  // lagging server keeps its short log for the whole run: it takes AppendEntries as a heartbeat
  // (it adopts the term, resets its election timer, follows the leader and acknowledges, so the
  // leader does not retry) but stores no entries. Without it the first leader's no-op brings the
  // lagging servers up to date within a round trip, and at a later crash every survivor could
  // win. Off by default; it only matters with starts_lagging.
  bool lagging_stays_behind = false;
  // The order of writes in LogCabin (Server/RaftConsensus.cc), Figure 16's implementation.
  // startNewElection writes the candidate's new term and vote while it holds the lock its peer
  // threads need to send RequestVote, so the requests leave only when the write has completed;
  // handleRequestVote calls stepDown, which writes the new term, and then writes the vote: two
  // writes before the answer. Off (the default): the requests overlap the candidate's write
  // (thesis 9.3) and a voter writes its term and vote at once.
  bool logcabin_write_order = false;
  // The rules of Howard's simulator (heidihoward/ocaml-raft, lib/simulator.ml as of the runs in
  // heidihoward/ocaml-raft-data), so that its published results can be reproduced:
  // - a server grants a vote only if it was a follower when the RequestVote arrived
  //   (requestVoteRq checks the mode before stepDown), so a candidate that a higher term
  //   deposes does not vote in that term;
  // - a candidate that steps down, and any server that a RequestVote answer with a higher term
  //   reaches, restarts its election timer with a follower's timeout (startFollow);
  // - a candidate draws candidate_election_timeout from the first election on (the simulator
  //   has no initial range: initial_election_timeout then applies to followers only).
  // Off (the default): paper Figure 2, where a deposed candidate may vote and its timer runs on.
  bool ocaml_raft_rules = false;
  // Howard's binary exponential backoff (her simulator's "expo" figure, lib/state.ml): a candidate
  // whose previous election was refused by at least half of its peers starts the next one with
  // its candidate timeout doubled once more (drawn from candidate_election_timeout scaled by
  // 2^backoff, at most kMaxBackoffDoublings times); stepping down or winning resets the count.
  bool candidate_backoff = false;
  // Tests only (tests/algorithms/raft_ignores_quorum_loss.cc): a broken CheckQuorum whose leader
  // keeps leading after it lost its majority, for the bounded_exclusivity check to catch.
  bool ignores_quorum_loss = false;
};

enum class RaftRole : uint8_t { kFollower, kPreCandidate, kCandidate, kLeader };

class Raft final : public sim::Algorithm {
 public:
  static constexpr sim::TimerId kElectionTimer = 0;
  static constexpr sim::TimerId kHeartbeatTimer = 1;
  static constexpr sim::TimerId kCheckQuorumTimer = 2;
  static constexpr sim::TimerId kPersistTimer = 3;  // a write completes (persist_delay)
  // The most entries one AppendEntries carries (a run of one term, see raft_messages.h).
  static constexpr uint64_t kMaxEntriesPerAppend = 64;
  // candidate_backoff doubles a candidate's timeout at most this many times (1024x), so that a
  // long run of refusals cannot push a timer past the simulator's horizon.
  static constexpr uint32_t kMaxBackoffDoublings = 10;

  explicit Raft(const RaftOptions& options) : options_(options) {}

  sim::FamilyId family() const override { return sim::families::kRaft; }
  void on_start(sim::Context& context, const sim::DurableState* restored) override;
  void on_message(sim::Context& context, sim::NodeId from, const sim::Payload& message) override;
  void on_timer(sim::Context& context, sim::TimerId timer) override;

  // Read-only views for tests and debugging.
  RaftRole role() const { return role_; }
  uint64_t current_term() const { return current_term_; }
  sim::NodeId voted_for() const { return voted_for_; }
  sim::NodeId leader() const { return leader_; }
  const RaftLog& log() const { return log_; }
  uint64_t commit_index() const { return commit_index_; }

  // The durable state's layout: a format word, then current_term, voted_for + 1 (0 for none),
  // the number of log entries, and each entry's term.
  static constexpr uint64_t kDurableFormat = 1;
  static constexpr size_t kDurableHeaderWords = 4;

 private:
  // Role changes (etcd-raft's becomeFollower / becomePreCandidate / becomeCandidate /
  // becomeLeader). `reason` is reported if the server stops leading or following.
  void become_follower(sim::Context& context, uint64_t term, sim::NodeId leader,
                       sim::StepDownReason reason);
  // An election timeout: campaign, after a PreVote round when pre_vote is on.
  void start_election(sim::Context& context);
  void become_pre_candidate(sim::Context& context);
  void become_candidate(sim::Context& context);
  void become_leader(sim::Context& context);

  void handle_message(sim::Context& context, sim::NodeId from, const RequestVote& message);
  void handle_message(sim::Context& context, sim::NodeId from, const RequestVoteResponse& message);
  void handle_message(sim::Context& context, sim::NodeId from, const AppendEntries& message);
  void handle_message(sim::Context& context, sim::NodeId from,
                      const AppendEntriesResponse& message);
  void handle_message(sim::Context& context, sim::NodeId from, const PreVote& message);
  void handle_message(sim::Context& context, sim::NodeId from, const PreVoteResponse& message);
  void handle_check_quorum(sim::Context& context);

  void broadcast_append(sim::Context& context);
  void send_append(sim::Context& context, sim::NodeId to);
  // Counts a vote (or pre-vote) from `from` once; true when a majority has granted.
  bool record_vote(sim::NodeId from);
  // Paper Figure 2 ("Rules for Servers", Leaders): the highest index that a majority stores,
  // if its entry is of the leader's own term, is committed (5.3, 5.4.2).
  void maybe_advance_commit(sim::Context& context);
  // Moves commitIndex up to `index` (never down) and reports the newest committed entry.
  void maybe_commit(sim::Context& context, uint64_t index);
  void reset_votes();

  // Thesis 4.2.3: true if this server heard from a current leader within the minimum election
  // timeout (a leader counts itself).
  bool heard_from_leader_recently(const sim::Context& context) const;
  bool sticky() const { return options_.leader_stickiness || options_.check_quorum; }
  // `extra` delays the timer past the drawn timeout (LogCabin resets it after a write).
  void reset_election_timer(sim::Context& context, sim::Duration extra = sim::Duration::zero());

  // Every message goes out through here, so durable state that changed is saved first (paper
  // Figure 2: "updated on stable storage before responding to RPCs").
  // With a persist_delay, a response waits for the writes in flight (see RaftOptions).
  void send(sim::Context& context, sim::NodeId to, const RaftMessage& message);
  void complete_write(sim::Context& context);
  // With logcabin_write_order, a stepDown's term write on its own (LogCabin's stepDown calls
  // updateLogMetadata): issues it and returns how long until the disk has done it, which the
  // handler adds to the timer it resets next. Zero otherwise.
  sim::Duration write_new_term_first(sim::Context& context);
  // A LogCabin server inside a synchronous write (see deferred_).
  bool blocked_by_write() const;
  void run_deferred(sim::Context& context);
  void mark_dirty() { durable_dirty_ = true; }
  void maybe_persist(sim::Context& context);
  void restore(const sim::DurableState& state);

  RaftOptions options_;
  sim::NodeId self_ = sim::kNoNode;
  // The member's position in its group, which indexes the per-peer state below (a binary search
  // over a few members; a message from outside the group fails here).
  size_t position(sim::NodeId member) const {
    // Ids of a group are usually consecutive (a single group always): one subtraction then.
    if (members_contiguous_) [[likely]] {
      const size_t offset = static_cast<size_t>(member) - members_.front();
      SIM_CHECK(member >= members_.front() && offset < members_.size(),
                "a message from outside the group");
      return offset;
    }
    const auto it = std::lower_bound(members_.begin(), members_.end(), member);
    SIM_CHECK(it != members_.end() && *it == member, "a message from outside the group");
    return static_cast<size_t>(it - members_.begin());
  }

  std::span<const sim::NodeId> members_;  // the group's members, in id order (the world's list)
  bool members_contiguous_ = false;       // members_ are consecutive ids
  std::vector<sim::NodeId> peers_;  // every member but this server, in id order
  uint32_t quorum_ = 1;             // a majority of the members

  // Persistent state on all servers (paper Figure 2).
  uint64_t current_term_ = 0;
  sim::NodeId voted_for_ = sim::kNoNode;
  RaftLog log_;

  // Volatile state.
  uint64_t commit_index_ = 0;  // paper Figure 2: the highest entry known to be committed
  RaftRole role_ = RaftRole::kFollower;
  sim::NodeId leader_ = sim::kNoNode;
  sim::LocalInstant last_leader_contact_;  // local time of the last accepted AppendEntries
  bool knew_leader_ = false;          // since the last start (see initial_election_timeout)
  std::vector<uint8_t> votes_;        // by member position: granted this election (or pre-election)
  uint32_t votes_granted_ = 0;
  uint32_t refusals_ = 0;  // vote refusals in this candidacy (candidate_backoff)
  uint32_t backoff_ = 0;   // doublings of the candidate timeout (candidate_backoff)

  // Volatile state on leaders (paper Figure 2), by member position.
  std::vector<uint64_t> next_index_;
  std::vector<uint64_t> match_index_;
  // What each follower said it stores, which the commit rule counts: its match index, except
  // for a Figure 16 lagging server, which acknowledges entries it drops (lagging_stay_behind).
  std::vector<uint64_t> stored_index_;
  std::vector<uint64_t> commit_scratch_;  // by member position, for maybe_advance_commit
  std::vector<uint8_t> recently_active_;  // thesis 6.2: responded since the last quorum check

  bool durable_dirty_ = false;
  // With a persist_delay: writes issued and completed so far (one completes every
  // persist_delay while any is outstanding), and the responses waiting, in the order sent, each
  // with the number of the last write issued before it.
  uint64_t writes_issued_ = 0;
  uint64_t writes_done_ = 0;
  sim::LocalInstant disk_done_at_;
  std::deque<sim::Duration> write_lengths_;  // of the writes issued and not yet completed  // when the last write issued completes, on the local clock
  struct HeldMessage {
    uint64_t after_write;
    sim::NodeId to;
    RaftMessage message;
  };
  std::deque<HeldMessage> held_;
  // LogCabin holds its one lock across a synchronous write (updateLogMetadata, a follower's log
  // sync), so a server that is not leader handles nothing else until the write is done. With
  // logcabin_write_order the messages and election timeouts that arrive meanwhile wait here, in
  // arrival order; a timeout whose timer was reset before its turn is dropped, as LogCabin's
  // timer thread finds startElectionAt moved once it has the lock.
  struct Deferred {
    bool timeout;
    uint64_t timer_generation;
    sim::NodeId from;
    RaftMessage message;
  };
  std::deque<Deferred> deferred_;
  uint64_t election_timer_generation_ = 0;
};

class RaftFactory final : public sim::AlgorithmFactory {
 public:
  RaftFactory(const RaftOptions& options, NodeList lagging_nodes)
      : options_(options), lagging_nodes_(std::move(lagging_nodes)) {}
  std::unique_ptr<sim::Algorithm> create(sim::NodeId node) const override;
  const RaftOptions& options() const { return options_; }

 private:
  RaftOptions options_;
  NodeList lagging_nodes_;
};

// Builds the factory from parameters resolved by raft_info().resolve.
std::unique_ptr<sim::AlgorithmFactory> make_factory(const Params& params, uint32_t nodes);
// The same with RaftOptions::ignores_quorum_loss set (tests only).
std::unique_ptr<sim::AlgorithmFactory> make_factory_ignoring_quorum_loss(const Params& params,
                                                                         uint32_t nodes);

}  // namespace electsim::algorithms::raft
