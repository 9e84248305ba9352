#include "tests/algorithms/vr_starts_view_alone.h"

#include <memory>
#include <utility>

#include "algorithms/registry.h"
#include "algorithms/vr/vr.h"

namespace electsim::testing {

namespace {

// Registers VR under `name` with `broken` applied to its resolved options.
void register_with_options(const char* name, const char* summary,
                           void (*broken)(algorithms::vr::VrOptions&)) {
  algorithms::AlgorithmInfo info = algorithms::vr::vr_info();
  info.name = name;
  info.summary = summary;
  info.make_factory = [broken](const algorithms::Params& params, uint32_t nodes) {
    const auto correct = algorithms::vr::make_factory(params, nodes);
    algorithms::vr::VrOptions options =
        static_cast<const algorithms::vr::VrFactory&>(*correct).options();
    broken(options);
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<algorithms::vr::VrFactory>(options));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace

void register_vr_starts_view_alone() {
  register_with_options(kVrStartsViewAloneName,
                        "tests only: VR whose new primary starts a view without f+1 DoViewChange",
                        [](algorithms::vr::VrOptions& options) { options.starts_view_alone = true; });
  register_with_options(kVrCountsOwnDoViewChangeTwiceName,
                        "tests only: VR whose new primary counts its own DoViewChange twice",
                        [](algorithms::vr::VrOptions& options) {
                          options.counts_own_do_view_change_twice = true;
                        });
}

}  // namespace electsim::testing
