// `electsim run SCENARIO --seed N --html FILE` through the real binary (docs/REPORTS.md): the
// page of a failing run has the verdict, the timeline picture, the violation table, the events
// around the violation as replay prints them and the reproduce command; the exit code is the
// run's; an output that cannot be written is refused before the run (73) and never replaces
// what the user did not ask to write.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/cli_test_support.h"
#include "tests/svg_xml_support.h"

namespace electsim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::read_text;
using testing::run_electsim;
using testing::source_path;
using testing::temp_dir;

const std::string kBullySplit = source_path("scenarios/library/bully-split.yaml");

TEST(HtmlRunPage, FailingRunPageHasTheViolationItsEventsAndItsReproduceCommand) {
  const auto dir = temp_dir("html-run-page");
  const auto page_path = dir / "bully.html";
  const auto run = run_electsim("run " + kBullySplit + " --seed 1 --html " + page_path.string(),
                                dir);
  ASSERT_EQ(run.exit_code, 1) << run.err;
  EXPECT_THAT(run.out, HasSubstr("wrote       html " + page_path.string()));
  const std::string html = read_text(page_path);
  EXPECT_THAT(html, HasSubstr("<title>electsim run: bully-split, seed 1 (bully)</title>"));
  EXPECT_THAT(html, HasSubstr("<p class=\"verdict fail\">safety_violation</p>"));
  // The reproduce command, once for the run and once per violation.
  const std::string reproduce = "run " + kBullySplit + " --seed 1</code>";
  EXPECT_THAT(html, HasSubstr(reproduce));
  // The violation table and the events around the violation, as `electsim replay` prints them.
  EXPECT_THAT(html, HasSubstr("<td>exclusive_leadership</td><td>5.325s</td><td>n5, n3</td>"));
  EXPECT_THAT(html, HasSubstr("violation 1 of 1: exclusive_leadership at 5.325074312s"));
  EXPECT_THAT(html, HasSubstr("---- 5.325074312s  violation: exclusive_leadership ----"));
  EXPECT_THAT(html, HasSubstr("faults in force:"));
  // The timeline picture, well-formed, with a lane per process and the violation marked.
  const testing::XmlDocument svg = testing::parse_xml(testing::first_svg(html));
  ASSERT_TRUE(svg.well_formed) << svg.error;
  EXPECT_EQ(svg.with("data-lane").size(), 5u);
  EXPECT_EQ(svg.with("data-violation", "exclusive_leadership").size(), 1u);
  EXPECT_EQ(svg.with("data-fault").size(), 1u);
  // The faults, the leadership events and the resolved parameters, and the version.
  EXPECT_THAT(html, HasSubstr("partition groups: {n1,n2,n3} | {n4,n5} cannot reach each other"));
  EXPECT_THAT(html, HasSubstr("<td>n3 became leader of epoch 2</td>"));
  EXPECT_THAT(html, HasSubstr("<dt>heartbeat_interval</dt><dd>100ms</dd>"));
  EXPECT_THAT(html, HasSubstr("Written by electsim 0.1.0 (commit "));
  EXPECT_THAT(html, Not(HasSubstr("http:")));
  EXPECT_THAT(html, Not(HasSubstr("https:")));
}

TEST(HtmlRunPage, PassingRunAndPageOnStandardOutput) {
  const auto dir = temp_dir("html-run-page-stdout");
  const auto run = run_electsim(
      "run " + source_path("scenarios/library/raft-leader-crash.yaml") + " --html -", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, ::testing::StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(run.out, HasSubstr("<p class=\"verdict pass\">pass</p>"));
  EXPECT_THAT(run.out, HasSubstr("<p>No violation.</p>"));
  // The report for people went to standard error.
  EXPECT_THAT(run.err, HasSubstr("verdict     pass"));
}

TEST(HtmlRunPage, SvgWritesTheTimelinePictureAlone) {
  const auto dir = temp_dir("html-run-svg");
  const auto picture = dir / "paused.svg";
  const std::string scenario = source_path("scenarios/library/fencing-paused-leader.yaml");
  const auto run = run_electsim("run " + scenario + " --svg " + picture.string(), dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("wrote       svg " + picture.string()));
  const std::string svg = read_text(picture);
  EXPECT_THAT(svg, ::testing::StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox="));
  const testing::XmlDocument xml = testing::parse_xml(svg);
  ASSERT_TRUE(xml.well_formed) << xml.error;
  EXPECT_EQ(xml.with("data-lane").size(), 6u);  // five members and the resource
  EXPECT_EQ(xml.with("data-state", "paused").size(), 1u);
}

// No wall clock, no hash order, no pointer order: the same run gives the same page, byte for
// byte.
TEST(HtmlRunPage, TheSameRunGivesTheSamePage) {
  const auto dir = temp_dir("html-run-page-twice");
  const std::string scenario = source_path("scenarios/library/fencing-paused-leader.yaml");
  for (const char* name : {"first.html", "second.html"}) {
    const auto run = run_electsim("run " + scenario + " --seed 3 --html " + (dir / name).string(),
                                  dir);
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  const std::string first = read_text(dir / "first.html");
  EXPECT_GT(first.size(), 10'000u);
  EXPECT_EQ(first, read_text(dir / "second.html"));
}

TEST(HtmlRunPage, AnUnwritablePageIsRefusedBeforeTheRunAndNothingIsReplaced) {
  const auto dir = temp_dir("html-run-page-refused");
  const auto missing = run_electsim(
      "run " + kBullySplit + " --html " + (dir / "no-such-dir" / "page.html").string(), dir);
  EXPECT_EQ(missing.exit_code, 73);
  EXPECT_THAT(missing.err, HasSubstr("electsim: --html "));
  EXPECT_THAT(missing.err, HasSubstr("cannot create"));
  EXPECT_THAT(missing.out, Not(HasSubstr("verdict")));
  // The same file as --json: refused, and the file the user has is kept as it was.
  const auto same = dir / "same.out";
  { std::ofstream(same) << "keep me\n"; }
  const auto both = run_electsim(
      "run " + kBullySplit + " --json " + same.string() + " --html " + same.string(), dir);
  EXPECT_EQ(both.exit_code, 73) << both.err;
  EXPECT_EQ(read_text(same), "keep me\n");
}

}  // namespace
}  // namespace electsim
