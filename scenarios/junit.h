// `--junit FILE`: the results of a run or a sweep as JUnit XML, which Jenkins, GitLab and
// GitHub test reporters read. One test case per seed; a failing seed carries its verdict, the
// check, the one-sentence detail and the reproduce command.
//
// The document follows the strictest common schema, Ant's JUnit XML as written down in
// windyroad/JUnit-Schema (JUnit.xsd): <testsuites> holds one <testsuite> with name, timestamp,
// hostname, tests, failures, errors, skipped, time, id and package, then <properties>, the
// <testcase>s (name, classname, time) and the required (empty) <system-out> and <system-err>.
// Safety and liveness violations are <failure>s; internal errors and exceeded budgets, which are
// no judgement of the algorithm, are <error>s. Every text and attribute is escaped, invalid
// UTF-8 and characters XML cannot carry are replaced, so the file always parses.
//
// Times: `time` on the suite is the wall-clock seconds of the whole command (for people; it never
// reaches the simulation); seeds run side by side, so each test case says 0.
//
// Memory stays flat: test cases go to an anonymous temporary file as seeds finish and are copied
// into the output at the end, after the suite's counts (which come first in the XML) are known.
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
  // The suite is named "SCENARIO (ALGORITHM)"; `properties` (name, value) describe the command.
  // Fails only if no temporary file can be created.
  static absl::StatusOr<JunitReport> create(const std::string& scenario,
                                            const std::string& algorithm,
                                            std::vector<std::pair<std::string, std::string>>
                                                properties);
  JunitReport(JunitReport&& other) noexcept;
  JunitReport& operator=(JunitReport&&) = delete;
  JunitReport(const JunitReport&) = delete;
  ~JunitReport();

  void add(const reports::RunResult& run);
  // A test case of the sweep as a whole, such as the regression gate of --baseline: it passes,
  // or fails with a <failure> of `type` whose message is `message` and whose text is `body`.
  void add_sweep_case(const std::string& name, bool passed, const std::string& type,
                      const std::string& message, const std::string& body);
  // Hands the whole document to `write`, piece by piece. False if the temporary file failed.
  bool finish(const std::function<void(std::string_view)>& write, double wall_seconds);

 private:
  JunitReport(std::string suite, std::string classname,
              std::vector<std::pair<std::string, std::string>> properties, std::FILE* cases);

  std::string suite_;
  std::string classname_;
  std::vector<std::pair<std::string, std::string>> properties_;
  std::FILE* cases_;
  uint64_t tests_ = 0;
  uint64_t failures_ = 0;
  uint64_t errors_ = 0;
};

// `text` made safe for XML: & < > " ' escaped, other control characters and invalid UTF-8 as
// U+FFFD. In an attribute value (`attribute`), tab, newline and carriage return become character
// references too, since a parser would turn them into spaces; in element content they stay.
std::string xml_escape(std::string_view text, bool attribute = true);

}  // namespace electsim::scenarios
