#include "algorithms/zab/zab.h"

#include <algorithm>
#include <utility>

namespace electsim::algorithms::zab {

using sim::Context;
using sim::ProcessId;

// ---- Inputs ----

void Zab::on_start(Context& context, const sim::DurableState* restored) {
  self_ = context.self();
  members_ = context.members();
  SIM_CHECK(!members_.empty() && std::is_sorted(members_.begin(), members_.end()),
            "members are listed in id order");
  SIM_CHECK(std::binary_search(members_.begin(), members_.end(), self_),
            "a server is one of its group's members");
  quorum_ = static_cast<uint32_t>(members_.size() / 2 + 1);
  // Per-member state is sized once by the group, so the steady state never allocates.
  const size_t slots = members_.size();
  received_.assign(slots, std::nullopt);
  out_of_election_.assign(slots, std::nullopt);
  connected_.assign(slots, 0);
  epoch_acked_.assign(slots, 0);
  new_leader_acked_.assign(slots, 0);
  acked_zxid_.assign(slots, 0);
  ack_deadline_tick_.assign(slots, 0);

  if (restored != nullptr && !restored->empty()) {
    restore(*restored);
  } else {
    // A first start or an amnesia restart: epoch 0 and an empty log; nothing to save yet.
    accepted_epoch_ = 0;
    current_epoch_ = 0;
    log_.clear();
  }
  // QuorumPeer starts LOOKING with logicalclock 0 (it lives in memory only).
  round_ = 0;
  committed_ = 0;
  role_ = ZabRole::kLooking;
  leader_ = sim::kNoNode;
  current_vote_ = Vote{};
  become_looking(context);
}

void Zab::on_message(Context& context, ProcessId from, const sim::Payload& message) {
  SIM_CHECK(from != self_, "a message from itself");
  const auto body = message.as<ZabMessage>();
  std::visit([&](const auto& typed) { handle_message(context, from, typed); }, body);
}

void Zab::on_timer(Context& context, sim::TimerId timer) {
  switch (timer) {
    case kNotificationTimer:
      if (role_ == ZabRole::kLooking && !finalizing_) handle_notification_timeout(context);
      break;
    case kFinalizeTimer:
      // FastLeaderElection.lookForLeader: no better notification within finalizeWait, so the
      // proposal that a quorum agrees with is the election's outcome.
      if (role_ == ZabRole::kLooking && finalizing_) finish_election(context, proposal_);
      break;
    case kLeaderTickTimer:
      if (role_ == ZabRole::kLeading) handle_leader_tick(context);
      break;
    case kPhaseTimer:
      // Leader.getEpochToPropose, waitForEpochAck and waitForNewLeaderAck each wait initLimit
      // ticks for a quorum, then give up ("Timeout while waiting for epoch ...").
      if (role_ == ZabRole::kLeading && phase_ != ZabPhase::kBroadcast) {
        leader_gives_up(context, sim::StepDownReason::kQuorumLost);
      }
      break;
    case kLeaderReadTimer:
      // Learner: the socket's read timeout (initLimit ticks while connecting and synchronizing,
      // syncLimit ticks after) ends the following; the server goes back to LOOKING.
      if (role_ == ZabRole::kFollowing) {
        follower_gives_up(context, sim::LeaderLostReason::kElectionTimeout);
      }
      break;
    case kRetransmitTimer:
      if (role_ == ZabRole::kFollowing && phase_ != ZabPhase::kBroadcast) send_handshake(context);
      break;
    default:
      SIM_CHECK(false, "unknown Zab timer");
  }
}

// ---- Shared ----

void Zab::send(Context& context, ProcessId to, const ZabMessage& message) {
  context.send(to, message);
}

// The durable layout is [format, acceptedEpoch, currentEpoch, entry count, zxids...]. Rewritten
// whole: Zab writes only at elections (new epochs, synchronization, one no-op per epoch), never
// in the steady state, and its log grows by one entry per epoch.
void Zab::persist(Context& context) {
  sim::DurableState state;
  state.reserve(kDurableHeaderWords + log_.size());
  state.push_back(kDurableFormat);
  state.push_back(accepted_epoch_);
  state.push_back(current_epoch_);
  state.push_back(log_.size());
  state.insert(state.end(), log_.begin(), log_.end());
  context.persist(state);
}

void Zab::restore(const sim::DurableState& state) {
  SIM_CHECK(state.size() >= kDurableHeaderWords && state[0] == kDurableFormat &&
                state.size() == kDurableHeaderWords + state[3],
            "Zab durable state is malformed");
  accepted_epoch_ = state[1];
  current_epoch_ = state[2];
  log_.assign(state.begin() + kDurableHeaderWords, state.end());
}

bool Zab::log_contains(Zxid zxid) const {
  return zxid == 0 || std::binary_search(log_.begin(), log_.end(), zxid);
}

void Zab::truncate_after(Zxid zxid) {
  log_.erase(std::upper_bound(log_.begin(), log_.end(), zxid), log_.end());
}

size_t Zab::position(ProcessId member) const {
  const auto it = std::lower_bound(members_.begin(), members_.end(), member);
  SIM_CHECK(it != members_.end() && *it == member, "a message from outside the group");
  return static_cast<size_t>(it - members_.begin());
}


// ---- Family ----

namespace {
constexpr std::string_view kMessageNames[] = {"notification", "follower_info", "leader_info",
                                              "ack_epoch",    "trunc",         "proposal",
                                              "new_leader",   "ack",           "commit",
                                              "ping"};
static_assert(std::size(kMessageNames) == std::variant_size_v<ZabMessage>);
// By timer id: Zab::kNotificationTimer ... kRetransmitTimer.
constexpr std::string_view kTimerNames[] = {"notification", "finalize",  "leader_tick",
                                            "phase",        "leader_read", "retransmit"};
static_assert(Zab::kRetransmitTimer + 1 == std::size(kTimerNames));
// Electing: Fast Leader Election's notifications, then discovery and synchronization up to
// NEWLEADER (FOLLOWERINFO, LEADERINFO, ACKEPOCH, TRUNC); proposals, ACKs, COMMITs and PINGs
// keep a leader.
constexpr sim::FamilyInfo kFamily{sim::families::kZab, "zab", kMessageNames, kTimerNames,
                                  sim::message_mask({0, 1, 2, 3, 4, 6})};
}  // namespace

const sim::FamilyInfo& zab_family() { return kFamily; }

std::unique_ptr<sim::Algorithm> ZabFactory::create(ProcessId /*process*/) const {
  return std::make_unique<Zab>(options_);
}

}  // namespace electsim::algorithms::zab
