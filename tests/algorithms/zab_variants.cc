#include "tests/algorithms/zab_variants.h"

#include <memory>
#include <utility>

#include "algorithms/registry.h"
#include "algorithms/zab/zab.h"
#include "tests/algorithms/forwarding_context.h"

namespace electsim::testing {
namespace {

using algorithms::zab::Zab;

// Saves currentEpoch in acceptedEpoch's place: the durable layout's word 1 (acceptedEpoch)
// becomes word 2 (currentEpoch).
class NoAcceptedEpochFileContext final : public ForwardingContext {
 public:
  using ForwardingContext::ForwardingContext;
  void persist(const sim::DurableState& state) override {
    sim::DurableState saved = state;
    if (saved.size() >= Zab::kDurableHeaderWords) saved[1] = saved[2];
    inner_.persist(saved);
  }
};

class ZabWithoutAcceptedEpochFile final : public sim::Algorithm {
 public:
  explicit ZabWithoutAcceptedEpochFile(std::unique_ptr<sim::Algorithm> zab)
      : zab_(std::move(zab)) {}
  sim::FamilyId family() const override { return zab_->family(); }
  void on_start(sim::Context& context, const sim::DurableState* restored) override {
    NoAcceptedEpochFileContext wrapped(context);
    zab_->on_start(wrapped, restored);
  }
  void on_message(sim::Context& context, sim::ProcessId from,
                  const sim::Payload& message) override {
    NoAcceptedEpochFileContext wrapped(context);
    zab_->on_message(wrapped, from, message);
  }
  void on_timer(sim::Context& context, sim::TimerId timer) override {
    NoAcceptedEpochFileContext wrapped(context);
    zab_->on_timer(wrapped, timer);
  }

 private:
  std::unique_ptr<sim::Algorithm> zab_;
};

class NoAcceptedEpochFileFactory final : public sim::AlgorithmFactory {
 public:
  explicit NoAcceptedEpochFileFactory(std::unique_ptr<sim::AlgorithmFactory> zab)
      : zab_(std::move(zab)) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId process) const override {
    return std::make_unique<ZabWithoutAcceptedEpochFile>(zab_->create(process));
  }

 private:
  std::unique_ptr<sim::AlgorithmFactory> zab_;
};

// Registers Zab under `name` with `broken` applied to its resolved options.
void register_with_options(const char* name, const char* summary,
                           void (*broken)(algorithms::zab::ZabOptions&)) {
  algorithms::AlgorithmInfo info = algorithms::zab::zab_info();
  info.name = name;
  info.summary = summary;
  info.make_factory = [broken](const algorithms::Params& params, uint32_t nodes) {
    const auto correct = algorithms::zab::make_factory(params, nodes);
    algorithms::zab::ZabOptions options =
        static_cast<const algorithms::zab::ZabFactory&>(*correct).options();
    broken(options);
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<algorithms::zab::ZabFactory>(options));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

void register_no_accepted_epoch_file() {
  algorithms::AlgorithmInfo info = algorithms::zab::zab_info();
  info.name = kZabNoAcceptedEpochFileName;
  info.summary = "tests only: Zab that saves currentEpoch as its acceptedEpoch";
  info.make_factory = [](const algorithms::Params& params, uint32_t nodes) {
    return std::unique_ptr<sim::AlgorithmFactory>(std::make_unique<NoAcceptedEpochFileFactory>(
        algorithms::zab::make_factory(params, nodes)));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace

void register_zab_variants() {
  register_with_options(kZabNewEpochOffByOneName,
                        "tests only: Zab whose new epoch is max(acceptedEpoch), without the + 1",
                        [](algorithms::zab::ZabOptions& options) {
                          options.new_epoch_off_by_one = true;
                        });
  register_with_options(kZabVoteIgnoresEpochName,
                        "tests only: Zab whose vote order ignores epochs (zxid counter, then id)",
                        [](algorithms::zab::ZabOptions& options) {
                          options.vote_order_ignores_epoch = true;
                        });
  register_no_accepted_epoch_file();
  register_with_options(kZabStaleLeaderWinsName,
                        "tests only: Zab whose vote order ignores epochs and whose discovery "
                        "counts followers ahead of the leader",
                        [](algorithms::zab::ZabOptions& options) {
                          options.vote_order_ignores_epoch = true;
                          options.counts_followers_ahead = true;
                        });
  register_with_options(kZabEpochQuorumShortName,
                        "tests only: Zab whose leader is elected by f ACKEPOCHs of 2f + 1",
                        [](algorithms::zab::ZabOptions& options) {
                          options.epoch_quorum_short_by_one = true;
                        });
}

}  // namespace electsim::testing
