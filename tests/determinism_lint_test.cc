// A lint for the determinism rules (DESIGN.md "The kernel", BUILD-NOTES.md §7, STYLE.md 5):
// the code that runs inside a simulation (sim/, algorithms/, faults/) must not use the wall
// clock, <random>'s distributions or engines seeded from the machine, rand(), absl::BitGen, or
// hash containers whose iteration order could reach the simulation.
//
// It is a line-based heuristic over the tokens of the source, with comments and literals
// blanked out first:
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
#include <initializer_list>
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

// A line of code as words (identifiers, keywords, numbers) and punctuation, with "::" and "->"
// kept whole, so rules can ask "is this `rand` called, and not as a member?".
struct Token {
  std::string text;
  bool word = false;
};
using Tokens = std::vector<Token>;

Tokens tokenize(const std::string& line) {
  Tokens tokens;
  for (size_t i = 0; i < line.size();) {
    if (std::isspace(static_cast<unsigned char>(line[i])) != 0) {
      ++i;
    } else if (is_identifier_char(line[i])) {
      size_t end = i;
      while (end < line.size() && is_identifier_char(line[end])) ++end;
      tokens.push_back({line.substr(i, end - i), true});
      i = end;
    } else if (line.compare(i, 2, "::") == 0 || line.compare(i, 2, "->") == 0) {
      tokens.push_back({line.substr(i, 2), false});
      i += 2;
    } else {
      tokens.push_back({line.substr(i, 1), false});
      ++i;
    }
  }
  return tokens;
}

bool is(const Tokens& t, size_t i, std::string_view text) { return i < t.size() && t[i].text == text; }
bool qualified_by(const Tokens& t, size_t i, std::string_view scope) {
  return i >= 2 && t[i - 1].text == "::" && t[i - 2].text == scope;
}
bool member(const Tokens& t, size_t i) { return i >= 1 && (is(t, i - 1, ".") || is(t, i - 1, "->")); }
bool called(const Tokens& t, size_t i) { return is(t, i + 1, "("); }
bool one_of(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

struct Rule {
  const char* name;
  bool (*matches)(const Tokens& t, size_t i);  // does the word at i break the rule?
};

const std::vector<Rule>& banned_rules() {
  static const std::vector<Rule> rules = {
      {"std-distribution",
       [](const Tokens& t, size_t i) {
         return t[i].text.ends_with("_distribution") && qualified_by(t, i, "std");
       }},
      {"random-device", [](const Tokens& t, size_t i) { return t[i].text == "random_device"; }},
      {"rand-call",
       [](const Tokens& t, size_t i) {
         return one_of(t[i].text, {"rand", "srand"}) && called(t, i) && !member(t, i);
       }},
      {"absl-bitgen",
       [](const Tokens& t, size_t i) {
         return t[i].text.find("BitGen") != std::string::npos && qualified_by(t, i, "absl");
       }},
      {"wall-clock",
       [](const Tokens& t, size_t i) {
         const std::string& w = t[i].text;
         if (one_of(w, {"system_clock", "steady_clock", "high_resolution_clock"})) return true;
         if (one_of(w, {"gettimeofday", "clock_gettime"}) && called(t, i)) return true;
         if (w == "Now" && qualified_by(t, i, "absl") && called(t, i)) return true;
         return w == "time" && called(t, i) && !member(t, i) &&
                (is(t, i + 2, "nullptr") || is(t, i + 2, "NULL") || is(t, i + 2, "0")) &&
                is(t, i + 3, ")");
       }},
      {"std-shuffle",
       [](const Tokens& t, size_t i) {
         return one_of(t[i].text, {"shuffle", "sample", "random_shuffle"}) &&
                qualified_by(t, i, "std");
       }},
  };
  return rules;
}

bool is_hash_container(std::string_view word) {
  return one_of(word, {"unordered_map", "unordered_set", "unordered_multimap",
                       "unordered_multiset", "flat_hash_map", "flat_hash_set", "node_hash_map",
                       "node_hash_set"});
}

constexpr std::string_view kLookupOnly = "// lint: lookup-only";

// Names the code declares with a hash container type: the word after the type's closing '>'
// (skipping const, references and pointers), e.g. `absl::flat_hash_map<K, V> index_;`.
std::set<std::string> hash_container_names(const std::vector<Tokens>& lines) {
  std::set<std::string> names;
  for (const Tokens& t : lines) {
    for (size_t i = 0; i < t.size(); ++i) {
      if (!t[i].word || !is_hash_container(t[i].text) || !is(t, i + 1, "<")) continue;
      size_t j = i + 1;
      for (int depth = 0; j < t.size(); ++j) {
        if (t[j].text == "<") ++depth;
        if (t[j].text == ">" && --depth == 0) break;
      }
      for (++j; j < t.size() && (is(t, j, "&") || is(t, j, "*") || is(t, j, "const")); ++j) {
      }
      if (j < t.size() && t[j].word && t[j].text != "operator") names.insert(t[j].text);
    }
  }
  return names;
}

// The tokens a range-for iterates (after its single ':'), or none if there is no range-for.
Tokens range_for_expression(const Tokens& t) {
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (t[i].text != "for" || t[i + 1].text != "(") continue;
    int depth = 1;
    for (size_t j = i + 2; j < t.size(); ++j) {
      const std::string& x = t[j].text;
      if (x == "(" || x == "[" || x == "{") ++depth;
      if ((x == ")" || x == "]" || x == "}") && --depth == 0) break;
      if (x == ":" && depth == 1) {
        Tokens expression;
        for (size_t k = j + 1, d = 1; k < t.size(); ++k) {
          if (t[k].text == "(") ++d;
          if (t[k].text == ")" && --d == 0) break;
          expression.push_back(t[k]);
        }
        return expression;
      }
    }
  }
  return {};
}

// A range-for over `name`, or an iterator taken from it: name.begin(), begin(name), ...
bool iterates(const Tokens& t, const std::string& name) {
  for (const Token& token : range_for_expression(t))
    if (token.text == name) return true;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!one_of(t[i].text, {"begin", "cbegin", "rbegin", "crbegin"}) || !called(t, i)) continue;
    if (member(t, i) && i >= 2 && t[i - 2].text == name) return true;
    const size_t argument = is(t, i + 2, "*") ? i + 3 : i + 2;
    if (is(t, argument, name) && is(t, argument + 1, ")")) return true;
  }
  return false;
}

std::vector<Finding> scan_source(std::string_view file, std::string_view text) {
  std::vector<Finding> findings;
  std::vector<Tokens> code;
  for (const std::string& line : code_lines(text)) code.push_back(tokenize(line));
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
    const Tokens& t = code[index];
    if (is(t, 0, "#")) continue;  // preprocessor lines (#include <unordered_map>) are not uses
    for (const Rule& rule : banned_rules()) {
      for (size_t i = 0; i < t.size(); ++i) {
        if (t[i].word && rule.matches(t, i)) {
          add(index, rule.name);
          break;
        }
      }
    }
    const bool uses_hash = std::any_of(t.begin(), t.end(), [](const Token& token) {
      return token.word && is_hash_container(token.text);
    });
    if (uses_hash && raw[index].find(kLookupOnly) == std::string::npos) {
      add(index, "hash-container (mark `// lint: lookup-only` if it is never iterated)");
    }
    for (const std::string& name : hashed) {
      if (iterates(t, name)) {
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
