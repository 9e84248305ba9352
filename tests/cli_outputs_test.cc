// Outputs that must not destroy anything (issue 7, acceptance 2; scenarios/outputs.h): every
// refused target exits 73 before the run with one line naming the flag and the path, and is left
// exactly as it was; write errors exit 74 and leave the target untouched; standard output is `-`
// and its failures count; an interrupted run leaves no temporary file.
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "sim/jsonl_sink.h"
#include "tests/cli_test_support.h"

namespace electsim {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::read_text;
using testing::run_electsim;
using testing::source_path;

const std::string kLeaderCrash = source_path("scenarios/library/raft-leader-crash.yaml");

// Everything a run could change about a path: its inode, type, mode, device number, content.
struct FileState {
  ino_t inode = 0;
  mode_t mode = 0;
  dev_t device = 0;
  std::string content;
  bool operator==(const FileState&) const = default;
};

FileState state_of(const fs::path& path) {
  struct stat info;
  EXPECT_EQ(lstat(path.c_str(), &info), 0) << path;
  FileState state{info.st_ino, info.st_mode, info.st_rdev, ""};
  if (S_ISREG(info.st_mode)) state.content = read_text(path);
  if (S_ISDIR(info.st_mode)) {
    for (const auto& entry : fs::directory_iterator(path)) state.content += entry.path().string();
  }
  return state;
}

// The temporary files outputs create are `.NAME.electsim-XXXXXX`; none may outlive a run.
std::vector<std::string> temporary_files(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".electsim-") != std::string::npos || name.ends_with(".tmp")) {
      found.push_back(name);
    }
  }
  return found;
}

// A refusal: exit 73, nothing on standard output (no simulation ran), and exactly one line on
// standard error that names the flag and the path.
void expect_refused(const CommandResult& result, const std::string& flag, const std::string& path,
                    const std::string& reason) {
  EXPECT_EQ(result.exit_code, 73) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "electsim: " + flag + " " + path + ": cannot create: " + reason + "\n");
}

// Runs `target` as --FLAG, checks the refusal and that the target is untouched.
void expect_target_refused(const fs::path& dir, const std::string& flag, const fs::path& target,
                           const std::string& reason) {
  const FileState before = state_of(target);
  const auto result = run_electsim("run " + kLeaderCrash + " " + flag + " " + target.string(), dir);
  expect_refused(result, flag, target.string(), reason);
  EXPECT_TRUE(state_of(target) == before) << target << " changed";
  EXPECT_EQ(temporary_files(target.parent_path()), std::vector<std::string>{});
}

TEST(CliOutputs, FifoIsRefusedWithoutOpeningIt) {
  const auto dir = testing::temp_dir("out-fifo");
  const auto fifo = dir / "trace.fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  // Opening a FIFO for writing would block until a reader came: this returning at all matters.
  expect_target_refused(dir, "--trace", fifo, "not a regular file but a named pipe (FIFO)");
  expect_target_refused(dir, "--json", fifo, "not a regular file but a named pipe (FIFO)");
  EXPECT_TRUE(fs::is_fifo(fifo));
}

TEST(CliOutputs, CharacterDeviceIsRefusedAndSurvives) {
  if (geteuid() != 0) GTEST_SKIP() << "mknod of a character device needs root (CI runs as root)";
  const auto dir = testing::temp_dir("out-device");
  const auto device = dir / "null";
  ASSERT_EQ(mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)), 0);  // a /dev/null twin
  expect_target_refused(dir, "--trace", device, "not a regular file but a character device");
  expect_target_refused(dir, "--json", device, "not a regular file but a character device");
  struct stat info;
  ASSERT_EQ(stat(device.c_str(), &info), 0);
  EXPECT_TRUE(S_ISCHR(info.st_mode));
  EXPECT_EQ(info.st_rdev, makedev(1, 3));
}

TEST(CliOutputs, DirectoryIsRefused) {
  const auto dir = testing::temp_dir("out-directory");
  const auto target = dir / "results";
  fs::create_directories(target / "inside");
  expect_target_refused(dir, "--json", target, "Is a directory");
  expect_target_refused(dir, "--trace", target, "Is a directory");
}

