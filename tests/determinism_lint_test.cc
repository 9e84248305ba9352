// A lint for the determinism rules (DESIGN.md "The kernel", BUILD-NOTES.md §7, STYLE.md 5):
// the code that runs inside a simulation (sim/, algorithms/, faults/) must not use the wall
// clock, <random>'s distributions or engines seeded from the machine, rand(), absl::BitGen, or
// hash containers whose iteration order could reach the simulation.
//
// It is a line-based heuristic over the source with comments and literals blanked out:
//   - banned calls and types are flagged wherever they appear in code;
//   - any use of a hash container type is flagged unless its line says `// lint: lookup-only`
//     (a promise that it is only looked up, never iterated);
//   - a range-for or an iterator loop (begin()) over a name that the same file declares with
//     a hash container type is flagged even when the declaration is marked lookup-only.
// This file lives in tests/, which is not scanned, so its own patterns do not trip it.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace electsim {
namespace {

struct Finding {
  std::string file;
  int line = 0;
  std::string rule;
  std::string text;
};

std::string describe(const Finding& f) {
  return f.file + ":" + std::to_string(f.line) + ": " + f.rule + ": " + f.text;
}

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// The source split into lines, with comments and the contents of string and character literals
// replaced by spaces (so a comment that names a banned call is not a use of it). Numbers are
// skipped whole so that digit separators (1'000'000) are not read as character literals.
std::vector<std::string> code_lines(std::string_view text) {
  enum class State { kCode, kLineComment, kBlockComment, kString, kChar, kRawString };
  std::vector<std::string> lines(1);
  State state = State::kCode;
  std::string raw_end;  // )delimiter" that closes the current raw string
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    const char previous = i > 0 ? text[i - 1] : '\0';
    if (c == '\n') {
      lines.emplace_back();
      if (state == State::kLineComment) state = State::kCode;
      continue;
    }
    std::string& out = lines.back();
    switch (state) {
      case State::kCode:
        if (c == '/' && next == '/') {
          state = State::kLineComment;
          out += ' ';
        } else if (c == '/' && next == '*') {
          state = State::kBlockComment;
          out += "  ";
          ++i;
        } else if (c == 'R' && next == '"' && !is_identifier_char(previous)) {
          const size_t open = text.find('(', i + 2);
          if (open == std::string_view::npos) return lines;
          raw_end.assign(1, ')');  // ")delimiter\"" (built in steps: g++ 12 -Wrestrict misfires)
          raw_end.append(text.substr(i + 2, open - i - 2));
          raw_end.push_back('"');
          state = State::kRawString;
          out += "R\"";
          i = open;
        } else if (c == '"') {
          state = State::kString;
          out += '"';
        } else if (c == '\'') {
          state = State::kChar;
          out += '\'';
        } else if (std::isdigit(static_cast<unsigned char>(c)) && !is_identifier_char(previous)) {
          size_t end = i;
          while (end < text.size() &&
                 (is_identifier_char(text[end]) || text[end] == '.' ||
                  (text[end] == '\'' && end + 1 < text.size() && is_identifier_char(text[end + 1]))))
            ++end;
          out.append(text.substr(i, end - i));
          i = end - 1;
        } else {
          out += c;
        }
        break;
      case State::kLineComment:
        out += ' ';
        break;
      case State::kBlockComment:
        if (c == '*' && next == '/') {
          state = State::kCode;
          out += "  ";
          ++i;
        } else {
          out += ' ';
        }
        break;
      case State::kString:
      case State::kChar:
        if (c == '\\') {
          out += "  ";
          ++i;
        } else if ((state == State::kString && c == '"') || (state == State::kChar && c == '\'')) {
          out += c;
          state = State::kCode;
        } else {
          out += ' ';
        }
        break;
      case State::kRawString:
        if (text.substr(i, raw_end.size()) == raw_end) {
          out += '"';
          i += raw_end.size() - 1;
          state = State::kCode;
        } else {
          out += ' ';
        }
        break;
    }
  }
  return lines;
}

struct Rule {
  const char* name;
  std::vector<std::string_view> needles;  // the regex runs only on lines holding one of these
  std::regex pattern;
};

