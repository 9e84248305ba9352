#include "scenarios/junit.h"

#include <unistd.h>

#include <array>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "reports/sweep_summary.h"
#include "scenarios/utf8.h"

namespace electsim::scenarios {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

void append_escaped_valid(std::string& out, std::string_view text, bool attribute) {
  for (const char c : text) {
    if (!attribute && (c == '\t' || c == '\n')) {
      out += c;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += kReplacement;
        } else {
          out += c;
        }
    }
  }
}

bool is_failure(reports::Verdict verdict) {
  return verdict == reports::Verdict::kSafetyViolation ||
         verdict == reports::Verdict::kLivenessViolation;
}

std::string seconds_text(sim::Instant time) {
  return absl::StrFormat("%.9fs", static_cast<double>(time.ns()) / 1e9);
}

// The body of a <failure> or <error>: every violation, then how to reproduce the seed.
std::string failure_body(const reports::RunResult& run) {
  std::string body;
  if (!run.error.empty()) {
    absl::StrAppend(&body, run.error, "\nat true time ", seconds_text(run.error_time), "\n");
  }
  for (const auto& violation : run.checks.violations) {
    absl::StrAppend(&body, violation.check, " at true time ", seconds_text(violation.time), ": ",
                    violation.detail, "\n");
  }
  absl::StrAppend(&body, "reproduce: ", run.reproduce);
  return body;
}

// Wall-clock time of the report, ISO 8601 without a zone (the schema's pattern), in UTC.
std::string timestamp_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &utc);
  return text.data();
}

std::string hostname() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0 || name[0] == '\0') return "localhost";
  return name.data();
}

}  // namespace

std::string xml_escape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const std::optional<size_t> bad = first_invalid_utf8(text);
    const size_t valid = bad.value_or(text.size());
    append_escaped_valid(out, text.substr(0, valid), attribute);
    if (!bad) break;
    out += kReplacement;
    text.remove_prefix(valid + 1);
  }
  return out;
}

absl::StatusOr<JunitReport> JunitReport::create(
    const std::string& scenario, const std::string& algorithm,
    std::vector<std::pair<std::string, std::string>> properties) {
  std::FILE* cases = std::tmpfile();
  if (cases == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create a temporary file: ",
                                            std::strerror(errno)));
  }
  return JunitReport(absl::StrCat(scenario, " (", algorithm, ")"),
                     absl::StrCat("electsim.", scenario, ".", algorithm), std::move(properties),
                     cases);
}

JunitReport::JunitReport(std::string suite, std::string classname,
                         std::vector<std::pair<std::string, std::string>> properties,
                         std::FILE* cases)
    : suite_(std::move(suite)),
      classname_(std::move(classname)),
      properties_(std::move(properties)),
      cases_(cases) {}

JunitReport::JunitReport(JunitReport&& other) noexcept
    : suite_(std::move(other.suite_)),
      classname_(std::move(other.classname_)),
      properties_(std::move(other.properties_)),
      cases_(other.cases_),
      tests_(other.tests_),
      failures_(other.failures_),
      errors_(other.errors_) {
  other.cases_ = nullptr;
}

JunitReport::~JunitReport() {
  if (cases_ != nullptr) std::fclose(cases_);
}

void JunitReport::add(const reports::RunResult& run) {
  ++tests_;
  std::string text = absl::StrCat("    <testcase classname=\"", xml_escape(classname_),
                                  "\" name=\"seed ", run.seed, "\" time=\"0\"");
  if (run.verdict == reports::Verdict::kPass) {
    text += "/>\n";
  } else {
    const char* element = is_failure(run.verdict) ? "failure" : "error";
    ++(is_failure(run.verdict) ? failures_ : errors_);
    absl::StrAppend(&text, ">\n      <", element, " type=\"",
                    reports::verdict_name(run.verdict), "\" message=\"",
                    xml_escape(reports::failure_text(run)), "\">",
                    xml_escape(failure_body(run), /*attribute=*/false),
                    "</", element, ">\n    </testcase>\n");
  }
  std::fwrite(text.data(), 1, text.size(), cases_);
}

void JunitReport::add_sweep_case(const std::string& name, bool passed, const std::string& type,
                                 const std::string& message, const std::string& body) {
  ++tests_;
  std::string text = absl::StrCat("    <testcase classname=\"", xml_escape(classname_),
                                  "\" name=\"", xml_escape(name), "\" time=\"0\"");
  if (passed) {
    text += "/>\n";
  } else {
    ++failures_;
    absl::StrAppend(&text, ">\n      <failure type=\"", xml_escape(type), "\" message=\"",
                    xml_escape(message), "\">", xml_escape(body, /*attribute=*/false),
                    "</failure>\n    </testcase>\n");
  }
  std::fwrite(text.data(), 1, text.size(), cases_);
}

bool JunitReport::finish(const std::function<void(std::string_view)>& write, double wall_seconds) {
  const std::string counts =
      absl::StrCat(" tests=\"", tests_, "\" failures=\"", failures_, "\" errors=\"", errors_, "\"");
  const std::string time = absl::StrFormat(" time=\"%.3f\"", wall_seconds);
  std::string head = absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                                  "<testsuites name=\"electsim\"", counts, time, ">\n",
                                  "  <testsuite name=\"", xml_escape(suite_), "\"", counts,
                                  " skipped=\"0\"", time, " timestamp=\"", timestamp_now(),
                                  "\" hostname=\"", xml_escape(hostname()),
                                  "\" id=\"0\" package=\"electsim\">\n    <properties>\n");
  for (const auto& [name, value] : properties_) {
    absl::StrAppend(&head, "      <property name=\"", xml_escape(name), "\" value=\"",
                    xml_escape(value), "\"/>\n");
  }
  head += "    </properties>\n";
  write(head);
  if (std::fflush(cases_) != 0 || std::fseek(cases_, 0, SEEK_SET) != 0) return false;
  std::array<char, 65536> buffer;
  while (const size_t read = std::fread(buffer.data(), 1, buffer.size(), cases_)) {
    write(std::string_view(buffer.data(), read));
  }
  if (std::ferror(cases_) != 0) return false;
  write("    <system-out/>\n    <system-err/>\n  </testsuite>\n</testsuites>\n");
  return true;
}

}  // namespace electsim::scenarios
