#include "algorithms/pingpong/pingpong.h"

namespace electsim::algorithms {
namespace {
constexpr std::string_view kMessageNames[] = {"ping", "pong"};
constexpr std::string_view kTimerNames[] = {"retry"};
constexpr sim::FamilyInfo kFamily{sim::families::kPingPong, "pingpong", kMessageNames,
                                  kTimerNames};
}  // namespace

const sim::FamilyInfo& pingpong_family() { return kFamily; }

void PingPong::on_start(sim::Context& context, const sim::DurableState* restored) {
  if (restored != nullptr && !restored->empty()) round_ = (*restored)[0];
  if (context.self() == context.members().front()) broadcast_ping(context);
}

void PingPong::broadcast_ping(sim::Context& context) {
  ++round_;
  context.persist(sim::DurableState{round_});
  for (sim::NodeId peer : context.members()) {
    if (peer != context.self()) context.send(peer, PingPongMessage{round_, true});
  }
  context.set_timer(kRetryTimer, retry_after_);
}

void PingPong::on_message(sim::Context& context, sim::NodeId from, const sim::Payload& message) {
  const auto body = message.as<PingPongMessage>();
  if (body.is_ping) {
    context.send(from, PingPongMessage{body.round, false});
    return;
  }
  ++pongs_received_;
  if (body.round == round_) broadcast_ping(context);
}

void PingPong::on_timer(sim::Context& context, sim::TimerId timer) {
  if (timer == kRetryTimer) broadcast_ping(context);
}

}  // namespace electsim::algorithms
