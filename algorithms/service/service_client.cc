#include "algorithms/service/service_client.h"

namespace electsim::algorithms::service {

ServiceCall::ServiceCall(uint32_t channel, sim::TimerId timeout_timer)
    : channel_(channel), timer_(timeout_timer) {
  SIM_CHECK_LT(channel, kChannels, "a service call's channel is 0..3");
}

bool ServiceCall::start(sim::Context& context, Request request, sim::Duration timeout) {
  const sim::ProcessId service = service_for(context);
  if (service == sim::kNoNode) return false;
  ++counter_;
  request_id_ = counter_ * kChannels + channel_;
  request.request_id = request_id_;
  op_ = request.op;
  in_flight_ = true;
  context.send(service, request);
  context.set_timer(timer_, timeout);
  return true;
}

bool ServiceCall::finish(sim::Context& context, const Reply& reply) {
  if (!in_flight_ || reply.request_id != request_id_) return false;
  in_flight_ = false;
  context.cancel_timer(timer_);
  return true;
}

void ServiceCall::abandon(sim::Context& context) {
  if (!in_flight_) return;
  in_flight_ = false;
  context.cancel_timer(timer_);
}

sim::ProcessId service_for(const sim::Context& context) {
  const auto services = context.services();
  if (services.empty()) return sim::kNoNode;
  const sim::GroupId group = context.group();
  const size_t index = group == sim::kNoGroup ? 0 : group % services.size();
  return services[index];
}

}  // namespace electsim::algorithms::service
