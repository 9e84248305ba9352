#include "algorithms/k8s_lease/k8s_lease.h"

namespace electsim::algorithms::k8s_lease {
namespace {

using service::Op;
using service::Reply;
using service::Status;
namespace timers = service::timers;

// RetryPeriod x (1 + JitterFactor): the longest wait of wait.JitterUntil between tries.
sim::Duration max_jittered(sim::Duration period) { return period * 22 / 10; }

}  // namespace

// ---- The record ----

uint64_t LeaseRecord::pack() const {
  const uint64_t holder_word = has_holder() ? uint64_t{holder} + 1 : 0;
  SIM_CHECK_LT(holder_word, uint64_t{1} << 16, "a lease holder's id does not fit the record");
  return (holder_word << 48) | (uint64_t{lease_duration_seconds & 0xffff} << 32) | transitions;
}

LeaseRecord LeaseRecord::unpack(uint64_t value) {
  LeaseRecord record;
  const auto holder_word = static_cast<uint32_t>(value >> 48);
  record.holder = holder_word == 0 ? sim::kNoNode : holder_word - 1;
  record.lease_duration_seconds = static_cast<uint32_t>((value >> 32) & 0xffff);
  record.transitions = static_cast<uint32_t>(value);
  return record;
}

uint32_t RenewTimeField::of(sim::LocalInstant now) {
  // Floor division, so that negative local times (a clock offset behind zero) wrap too.
  const int64_t units = now.ns() / kUnitNanos - (now.ns() % kUnitNanos < 0 ? 1 : 0);
  return static_cast<uint32_t>(static_cast<uint64_t>(units) & 0xffff);
}

sim::Duration RenewTimeField::elapsed_since(uint32_t field, sim::LocalInstant now) {
  const auto difference = static_cast<int16_t>(static_cast<uint16_t>(of(now) - field));
  return sim::Duration::nanoseconds(int64_t{difference} * kUnitNanos);
}

// ---- Start and dispatch ----

void K8sLease::on_start(sim::Context& context, const sim::DurableState* /*restored*/) {
  // The elector keeps nothing on disk: a restarted process starts a new elector.
  try_acquire_or_renew(context);  // JitterUntil calls its function once before it waits
}

service::Key K8sLease::lease_key(const sim::Context& context) const {
  return service::make_key(context.group(), service::tags::kK8sLease, 0);
}

void K8sLease::on_message(sim::Context& context, sim::ProcessId /*from*/,
                          const sim::Payload& message) {
  if (service::kind_of(message) != service::MessageKind::kReply) return;  // no watches here
  const Reply reply = service::as_reply(message);
  if (!call_.finish(context, reply)) return;  // an abandoned try's late answer
  switch (step_) {
    case Step::kGetting: handle_get(context, reply); break;
    case Step::kCreating:
    case Step::kUpdating: handle_write(context, reply); break;
    case Step::kReleasing: step_ = Step::kIdle; break;
    case Step::kIdle: break;
  }
}

void K8sLease::on_timer(sim::Context& context, sim::TimerId timer) {
  switch (timer) {
    case timers::kRequest:  // the API server did not answer in time: this try failed
      call_.timed_out();
      if (step_ == Step::kReleasing) {
        step_ = Step::kIdle;
        return;
      }
      if (in_round_) {  // the poll that was due while this try hung: try again now
        try_acquire_or_renew(context);
        return;
      }
      try_ended(context, false);
      break;
    case timers::kRetry:
      if (leading_ && !in_round_) {
        start_renew_round(context);
      } else {
        try_acquire_or_renew(context);
      }
      break;
    case timers::kDeadline:  // the renew round's context expired without a success
      stop_leading(context, sim::StepDownReason::kRenewDeadlineExceeded);
      break;
    default: SIM_CHECK(false, "k8s-lease has no such timer");
  }
}

// ---- tryAcquireOrRenew ----

void K8sLease::try_acquire_or_renew(sim::Context& context) {
  step_ = Step::kGetting;
  // Each try gets at most a retry period: PollImmediateUntil polls again then, and a round's
  // deadline cuts a try short anyway.
  call_.start(context, service::make_request(Op::kGet, lease_key(context)),
              options_.retry_period);
}

void K8sLease::handle_get(sim::Context& context, const Reply& reply) {
  if (reply.status == Status::kNotFound) {
    write_record(context, /*create=*/true);
    return;
  }
  observe(context, reply.state);
  if (held_by_another_and_valid(context)) {
    try_ended(context, false);
    return;
  }
  write_record(context, /*create=*/false);
}

// client-go observes a record that differs from the one it saw last, at its own clock's now.
// Every Update changes renewTime, so a change of resourceVersion is a change of record.
void K8sLease::observe(sim::Context& context, const service::KeyState& state) {
  if (observed_any_ && state.mod_revision == observed_version_) return;
  observed_any_ = true;
  observed_ = LeaseRecord::unpack(state.value);
  observed_version_ = state.mod_revision;
  observed_time_ = context.local_now();
  // maybeReportTransition: a new holder observed. Only another holder is followed.
  const bool new_holder = !reported_any_follow_ || reported_follow_.holder != observed_.holder ||
                          reported_follow_.transitions != observed_.transitions;
  if (new_holder && observed_.has_holder() && observed_.holder != context.self() && !leading_) {
    context.report(sim::Follows{observed_.holder, observed_.transitions});
  }
  reported_follow_ = observed_;
  reported_any_follow_ = true;
}

bool K8sLease::held_by_another_and_valid(sim::Context& context) const {
  const bool is_leader = observed_.holder == context.self();
  if (options_.judge_expiry_from_renew_time) {  // the planted bug (k8s_lease.h)
    const sim::Duration since_renew =
        RenewTimeField::elapsed_since(observed_.lease_duration_seconds, context.local_now());
    return observed_.has_holder() && since_renew < options_.lease_duration && !is_leader;
  }
  return observed_.has_holder() && observed_time_ + options_.lease_duration > context.local_now() &&
         !is_leader;
}

void K8sLease::write_record(sim::Context& context, bool create) {
  const bool is_leader = observed_any_ && observed_.holder == context.self();
  writing_ = LeaseRecord{context.self(),
                         static_cast<uint32_t>(options_.lease_duration.ns() / 1'000'000'000),
                         0};
  if (!create) writing_.transitions = is_leader ? observed_.transitions : observed_.transitions + 1;
  if (options_.judge_expiry_from_renew_time) {
    writing_.lease_duration_seconds = RenewTimeField::of(context.local_now());
  }
  // A write that names us where the record did not is an acquisition, also in a renew round: a
  // leader that slept through another's whole tenure and finds the lease released (an empty
  // holder) takes it anew, with LeaderTransitions + 1, as tryAcquireOrRenew does.
  acquiring_ = !leading_ || !is_leader;
  service::Request request = service::make_request(Op::kPut, lease_key(context));
  request.value = writing_.pack();
  request.compare = create ? service::CompareTarget::kCreateRevision
                           : service::CompareTarget::kModRevision;
  request.compare_value = create ? 0 : observed_version_;
  if (acquiring_) request.flags = service::flags::kGrant | service::flags::kEpochInValue;
  step_ = create ? Step::kCreating : Step::kUpdating;
  call_.start(context, request, options_.retry_period);
}

void K8sLease::handle_write(sim::Context& context, const Reply& reply) {
  if (reply.status != Status::kOk) {  // 409 Conflict (or AlreadyExists on a create)
    try_ended(context, false);
    return;
  }
  observed_any_ = true;
  observed_ = writing_;
  observed_version_ = reply.state.mod_revision;
  observed_time_ = context.local_now();
  reported_follow_ = observed_;
  reported_any_follow_ = true;
  try_ended(context, true);
}

// ---- acquire() and renew() ----

void K8sLease::try_ended(sim::Context& context, bool succeeded) {
  step_ = Step::kIdle;
  if (!leading_) {
    if (succeeded) {
      become_leader(context);
    } else {
      schedule_acquire(context);
    }
    return;
  }
  if (succeeded) {
    // client-go's elector goes on leading without telling anyone; its lease is a new one now,
    // so it leads under the record's new LeaderTransitions (its epoch and fencing token).
    if (acquiring_) report_leading(context);
    // The round is over; wait.Until starts the next one a retry period later.
    in_round_ = false;
    context.cancel_timer(timers::kDeadline);
    context.set_timer(timers::kRetry, options_.retry_period);
    return;
  }
  // PollImmediateUntil polls again a retry period later, until the round's deadline.
  context.set_timer(timers::kRetry, options_.retry_period);
}

void K8sLease::schedule_acquire(sim::Context& context) {
  context.set_timer(timers::kRetry, options_.retry_period, max_jittered(options_.retry_period));
}

void K8sLease::become_leader(sim::Context& context) {
  leading_ = true;
  in_round_ = false;
  // It leads at least until its first renew round's deadline: the round starts a retry period
  // from now and gives up a renew deadline later.
  report_leading(context);
  context.set_timer(timers::kRetry, options_.retry_period);
}

void K8sLease::report_leading(sim::Context& context) {
  const sim::LocalInstant believes_until =
      context.local_now() + options_.retry_period + options_.renew_deadline;
  context.report(sim::Elected{observed_.transitions, observed_.transitions, believes_until,
                              std::nullopt});
}

void K8sLease::start_renew_round(sim::Context& context) {
  in_round_ = true;
  context.set_timer(timers::kDeadline, options_.renew_deadline);
  try_acquire_or_renew(context);
}

void K8sLease::stop_leading(sim::Context& context, sim::StepDownReason reason) {
  if (!leading_) return;
  leading_ = false;
  in_round_ = false;
  call_.abandon(context);
  step_ = Step::kIdle;
  context.cancel_timer(timers::kDeadline);
  context.report(sim::SteppedDown{reason});
  if (options_.release_on_cancel || reason == sim::StepDownReason::kResigned) release(context);
  // A stopped elector's process starts over (k8s_lease.h); after a resignation it lets a lease
  // duration pass first, so that the hand-over goes to another candidate.
  if (reason == sim::StepDownReason::kResigned) {
    context.set_timer(timers::kRetry, options_.lease_duration);
  } else {
    schedule_acquire(context);
  }
}

void K8sLease::resign(sim::Context& context) {
  stop_leading(context, sim::StepDownReason::kResigned);
}

// release(): if the observed record still names us, write it with an empty holder.
void K8sLease::release(sim::Context& context) {
  if (!observed_any_ || observed_.holder != context.self()) return;
  LeaseRecord empty = observed_;
  empty.holder = sim::kNoNode;
  service::Request request = service::make_request(Op::kPut, lease_key(context));
  request.value = empty.pack();
  request.compare = service::CompareTarget::kModRevision;
  request.compare_value = observed_version_;
  step_ = Step::kReleasing;
  call_.start(context, request, options_.retry_period);
}

// ---- Factory ----

std::unique_ptr<sim::Algorithm> K8sLeaseFactory::create(sim::ProcessId /*process*/) const {
  return std::make_unique<K8sLease>(options_);
}

}  // namespace electsim::algorithms::k8s_lease
