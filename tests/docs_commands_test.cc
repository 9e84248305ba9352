// Every command that README.md and docs/*.md show is run from the repository root, and its exit
// code and shown output are checked, so a doc cannot tell a user to run something that fails.
//
// What counts as a command: a line in a fenced block marked sh, bash, console, shell or nothing
// that starts with `$ `, `electsim `, `build/electsim ` or `scripts/`. A trailing backslash joins
// the next line; a trailing `# comment` is dropped, and `exit N` in it is the expected exit code
// (0 otherwise). After a `$ command` line, the lines up to the next `$ ` line or the end of the
// block are its output: each (trimmed) must appear in what the command printed, runs of blanks
// counting as one.
//
// How it is run: `electsim` and `build/electsim` become the binary this build made; scripts run
// with ELECTSIM set to it, BUILD_DIR to its folder and ELECTSIM_SKIP_SETUP=1 (never rebuilding),
// and `scripts/test` runs as `scripts/test --list` (running the suite from inside the suite would
// recurse). Output paths (--json, --trace, --junit, --html, --svg, --csv, --metrics,
// --transitions, --keep, --out, --output) are moved into a temporary folder, one per doc, and
// checked to exist afterwards, so nothing is written into the repository; the files `electsim
// merge` reads are taken from that folder, and so is a `--baseline FILE` that an earlier command
// wrote there (else it is read from the repository).
// Leading environment assignments (`NAME=value electsim ...`) are kept in front of the command.
//
// A `--write FILE` (scripts/experiments) goes to a copy of FILE in that folder, so the
// repository's page is never rewritten.
//
// Long commands: the fast test caps every `--seeds A..B` at 100 seeds (A..A+99),
// `scripts/fig16` at FIG16_SEEDS=3 and `scripts/experiments` at `--quick --only lease-envelope`
// (tests/experiments_script_test.cc runs its other sections), and checks only the exit code of
// a command it capped (the
// output a doc shows belongs to the full range). DocsCommandsFull, which ctest runs as the
// `slow` test docs_commands_full (ELECTSIM_DOCS_FULL=1), runs every command at its full size and
// checks its output too.
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

constexpr uint64_t kSeedCap = 100;
constexpr int kFig16Seeds = 3;

struct DocCommand {
  std::string file;
  int line = 0;
  std::string text;                  // as written, continuations joined, comment dropped
  int expected_exit = 0;
  std::vector<std::string> output;   // lines the doc shows after a `$ ` command
};

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// The position of a `#` that starts a comment: outside quotes, at the start or after a blank.
size_t comment_start(const std::string& line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '#' && (i == 0 || line[i - 1] == ' ')) {
      return i;
    }
  }
  return std::string::npos;
}

bool starts_command(const std::string& line) {
  for (const char* prefix : {"$ ", "electsim ", "build/electsim ", "scripts/"}) {
    if (line.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

bool is_shell_fence(const std::string& info) {
  return info.empty() || info == "sh" || info == "bash" || info == "console" || info == "shell";
}

// Reads the lines of one block from `lines[begin]` up to its closing fence.
void extract_block(const std::vector<std::string>& lines, size_t& i, const std::string& file,
                   std::vector<DocCommand>& commands) {
  DocCommand* current = nullptr;  // the last `$ ` command, which collects output lines
  for (; i < lines.size() && lines[i].rfind("```", 0) != 0; ++i) {
    std::string line = lines[i];
    if (!starts_command(line)) {
      if (current != nullptr && !trim(line).empty()) current->output.push_back(trim(line));
      continue;
    }
    DocCommand command{file, static_cast<int>(i) + 1, "", 0, {}};
    const bool prompted = line.rfind("$ ", 0) == 0;
    if (prompted) line = line.substr(2);
    while (!line.empty() && line.back() == '\\' && i + 1 < lines.size()) {
      line.pop_back();
      line = trim(line) + " " + trim(lines[++i]);
    }
    const size_t hash = comment_start(line);
    if (hash != std::string::npos) {
      std::smatch exit_code;
      const std::string comment = line.substr(hash);
      if (std::regex_search(comment, exit_code, std::regex(R"(exit (\d+))"))) {
        command.expected_exit = std::stoi(exit_code[1]);
      }
      line = line.substr(0, hash);
    }
    command.text = trim(line);
    commands.push_back(command);
    current = prompted ? &commands.back() : nullptr;
  }
}

std::vector<DocCommand> extract_commands(const std::filesystem::path& path,
                                         const std::string& name) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::vector<DocCommand> commands;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("```", 0) != 0) continue;
    const std::string info = trim(lines[i].substr(3));
    ++i;
    if (is_shell_fence(info)) {
      extract_block(lines, i, name, commands);
    } else {
      while (i < lines.size() && lines[i].rfind("```", 0) != 0) ++i;
    }
  }
  return commands;
}

