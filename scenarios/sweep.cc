#include "scenarios/sweep.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
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

// Blocks held while a seed runs the second time (check_determinism), so that the world's
// allocations land elsewhere than the first time: 97 blocks of 1..4096 bytes, sizes drawn from
// the seed. Any code whose result depends on an address or on what the heap held before then
// gives another fingerprint.
class HeapBallast {
 public:
  explicit HeapBallast(uint64_t seed) {
    uint64_t state = seed ^ 0x9e3779b97f4a7c15ULL;
    blocks_.reserve(kBlocks);
    for (int i = 0; i < kBlocks; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      const size_t bytes = 1 + static_cast<size_t>((state >> 33) % kMaxBlockBytes);
      blocks_.push_back(std::make_unique<char[]>(bytes));
    }
  }

 private:
  static constexpr int kBlocks = 97;
  static constexpr uint64_t kMaxBlockBytes = 4096;
  std::vector<std::unique_ptr<char[]>> blocks_;
};

// With check_determinism, how many other first runs are handed out between a seed's first run
// and its second, so that the second never directly follows the first on one worker.
constexpr size_t kSecondRunLag = 2;

// One unit of work: a seed's (first) run, or its second run when checking determinism.
struct Task {
  uint64_t offset = 0;
  bool second_run = false;
};

