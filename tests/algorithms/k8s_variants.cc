#include "tests/algorithms/k8s_variants.h"

#include <memory>
#include <utility>

#include "algorithms/k8s_lease/k8s_lease.h"
#include "algorithms/registry.h"

namespace electsim::testing {

void register_k8s_variants() {
  algorithms::AlgorithmInfo info = algorithms::k8s_lease::k8s_lease_info();
  info.name = "k8s-lease-renew-time";
  info.summary = "tests only: k8s-lease whose candidates judge expiry from renewTime";
  info.make_factory = [](const algorithms::Params& params, uint32_t) {
    algorithms::k8s_lease::K8sLeaseOptions options = algorithms::k8s_lease::options_from(params);
    options.judge_expiry_from_renew_time = true;
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<algorithms::k8s_lease::K8sLeaseFactory>(options));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace electsim::testing
