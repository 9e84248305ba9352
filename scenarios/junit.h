// `--junit FILE`: the results of a run or a sweep as JUnit XML, which Jenkins, GitLab and
// GitHub test reporters read. One test case per scenario x algorithm (issue 12: the unit a team
// tracks from build to build, whatever seeds it swept), named "SCENARIO (ALGORITHM)". A sweep
// with a failing seed fails that test case: the message names the failing seeds (the first
// kListedSeeds, then how many more), the first one's check, its one-sentence detail and its
// reproduce command; the body keeps the per-seed detail (every violation with its true time,
// and each seed's reproduce command) for the first kDetailedSeeds failing seeds, then the
// numbers of the rest.
//
// The document follows the strictest common schema, Ant's JUnit XML as written down in
// windyroad/JUnit-Schema (JUnit.xsd): <testsuites> holds one <testsuite> with name, timestamp,
// hostname, tests, failures, errors, skipped, time, id and package, then <properties>, the
// <testcase> (name, classname, time) and the required (empty) <system-out> and <system-err>.
// A test case holds at most one <failure> or <error>: safety and liveness violations are a
// <failure>; an internal error or an exceeded budget in any seed, which is no judgement of the
// algorithm, makes it an <error> (whose body still lists the violating seeds). Every text and
// attribute is escaped, invalid UTF-8 and characters XML cannot carry are replaced, so the file
// always parses.
//
// Times: `time` on the suite and the test case is the wall-clock seconds of the whole command
// (for people; it never reaches the simulation).
//
// Memory stays flat: the failing seeds' detail goes to an anonymous temporary file as seeds
// finish, and is copied into the output at the end, after the message (which comes first in the
// XML) is known; only the failing seeds' numbers are kept in memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "reports/run_result.h"

namespace electsim::scenarios {

class JunitReport {
 public:
  // Failing seeds named in the failure's message, and seeds whose detail the body carries.
  static constexpr size_t kListedSeeds = 5;
  static constexpr size_t kDetailedSeeds = 100;

  // The suite and its test case are named "SCENARIO (ALGORITHM)"; `properties` (name, value)
  // describe the command. Fails only if no temporary file can be created.
  static absl::StatusOr<JunitReport> create(const std::string& scenario,
                                            const std::string& algorithm,
                                            std::vector<std::pair<std::string, std::string>>
                                                properties);
  JunitReport(JunitReport&& other) noexcept;
  JunitReport& operator=(JunitReport&&) = delete;
  JunitReport(const JunitReport&) = delete;
  ~JunitReport();

  // One seed's result; seeds are added in the order the message should list them (seed order).
  void add(const reports::RunResult& run);
  // A test case of the sweep as a whole, such as the regression gate of --baseline: it passes,
  // or fails with a <failure> of `type` whose message is `message` and whose text is `body`.
  void add_sweep_case(const std::string& name, bool passed, const std::string& type,
                      const std::string& message, const std::string& body);
  // Hands the whole document to `write`, piece by piece. False if the temporary file failed.
  bool finish(const std::function<void(std::string_view)>& write, double wall_seconds);

 private:
  JunitReport(std::string name, std::string classname,
              std::vector<std::pair<std::string, std::string>> properties, std::FILE* details);

  // The <failure> or <error> element of the test case (empty when every seed passed).
  std::string result_element_head() const;
  std::string failing_seeds_text(size_t from, size_t limit) const;
  bool copy_details(const std::function<void(std::string_view)>& write);

  std::string name_;
  std::string classname_;
  std::vector<std::pair<std::string, std::string>> properties_;
  std::FILE* details_;
  uint64_t seeds_ = 0;
  std::vector<uint64_t> failing_seeds_;  // in the order added
  std::string error_type_;  // the first internal error's or exceeded budget's verdict name
  bool any_safety_ = false;
  std::string first_failure_;            // "check: detail" of the first failing seed
  std::string first_reproduce_;
  // Test cases of the sweep as a whole (add_sweep_case), rendered, after the seeds' case.
  std::vector<std::string> sweep_cases_;
  size_t sweep_case_failures_ = 0;
};

// `text` made safe for XML: & < > " ' escaped, other control characters and invalid UTF-8 as
// U+FFFD. In an attribute value (`attribute`), tab, newline and carriage return become character
// references too, since a parser would turn them into spaces; in element content they stay.
std::string xml_escape(std::string_view text, bool attribute = true);

}  // namespace electsim::scenarios
