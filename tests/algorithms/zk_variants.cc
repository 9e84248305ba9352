#include "tests/algorithms/zk_variants.h"

#include <memory>
#include <utility>

#include "algorithms/registry.h"
#include "algorithms/zk_recipe/zk_recipe.h"

namespace electsim::testing {
namespace {

using algorithms::zk_recipe::ZkRecipeOptions;

void register_variant(const char* name, const char* summary, void (*change)(ZkRecipeOptions&)) {
  algorithms::AlgorithmInfo info = algorithms::zk_recipe::zk_recipe_info();
  info.name = name;
  info.summary = summary;
  info.make_factory = [change](const algorithms::Params& params, uint32_t) {
    ZkRecipeOptions options = algorithms::zk_recipe::options_from(params);
    change(options);
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<algorithms::zk_recipe::ZkRecipeFactory>(options));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace

void register_zk_variants() {
  register_variant("zk-recipe-ignores-suspended",
                   "tests only: zk-recipe whose leader keeps believing when SUSPENDED",
                   [](ZkRecipeOptions& options) { options.leader_ignores_suspended = true; });
  register_variant("zk-recipe-herd",
                   "tests only: zk-recipe whose candidates all watch the leader's znode",
                   [](ZkRecipeOptions& options) {
                     options.watch_leader_instead_of_predecessor = true;
                   });
}

}  // namespace electsim::testing
