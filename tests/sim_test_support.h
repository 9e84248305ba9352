// Small helpers for the kernel tests: a trace observer that keeps what it sees, and an
// algorithm whose behaviour each test writes as lambdas, so a test reads top to bottom.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "sim/algorithm.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::sim::test_support {

inline Instant at_ms(int64_t ms) { return Instant::zero() + Duration::milliseconds(ms); }
inline Duration ms(int64_t n) { return Duration::milliseconds(n); }

// Keeps every record (tests only: a real observer keeps what it needs, not the history).
class RecordingObserver final : public TraceObserver {
 public:
  void on_record(const TraceRecord& record) override { records_.push_back(record); }
  void on_end(Instant end) override { ended_at_ = end; }

  const std::vector<TraceRecord>& records() const { return records_; }
  std::vector<TraceRecord> of_kind(RecordKind kind) const {
    std::vector<TraceRecord> found;
    for (const TraceRecord& r : records_)
      if (r.kind == kind) found.push_back(r);
    return found;
  }
  std::vector<TraceRecord> of_kind(RecordKind kind, NodeId node) const {
    std::vector<TraceRecord> found;
    for (const TraceRecord& r : of_kind(kind))
      if (r.node == node) found.push_back(r);
    return found;
  }
  Instant ended_at() const { return ended_at_; }

 private:
  std::vector<TraceRecord> records_;
  Instant ended_at_ = Instant::from_ns(-1);
};

// What one node does, as lambdas; a missing lambda does nothing.
struct Script {
  std::function<void(Context&, const DurableState*)> on_start;
  std::function<void(Context&, NodeId, const Payload&)> on_message;
  std::function<void(Context&, TimerId)> on_timer;
};

class ScriptedAlgorithm final : public Algorithm {
 public:
  explicit ScriptedAlgorithm(const Script& script) : script_(script) {}
  void on_start(Context& context, const DurableState* restored) override {
    if (script_.on_start) script_.on_start(context, restored);
  }
  void on_message(Context& context, NodeId from, const Payload& message) override {
    if (script_.on_message) script_.on_message(context, from, message);
  }
  void on_timer(Context& context, TimerId timer) override {
    if (script_.on_timer) script_.on_timer(context, timer);
  }

 private:
  const Script& script_;
};

// Every node runs `scripts[node]` (or the last script, if there are fewer scripts than nodes).
class ScriptedFactory final : public AlgorithmFactory {
 public:
  explicit ScriptedFactory(std::vector<Script> scripts) : scripts_(std::move(scripts)) {}
  std::unique_ptr<Algorithm> create(NodeId node) const override {
    ++created_;
    const size_t index = node < scripts_.size() ? node : scripts_.size() - 1;
    return std::make_unique<ScriptedAlgorithm>(scripts_[index]);
  }
  int created() const { return created_; }

 private:
  std::vector<Script> scripts_;
  mutable int created_ = 0;
};

}  // namespace electsim::sim::test_support
