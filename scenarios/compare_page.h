// The HTML page of `electsim compare --html FILE` (issue 13): self-contained (no scripts, fonts,
// stylesheets or network from elsewhere), so that it can be sent to a colleague.
#pragma once

#include <string>
#include <vector>

#include "reports/compare_report.h"
#include "reports/compare_summary.h"
#include "scenarios/compare_command.h"

namespace electsim::scenarios {

// The page: the summary tables, the pairwise tests, each failure with its reproduce command,
// the resolved parameters of each variant and the electsim version. `specs` and `variants` are
// in the report's row order.
std::string compare_page_html(const reports::CompareReport& report,
                              const std::vector<CompareVariantSpec>& specs,
                              const std::vector<reports::CompareVariant>& variants);

}  // namespace electsim::scenarios