// README.md and every docs/*.md, relative to the repository root.
std::vector<std::string> doc_files() {
  std::vector<std::string> docs;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(ELECTSIM_SOURCE_DIR) / "docs")) {
    if (entry.path().extension() == ".md") docs.push_back("docs/" + entry.path().filename().string());
  }
  std::sort(docs.begin(), docs.end());
  docs.insert(docs.begin(), "README.md");
  return docs;
}

std::vector<DocCommand> doc_commands(const std::string& doc) {
  return extract_commands(std::filesystem::path(ELECTSIM_SOURCE_DIR) / doc, doc);
}

std::vector<DocCommand> all_doc_commands() {
  std::vector<DocCommand> commands;
  for (const auto& doc : doc_files()) {
    for (auto& command : doc_commands(doc)) commands.push_back(command);
  }
  return commands;
}

// Splits on blanks outside quotes; the words keep their quotes, for bash to read again.
std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> result;
  std::string word;
  char quote = 0;
  for (const char c : text) {
    if (quote == 0 && (c == ' ' || c == '\t')) {
      if (!word.empty()) result.push_back(word);
      word.clear();
      continue;
    }
    if (quote == 0 && (c == '\'' || c == '"')) quote = c;
    else if (c == quote) quote = 0;
    word += c;
  }
  if (!word.empty()) result.push_back(word);
  return result;
}

struct Prepared {
  std::string shell;                             // the command line given to bash
  bool capped = false;
  std::vector<std::filesystem::path> outputs;    // files or folders it must have written
};

bool is_output_flag(const std::string& word) {
  for (const char* flag :
       {"--json", "--trace", "--junit", "--html", "--csv", "--metrics", "--transitions", "--keep",
        "--out", "--output", "--svg"}) {
    if (word == flag) return true;
  }
  return false;
}

// Caps A..B at kSeedCap seeds; returns the range unchanged when it is already small.
std::string capped_seeds(const std::string& range, bool& capped) {
  std::smatch parts;
  if (!std::regex_match(range, parts, std::regex(R"((\d+)\.\.(\d+))"))) return range;
  const uint64_t first = std::stoull(parts[1]);
  const uint64_t last = std::stoull(parts[2]);
  if (last < first || last - first + 1 <= kSeedCap) return range;
  capped = true;
  return std::to_string(first) + ".." + std::to_string(first + kSeedCap - 1);
}

// True for a leading environment assignment such as ELECTSIM_PROGRESS_INTERVAL_MS=0.
bool is_assignment(const std::string& word) {
  return std::regex_match(word, std::regex(R"([A-Z_][A-Z0-9_]*=\S*)"));
}

Prepared prepare(const DocCommand& command, const std::filesystem::path& dir, bool full) {
  Prepared prepared;
  std::vector<std::string> argv = words(command.text);
  const std::string build_dir = std::filesystem::path(ELECTSIM_BINARY).parent_path().string();
  std::string environment = "ELECTSIM='" + std::string(ELECTSIM_BINARY) +
                            "' ELECTSIM_SKIP_SETUP=1 BUILD_DIR='" + build_dir + "' ";
  // Leading assignments stay in front of the command, which comes after them.
  size_t program = 0;
  while (program + 1 < argv.size() && is_assignment(argv[program])) ++program;
  if (argv[program] == "electsim" || argv[program] == "build/electsim") {
    argv[program] = ELECTSIM_BINARY;
  }
  if (argv[program] == "scripts/test") argv.push_back("--list");
  if (argv[program] == "scripts/fig16" && !full) {
    environment += "FIG16_SEEDS=" + std::to_string(kFig16Seeds) + " ";
    prepared.capped = true;
  }
  if (argv[program] == "scripts/experiments" && !full) {
    argv.insert(argv.begin() + static_cast<std::ptrdiff_t>(program) + 1,
                {"--quick", "--only", "lease-envelope"});
    prepared.capped = true;
  }
  // `electsim merge FILES...` reads what earlier commands of the doc wrote into the folder.
  const bool merge = argv.size() > program + 1 && argv[program + 1] == "merge";
  for (size_t i = program + 2; merge && i < argv.size() && argv[i].front() != '-'; ++i) {
    if (argv[i].front() != '/') argv[i] = (dir / argv[i]).string();
  }
  for (size_t i = program + 1; i + 1 < argv.size(); ++i) {
    if (argv[i] == "--write" && argv[i + 1].front() != '/') {
      const auto copy = dir / argv[i + 1];
      std::filesystem::create_directories(copy.parent_path());
      std::filesystem::copy_file(std::filesystem::path(ELECTSIM_SOURCE_DIR) / argv[i + 1], copy,
                                 std::filesystem::copy_options::overwrite_existing);
      argv[i + 1] = copy.string();
    } else if (is_output_flag(argv[i]) && argv[i + 1].front() != '/') {
      prepared.outputs.push_back(dir / argv[i + 1]);
      argv[i + 1] = (dir / argv[i + 1]).string();
    } else if (argv[i] == "--seeds" && !full) {
      argv[i + 1] = capped_seeds(argv[i + 1], prepared.capped);
    } else if (argv[i] == "--baseline" && std::filesystem::exists(dir / argv[i + 1])) {
      argv[i + 1] = (dir / argv[i + 1]).string();
    }
  }
  prepared.shell = environment;
  for (const auto& word : argv) prepared.shell += word + " ";
  return prepared;
}

