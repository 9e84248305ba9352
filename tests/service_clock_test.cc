// Issue 11, acceptance 5: the service judges lease expiry on its own host's clock. A TTL lock
// whose holder is cut off from the store: with the store's clock at the true rate the lock
// expires on the store after the holder stopped believing in it (it counts from its send time),
// so the hand-over is clean; with the store's clock 20% fast, the store expires it 10 s / 1.2 =
// 8.33 s after its last renewal in true time, while the holder believes for 10 s: another
// client takes it about 1.67 s before the holder lets go. Run through the binary.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using nlohmann::json;

json run_with_store_drift(int drift_ppm, int expected_exit) {
  const auto dir = temp_dir("service_clock");
  const auto out = dir / "run.json";
  const std::string faults =
      "faults=[{at: 1s, clock: {nodes: [h4], drift_ppm: " + std::to_string(drift_ppm) +
      "}}, {at: 10s, partition: {isolate: leader}, heal_after: 15s}]";
  const CommandResult result = run_electsim(
      "run " + source_path("scenarios/library/lease-ttl-clock-jump.yaml") +
          " --seed 1 --quiet --set '" + faults + "' --json " + out.string(),
      dir);
  EXPECT_EQ(result.exit_code, expected_exit) << result.err;
  return json::parse(read_text(out));
}

TEST(ServiceClock, LeasesExpireOnTheServicesClock) {
  const json true_rate = run_with_store_drift(0, 0);
  EXPECT_EQ(true_rate["overlaps"].size(), 0u);
  EXPECT_EQ(true_rate["leader_changes"], 2) << "the cut-off holder was not replaced";

  const json fast_store = run_with_store_drift(200'000, 1);
  ASSERT_EQ(fast_store["overlaps"].size(), 1u);
  const int64_t overlap = fast_store["overlaps"][0]["duration_ns"];
  // 10 s - 10 s / 1.2 = 1.667 s, less the request's one-way delay and the retry's phase.
  EXPECT_GT(overlap, 1'400'000'000);
  EXPECT_LT(overlap, 1'700'000'000);
}

}  // namespace
}  // namespace electsim::testing
