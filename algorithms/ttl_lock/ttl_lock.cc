#include "algorithms/ttl_lock/ttl_lock.h"

#include <algorithm>
#include <utility>

namespace electsim::algorithms::ttl_lock {
namespace {

using service::Op;
using service::Reply;
using service::Status;
namespace timers = service::timers;

service::Key lock_key(const sim::Context& context) {
  return service::make_key(context.group(), service::tags::kTtlLock, 0);
}
service::Key counter_key(const sim::Context& context) {
  return service::make_key(context.group(), service::tags::kTokenCounter, 0);
}

}  // namespace

void TtlLock::on_start(sim::Context& context, const sim::DurableState* /*restored*/) {
  try_acquire(context);
}

void TtlLock::on_message(sim::Context& context, sim::ProcessId /*from*/,
                         const sim::Payload& message) {
  if (service::kind_of(message) != service::MessageKind::kReply) return;
  const Reply reply = service::as_reply(message);
  if (!call_.finish(context, reply)) return;
  const Step step = std::exchange(step_, Step::kIdle);
  switch (step) {
    case Step::kAcquiring: handle_acquire(context, reply); break;
    case Step::kCounting: handle_count(context, reply); break;
    case Step::kRenewing: handle_renew(context, reply); break;
    case Step::kReleasing:
    case Step::kIdle: break;
  }
}

void TtlLock::on_timer(sim::Context& context, sim::TimerId timer) {
  switch (timer) {
    case timers::kRequest: {
      call_.timed_out();
      const Step step = std::exchange(step_, Step::kIdle);
      // An unanswered acquisition may still have set the key: the next try finds it ours or
      // another's. An unanswered renewal is retried at the next renewal.
      if (step == Step::kAcquiring || step == Step::kCounting) retry_later(context);
      break;
    }
    case timers::kRetry:
      if (leading_) {
        renew(context);
      } else {
        try_acquire(context);
      }
      break;
    case timers::kDeadline:  // the TTL ran out on our own clock without a renewal
      stop_leading(context, sim::StepDownReason::kLeaseExpired);
      break;
    default: SIM_CHECK(false, "ttl-lock has no such timer");
  }
}

// SET lock me NX PX ttl (renewal: the same, only if the key still holds our value).
service::Request TtlLock::set_request(const sim::Context& context, bool only_if_absent) const {
  service::Request request = service::make_request(Op::kPut, lock_key(context));
  request.value = my_value(context);
  request.ttl_ns = options_.ttl.ns();
  request.compare =
      only_if_absent ? service::CompareTarget::kCreateRevision : service::CompareTarget::kValue;
  request.compare_value = only_if_absent ? 0 : my_value(context);
  if (only_if_absent) request.flags = service::flags::kGrant;
  return request;
}

void TtlLock::try_acquire(sim::Context& context) {
  step_ = Step::kAcquiring;
  sent_at_ = context.local_now();
  call_.start(context, set_request(context, /*only_if_absent=*/true), options_.renew_every);
}

void TtlLock::handle_acquire(sim::Context& context, const Reply& reply) {
  if (reply.status != Status::kOk) {
    // Held by another: follow the holder its value names, and try again later.
    const sim::ProcessId holder = static_cast<sim::ProcessId>(reply.state.value - 1);
    if (reply.state.create_revision != 0 && holder != context.self() &&
        (holder != followed_ || reply.state.create_revision != followed_epoch_)) {
      followed_ = holder;
      followed_epoch_ = reply.state.create_revision;
      context.report(sim::Follows{holder, followed_epoch_});
    }
    retry_later(context);
    return;
  }
  epoch_ = reply.state.create_revision;
  believes_until_ = sent_at_ + options_.ttl;
  if (!options_.token_counter) {
    become_leader(context, 0);
    return;
  }
  step_ = Step::kCounting;
  call_.start(context, service::make_request(Op::kIncrement, counter_key(context)),
              options_.renew_every);
}

void TtlLock::handle_count(sim::Context& context, const Reply& reply) {
  // The counter never refuses; but the lock may have run out on our clock meanwhile.
  if (context.local_now() >= believes_until_) {
    try_acquire(context);
    return;
  }
  become_leader(context, reply.state.value);
}

void TtlLock::become_leader(sim::Context& context, uint64_t token) {
  leading_ = true;
  followed_ = sim::kNoNode;
  context.report(sim::Elected{epoch_, token, believes_until_, std::nullopt});
  context.set_timer(timers::kDeadline,
                    std::max(sim::Duration::zero(), believes_until_ - context.local_now()));
  context.set_timer(timers::kRetry, options_.renew_every);
}

void TtlLock::renew(sim::Context& context) {
  step_ = Step::kRenewing;
  sent_at_ = context.local_now();
  call_.start(context, set_request(context, /*only_if_absent=*/false), options_.renew_every);
  context.set_timer(timers::kRetry, options_.renew_every);
}

void TtlLock::handle_renew(sim::Context& context, const Reply& reply) {
  if (!leading_) return;
  if (reply.status != Status::kOk) {
    // The store let the key expire (and maybe another took it): our lock is gone.
    stop_leading(context, sim::StepDownReason::kLeaseExpired);
    return;
  }
  believes_until_ = sent_at_ + options_.ttl;
  // A reply that comes after the TTL it renews ran out on our clock (the host was paused while
  // it waited, or the clock stepped forward) renews nothing we may still believe in.
  if (believes_until_ <= context.local_now()) {
    stop_leading(context, sim::StepDownReason::kLeaseExpired);
    return;
  }
  context.set_timer(timers::kDeadline, believes_until_ - context.local_now());
}

void TtlLock::stop_leading(sim::Context& context, sim::StepDownReason reason) {
  if (!leading_) return;
  leading_ = false;
  call_.abandon(context);
  step_ = Step::kIdle;
  context.cancel_timer(timers::kDeadline);
  context.report(sim::SteppedDown{reason});
  if (reason == sim::StepDownReason::kResigned) {
    service::Request release = service::make_request(Op::kDelete, lock_key(context));
    release.compare = service::CompareTarget::kValue;
    release.compare_value = my_value(context);
    step_ = Step::kReleasing;
    call_.start(context, release, options_.renew_every);
    // Let another candidate take it before competing again.
    context.set_timer(timers::kRetry, options_.ttl);
    return;
  }
  retry_later(context);
}

void TtlLock::resign(sim::Context& context) {
  stop_leading(context, sim::StepDownReason::kResigned);
}

void TtlLock::retry_later(sim::Context& context) {
  context.set_timer(timers::kRetry, options_.retry_delay.lo, options_.retry_delay.hi);
}

std::unique_ptr<sim::Algorithm> TtlLockFactory::create(sim::ProcessId /*process*/) const {
  return std::make_unique<TtlLock>(options_);
}

}  // namespace electsim::algorithms::ttl_lock
