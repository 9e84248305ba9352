#include "scenarios/sweep.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/check.h"

namespace electsim::scenarios {
namespace {

constexpr uint64_t kWindowPerJob = 16;
constexpr uint64_t kMinWindow = 64;

// What `failure`, an exception that escaped a sweep worker, says.
std::string exception_text(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    return error.what();
  } catch (...) {
    return "an exception of an unknown type";
  }
}

// The run of a seed whose worker failed outside the run itself (building its result ran out of
// memory, a check failed around the run): an internal_error that names the seed first, so that
// whoever reads only the message still knows which seed to reproduce.
reports::RunResult worker_failure_result(const Scenario& scenario, uint64_t seed,
                                         const std::exception_ptr& failure) {
  return internal_error_result(
      scenario, seed,
      absl::StrCat("seed ", seed, ": the sweep worker failed: ", exception_text(failure)),
      sim::Instant::zero());
}

// The shared state of one sweep: the seed counter, the reorder window of finished runs waiting
// for their turn, and the worker threads. Seeds are offsets from range.first, so that a range
// of all 2^64 seeds never needs its size (which does not fit in 64 bits).
class Sweep {
 public:
  Sweep(const Scenario& scenario, SeedRange range, const SweepOptions& options)
      : scenario_(scenario),
        range_(range),
        options_(options),
        window_(options.window > 0
                    ? options.window
                    : std::max(kMinWindow, kWindowPerJob * static_cast<uint64_t>(
                                                               std::max(1, options.jobs)))),
        slots_(window_) {
    SIM_CHECK_LE(range.first, range.last, "a sweep's seed range runs forwards");
  }
  Sweep(const Sweep&) = delete;
  Sweep& operator=(const Sweep&) = delete;

  // Stops handing out seeds and joins the workers, whatever happened.
  ~Sweep() {
    stop();
    for (std::thread& thread : threads_) thread.join();
  }

  void start_workers() {
    const int jobs = std::max(1, options_.jobs);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      workers_running_ = jobs;
    }
    for (int i = 0; i < jobs; ++i) {
      try {
        threads_.emplace_back([this] { work(); });
      } catch (...) {
        // A thread that could not start counts as finished; the others do its share.
        std::lock_guard<std::mutex> lock(mutex_);
        workers_running_ -= jobs - i;
        if (i == 0) throw;
        break;
      }
    }
  }

