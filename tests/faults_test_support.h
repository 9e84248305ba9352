// Shared pieces of the fault tests: a tiny algorithm whose leadership is fixed (node 0 leads
// epoch 1, the others follow it) and that keeps messages and timers flowing, a trace recorder,
// and a cluster that wires them to a world and an injector.
#pragma once

#include <memory>
#include <vector>

#include "faults/injector.h"
#include "faults/plan.h"
#include "sim/algorithm.h"
#include "sim/trace.h"
#include "sim/world.h"

namespace electsim::faults::testing {

using sim::Duration;
using sim::Instant;
using sim::RecordKind;
using sim::TraceRecord;

inline Duration ms(int64_t n) { return Duration::milliseconds(n); }
inline Instant at_ms(int64_t n) { return Instant::zero() + ms(n); }

struct Ping {
  uint64_t round;
};

// Every node ticks every 10ms of its local time; node 0 pings every other node on each tick.
// Each start persists how many times the node started, so durable and amnesia restarts differ.
class Beacon final : public sim::Algorithm {
 public:
  static constexpr sim::TimerId kTick = 0;
  explicit Beacon(bool reports_leadership) : reports_leadership_(reports_leadership) {}

  void on_start(sim::Context& context, const sim::DurableState* restored) override {
    const uint64_t starts = restored == nullptr ? 1 : (*restored)[0] + 1;
    context.persist(sim::DurableState{starts});
    if (reports_leadership_) {
      if (context.self() == 0) {
        context.report(sim::Elected{1, 1, std::nullopt, std::nullopt});
      } else {
        context.report(sim::Follows{0, 1});
      }
    }
    context.set_timer(kTick, ms(10));
  }
  void on_message(sim::Context&, sim::NodeId, const sim::Payload&) override {}
  void on_timer(sim::Context& context, sim::TimerId) override {
    if (context.self() == 0) {
      ++round_;
      for (sim::NodeId peer : context.members()) {
        if (peer != context.self()) context.send(peer, Ping{round_});
      }
    }
    context.set_timer(kTick, ms(10));
  }

 private:
  bool reports_leadership_;
  uint64_t round_ = 0;
};

class BeaconFactory final : public sim::AlgorithmFactory {
 public:
  explicit BeaconFactory(bool reports_leadership) : reports_leadership_(reports_leadership) {}
  std::unique_ptr<sim::Algorithm> create(sim::NodeId) const override {
    return std::make_unique<Beacon>(reports_leadership_);
  }

 private:
  bool reports_leadership_;
};

class Recorder final : public sim::TraceObserver {
 public:
  void on_record(const TraceRecord& record) override { records_.push_back(record); }
  // The records of one kind (of one node, unless `node` is kNoNode), in trace order.
  std::vector<TraceRecord> of(RecordKind kind, sim::NodeId node = sim::kNoNode) const {
    std::vector<TraceRecord> result;
    for (const TraceRecord& record : records_) {
      if (record.kind == kind && (node == sim::kNoNode || record.node == node)) {
        result.push_back(record);
      }
    }
    return result;
  }
  // Position of the first record of `kind` in the trace, or -1.
  int first(RecordKind kind) const {
    for (size_t i = 0; i < records_.size(); ++i) {
      if (records_[i].kind == kind) return static_cast<int>(i);
    }
    return -1;
  }

 private:
  std::vector<TraceRecord> records_;
};

// Links default to a constant 1ms latency, no loss.
class Cluster {
 public:
  explicit Cluster(uint32_t nodes, bool reports_leadership = true, uint64_t seed = 1)
      : factory_(reports_leadership), world_(seed, nodes, sim::Link{}, factory_) {
    world_.trace().add_observer(&recorder_);
    world_.start();
  }
  void inject(std::vector<Fault> plan, uint64_t seed = 7) {
    injector_ = std::make_unique<Injector>(world_, std::move(plan), seed);
    injector_->schedule();
  }
  void run_to_ms(int64_t t) { world_.run_until(at_ms(t)); }

  sim::World& world() { return world_; }
  const sim::Network& network() const { return world_.network(); }
  const Recorder& recorder() const { return recorder_; }
  const std::vector<FiredFault>& fired() const { return injector_->fired(); }
  const std::vector<Fault>& plan() const { return injector_->plan(); }

 private:
  BeaconFactory factory_;
  Recorder recorder_;
  sim::World world_;
  std::unique_ptr<Injector> injector_;
};

inline Target node_target(sim::NodeId node) { return Target{Target::Kind::kNode, node}; }
inline Target role(Target::Kind kind) { return Target{kind, 0}; }

// A fault of `kind` at exactly `at`, lasting `length` if it is positive.
inline Fault fault_at(FaultKind kind, int64_t at, Targets targets = {}, int64_t length = 0) {
  Fault fault;
  fault.kind = kind;
  fault.at = sim::DurationRange{ms(at), ms(at)};
  if (length > 0) fault.duration = sim::DurationRange{ms(length), ms(length)};
  fault.targets = std::move(targets);
  return fault;
}

}  // namespace electsim::faults::testing
