// docs/TRACE.md documents every record kind and every field (issue 8, acceptance 7): a kind or a
// field added to sim/trace_records.h without its section or row fails here, naming what is
// missing.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/jsonl_sink.h"
#include "sim/trace_records.h"

namespace electsim::sim {
namespace {

std::vector<std::string> trace_doc_lines() {
  std::ifstream in(std::string(ELECTSIM_SOURCE_DIR) + "/docs/TRACE.md");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines of the section whose heading starts with `heading`, up to the next heading of the
// same or a higher level; empty if there is none.
std::vector<std::string> section(const std::vector<std::string>& lines,
                                 const std::string& heading) {
  std::vector<std::string> body;
  bool inside = false;
  for (const std::string& line : lines) {
    if (inside && (line.rfind("### ", 0) == 0 || line.rfind("## ", 0) == 0)) break;
    if (inside) body.push_back(line);
    if (line.rfind(heading, 0) == 0) inside = true;
  }
  return body;
}

bool has_row(const std::vector<std::string>& body, const std::string& name) {
  const std::string row = "| `" + name + "` |";
  for (const std::string& line : body) {
    if (line.rfind(row, 0) == 0) return true;
  }
  return false;
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (const std::string& line : lines) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(TraceDocs, EveryKindHasASectionWithEveryField) {
  const std::vector<std::string> lines = trace_doc_lines();
  ASSERT_GT(lines.size(), 50u) << "docs/TRACE.md is missing or nearly empty";
  for (size_t k = 0; k < static_cast<size_t>(RecordKind::kCount); ++k) {
    const auto kind = static_cast<RecordKind>(k);
    const std::string heading = "### `" + std::string(record_kind_name(kind)) + "` (" +
                                std::string(record_struct_name(kind)) + ")";
    const std::vector<std::string> body = section(lines, heading);
    EXPECT_FALSE(body.empty()) << "docs/TRACE.md has no section \"" << heading << "\"";
    for (const FieldInfo& field : record_fields(kind)) {
      EXPECT_TRUE(has_row(body, std::string(field.name)))
          << heading << " has no row \"| `" << field.name << "` |\"";
    }
  }
}

TEST(TraceDocs, TheHeaderViolationsAndFormatVersionAreDocumented) {
  const std::vector<std::string> lines = trace_doc_lines();
  EXPECT_TRUE(mentions(lines, "\"trace_format\": " + std::to_string(kTraceFormat)));
  const std::vector<std::string> header = section(lines, "### `header`");
  for (const char* key : {"kind", "trace_format", "electsim", "commit", "scenario",
                          "scenario_path", "algorithm", "seed", "params"}) {
    EXPECT_TRUE(has_row(header, key)) << "the header's key " << key;
  }
  const std::vector<std::string> violation = section(lines, "### `violation`");
  for (const char* key : {"t_ns", "kind", "check", "property", "violation_ns", "processes",
                          "group", "epoch", "detail"}) {
    EXPECT_TRUE(has_row(violation, key)) << "the violation's key " << key;
  }
  const std::vector<std::string> common = section(lines, "## Every record");
  for (const char* key : {"t_ns", "kind", "type_id", "timer_id", "label"}) {
    EXPECT_TRUE(has_row(common, key)) << "the common key " << key;
  }
  EXPECT_FALSE(section(lines, "## The fingerprint").empty());
}

// The section finder itself, so a broken one cannot pass the tests above for nothing.
TEST(TraceDocs, SectionStopsAtTheNextHeading) {
  const std::vector<std::string> lines = {"## A", "### `x` (X)", "| `f` |", "### `y` (Y)",
                                          "| `g` |"};
  EXPECT_TRUE(has_row(section(lines, "### `x` (X)"), "f"));
  EXPECT_FALSE(has_row(section(lines, "### `x` (X)"), "g"));
  EXPECT_TRUE(section(lines, "### `z`").empty());
}

}  // namespace
}  // namespace electsim::sim
