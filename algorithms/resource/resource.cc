#include "algorithms/resource/resource.h"

#include <algorithm>
#include <string_view>

#include "sim/check.h"

namespace electsim::algorithms::resource {

namespace {

constexpr std::string_view kMessageNames[] = {"write"};

}  // namespace

const sim::FamilyInfo& resource_family() {
  static const sim::FamilyInfo kFamily{sim::families::kResource, "resource", kMessageNames, {}};
  return kFamily;
}

bool accepts(sim::FencingMode mode, const GroupFence& fence, sim::ProcessId writer,
             uint64_t epoch, uint64_t token) {
  if (!fence.written) return true;
  switch (mode) {
    case sim::FencingMode::kOff: return true;
    case sim::FencingMode::kEqualOk: return token >= fence.highest_token;
    case sim::FencingMode::kOn:
      // An equal token passes only from the leadership that set it: its own later writes.
      return token > fence.highest_token ||
             (token == fence.highest_token && writer == fence.writer && epoch == fence.epoch);
  }
  return false;
}

bool FencedResource::decide(const GroupFence& fence, sim::ProcessId writer, uint64_t epoch,
                            uint64_t token) const {
  return accepts(mode_, fence, writer, epoch, token);
}

void FencedResource::on_start(sim::Context& /*context*/, const sim::DurableState* restored) {
  sim::register_family(&resource_family());
  fences_.clear();
  persisted_groups_ = 0;
  if (restored == nullptr) return;
  SIM_CHECK(restored->size() % kWordsPerGroup == 0, "a resource's durable state is whole groups");
  fences_.resize(restored->size() / kWordsPerGroup);
  persisted_groups_ = fences_.size();
  for (size_t group = 0; group < fences_.size(); ++group) {
    const uint64_t* words = restored->data() + group * kWordsPerGroup;
    fences_[group] = GroupFence{words[0] != 0, words[1], static_cast<sim::ProcessId>(words[2]),
                                words[3]};
  }
}

void FencedResource::on_message(sim::Context& context, sim::ProcessId from,
                                const sim::Payload& message) {
  handle_write(context, from, message.as<Write>());
}

void FencedResource::on_timer(sim::Context& /*context*/, sim::TimerId /*timer*/) {
  SIM_CHECK(false, "the fenced resource sets no timers");
}

const GroupFence* FencedResource::fence(sim::GroupId group) const {
  return group < fences_.size() ? &fences_[group] : nullptr;
}

void FencedResource::handle_write(sim::Context& context, sim::ProcessId from,
                                  const Write& write) {
  SIM_CHECK(write.group < sim::kMaxProcesses, "a write names a group no layout can hold");
  if (write.group >= fences_.size()) fences_.resize(write.group + 1);
  const GroupFence& fence = fences_[write.group];
  const bool accepted = decide(fence, from, write.epoch, write.token);
  context.report(sim::WriteDecided{from, write.group, write.epoch, write.token, accepted});
  if (!accepted) return;
  // The latest leadership at the highest token is the one an equal token is compared with.
  if (!fence.written || write.token >= fence.highest_token) {
    const bool changed = !fence.written || write.token != fence.highest_token ||
                         fence.writer != from || fence.epoch != write.epoch;
    if (changed) remember(context, write.group, GroupFence{true, write.token, from, write.epoch});
  }
}

// Keeps the group's fence, durably. Only a change is written (once per leadership that takes
// the highest token), as a store rewrites its small metadata record when the highest token
// moves, not at every write. Groups between the persisted ones and this one that never wrote
// persist as zero words (written == false).
void FencedResource::remember(sim::Context& context, sim::GroupId group,
                              const GroupFence& fence) {
  fences_[group] = fence;
  const size_t first = std::min<size_t>(group, persisted_groups_);
  std::vector<uint64_t> words;
  words.reserve((group + 1 - first) * kWordsPerGroup);
  for (size_t index = first; index <= group; ++index) {
    const GroupFence& each = fences_[index];
    words.insert(words.end(), {each.written ? 1u : 0u, each.highest_token, each.writer,
                               each.epoch});
  }
  context.persist_at(first * kWordsPerGroup, words, /*truncate_rest=*/false);
  persisted_groups_ = std::max<size_t>(persisted_groups_, size_t{group} + 1);
}

std::unique_ptr<sim::Algorithm> FencedResourceFactory::create(sim::ProcessId /*process*/) const {
  return std::make_unique<FencedResource>(mode_);
}

std::unique_ptr<sim::AlgorithmFactory> make_resource_factory(sim::FencingMode mode) {
  return std::make_unique<FencedResourceFactory>(mode);
}

}  // namespace electsim::algorithms::resource
