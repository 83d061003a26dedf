#pragma once

// "Did you mean ...?" for mistyped names: actions, commands, parameters,
// seats. Suggestions are ranked by edit distance, then by a shared prefix or
// substring, so "sel_price" finds set_chip_price and "tier" finds
// set_export_tier.
#include <string>
#include <string_view>
#include <vector>

namespace leadtime::cli {

// The names close enough to `word` to be what was meant, best first, at most
// `limit` of them.
std::vector<std::string> closest(std::string_view word, const std::vector<std::string>& names, std::size_t limit = 3);

// "; did you mean X?" / "; did you mean X or Y?" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& names);

}  // namespace leadtime::cli
