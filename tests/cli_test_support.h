// Runs the real `electsim` binary from tests and captures what it printed and its exit code.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace electsim::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A fresh temporary folder for one test.
inline std::filesystem::path temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("electsim-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// `arguments` is appended to the binary's path as is (the caller quotes).
// Runs `binary` with `arguments`; stdout and stderr go to files in `dir`, stdin is /dev/null.
inline CommandResult run_binary(const std::string& binary, const std::string& arguments,
                                const std::filesystem::path& dir) {
  const auto out = dir / "stdout.txt";
  const auto err = dir / "stderr.txt";
  const std::string command = binary + " " + arguments + " >" + out.string() + " 2>" +
                              err.string() + " </dev/null";
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_text(out);
  result.err = read_text(err);
  return result;
}

inline CommandResult run_electsim(const std::string& arguments, const std::filesystem::path& dir) {
  return run_binary(ELECTSIM_BINARY, arguments, dir);
}

// Runs `command` with the shell from the repository root; stdout and stderr go to files in `dir`.
inline CommandResult run_shell(const std::string& command, const std::filesystem::path& dir) {
  const auto out = dir / "stdout.txt";
  const auto err = dir / "stderr.txt";
  const std::string line = "cd '" + std::string(ELECTSIM_SOURCE_DIR) + "' && " + command +
                           " >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
  const int status = std::system(line.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_text(out);
  result.err = read_text(err);
  return result;
}

inline std::string source_path(const std::string& relative) {
  return std::string(ELECTSIM_SOURCE_DIR) + "/" + relative;
}

}  // namespace electsim::testing