// Runs of blanks count as one, so a report that re-aligns its columns still matches the doc.
std::string squeeze_blanks(const std::string& text) {
  return std::regex_replace(text, std::regex("[ \t]+"), " ");
}

std::string describe(const DocCommand& command) {
  return command.file + ":" + std::to_string(command.line) + ": " + command.text;
}

void run_and_check(const DocCommand& command, const std::filesystem::path& dir, bool full) {
  const Prepared prepared = prepare(command, dir, full);
  const auto out = dir / "stdout.txt";
  const auto err = dir / "stderr.txt";
  // The braces make the redirections apply to a whole pipeline, as in a terminal: without them
  // the last command of `electsim run ... | python3 ...` would read /dev/null.
  const std::string line = "cd '" + std::string(ELECTSIM_SOURCE_DIR) + "' && { " +
                           prepared.shell + "; } >'" + out.string() + "' 2>'" + err.string() +
                           "' </dev/null";
  const int status = std::system(line.c_str());
  const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const std::string printed = read_text(out) + read_text(err);
  EXPECT_EQ(exit_code, command.expected_exit)
      << describe(command) << "\n  ran: " << prepared.shell << "\n" << printed;
  for (const auto& output : prepared.outputs) {
    EXPECT_TRUE(std::filesystem::exists(output)) << describe(command) << ": no " << output;
  }
  if (prepared.capped) return;
  for (const auto& expected : command.output) {
    EXPECT_NE(squeeze_blanks(printed).find(squeeze_blanks(expected)), std::string::npos)
        << describe(command) << "\n  the doc shows: " << expected << "\n  it printed:\n"
        << printed;
  }
}

// The extractor itself, on the forms the docs use, so a change to it cannot silently find none.
TEST(DocsCommands, ExtractorReadsPromptsContinuationsCommentsAndOutput) {
  const auto dir = temp_dir("docs-extractor");
  const auto path = dir / "sample.md";
  std::ofstream(path) << "```yaml\nelectsim run no.yaml\n```\n"
                         "```sh\nbuild/electsim sweep s.yaml --seeds 1..5000 \\\n"
                         "    --set 'a=b # not a comment'   # exit 2: why\n"
                         "$ electsim run s.yaml\nfirst line\n  second line\n```\n";
  const auto commands = extract_commands(path, "sample.md");
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands[0].text, "build/electsim sweep s.yaml --seeds 1..5000 --set 'a=b # not a comment'");
  EXPECT_EQ(commands[0].expected_exit, 2);
  EXPECT_TRUE(commands[0].output.empty());
  EXPECT_EQ(commands[1].text, "electsim run s.yaml");
  EXPECT_EQ(commands[1].output, (std::vector<std::string>{"first line", "second line"}));
  const Prepared capped = prepare(commands[0], dir, false);
  EXPECT_TRUE(capped.capped);
  EXPECT_NE(capped.shell.find("--seeds 1..100 "), std::string::npos) << capped.shell;
}

// The docs show commands (a test that found none would pass for nothing).
TEST(DocsCommands, TheDocsShowCommands) {
  const auto commands = all_doc_commands();
  EXPECT_GE(commands.size(), 12u);
  bool shows_output = false;
  for (const auto& command : commands) shows_output |= !command.output.empty();
  EXPECT_TRUE(shows_output) << "no doc shows a command's output any more";
}

// One test per doc file, so that ctest can run them side by side.
class DocsCommandsOf : public ::testing::TestWithParam<std::string> {};

TEST_P(DocsCommandsOf, EveryCommandRunsWithTheDocumentedExitCodeAndOutput) {
  std::string name = GetParam();
  std::replace(name.begin(), name.end(), '/', '-');
  // One folder for the whole doc: a command may read what an earlier one wrote (merge, --resume).
  const auto dir = temp_dir("docs-commands-" + name);
  for (const auto& command : doc_commands(GetParam())) {
    SCOPED_TRACE(describe(command));
    run_and_check(command, dir, false);
  }
}

INSTANTIATE_TEST_SUITE_P(Docs, DocsCommandsOf, ::testing::ValuesIn(doc_files()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(DocsCommandsFull, EveryCommandAtFullSize) {
  const char* full = std::getenv("ELECTSIM_DOCS_FULL");
  if (full == nullptr || std::string(full) != "1") {
    GTEST_SKIP() << "runs as the slow ctest docs_commands_full (ELECTSIM_DOCS_FULL=1)";
  }
  const auto dir = temp_dir("docs-commands-full");
  for (const auto& command : all_doc_commands()) {
    SCOPED_TRACE(describe(command));
    run_and_check(command, dir, true);
  }
}

}  // namespace
}  // namespace electsim::testing
