// The leadership timeline for reports: who became leader, stepped down, crashed, restarted,
// paused or resumed, when network and clock faults began and ended, and the fenced resource's
// refused and stale writes (the first refused write of each run of refusals of one leadership,
// and the stale write each no_stale_write_accepted violation reports, so that a stale leader
// writing every 100 ms does not fill the timeline). Bounded, so a long run
// costs no more than a short one; the full story is in the streamed trace (--trace).
//
// It keeps the first `limit` entries (the head), and, past the head, the entries around each
// violation: a small ring of the most recent entries is copied out when a check reports a
// violation (as a ViolationObserver), and the next few entries are kept too. So a violation late
// in a long run is still shown with what led up to it, without storing the whole timeline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "sim/checks/checks.h"
#include "sim/time.h"
#include "sim/layout.h"
#include "sim/trace.h"

namespace electsim::sim::checks {

class LeadershipTimeline final : public TraceObserver, public ViolationObserver {
 public:
  static constexpr size_t kDefaultLimit = 50;
  // The hard cap for a "full" timeline (`run --timeline full`): about 100 MB at most in entries
  // and their text, so even a runaway run cannot exhaust memory through the report.
  static constexpr size_t kFullLimit = 1'000'000;
  // Around each violation: this many entries before it, and this many after it was found.
  static constexpr size_t kWindowBefore = 6;
  static constexpr size_t kWindowAfter = 4;
  // Violations past this many get no window of their own (they are still counted).
  static constexpr size_t kMaxWindows = 10;

  enum class Event : uint8_t {
    kBecameLeader,
    kSteppedDown,
    kCrashed,
    kRestarted,
    kPaused,
    kResumed,
    kFaultStarted,  // network and clock faults; process faults show as the records above
    kFaultEnded,
    kWriteRefused,        // the resource refused a leadership's write
    kStaleWriteAccepted,  // the resource accepted a write after a newer leadership's
  };
  struct Entry {
    Instant time;  // true time
    NodeId node = kNoNode;
    Event event = Event::kBecameLeader;
    uint64_t epoch = 0;                                  // kBecameLeader, kSteppedDown
    StepDownReason reason = StepDownReason::kStartup;    // kSteppedDown
    bool amnesia = false;                                // kRestarted
    uint64_t fault_index = 0;                            // kFaultStarted, kFaultEnded
    uint64_t fault_code = 0;                             // kFaultStarted, kFaultEnded
    uint64_t token = 0;                                  // the writes
    uint64_t position = 0;  // 0-based, among every entry of the run, kept or not
    friend bool operator==(const Entry&, const Entry&) = default;
  };

  explicit LeadershipTimeline(size_t limit = kDefaultLimit) : limit_(limit) {}

  // The kinds the timeline needs; attach() registers it with exactly these.
  static KindMask kinds();
  void attach(Trace& trace) { trace.add_observer(this, kinds()); }
  void on_record(const TraceRecord& record) override;
  void on_violation(const Violation& violation) override;

  // The kept entries in position order: the head, then the windows around violations. Where
  // positions are not consecutive, entries between them were omitted.
  const std::vector<Entry>& entries() const { return entries_; }
  // Entries seen but not kept.
  uint64_t more() const { return seen_ - entries_.size(); }
  uint64_t seen() const { return seen_; }
  size_t limit() const { return limit_; }
  // Violations that came after kMaxWindows others and so got no window.
  uint64_t windows_dropped() const { return windows_dropped_; }

  // "1.5s  n2 became leader of epoch 3", "2s  n2 stepped down (higher_epoch_seen)".
  // Names processes and hosts by `layout` when it has several groups or kinds (g7.n2, h3), as
  // n1.. otherwise or without one.
  static std::string describe(const Entry& entry, const Layout* layout = nullptr);
  // The same without the time: "n2 became leader of epoch 3", "fault #2 (partition) started".
  static std::string describe_event(const Entry& entry, const Layout* layout = nullptr);
  // One line per entry, "... N entries omitted ..." at each gap, "... and N more" at the end.
  std::string to_text() const;

 private:
  static bool make_entry(const TraceRecord& record, Entry* entry);
  // Whether a resource_write record is one the timeline marks, and which mark.
  bool make_write_entry(const TraceRecord& record, Entry* entry);
  void keep(const Entry& entry);

  size_t limit_;
  std::vector<Entry> entries_;
  std::deque<Entry> recent_;     // the last entries not kept, at most kWindowBefore
  size_t keep_after_ = 0;        // entries still to keep after the last violation
  size_t windows_ = 0;
  uint64_t windows_dropped_ = 0;
  uint64_t seen_ = 0;
  // The leadership whose refused write was marked last: its next refusals are not marked again.
  NodeId refused_writer_ = kNoNode;
  uint64_t refused_epoch_ = 0;
  // The write a no_stale_write_accepted violation just reported (checks see a record before
  // the timeline does): its resource_write record is marked as stale.
  NodeId stale_writer_ = kNoNode;
  Instant stale_time_;
};

}  // namespace electsim::sim::checks
