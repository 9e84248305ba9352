#include "scenarios/compare_page.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "electsim_commit.h"
#include "reports/html_page.h"
#include "reports/svg_plots.h"
#include "scenarios/run_page.h"

namespace electsim::scenarios {
namespace {

using reports::html_code;
using reports::html_escape;
using reports::html_paragraph;
using reports::html_table;

std::string table_html(const reports::CompareTable& table) {
  return html_paragraph(table.caption) + html_table(table.header, table.rows);
}

reports::HtmlSection summary_section(const reports::CompareReport& report) {
  std::string body = html_paragraph(absl::StrCat(
      reports::compare_subject(report), ": every ", report.varied ? "value" : "algorithm",
      " ran the same seeds, and a seed gave each the same fault schedule. ",
      reports::compare_verdict_line(report)));
  absl::StrAppend(&body, table_html(reports::recovery_table(report)),
                  table_html(reports::leadership_table(report)));
  return reports::HtmlSection{"summary", "Summary", std::move(body)};
}

reports::HtmlSection pairwise_section(const reports::CompareReport& report) {
  return reports::HtmlSection{"pairwise", "Pairwise recovery tests",
                              table_html(reports::pairwise_table(report))};
}

// One CDF line per variant: every recovered window of every seed, and the unrecovered ones.
reports::HtmlSection cdf_section(const reports::CompareReport& report,
                                 const std::vector<reports::CompareVariant>& variants) {
  std::vector<reports::CdfSeries> series;
  for (const reports::CompareVariant& variant : variants) {
    reports::CdfSeries line;
    line.label = variant.label();
    for (const reports::CompareSeed& seed : variant.seeds()) {
      line.values.insert(line.values.end(), seed.recovery.begin(), seed.recovery.end());
      line.unrecovered += seed.unrecovered;
    }
    series.push_back(std::move(line));
  }
  const std::string title = absl::StrCat("Recovery time, ", report.scenario, ", seeds ",
                                         report.seed_first, "..", report.seed_last);
  return reports::HtmlSection{
      "recovery-cdfs", "Recovery-time CDFs",
      reports::html_inline_svg(reports::recovery_cdf_svg(series, title))};
}

// Why a variant's worst run is the one shown (CompareVariant::worst_seed's rule).
std::string worst_reason(const reports::CompareVariant& variant) {
  if (!variant.failures().empty()) return "its first failing seed";
  return "the seed with its longest recovery";
}

reports::HtmlSection failures_section(const reports::CompareReport& report) {
  std::string body;
  for (size_t i = 0; i < report.rows.size(); ++i) {
    for (const reports::CompareFailure& failure : report.failures[i]) {
      absl::StrAppend(&body, "<div class=\"violation\">",
                      html_paragraph(absl::StrCat(report.rows[i].label, " seed ", failure.seed,
                                                  ": ", reports::verdict_name(failure.verdict),
                                                  ": ", failure.what)),
                      "<p>reproduce: ", html_code(failure.reproduce), "</p></div>");
    }
  }
  if (body.empty()) body = html_paragraph("Every run of every row passed.");
  return reports::HtmlSection{"failures", "Failures and how to reproduce them", std::move(body)};
}

reports::HtmlSection parameters_section(const reports::CompareReport& report) {
  std::string body;
  for (size_t i = 0; i < report.rows.size(); ++i) {
    std::vector<std::vector<std::string>> rows;
    for (const reports::RunParam& param : report.params[i]) {
      rows.push_back({param.name, param.text});
    }
    absl::StrAppend(&body, html_paragraph(absl::StrCat(report.rows[i].label, " (",
                                                       report.rows[i].algorithm, ")")),
                    html_table({"parameter", "value"}, rows));
  }
  return reports::HtmlSection{"parameters", "Resolved parameters", std::move(body)};
}

}  // namespace

std::string compare_page_html(const reports::CompareReport& report,
                              const std::vector<CompareVariantSpec>& specs,
                              const std::vector<reports::CompareVariant>& variants) {
  reports::HtmlPage page;
  page.title = absl::StrCat("electsim compare: ", report.scenario);
  page.build = reports::BuildInfo{ELECTSIM_VERSION, ELECTSIM_COMMIT};
  page.parameters = {{"scenario", report.scenario_path},
                     {"seeds", absl::StrCat(report.seed_first, "..", report.seed_last)}};
  if (report.varied) page.parameters.emplace_back("varied", *report.varied);
  for (const std::string& words : report.overrides) page.parameters.emplace_back("override", words);
  page.sections.push_back(summary_section(report));
  page.sections.push_back(pairwise_section(report));
  page.sections.push_back(cdf_section(report, variants));
  for (size_t i = 0; i < variants.size(); ++i) {
    const uint64_t seed = variants[i].worst_seed();
    reports::HtmlSection section = run_section(
        specs[i].scenario, seed,
        absl::StrCat("Worst run of ", variants[i].label(), ": seed ", seed, " (",
                     worst_reason(variants[i]), ")"));
    // An anchor that does not move with the seed, so that links to it survive a rerun.
    section.id = "worst-" + reports::html_anchor(variants[i].label());
    page.sections.push_back(std::move(section));
  }
  page.sections.push_back(failures_section(report));
  page.sections.push_back(parameters_section(report));
  return reports::render_html_page(page);
}

}  // namespace electsim::scenarios
