#include "sim/check.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace electsim::sim {
namespace {

// __FILE__ as the repository names it. CMakeLists.txt maps the source folder away with
// -fmacro-prefix-map, but ccache (scripts/setup sets CCACHE_BASEDIR to the checkout) hands the
// compiler paths relative to the build folder, such as "../sim/world.cc", which the map does not
// match; and a build without either gives an absolute path. So: "../" and "./" are dropped, and an
// absolute path is cut at the first of the repository's top-level folders.
std::string repository_relative(std::string_view file) {
  while (file.starts_with("../") || file.starts_with("./")) file.remove_prefix(file.find('/') + 1);
  if (!file.starts_with('/')) return std::string(file);
  size_t cut = std::string_view::npos;
  for (std::string_view folder :
       {"/sim/", "/algorithms/", "/faults/", "/scenarios/", "/reports/", "/tests/"}) {
    cut = std::min(cut, file.find(folder));
  }
  return std::string(cut == std::string_view::npos ? file : file.substr(cut + 1));
}

}  // namespace

InternalCheckFailure::InternalCheckFailure(std::string file, int line, std::string condition,
                                           std::string values, std::string message)
    : file_(repository_relative(file)),
      line_(line),
      condition_(std::move(condition)),
      values_(std::move(values)),
      message_(std::move(message)) {
  what_ = file_ + ":" + std::to_string(line_) + ": check '" + condition_ + "' failed";
  if (!values_.empty()) what_ += " (" + values_ + ")";
  what_ += ": " + message_;
}

void fail_check(const char* file, int line, const char* condition, const std::string& values,
                const char* message) {
  throw InternalCheckFailure(file, line, condition, values, message);
}

}  // namespace electsim::sim
