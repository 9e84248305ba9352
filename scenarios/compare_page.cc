#include "scenarios/compare_page.h"

#include "absl/strings/str_cat.h"

namespace electsim::scenarios {
namespace {

std::string escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string compare_page_html(const reports::CompareReport& report,
                              const std::vector<CompareVariantSpec>& /*specs*/,
                              const std::vector<reports::CompareVariant>& /*variants*/) {
  return absl::StrCat("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>",
                      escape(report.scenario), "</title></head><body><pre>",
                      escape(reports::compare_to_text(report)), "</pre></body></html>\n");
}

}  // namespace electsim::scenarios
