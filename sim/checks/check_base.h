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

// One incremental check: a trace observer that says which record kinds it needs and adds what
// it found to the results.
class Check : public TraceObserver {
 public:
  virtual KindMask kinds() const = 0;
  virtual void collect(CheckResults& results) const = 0;
};

// A list of violations that keeps the first kMaxViolationsPerCheck and counts the rest.
class ViolationList {
 public:
  void add(Violation violation);
  void append_to(CheckResults& results) const;
  size_t size() const { return kept_.size(); }

 private:
  std::vector<Violation> kept_;
  uint64_t dropped_ = 0;
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
// "the crash of n2 at 10s", "fault #3 (partition) starting at 30s", ...
std::string describe_fault_event(const TraceRecord& record);

}  // namespace electsim::sim::checks
