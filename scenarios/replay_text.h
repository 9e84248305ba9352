// How `electsim replay` words what it kept (scenarios/replay_window.h): each violation with the
// faults in force at its time, each host's clock then, and the records around it, one line each,
// with processes and hosts by their layout names (n2, g7.n2, h3, r1), message types and timers
// by name.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/replay_window.h"
#include "sim/layout.h"
#include "sim/message_type.h"
#include "sim/trace.h"

namespace electsim::scenarios {

// Names for the ids in records, from the scenario's layout and algorithm.
class ReplayNames {
 public:
  ReplayNames(const sim::Layout& layout, const std::string& algorithm,
              std::vector<std::string> fault_labels);

  std::string process(sim::ProcessId process) const;
  std::string host(sim::HostId host) const;
  std::string timer(sim::ProcessId process, uint32_t timer) const;
  static std::string fault_kind(uint64_t code);
  std::string fault(uint64_t index) const;  // "#3 (crash leader at 10s)"

 private:
  const sim::Layout& layout_;
  std::vector<sim::FamilyId> process_families_;  // by process: whose timer names it uses
  std::vector<std::string> fault_labels_;
};

// "  9.139204113s  -12.345ms  delivered  to=n2 from=n1 type=append_entries message=1234".
std::string replay_record_line(const sim::TraceRecord& record, sim::Instant violation_time,
                               const ReplayNames& names);

// Everything about one violation: its sentence, faults in force, clocks, records before and
// after it.
std::string replayed_violation_text(const ReplayedViolation& replayed, size_t number,
                                    size_t total, sim::Duration window, const ReplayNames& names);

// "9.139204113s": true or local time in seconds, to the nanosecond.
std::string seconds_text(int64_t ns);

}  // namespace electsim::scenarios
