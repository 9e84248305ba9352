// Starts the real binary as a child process the test can signal, and collects its exit status
// and peak memory (wait4's ru_maxrss). For tests of SIGINT handling and of memory use.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

extern char** environ;

namespace electsim::testing {

struct ChildOutcome {
  int exit_code = -1;     // -1 if it ended by a signal
  long max_rss_kb = 0;
};

// Starts `binary` with `arguments`, stdout and stderr to files, stdin from /dev/null.
inline pid_t start_child(const std::string& binary, const std::vector<std::string>& arguments,
                         const std::filesystem::path& out, const std::filesystem::path& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> words{binary};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int failed = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return failed == 0 ? pid : -1;
}

inline ChildOutcome wait_child(pid_t pid) {
  ChildOutcome outcome;
  int status = 0;
  struct rusage usage {};
  if (wait4(pid, &status, 0, &usage) != pid) return outcome;
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  outcome.max_rss_kb = usage.ru_maxrss;
  return outcome;
}

// Polls `ready` every few milliseconds until it is true or `deadline` passes.
inline bool poll_until(const std::function<bool()>& ready, std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (ready()) return true;
    usleep(5000);
  }
  return ready();
}

}  // namespace electsim::testing
