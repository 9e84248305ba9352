// scripts/lease-envelope (issue 11, acceptance 3), run reduced: two ratios and two pause lengths
// far on either side of the envelope, over a few seeds. The script must find the overlap at the
// large values and none at the small ones, and print the table docs/LEASES.md shows.
#include <string>

#include <gtest/gtest.h>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

TEST(LeaseEnvelopeScript, FindsTheOverlapOutsideTheEnvelopeAndNoneInside) {
  const auto dir = temp_dir("lease_envelope");
  const CommandResult result = run_shell(
      "scripts/lease-envelope --seeds 1..5 --jobs 1 --ratios 1.05,1.8 --pauses 8s,25s "
      "--binary '" + std::string(ELECTSIM_BINARY) + "'",
      dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("| 1.05 (leader drift -47619 ppm) | 0 of 5 | - |"),
            std::string::npos) << result.out;
  EXPECT_NE(result.out.find("| 8s | 0 of 5 | - |"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Smallest value with an overlap: **1.80"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("Smallest value with an overlap: **25s**; on paper: **13s**"),
            std::string::npos) << result.out;
}

TEST(LeaseEnvelopeScript, SaysSoWhenTheBinaryIsMissing) {
  const auto dir = temp_dir("lease_envelope_missing");
  const CommandResult result =
      run_shell("scripts/lease-envelope --binary /nonexistent/electsim", dir);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("not found"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace electsim::testing
