#include "sim/trace.h"

namespace electsim::sim {

std::string_view record_kind_name(RecordKind kind) {
  switch (kind) {
    case RecordKind::kSend: return "send";
    case RecordKind::kDeliver: return "deliver";
    case RecordKind::kDrop: return "drop";
    case RecordKind::kDuplicate: return "duplicate";
    case RecordKind::kTimer: return "timer";
    case RecordKind::kCrash: return "crash";
    case RecordKind::kRestart: return "restart";
    case RecordKind::kPause: return "pause";
    case RecordKind::kResume: return "resume";
    case RecordKind::kClockChange: return "clock_change";
    case RecordKind::kLinkChange: return "link_change";
    case RecordKind::kBecameLeader: return "became_leader";
    case RecordKind::kFollows: return "follows";
    case RecordKind::kSteppedDown: return "stepped_down";
    case RecordKind::kFaultStart: return "fault_start";
    case RecordKind::kFaultEnd: return "fault_end";
    case RecordKind::kResourceWrite: return "resource_write";
    case RecordKind::kPersist: return "persist";
    case RecordKind::kReady: return "ready";
    case RecordKind::kLeaderLost: return "leader_lost";
    case RecordKind::kWriteSent: return "write_sent";
    case RecordKind::kCommitted: return "committed";
    case RecordKind::kSupported: return "supported";
    case RecordKind::kLeaderLogEnd: return "leader_log_end";
    case RecordKind::kCount: break;
  }
  return "unknown";
}

std::string_view drop_reason_name(DropReason reason) {
  switch (reason) {
    case DropReason::kLoss: return "loss";
    case DropReason::kLinkDown: return "link_down";
    case DropReason::kNodeDown: return "node_down";
    case DropReason::kEndOfRun: return "end_of_run";
  }
  return "unknown";
}

std::string_view clock_change_name(ClockChange change) {
  switch (change) {
    case ClockChange::kDriftPpm: return "drift";
    case ClockChange::kOffset: return "offset";
    case ClockChange::kJump: return "jump";
  }
  return "unknown";
}

std::string_view step_down_reason_name(StepDownReason reason) {
  switch (reason) {
    case StepDownReason::kStartup: return "startup";
    case StepDownReason::kElectionWon: return "election_won";
    case StepDownReason::kHigherEpochSeen: return "higher_epoch_seen";
    case StepDownReason::kQuorumLost: return "quorum_lost";
    case StepDownReason::kLeaseExpired: return "lease_expired";
    case StepDownReason::kRenewDeadlineExceeded: return "renew_deadline_exceeded";
    case StepDownReason::kSessionExpired: return "session_expired";
    case StepDownReason::kResigned: return "resigned";
    case StepDownReason::kCrashed: return "crashed";
    case StepDownReason::kElectionStarted: return "election_started";
  }
  return "unknown";
}

std::string_view leader_lost_reason_name(LeaderLostReason reason) {
  switch (reason) {
    case LeaderLostReason::kElectionTimeout: return "election_timeout";
    case LeaderLostReason::kHigherEpochSeen: return "higher_epoch_seen";
    case LeaderLostReason::kCrashed: return "crashed";
    case LeaderLostReason::kLeaderUnreachable: return "leader_unreachable";
  }
  return "unknown";
}

}  // namespace electsim::sim
