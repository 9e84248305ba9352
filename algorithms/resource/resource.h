// The fenced resource (issue 9; DESIGN.md, "Algorithms"): a storage process, on a host of its
// own, that leaders write to with their fencing token. Per group it keeps the highest token it
// accepted and the leadership (writer and epoch) that wrote it, and judges every write by the
// scenario's fencing mode (sim/fencing.h):
//   on        accept a token above the highest, or equal to it from that same leadership;
//   equal-ok  accept a token at least the highest (most real stores: why tokens must be unique);
//   off       accept everything (the checks count what a deposed leader got in: the damage).
// Each decision is reported (the trace's `resource_write`); the writer hears nothing back.
//
// The highest token is kept durably, as a real fenced store keeps it: Kleppmann's fencing
// example ("How to do distributed locking", 2016) has the storage server remember the highest
// token it has processed, and ZooKeeper's zxid and etcd's revision, the tokens such a store
// compares, are persisted with the data they guard. A resource that forgot its highest token
// when its host restarted would accept the stale leader's next write, so a crash of the
// resource's host must not reset fencing; only an amnesia restart (the disk lost) does.
//
// State is a flat vector indexed by group (groups are dense ids), grown to the highest group
// that wrote; persisted with persist_at, four words per group, so a write costs one splice.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "algorithms/resource/resource_messages.h"
#include "sim/algorithm.h"
#include "sim/fencing.h"

namespace electsim::algorithms::resource {

// What the resource remembers of one group: the highest token accepted and who wrote it.
struct GroupFence {
  bool written = false;  // nothing accepted yet: any token is accepted
  uint64_t highest_token = 0;
  sim::ProcessId writer = sim::kNoNode;
  uint64_t epoch = 0;
};

// Whether `mode` accepts a write of (writer, epoch, token) given the group's fence. A pure
// function, so a test-only broken resource can reuse the rest and replace only this.
bool accepts(sim::FencingMode mode, const GroupFence& fence, sim::ProcessId writer,
             uint64_t epoch, uint64_t token);

class FencedResource : public sim::Algorithm {
 public:
  explicit FencedResource(sim::FencingMode mode) : mode_(mode) {}
  sim::FamilyId family() const override { return sim::families::kResource; }
  void on_start(sim::Context& context, const sim::DurableState* restored) override;
  void on_message(sim::Context& context, sim::ProcessId from,
                  const sim::Payload& message) override;
  void on_timer(sim::Context& context, sim::TimerId timer) override;

  const GroupFence* fence(sim::GroupId group) const;

 protected:
  // The decision rule; the built-in resource uses accepts(). Test-only variants override it.
  virtual bool decide(const GroupFence& fence, sim::ProcessId writer, uint64_t epoch,
                      uint64_t token) const;

 private:
  static constexpr size_t kWordsPerGroup = 4;
  void handle_write(sim::Context& context, sim::ProcessId from, const Write& write);
  void remember(sim::Context& context, sim::GroupId group, const GroupFence& fence);

  sim::FencingMode mode_;
  std::vector<GroupFence> fences_;
  size_t persisted_groups_ = 0;  // how many groups the durable state holds
};

// Builds the fenced resource for every resource process of a world.
class FencedResourceFactory final : public sim::AlgorithmFactory {
 public:
  explicit FencedResourceFactory(sim::FencingMode mode) : mode_(mode) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId process) const override;

 private:
  sim::FencingMode mode_;
};

// The built-in resource's factory for `mode`: what the runner uses unless the run's algorithm
// brings its own (AlgorithmInfo::make_resource_factory, for test-only broken resources).
std::unique_ptr<sim::AlgorithmFactory> make_resource_factory(sim::FencingMode mode);

}  // namespace electsim::algorithms::resource