const std::vector<Rule>& banned_rules() {
  static const std::vector<Rule> rules = {
      {"std-distribution", {"_distribution"}, std::regex(R"(\bstd\s*::\s*\w*_distribution\b)")},
      {"random-device", {"random_device"}, std::regex(R"(\brandom_device\b)")},
      {"rand-call", {"rand"}, std::regex(R"((^|[^\w.>])s?rand\s*\()")},
      {"absl-bitgen", {"BitGen"}, std::regex(R"(\babsl\s*::\s*\w*BitGen\w*)")},
      {"wall-clock", {"_clock"},
       std::regex(R"(\b(system_clock|steady_clock|high_resolution_clock)\b)")},
      {"wall-clock", {"gettimeofday", "clock_gettime", "Now"},
       std::regex(R"(\b(gettimeofday|clock_gettime)\s*\(|\babsl\s*::\s*Now\s*\()")},
      {"wall-clock", {"time"}, std::regex(R"((^|[^\w.>])time\s*\(\s*(nullptr|NULL|0)\s*\))")},
      {"std-shuffle", {"shuffle", "sample"},
       std::regex(R"(\bstd\s*::\s*(random_shuffle|shuffle|sample)\b)")},
  };
  return rules;
}

bool has_any(const std::string& line, const std::vector<std::string_view>& needles) {
  for (std::string_view needle : needles)
    if (line.find(needle) != std::string::npos) return true;
  return false;
}

const std::vector<std::string_view> kHashNeedles = {"unordered_", "hash_map", "hash_set"};

const std::regex& hash_container() {
  static const std::regex pattern(
      R"(\b(unordered_map|unordered_set|unordered_multimap|unordered_multiset|flat_hash_map|flat_hash_set|node_hash_map|node_hash_set)\b)");
  return pattern;
}

constexpr std::string_view kLookupOnly = "// lint: lookup-only";

// Names the code declares with a hash container type: the identifier after the type's closing
// '>' (skipping const, references and pointers), e.g. `absl::flat_hash_map<K, V> index_;`.
std::set<std::string> hash_container_names(const std::vector<std::string>& lines) {
  std::set<std::string> names;
  for (const std::string& line : lines) {
    if (!has_any(line, kHashNeedles)) continue;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), hash_container());
         it != std::sregex_iterator(); ++it) {
      size_t i = static_cast<size_t>(it->position() + it->length());
      while (i < line.size() && line[i] == ' ') ++i;
      if (i >= line.size() || line[i] != '<') continue;
      int depth = 0;
      for (; i < line.size(); ++i) {
        if (line[i] == '<') ++depth;
        if (line[i] == '>' && --depth == 0) break;
      }
      ++i;
      std::string rest = line.substr(std::min(i, line.size()));
      static const std::regex declared(R"(^(\s|&|\*|\bconst\b)*([A-Za-z_]\w*))");
      std::smatch match;
      if (std::regex_search(rest, match, declared) && match[2] != "operator") names.insert(match[2]);
    }
  }
  return names;
}

bool mentions_identifier(const std::string& text, const std::string& name) {
  size_t pos = text.find(name);
  while (pos != std::string::npos) {
    const bool starts = pos == 0 || !is_identifier_char(text[pos - 1]);
    const size_t end = pos + name.size();
    const bool ends = end >= text.size() || !is_identifier_char(text[end]);
    if (starts && ends) return true;
    pos = text.find(name, pos + 1);
  }
  return false;
}

// The expression a range-for iterates, or "" if `line` has no range-for.
std::string range_for_expression(const std::string& line) {
  static const std::regex for_open(R"(\bfor\s*\()");
  std::smatch match;
  if (!std::regex_search(line, match, for_open)) return "";
  int depth = 1;
  const size_t start = static_cast<size_t>(match.position() + match.length());
  for (size_t i = start; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') {
      if (--depth == 0) return "";
    }
    const bool scope = (c == ':' && i + 1 < line.size() && line[i + 1] == ':') ||
                       (c == ':' && i > 0 && line[i - 1] == ':');
    if (c == ':' && !scope && depth == 1) {
      size_t end = i + 1;
      for (int d = 1; end < line.size(); ++end) {
        if (line[end] == '(') ++d;
        if (line[end] == ')' && --d == 0) break;
      }
      return line.substr(i + 1, end - i - 1);
    }
  }
  return "";
}

