// The colours of the pictures: the Okabe-Ito palette ("Color Universal Design", Okabe and Ito,
// 2002/2008, jfly.uni-koeln.de/color; R ships it as grDevices::palette.colors("Okabe-Ito")),
// whose colours stay distinct under the common colour-vision deficiencies. Its yellow (#F0E442)
// is left out: on a white page it is too faint for a thin line.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace electsim::reports {

inline constexpr std::array<std::string_view, 7> kSeriesColours = {
    "#0072B2",  // blue
    "#D55E00",  // vermillion
    "#009E73",  // bluish green
    "#CC79A7",  // reddish purple
    "#E69F00",  // orange
    "#56B4E9",  // sky blue
    "#000000",  // black
};

inline std::string_view series_colour(size_t index) {
  return kSeriesColours[index % kSeriesColours.size()];
}

// Past the palette, lines repeat its colours with a dash pattern, so no two lines look alike
// until 7 x 3 of them.
inline std::string_view series_dashes(size_t index) {
  constexpr std::array<std::string_view, 3> kDashes = {"none", "6 3", "2 2"};
  return kDashes[(index / kSeriesColours.size()) % kDashes.size()];
}

// Marks that mean the same in every picture.
inline constexpr std::string_view kViolationColour = "#C00000";
inline constexpr std::string_view kFaultColour = "#E69F00";
inline constexpr std::string_view kAcceptedWriteColour = "#009E73";
inline constexpr std::string_view kRefusedWriteColour = "#C00000";
inline constexpr std::string_view kDownColour = "#404040";
inline constexpr std::string_view kPausedColour = "#9A9A9A";
inline constexpr std::string_view kAxisColour = "#333333";
inline constexpr std::string_view kGridColour = "#DDDDDD";

}  // namespace electsim::reports
