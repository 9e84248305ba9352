// The event queue: a total order by (time, sequence number), FIFO among equal times, with no
// allocation per event (events are 32-byte plain values). It is a radix heap (Ahuja, Mehlhorn,
// Orlin & Tarjan 1990), valid because simulated time never goes backwards: no event is ever
// scheduled before the last one popped. BUILD-NOTES.md §6 measured it 1.8x faster than a binary
// heap at 1k pending events and nearly flat in the queue size.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

#include "sim/check.h"

namespace electsim::sim {

struct Event {
  uint64_t time;  // true time in ns (never negative)
  uint64_t seq;   // global insertion counter: breaks ties deterministically, first in first out
  uint32_t kind;
  uint32_t node;
  uint64_t data;
};
static_assert(sizeof(Event) == 32);

class EventQueue {
 public:
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  // The time of the last popped event (0 before the first pop).
  uint64_t last_time() const { return popped_; }

  // Precondition: time >= the time of the last popped event.
  void push(uint64_t time, uint32_t kind, uint32_t node, uint64_t data) {
    SIM_CHECK_GE(time, popped_, "event scheduled in the past");
    const Event event{time, next_seq_++, kind, node, data};
    ++size_;
    // A peek may have moved the radix base past `time` without popping anything (the world
    // peeks to see whether the next event is due, then a fault or a test schedules one in
    // between). Such events precede every bucketed one, so a small side heap holds them.
    if (time < last_) [[unlikely]] {
      early_.push_back(event);
      std::push_heap(early_.begin(), early_.end(), later);
      return;
    }
    const size_t index = bucket(time);
    buckets_[index].push_back(event);
    occupied_ |= occupied_bit(index);
  }

  // The earliest event's time; precondition: !empty(). It does not change what may be pushed.
  uint64_t peek_time() {
    if (!early_.empty()) [[unlikely]] return early_.front().time;
    if (head_ == buckets_[0].size()) refill();
    return buckets_[0][head_].time;
  }

  // The earliest event, left in the queue; precondition: !empty(). Valid until the next push.
  const Event& top() {
    if (!early_.empty()) [[unlikely]] return early_.front();
    if (head_ == buckets_[0].size()) refill();
    return buckets_[0][head_];
  }
  // Removes the event top() returned; precondition: top() was called since the last change.
  void pop_top() {
    --size_;
    if (!early_.empty()) [[unlikely]] {
      pop_early();
      return;
    }
    popped_ = last_;
    ++head_;
  }

  // Precondition: !empty().
  Event pop() {
    --size_;
    if (!early_.empty()) [[unlikely]] return pop_early();
    if (head_ == buckets_[0].size()) refill();
    popped_ = last_;
    return buckets_[0][head_++];
  }

 private:
  static bool later(const Event& a, const Event& b) {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
  Event pop_early() {
    std::pop_heap(early_.begin(), early_.end(), later);
    const Event event = early_.back();
    early_.pop_back();
    popped_ = event.time;
    return event;
  }
  size_t bucket(uint64_t time) const {
    return time == last_ ? 0u : static_cast<size_t>(64 - std::countl_zero(time ^ last_));
  }
  // Bit i - 1 of `occupied_` says bucket i (1..64) may hold events; bucket 0 is tracked by head_.
  static uint64_t occupied_bit(size_t index) {
    return index == 0 ? 0 : uint64_t{1} << (index - 1);
  }
  void refill() {
    buckets_[0].clear();
    head_ = 0;
    SIM_CHECK(occupied_ != 0, "pop from an empty event queue");
    const auto index = static_cast<size_t>(std::countr_zero(occupied_)) + 1;
    std::vector<Event>& source = buckets_[index];
    occupied_ &= ~occupied_bit(index);
    uint64_t minimum = source[0].time;
    for (const Event& e : source) minimum = std::min(minimum, e.time);
    last_ = minimum;
    // Every event of `source` lands in a lower bucket (the highest differing bit is now lower).
    for (const Event& e : source) {
      const size_t target = bucket(e.time);
      buckets_[target].push_back(e);
      occupied_ |= occupied_bit(target);
    }
    source.clear();
    // Equal times must come out in insertion order; seq values are unique, so this is total.
    // Events usually arrive already in order (pushed in seq order), so check before sorting.
    auto by_seq = [](const Event& a, const Event& b) { return a.seq < b.seq; };
    if (!std::is_sorted(buckets_[0].begin(), buckets_[0].end(), by_seq)) {
      std::sort(buckets_[0].begin(), buckets_[0].end(), by_seq);
    }
  }

  std::array<std::vector<Event>, 65> buckets_;
  uint64_t occupied_ = 0;
  size_t head_ = 0;
  size_t size_ = 0;
  std::vector<Event> early_;  // a min-heap of events pushed below the radix base (rare)
  uint64_t last_ = 0;    // the radix base: the minimum bucketed time after the last refill
  uint64_t popped_ = 0;  // the time of the last popped event; no push may precede it
  uint64_t next_seq_ = 0;
};

}  // namespace electsim::sim
