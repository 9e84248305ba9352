// The virtual network between hosts: directed links with properties (DESIGN.md, "Network").
// Partitions are link states, so any shape is possible; graph algorithms (Boost.Graph) answer the
// questions faults and tests ask ("is a quorum connected now?").
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "absl/container/node_hash_map.h"

#include "sim/layout.h"
#include "sim/prng.h"
#include "sim/time.h"
#include "sim/trace.h"


namespace electsim::sim {

struct LatencyModel {
  enum class Kind : uint8_t { kConstant, kUniform, kNormal, kExponential };
  Kind kind = Kind::kConstant;
  Duration a = Duration::milliseconds(1);  // constant value, uniform lo, normal mean, exp mean
  Duration b;                              // uniform hi, normal stddev
  Duration min;                            // normal: draws below are clamped here; exp: added
  // Normal only: a draw below `min` is drawn again instead of raised to it (a normal truncated
  // at `min`, as Howard's simulator draws its delays).
  bool redraw_below_min = false;

  static LatencyModel constant(Duration value) { return {Kind::kConstant, value, {}, {}}; }
  static LatencyModel uniform(Duration lo, Duration hi) { return {Kind::kUniform, lo, hi, {}}; }
  static LatencyModel normal(Duration mean, Duration stddev, Duration min, bool redraw = false) {
    return {Kind::kNormal, mean, stddev, min, redraw};
  }
  static LatencyModel exponential(Duration mean, Duration min) {
    return {Kind::kExponential, mean, {}, min};
  }
  Duration draw(Rng& rng) const {
    if (kind == Kind::kConstant) return a;  // the common case, inline
    return draw_random(rng);
  }
  Duration draw_random(Rng& rng) const;
};

struct Link {
  LatencyModel latency;
  Ratio loss;
  Ratio duplication;
  bool may_reorder = false;  // when false, delivery on this link is FIFO
  bool up = true;
  // Degradations layered on by faults (faults/ owns their meaning; the kernel applies them).
  LatencyModel extra_latency = LatencyModel::constant(Duration::zero());
  Instant clogged_until;     // messages sent before this are held until it
  // Kernel bookkeeping for FIFO links: the latest delivery time scheduled so far.
  Instant last_delivery;
};

// The links between hosts: one default link plus the pairs that differ from it. Processes on one
// host talk over the host's loopback (World), never over a link here.
//
// Per-pair state (FIFO bookkeeping, clogs, extra latency, up/down) exists only for pairs that
// were touched: up to kDenseHosts hosts it lives in a flat table (the hot path is one multiply
// and one load; 128 hosts are 16,384 links, about 2.5 MB), above that in a node map keyed by the
// pair, filled on first use, so 10,000 hosts do not allocate 10^8 links. A node map keeps each
// link at one address, so a reference stays valid while other pairs are added.
class Network {
 public:
  static constexpr uint32_t kDenseHosts = 128;

  explicit Network(uint32_t hosts, const Link& default_link = Link{});
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  uint32_t size() const { return size_; }
  // The link's state, created from the default on first use.
  Link& link(HostId from, HostId to) {
    SIM_CHECK(from < size_ && to < size_ && from != to, "no such link");
    if (!dense_.empty()) [[likely]] return dense_[static_cast<size_t>(from) * size_ + to];
    return sparse_link(from, to);
  }
  // The link's state without creating it: the default for a pair never touched.
  const Link& link(HostId from, HostId to) const {
    SIM_CHECK(from < size_ && to < size_ && from != to, "no such link");
    if (!dense_.empty()) return dense_[static_cast<size_t>(from) * size_ + to];
    auto it = sparse_.find(pair_key(from, to));
    return it == sparse_.end() ? default_link_ : it->second;
  }
  bool is_up(HostId from, HostId to) const { return from == to || link(from, to).up; }
  const Link& default_link() const { return default_link_; }
  // How many pairs have their own state (all of them in the dense table); for memory tests.
  size_t links_allocated() const { return dense_.empty() ? sparse_.size() : dense_.size(); }

  // Cuts or restores every listed directed link; returns how many changed state.
  int set_links(std::span<const std::pair<HostId, HostId>> links, bool up);
  // Restores every link.
  void heal_all();
  // Every directed link that is down, ordered by (from, to).
  std::vector<std::pair<HostId, HostId>> down_links() const;

  // Graph queries over the links that are up, on a Boost.Graph built for the question (they are
  // asked by faults and tests, not on the hot path; the graph has hosts^2 edges).
  // Strongly connected groups, each sorted, ordered by their smallest member.
  std::vector<std::vector<HostId>> strongly_connected_groups() const;
  // Every host that `from` can reach over up links (itself included), sorted.
  std::vector<HostId> reachable_from(HostId from) const;
  // True if some majority of all hosts can reach each other (both ways, possibly via others).
  bool majority_connected() const;
  // True if every pair of `hosts` has direct links both ways (a clique of two-way links), as
  // a leader needs to reach its followers without relays.
  bool directly_connected(std::span<const HostId> hosts) const;

 private:
  Link& sparse_link(HostId from, HostId to);
  static uint64_t pair_key(HostId from, HostId to) {
    return (static_cast<uint64_t>(from) << 32) | to;
  }

  uint32_t size_;
  Link default_link_;
  std::vector<Link> dense_;  // [from * size_ + to] when size_ <= kDenseHosts (diagonal unused)
  absl::node_hash_map<uint64_t, Link> sparse_;  // lint: lookup-only
  std::vector<uint64_t> sparse_keys_;  // the pairs in sparse_, in the order first touched
};

}  // namespace electsim::sim
