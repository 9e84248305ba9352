#include "tests/algorithms/etcd_variants.h"

#include <memory>
#include <utility>

#include "algorithms/etcd_election/etcd_election.h"
#include "algorithms/registry.h"

namespace electsim::testing {

void register_etcd_variants() {
  algorithms::AlgorithmInfo info = algorithms::etcd_election::etcd_election_info();
  info.name = "etcd-election-no-wait";
  info.summary = "tests only: etcd-election whose Campaign does not wait for lower revisions";
  info.make_factory = [](const algorithms::Params& params, uint32_t) {
    algorithms::etcd_election::EtcdElectionOptions options =
        algorithms::etcd_election::options_from(params);
    options.campaign_skips_wait = true;
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<algorithms::etcd_election::EtcdElectionFactory>(options));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace electsim::testing
