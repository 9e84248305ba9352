// What every check in the suite shares (internal to sim/checks): the observer base class, the
// bounded violation list, node names, and what counts as a fault event.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/checks/checks.h"
#include "sim/trace.h"

namespace electsim::sim::checks {

// How many violations one check lists, and how many overlaps the suite lists; what is found
// beyond that is only counted (CheckResults::violations_dropped / overlaps_dropped).
inline constexpr size_t kMaxViolationsPerCheck = 100;
inline constexpr size_t kMaxOverlaps = 1000;

// A list of violations that keeps the first kMaxViolationsPerCheck and counts the rest. Each
// one added is also shown to the observer, if any, as it is found (the timeline uses that to
// keep the entries around a violation).
class ViolationList {
 public:
  void add(Violation violation);
  void append_to(CheckResults& results) const;
  size_t size() const { return kept_.size(); }
  void set_observer(ViolationObserver* observer) { observer_ = observer; }

 private:
  std::vector<Violation> kept_;
  uint64_t dropped_ = 0;
  ViolationObserver* observer_ = nullptr;
};

// One incremental check: a trace observer that says which record kinds it needs and adds what
// it found to the results.
class Check : public TraceObserver {
 public:
  virtual KindMask kinds() const = 0;
  virtual void collect(CheckResults& results) const = 0;
  void set_violation_observer(ViolationObserver* observer) {
    violations_.set_observer(observer);
  }

 protected:
  ViolationList violations_;
};

// "n1" for id 0: users see 1-based names.
std::string node_name(NodeId node);
// "n1", "n1 and n2", "n1, n2 and n3".
std::string node_names(std::span<const NodeId> nodes);

// The records that are fault events for the recovery check and the goals: fault starts and ends,
// and the process, link and clock changes (faults may also be injected directly). A clock change
// at true time zero is the scenario's initial clock setup, not a fault.
KindMask fault_event_kinds();
bool is_fault_event(const TraceRecord& record);
// "the crash of n2 at 10s", "fault #3 (partition) starting at 30s", ...; with `fault_labels`
// (by plan index) a fault is named by its label: "partition bridge n3 (fault #3) starting at
// 30s".
std::string describe_fault_event(const TraceRecord& record,
                                 const std::vector<std::string>& fault_labels = {});

}  // namespace electsim::sim::checks