TEST(CliOutputs, ReadOnlyFileIsRefusedEvenForRoot) {
  const auto dir = testing::temp_dir("out-readonly");
  const auto target = dir / "keep.json";
  std::ofstream(target) << "{\"precious\": true}\n";
  fs::permissions(target, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  expect_target_refused(dir, "--json", target, "Permission denied (the file is read-only)");
  expect_target_refused(dir, "--trace", target, "Permission denied (the file is read-only)");
}

TEST(CliOutputs, ScenarioFileIsRefused) {
  const auto dir = testing::temp_dir("out-scenario");
  const auto scenario = dir / "s.yaml";
  fs::copy_file(kLeaderCrash, scenario);
  const FileState before = state_of(scenario);
  const auto result = run_electsim("run " + scenario.string() + " --json " + scenario.string(), dir);
  expect_refused(result, "--json", scenario.string(), "it is the scenario file being run");
  // Through another name of the same file too.
  const auto link = dir / "link.yaml";
  fs::create_symlink(scenario, link);
  const auto linked = run_electsim("run " + scenario.string() + " --trace " + link.string(), dir);
  expect_refused(linked, "--trace", link.string(), "it is the scenario file being run");
  EXPECT_TRUE(state_of(scenario) == before);
  EXPECT_EQ(temporary_files(dir), std::vector<std::string>{});
}

TEST(CliOutputs, TwoOutputsNamingOneFileAreRefused) {
  const auto dir = testing::temp_dir("out-same");
  // Neither exists: the same normalized path.
  const auto result = run_electsim("run " + kLeaderCrash + " --json " + (dir / "x").string() +
                                       " --trace " + dir.string() + "/./x",
                                   dir);
  EXPECT_EQ(result.exit_code, 73);
  EXPECT_EQ(result.err, "electsim: --json " + (dir / "x").string() +
                            ": cannot create: the same file as --trace " + dir.string() + "/./x\n");
  EXPECT_FALSE(fs::exists(dir / "x"));
  // Both exist as one inode under two names.
  std::ofstream(dir / "a.json") << "old\n";
  fs::create_hard_link(dir / "a.json", dir / "b.json");
  const auto linked = run_electsim("run " + kLeaderCrash + " --trace " + (dir / "a.json").string() +
                                       " --json " + (dir / "b.json").string(),
                                   dir);
  EXPECT_EQ(linked.exit_code, 73);
  EXPECT_NE(linked.err.find("the same file as --trace"), std::string::npos) << linked.err;
  EXPECT_EQ(read_text(dir / "a.json"), "old\n");
  // Both standard output.
  const auto both = run_electsim("run " + kLeaderCrash + " --trace - --json -", dir);
  EXPECT_EQ(both.exit_code, 73);
  EXPECT_EQ(both.err, "electsim: --json -: cannot create: the same file as --trace -\n");
  EXPECT_EQ(temporary_files(dir), std::vector<std::string>{});
}

TEST(CliOutputs, FileStandardOutputGoesToIsRefused) {
  const auto dir = testing::temp_dir("out-redirected");
  const auto target = dir / "report.txt";
  const auto err = dir / "err.txt";
  const std::string command = std::string(ELECTSIM_BINARY) + " run " + kLeaderCrash + " --json " +
                              target.string() + " >" + target.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 73);
  EXPECT_EQ(read_text(err), "electsim: --json " + target.string() +
                                ": cannot create: standard output already goes to this file\n");
}

TEST(CliOutputs, MissingDirectoryAndProcAreRefused) {
  const auto dir = testing::temp_dir("out-missing");
  const std::string missing = (dir / "no-such-dir" / "run.json").string();
  expect_refused(run_electsim("run " + kLeaderCrash + " --json " + missing, dir), "--json", missing,
                 "No such file or directory");
  EXPECT_FALSE(fs::exists(dir / "no-such-dir"));
  const auto proc = run_electsim("run " + kLeaderCrash + " --trace /proc/electsim-x", dir);
  EXPECT_EQ(proc.exit_code, 73);
  EXPECT_EQ(proc.out, "");
  EXPECT_EQ(proc.err.rfind("electsim: --trace /proc/electsim-x: cannot create: ", 0), 0u)
      << proc.err;
  EXPECT_EQ(std::count(proc.err.begin(), proc.err.end(), '\n'), 1);
  EXPECT_FALSE(fs::exists("/proc/electsim-x"));
  expect_refused(run_electsim("run " + kLeaderCrash + " --json ''", dir), "--json", "''",
                 "an empty file name");
}

TEST(CliOutputs, ReadOnlyDirectoryIsRefusedEvenForRoot) {
  const auto dir = testing::temp_dir("out-readonly-dir");
  const auto locked = dir / "locked";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                              fs::perms::group_exec);
  const std::string target = (locked / "run.json").string();
  expect_refused(run_electsim("run " + kLeaderCrash + " --json " + target, dir), "--json", target,
                 "Permission denied (the directory is read-only)");
  EXPECT_TRUE(fs::is_empty(locked));
  fs::permissions(locked, fs::perms::owner_all);  // so the next run's temp_dir can remove it
}

TEST(CliOutputs, SweepChecksItsJsonBeforeRunning) {
  const auto dir = testing::temp_dir("out-sweep");
  const auto result = run_electsim(
      "sweep " + kLeaderCrash + " --seeds 1..1000 --json " + dir.string(), dir);
  expect_refused(result, "--json", dir.string(), "Is a directory");
}

