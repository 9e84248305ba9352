#include "tests/algorithms/vr_starts_view_alone.h"

#include <memory>
#include <utility>

#include "algorithms/registry.h"
#include "algorithms/vr/vr.h"

namespace electsim::testing {

void register_vr_starts_view_alone() {
  algorithms::AlgorithmInfo info = algorithms::vr::vr_info();
  info.name = kVrStartsViewAloneName;
  info.summary = "tests only: VR whose new primary starts a view without f+1 DoViewChange";
  info.make_factory = [](const algorithms::Params& params, uint32_t nodes) {
    const auto correct = algorithms::vr::make_factory(params, nodes);
    algorithms::vr::VrOptions options =
        static_cast<const algorithms::vr::VrFactory&>(*correct).options();
    options.starts_view_alone = true;
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<algorithms::vr::VrFactory>(options));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace electsim::testing
