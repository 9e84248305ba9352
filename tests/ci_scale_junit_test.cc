// `--junit FILE` (issue 12, acceptance 4): the file parses as XML and keeps the rules of the
// common JUnit schema (windyroad/JUnit-Schema JUnit.xsd, Ant's format): the required attributes
// and elements in their order, counts that agree with the test cases, one test case per
// scenario x algorithm, and a failure that names the failing seeds with the check, the detail and
// the reproduce command, the per-seed detail in its body. Text that XML cannot
// carry is escaped; a file that cannot be created exits 73 and destroys nothing.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <gtest/gtest.h>

#include "scenarios/junit.h"
#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

namespace fs = std::filesystem;
using boost::property_tree::ptree;

ptree parse_xml(const std::string& text) {
  std::istringstream in(text);
  ptree tree;
  boost::property_tree::read_xml(in, tree);
  return tree;
}

std::vector<std::string> child_names(const ptree& node) {
  std::vector<std::string> names;
  for (const auto& [name, child] : node) names.push_back(name);
  return names;
}

// The schema's rules for one <testsuite>, and its test cases' names in order.
std::vector<std::string> check_suite(const ptree& suite) {
  const ptree& attributes = suite.get_child("<xmlattr>");
  for (const char* required :
       {"name", "timestamp", "hostname", "tests", "failures", "errors", "time", "id", "package"}) {
    EXPECT_TRUE(attributes.count(required) == 1) << "testsuite lacks " << required;
  }
  EXPECT_TRUE(std::regex_match(attributes.get<std::string>("timestamp"),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")));
  const std::vector<std::string> names = child_names(suite);
  // <xmlattr>, properties, testcase*, system-out, system-err: in that order, each once.
  EXPECT_EQ(names.front(), "<xmlattr>");
  EXPECT_EQ(names[1], "properties");
  EXPECT_EQ(names[names.size() - 2], "system-out");
  EXPECT_EQ(names.back(), "system-err");
  std::vector<std::string> cases;
  int failures = 0;
  int errors = 0;
  for (size_t i = 2; i + 2 < names.size(); ++i) EXPECT_EQ(names[i], "testcase");
  for (const auto& [name, testcase] : suite) {
    if (name != "testcase") continue;
    for (const char* required : {"name", "classname", "time"}) {
      EXPECT_TRUE(testcase.get_child("<xmlattr>").count(required) == 1) << required;
    }
    cases.push_back(testcase.get<std::string>("<xmlattr>.name"));
    for (const auto& [kind, result] : testcase) {
      if (kind == "<xmlattr>") continue;
      EXPECT_TRUE(kind == "failure" || kind == "error") << kind;
      EXPECT_TRUE(result.get_child("<xmlattr>").count("message") == 1);
      EXPECT_TRUE(result.get_child("<xmlattr>").count("type") == 1);
      ++(kind == "failure" ? failures : errors);
    }
  }
  EXPECT_EQ(attributes.get<size_t>("tests"), cases.size());
  EXPECT_EQ(attributes.get<int>("failures"), failures);
  EXPECT_EQ(attributes.get<int>("errors"), errors);
  return cases;
}

TEST(CiScaleJunit, ASweepsFileKeepsTheSchemaAndNamesTheFailingSeeds) {
  const auto dir = temp_dir("ci-junit-sweep");
  const auto xml = dir / "results.xml";
  const auto result =
      run_electsim("sweep nemesis-amnesia --seeds 20..39 --quiet --junit " + xml.string(), dir);
  ASSERT_EQ(result.exit_code, 1) << result.err;  // seeds 23, 30, 31, 33 and 37 violate safety
  const std::string text = read_text(xml);
  const ptree tree = parse_xml(text);
  const ptree& suites = tree.get_child("testsuites");
  EXPECT_EQ(suites.get<int>("<xmlattr>.tests"), 1);
  EXPECT_EQ(suites.get<int>("<xmlattr>.failures"), 1);
  const ptree& suite = suites.get_child("testsuite");
  EXPECT_EQ(suite.get<std::string>("<xmlattr>.name"), "nemesis-amnesia (raft)");
  EXPECT_EQ(check_suite(suite), std::vector<std::string>{"nemesis-amnesia (raft)"});
  const ptree& testcase = suite.get_child("testcase");
  EXPECT_EQ(testcase.get<std::string>("<xmlattr>.classname"), "electsim.nemesis-amnesia");
  const ptree& failure = testcase.get_child("failure");
  EXPECT_EQ(failure.get<std::string>("<xmlattr>.type"), "safety_violation");
  // The message: the failing seeds, the first one's check and detail, and its reproduce command.
  const std::string message = failure.get<std::string>("<xmlattr>.message");
  EXPECT_EQ(message.rfind("5 of 20 seeds failed (seeds 23, 30, 31, 33, 37); first: ", 0), 0u)
      << message;
  EXPECT_NE(message.find("; reproduce: " + std::string(ELECTSIM_BINARY) +
                         " run nemesis-amnesia --seed 23"), std::string::npos) << message;
  // The body: every failing seed's violations with their true times and its reproduce command.
  const std::string body = failure.data();
  EXPECT_EQ(body.rfind("5 of 20 seeds failed: 23, 30, 31, 33, 37\n", 0), 0u) << body;
  for (const std::string seed : {"23", "30", "31", "33", "37"}) {
    const std::string heading = "\nseed " + seed + ": safety_violation\n";
    EXPECT_NE(body.find(heading), std::string::npos) << body;
    EXPECT_NE(body.find(" at true time ", body.find(heading)), std::string::npos) << body;
    EXPECT_NE(body.find("reproduce: " + std::string(ELECTSIM_BINARY) +
                        " run nemesis-amnesia --seed " + seed),
              std::string::npos) << body;
  }
}

TEST(CiScaleJunit, APassingSweepIsOnePassingTestCase) {
  const auto dir = temp_dir("ci-junit-pass");
  const auto xml = dir / "results.xml";
  const auto result =
      run_electsim("sweep raft-leader-crash --seeds 1..5 --quiet --junit " + xml.string(), dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const ptree tree = parse_xml(read_text(xml));
  const ptree& suite = tree.get_child("testsuites.testsuite");
  EXPECT_EQ(check_suite(suite), std::vector<std::string>{"raft-leader-crash (raft)"});
  EXPECT_EQ(suite.get_child("testcase").count("failure"), 0u);
  EXPECT_EQ(suite.get<int>("<xmlattr>.failures"), 0);
}

TEST(CiScaleJunit, ManyFailingSeedsAreListedFirstFewThenCounted) {
  const auto dir = temp_dir("ci-junit-many");
  const auto xml = dir / "results.xml";
  // --check-determinism catches the test algorithm that reads a process-wide counter
  // (tests/algorithms/ci_scale_global_counter.h): more failing seeds than the message lists.
  const auto result = run_binary(ELECTSIM_TEST_ALGORITHMS_BINARY,
                                 "sweep raft-leader-crash --algorithm test-global-counter "
                                 "--seeds 1..8 --check-determinism --quiet --junit " +
                                     xml.string(), dir);
  ASSERT_EQ(result.exit_code, 70) << result.err;
  const ptree tree = parse_xml(read_text(xml));
  const ptree& suite = tree.get_child("testsuites.testsuite");
  EXPECT_EQ(check_suite(suite).size(), 1u);
  const ptree& error = suite.get_child("testcase.error");
  EXPECT_EQ(error.get<std::string>("<xmlattr>.type"), "internal_error");
  const std::string message = error.get<std::string>("<xmlattr>.message");
  // The counter's values depend on the order the worker ran the seeds in, so a seed's two runs
  // may agree by chance: the counts are matched, not fixed.
  EXPECT_TRUE(std::regex_search(
      message, std::regex("^[678] of 8 seeds failed \\(seeds \\d, \\d, \\d, \\d, \\d, and [123] "
                          "more\\); first: nondeterminism: seed \\d gave fingerprint ")))
      << message;
  EXPECT_TRUE(std::regex_search(error.data(),
                                std::regex("^[678] of 8 seeds failed: \\d(, \\d){5,7}\n")))
      << error.data();
}

TEST(CiScaleJunit, ARunWritesOneTestCaseAndAnInternalErrorIsAnError) {
  const auto dir = temp_dir("ci-junit-run");
  const auto xml = dir / "run.xml";
  // Seed 7 trips the test algorithm's internal check (tests/algorithms/check_tripper.h).
  const auto result = run_binary(ELECTSIM_TEST_ALGORITHMS_BINARY,
                                 "run raft-leader-crash --algorithm test-check-tripper --seed 7 "
                                 "--quiet --junit " + xml.string(), dir);
  ASSERT_EQ(result.exit_code, 70) << result.err;
  const ptree tree = parse_xml(read_text(xml));
  const ptree& suite = tree.get_child("testsuites.testsuite");
  EXPECT_EQ(check_suite(suite),
            std::vector<std::string>{"raft-leader-crash (test-check-tripper)"});
  const ptree& error = suite.get_child("testcase.error");
  EXPECT_EQ(error.get<std::string>("<xmlattr>.type"), "internal_error");
  const std::string message = error.get<std::string>("<xmlattr>.message");
  EXPECT_EQ(message.rfind("1 of 1 seed failed (seed 7); first: ", 0), 0u) << message;
  EXPECT_NE(message.find("draw_ != 0u"), std::string::npos);
}

TEST(CiScaleJunit, EscapesWhatXmlCannotCarry) {
  using scenarios::xml_escape;
  EXPECT_EQ(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(xml_escape("line\nnext\ttab"), "line&#10;next&#9;tab");
  EXPECT_EQ(xml_escape("line\nnext", /*attribute=*/false), "line\nnext");
  EXPECT_EQ(xml_escape(std::string("bell\x07") + "\xff" + "end"),
            "bell\xEF\xBF\xBD\xEF\xBF\xBD" "end");
  // Every byte value, through a real parser: the document stays well-formed.
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  const std::string document = "<a b=\"" + xml_escape(all) + "\">" + xml_escape(all, false) +
                               "</a>";
  EXPECT_NO_THROW(parse_xml(document));
}

TEST(CiScaleJunit, AFileThatCannotBeCreatedExits73AndNothingIsDestroyed) {
  const auto dir = temp_dir("ci-junit-cannot");
  const auto result = run_electsim("sweep raft-leader-crash --seeds 1..3 --junit " +
                                       (dir / "no-such-dir" / "x.xml").string(), dir);
  EXPECT_EQ(result.exit_code, 73);
  EXPECT_EQ(result.err.rfind("electsim: --junit ", 0), 0u) << result.err;
  // A directory where the file should go is refused, and survives.
  fs::create_directory(dir / "taken");
  std::ofstream(dir / "taken" / "keep.txt") << "mine";
  const auto taken = run_electsim("sweep raft-leader-crash --seeds 1..3 --junit " +
                                      (dir / "taken").string(), dir);
  EXPECT_EQ(taken.exit_code, 73);
  EXPECT_EQ(read_text(dir / "taken" / "keep.txt"), "mine");
  // --junit and --json naming one file is refused before anything runs.
  const auto same = run_electsim("sweep raft-leader-crash --seeds 1..3 --json " +
                                     (dir / "a").string() + " --junit " + (dir / "a").string(),
                                 dir);
  EXPECT_EQ(same.exit_code, 73);
  EXPECT_FALSE(fs::exists(dir / "a"));
}

}  // namespace
}  // namespace electsim::testing
