// The HTML page of one run (`electsim run SCENARIO --seed N --html FILE`, docs/REPORTS.md) and
// the same run as one section of a larger report (`electsim compare --html`): the verdict and
// the run's figures, the leadership timeline picture (reports/svg_timeline.h), each violation
// with the events around it as `electsim replay` prints them and its reproduce command, the
// faults, the leadership events and the resolved parameters.
//
// The pictures and the events come from a RunPageRecorder watching the run, which only a
// command that writes a page attaches: ordinary runs and sweeps pay nothing for it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "reports/html_page.h"
#include "reports/run_result.h"
#include "reports/svg_timeline_data.h"
#include "scenarios/replay_window.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"

namespace electsim::scenarios {

// Watches one run for its page: the timeline picture's data and the replay window around each
// violation (the same window `electsim replay` uses by default, so the page shows what replay
// prints). Memory is bounded by both (reports/svg_timeline_data.h, scenarios/replay_window.h).
class RunPageRecorder final : public RunWatcher {
 public:
  static constexpr sim::Duration kReplayWindow = sim::Duration::milliseconds(500);

  explicit RunPageRecorder(const Scenario& scenario);

  void on_start(const sim::World& world, const std::vector<std::string>& fault_labels) override;
  void on_record(const sim::TraceRecord& record) override;
  void on_end(sim::Instant end) override;
  void on_violation(const sim::checks::Violation& violation) override;

  const reports::TimelineData& timeline() const { return timeline_.data(); }
  const ReplayWindow& replay() const { return replay_; }

 private:
  reports::TimelineRecorder timeline_;
  ReplayWindow replay_;
  sim::KindMask timeline_kinds_;
};

// The timeline picture of a recorded run, as an SVG document.
std::string run_timeline_svg(const reports::RunResult& result, const RunPageRecorder& recorder);

// One section holding the whole run: its verdict and figures, the timeline picture, the
// violations with the events around each and the reproduce commands, and its faults.
reports::HtmlSection run_section(const Scenario& scenario, const reports::RunResult& result,
                                 const RunPageRecorder& recorder, std::string_view heading);

// Runs `seed` of `scenario` with a RunPageRecorder and returns its section (as above). A run
// that could not finish (an output error; never for a plain run) gives a section that says so.
reports::HtmlSection run_section(const Scenario& scenario, uint64_t seed,
                                 std::string_view heading);

// The page of `run --html`: the same parts as run_section, each a section of its own, then the
// leadership events and the resolved parameters, and the version in the footer.
std::string run_page_html(const Scenario& scenario, const reports::RunResult& result,
                          const RunPageRecorder& recorder);

}  // namespace electsim::scenarios