bool iterates(const std::string& line, const std::string& name) {
  if (mentions_identifier(range_for_expression(line), name)) return true;
  const std::regex begin_call("\\b" + name + R"(\s*(\.|->)\s*c?r?begin\s*\(|\bc?r?begin\s*\(\s*\*?\s*)" +
                              name + R"(\s*\))");
  return std::regex_search(line, begin_call);
}

std::vector<Finding> scan_source(std::string_view file, std::string_view text) {
  std::vector<Finding> findings;
  const std::vector<std::string> code = code_lines(text);
  std::vector<std::string> raw;
  {
    std::istringstream stream{std::string(text)};
    for (std::string line; std::getline(stream, line);) raw.push_back(line);
  }
  raw.resize(std::max(raw.size(), code.size()));
  const std::set<std::string> hashed = hash_container_names(code);
  auto add = [&](size_t index, const std::string& rule) {
    std::string shown = raw[index];
    shown.erase(0, shown.find_first_not_of(" \t"));
    findings.push_back({std::string(file), static_cast<int>(index + 1), rule, shown});
  };
  for (size_t index = 0; index < code.size(); ++index) {
    const std::string& line = code[index];
    if (line.find_first_not_of(" \t") != std::string::npos &&
        line[line.find_first_not_of(" \t")] == '#')
      continue;  // preprocessor lines (#include <unordered_map>) are not uses
    for (const Rule& rule : banned_rules()) {
      if (has_any(line, rule.needles) && std::regex_search(line, rule.pattern))
        add(index, rule.name);
    }
    if (has_any(line, kHashNeedles) && std::regex_search(line, hash_container()) &&
        raw[index].find(kLookupOnly) == std::string::npos) {
      add(index, "hash-container (mark `// lint: lookup-only` if it is never iterated)");
    }
    for (const std::string& name : hashed) {
      if (line.find(name) != std::string::npos && iterates(line, name)) {
        add(index, "iterates hash container '" + name + "' (order differs between runs)");
        break;
      }
    }
  }
  return findings;
}

std::vector<Finding> scan_tree(const std::filesystem::path& root,
                               const std::vector<std::string>& folders, int* files_scanned) {
  std::vector<std::filesystem::path> files;
  for (const std::string& folder : folders) {
    const std::filesystem::path dir = root / folder;
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".h" || ext == ".cc" || ext == ".hpp" ||
                                      ext == ".cpp" || ext == ".inc"))
        files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());  // directory order is not stable; the report should be
  std::vector<Finding> findings;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string relative = std::filesystem::relative(path, root).string();
    for (Finding& f : scan_source(relative, buffer.str())) findings.push_back(std::move(f));
  }
  *files_scanned = static_cast<int>(files.size());
  return findings;
}

TEST(DeterminismLint, SimulationCodeIsClean) {
  int files = 0;
  const std::vector<Finding> findings =
      scan_tree(ELECTSIM_SOURCE_DIR, {"sim", "algorithms", "faults"}, &files);
  EXPECT_GE(files, 10) << "the lint found too few files under " << ELECTSIM_SOURCE_DIR;
  std::string report;
  for (const Finding& f : findings) report += describe(f) + "\n";
  EXPECT_TRUE(findings.empty()) << "determinism lint:\n" << report;
}

std::vector<std::string> rules_at(const std::vector<Finding>& findings, int line) {
  std::vector<std::string> rules;
  for (const Finding& f : findings)
    if (f.line == line) rules.push_back(f.rule);
  return rules;
}