TEST(CliOutputs, ExistingFileIsReplacedWithItsModeAndNothingIsLeftBehind) {
  const auto dir = testing::temp_dir("out-replace");
  const auto target = dir / "run.json";
  std::ofstream(target) << "the previous results\n";
  fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  const auto result = run_electsim("run " + kLeaderCrash + " --json " + target.string() +
                                       " --trace " + (dir / "run.jsonl").string(),
                                   dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(nlohmann::json::parse(read_text(target))["seed"], 1);
  EXPECT_EQ(fs::status(target).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  EXPECT_EQ(temporary_files(dir), std::vector<std::string>{});
  // The report says where the outputs went.
  EXPECT_NE(result.out.find("wrote       trace " + (dir / "run.jsonl").string() + " ("),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find(" records), json " + target.string() + "\n"), std::string::npos);
}

TEST(CliOutputs, SymbolicLinkSurvivesAndItsFileIsWritten) {
  const auto dir = testing::temp_dir("out-symlink");
  fs::create_directories(dir / "real");
  std::ofstream(dir / "real" / "run.json") << "old\n";
  fs::create_symlink("real/run.json", dir / "link.json");
  const auto result = run_electsim(
      "run " + kLeaderCrash + " --quiet --json " + (dir / "link.json").string(), dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::is_symlink(dir / "link.json"));
  EXPECT_EQ(fs::read_symlink(dir / "link.json"), "real/run.json");
  EXPECT_EQ(nlohmann::json::parse(read_text(dir / "real" / "run.json"))["seed"], 1);
  EXPECT_EQ(temporary_files(dir / "real"), std::vector<std::string>{});
  // A link to nothing is refused, not followed into creating a file somewhere.
  fs::create_symlink("nowhere/run.json", dir / "dangling.json");
  expect_refused(run_electsim("run " + kLeaderCrash + " --json " + (dir / "dangling.json").string(),
                              dir),
                 "--json", (dir / "dangling.json").string(), "a symbolic link to a missing file");
}

TEST(CliOutputs, JsonToStandardOutputIsParseableAndTheReportGoesToStandardError) {
  const auto dir = testing::temp_dir("out-stdout");
  const auto result = run_electsim("run " + kLeaderCrash + " --seed 2 --json -", dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);  // throws, failing, on anything mixed in
  EXPECT_EQ(json["seed"], 2);
  EXPECT_NE(result.err.find("verdict     pass"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("wrote       json to standard output"), std::string::npos);

  const auto trace = run_electsim("run " + kLeaderCrash + " --quiet --trace -", dir);
  ASSERT_EQ(trace.exit_code, 0) << trace.err;
  std::istringstream lines(trace.out);
  int records = 0;
  for (std::string line; std::getline(lines, line); ++records) {
    EXPECT_TRUE(nlohmann::json::parse(line).contains("kind")) << line;
  }
  EXPECT_GT(records, 1000);
  EXPECT_EQ(trace.err.rfind("pass seed 1 fingerprint ", 0), 0u) << trace.err;
}

// Runs a shell command line with the binary's path in front; returns the exit code.
int run_shell(const std::string& before, const std::string& arguments) {
  const std::string command = before + std::string(ELECTSIM_BINARY) + " " + arguments;
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(CliOutputs, FullStandardOutputExits74) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const auto dir = testing::temp_dir("out-full");
  const auto err = dir / "err.txt";
  EXPECT_EQ(run_shell("", "run " + kLeaderCrash + " >/dev/full 2>" + err.string()), 74);
  EXPECT_EQ(read_text(err), "electsim: standard output: write error: No space left on device\n");
  EXPECT_EQ(run_shell("", "run " + kLeaderCrash + " --quiet --json - >/dev/full 2>" + err.string()),
            74);
  // The verdict line went to standard error (the JSON had standard output), then one error line.
  const std::string quiet_err = read_text(err);
  EXPECT_TRUE(quiet_err.ends_with("\nelectsim: --json -: write error: No space left on device\n"))
      << quiet_err;
  EXPECT_EQ(quiet_err.find("electsim: "), quiet_err.rfind("electsim: ")) << quiet_err;
  // `list` prints more than stdio's own buffer; the reason is still the system's.
  EXPECT_EQ(run_shell("", "list >/dev/full 2>" + err.string()), 74);
  EXPECT_EQ(read_text(err), "electsim: standard output: write error: No space left on device\n");
}

// A file size limit (ulimit -f, with SIGXFSZ ignored so writes fail with EFBIG) stands in for a
// full disk: the write fails midway and the previous file must survive.
TEST(CliOutputs, WriteErrorMidwayExits74AndLeavesTheTargetUntouched) {
  const auto dir = testing::temp_dir("out-efbig");
  const auto trace = dir / "run.jsonl";
  const auto json = dir / "run.json";
  std::ofstream(trace) << "the previous trace\n";
  std::ofstream(json) << "the previous json\n";
  const auto err = dir / "err.txt";
  const std::string limited = "trap '' XFSZ; ulimit -f 64; exec ";  // 64 blocks of 512 bytes
  EXPECT_EQ(run_shell(limited, "run " + kLeaderCrash + " --quiet --trace " + trace.string() +
                                   " >/dev/null 2>" + err.string()),
            74);
  EXPECT_EQ(read_text(err), "electsim: --trace " + trace.string() + ": write error: " +
                                std::strerror(EFBIG) + "\n");
  EXPECT_EQ(read_text(trace), "the previous trace\n");
  const std::string tiny = "trap '' XFSZ; ulimit -f 1; exec ";
  EXPECT_EQ(run_shell(tiny, "run " + kLeaderCrash + " --quiet --json " + json.string() +
                                " >/dev/null 2>" + err.string()),
            74);
  EXPECT_EQ(read_text(err), "electsim: --json " + json.string() + ": write error: " +
                                std::strerror(EFBIG) + "\n");
  EXPECT_EQ(read_text(json), "the previous json\n");
  EXPECT_EQ(temporary_files(dir), std::vector<std::string>{});
}

// A trace that can no longer be written stops the run early instead of simulating to the end.
TEST(CliOutputs, FailedTraceStopsTheRunEarly) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  auto scenario = scenarios::load_scenario_file(kLeaderCrash, {});
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> full(std::fopen("/dev/full", "wb"), &std::fclose);
  ASSERT_NE(full, nullptr);
  std::setvbuf(full.get(), nullptr, _IONBF, 0);
  sim::JsonlSink sink(full.get());
  scenarios::RunOptions options;
  options.trace_sink = &sink;
  const auto failed = scenarios::run_scenario(*scenario, 1, options);
  EXPECT_FALSE(failed.ok());
  EXPECT_TRUE(sink.failed());
  // The whole run traces over 10,000 records; the first 64 KiB buffer holds under 1,000.
  EXPECT_LT(sink.records_written(), 2'000u);
  const auto whole = scenarios::run_scenario(*scenario, 1, {});
  ASSERT_TRUE(whole.ok());
  EXPECT_GT(whole->events, 8'000u);
}

// The path of the one temporary trace file in `dir` once it holds data, or nullopt at the
// deadline.
std::optional<fs::path> wait_for_temporary_trace(const fs::path& dir) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      std::error_code error;
      if (name.starts_with(".trace.jsonl.electsim-") && fs::file_size(entry.path(), error) > 0) {
        return entry.path();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return std::nullopt;
}

// waitpid with a deadline; kills the child and returns -1 if it is still running then.
int wait_with_deadline(pid_t child) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int status = 0;
  while (waitpid(child, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Starts a long `run --trace` in `dir`, waits until its temporary trace holds data, sends
// `signal_number`, and returns the exit code (-1 if it had to be killed).
int interrupt_a_long_trace(const fs::path& dir, int signal_number) {
  const std::string trace_arg = (dir / "trace.jsonl").string();
  const pid_t child = fork();
  if (child < 0) return -2;
  if (child == 0) {
    // An hour of simulated time: over a second of writing, far longer than the wait below.
    if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(126);
    execl(ELECTSIM_BINARY, ELECTSIM_BINARY, "run", kLeaderCrash.c_str(), "--quiet", "--set",
          "duration=3600s", "--trace", trace_arg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const std::optional<fs::path> temporary = wait_for_temporary_trace(dir);
  EXPECT_TRUE(temporary.has_value()) << "the run never started writing its trace";
  kill(child, signal_number);
  return wait_with_deadline(child);
}

TEST(CliOutputs, InterruptedTraceLeavesNoTemporaryFile) {
  const auto dir = testing::temp_dir("out-sigint");
  EXPECT_EQ(interrupt_a_long_trace(dir, SIGINT), 130);
  EXPECT_EQ(temporary_files(dir), std::vector<std::string>{});
  EXPECT_FALSE(fs::exists(dir / "trace.jsonl"));
}

TEST(CliOutputs, TerminatedTraceLeavesNoTemporaryFile) {
  const auto dir = testing::temp_dir("out-sigterm");
  EXPECT_EQ(interrupt_a_long_trace(dir, SIGTERM), 128 + SIGTERM);
  EXPECT_EQ(temporary_files(dir), std::vector<std::string>{});
  EXPECT_FALSE(fs::exists(dir / "trace.jsonl"));
}

}  // namespace
}  // namespace electsim