// The shared state of one sweep: the seed counter, the reorder window of finished runs waiting
// for their turn, and the worker threads. Seeds are offsets into the slice, so that a range of
// all 2^64 seeds never needs its size (which does not fit in 64 bits).
class Sweep {
 public:
  Sweep(const Scenario& scenario, SeedSlice slice, const SweepOptions& options)
      : scenario_(scenario),
        slice_(slice),
        options_(options),
        window_(options.window > 0
                    ? options.window
                    : std::max(kMinWindow, kWindowPerJob * static_cast<uint64_t>(
                                                               std::max(1, options.jobs)))),
        runs_per_seed_(options.check_determinism ? 2 : 1),
        slots_(window_) {
    SIM_CHECK_LE(slice.first, slice.last, "a sweep's seed range runs forwards");
    SIM_CHECK_GE(slice.stride, 1u, "a sweep's seeds are at least one apart");
    SIM_CHECK(!options.check_determinism || window_ > kSecondRunLag,
              "the window holds a seed's two runs apart");
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
    while (std::optional<Task> task = take_task()) {
      try {
        finish_run(*task, run_task(*task));
      } catch (...) {
        // Whatever escaped the run is kept with its seed, without allocating (it may be a
        // bad_alloc), and the consumer turns it into that seed's internal_error result.
        fail_run(task->offset, std::current_exception());
      }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    --workers_running_;
    consumer_wakeup_.notify_one();
  }

  // A pending second run is due once kSecondRunLag first runs followed it, or when no first run
  // can be handed out (none left, or the window is full).
  bool second_run_due() const {
    if (second_runs_.empty()) return false;
    return second_runs_.size() > kSecondRunLag || first_runs_done_ ||
           next_offset_ - consume_offset_ >= window_;
  }

  // The next task, once its seed is within the window; nullopt when there is none to run.
  std::optional<Task> take_task() {
    std::unique_lock<std::mutex> lock(mutex_);
    worker_wakeup_.wait(lock, [this] {
      return stopping_ || second_run_due() || first_runs_done_ ||
             next_offset_ - consume_offset_ < window_;
    });
    if (stopping_) return std::nullopt;
    if (!second_run_due() && !first_runs_done_ && options_.stop_requested &&
        options_.stop_requested()) {
      first_runs_done_ = true;  // the seeds started still finish, both runs when checking
      stopped_by_request_ = true;
      worker_wakeup_.notify_all();
    }
    if (second_run_due()) {
      const Task task{second_runs_.front(), true};
      second_runs_.pop_front();
      return task;
    }
    if (first_runs_done_) return std::nullopt;
    const uint64_t offset = next_offset_;
    if (offset == slice_.last_offset()) {
      first_runs_done_ = true;
      worker_wakeup_.notify_all();
    } else {
      ++next_offset_;
    }
    if (options_.check_determinism) second_runs_.push_back(offset);
    return Task{offset, false};
  }

  reports::RunResult run_task(const Task& task) const {
    const uint64_t seed = slice_.seed_at(task.offset);
    if (!task.second_run) return run_seed(seed);
    const HeapBallast ballast(seed);
    return run_seed(seed);
  }

  reports::RunResult run_seed(uint64_t seed) const {
    if (options_.run_seed_for_tests) return options_.run_seed_for_tests(seed);
    return run_scenario_as_result(scenario_, seed, options_.run);
  }

  void finish_run(const Task& task, reports::RunResult run) {
    std::lock_guard<std::mutex> lock(mutex_);
    Slot& slot = slots_[task.offset % window_];
    ++slot.runs_done;
    if (runs_per_seed_ == 1) {
      slot.run = std::move(run);
    } else if (slot.runs_done == 1) {
      slot.earlier = std::move(run);
      slot.earlier_was_second = task.second_run;
    } else if (slot.earlier) {
      slot.run = checked(std::move(*slot.earlier), std::move(run), slot.earlier_was_second);
      slot.earlier.reset();
    }
    if (slot.filled(runs_per_seed_) && task.offset == consume_offset_) {
      consumer_wakeup_.notify_one();
    }
  }

  // The seed's result from its two runs: the first one, unless the fingerprints differ.
  reports::RunResult checked(reports::RunResult earlier, reports::RunResult later,
                             bool earlier_was_second) const {
    if (earlier.fingerprint == later.fingerprint) return earlier_was_second ? later : earlier;
    const reports::RunResult& first = earlier_was_second ? later : earlier;
    const reports::RunResult& second = earlier_was_second ? earlier : later;
    return internal_error_result(
        scenario_, first.seed,
        nondeterminism_message(first.seed, first.fingerprint, second.fingerprint),
        sim::Instant::zero());
  }

  // As finish_run, for a run whose worker threw. Taking the lock may itself throw
  // (std::system_error) only if the mutex is broken, and then nothing can be reported.
  void fail_run(uint64_t offset, std::exception_ptr failure) {
    std::lock_guard<std::mutex> lock(mutex_);
    Slot& slot = slots_[offset % window_];
    ++slot.runs_done;
    if (!slot.failure) slot.failure = std::move(failure);
    if (slot.filled(runs_per_seed_) && offset == consume_offset_) consumer_wakeup_.notify_one();
  }

  // The run of the oldest seed not consumed yet, waiting for it; nullopt when the workers are
  // done and no seed they ran is left.
  std::optional<reports::RunResult> next_in_order() {
    std::unique_lock<std::mutex> lock(mutex_);
    Slot& slot = slots_[consume_offset_ % window_];
    consumer_wakeup_.wait(
        lock, [&] { return slot.filled(runs_per_seed_) || workers_running_ == 0; });
    if (!slot.filled(runs_per_seed_)) return std::nullopt;
    std::optional<reports::RunResult> run = std::move(slot.run);
    const std::exception_ptr failure = std::move(slot.failure);
    slot = Slot{};
    const uint64_t seed = slice_.seed_at(consume_offset_);
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
  const SeedSlice slice_;
  const SweepOptions& options_;
  const uint64_t window_;
  const int runs_per_seed_;

  std::mutex mutex_;
  std::condition_variable worker_wakeup_;    // a slot in the window freed up, or stopping
  std::condition_variable consumer_wakeup_;  // the awaited run arrived, or a worker ended
  uint64_t next_offset_ = 0;     // the next seed to hand out, unless first_runs_done_
  bool first_runs_done_ = false;  // the last seed was handed out, or a stop was requested
  std::deque<uint64_t> second_runs_;  // check_determinism: seeds whose second run is pending
  uint64_t consume_offset_ = 0;  // the oldest seed not consumed yet
  bool stopping_ = false;        // nothing more is handed out, not even second runs
  bool stopped_by_request_ = false;
  int workers_running_ = 0;
  // A seed's runs as they finish: its result, or the exception a worker threw instead.
  struct Slot {
    std::optional<reports::RunResult> run;
    std::optional<reports::RunResult> earlier;  // check_determinism: the run that finished first
    bool earlier_was_second = false;
    std::exception_ptr failure;
    int runs_done = 0;
    bool filled(int runs_per_seed) const { return runs_done == runs_per_seed; }
  };
  std::vector<Slot> slots_;  // offset % window_
  std::vector<std::thread> threads_;
};

}  // namespace

absl::StatusOr<SweepOutcome> run_sweep(
    const Scenario& scenario, SeedRange seeds, const SweepOptions& options,
    const std::function<absl::Status(const reports::RunResult&)>& consume) {
  return run_sweep_slice(scenario, whole(seeds), options, consume);
}

absl::StatusOr<SweepOutcome> run_sweep_slice(
    const Scenario& scenario, SeedSlice seeds, const SweepOptions& options,
    const std::function<absl::Status(const reports::RunResult&)>& consume) {
  Sweep sweep(scenario, seeds, options);
  sweep.start_workers();
  return sweep.consume_in_order(consume);  // ~Sweep stops and joins, also on an exception
}

std::string nondeterminism_message(uint64_t seed, uint64_t first_fingerprint,
                                   uint64_t second_fingerprint) {
  return absl::StrCat("nondeterminism: seed ", seed, " gave fingerprint ",
                      reports::format_fingerprint(first_fingerprint), " the first time and ",
                      reports::format_fingerprint(second_fingerprint),
                      " the second (run again in the same process, after other seeds and with "
                      "another heap state): the run depends on more than its scenario and seed");
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
