#include "tests/algorithms/bully_reuses_counter.h"

#include <memory>
#include <utility>

#include "algorithms/bully/bully.h"
#include "algorithms/registry.h"

namespace electsim::testing {

void register_bully_reuses_counter() {
  algorithms::AlgorithmInfo info = algorithms::bully::bully_info();
  info.name = kBullyReusesCounterName;
  info.summary = "tests only: Bully whose coordinator does not bump the election counter";
  info.make_factory = [](const algorithms::Params& params, uint32_t nodes) {
    const auto correct = algorithms::bully::make_factory(params, nodes);
    algorithms::bully::BullyOptions options =
        static_cast<const algorithms::bully::BullyFactory&>(*correct).options();
    options.reuses_counter = true;
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<algorithms::bully::BullyFactory>(options));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace electsim::testing