TEST(DeterminismLint, CatchesPlantedViolations) {
  const std::string planted =
      "#include <random>\n"                                              // 1
      "std::uniform_int_distribution<int> pick(0, 9);\n"                 // 2
      "std::random_device device;\n"                                     // 3
      "int x = rand();\n"                                                // 4
      "int y = std::rand() % 6;\n"                                       // 5
      "absl::BitGen bits;\n"                                             // 6
      "auto t = std::chrono::system_clock::now();\n"                     // 7
      "auto u = std::chrono::steady_clock::now();\n"                     // 8
      "auto v = std::chrono::high_resolution_clock::now();\n"            // 9
      "std::unordered_map<int, int> counts_;\n"                          // 10
      "absl::flat_hash_set<NodeId> seen_;  // lint: lookup-only\n"       // 11
      "for (const auto& [k, n] : counts_) use(k);\n"                     // 12
      "for (NodeId id : seen_) use(id);\n"                               // 13
      "for (auto it = seen_.begin(); it != seen_.end(); ++it) {}\n"      // 14
      "std::shuffle(v.begin(), v.end(), g);\n"                           // 15
      "absl::node_hash_map<int, std::vector<int>> groups;\n"             // 16
      "std::normal_distribution<double> gauss;\n"                        // 17
      "srand(42);\n";                                                    // 18
  const std::vector<Finding> findings = scan_source("planted.cc", planted);
  EXPECT_EQ(rules_at(findings, 1).size(), 0u);
  EXPECT_EQ(rules_at(findings, 2), std::vector<std::string>{"std-distribution"});
  EXPECT_EQ(rules_at(findings, 3), std::vector<std::string>{"random-device"});
  EXPECT_EQ(rules_at(findings, 4), std::vector<std::string>{"rand-call"});
  EXPECT_EQ(rules_at(findings, 5), std::vector<std::string>{"rand-call"});
  EXPECT_EQ(rules_at(findings, 6), std::vector<std::string>{"absl-bitgen"});
  for (int line : {7, 8, 9}) EXPECT_EQ(rules_at(findings, line), std::vector<std::string>{"wall-clock"});
  ASSERT_EQ(rules_at(findings, 10).size(), 1u);
  EXPECT_EQ(rules_at(findings, 10)[0].rfind("hash-container", 0), 0u);
  EXPECT_TRUE(rules_at(findings, 11).empty());  // declared lookup-only: fine...
  ASSERT_EQ(rules_at(findings, 12).size(), 1u);  // ...but iterating either one is not
  EXPECT_NE(rules_at(findings, 12)[0].find("'counts_'"), std::string::npos);
  ASSERT_EQ(rules_at(findings, 13).size(), 1u);
  EXPECT_NE(rules_at(findings, 13)[0].find("'seen_'"), std::string::npos);
  EXPECT_EQ(rules_at(findings, 14).size(), 1u);
  EXPECT_EQ(rules_at(findings, 15), std::vector<std::string>{"std-shuffle"});
  EXPECT_EQ(rules_at(findings, 16).size(), 1u);
  EXPECT_EQ(rules_at(findings, 17), std::vector<std::string>{"std-distribution"});
  EXPECT_EQ(rules_at(findings, 18), std::vector<std::string>{"rand-call"});
  // A finding names the file and line.
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(describe(findings.front()).rfind("planted.cc:2: ", 0), 0u);
}

TEST(DeterminismLint, IgnoresLookalikes) {
  const std::string clean =
      "// We never call std::rand() or std::uniform_int_distribution here.\n"
      "/* no system_clock,\n"
      "   no absl::BitGen */\n"
      "const char* kHelp = \"rand() and steady_clock are banned\";\n"
      "char quote = '\"'; int operand(int); int z = operand(3) + brand(4) + my.rand();\n"
      "constexpr int64_t kBig = 1'000'000; auto s = \"std::rand()\";\n"
      "std::vector<int> values;\n"
      "for (int v : values) use(v);\n"
      "std::map<int, int> ordered; for (const auto& [k, v] : ordered) use(k);\n"
      "for (int i = 0; i < n; ++i) values.push_back(i);\n"
      "auto raw = R\"(std::random_device and rand( inside a raw string)\";\n"
      "int64_t time_ns = time_of(3); Duration runtime(5); int uptime(int);\n"
      "set_clock_drift(node, 5); local_clock_now();\n";
  const std::vector<Finding> findings = scan_source("clean.cc", clean);
  std::string report;
  for (const Finding& f : findings) report += describe(f) + "\n";
  EXPECT_TRUE(findings.empty()) << report;
}

TEST(DeterminismLint, LiteralsAndCommentsKeepLineNumbers) {
  const std::vector<std::string> lines = code_lines("a /* x\ny */ b\n\"s\\\"t\" c // d\n'\\'' e");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "a     ");
  EXPECT_EQ(lines[1], "     b");
  EXPECT_EQ(lines[2], "\"    \" c     ");
  EXPECT_EQ(lines[3], "'  ' e");
}

}  // namespace
}  // namespace electsim
