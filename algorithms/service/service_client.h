// The client side of the service protocol (service_messages.h): one request in flight per
// ServiceCall, matched to its reply by request id and abandoned after a timeout, as a real
// client library gives up on an RPC whose context expired (client-go passes a context with the
// renew deadline to each update; clientv3 requests take a context). A recipe keeps one call per
// concurrent purpose (say, its requests and its keep-alives), each with a timer of its own.
//
// Request ids: the call's `channel` (0..3) in the low two bits, a counter above them, so the
// replies of a process's calls never match another call's request. After a crash the counter
// starts again from 1: nothing sent before the crash can arrive after it (the kernel drops a
// crashed host's messages in flight).
#pragma once

#include <cstdint>

#include "algorithms/service/service_messages.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::service {

class ServiceCall {
 public:
  static constexpr uint32_t kChannels = 4;

  ServiceCall(uint32_t channel, sim::TimerId timeout_timer);

  // Sends `request` (its request id is set here) to the process's service and starts the
  // timeout. A call already in flight is abandoned first: its reply will be ignored. Returns
  // false, sending nothing, when the world has no service.
  bool start(sim::Context& context, Request request, sim::Duration timeout);
  // Whether `reply` answers the call in flight; if so the call is over and its timer cancelled.
  bool finish(sim::Context& context, const Reply& reply);
  // The timeout fired (on_timer with this call's timer): the call is over, unanswered.
  void timed_out() { in_flight_ = false; }
  // Forgets the call in flight (a late reply will be ignored) and cancels its timer.
  void abandon(sim::Context& context);

  bool in_flight() const { return in_flight_; }
  Op op() const { return op_; }
  uint32_t request_id() const { return request_id_; }
  sim::TimerId timer() const { return timer_; }
  // The channel a request id was sent on (its low bits).
  static uint32_t channel_of(uint32_t request_id) { return request_id % kChannels; }

 private:
  uint32_t channel_;
  sim::TimerId timer_;
  uint32_t counter_ = 0;
  uint32_t request_id_ = 0;
  Op op_ = Op::kGet;
  bool in_flight_ = false;
};

// A request for `op` on `key`, other fields zero: callers set what their op needs.
inline Request make_request(Op op, Key key) {
  Request request;
  request.op = op;
  request.key = key;
  return request;
}

// What a recipe's on_message makes of a service-family payload.
inline Reply as_reply(const sim::Payload& payload) { return payload.as<Reply>(); }
inline WatchEvent as_watch_event(const sim::Payload& payload) {
  return payload.as<WatchEvent>();
}

}  // namespace electsim::algorithms::service
