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
  std::FILE* details = std::tmpfile();
  if (details == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create a temporary file: ",
                                            std::strerror(errno)));
  }
  return JunitReport(absl::StrCat(scenario, " (", algorithm, ")"),
                     absl::StrCat("electsim.", scenario), std::move(properties), details);
}

JunitReport::JunitReport(std::string name, std::string classname,
                         std::vector<std::pair<std::string, std::string>> properties,
                         std::FILE* details)
    : name_(std::move(name)),
      classname_(std::move(classname)),
      properties_(std::move(properties)),
      details_(details) {}

JunitReport::JunitReport(JunitReport&& other) noexcept
    : name_(std::move(other.name_)),
      classname_(std::move(other.classname_)),
      properties_(std::move(other.properties_)),
      details_(other.details_),
      seeds_(other.seeds_),
      failing_seeds_(std::move(other.failing_seeds_)),
      error_type_(std::move(other.error_type_)),
      any_safety_(other.any_safety_),
      first_failure_(std::move(other.first_failure_)),
      first_reproduce_(std::move(other.first_reproduce_)),
      sweep_cases_(std::move(other.sweep_cases_)),
      sweep_case_failures_(other.sweep_case_failures_) {
  other.details_ = nullptr;
}

JunitReport::~JunitReport() {
  if (details_ != nullptr) std::fclose(details_);
}

void JunitReport::add(const reports::RunResult& run) {
  ++seeds_;
  if (run.verdict == reports::Verdict::kPass) return;
  if (failing_seeds_.empty()) {
    first_failure_ = reports::failure_text(run);
    first_reproduce_ = run.reproduce;
  }
  failing_seeds_.push_back(run.seed);
  if (!is_failure(run.verdict) && error_type_.empty()) {
    error_type_ = reports::verdict_name(run.verdict);
  }
  any_safety_ = any_safety_ || run.verdict == reports::Verdict::kSafetyViolation;
  if (failing_seeds_.size() > kDetailedSeeds) return;
  const std::string text = absl::StrCat("\nseed ", run.seed, ": ",
                                        reports::verdict_name(run.verdict), "\n",
                                        failure_body(run), "\n");
  const std::string escaped = xml_escape(text, /*attribute=*/false);
  std::fwrite(escaped.data(), 1, escaped.size(), details_);
}

// "23, 37, 42": the failing seeds from the `from`-th, at most `limit` of them, then ", and N
// more" for those left out.
std::string JunitReport::failing_seeds_text(size_t from, size_t limit) const {
  std::string text;
  const size_t end = std::min(from + limit, failing_seeds_.size());
  for (size_t i = from; i < end; ++i) {
    absl::StrAppend(&text, i == from ? "" : ", ", failing_seeds_[i]);
  }
  if (failing_seeds_.size() > end) {
    absl::StrAppend(&text, ", and ", failing_seeds_.size() - end, " more");
  }
  return text;
}

std::string JunitReport::result_element_head() const {
  const bool error = !error_type_.empty();
  const std::string type =
      error ? error_type_ : (any_safety_ ? "safety_violation" : "liveness_violation");
  const std::string message = absl::StrCat(
      failing_seeds_.size(), " of ", seeds_, seeds_ == 1 ? " seed" : " seeds",
      " failed (seed", failing_seeds_.size() == 1 ? " " : "s ", failing_seeds_text(0, kListedSeeds),
      "); first: ", first_failure_, "; reproduce: ", first_reproduce_);
  return absl::StrCat("      <", error ? "error" : "failure", " type=\"", type, "\" message=\"",
                      xml_escape(message), "\">");
}

void JunitReport::add_sweep_case(const std::string& name, bool passed, const std::string& type,
                                 const std::string& message, const std::string& body) {
  std::string text = absl::StrCat("    <testcase classname=\"", xml_escape(classname_),
                                  "\" name=\"", xml_escape(name), "\" time=\"0\"");
  if (passed) {
    text += "/>\n";
  } else {
    ++sweep_case_failures_;
    absl::StrAppend(&text, ">\n      <failure type=\"", xml_escape(type), "\" message=\"",
                    xml_escape(message), "\">", xml_escape(body, /*attribute=*/false),
                    "</failure>\n    </testcase>\n");
  }
  sweep_cases_.push_back(std::move(text));
}

bool JunitReport::finish(const std::function<void(std::string_view)>& write, double wall_seconds) {
  const bool failed = !failing_seeds_.empty();
  const bool error = !error_type_.empty();
  const std::string counts = absl::StrCat(
      " tests=\"", 1 + sweep_cases_.size(), "\" failures=\"",
      (failed && !error ? 1 : 0) + sweep_case_failures_, "\" errors=\"", failed && error ? 1 : 0,
      "\"");
  const std::string time = absl::StrFormat(" time=\"%.3f\"", wall_seconds);
  std::string head = absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                                  "<testsuites name=\"electsim\"", counts, time, ">\n",
                                  "  <testsuite name=\"", xml_escape(name_), "\"", counts,
                                  " skipped=\"0\"", time, " timestamp=\"", timestamp_now(),
                                  "\" hostname=\"", xml_escape(hostname()),
                                  "\" id=\"0\" package=\"electsim\">\n    <properties>\n");
  for (const auto& [name, value] : properties_) {
    absl::StrAppend(&head, "      <property name=\"", xml_escape(name), "\" value=\"",
                    xml_escape(value), "\"/>\n");
  }
  absl::StrAppend(&head, "    </properties>\n    <testcase classname=\"", xml_escape(classname_),
                  "\" name=\"", xml_escape(name_), "\"", time, failed ? ">\n" : "/>\n");
  write(head);
  if (failed) {
    write(result_element_head());
    write(xml_escape(absl::StrCat(failing_seeds_.size(), " of ", seeds_,
                                  " seeds failed: ", failing_seeds_text(0, kDetailedSeeds), "\n"),
                     /*attribute=*/false));
    if (!copy_details(write)) return false;
    if (failing_seeds_.size() > kDetailedSeeds) {
      write(absl::StrCat("\nthe other failing seeds (their detail is in --json): ",
                         failing_seeds_text(kDetailedSeeds, failing_seeds_.size()), "\n"));
    }
    write(error ? "</error>\n    </testcase>\n" : "</failure>\n    </testcase>\n");
  }
  for (const std::string& sweep_case : sweep_cases_) write(sweep_case);
  write("    <system-out/>\n    <system-err/>\n  </testsuite>\n</testsuites>\n");
  return true;
}

// The failing seeds' detail, already escaped, from the temporary file.
bool JunitReport::copy_details(const std::function<void(std::string_view)>& write) {
  if (std::fflush(details_) != 0 || std::fseek(details_, 0, SEEK_SET) != 0) return false;
  std::array<char, 65536> buffer;
  while (const size_t read = std::fread(buffer.data(), 1, buffer.size(), details_)) {
    write(std::string_view(buffer.data(), read));
  }
  return std::ferror(details_) == 0;
}

}  // namespace electsim::scenarios
