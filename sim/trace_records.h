// The typed trace: one struct per RecordKind with named, typed fields (issue 8, "A typed trace";
// docs/TRACE.md documents each with units and meaning). Record one with
//   trace.record(now, MessageSent{.from = a, .to = b, .group = g, .type = t, .message = id});
// and read one with
//   const LeaderElected elected = record.as<LeaderElected>();
//
// Each struct's `kFields` is the only place that says which field sits in which word of the flat
// TraceRecord; packing, unpacking, the JSON Lines keys and the docs test all derive from it.
// Adding a kind is: its RecordKind value, one struct here, its entry in AllRecordTypes (the
// static_asserts below say when one is missing or out of order), and a section in TRACE.md
// (a test fails without it).
//
// Process records carry a `group` (kNoGroup for a process outside any group); host records do
// not, and always pack kNoGroup.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>

#include "sim/algorithm.h"
#include "sim/layout.h"
#include "sim/message_type.h"
#include "sim/trace.h"
#include "sim/trace_fields.h"

namespace electsim::sim {

// ---- Messages ----

struct MessageSent {
  static constexpr RecordKind kKind = RecordKind::kSend;
  ProcessId from = kNoNode;
  ProcessId to = kNoNode;
  GroupId group = kNoGroup;  // the sender's
  MessageTypeId type = 0;
  uint64_t message = 0;  // the message's id, unique in the run
  static constexpr auto kFields = std::tuple{
      field("from", &MessageSent::from, Slot::kNode, FieldType::kProcess),
      field("to", &MessageSent::to, Slot::kPeer, FieldType::kProcess),
      field("group", &MessageSent::group, Slot::kGroup, FieldType::kGroup),
      field("type", &MessageSent::type, Slot::kA, FieldType::kMessageType),
      field("message", &MessageSent::message, Slot::kB, FieldType::kUnsigned)};
};

struct MessageDelivered {
  static constexpr RecordKind kKind = RecordKind::kDeliver;
  ProcessId to = kNoNode;
  ProcessId from = kNoNode;
  GroupId group = kNoGroup;  // the receiver's
  MessageTypeId type = 0;
  uint64_t message = 0;
  static constexpr auto kFields = std::tuple{
      field("to", &MessageDelivered::to, Slot::kNode, FieldType::kProcess),
      field("from", &MessageDelivered::from, Slot::kPeer, FieldType::kProcess),
      field("group", &MessageDelivered::group, Slot::kGroup, FieldType::kGroup),
      field("type", &MessageDelivered::type, Slot::kA, FieldType::kMessageType),
      field("message", &MessageDelivered::message, Slot::kB, FieldType::kUnsigned)};
};

struct MessageDropped {
  static constexpr RecordKind kKind = RecordKind::kDrop;
  ProcessId to = kNoNode;
  ProcessId from = kNoNode;
  GroupId group = kNoGroup;  // the receiver's
  DropReason reason = DropReason::kLoss;
  uint64_t message = 0;
  static constexpr auto kFields = std::tuple{
      field("to", &MessageDropped::to, Slot::kNode, FieldType::kProcess),
      field("from", &MessageDropped::from, Slot::kPeer, FieldType::kProcess),
      field("group", &MessageDropped::group, Slot::kGroup, FieldType::kGroup),
      field("reason", &MessageDropped::reason, Slot::kA, FieldType::kDropReason),
      field("message", &MessageDropped::message, Slot::kB, FieldType::kUnsigned)};
};

struct MessageDuplicated {
  static constexpr RecordKind kKind = RecordKind::kDuplicate;
  ProcessId to = kNoNode;
  ProcessId from = kNoNode;
  GroupId group = kNoGroup;  // the receiver's
  MessageTypeId type = 0;
  uint64_t message = 0;  // the copy's id
  static constexpr auto kFields = std::tuple{
      field("to", &MessageDuplicated::to, Slot::kNode, FieldType::kProcess),
      field("from", &MessageDuplicated::from, Slot::kPeer, FieldType::kProcess),
      field("group", &MessageDuplicated::group, Slot::kGroup, FieldType::kGroup),
      field("type", &MessageDuplicated::type, Slot::kA, FieldType::kMessageType),
      field("message", &MessageDuplicated::message, Slot::kB, FieldType::kUnsigned)};
};

// ---- Processes ----

struct TimerFired {
  static constexpr RecordKind kKind = RecordKind::kTimer;
  ProcessId process = kNoNode;
  GroupId group = kNoGroup;
  uint32_t timer = 0;     // the algorithm's TimerId
  int64_t local_ns = 0;   // the process's host clock when it fired
  static constexpr auto kFields = std::tuple{
      field("process", &TimerFired::process, Slot::kNode, FieldType::kProcess),
      field("group", &TimerFired::group, Slot::kGroup, FieldType::kGroup),
      field("timer", &TimerFired::timer, Slot::kA, FieldType::kTimer),
      field("local_ns", &TimerFired::local_ns, Slot::kB, FieldType::kSignedNanos)};
};

struct StatePersisted {
  static constexpr RecordKind kKind = RecordKind::kPersist;
  ProcessId process = kNoNode;
  GroupId group = kNoGroup;
  uint64_t words = 0;   // how many 64-bit words were written
  uint64_t offset = 0;  // where in the durable state they were written (0 for a whole state)
  static constexpr auto kFields = std::tuple{
      field("process", &StatePersisted::process, Slot::kNode, FieldType::kProcess),
      field("group", &StatePersisted::group, Slot::kGroup, FieldType::kGroup),
      field("words", &StatePersisted::words, Slot::kA, FieldType::kUnsigned),
      field("offset", &StatePersisted::offset, Slot::kB, FieldType::kUnsigned)};
};

// ---- Hosts ----

struct HostCrashed {
  static constexpr RecordKind kKind = RecordKind::kCrash;
  HostId host = kNoHost;
  static constexpr auto kFields =
      std::tuple{field("host", &HostCrashed::host, Slot::kNode, FieldType::kHost)};
};

struct HostRestarted {
  static constexpr RecordKind kKind = RecordKind::kRestart;
  HostId host = kNoHost;
  bool amnesia = false;  // its processes restarted with nothing rather than their durable state
  static constexpr auto kFields = std::tuple{
      field("host", &HostRestarted::host, Slot::kNode, FieldType::kHost),
      field("amnesia", &HostRestarted::amnesia, Slot::kA, FieldType::kBool)};
};

struct HostPaused {
  static constexpr RecordKind kKind = RecordKind::kPause;
  HostId host = kNoHost;
  static constexpr auto kFields =
      std::tuple{field("host", &HostPaused::host, Slot::kNode, FieldType::kHost)};
};

struct HostResumed {
  static constexpr RecordKind kKind = RecordKind::kResume;
  HostId host = kNoHost;
  uint64_t inbox = 0;  // messages and timers held while paused, handled now
  static constexpr auto kFields = std::tuple{
      field("host", &HostResumed::host, Slot::kNode, FieldType::kHost),
      field("inbox", &HostResumed::inbox, Slot::kA, FieldType::kUnsigned)};
};

struct ClockChanged {
  static constexpr RecordKind kKind = RecordKind::kClockChange;
  HostId host = kNoHost;
  ClockChange change = ClockChange::kDriftPpm;
  int64_t value = 0;  // ppm for a drift, nanoseconds for an offset or a jump
  static constexpr auto kFields = std::tuple{
      field("host", &ClockChanged::host, Slot::kNode, FieldType::kHost),
      field("change", &ClockChanged::change, Slot::kA, FieldType::kClockChange),
      field("value", &ClockChanged::value, Slot::kB, FieldType::kSignedValue)};
};

struct LinkChanged {
  static constexpr RecordKind kKind = RecordKind::kLinkChange;
  HostId from = kNoHost;
  HostId to = kNoHost;
  bool up = false;
  static constexpr auto kFields = std::tuple{
      field("from", &LinkChanged::from, Slot::kNode, FieldType::kHost),
      field("to", &LinkChanged::to, Slot::kPeer, FieldType::kHost),
      field("up", &LinkChanged::up, Slot::kA, FieldType::kBool)};
};

// ---- Leadership ----

struct LeaderElected {
  static constexpr RecordKind kKind = RecordKind::kBecameLeader;
  ProcessId process = kNoNode;
  GroupId group = kNoGroup;
  uint64_t epoch = 0;
  uint64_t token = 0;  // the fencing token its writes carry
  // A lease holder's belief of until when it leads, on its own host's clock (local ns).
  std::optional<int64_t> lease_until_ns;
  static constexpr auto kFields = std::tuple{
      field("process", &LeaderElected::process, Slot::kNode, FieldType::kProcess),
      field("group", &LeaderElected::group, Slot::kGroup, FieldType::kGroup),
      field("epoch", &LeaderElected::epoch, Slot::kA, FieldType::kUnsigned),
      field("token", &LeaderElected::token, Slot::kB, FieldType::kUnsigned),
      field("lease_until_ns", &LeaderElected::lease_until_ns, Slot::kC,
            FieldType::kOptionalNanos)};
};

struct FollowsLeader {
  static constexpr RecordKind kKind = RecordKind::kFollows;
  ProcessId process = kNoNode;
  ProcessId leader = kNoNode;
  GroupId group = kNoGroup;
  uint64_t epoch = 0;
  static constexpr auto kFields = std::tuple{
      field("process", &FollowsLeader::process, Slot::kNode, FieldType::kProcess),
      field("leader", &FollowsLeader::leader, Slot::kPeer, FieldType::kProcess),
      field("group", &FollowsLeader::group, Slot::kGroup, FieldType::kGroup),
      field("epoch", &FollowsLeader::epoch, Slot::kA, FieldType::kUnsigned)};
};

struct LeaderSteppedDown {
  static constexpr RecordKind kKind = RecordKind::kSteppedDown;
  ProcessId process = kNoNode;
  GroupId group = kNoGroup;
  StepDownReason reason = StepDownReason::kStartup;
  uint64_t epoch = 0;  // the epoch it led or followed in
  static constexpr auto kFields = std::tuple{
      field("process", &LeaderSteppedDown::process, Slot::kNode, FieldType::kProcess),
      field("group", &LeaderSteppedDown::group, Slot::kGroup, FieldType::kGroup),
      field("reason", &LeaderSteppedDown::reason, Slot::kA, FieldType::kStepDownReason),
      field("epoch", &LeaderSteppedDown::epoch, Slot::kB, FieldType::kUnsigned)};
};

struct LeaderReady {
  static constexpr RecordKind kKind = RecordKind::kReady;
  ProcessId process = kNoNode;
  GroupId group = kNoGroup;
  uint64_t epoch = 0;  // the epoch it leads
  static constexpr auto kFields = std::tuple{
      field("process", &LeaderReady::process, Slot::kNode, FieldType::kProcess),
      field("group", &LeaderReady::group, Slot::kGroup, FieldType::kGroup),
      field("epoch", &LeaderReady::epoch, Slot::kA, FieldType::kUnsigned)};
};

// A follower stopped following its leader (followers never "step down": the reason says what
// happened to them).
struct FollowerLostLeader {
  static constexpr RecordKind kKind = RecordKind::kLeaderLost;
  ProcessId process = kNoNode;
  GroupId group = kNoGroup;
  LeaderLostReason reason = LeaderLostReason::kElectionTimeout;
  uint64_t epoch = 0;  // the epoch it followed in
  static constexpr auto kFields = std::tuple{
      field("process", &FollowerLostLeader::process, Slot::kNode, FieldType::kProcess),
      field("group", &FollowerLostLeader::group, Slot::kGroup, FieldType::kGroup),
      field("reason", &FollowerLostLeader::reason, Slot::kA, FieldType::kLeaderLostReason),
      field("epoch", &FollowerLostLeader::epoch, Slot::kB, FieldType::kUnsigned)};
};

// ---- Faults and the fenced resource ----

struct FaultStarted {
  static constexpr RecordKind kKind = RecordKind::kFaultStart;
  HostId host = kNoHost;  // the first host it acts on, if any
  uint64_t fault_index = 0;
  uint64_t fault = 0;     // the fault's kind code (faults::FaultKind)
  static constexpr auto kFields = std::tuple{
      field("host", &FaultStarted::host, Slot::kNode, FieldType::kHost),
      field("fault_index", &FaultStarted::fault_index, Slot::kA, FieldType::kFaultIndex),
      field("fault", &FaultStarted::fault, Slot::kB, FieldType::kFaultKind)};
};

struct FaultEnded {
  static constexpr RecordKind kKind = RecordKind::kFaultEnd;
  HostId host = kNoHost;
  uint64_t fault_index = 0;
  uint64_t fault = 0;
  static constexpr auto kFields = std::tuple{
      field("host", &FaultEnded::host, Slot::kNode, FieldType::kHost),
      field("fault_index", &FaultEnded::fault_index, Slot::kA, FieldType::kFaultIndex),
      field("fault", &FaultEnded::fault, Slot::kB, FieldType::kFaultKind)};
};

// The fenced resource decided a write (algorithms/resource/): it accepted it or refused it.
struct ResourceWritten {
  static constexpr RecordKind kKind = RecordKind::kResourceWrite;
  ProcessId writer = kNoNode;
  ProcessId resource = kNoNode;
  GroupId group = kNoGroup;  // the writer's
  uint64_t token = 0;
  bool accepted = false;
  uint64_t epoch = 0;  // the epoch of the leadership that wrote
  static constexpr auto kFields = std::tuple{
      field("writer", &ResourceWritten::writer, Slot::kNode, FieldType::kProcess),
      field("resource", &ResourceWritten::resource, Slot::kPeer, FieldType::kProcess),
      field("group", &ResourceWritten::group, Slot::kGroup, FieldType::kGroup),
      field("token", &ResourceWritten::token, Slot::kA, FieldType::kUnsigned),
      field("accepted", &ResourceWritten::accepted, Slot::kB, FieldType::kBool),
      field("epoch", &ResourceWritten::epoch, Slot::kC, FieldType::kUnsigned)};
};

// A process sent a write to the fenced resource: the runtime's writer on behalf of a leader, or
// an algorithm that sends one itself. Recorded at send time, whatever becomes of the message.
struct WriteSent {
  static constexpr RecordKind kKind = RecordKind::kWriteSent;
  ProcessId writer = kNoNode;
  ProcessId resource = kNoNode;
  GroupId group = kNoGroup;  // the writer's
  uint64_t token = 0;
  uint64_t epoch = 0;
  uint64_t message = 0;  // the write message's id, as its send record has it
  static constexpr auto kFields = std::tuple{
      field("writer", &WriteSent::writer, Slot::kNode, FieldType::kProcess),
      field("resource", &WriteSent::resource, Slot::kPeer, FieldType::kProcess),
      field("group", &WriteSent::group, Slot::kGroup, FieldType::kGroup),
      field("token", &WriteSent::token, Slot::kA, FieldType::kUnsigned),
      field("epoch", &WriteSent::epoch, Slot::kB, FieldType::kUnsigned),
      field("message", &WriteSent::message, Slot::kC, FieldType::kUnsigned)};
};

// ---- Logs and support (issues 10 and 14) ----

// A process learned that its log is committed up to the entry at (epoch, index): the
// algorithm's Committed report, once per advance. The position is in the algorithm's own
// up-to-date order (sim/algorithm.h, LogPosition).
struct EntryCommitted {
  static constexpr RecordKind kKind = RecordKind::kCommitted;
  ProcessId process = kNoNode;
  GroupId group = kNoGroup;
  uint64_t epoch = 0;  // the epoch the newest committed entry was written in (Raft's term)
  uint64_t index = 0;  // its index in the log
  static constexpr auto kFields = std::tuple{
      field("process", &EntryCommitted::process, Slot::kNode, FieldType::kProcess),
      field("group", &EntryCommitted::group, Slot::kGroup, FieldType::kGroup),
      field("epoch", &EntryCommitted::epoch, Slot::kA, FieldType::kUnsigned),
      field("index", &EntryCommitted::index, Slot::kB, FieldType::kUnsigned)};
};

// A process gave a candidate support for an epoch: the algorithm's Supported report.
struct SupportGiven {
  static constexpr RecordKind kKind = RecordKind::kSupported;
  ProcessId process = kNoNode;    // who gave it
  ProcessId candidate = kNoNode;  // to whom
  GroupId group = kNoGroup;       // the giver's
  uint64_t epoch = 0;             // the epoch the candidate will lead if it wins
  SupportKind support = SupportKind::kVote;
  static constexpr auto kFields = std::tuple{
      field("process", &SupportGiven::process, Slot::kNode, FieldType::kProcess),
      field("candidate", &SupportGiven::candidate, Slot::kPeer, FieldType::kProcess),
      field("group", &SupportGiven::group, Slot::kGroup, FieldType::kGroup),
      field("epoch", &SupportGiven::epoch, Slot::kA, FieldType::kUnsigned),
      field("support", &SupportGiven::support, Slot::kB, FieldType::kSupportKind)};
};

// Where a newly elected leader's log ended when it won (Elected::log_end), recorded right after
// its `became_leader`, only by algorithms that report it.
struct LeaderLogEnd {
  static constexpr RecordKind kKind = RecordKind::kLeaderLogEnd;
  ProcessId process = kNoNode;
  GroupId group = kNoGroup;
  uint64_t epoch = 0;      // the epoch it leads
  uint64_t log_epoch = 0;  // the epoch its last entry was written in
  uint64_t log_index = 0;  // that entry's index
  static constexpr auto kFields = std::tuple{
      field("process", &LeaderLogEnd::process, Slot::kNode, FieldType::kProcess),
      field("group", &LeaderLogEnd::group, Slot::kGroup, FieldType::kGroup),
      field("epoch", &LeaderLogEnd::epoch, Slot::kA, FieldType::kUnsigned),
      field("log_epoch", &LeaderLogEnd::log_epoch, Slot::kB, FieldType::kUnsigned),
      field("log_index", &LeaderLogEnd::log_index, Slot::kC, FieldType::kUnsigned)};
};

// "vote", "pre_vote", "promise", ... (docs/TRACE.md, `supported`).
std::string_view support_kind_name(SupportKind kind);
// Binding support is what a quorum of promises is made of: every kind but a pre-vote and an
// election-round vote, which commit the giver to nothing (sim/algorithm.h).
constexpr bool is_binding(SupportKind kind) {
  return kind != SupportKind::kPreVote && kind != SupportKind::kElectionVote;
}

// Every record struct, in RecordKind order: the one table that ties kinds to structs.
using AllRecordTypes =
    std::tuple<MessageSent, MessageDelivered, MessageDropped, MessageDuplicated, TimerFired,
               HostCrashed, HostRestarted, HostPaused, HostResumed, ClockChanged, LinkChanged,
               LeaderElected, FollowsLeader, LeaderSteppedDown, FaultStarted, FaultEnded,
               ResourceWritten, StatePersisted, LeaderReady, FollowerLostLeader, WriteSent,
               EntryCommitted, SupportGiven, LeaderLogEnd>;

// The struct's name ("LeaderElected") and its fields, for code that iterates over every kind.
std::string_view record_struct_name(RecordKind kind);
std::span<const FieldInfo> record_fields(RecordKind kind);
// True for host records (crash, restart, pause, resume, clock and link changes, faults), whose
// ids are hosts and whose group is always kNoGroup.
bool is_host_record(RecordKind kind);

}  // namespace electsim::sim
