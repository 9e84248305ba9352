// Ping-pong: the first member of the group sends a ping to every other member, each answers with a pong, and node 0
// sends the next ping when a pong arrives or a retry timer fires (the link may be lossy).
// Not an election algorithm: the kernel's end-to-end smoke workload and benchmark.
#pragma once

#include <cstdint>
#include <memory>

#include "sim/algorithm.h"
#include "sim/message_type.h"

namespace electsim::algorithms {

struct PingPongMessage {
  uint64_t round;
  bool is_ping;
};
// Ping-pong's stable message ids (sim/message_type.h): a ping is index 0, a pong index 1.
inline sim::MessageTypeId message_type_of(const PingPongMessage& message) {
  return sim::message_type_id(sim::families::kPingPong, message.is_ping ? 0 : 1);
}
// Its family's names ("pingpong.ping", "pingpong.retry"), registered by the factory.
const sim::FamilyInfo& pingpong_family();

class PingPong final : public sim::Algorithm {
 public:
  static constexpr sim::TimerId kRetryTimer = 0;
  explicit PingPong(sim::Duration retry_after) : retry_after_(retry_after) {}

  sim::FamilyId family() const override { return sim::families::kPingPong; }
  void on_start(sim::Context& context, const sim::DurableState* restored) override;
  void on_message(sim::Context& context, sim::NodeId from, const sim::Payload& message) override;
  void on_timer(sim::Context& context, sim::TimerId timer) override;

  uint64_t pongs_received() const { return pongs_received_; }

 private:
  void broadcast_ping(sim::Context& context);
  sim::Duration retry_after_;
  uint64_t round_ = 0;
  uint64_t pongs_received_ = 0;
};

class PingPongFactory final : public sim::AlgorithmFactory {
 public:
  explicit PingPongFactory(sim::Duration retry_after) : retry_after_(retry_after) {
    sim::register_family(&pingpong_family());
  }
  std::unique_ptr<sim::Algorithm> create(sim::NodeId /*node*/) const override {
    return std::make_unique<PingPong>(retry_after_);
  }

 private:
  sim::Duration retry_after_;
};

}  // namespace electsim::algorithms
