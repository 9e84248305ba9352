// "Did you mean ...?" for unknown names in scenario files and on the command line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace electsim::scenarios {

// Optimal string alignment distance (Levenshtein plus transposition of two neighbours), so that
// "recovery_whithin" is one edit from "recovery_within" and "pre_voet" one from "pre_vote".
int edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a likely typo (at most a third of
// the word's length, and at least 1 edit allowed); "" otherwise. Ties go to the earlier candidate.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "unknown WHAT 'word'; did you mean 'x'?" when one is close, else
// "unknown WHAT 'word'; expected one of a, b, c".
std::string unknown_name(std::string_view what, std::string_view word,
                         const std::vector<std::string>& known);

}  // namespace electsim::scenarios
