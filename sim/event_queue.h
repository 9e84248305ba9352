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
    SIM_CHECK(time >= popped_, "event scheduled in the past");
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
    buckets_[bucket(time)].push_back(event);
  }

  // The earliest event's time; precondition: !empty(). It does not change what may be pushed.
  uint64_t peek_time() {
    if (!early_.empty()) [[unlikely]] return early_.front().time;
    if (head_ == buckets_[0].size()) refill();
    return buckets_[0][head_].time;
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
  void refill() {
    buckets_[0].clear();
    head_ = 0;
    size_t index = 1;
    while (buckets_[index].empty()) {
      ++index;
      SIM_CHECK(index < buckets_.size(), "pop from an empty event queue");
    }
    uint64_t minimum = buckets_[index][0].time;
    for (const Event& e : buckets_[index]) minimum = std::min(minimum, e.time);
    last_ = minimum;
    for (const Event& e : buckets_[index]) buckets_[bucket(e.time)].push_back(e);
    buckets_[index].clear();
    // Equal times must come out in insertion order; seq values are unique, so this is total.
    std::sort(buckets_[0].begin(), buckets_[0].end(),
              [](const Event& a, const Event& b) { return a.seq < b.seq; });
  }

  std::array<std::vector<Event>, 65> buckets_;
  size_t head_ = 0;
  size_t size_ = 0;
  std::vector<Event> early_;  // a min-heap of events pushed below the radix base (rare)
  uint64_t last_ = 0;    // the radix base: the minimum bucketed time after the last refill
  uint64_t popped_ = 0;  // the time of the last popped event; no push may precede it
  uint64_t next_seq_ = 0;
};

}  // namespace electsim::sim
