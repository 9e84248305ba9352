// A brief leadership timeline for reports: the first entries of who became leader, stepped
// down, crashed or restarted, and how many more there were. Bounded, so a long run costs no
// more than a short one; the full story is in the streamed trace (--trace).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::sim::checks {

class LeadershipTimeline final : public TraceObserver {
 public:
  static constexpr size_t kDefaultLimit = 50;

  enum class Event : uint8_t { kBecameLeader, kSteppedDown, kCrashed, kRestarted };
  struct Entry {
    Instant time;  // true time
    NodeId node = kNoNode;
    Event event = Event::kBecameLeader;
    uint64_t epoch = 0;                                  // kBecameLeader, kSteppedDown
    StepDownReason reason = StepDownReason::kStartup;    // kSteppedDown
    bool amnesia = false;                                // kRestarted
    friend bool operator==(const Entry&, const Entry&) = default;
  };

  explicit LeadershipTimeline(size_t limit = kDefaultLimit) : limit_(limit) {}

  // The kinds the timeline needs; attach() registers it with exactly these.
  static KindMask kinds();
  void attach(Trace& trace) { trace.add_observer(this, kinds()); }
  void on_record(const TraceRecord& record) override;

  const std::vector<Entry>& entries() const { return entries_; }
  // Entries seen beyond the limit, counted but not kept.
  uint64_t more() const { return more_; }

  // "1.5s  n2 became leader of epoch 3", "2s  n2 stepped down (higher_epoch_seen)".
  static std::string describe(const Entry& entry);
  // The same without the time: "n2 became leader of epoch 3".
  static std::string describe_event(const Entry& entry);
  // One line per entry, then "... and N more" if some were not kept.
  std::string to_text() const;

 private:
  size_t limit_;
  std::vector<Entry> entries_;
  uint64_t more_ = 0;
};

}  // namespace electsim::sim::checks
