#include "engine/quarter.h"

#include <charconv>

namespace leadtime {

std::string Quarter::str() const { return std::to_string(year) + "Q" + std::to_string(q); }

Quarter Quarter::plus(int quarters) const {
  const int index = year * 4 + (q - 1) + quarters;
  return Quarter{index / 4, index % 4 + 1};
}

std::optional<Quarter> Quarter::parse(std::string_view text) {
  if (text.size() != 6 || (text[4] != 'Q' && text[4] != 'q')) return std::nullopt;
  int year = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + 4, year);
  if (ec != std::errc{} || end != text.data() + 4) return std::nullopt;
  const int q = text[5] - '0';
  if (q < 1 || q > 4 || year < 1900 || year > 2200) return std::nullopt;
  return Quarter{year, q};
}

}  // namespace leadtime
