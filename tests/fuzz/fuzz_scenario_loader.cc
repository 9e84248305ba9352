// libFuzzer target: any bytes given to the scenario loader, with or without a --set override,
// give a scenario or an error status; never a crash, a hang or a sanitizer report.
// Build with clang: cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DELECTSIM_FUZZ=ON
// Run: build-fuzz/fuzz_scenario_loader -max_total_time=60 scenarios/library
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenarios/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  electsim::scenarios::LoadOptions options;
  (void)electsim::scenarios::load_scenario_text(text, "fuzz.yaml", options);
  // The same bytes as an override value, on top of a valid file.
  options.overrides = {"checks.recovery_within=" + text.substr(0, 64)};
  (void)electsim::scenarios::load_scenario_text("version: 1\n", "fuzz.yaml", options);
  return 0;
}
