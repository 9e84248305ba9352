// Hostile and mistaken inputs through the real binary (issue 7, "Input that hangs or eats memory"
// and the "Inputs" and "Budgets" parts of "What to build"): each one returns promptly with one
// line on stderr that names the file (with line:column where it applies) or the flag, exit 65
// (or 64 for a flag), and a peak resident set well under 200 MB.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/cli_test_support.h"
#include "tests/sanitizer_build.h"

namespace electsim {
namespace {

namespace fs = std::filesystem;
using testing::read_text;

constexpr long kMemoryLimitKb = 200 * 1024;

struct Bounded {
  int exit_code = -1;  // -1: killed by a signal or by the deadline
  bool timed_out = false;  // over its CPU time limit, or still running at the wall-clock backstop
  long max_rss_kb = 0;
  int signal = 0;  // the signal that ended it, if one did
  std::string out;
  std::string err;
};

// Runs the binary with `args` and stdin from /dev/null, stopping it once it has used `deadline`
// of CPU time (RLIMIT_CPU: the kernel sends SIGXCPU, then SIGKILL a second later), or once it
// has run for kWallBackstop times `deadline` of wall-clock time without using it (a hang that
// waits, such as a blocked open): a regression that hangs fails the test instead of hanging it.
// Limiting CPU time rather than wall-clock time keeps a run that a loaded machine merely slows
// down from being killed (these tests used to fail when other jobs held both cores). The peak
// RSS is the child's own, from wait4.
constexpr int kWallBackstop = 6;
Bounded run_bounded(const std::vector<std::string>& args, const fs::path& dir,
                    std::chrono::seconds deadline = std::chrono::seconds(20)) {
  const std::string out_path = (dir / "stdout.txt").string();
  const std::string err_path = (dir / "stderr.txt").string();
  std::vector<std::string> words = {ELECTSIM_BINARY};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) ::_exit(127);
    const rlimit cpu{static_cast<rlim_t>(deadline.count()),
                     static_cast<rlim_t>(deadline.count() + 1)};
    if (::setrlimit(RLIMIT_CPU, &cpu) != 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  Bounded result;
  int status = 0;
  rusage usage{};
  const auto give_up = std::chrono::steady_clock::now() + deadline * kWallBackstop;
  // A bounded poll: the child is reaped as soon as it ends, or killed at the deadline.
  while (::wait4(pid, &status, WNOHANG, &usage) == 0) {
    if (std::chrono::steady_clock::now() > give_up) {
      ::kill(pid, SIGKILL);
      ::wait4(pid, &status, 0, &usage);
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    // The CPU time limit, soft or hard.
    if (result.signal == SIGXCPU || result.signal == SIGKILL) result.timed_out = true;
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.max_rss_kb = usage.ru_maxrss;
  result.out = read_text(out_path);
  result.err = read_text(err_path);
  return result;
}

fs::path test_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return testing::temp_dir(absl::StrCat("inputs-", info->name()));
}

fs::path write_file(const fs::path& dir, const std::string& name, const std::string& text) {
  const fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// One line on stderr that starts "electsim: " and then `rest`.
void expect_one_line(const Bounded& run, const std::string& rest) {
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.err, absl::StrCat("electsim: ", rest, "\n"));
}

void expect_refused(const Bounded& run, const std::string& rest) {
  EXPECT_EQ(run.exit_code, 65) << run.err;
  expect_one_line(run, rest);
  if (testing::kMemoryIsMeasurable) {
    EXPECT_LT(run.max_rss_kb, kMemoryLimitKb);
  }
}

constexpr const char* kRaft = "version: 1\ncluster: {nodes: 5}\n";

// Reading ---------------------------------------------------------------------------------------

TEST(CliInputs, DevZeroIsNotRead) {
  const Bounded run = run_bounded({"run", "/dev/zero"}, test_dir());
  expect_refused(run, "/dev/zero: not a regular file (a character device)");
}

TEST(CliInputs, DevUrandomIsNotRead) {
  const Bounded run = run_bounded({"run", "/dev/urandom"}, test_dir());
  expect_refused(run, "/dev/urandom: not a regular file (a character device)");
}

TEST(CliInputs, FifoReturnsAtOnce) {
  const fs::path dir = test_dir();
  const fs::path fifo = dir / "scenario.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Nobody ever writes to it: reading it would block forever.
  const Bounded run = run_bounded({"run", fifo.string()}, dir, std::chrono::seconds(10));
  expect_refused(run, absl::StrCat(fifo.string(), ": not a regular file (a FIFO)"));
}

// The guard itself: a run that computes past its CPU time is stopped by the kernel's SIGXCPU,
// not by the wall-clock backstop (three seeds of 1,000 groups take about 20 s of CPU time).
TEST(CliInputs, TheHangGuardStopsARunAtItsCpuTime) {
  const fs::path dir = test_dir();
  const Bounded run = run_bounded(
      {"sweep", "partitions-raft-1000", "--seeds", "1..3", "--jobs", "1", "--quiet"}, dir,
      std::chrono::seconds(1));
  EXPECT_TRUE(run.timed_out);
  EXPECT_EQ(run.signal, SIGXCPU) << run.err;
}

TEST(CliInputs, DirectoryIsRefused) {
  const fs::path dir = test_dir();
  const Bounded run = run_bounded({"run", dir.string()}, dir);
  expect_refused(run, absl::StrCat(dir.string(), ": not a regular file (a directory)"));
}

TEST(CliInputs, OversizedFileIsRefusedBeforeReading) {
  const fs::path dir = test_dir();
  const fs::path big = dir / "big.yaml";
  std::ofstream(big) << kRaft;
  fs::resize_file(big, 20 * 1024 * 1024);  // sparse: cheap to make, 20.0 MB to stat
  const Bounded run = run_bounded({"run", big.string()}, dir);
  expect_refused(run, absl::StrCat(big.string(),
                                   ": 20.0 MB is over the 16 MB limit for a scenario file"));
  // Refused before a byte of it was held.
  if (testing::kMemoryIsMeasurable) {
    EXPECT_LT(run.max_rss_kb, 30 * 1024);
  }
}

// Memory ----------------------------------------------------------------------------------------

// The cheapest YAML value is two bytes ("1,"); yaml-cpp spends about 460 bytes on each.
std::string flat_list(size_t values) {
  std::string text = "version: 1\nx: [";
  for (size_t i = 0; i < values; ++i) text += i == 0 ? "1" : ",1";
  return text + "]\n";
}

TEST(CliInputs, TooManyYamlValuesAreRefusedAtTheFirstOverTheLimit) {
  const fs::path dir = test_dir();
  // The top mapping, version, 1, x and the list: 5 values before the list's items.
  const fs::path path = write_file(dir, "wide.yaml", flat_list(200'000));
  const Bounded run = run_bounded({"run", path.string()}, dir);
  // Item 199,996 is value 200,001; item k starts at column 5 + 2 * (k - 1).
  expect_refused(run, absl::StrCat(path.string(), ":2:", 5 + 2 * 199'995,
                                   ": the scenario holds more than 200000 YAML values by here "
                                   "(keys, values and list items; an alias counts as what it "
                                   "names), the limit for a scenario file"));
}

TEST(CliInputs, TheWorstFileUnderTheLimitsLoadsUnder200MB) {
  const fs::path dir = test_dir();
  const fs::path path = write_file(dir, "wide.yaml", flat_list(199'990));
  const Bounded run = run_bounded({"run", path.string()}, dir);
  EXPECT_EQ(run.exit_code, 65);  // loaded whole, then refused for its unknown key
  EXPECT_TRUE(absl::StrContains(run.err, "unknown key 'x'")) << run.err;
  if (testing::kMemoryIsMeasurable) {
    EXPECT_LT(run.max_rss_kb, kMemoryLimitKb);
  }
}

TEST(CliInputs, TheWorstNestedFileUnderTheLimitsLoadsUnder200MB) {
  // Flow collections nested nine deep, as many as the value limit allows.
  std::string text = "version: 1\nx: [";
  for (int i = 0; i < 199'990 / 9; ++i) {
    text += i == 0 ? "[[[[[[[[[]]]]]]]]]" : ",[[[[[[[[[]]]]]]]]]";
  }
  const fs::path dir = test_dir();
  const fs::path path = write_file(dir, "nested.yaml", text + "]\n");
  const Bounded run = run_bounded({"run", path.string()}, dir);
  EXPECT_EQ(run.exit_code, 65);
  EXPECT_TRUE(absl::StrContains(run.err, "unknown key 'x'")) << run.err;
  if (testing::kMemoryIsMeasurable) {
    EXPECT_LT(run.max_rss_kb, kMemoryLimitKb);
  }
}

TEST(CliInputs, AliasesCountAsWhatTheyName) {
  // A billion laughs: each level names the one before ten times.
  std::string text = "version: 1\na0: &a0 [1,1,1,1,1,1,1,1,1,1]\n";
  for (int level = 1; level <= 8; ++level) {
    text += absl::StrCat("a", level, ": &a", level, " [");
    for (int i = 0; i < 10; ++i) text += absl::StrCat(i == 0 ? "" : ",", "*a", level - 1);
    text += "]\n";
  }
  const fs::path dir = test_dir();
  const fs::path path = write_file(dir, "laughs.yaml", text);
  const Bounded run = run_bounded({"run", path.string()}, dir);
  EXPECT_EQ(run.exit_code, 65);
  EXPECT_TRUE(absl::StrContains(run.err, "more than 200000 YAML values")) << run.err;
  if (testing::kMemoryIsMeasurable) {
    EXPECT_LT(run.max_rss_kb, kMemoryLimitKb);
  }
}

TEST(CliInputs, DeepNestingIsAnErrorNotACrash) {
  const fs::path dir = test_dir();
  const fs::path path = write_file(
      dir, "deep.yaml",
      absl::StrCat("version: 1\nx: ", std::string(100'000, '['), std::string(100'000, ']'), "\n"));
  const Bounded run = run_bounded({"run", path.string()}, dir);
  EXPECT_EQ(run.exit_code, 65);
  EXPECT_FALSE(run.timed_out);
  EXPECT_TRUE(absl::StartsWith(run.err, absl::StrCat("electsim: ", path.string(), ":2:")));
  EXPECT_TRUE(
      absl::EndsWith(run.err, ": not valid YAML: nested too deeply (more than 500 levels)\n"))
      << run.err;
  if (testing::kMemoryIsMeasurable) {
    EXPECT_LT(run.max_rss_kb, kMemoryLimitKb);
  }
}

// Faults ----------------------------------------------------------------------------------------

std::string fault_list(size_t count) {
  std::string text = absl::StrCat(kRaft, "duration: 60s\nfaults:\n");
  for (size_t i = 0; i < count; ++i) {
    // Alternate partitions and heals: the heal check must stay well below cubic time.
    text += i % 2 == 0 ? absl::StrCat("  - {at: ", 1000 + i, "ms, partition: {isolate: n1}}\n")
                       : absl::StrCat("  - {at: ", 1000 + i, "ms, heal: all}\n");
  }
  return text;
}

TEST(CliInputs, TooManyFaultsNameTheFirstOverTheCap) {
  const fs::path dir = test_dir();
  const fs::path path = write_file(dir, "faults.yaml", fault_list(10'001));
  const Bounded run = run_bounded({"run", path.string()}, dir);
  // Fault 10,001 is on line 3 + 10,001 (after version, cluster and duration), column 5.
  expect_refused(run, absl::StrCat(path.string(), ":", 4 + 10'001, ":5: a scenario holds at most "
                                   "10000 faults; this is fault 10001 (use a nemesis to draw many "
                                   "faults from the seed)"));
}

TEST(CliInputs, TheMostFaultsRunQuicklyUnder200MB) {
  const fs::path dir = test_dir();
  const fs::path path = write_file(dir, "faults.yaml", fault_list(10'000));
  const Bounded run = run_bounded({"run", "--quiet", path.string()}, dir);
  EXPECT_FALSE(run.timed_out);
  EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 2) << run.err;
  if (testing::kMemoryIsMeasurable) {
    EXPECT_LT(run.max_rss_kb, kMemoryLimitKb);
  }
}

// Parameters and durations ----------------------------------------------------------------------

TEST(CliInputs, ATimerBelowAMicrosecondIsRefusedInUnits) {
  const fs::path dir = test_dir();
  const fs::path path = write_file(
      dir, "s.yaml",
      absl::StrCat(kRaft, "algorithm: {name: raft, params: {election_timeout: 2ns..3ns}}\n"));
  const Bounded run = run_bounded({"run", path.string()}, dir);
  expect_refused(run, absl::StrCat(path.string(), ":3:52: parameter 'election_timeout' must be "
                                   "between 1us and 1h, got '2ns..3ns'"));
}

TEST(CliInputs, AMicrosecondHeartbeatIsAllowedButOverTheDefaultBudget) {
  const fs::path dir = test_dir();
  const std::string params = "algorithm: {name: raft, params: {heartbeat_interval: 1us}}\n";
  const fs::path path = write_file(dir, "s.yaml", absl::StrCat(kRaft, params));
  const Bounded refused = run_bounded({"run", path.string()}, dir);
  expect_refused(refused,
                 absl::StrCat(path.string(), ":3:54: this scenario would need about 540,000,000 "
                              "events, more than the budget of 100,000,000 (the smallest timer, "
                              "heartbeat_interval, is 1us, over 60s on 5 nodes); raise "
                              "--max-events to run it anyway"));
  // The bound itself lets it through: a short run of it passes.
  const fs::path brief = write_file(dir, "brief.yaml",
                                    absl::StrCat(kRaft, params, "duration: 10ms\n"));
  const Bounded ran = run_bounded({"run", "--quiet", brief.string()}, dir);
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
}

TEST(CliInputs, TooManyMessagesInFlightAreRefusedBeforeTheRun) {
  // A heartbeat every microsecond over a one-second link: eight million messages in the air.
  const fs::path dir = test_dir();
  const fs::path path = write_file(
      dir, "s.yaml",
      absl::StrCat(kRaft, "algorithm: {name: raft, params: {heartbeat_interval: 1us}}\n",
                   "network: {latency: 1s}\nduration: 10ms\n"));
  const Bounded run = run_bounded({"run", path.string()}, dir);
  expect_refused(run, absl::StrCat(path.string(), ":3:54: this scenario would hold about "
                                   "8,000,008 messages in flight at once, more than the 1,000,000 "
                                   "a run may hold (the smallest timer, heartbeat_interval, is "
                                   "1us, over 10ms on 5 nodes) with a typical latency of 1s; "
                                   "lengthen the timer or shorten the latency"));
}

TEST(CliInputs, AHugeDurationIsRefusedWithItsMaximum) {
  const fs::path dir = test_dir();
  const fs::path path =
      write_file(dir, "s.yaml", absl::StrCat(kRaft, "duration: 9223372036854775807ns\n"));
  const Bounded run = run_bounded({"run", path.string()}, dir);
  expect_refused(run, absl::StrCat(path.string(), ":3:11: duration: must be at most 720h (30 "
                                   "days), got '9223372036854775807ns'"));
}

// Budgets ---------------------------------------------------------------------------------------

TEST(CliInputs, ARunOverItsEventBudgetStopsWithExit65) {
  const fs::path dir = test_dir();
  const fs::path json = dir / "run.json";
  // Every message duplicated: twice the events the file-based estimate expects, so the estimate
  // (about 7,200 for 60s of 75ms heartbeats on 5 nodes) passes and the run goes over.
  const fs::path path =
      write_file(dir, "s.yaml", absl::StrCat(kRaft, "network: {duplication: 1}\n"));
  const Bounded run =
      run_bounded({"run", path.string(), "--max-events", "9000", "--json", json.string()}, dir);
  EXPECT_EQ(run.exit_code, 65);
  EXPECT_TRUE(absl::StrContains(run.out, "budget_exceeded")) << run.out;
  EXPECT_TRUE(absl::StrContains(read_text(json), "\"verdict\": \"budget_exceeded\""));
  EXPECT_TRUE(absl::StartsWith(
      run.err, absl::StrCat("electsim: ", path.string(), ": needed more than 9,000 events by ")))
      << run.err;
  EXPECT_TRUE(absl::EndsWith(run.err, " of simulated time; the smallest timer, heartbeat_interval, "
                                      "is 75ms; --max-events raises the budget\n"))
      << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1);
}

TEST(CliInputs, ASweepWhoseRunsGoOverTheBudgetDoesNotPass) {
  const fs::path dir = test_dir();
  const fs::path path =
      write_file(dir, "s.yaml", absl::StrCat(kRaft, "network: {duplication: 1}\n"));
  const Bounded run =
      run_bounded({"sweep", path.string(), "--seeds", "1..2", "--jobs", "1", "--max-events",
                   "9000"},
                  dir);
  EXPECT_EQ(run.exit_code, 65) << run.out;
  EXPECT_TRUE(absl::StrContains(run.out, "verdict budget_exceeded")) << run.out;
  // Each reproduce line carries the budget, or it would not reproduce the run.
  EXPECT_TRUE(absl::StrContains(run.out, "--seed 2 --max-events 9000")) << run.out;
}

TEST(CliInputs, MaxEventsMustBeAPositiveNumber) {
  const fs::path dir = test_dir();
  const fs::path path = write_file(dir, "s.yaml", kRaft);
  // CLI11 alone would wrap -1 and clamp 2^64 to the largest value, and run.
  for (const char* bad : {"0", "-1", "18446744073709551616", "many"}) {
    const Bounded run = run_bounded({"run", path.string(), "--max-events", bad}, dir);
    EXPECT_EQ(run.exit_code, 64) << bad;
    EXPECT_EQ(run.err, absl::StrCat("electsim: --max-events '", bad,
                                    "': expected a whole number from 1 to 18446744073709551615\n"))
        << run.err;
  }
}

TEST(CliInputs, ANemesisThatWouldDrawTooManyFaultsIsRefused) {
  const fs::path dir = test_dir();
  const fs::path path = write_file(
      dir, "s.yaml",
      absl::StrCat(kRaft, "duration: 60s\nnemesis:\n  quiet_period: 10s\n  kinds:\n"
                          "    crash: {every: 1ms, duration: 1s}\n"));
  const Bounded run = run_bounded({"run", path.string()}, dir);
  expect_refused(run, absl::StrCat(path.string(), ":7:20: nemesis.kinds.crash.every: the nemesis "
                                   "would draw about 50000 faults over its window of 50s, more "
                                   "than the 10000 a run may hold; draw them less often"));
}

}  // namespace
}  // namespace electsim