  // Hands finished runs to `consume` in seed order until every seed handed out is consumed.
  absl::StatusOr<SweepOutcome> consume_in_order(
      const std::function<absl::Status(const reports::RunResult&)>& consume) {
    while (std::optional<reports::RunResult> run = next_in_order()) {
      absl::Status status = consume(*run);
      if (!status.ok()) return status;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    return SweepOutcome{stopped_by_request_};
  }

 private:
  void work() {
    while (std::optional<uint64_t> offset = take_seed()) {
      try {
        finish_seed(*offset, run_seed(range_.first + *offset));
      } catch (...) {
        // Whatever escaped the run is kept with its seed, without allocating (it may be a
        // bad_alloc), and the consumer turns it into that seed's internal_error result.
        fail_seed(*offset, std::current_exception());
      }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    --workers_running_;
    consumer_wakeup_.notify_one();
  }

  // The next seed's offset, once it is within the window; nullopt when there is none to run.
  std::optional<uint64_t> take_seed() {
    std::unique_lock<std::mutex> lock(mutex_);
    worker_wakeup_.wait(lock, [this] {
      return stopping_ || exhausted_ || next_offset_ - consume_offset_ < window_;
    });
    if (stopping_ || exhausted_) return std::nullopt;
    if (options_.stop_requested && options_.stop_requested()) {
      stopping_ = true;
      stopped_by_request_ = true;
      worker_wakeup_.notify_all();
      return std::nullopt;
    }
    const uint64_t offset = next_offset_;
    if (offset == range_.last - range_.first) {
      exhausted_ = true;
    } else {
      ++next_offset_;
    }
    return offset;
  }

  reports::RunResult run_seed(uint64_t seed) const {
    if (options_.run_seed_for_tests) return options_.run_seed_for_tests(seed);
    return run_scenario_as_result(scenario_, seed, options_.run);
  }

  void finish_seed(uint64_t offset, reports::RunResult run) {
    std::lock_guard<std::mutex> lock(mutex_);
    slots_[offset % window_].run = std::move(run);
    if (offset == consume_offset_) consumer_wakeup_.notify_one();
  }

  // As finish_seed, for a seed whose worker threw. Taking the lock may itself throw
  // (std::system_error) only if the mutex is broken, and then nothing can be reported.
  void fail_seed(uint64_t offset, std::exception_ptr failure) {
    std::lock_guard<std::mutex> lock(mutex_);
    slots_[offset % window_].failure = std::move(failure);
    if (offset == consume_offset_) consumer_wakeup_.notify_one();
  }

  // The run of the oldest seed not consumed yet, waiting for it; nullopt when the workers are
  // done and no seed they ran is left.
  std::optional<reports::RunResult> next_in_order() {
    std::unique_lock<std::mutex> lock(mutex_);
    Slot& slot = slots_[consume_offset_ % window_];
    consumer_wakeup_.wait(lock, [&] { return slot.filled() || workers_running_ == 0; });
    if (!slot.filled()) return std::nullopt;
    std::optional<reports::RunResult> run = std::move(slot.run);
    const std::exception_ptr failure = std::move(slot.failure);
    slot.run.reset();
    slot.failure = nullptr;
    const uint64_t seed = range_.first + consume_offset_;
    ++consume_offset_;  // wraps only after the last of 2^64 seeds, when nothing is left
    worker_wakeup_.notify_all();
    lock.unlock();
    if (failure) return worker_failure_result(scenario_, seed, failure);
    return run;
  }

  void stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    worker_wakeup_.notify_all();
  }

  const Scenario& scenario_;
  const SeedRange range_;
  const SweepOptions& options_;
  const uint64_t window_;

  std::mutex mutex_;
  std::condition_variable worker_wakeup_;    // a slot in the window freed up, or stopping
  std::condition_variable consumer_wakeup_;  // the awaited run arrived, or a worker ended
  uint64_t next_offset_ = 0;     // the next seed to hand out, unless exhausted_
  bool exhausted_ = false;       // the last seed of the range was handed out
  uint64_t consume_offset_ = 0;  // the oldest seed not consumed yet
  bool stopping_ = false;        // no more seeds are handed out
  bool stopped_by_request_ = false;
  int workers_running_ = 0;
  // A finished seed: its run, or the exception its worker threw instead.
  struct Slot {
    std::optional<reports::RunResult> run;
    std::exception_ptr failure;
    bool filled() const { return run.has_value() || failure != nullptr; }
  };
  std::vector<Slot> slots_;  // offset % window_
  std::vector<std::thread> threads_;
};

}  // namespace

absl::StatusOr<SweepOutcome> run_sweep(
    const Scenario& scenario, SeedRange seeds, const SweepOptions& options,
    const std::function<absl::Status(const reports::RunResult&)>& consume) {
  Sweep sweep(scenario, seeds, options);
  sweep.start_workers();
  return sweep.consume_in_order(consume);  // ~Sweep stops and joins, also on an exception
}

std::vector<std::string> override_words(const Scenario& scenario) {
  std::vector<std::string> words;
  if (scenario.algorithm_override) words.push_back("--algorithm " + *scenario.algorithm_override);
  for (const std::string& override_text : scenario.overrides) {
    words.push_back("--set " + override_text);
  }
  return words;
}

std::vector<reports::RunResult> collect_sweep(const Scenario& scenario, SeedRange seeds,
                                              int jobs) {
  std::vector<reports::RunResult> runs;
  SweepOptions options;
  options.jobs = jobs;
  options.run.keep_timeline = false;
  auto outcome = run_sweep(scenario, seeds, options, [&](const reports::RunResult& run) {
    runs.push_back(run);
    return absl::OkStatus();
  });
  SIM_CHECK(outcome.ok(), "collecting a sweep cannot fail");
  return runs;
}

}  // namespace electsim::scenarios
