// Reading the Markdown pages that scripts generate (docs/FAULTS.md, docs/DETECTION.md): a table
// row's cells, and the block between a script's markers.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace electsim::testing {

// "| a | b |" -> {"a", "b"}, each cell trimmed of spaces.
inline std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> result;
  std::istringstream in(row.substr(1));
  for (std::string cell; std::getline(in, cell, '|');) {
    const auto first = cell.find_first_not_of(' ');
    const auto last = cell.find_last_not_of(' ');
    result.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
  }
  return result;
}

// What lies between "<!-- NAME -->\n" and "<!-- /NAME -->" in `page`, or "" without them.
inline std::string between_markers(const std::string& page, const std::string& name) {
  const std::string begin = "<!-- " + name + " -->\n";
  const auto from = page.find(begin);
  const auto to = page.find("<!-- /" + name + " -->");
  if (from == std::string::npos || to == std::string::npos || to < from) return "";
  return page.substr(from + begin.size(), to - from - begin.size());
}

}  // namespace electsim::testing
