// libFuzzer target: any bytes given to the scenario loader, with the scenario flags of any
// command line (--set, --algorithm), give a scenario or an error status; never a crash, a hang or
// a sanitizer report; and a scenario that loads survives --print-scenario's round trip.
// tests/fuzz/scenario_loader_input.h says how an input is read and what is checked.
//
// The seed corpus is generated at configure time from scenarios/library (each file as is, and
// each behind a command-line first line; CMakeLists.txt, "Fuzz corpus") in BUILD/fuzz-corpus/.
// Findings are kept in tests/fuzz/findings/scenario_loader/ and replayed by the fast suite.
// Build with clang: cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DELECTSIM_FUZZ=ON
// Run (on a copy of the corpus: libFuzzer adds what it finds to the folder it is given):
//   cp -r build-fuzz/fuzz-corpus/scenario_loader /tmp/corpus &&
//   build-fuzz/fuzz_scenario_loader -dict=tests/fuzz/scenario_loader.dict -max_total_time=60 \
//     /tmp/corpus
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tests/fuzz/scenario_loader_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string failure = electsim::fuzz::check_scenario_input(text);
  if (!failure.empty()) {
    std::fprintf(stderr, "fuzz_scenario_loader: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
